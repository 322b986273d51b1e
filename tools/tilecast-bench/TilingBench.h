//===- TilingBench.h - Tile choices measured on the host CPU ----*- C++ -*-===//

#ifndef TILECAST_TOOLS_BENCH_TILINGBENCH_H
#define TILECAST_TOOLS_BENCH_TILINGBENCH_H

#include "mlir/Support/LLVM.h"

namespace mlir::tilecast::bench {
/// Prints the tiling benchmark's table; returns the process exit code.
/// With `vectorize`, every tiling's inner matmul or convolution is
/// register-tiled and vectorised (vectorizeContractions), else lowered to
/// scalar loops. The code runs on `threads` threads (0: one per core of
/// the target), the tiles' parallel loops as scf.forall loops, and the model
/// costs that many cores. With `verbose`, every measured tiling is listed under
/// its shape. `suite` is "default" (20 matmul and batch-matmul shapes within
/// L2/L3), "large" (operands beyond L2), "heldout" (shapes never used to
/// design the CPU model) or "conv" (3x3 convolutions).
int runTilingBench(StringRef targetId, int64_t maxShapes,
                   int64_t candidatesPerShape, int runs, bool vectorize,
                   int threads, bool verbose, StringRef suite);
} // namespace mlir::tilecast::bench

#endif // TILECAST_TOOLS_BENCH_TILINGBENCH_H
