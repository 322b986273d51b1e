//===- FusionAdvisor.cpp - tilecast-fusion-advisor ------------------------===//

#include "passes/Passes.h"

#include "dialects/tilecast/TilecastAttrs.h"
#include "tilecast/Cost/Fusion.h"
#include "tilecast/Cost/WorkloadOpInterface.h"
#include "tilecast/Target/TargetSpec.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::tilecast {
#define GEN_PASS_DEF_TILECASTFUSIONADVISORPASS
#include "passes/Passes.h.inc"
} // namespace mlir::tilecast

using namespace mlir;
using namespace mlir::tilecast;

namespace {
/// A producer whose only use is one input operand of a consumer.
struct FusionCandidate {
  linalg::LinalgOp producer;
  OpOperand *operand;
};

struct TilecastFusionAdvisorPass
    : public tilecast::impl::TilecastFusionAdvisorPassBase<
          TilecastFusionAdvisorPass> {
  using Base::Base;

  void runOnOperation() override;

private:
  LogicalResult advise(const FusionCandidate &candidate,
                       const CostModel &costModel);
};
} // namespace

static bool isElementwise(const OpWorkload &w) {
  return w.kind == WorkloadKind::Elementwise;
}

static bool canHostFusion(const OpWorkload &w) {
  return w.kind == WorkloadKind::Elementwise ||
         w.kind == WorkloadKind::Contraction ||
         w.kind == WorkloadKind::Convolution;
}

/// The producers worth asking about: single-result linalg ops used only by
/// `consumer`'s input `operand`.
static SmallVector<FusionCandidate> findCandidates(ModuleOp module) {
  SmallVector<FusionCandidate> candidates;
  module.walk([&](linalg::LinalgOp consumer) {
    if (getKernelStatus(consumer) != KernelStatus::Costable)
      return;
    for (OpOperand *operand : consumer.getDpsInputOperands()) {
      auto producer = operand->get().getDefiningOp<linalg::LinalgOp>();
      if (producer && producer->getNumResults() == 1 && producer->hasOneUse() &&
          producer->getBlock() == consumer->getBlock() &&
          getKernelStatus(producer) == KernelStatus::Costable)
        candidates.push_back({producer, operand});
    }
  });
  return candidates;
}

LogicalResult
TilecastFusionAdvisorPass::advise(const FusionCandidate &candidate,
                                  const CostModel &costModel) {
  Operation *producer = candidate.producer;
  Operation *consumer = candidate.operand->getOwner();
  TargetAttr targetAttr = getTargetInScopeOrError(consumer);
  if (!targetAttr)
    return failure();
  FailureOr<OpWorkload> producerWork =
      cast<WorkloadOpInterface>(producer).getWorkload();
  FailureOr<OpWorkload> consumerWork =
      cast<WorkloadOpInterface>(consumer).getWorkload();
  if (failed(producerWork) || failed(consumerWork))
    return failure();
  if (!isElementwise(*producerWork) || !canHostFusion(*consumerWork))
    return success();

  auto shaped = cast<ShapedType>(candidate.operand->get().getType());
  int64_t intermediateBytes =
      shaped.getNumElements() *
      std::max<int64_t>(1, shaped.getElementTypeBitWidth() / 8);
  FailureOr<FusionEstimate> estimate =
      estimateFusion(*producerWork, *consumerWork, intermediateBytes,
                     getTargetSpec(targetAttr), costModel, consumer->getLoc());
  if (failed(estimate))
    return failure();
  auto emitAtOp = [&] {
    return producer->emitError("invalid fusion advice: ");
  };
  FusionAttr advice = FusionAttr::getChecked(
      emitAtOp, &getContext(),
      static_cast<int64_t>(candidate.operand->getOperandNumber()),
      DoubleParam(estimate->unfusedUs), DoubleParam(estimate->fusedUs),
      DoubleParam(estimate->getSavingUs()), estimate->isProfitable());
  if (!advice)
    return failure();
  producer->setAttr(TilecastDialect::kFusionAttrName, advice);
  return success();
}

void TilecastFusionAdvisorPass::runOnOperation() {
  ModuleOp module = getOperation();
  FailureOr<std::unique_ptr<CostModel>> costModel =
      createCostModel(model, module.getLoc());
  if (failed(costModel))
    return signalPassFailure();

  SmallVector<FusionCandidate> candidates = findCandidates(module);
  for (const FusionCandidate &candidate : candidates)
    if (failed(advise(candidate, **costModel)))
      return signalPassFailure();
  if (!apply) {
    markAllAnalysesPreserved();
    return;
  }

  // Fuse producer-first so chains collapse step by step.
  IRRewriter rewriter(&getContext());
  for (const FusionCandidate &candidate : candidates) {
    auto advice = candidate.producer->getAttrOfType<FusionAttr>(
        TilecastDialect::kFusionAttrName);
    if (!advice || !advice.getFuse() ||
        !linalg::areElementwiseOpsFusable(candidate.operand))
      continue;
    Operation *consumer = candidate.operand->getOwner();
    rewriter.setInsertionPoint(consumer);
    FailureOr<linalg::ElementwiseOpFusionResult> fused =
        linalg::fuseElementwiseOps(rewriter, candidate.operand);
    if (failed(fused))
      continue;
    fused->fusedOp->setAttr(TilecastDialect::kFusionAttrName, advice);
    for (auto [original, replacement] : fused->replacements)
      rewriter.replaceAllUsesWith(original, replacement);
    if (consumer->use_empty())
      rewriter.eraseOp(consumer);
    if (candidate.producer->use_empty())
      rewriter.eraseOp(candidate.producer);
  }
}
