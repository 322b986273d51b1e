//===- SelectTileSizes.cpp - tilecast-select-tile-sizes -------------------===//

#include "passes/Passes.h"

#include "dialects/tilecast/TilecastAttrs.h"
#include "tilecast/Cost/TileSelection.h"
#include "tilecast/Cost/WorkloadOpInterface.h"
#include "tilecast/Target/TargetSpec.h"

#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
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

private:
  /// Decides (or checks the existing decision of) `op`; returns the sizes.
  FailureOr<SmallVector<int64_t>> decide(Operation *op,
                                         const CostModel &costModel);
  LogicalResult tile(TilingInterface op, ArrayRef<int64_t> sizes);
};
} // namespace

FailureOr<SmallVector<int64_t>>
TilecastSelectTileSizesPass::decide(Operation *op, const CostModel &costModel) {
  TargetAttr targetAttr = getTargetInScopeOrError(op);
  if (!targetAttr)
    return failure();
  TargetSpec target = getTargetSpec(targetAttr);
  FailureOr<OpWorkload> workload = cast<WorkloadOpInterface>(op).getWorkload();
  if (failed(workload))
    return failure();

  // A decision already in the IR is kept, after checking it is legal.
  if (auto existing = op->getAttrOfType<TileDecisionAttr>(
          TilecastDialect::kTileDecisionAttrName)) {
    auto emitAtOp = [&]() {
      return op->emitError("illegal tilecast.tile_decision: ");
    };
    if (failed(costModel.estimateTile(*workload, existing.getTile(), target,
                                      op->getLoc()))) {
      emitAtOp().attachNote() << "give one non-negative size per loop (0 "
                                 "leaves a loop untiled), or remove the "
                                 "attribute to let the pass choose";
      return failure();
    }
    return SmallVector<int64_t>(existing.getTile());
  }

  FailureOr<TileSelection> selection =
      selectTileSizes(*workload, target, costModel, op->getLoc());
  if (failed(selection))
    return failure();
  const TileCostEstimate &best = selection->best;
  const TileCostEstimate &runnerUp =
      selection->runnerUp.tileSizes.empty() ? best : selection->runnerUp;
  auto emitAtOp = [&] { return op->emitError("invalid tile decision: "); };
  TileDecisionAttr decision = TileDecisionAttr::getChecked(
      emitAtOp, &getContext(), ArrayRef<int64_t>(best.tileSizes),
      DoubleParam(best.latencyUs), ArrayRef<int64_t>(runnerUp.tileSizes),
      DoubleParam(runnerUp.latencyUs), selection->numCandidates,
      costModel.getName());
  if (!decision)
    return failure();
  op->setAttr(TilecastDialect::kTileDecisionAttrName, decision);
  return SmallVector<int64_t>(ArrayRef<int64_t>(best.tileSizes));
}

LogicalResult TilecastSelectTileSizesPass::tile(TilingInterface op,
                                                ArrayRef<int64_t> sizes) {
  if (llvm::all_of(sizes, [](int64_t size) { return size == 0; }))
    return success();
  IRRewriter rewriter(&getContext());
  rewriter.setInsertionPoint(op);
  scf::SCFTilingOptions options;
  options.setTileSizes(getAsIndexOpFoldResult(&getContext(), sizes));
  FailureOr<scf::SCFTilingResult> tiled =
      scf::tileUsingSCF(rewriter, op, options);
  if (failed(tiled))
    return op->emitError("tiling with the decided sizes failed");
  Attribute decision = op->getAttr(TilecastDialect::kTileDecisionAttrName);
  for (Operation *tiledOp : tiled->tiledOps)
    tiledOp->setAttr(TilecastDialect::kTileDecisionAttrName, decision);
  rewriter.replaceOp(op, tiled->replacements);
  return success();
}

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
    FailureOr<SmallVector<int64_t>> sizes = decide(op, **costModel);
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
  for (auto &[op, sizes] : decisions)
    if (failed(tile(op, sizes)))
      return signalPassFailure();
}
