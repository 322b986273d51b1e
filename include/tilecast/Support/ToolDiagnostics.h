//===- ToolDiagnostics.h - Diagnostics of the command-line tools -*- C++ -*-===//
//
// Tools that read files other than MLIR (CSV measurements, JSON models and
// configs) report diagnostics as "file:line:col: error: message", followed by
// their notes, on stderr, like compilers do.
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

} // namespace mlir::tilecast

#endif // TILECAST_SUPPORT_TOOLDIAGNOSTICS_H
