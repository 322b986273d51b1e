//===- SelectTileSizes.cpp - tilecast-select-tile-sizes -------------------===//

#include "passes/Passes.h"

#include "tilecast/Cost/WorkloadOpInterface.h"
#include "tilecast/Transforms/TileByCost.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/TilingInterface.h"

namespace mlir::tilecast {
#define GEN_PASS_DEF_TILECASTSELECTTILESIZESPASS
#include "passes/Passes.h.inc"
} // namespace mlir::tilecast

using namespace mlir;
using namespace mlir::tilecast;

namespace {
struct TilecastSelectTileSizesPass
    : public tilecast::impl::TilecastSelectTileSizesPassBase<
          TilecastSelectTileSizesPass> {
  using Base::Base;

  /// The dialects of Passes.td, and the cost and tiling interfaces on
  /// upstream ops, which upstream mlir-opt loading only the pass plugin
  /// does not register.
  void getDependentDialects(DialectRegistry &registry) const override {
    Base::getDependentDialects(registry);
    registerTilecastDialects(registry);
  }

  void runOnOperation() override;
};
} // namespace

void TilecastSelectTileSizesPass::runOnOperation() {
  ModuleOp module = getOperation();
  if (parallel && !apply) {
    module.emitError("tilecast-select-tile-sizes: parallel=true chooses the "
                     "loops that apply=true builds; it needs apply=true");
    return signalPassFailure();
  }
  FailureOr<std::unique_ptr<CostModel>> costModel =
      createCostModel(model, module.getLoc());
  if (failed(costModel))
    return signalPassFailure();
  if (!(*costModel)->pricesTiles()) {
    module.emitError("tilecast-select-tile-sizes: the ")
        << model << " model has no notion of tiles; use model=analytical or "
        << "model=hybrid";
    return signalPassFailure();
  }

  // Collect first: tiling rewrites the IR being walked.
  SmallVector<std::pair<TilingInterface, TileDecisionAttr>> decisions;
  bool hadError = false;
  auto decide = [&](TilingInterface op) {
    FailureOr<TileDecisionAttr> decision = decideTileSizes(op, **costModel);
    if (failed(decision))
      hadError = true;
    else
      decisions.push_back({op, *decision});
  };
  module.walk([&](Operation *op) {
    // Ops not tiled by cost get no decision, and must not carry one: it
    // would not be applied. A 0-d op (on scalars as rank-0 tensors) has no
    // loop to tile.
    const char *reason = getNotTiledByCostReason(op);
    if (!reason) {
      // Only TilingInterface ops are tiled by cost.
      auto tileable = cast<TilingInterface>(op);
      if (!tileable.getLoopIteratorTypes().empty())
        return decide(tileable);
      reason = "a 0-d op has no loop to tile";
    }
    if (op->hasAttr(TilecastDialect::kTileDecisionAttrName)) {
      op->emitError("a tilecast.tile_decision on an op that is not tiled by "
                    "cost: ")
          << reason;
      hadError = true;
    } else if (isa<TilingInterface>(op) &&
               getKernelStatus(op) == KernelStatus::Unsupported) {
      // A tileable op left as it is, for want of a cost model, says so (as
      // tilecast-estimate-cost does).
      emitRemark(op->getLoc())
          << "no cost model for '" << op->getName() << "'; its tile sizes "
          << "are not chosen";
    }
  });

  if (hadError)
    return signalPassFailure();
  IRRewriter rewriter(&getContext());
  for (auto &[op, decision] : decisions)
    recordTileDecision(rewriter, op, decision);
  if (!apply)
    return;
  for (auto &[op, decision] : decisions)
    if (failed(tileWithSizes(rewriter, op, decision.getTile(),
                             parallel ? LoopNest::ForallOverParallel
                                      : LoopNest::For)))
      return signalPassFailure();
}
