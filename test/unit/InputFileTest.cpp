//===- InputFileTest.cpp - Reading input files of bounded size ------------===//
//
// readInputFile with a small limit, so that the cases run in microseconds:
// a regular file at and past the limit, a device that never ends; and the
// nesting limit of IR text.
//
//===----------------------------------------------------------------------===//

#include "tilecast/Support/InputFile.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace mlir::tilecast;

namespace {
/// A temporary file holding `text`, removed with the object.
class TempFile {
public:
  explicit TempFile(StringRef text) {
    int fd;
    EXPECT_FALSE(
        llvm::sys::fs::createTemporaryFile("input-file-test", "txt", fd, path));
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    os << text;
  }
  ~TempFile() { llvm::sys::fs::remove(path); }
  StringRef getPath() const { return path; }

private:
  llvm::SmallString<128> path;
};
} // namespace

TEST(InputFileTest, FileAtTheLimitIsRead) {
  TempFile file("0123456789");
  auto buffer = readInputFile(file.getPath(), /*maxBytes=*/10);
  ASSERT_TRUE(bool(buffer)) << buffer.getError().message();
  EXPECT_EQ((*buffer)->getBuffer(), "0123456789");
}

TEST(InputFileTest, FilePastTheLimitIsRefused) {
  TempFile file("0123456789");
  auto buffer = readInputFile(file.getPath(), /*maxBytes=*/9);
  ASSERT_FALSE(bool(buffer));
  EXPECT_EQ(buffer.getError(), std::errc::file_too_large);
  // The diagnostic names the limit: in MiB when it is whole MiB.
  EXPECT_EQ(getReadErrorMessage(buffer.getError(), 9),
            "larger than the 9 bytes an input file may have");
  EXPECT_EQ(getReadErrorMessage(buffer.getError(), uint64_t(3) << 20),
            "larger than the 3 MiB an input file may have");
}

TEST(InputFileTest, EndlessDeviceIsRefusedAtTheLimit) {
  if (!llvm::sys::fs::exists("/dev/zero"))
    GTEST_SKIP() << "no /dev/zero on this system";
  auto buffer = readInputFile("/dev/zero", /*maxBytes=*/4096);
  ASSERT_FALSE(bool(buffer));
  EXPECT_EQ(buffer.getError(), std::errc::file_too_large);
}

TEST(InputFileTest, MissingFileKeepsTheSystemsReason) {
  auto buffer = readInputFile("/nonexistent/input-file-test.json");
  ASSERT_FALSE(bool(buffer));
  EXPECT_EQ(getReadErrorMessage(buffer.getError()),
            buffer.getError().message());
}

namespace {
/// verifyIRNestingDepth on `text`; the first diagnostic's "line:col: message"
/// in `where`, empty if it passed.
LogicalResult checkDepth(const std::string &text, std::string &where) {
  MLIRContext context;
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
    auto file = cast<FileLineColLoc>(diag.getLocation());
    if (where.empty())
      where = std::to_string(file.getLine()) + ":" +
              std::to_string(file.getColumn()) + ": " + diag.str();
    return success();
  });
  auto buffer = llvm::MemoryBuffer::getMemBuffer(text, "depth.mlir");
  return verifyIRNestingDepth(*buffer, &context);
}

std::string repeat(StringRef text, unsigned times) {
  std::string out;
  for (unsigned i = 0; i < times; ++i)
    out += text;
  return out;
}
} // namespace

// kMaxIRNestingDepth (1000) levels pass; the 1001st bracket is refused where
// it stands: after 1000 "module {" of 8 characters, column 8008 of line 1.
TEST(InputFileTest, IRNestedPastTheLimitIsRefusedAtTheBracket) {
  std::string where;
  EXPECT_TRUE(succeeded(checkDepth(
      repeat("module {", 1000) + repeat("}", 1000), where)));
  EXPECT_EQ(where, "");
  EXPECT_TRUE(failed(checkDepth(
      "\n" + repeat("module {", 1001) + repeat("}", 1001), where)));
  EXPECT_EQ(where, "2:8008: brackets nested deeper than 1000 levels");
}

