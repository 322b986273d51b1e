//===- JitRunner.h - Timing linalg modules on the host CPU ------*- C++ -*-===//
//
// The benchmarks that prove TileCast's decisions on real hardware JIT-compile
// linalg-on-tensors modules through MLIR's ExecutionEngine and time them.
// A bench module defines `func.func @bench() -> f32` with
// `llvm.emit_c_interface`; it builds its own inputs and returns one element
// of its result, so that nothing is optimised away.
//
//===----------------------------------------------------------------------===//

#ifndef TILECAST_TOOLS_BENCH_JITRUNNER_H
#define TILECAST_TOOLS_BENCH_JITRUNNER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"

namespace mlir::tilecast::bench {

/// A context with every upstream dialect, extension, pass and LLVM
/// translation registered, the native target initialised, and TileCast's
/// dialect and passes.
std::unique_ptr<MLIRContext> createJitContext();

/// Tiles every matmul and batch_matmul of `module` into 4 x 8 x 8 register
/// tiles and vectorises them (transform dialect: tile_using_for, vectorize),
/// as a compiler's CPU backend does below the cache-level tiling that
/// tilecast-select-tile-sizes decides.
LogicalResult vectorizeContractions(ModuleOp module);

/// The times of `runs` runs of @bench after one warm-up, in microseconds.
struct BenchTimes {
  double medianUs = 0;
  /// The fastest run: on a shared machine, interference only adds time.
  double fastestUs = 0;
};

/// Lowers `module` (linalg on tensors; TileCast's attributes are dropped, they
/// have no LLVM form) to LLVM, JIT-compiles it at -O3 and times @bench.
FailureOr<BenchTimes> timeBenchModule(ModuleOp module, int runs);

} // namespace mlir::tilecast::bench

#endif // TILECAST_TOOLS_BENCH_JITRUNNER_H
