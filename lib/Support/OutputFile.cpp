//===- OutputFile.cpp - Writing the tools' output files -------------------===//

#include "tilecast/Support/OutputFile.h"

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
  if (llvm::sys::fs::is_directory(path))
    return refuse("it is a folder");
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