// The angle brackets of types and attributes nest like the others; the '>'
// of '->' and '>=' and the '<' of '<=' are no brackets. The 1001st level
// below is the last "tuple<" of "(" and 1000 "tuple<" of 6 characters each:
// column 1 + 6000.
TEST(InputFileTest, IRNestingCountsAngleBrackets) {
  std::string where;
  EXPECT_TRUE(succeeded(checkDepth(
      "(" + repeat("tuple<", 999) + "f32" + repeat(">", 999) + ")", where)))
      << where;
  EXPECT_TRUE(failed(checkDepth(
      "(" + repeat("tuple<", 1000) + "f32" + repeat(">", 1000) + ")", where)));
  EXPECT_EQ(where, "1:6001: brackets nested deeper than 1000 levels");
  where.clear();
  EXPECT_TRUE(succeeded(checkDepth(
      repeat("(d0) -> (d0) d0 >= 0 d0 <= 1 ", 2000) + repeat("<", 1000) +
          repeat(">", 1000),
      where)))
      << where;
}

// kMaxIRExpressionOperators (1000) arithmetic operators in one expression
// pass, the 1001st is refused where it stands: "(d0" is 3 characters and
// each " + d0" 5, so the 1001st '+' is at column 3 + 5 x 1000 + 2. '->' is
// no operator; a ',' starts a new element (1001 results of one operator
// each pass); operators add up over nested parentheses and square brackets
// (ten nested pairs of 999 unary minuses overflowed the parser); '-' in
// value names is none.
TEST(InputFileTest, IRExpressionOperatorsAreLimited) {
  std::string where;
  EXPECT_TRUE(
      succeeded(checkDepth("(d0" + repeat(" + d0", 1000) + ") -> (d0)", where)))
      << where;
  EXPECT_TRUE(failed(checkDepth("(d0" + repeat(" + d0", 1001) + ")", where)));
  EXPECT_EQ(where, "1:5005: an expression of more than 1000 arithmetic "
                   "operators");
  where.clear();
  EXPECT_TRUE(succeeded(checkDepth(
      "(" + repeat("d0 + 1, ", 1001) + ") [" + repeat("-1, ", 2000) + "] (" +
          repeat("%a-1: i32, ", 1001) + ")" + repeat("a -> b ", 2000),
      where)))
      << where;
  where.clear();
  EXPECT_TRUE(failed(checkDepth("[" + repeat("- ", 1001) + "d0]", where)));
  EXPECT_EQ(where, "1:2002: an expression of more than 1000 arithmetic "
                   "operators");
  where.clear();
  EXPECT_TRUE(failed(checkDepth(repeat("(" + repeat("- ", 999), 2), where)));
  EXPECT_EQ(where, "1:2003: an expression of more than 1000 arithmetic "
                   "operators");
}

// The affine keyword operators nest like '*' (100000 'floordiv's overflowed
// the printer's stack, 2026-12-06): "(d0" is 3 characters and each
// " floordiv 2" 11, so the 1001st starts at column 3 + 11 x 1000 + 2. Words
// that only contain them ("modulo", "d0mod") are none, and '-' right after
// an identifier is still one.
TEST(InputFileTest, IRAffineKeywordOperatorsAreLimited) {
  std::string where;
  for (StringRef keyword : {"floordiv", "ceildiv", "mod"}) {
    where.clear();
    EXPECT_TRUE(succeeded(checkDepth(
        "(d0" + repeat((" " + keyword + " 2").str(), 1000) + ")", where)))
        << where;
    EXPECT_TRUE(failed(checkDepth(
        "(d0" + repeat((" " + keyword + " 2").str(), 1001) + ")", where)));
  }
  where.clear();
  EXPECT_TRUE(
      failed(checkDepth("(d0" + repeat(" floordiv 2", 1001) + ")", where)));
  EXPECT_EQ(where, "1:11005: an expression of more than 1000 arithmetic "
                   "operators");
  where.clear();
  EXPECT_TRUE(
      succeeded(checkDepth("(" + repeat("modulo d0mod ", 2000) + ")", where)))
      << where;
  EXPECT_TRUE(failed(checkDepth("(" + repeat("d0-", 1001) + "d0)", where)));
}

// Brackets in string literals (escaped quotes included) and comments do not
// count; closing brackets without an opener do not go below zero.
TEST(InputFileTest, IRNestingIgnoresStringsAndComments) {
  std::string where;
  std::string noise = "// " + repeat("{", 2000) + "\n\"\\\"" +
                      repeat("[", 2000) + "\" )))\n";
  EXPECT_TRUE(succeeded(checkDepth(
      noise + repeat("(", 1000) + repeat(")", 1000), where)))
      << where;
}
