//===- CommandLine.h - Parsing tools' command lines -------------*- C++ -*-===//
//
// llvm::cl as TileCast's tools use it, with one difference a user expects
// and llvm::cl does not give: an option given twice is an error (llvm::cl
// keeps the last, so `--target=v100 --target=t4` silently means t4).
//
//===----------------------------------------------------------------------===//

#ifndef TILECAST_SUPPORT_COMMANDLINE_H
#define TILECAST_SUPPORT_COMMANDLINE_H

#include "mlir/Support/LLVM.h"
#include "llvm/Support/CommandLine.h"

namespace mlir::tilecast {

/// cl::ParseCommandLineOptions, then an error (exit 1) naming any option of
/// a single value given more than once.
void parseToolCommandLine(int argc, char **argv, StringRef overview);

} // namespace mlir::tilecast

#endif // TILECAST_SUPPORT_COMMANDLINE_H
