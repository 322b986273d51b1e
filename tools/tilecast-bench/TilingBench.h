//===- TilingBench.h - Tile choices measured on the host CPU ----*- C++ -*-===//

#ifndef TILECAST_TOOLS_BENCH_TILINGBENCH_H
#define TILECAST_TOOLS_BENCH_TILINGBENCH_H

#include "mlir/Support/LLVM.h"

#include <string>
#include <vector>

namespace mlir::tilecast::bench {
/// What `tilecast-bench tiling` runs: a suite measured on this machine, or
/// (with `measurementFiles`) the tilings measured in earlier runs, ranked
/// again.
struct TilingOptions {
  /// The target the model prices the tilings for; a CPU.
  std::string targetId = "host";
  /// `suite` is "default" (20 matmul and batch-matmul shapes within L2/L3),
  /// "large" (operands beyond L2), "heldout" (shapes never used to design
  /// the CPU model), "conv" (3x3 convolutions) or "strides" (products whose
  /// rows are or are not a multiple of 2 KiB apart); the first `maxShapes`
  /// of it are run.
  std::string suite = "default";
  int64_t maxShapes = 20;
  /// Tilings measured per shape, spread evenly over the model's ranking.
  int64_t candidatesPerShape = 8;
  /// Timed runs per tiling; the fastest counts.
  int runs = 9;
  /// Register-tile and vectorise every tiling's inner matmul or convolution
  /// (vectorizeContractions), else lower it to scalar loops.
  bool vectorize = true;
  /// Threads the code runs on, the tiles' parallel loops as scf.forall
  /// loops; the model costs that many cores. 0: one per core of the target.
  int threads = 0;
  /// List every measured tiling under its shape.
  bool verbose = false;
  /// Write every timed tiling to this CSV file (a measurement file).
  std::string dumpFile;
  /// Instead of measuring, rank the tilings of these measurement files
  /// (earlier runs' dumps) with the current model and `targetId`.
  std::vector<std::string> measurementFiles;
};

/// Prints the tiling benchmark's table; returns the process exit code.
int runTilingBench(const TilingOptions &options);
} // namespace mlir::tilecast::bench

#endif // TILECAST_TOOLS_BENCH_TILINGBENCH_H
