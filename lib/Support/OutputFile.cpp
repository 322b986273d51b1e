//===- OutputFile.cpp - Writing the tools' output files -------------------===//

#include "tilecast/Support/OutputFile.h"

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
