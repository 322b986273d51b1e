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
  SmallVector<std::pair<TilingInterface, SmallVector<int64_t>>> decisions;
  bool hadError = false;
  module.walk([&](TilingInterface op) {
    if (getKernelStatus(op) != KernelStatus::Costable)
      return;
    // A 0-d op (on scalars as rank-0 tensors) has no loop to tile.
    if (op.getLoopIteratorTypes().empty())
      return;
    FailureOr<SmallVector<int64_t>> sizes = decideTileSizes(op, **costModel);
    if (failed(sizes)) {
      hadError = true;
      return;
    }
    decisions.push_back({op, std::move(*sizes)});
  });
  if (hadError)
    return signalPassFailure();
  if (!apply) {
    markAllAnalysesPreserved();
    return;
  }
  IRRewriter rewriter(&getContext());
  for (auto &[op, sizes] : decisions)
    if (failed(tileWithSizes(rewriter, op, sizes)))
      return signalPassFailure();
}
