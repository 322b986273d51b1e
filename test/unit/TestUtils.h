//===- TestUtils.h - Shared helpers of the unit tests -----------*- C++ -*-===//

#ifndef TILECAST_TEST_UNIT_TESTUTILS_H
#define TILECAST_TEST_UNIT_TESTUTILS_H

#include "passes/Passes.h"
#include "dialects/tilecast/TilecastAttrs.h"
#include "tilecast/Target/TargetSpec.h"

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

/// V100-PCIe numbers as in the NeuSight spec sheet: 80 SMs x 64 lanes at
/// 1370 MHz (14.029 TFLOP/s FP32, 112 TFLOP/s FP16 tensor cores), 900 GB/s,
/// 6 MB L2; 27.6 us launch overhead. Built here, not read from
/// data/targets, so recalibrating a shipped spec cannot change the tests.
inline TargetSpec makeV100(StringRef id = "v100-test") {
  TargetSpec t;
  t.id = id.str();
  t.kind = TargetKind::gpu;
  t.computeUnits = 80;
  t.lanesPerUnit = 64;
  t.clockMhz = 1370;
  t.memoryBandwidthGbps = 900;
  t.l2CacheMib = 6;
  t.l1CacheKib = 128;
  t.maxThreadsPerUnit = 2048;
  t.launchOverheadUs = 27.6;
  t.peakTflops[static_cast<unsigned>(PeakKind::F32)] = 14.029;
  t.peakTflops[static_cast<unsigned>(PeakKind::F16)] = 112.0;
  return t;
}

} // namespace mlir::tilecast::testing

#endif // TILECAST_TEST_UNIT_TESTUTILS_H
