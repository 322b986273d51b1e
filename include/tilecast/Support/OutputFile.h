//===- OutputFile.h - Writing the tools' output files -----------*- C++ -*-===//
//
// The tools open their outputs with mlir::openOutputFile, which removes the
// file unless it is kept. A write that fails (a full disk) only sets an error
// flag on the stream, and a stream destroyed with its flag set aborts the
// process with "LLVM ERROR: IO failure on output stream", naming no file.
// keepOutputFile checks the flag first.
//
//===----------------------------------------------------------------------===//

#ifndef TILECAST_SUPPORT_OUTPUTFILE_H
#define TILECAST_SUPPORT_OUTPUTFILE_H

#include "mlir/Support/LLVM.h"
#include "llvm/Support/ToolOutputFile.h"

#include <string>

namespace mlir::tilecast {

/// Flushes `output` and keeps it if everything reached the file. Else sets
/// `errorMessage` to "cannot write 'PATH': REASON", clears the stream's error
/// (the process goes on to report it) and lets the partial file be removed.
LogicalResult keepOutputFile(llvm::ToolOutputFile &output,
                             std::string &errorMessage);

/// Whether `path` ("-" is stdout) could be written: an existing file (or
/// device) writable by this process, or a new file in an existing writable
/// folder. Else sets `errorMessage` to "cannot write 'PATH': REASON". For a
/// check before long work, without opening the file, which would empty it.
LogicalResult checkOutputWritable(StringRef path, std::string &errorMessage);

/// Writes `contents` to `path` ("-" is stdout). A regular file (or a new
/// one; through a symbolic link, the file it names) is written to a
/// temporary file beside it, given the old file's permissions, and renamed
/// over it, so that a write that fails leaves the old file as it was (a hard
/// link to it keeps the old contents). Stdout, devices (/dev/null), dangling
/// links and files in a folder where no file can be created are written in
/// place. On failure sets `errorMessage` to "cannot write 'PATH': REASON".
LogicalResult writeOutputFile(StringRef path, StringRef contents,
                              std::string &errorMessage);

} // namespace mlir::tilecast

#endif // TILECAST_SUPPORT_OUTPUTFILE_H
