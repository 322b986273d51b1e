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
/// Records the position and message of the first syntax error of a document.
/// The DOM parser reports only that parsing failed; this SAX pass says where.
struct SyntaxErrorLocator : json::json_sax_t {
  size_t position = 0;
  std::string message;

  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t &) override { return true; }
  bool string(string_t &) override { return true; }
  bool binary(binary_t &) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t &) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t pos, const std::string &,
                   const nlohmann::detail::exception &ex) override {
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
  int depth = 0;
  // The keys of each object being parsed, innermost last; the first key
  // that repeats within one object (nlohmann would keep its last value).
  std::vector<llvm::StringSet<>> keys;
  std::optional<std::string> duplicate;
  json doc = json::parse(
      text.begin(), text.end(),
      [&](int level, json::parse_event_t event, json &parsed) {
        depth = std::max(depth, level);
        if (event == json::parse_event_t::object_start)
          keys.emplace_back();
        else if (event == json::parse_event_t::object_end && !keys.empty())
          keys.pop_back();
        else if (event == json::parse_event_t::key && !keys.empty() &&
                 !keys.back().insert(parsed.get<std::string>()).second &&
                 !duplicate)
          duplicate = parsed.get<std::string>();
        return true;
      },
      /*allow_exceptions=*/false);
  if (!doc.is_discarded()) {
    // nlohmann counts the top-level value's members as level 1.
    if (depth > kMaxJsonDepth)
      return emitError(getLocationOfOffset(text, bufferName, context, 0))
             << "malformed JSON in " << what << ": values nest deeper than "
             << kMaxJsonDepth << " levels";
    if (duplicate) {
      // Point at the repetition: the key's second occurrence in the text.
      std::string quoted = json(*duplicate).dump();
      size_t first = text.find(quoted);
      size_t second = first == StringRef::npos
                          ? StringRef::npos
                          : text.find(quoted, first + quoted.size());
      return emitError(getLocationOfOffset(
                 text, bufferName, context,
                 second == StringRef::npos ? 0 : second))
             << "malformed JSON in " << what << ": the key " << quoted
             << " appears twice in one object";
    }
    return doc;
  }
  SyntaxErrorLocator locator;
  json::sax_parse(text.begin(), text.end(), &locator);
  // nlohmann reports the byte after the offending token (1-based).
  size_t offset = locator.position ? locator.position - 1 : 0;
  return emitError(getLocationOfOffset(text, bufferName, context, offset))
         << "malformed JSON in " << what << ": " << locator.message;
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
