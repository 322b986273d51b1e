//===- EstimateCost.cpp - tilecast-estimate-cost --------------------------===//

#include "passes/Passes.h"

#include "dialects/tilecast/TilecastAttrs.h"
#include "tilecast/Cost/CostModel.h"
#include "tilecast/Cost/KernelGroup.h"
#include "tilecast/Cost/WorkloadOpInterface.h"
#include "tilecast/Target/TargetSpec.h"

#include "llvm/ADT/DenseMap.h"

#include <cmath>

namespace mlir::tilecast {
#define GEN_PASS_DEF_TILECASTESTIMATECOSTPASS
#include "passes/Passes.h.inc"
} // namespace mlir::tilecast

using namespace mlir;
using namespace mlir::tilecast;

static constexpr double kNsPerUs = 1e3;

namespace {
struct TilecastEstimateCostPass
    : public tilecast::impl::TilecastEstimateCostPassBase<
          TilecastEstimateCostPass> {
  using Base::Base;

  /// The dialects of Passes.td, and the cost and tiling interfaces on
  /// upstream ops, which upstream mlir-opt loading only the pass plugin
  /// does not register.
  void getDependentDialects(DialectRegistry &registry) const override {
    Base::getDependentDialects(registry);
    registerTilecastDialects(registry);
  }

  void runOnOperation() override;

private:
  /// The spec of the target in scope at `op`, or an error at `op`.
  const TargetSpec *getTarget(Operation *op);
  LogicalResult costOp(WorkloadOpInterface op, const CostModel &costModel);

  DenseMap<Attribute, TargetSpec> specs;
};
} // namespace

const TargetSpec *TilecastEstimateCostPass::getTarget(Operation *op) {
  TargetAttr target = getTargetInScopeOrError(op);
  if (!target)
    return nullptr;
  auto it = specs.find(target);
  if (it == specs.end())
    it = specs.try_emplace(target, getTargetSpec(target)).first;
  return &it->second;
}

LogicalResult TilecastEstimateCostPass::costOp(WorkloadOpInterface op,
                                               const CostModel &costModel) {
  const TargetSpec *target = getTarget(op);
  if (!target)
    return failure();
  // A kernel group's leader carries the whole group's cost.
  FailureOr<OpWorkload> workload = getKernelWorkload(op);
  if (failed(workload))
    return failure();
  FailureOr<CostEstimate> cost =
      costModel.estimate(*workload, *target, op->getLoc());
  if (failed(cost))
    return failure();
  auto emitAtOp = [&] { return op->emitError("invalid estimate: "); };
  // getChecked runs the attribute's verifier: a time that is not finite and
  // non-negative is reported here rather than attached. Target numbers are
  // range-checked where they are read, so this is the last line of defence.
  CostAttr costAttr = cost->toAttr(&getContext(), emitAtOp);
  if (!costAttr)
    return failure();
  op->setAttr(TilecastDialect::kCostAttrName, costAttr);
  // A stale tile cost from an earlier run would contradict this one.
  op->removeAttr(TilecastDialect::kTileCostAttrName);
  ++numOpsCosted;
  totalPredictedNs +=
      static_cast<uint64_t>(std::llround(cost->latencyUs * kNsPerUs));

  if (tileSizes.empty())
    return success();
  if (tileSizes.size() != workload->loopSizes.size()) {
    emitRemark(op->getLoc())
        << "no tile cost: tile-sizes gives " << tileSizes.size()
        << " sizes but the op has " << workload->loopSizes.size() << " loops";
    return success();
  }
  FailureOr<TileCostEstimate> tileCost =
      costModel.estimateTile(*workload, tileSizes, *target, op->getLoc());
  if (failed(tileCost))
    return failure();
  TileCostAttr tileCostAttr = tileCost->toAttr(&getContext(), emitAtOp);
  if (!tileCostAttr)
    return failure();
  op->setAttr(TilecastDialect::kTileCostAttrName, tileCostAttr);
  ++numTileCosts;
  return success();
}

void TilecastEstimateCostPass::runOnOperation() {
  ModuleOp module = getOperation();
  CostModelOptions modelOptions;
  modelOptions.modelFile = modelFile;
  modelOptions.coverage = coverage;
  FailureOr<std::unique_ptr<CostModel>> costModel =
      createCostModel(model, module.getLoc(), modelOptions);
  if (failed(costModel))
    return signalPassFailure();

  bool hadError = false;
  module.walk([&](Operation *op) {
    switch (getKernelStatus(op)) {
    case KernelStatus::Costable:
      hadError |= failed(costOp(cast<WorkloadOpInterface>(op), **costModel));
      break;
    case KernelStatus::FoldedIntoConsumers:
      op->removeAttr(TilecastDialect::kCostAttrName);
      ++numOpsFolded;
      break;
    case KernelStatus::Unsupported:
      emitRemark(op->getLoc()) << "no cost model for '" << op->getName()
                               << "'; it is left out of the totals";
      ++numOpsSkipped;
      break;
    case KernelStatus::NoKernel:
      break;
    }
  });
  if (hadError)
    return signalPassFailure();
  // Only discardable attributes were added: no analysis is invalidated.
  markAllAnalysesPreserved();
}
