//===- E2EBench.h - Whole-model predictions against measurements -*- C++
//-*-===//

#ifndef TILECAST_TOOLS_BENCH_E2EBENCH_H
#define TILECAST_TOOLS_BENCH_E2EBENCH_H

#include "mlir/Support/LLVM.h"

namespace mlir::tilecast::bench {
/// Imports every model/setting that has a label under `neusightDir`/labels,
/// predicts it with the cost model `modelName` on the label's GPU, and
/// prints predicted vs measured per GPU with the pooled errors. Only labels
/// whose file name contains `filter` are used. Returns the exit code.
int runE2EBench(StringRef neusightDir, StringRef modelName, StringRef filter,
                bool overlapLaunches);
} // namespace mlir::tilecast::bench

#endif // TILECAST_TOOLS_BENCH_E2EBENCH_H
