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

#include "dialects/tilecast/TilecastAttrs.h"
#include "tilecast/Cost/CostModel.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/LoopLikeInterface.h"
#include "mlir/Interfaces/TilingInterface.h"

namespace mlir::tilecast {

/// Why `op` is not tiled by cost, or null if it is: it does not implement
/// TilingInterface, TileCast does not cost it as a kernel of its own, or it
/// belongs to a kernel group (priced as one kernel: tiling one member would
/// split the group), or upstream tiling cannot tile it (a tensor.pad whose
/// padding value depends on the index). 0-d ops pass; they have no loop to
/// tile.
const char *getNotTiledByCostReason(Operation *op);

/// The tile decision for `op`, without changing it: the decision it already
/// carries (by hand, from an earlier run or from an outside search), after
/// checking that its sizes are legal; else the best tiling ranked by
/// `costModel` on the target in scope, with the evidence (its predicted
/// latency, the runner-up and the number of candidates). Errors (no target
/// in scope, an op that cannot be costed, illegal sizes) are emitted at `op`.
FailureOr<TileDecisionAttr> decideTileSizes(Operation *op,
                                            const CostModel &costModel);

/// Records `decision` on `op` as tilecast.tile_decision, through `rewriter`.
void recordTileDecision(RewriterBase &rewriter, Operation *op,
                        TileDecisionAttr decision);

/// What tileWithSizes made of an op.
struct TileByCostResult {
  /// The ops computing one tile (the op itself when nothing was tiled).
  SmallVector<Operation *> tiledOps;
  /// The loops over the tiles, outermost first: scf.for loops, or with
  /// LoopNest::ForallOverParallel the scf.forall and then the scf.for loops;
  /// empty when nothing was tiled.
  SmallVector<LoopLikeOpInterface> loops;
};

/// The loops tileWithSizes builds.
enum class LoopNest {
  /// One scf.for per tiled loop, in the op's loop order.
  For,
  /// One scf.forall over the tiled parallel loops, whose iterations may run
  /// on different cores, around one scf.for per tiled reduction loop.
  ForallOverParallel,
};

/// Tiles `op` with `sizes` (one per loop, 0 leaves a loop whole) through
/// scf::tileUsingSCF and replaces it by the loop nest `loopNest`; the tiled
/// ops carry the op's #tilecast.tile_decision. All-zero sizes leave `op` as
/// it is.
FailureOr<TileByCostResult> tileWithSizes(RewriterBase &rewriter,
                                          TilingInterface op,
                                          ArrayRef<int64_t> sizes,
                                          LoopNest loopNest = LoopNest::For);

} // namespace mlir::tilecast

#endif // TILECAST_TRANSFORMS_TILEBYCOST_H
