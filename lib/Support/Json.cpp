//===- Json.cpp - JSON documents with located diagnostics -----------------===//

#include "tilecast/Support/Json.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/StringSet.h"

#include <optional>
#include <vector>

using namespace mlir;
using namespace mlir::tilecast;
using json = nlohmann::json;

Location tilecast::getLocationOfOffset(StringRef text, StringRef bufferName,
                                       MLIRContext *context, size_t offset) {
  StringRef before = text.take_front(std::min(offset, text.size()));
  size_t lineStart = before.rfind('\n');
  unsigned line = 1 + before.count('\n');
  unsigned column =
      before.size() - (lineStart == StringRef::npos ? 0 : lineStart + 1) + 1;
  return FileLineColLoc::get(context, bufferName, line, column);
}

namespace {
/// A pointer into the text that records, each time the parser reads past a
/// byte, how far it has read: the SAX events carry no position, and the
/// checker reports repeated keys and deep nesting where they are.
struct TrackingIterator {
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char *;
  using reference = const char &;

  const char *current = nullptr;
  const char **readUpTo = nullptr;

  reference operator*() const { return *current; }
  TrackingIterator &operator++() {
    *readUpTo = ++current;
    return *this;
  }
  TrackingIterator operator++(int) {
    TrackingIterator before = *this;
    ++*this;
    return before;
  }
  bool operator==(const TrackingIterator &other) const {
    return current == other.current;
  }
  bool operator!=(const TrackingIterator &other) const {
    return current != other.current;
  }
};

/// Checks a document before it is built: the first syntax error (the DOM
/// parser reports only that parsing failed; this SAX pass says where),
/// nesting deeper than kMaxJsonDepth, and a key repeated within one object
/// (which nlohmann would resolve by keeping the last value). It stops at the
/// first problem, so a hostile document costs no memory beyond its text.
struct DocumentChecker : json::json_sax_t {
  enum class Problem { None, Syntax, TooDeep, DuplicateKey };
  Problem problem = Problem::None;
  /// Syntax errors: the byte nlohmann stopped at (1-based) and its message.
  size_t position = 0;
  std::string message;
  /// Repeated keys: the key and the path of its object ("/a/b", arrays as
  /// "[]").
  std::string duplicateKey, duplicatePath;
  /// How far the parser had read when the problem was found (TrackingIterator).
  const char *readUpTo = nullptr;
  const char *problemAt = nullptr;

  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t &) override { return true; }
  bool string(string_t &) override { return true; }
  bool binary(binary_t &) override { return true; }
  bool start_object(std::size_t) override { return enter(/*isObject=*/true); }
  bool key(string_t &key) override {
    Container &object = open.back();
    if (!object.keys.insert(key).second) {
      problem = Problem::DuplicateKey;
      duplicateKey = key;
      duplicatePath = getPath();
      problemAt = readUpTo;
      return false;
    }
    object.lastKey = key;
    return true;
  }
  bool end_object() override { return leave(); }
  bool start_array(std::size_t) override { return enter(/*isObject=*/false); }
  bool end_array() override { return leave(); }
  bool parse_error(std::size_t pos, const std::string &,
                   const nlohmann::detail::exception &ex) override {
    problem = Problem::Syntax;
    position = pos;
    // Drop nlohmann's "[json.exception...] parse error at line L, column C: "
    // prefix: the diagnostic's location already says where.
    StringRef text = ex.what();
    if (text.starts_with("[json.exception."))
      text = text.drop_front(text.find("] ") + 2);
    if (size_t column = text.find("column "); column != StringRef::npos)
      if (size_t colon = text.find(": ", column); colon != StringRef::npos)
        text = text.drop_front(colon + 2);
    message = text.str();
    return false;
  }

private:
  struct Container {
    bool isObject;
    /// Its name in the path: the key it is the value of, or "[]".
    std::string name;
    llvm::StringSet<> keys;
    std::string lastKey;
  };

