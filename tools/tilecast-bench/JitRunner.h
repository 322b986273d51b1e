//===- JitRunner.h - Timing linalg modules on the host CPU ------*- C++ -*-===//
//
// The benchmarks that prove TileCast's decisions on real hardware JIT-compile
// linalg-on-tensors modules through MLIR's ExecutionEngine and time them.
// A bench module defines `func.func @bench() -> f64` with
// `llvm.emit_c_interface`; it builds its own inputs, then times the work
// under test with the clock of printBenchFunctionStart and returns the
// microseconds it took (the work's result feeds the clock, so that nothing is
// optimised away).
//
//===----------------------------------------------------------------------===//

#ifndef TILECAST_TOOLS_BENCH_JITRUNNER_H
#define TILECAST_TOOLS_BENCH_JITRUNNER_H

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "tilecast/Target/TargetSpec.h"

namespace mlir::tilecast::bench {

/// A context with every upstream dialect, extension, pass and LLVM
/// translation registered, the native target initialised, and TileCast's
/// dialect and passes.
std::unique_ptr<MLIRContext> createJitContext();

/// Tiles every matmul and batch_matmul of `module` into 8 x 8 x 8 register
/// tiles (and every conv_2d_nhwc_hwcf into 8-pixel x 8-channel x 8-input-
/// channel 1-d convolutions), vectorises them and keeps the accumulator tile
/// in registers over the K loop (transform dialect: tile_using_for,
/// decompose, vectorize, hoisting), as a compiler's CPU backend does below
/// the cache-level tiling that tilecast-select-tile-sizes decides.
LogicalResult vectorizeContractions(ModuleOp module);

/// Lowers `module` (linalg on tensors; TileCast's attributes are dropped, they
/// have no LLVM form) to LLVM and JIT-compiles it at -O3. With `threads` > 1
/// its scf.forall loops are cut into tasks of at least `minTaskSize`
/// iterations, `threads` of them at most, which the calling thread and the
/// threads of MLIR's async runtime run (the runtime's pool has a thread per
/// hardware thread of the machine, whatever `threads` is); otherwise the
/// loops run in turn on the calling thread.
FailureOr<std::unique_ptr<ExecutionEngine>>
compileBenchModule(ModuleOp module, int threads = 1, int64_t minTaskSize = 1);

/// A CPU target as JIT-compiled code running on `threads` threads uses it:
/// that many cores with their share of the compute peaks; the caches and the
/// memory bandwidth are not shared with anything else. `threads` is 1 to
/// the spec's cores.
TargetSpec getCores(TargetSpec spec, int threads);

/// What timeInTurns measured of each engine, in microseconds, in the
/// engines' order.
struct TurnTimes {
  /// The fastest of all runs.
  SmallVector<double> fastestUs;
  /// The fastest of the odd-numbered rounds and of the even-numbered ones:
  /// two interleaved measurements of half the runs each (the odd half has
  /// one more for an odd count), whose agreement shows how well the
  /// measurement repeats. Empty for fewer than two runs.
  SmallVector<double> oddRoundsUs, evenRoundsUs;
};

/// The clock a @bench function reads around the work it times, so that it
/// returns the microseconds of that work alone: setting its inputs up, which
/// is the same for every variant a benchmark compares, stays outside. Its
/// module prints printBenchFunctionStart (the clock's declarations and
/// @bench's signature), its body printStartClock after the set-up and
/// printStopClockAndReturn after the work. The stop takes an f32 the work
/// computed, which keeps the work live and done before the clock stops.
/// compileBenchModule provides both functions.
inline constexpr const char *kStartClock = "tilecast_bench_start_us";
inline constexpr const char *kStopClock = "tilecast_bench_stop_us";

/// The clock's declarations and the opening line of `func.func @bench() ->
/// f64`, which timeInTurns calls.
void printBenchFunctionStart(raw_ostream &os);

/// `%clock_start = func.call @tilecast_bench_start_us()`: @bench's SSA names
/// %clock_start, %clock_stop and %clock_us are the clock's.
void printStartClock(raw_ostream &os);

/// Stops the clock with `value` (an f32 SSA value of the timed work, e.g.
/// "%v"), returns the microseconds since printStartClock and closes the
/// function: @bench's signature is `() -> f64`.
void printStopClockAndReturn(raw_ostream &os, StringRef value);

/// Times `runs` runs of every engine's @bench, a function without arguments
/// that returns the microseconds of its timed region (printBenchFunctionStart).
/// After one warm-up run each, the runs are taken in rounds that run every
/// engine once, each round in a new (seeded) order: a slow spell of a shared
/// machine, or the state one run leaves for the next, then falls on all of
/// them alike instead of on whichever was being timed or came next. On a shared
/// machine interference only adds time, so the fastest run is the least
/// disturbed one. Returns once no thread of the async runtime runs the engines'
/// code any more: the engines can then be destroyed. On failure they may still
/// be running and must be kept (released, not destroyed).
FailureOr<TurnTimes> timeInTurns(ArrayRef<ExecutionEngine *> engines, int runs);

} // namespace mlir::tilecast::bench

#endif // TILECAST_TOOLS_BENCH_JITRUNNER_H
