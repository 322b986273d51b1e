//===- ToolDiagnostics.cpp - Diagnostics of the command-line tools --------===//

#include "tilecast/Support/ToolDiagnostics.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Location.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::tilecast;

/// "file:line:col: " for file locations, nothing for unknown ones.
static void printLocation(Location loc, raw_ostream &os) {
  if (auto file = dyn_cast<FileLineColLoc>(loc)) {
    os << file.getFilename().getValue();
    if (file.getLine())
      os << ":" << file.getLine() << ":" << file.getColumn();
    os << ": ";
    return;
  }
  if (!isa<UnknownLoc>(loc))
    os << loc << ": ";
}

static StringRef getSeverityName(DiagnosticSeverity severity) {
  switch (severity) {
  case DiagnosticSeverity::Error:
    return "error";
  case DiagnosticSeverity::Warning:
    return "warning";
  case DiagnosticSeverity::Note:
    return "note";
  case DiagnosticSeverity::Remark:
    return "remark";
  }
  return "error";
}

ToolDiagnosticHandler::ToolDiagnosticHandler(MLIRContext *context)
    : ScopedDiagnosticHandler(context, [](Diagnostic &diag) {
        raw_ostream &os = llvm::errs();
        printLocation(diag.getLocation(), os);
        os << getSeverityName(diag.getSeverity()) << ": " << diag.str()
           << "\n";
        for (Diagnostic &note : diag.getNotes()) {
          printLocation(note.getLocation(), os);
          os << "note: " << note.str() << "\n";
        }
        return success();
      }) {}