  bool enter(bool isObject) {
    std::string name;
    if (!open.empty())
      name = open.back().isObject ? open.back().lastKey : "[]";
    open.push_back({isObject, std::move(name), {}, {}});
    if (open.size() <= static_cast<size_t>(kMaxJsonDepth))
      return true;
    problem = Problem::TooDeep;
    problemAt = readUpTo;
    return false;
  }
  bool leave() {
    open.pop_back();
    return true;
  }
  std::string getPath() const {
    std::string path;
    for (const Container &container : ArrayRef(open).drop_front())
      path += "/" + container.name;
    return path.empty() ? "/" : path;
  }

  std::vector<Container> open;
};

} // namespace

Location tilecast::getLocationOfKey(StringRef text, StringRef bufferName,
                                    MLIRContext *context, StringRef key) {
  size_t offset = text.find(("\"" + key + "\"").str());
  return getLocationOfOffset(text, bufferName, context,
                             offset == StringRef::npos ? 0 : offset);
}

FailureOr<json> tilecast::parseJson(StringRef text, StringRef bufferName,
                                    MLIRContext *context, StringRef what) {
  DocumentChecker checker;
  checker.readUpTo = text.begin();
  json::sax_parse(TrackingIterator{text.begin(), &checker.readUpTo},
                  TrackingIterator{text.end(), &checker.readUpTo}, &checker);
  // Where the parser had read to: just past the bracket that nests too
  // deep, or past the repeated key's closing quote, whose opening quote is
  // the first quote before it that no backslash escapes.
  size_t readBytes = checker.problemAt ? checker.problemAt - text.begin() : 0;
  auto locateBracket = [&] {
    return getLocationOfOffset(text, bufferName, context,
                               readBytes ? readBytes - 1 : 0);
  };
  auto locateKey = [&] {
    size_t offset = readBytes >= 2 ? readBytes - 2 : 0;
    for (; offset > 0; --offset) {
      if (text[offset] != '"')
        continue;
      size_t backslashes = 0;
      while (backslashes < offset && text[offset - 1 - backslashes] == '\\')
        ++backslashes;
      if (backslashes % 2 == 0)
        break;
    }
    return getLocationOfOffset(text, bufferName, context, offset);
  };
  switch (checker.problem) {
  case DocumentChecker::Problem::None:
    break;
  case DocumentChecker::Problem::Syntax: {
    // nlohmann reports the byte after the offending token (1-based).
    size_t offset = checker.position ? checker.position - 1 : 0;
    return emitError(getLocationOfOffset(text, bufferName, context, offset))
           << "malformed JSON in " << what << ": " << checker.message;
  }
  case DocumentChecker::Problem::TooDeep:
    return emitError(locateBracket())
           << "invalid JSON in " << what << ": values nest deeper than "
           << kMaxJsonDepth << " levels";
  case DocumentChecker::Problem::DuplicateKey:
    return emitError(locateKey())
           << "invalid JSON in " << what << ": the key "
           << json(checker.duplicateKey)
                  .dump(-1, ' ', false, json::error_handler_t::replace)
           << " appears twice in the object at " << checker.duplicatePath;
  }
  return json::parse(text.begin(), text.end(), /*cb=*/nullptr,
                     /*allow_exceptions=*/false);
}

std::string tilecast::describeJson(const json &value) {
  constexpr size_t kMaxStringChars = 64;
  if (value.is_array())
    return "an array of " + std::to_string(value.size()) + " elements";
  if (value.is_object())
    return "an object of " + std::to_string(value.size()) + " fields";
  if (value.is_string() && value.get_ref<const std::string &>().size() >
                               kMaxStringChars)
    return json(value.get_ref<const std::string &>().substr(0, kMaxStringChars))
               .dump(-1, ' ', false, json::error_handler_t::replace) +
           "...";
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}
