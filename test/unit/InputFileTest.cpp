//===- InputFileTest.cpp - Reading input files of bounded size ------------===//
//
// readInputFile with a small limit, so that the cases run in microseconds:
// a regular file at and past the limit, a device that never ends.
//
//===----------------------------------------------------------------------===//

#include "tilecast/Support/InputFile.h"

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
