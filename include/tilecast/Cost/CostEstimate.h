//===- CostEstimate.h - Results of the cost models -------------*- C++ -*-===//

#ifndef TILECAST_COST_COSTESTIMATE_H
#define TILECAST_COST_COSTESTIMATE_H

#include "dialects/tilecast/TilecastAttrs.h"

#include "llvm/ADT/SmallVector.h"

namespace mlir::tilecast {

/// The estimated cost of one op. Times are microseconds.
struct CostEstimate {
  double latencyUs = 0;
  /// Prediction interval of the model (see docs/cost-model.md).
  double lowerUs = 0;
  double upperUs = 0;
  /// Time if limited by arithmetic alone / by memory traffic alone.
  double computeUs = 0;
  double memoryUs = 0;
  /// Fixed per-kernel cost (launch, synchronisation).
  double overheadUs = 0;
  int64_t flops = 0;
  int64_t bytes = 0;
  Bound bound = Bound::compute;
  Source source = Source::analytical;

  /// The attribute form, verified: a non-finite or inconsistent estimate
  /// (from a degenerate target spec, say) is reported through `emitError`
  /// and gives null.
  CostAttr toAttr(MLIRContext *context,
                  function_ref<InFlightDiagnostic()> emitError) const;
  static CostEstimate fromAttr(CostAttr attr);
};

/// The estimated cost of one op tiled with given sizes.
struct TileCostEstimate {
  /// One size per loop of the iteration domain; 0 leaves a loop untiled.
  SmallVector<int64_t, 4> tileSizes;
  int64_t numTiles = 1;
  /// Rounds of tiles over the target's compute units.
  int64_t waves = 1;
  double tileLatencyUs = 0;
  /// Whole-op latency with this tiling, overhead included.
  double latencyUs = 0;
  /// The fixed launch overhead included in latencyUs.
  double overheadUs = 0;
  Bound bound = Bound::compute;

  /// The attribute form, verified like CostEstimate::toAttr.
  TileCostAttr toAttr(MLIRContext *context,
                      function_ref<InFlightDiagnostic()> emitError) const;
};

} // namespace mlir::tilecast

#endif // TILECAST_COST_COSTESTIMATE_H
