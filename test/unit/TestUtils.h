//===- TestUtils.h - Shared helpers of the unit tests -----------*- C++ -*-===//

#ifndef TILECAST_TEST_UNIT_TESTUTILS_H
#define TILECAST_TEST_UNIT_TESTUTILS_H

#include "passes/Passes.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

#include <string>

namespace mlir::tilecast::testing {

/// An MLIRContext with everything TileCast registers, that records the text
/// of every diagnostic instead of printing it.
class TestContext {
public:
  TestContext()
      : context(makeRegistry()), handler(&context, [this](Diagnostic &d) {
          diagnostics += d.str() + "\n";
          for (Diagnostic &note : d.getNotes())
            diagnostics += "note: " + note.str() + "\n";
          return success();
        }) {
    context.loadAllAvailableDialects();
  }

  MLIRContext *get() { return &context; }
  Location loc() { return UnknownLoc::get(&context); }
  const std::string &getDiagnostics() const { return diagnostics; }

private:
  static DialectRegistry makeRegistry() {
    DialectRegistry registry;
    registerTilecastDialects(registry);
    return registry;
  }

  MLIRContext context;
  std::string diagnostics;
  ScopedDiagnosticHandler handler;
};

} // namespace mlir::tilecast::testing

#endif // TILECAST_TEST_UNIT_TESTUTILS_H
