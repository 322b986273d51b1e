//===- ToolDiagnostics.cpp - Diagnostics of the command-line tools --------===//

#include "tilecast/Support/ToolDiagnostics.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Location.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::tilecast;

/// "file:line:col: " for file locations, "name: " for named ones without a
/// file, nothing for unknown ones.
static void printLocation(Location loc, raw_ostream &os) {
  if (auto file = loc->findInstanceOf<FileLineColLoc>()) {
    os << file.getFilename().getValue();
    if (file.getLine())
      os << ":" << file.getLine() << ":" << file.getColumn();
    os << ": ";
    return;
  }
  if (auto name = loc->findInstanceOf<NameLoc>()) {
    os << name.getName().getValue() << ": ";
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

static void printDiagnostic(Diagnostic &diag, raw_ostream &os) {
  printLocation(diag.getLocation(), os);
  os << getSeverityName(diag.getSeverity()) << ": " << diag.str() << "\n";
  for (Diagnostic &note : diag.getNotes()) {
    printLocation(note.getLocation(), os);
    os << "note: " << note.str() << "\n";
  }
}

ToolDiagnosticHandler::ToolDiagnosticHandler(MLIRContext *context)
    : ScopedDiagnosticHandler(context, [](Diagnostic &diag) {
        printDiagnostic(diag, llvm::errs());
        return success();
      }) {}

SourceDiagnosticHandler::SourceDiagnosticHandler(llvm::SourceMgr &sourceMgr,
                                                 MLIRContext *context,
                                                 raw_ostream &os)
    : withSource(sourceMgr, context, os),
      withoutFile(context,
                  [&sourceMgr, &os](Diagnostic &diag) -> LogicalResult {
                    if (diag.getLocation()->findInstanceOf<FileLineColLoc>())
                      return failure(); // withSource shows its source line.
                    // The op is in the input, which names the file.
                    if (sourceMgr.getNumBuffers() > 0)
                      os << sourceMgr
                                .getMemoryBuffer(sourceMgr.getMainFileID())
                                ->getBufferIdentifier()
                         << ": ";
                    printDiagnostic(diag, os);
                    return success();
                  }) {}

SourceDiagnosticHandler::SourceDiagnosticHandler(llvm::SourceMgr &sourceMgr,
                                                 MLIRContext *context)
    : SourceDiagnosticHandler(sourceMgr, context, llvm::errs()) {}

std::string tilecast::escapeControlBytes(StringRef text) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (c >= 0x20 && c != 0x7f) {
      out.push_back(c);
      continue;
    }
    out.push_back('\\');
    out.push_back(llvm::hexdigit(c >> 4));
    out.push_back(llvm::hexdigit(c & 0xf));
  }
  return out;
}

std::string tilecast::getQuotable(StringRef text, size_t maxBytes) {
  if (text.size() <= maxBytes)
    return escapeControlBytes(text);
  return escapeControlBytes(text.take_front(maxBytes)) + "...";
}
