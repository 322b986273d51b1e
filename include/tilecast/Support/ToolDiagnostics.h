//===- ToolDiagnostics.h - Diagnostics of the command-line tools -*- C++ -*-===//
//
// Tools that read files other than MLIR (CSV measurements, JSON models and
// configs) report diagnostics as "file:line:col: error: message", followed by
// their notes, on stderr, like compilers do. Tools that read MLIR show the
// source line as well, and name the op where a location has no file: the
// kernels tilecast-import writes are located by name only (loc("attn.qkv")).
//
//===----------------------------------------------------------------------===//

#ifndef TILECAST_SUPPORT_TOOLDIAGNOSTICS_H
#define TILECAST_SUPPORT_TOOLDIAGNOSTICS_H

#include "mlir/IR/Diagnostics.h"

namespace mlir::tilecast {

/// Prints every diagnostic of `context` to stderr for the handler's lifetime.
class ToolDiagnosticHandler : public ScopedDiagnosticHandler {
public:
  explicit ToolDiagnosticHandler(MLIRContext *context);
};

/// For the handler's lifetime, prints the diagnostics of `context` to `os`:
/// those at a location in one of `sourceMgr`'s buffers with the source line
/// (as SourceMgrDiagnosticHandler does); those at a location without a file,
/// such as loc("attn.qkv"), as "input.mlir: attn.qkv: error: message" (the
/// main buffer's name first) rather than
/// "<unknown>:0: error: loc("attn.qkv"): message".
class SourceDiagnosticHandler {
public:
  SourceDiagnosticHandler(llvm::SourceMgr &sourceMgr, MLIRContext *context,
                          raw_ostream &os);
  SourceDiagnosticHandler(llvm::SourceMgr &sourceMgr, MLIRContext *context);

private:
  SourceMgrDiagnosticHandler withSource;
  // Registered last, so asked first.
  ScopedDiagnosticHandler withoutFile;
};

/// `text` with every control byte (below 0x20, and 0x7f) written as `\XX`,
/// so that a name from an input file cannot garble a terminal or a table.
std::string escapeControlBytes(StringRef text);

/// `text` from an input file, fit to quote in a diagnostic: control bytes
/// escaped, and cut after `maxBytes` bytes with "..." (a 5 MB CSV field is
/// not echoed whole).
std::string getQuotable(StringRef text, size_t maxBytes = 80);

} // namespace mlir::tilecast

#endif // TILECAST_SUPPORT_TOOLDIAGNOSTICS_H
