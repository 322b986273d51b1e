//===- TileByCost.h - Tile ops with the sizes the cost model picks -*- C++ -*-===//
//
// The decision and the rewrite behind tilecast-select-tile-sizes and
// transform.tilecast.tile_by_cost: choose an op's tile sizes with the cost
// library (TileSelection.h), record why as #tilecast.tile_decision, and tile
// the op with those sizes through upstream scf::tileUsingSCF.
//
//===----------------------------------------------------------------------===//

#ifndef TILECAST_TRANSFORMS_TILEBYCOST_H
#define TILECAST_TRANSFORMS_TILEBYCOST_H

#include "tilecast/Cost/CostModel.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/LoopLikeInterface.h"
#include "mlir/Interfaces/TilingInterface.h"

namespace mlir::tilecast {

/// The tile sizes of `op` (one per loop, 0 = untiled), recorded on it as
/// #tilecast.tile_decision with the evidence: the best tiling ranked by
/// `costModel` on the target in scope, its predicted latency, the runner-up
/// and the number of candidates. A decision already on the op (from an
/// earlier run, by hand or from an outside search) is kept after checking
/// that its sizes are legal. Errors (no target in scope, an op that cannot
/// be costed, illegal sizes) are emitted at `op`.
FailureOr<SmallVector<int64_t>> decideTileSizes(Operation *op,
                                                const CostModel &costModel);

/// What tileWithSizes made of an op.
struct TileByCostResult {
  /// The ops computing one tile (the op itself when nothing was tiled).
  SmallVector<Operation *> tiledOps;
  /// The scf.for loops over the tiles, outermost first; empty when nothing
  /// was tiled.
  SmallVector<LoopLikeOpInterface> loops;
};

/// Tiles `op` with `sizes` (one per loop, 0 leaves a loop whole) through
/// scf::tileUsingSCF and replaces it by the loop nest; the tiled ops carry
/// the op's #tilecast.tile_decision. All-zero sizes leave `op` as it is.
FailureOr<TileByCostResult> tileWithSizes(RewriterBase &rewriter,
                                          TilingInterface op,
                                          ArrayRef<int64_t> sizes);

} // namespace mlir::tilecast

#endif // TILECAST_TRANSFORMS_TILEBYCOST_H
