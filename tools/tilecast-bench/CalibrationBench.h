//===- CalibrationBench.h - Few-shot calibration error curve ----*- C++ -*-===//

#ifndef TILECAST_TOOLS_BENCH_CALIBRATIONBENCH_H
#define TILECAST_TOOLS_BENCH_CALIBRATIONBENCH_H

#include "mlir/IR/MLIRContext.h"
#include "mlir/Support/LLVM.h"

namespace mlir::tilecast::bench {
/// Prints the error of the hybrid model on the unseen GPUs after few-shot
/// calibration with K = 0, 5, 10, 20 of their kernels, averaged over
/// `draws` random draws; returns the process exit code.
int runCalibrationBench(MLIRContext &context, StringRef neusightDir,
                        int64_t draws);
} // namespace mlir::tilecast::bench

#endif // TILECAST_TOOLS_BENCH_CALIBRATIONBENCH_H
