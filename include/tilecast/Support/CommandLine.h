//===- CommandLine.h - Parsing tools' command lines -------------*- C++ -*-===//
//
// llvm::cl as TileCast's tools use it, with two differences a user expects
// and llvm::cl does not give: an option given twice is an error (llvm::cl
// keeps the last, so `--target=v100 --target=t4` silently means t4), and so
// is an option value written as an octal, hexadecimal or binary integer
// (llvm::cl reads `--batch=010` as 8 and `--batch=0x10` as 16).
//
//===----------------------------------------------------------------------===//

#ifndef TILECAST_SUPPORT_COMMANDLINE_H
#define TILECAST_SUPPORT_COMMANDLINE_H

#include "mlir/Support/LLVM.h"
#include "llvm/Support/CommandLine.h"

namespace mlir::tilecast {

/// cl::ParseCommandLineOptions, with errors (exit 1) for an option value
/// that is an integer with a leading zero or a radix prefix (`010`, `0x10`,
/// `0b1`; in `--name=value`, or as the argument after `--name`), and for an
/// option of a single value given more than once.
void parseToolCommandLine(int argc, char **argv, StringRef overview);

} // namespace mlir::tilecast

#endif // TILECAST_SUPPORT_COMMANDLINE_H
