//===- OutputFile.cpp - Writing the tools' output files -------------------===//

#include "tilecast/Support/OutputFile.h"

#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

using namespace mlir;

LogicalResult tilecast::keepOutputFile(llvm::ToolOutputFile &output,
                                       std::string &errorMessage) {
  llvm::raw_fd_ostream &os = output.os();
  os.flush();
  if (!os.has_error()) {
    output.keep();
    return success();
  }
  errorMessage =
      "cannot write '" + output.outputFilename() + "': " + os.error().message();
  os.clear_error();
  return failure();
}

LogicalResult tilecast::checkOutputWritable(StringRef path,
                                            std::string &errorMessage) {
  if (path == "-")
    return success();
  auto refuse = [&](const Twine &reason) {
    errorMessage = ("cannot write '" + path + "': " + reason).str();
    return failure();
  };
  if (path.empty())
    return refuse("an empty file name");
  if (llvm::sys::fs::is_directory(path))
    return refuse("it is a folder");
  if (llvm::sys::fs::exists(path)) {
    if (std::error_code ec =
            llvm::sys::fs::access(path, llvm::sys::fs::AccessMode::Write))
      return refuse(ec.message());
    return success();
  }
  StringRef folder = llvm::sys::path::parent_path(path);
  if (folder.empty())
    folder = ".";
  if (!llvm::sys::fs::is_directory(folder))
    return refuse("no folder '" + folder + "'");
  if (std::error_code ec =
          llvm::sys::fs::access(folder, llvm::sys::fs::AccessMode::Write))
    return refuse("folder '" + folder + "': " + ec.message());
  return success();
}

/// Writes `contents` to `path` through mlir::openOutputFile: in place.
static LogicalResult writeInPlace(StringRef path, StringRef contents,
                                  std::string &errorMessage) {
  std::unique_ptr<llvm::ToolOutputFile> output =
      mlir::openOutputFile(path, &errorMessage);
  if (!output) {
    errorMessage = ("cannot write '" + path + "': " + errorMessage).str();
    return failure();
  }
  output->os() << contents;
  return tilecast::keepOutputFile(*output, errorMessage);
}

LogicalResult tilecast::writeOutputFile(StringRef path, StringRef contents,
                                        std::string &errorMessage) {
  if (path == "-")
    return writeInPlace(path, contents, errorMessage);
  // A link is written through, to the file it names (replacing the link
  // would leave that file as it was); a dangling one in place.
  SmallString<256> target(path);
  if (llvm::sys::fs::is_symlink_file(path) &&
      llvm::sys::fs::real_path(path, target))
    return writeInPlace(path, contents, errorMessage);
  llvm::sys::fs::file_status status;
  bool exists = !llvm::sys::fs::status(target, status);
  if (exists && !llvm::sys::fs::is_regular_file(status))
    return writeInPlace(path, contents, errorMessage); // /dev/null, a fifo
  // Beside the file, renamed over it once whole. Where no file can be
  // created there (a folder one may not write), in place.
  llvm::Expected<llvm::sys::fs::TempFile> temp =
      llvm::sys::fs::TempFile::create(target + ".tmp-%%%%%%");
  if (!temp) {
    llvm::consumeError(temp.takeError());
    return writeInPlace(path, contents, errorMessage);
  }
  // The file keeps its permissions (a private one stays private).
  if (exists)
    (void)llvm::sys::fs::setPermissions(temp->FD, status.permissions());
  {
    llvm::raw_fd_ostream os(temp->FD, /*shouldClose=*/false);
    os << contents;
    os.flush();
    if (os.has_error()) {
      errorMessage =
          ("cannot write '" + path + "': " + os.error().message()).str();
      os.clear_error();
      llvm::consumeError(temp->discard());
      return failure();
    }
  }
  if (llvm::Error error = temp->keep(target)) {
    errorMessage =
        ("cannot write '" + path + "': " + llvm::toString(std::move(error)))
            .str();
    return failure();
  }
  return success();
}
