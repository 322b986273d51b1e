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

  void runOnOperation() override;
};
} // namespace

void TilecastSelectTileSizesPass::runOnOperation() {
  ModuleOp module = getOperation();
  FailureOr<std::unique_ptr<CostModel>> costModel =
      createCostModel(model, module.getLoc());
  if (failed(costModel))
    return signalPassFailure();

  // Collect first: tiling rewrites the IR being walked.
  SmallVector<std::pair<TilingInterface, TileDecisionAttr>> decisions;
  bool hadError = false;
  module.walk([&](TilingInterface op) {
    if (getKernelStatus(op) != KernelStatus::Costable)
      return;
    // A 0-d op (on scalars as rank-0 tensors) has no loop to tile.
    if (op.getLoopIteratorTypes().empty())
      return;
    FailureOr<TileDecisionAttr> decision = decideTileSizes(op, **costModel);
    if (failed(decision)) {
      hadError = true;
      return;
    }
    decisions.push_back({op, *decision});
  });
  if (hadError)
    return signalPassFailure();
  IRRewriter rewriter(&getContext());
  for (auto &[op, decision] : decisions)
    recordTileDecision(rewriter, op, decision);
  if (!apply)
    return;
  for (auto &[op, decision] : decisions)
    if (failed(tileWithSizes(rewriter, op, decision.getTile())))
      return signalPassFailure();
}
