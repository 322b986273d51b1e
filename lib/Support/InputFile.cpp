//===- InputFile.cpp - Reading input files of bounded size ----------------===//

#include "tilecast/Support/InputFile.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Process.h"

using namespace mlir;
using namespace mlir::tilecast;

llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>>
tilecast::readInputFile(StringRef path, uint64_t maxBytes) {
  namespace fs = llvm::sys::fs;
  fs::file_t file;
  bool isStdin = path == "-";
  if (isStdin) {
    file = fs::getStdinHandle();
  } else {
    llvm::Expected<fs::file_t> opened = fs::openNativeFileForRead(path);
    if (!opened)
      return llvm::errorToErrorCode(opened.takeError());
    file = *opened;
  }
  // Read in chunks until the end or one byte past the limit; a regular file
  // is read the same way, so there is one path for every kind of file.
  constexpr size_t kChunkBytes = size_t(1) << 20;
  llvm::SmallString<0> data;
  std::error_code error;
  while (true) {
    size_t start = data.size();
    data.resize_for_overwrite(start + kChunkBytes);
    llvm::Expected<size_t> read = fs::readNativeFile(
        file, MutableArrayRef(data.data() + start, kChunkBytes));
    if (!read) {
      error = llvm::errorToErrorCode(read.takeError());
      data.truncate(start);
      break;
    }
    data.truncate(start + *read);
    if (*read == 0)
      break;
    if (data.size() > maxBytes) {
      error = std::make_error_code(std::errc::file_too_large);
      break;
    }
  }
  if (!isStdin)
    fs::closeFile(file);
  if (error)
    return error;
  return llvm::MemoryBuffer::getMemBufferCopy(data, isStdin ? "<stdin>" : path);
}
