//===- TileSelection.h - Choosing tile sizes by predicted cost --*- C++ -*-===//
//
// Enumerates the legal tilings of a workload on a target and ranks them with
// a cost model's tile-level estimates. tilecast-select-tile-sizes is a thin
// shell over it; autotuners can call it directly.
//
//===----------------------------------------------------------------------===//

#ifndef TILECAST_COST_TILESELECTION_H
#define TILECAST_COST_TILESELECTION_H

#include "tilecast/Cost/CostModel.h"

#include "mlir/IR/Visitors.h"

namespace mlir::tilecast {

/// The best tiling, the runner-up, and how many candidates were ranked.
struct TileSelection {
  TileCostEstimate best;
  /// Empty sizes when there was only one candidate.
  TileCostEstimate runnerUp;
  int64_t numCandidates = 0;
};

/// The legal tile sizes of each loop of `workload` on `target`: 0 (the whole
/// loop) and the powers of two from 8 to 256 that divide the loop (no partial
/// tiles). Loops that must stay whole keep only 0: the normalised dimension
/// of softmax/layernorm, reductions of row-wise ops, and, on GPUs, GEMM K
/// loops (a thread block loops over all of K). On CPUs the innermost loop's
/// tiles are multiples of the vector width.
SmallVector<SmallVector<int64_t>>
getTileSizeCandidates(const OpWorkload &workload, const TargetSpec &target);

/// Calls `fn` with every combination of the per-loop `candidates` (one size
/// per loop), the last loop varying fastest, until `fn` interrupts.
/// Returns whether the walk was interrupted.
bool walkTileCombinations(ArrayRef<SmallVector<int64_t>> candidates,
                          function_ref<WalkResult(ArrayRef<int64_t>)> fn);

/// Estimates every combination of the candidates (at most `maxCandidates`,
/// in a fixed order) whose working set fits the target's cache (per-core
/// share of the last-level cache on CPUs; on GPUs every block tile
/// qualifies) and returns them fastest first. Ties go to fewer tiles, then
/// to the lexicographically smaller sizes. Empty if none fits.
FailureOr<SmallVector<TileCostEstimate>>
rankTileSizes(const OpWorkload &workload, const TargetSpec &target,
              const CostModel &model, Location loc,
              int64_t maxCandidates = 4096);

/// The first two of rankTileSizes. When no tiling fits, the op stays whole:
/// the untiled estimate is the only candidate.
FailureOr<TileSelection> selectTileSizes(const OpWorkload &workload,
                                         const TargetSpec &target,
                                         const CostModel &model, Location loc,
                                         int64_t maxCandidates = 4096);

} // namespace mlir::tilecast

#endif // TILECAST_COST_TILESELECTION_H
