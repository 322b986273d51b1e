//===- FusionBench.h - Fusion decisions measured on the host CPU -*- C++ -*-===//

#ifndef TILECAST_TOOLS_BENCH_FUSIONBENCH_H
#define TILECAST_TOOLS_BENCH_FUSIONBENCH_H

#include "mlir/Support/LLVM.h"

namespace mlir::tilecast::bench {
/// Cases of the fusion suite: its element-wise chains at each of its sizes.
inline constexpr int64_t kNumFusionCases = 20;

/// Prints the fusion benchmark's table for at most `maxCases` chains;
/// returns the process exit code.
int runFusionBench(StringRef targetId, int64_t maxCases, int runs);
} // namespace mlir::tilecast::bench

#endif // TILECAST_TOOLS_BENCH_FUSIONBENCH_H
