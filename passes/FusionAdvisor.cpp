//===- FusionAdvisor.cpp - tilecast-fusion-advisor ------------------------===//

#include "passes/Passes.h"

#include "dialects/tilecast/TilecastAttrs.h"
#include "tilecast/Cost/Fusion.h"
#include "tilecast/Cost/KernelGroup.h"
#include "tilecast/Cost/WorkloadOpInterface.h"
#include "tilecast/Target/TargetSpec.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Linalg/Utils/Utils.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/SmallPtrSet.h"

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

  /// The dialects of Passes.td, and the cost and tiling interfaces on
  /// upstream ops, which upstream mlir-opt loading only the pass plugin
  /// does not register.
  void getDependentDialects(DialectRegistry &registry) const override {
    Base::getDependentDialects(registry);
    registerTilecastDialects(registry);
  }

  void runOnOperation() override;

private:
  LogicalResult advise(const FusionCandidate &candidate,
                       const CostModel &costModel);
  /// Fuses the element-wise pairs whose advice says so.
  void applyAdvice(ModuleOp module);
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

/// Whether `producer` may be fused into its user `consumer` at all: a
/// different op, earlier in the same block of a region with SSA dominance.
/// (In a graph region, such as a module's body, ops may use each other in a
/// cycle; fusing along one would read a value the fusion erases.)
static bool isOrderedPair(Operation *producer, Operation *consumer) {
  return producer != consumer && producer->getBlock() == consumer->getBlock() &&
         !mayBeGraphRegion(*consumer->getParentRegion()) &&
         producer->isBeforeInBlock(consumer);
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
      // Members of a kernel group already run fused, as the group.
      if (producer && producer->getNumResults() == 1 && producer->hasOneUse() &&
          isOrderedPair(producer, consumer) && !getKernelAttr(producer) &&
          !getKernelAttr(consumer) &&
          getKernelStatus(producer) == KernelStatus::Costable)
        candidates.push_back({producer, operand});
    }
  });
  return candidates;
}

/// The inputs `producer` and `consumer` both read element for element, such
/// as y in (x + y) * y, which the fused kernel reads once (upstream fusion's
/// cleanup merges the two operands): the same tensor value, read through the
/// same indexing map by both, a permutation of loop dimensions (each op's
/// workload counted the whole tensor), where the consumer reads the
/// intermediate through the map the producer writes it with (so the two
/// iteration spaces line up). Scalars, slices (maps with constants) and
/// diagonals (a loop used twice) are not shared reads. Adds them to
/// `traffic`, each value once.
static void getSharedInputs(linalg::LinalgOp producer,
                            linalg::LinalgOp consumer, OpOperand &intermediate,
                            FusionTraffic &traffic) {
  AffineMap producedWith =
      producer.getIndexingMapMatchingResult(cast<OpResult>(intermediate.get()));
  if (consumer.getMatchingIndexingMap(&intermediate) != producedWith)
    return;
  llvm::SmallDenseSet<Value> counted;
  for (OpOperand *consumerInput : consumer.getDpsInputOperands()) {
    Value value = consumerInput->get();
    auto tensor = dyn_cast<RankedTensorType>(value.getType());
    if (consumerInput == &intermediate || !tensor || counted.contains(value))
      continue;
    AffineMap consumerMap = consumer.getMatchingIndexingMap(consumerInput);
    bool shared = llvm::any_of(
        producer.getDpsInputOperands(), [&](OpOperand *producerInput) {
          return producerInput->get() == value &&
                 producer.getMatchingIndexingMap(producerInput) == consumerMap;
        });
    if (!shared ||
        !consumerMap.isProjectedPermutation(/*allowZeroInResults=*/false))
      continue;
    counted.insert(value);
    int64_t bytes = getStaticShapedBytes(tensor);
    if (bytes == 0)
      continue;
    ++traffic.sharedInputs;
    traffic.sharedInputBytes += bytes;
  }
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

  FusionTraffic traffic;
  // What the consumer reads of the intermediate (a slice of it reads less
  // than the producer writes).
  traffic.intermediateBytes = getAccessedBytes(*candidate.operand);
  getSharedInputs(cast<linalg::LinalgOp>(producer),
                  cast<linalg::LinalgOp>(consumer), *candidate.operand,
                  traffic);
  // Upstream fusion keeps the producer's result as a result of the fused op
  // (written) when the producer's payload reads its output operand or the
  // loop bounds need that operand (linalg::getPreservedProducerResults).
  auto producerOp = cast<linalg::LinalgOp>(producer);
  OpOperand *producerInit = producerOp.getDpsInitOperand(
      cast<OpResult>(candidate.operand->get()).getResultNumber());
  if (producerOp.payloadUsesValueFromOperand(producerInit) ||
      !producerOp.canOpOperandsBeDropped(producerInit))
    traffic.keptIntermediateBytes = getAccessedBytes(*producerInit);
  FailureOr<FusionEstimate> estimate =
      estimateFusion(*producerWork, *consumerWork, traffic,
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

/// Refuses fusion advice that involves a kernel group's member (advice
/// written by hand, or left from before the group was marked): the pass
/// advises no such pair, and fusing one would split the group, which is
/// priced as one kernel.
static LogicalResult verifyNoAdviceOnGroups(ModuleOp module) {
  WalkResult result = module.walk([](Operation *op) {
    if (!op->getAttrOfType<FusionAttr>(TilecastDialect::kFusionAttrName))
      return WalkResult::advance();
    Operation *member = op;
    if (!getKernelAttr(member) && op->hasOneUse())
      member = op->getUses().begin()->getOwner();
    KernelAttr group = getKernelAttr(member);
    if (!group)
      return WalkResult::advance();
    op->emitError("a tilecast.fusion on ")
        << (member == op ? "a member" : "the producer of a member")
        << " of kernel group '" << group.getGroup()
        << "': the group already runs as one kernel; remove the advice";
    return WalkResult::interrupt();
  });
  return failure(result.wasInterrupted());
}

void TilecastFusionAdvisorPass::runOnOperation() {
  ModuleOp module = getOperation();
  FailureOr<std::unique_ptr<CostModel>> costModel =
      createCostModel(model, module.getLoc());
  if (failed(costModel) || failed(verifyNoAdviceOnGroups(module)))
    return signalPassFailure();

  SmallVector<FusionCandidate> candidates = findCandidates(module);
  for (const FusionCandidate &candidate : candidates)
    if (failed(advise(candidate, **costModel)))
      return signalPassFailure();
  if (!apply) {
    markAllAnalysesPreserved();
    return;
  }

  applyAdvice(module);
}

/// `op`, a named element-wise linalg op (linalg.add, linalg.exp, ...),
/// rewritten as the linalg.generic upstream fusion takes, with its
/// discardable attributes (its advice, its kernel mark); other ops as they
/// are.
static Operation *generalizeElementwise(RewriterBase &rewriter, Operation *op) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  if (!linalgOp || isa<linalg::GenericOp>(op) ||
      !linalg::isElementwise(linalgOp))
    return op;
  SmallVector<NamedAttribute> attrs =
      llvm::to_vector(op->getDiscardableAttrs());
  rewriter.setInsertionPoint(op);
  FailureOr<linalg::GenericOp> generic =
      linalg::generalizeNamedOp(rewriter, linalgOp);
  if (failed(generic))
    return op;
  for (NamedAttribute attr : attrs)
    (*generic)->setDiscardableAttr(attr.getName(), attr.getValue());
  return *generic;
}

/// Whether `producer` and its user `consumer` are element-wise linalg ops
/// (every loop parallel) on tensors, the pairs applyAdvice fuses.
static bool isFusableElementwisePair(Operation *producer, Operation *consumer) {
  return llvm::all_of(
      ArrayRef<Operation *>{producer, consumer}, [](Operation *op) {
        auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
        return linalgOp && linalgOp.hasPureTensorSemantics() &&
               linalgOp.getNumLoops() == linalgOp.getNumParallelLoops();
      });
}

void TilecastFusionAdvisorPass::applyAdvice(ModuleOp module) {
  // One advised pair at a time, found in the IR as the last fusion left it:
  // fusing a pair replaces its consumer, which may be the next pair's
  // producer (a chain) or another advised producer's consumer. An op's
  // advice is about fusing it into its one user, whatever that user is now.
  IRRewriter rewriter(&getContext());
  llvm::SmallPtrSet<Operation *, 8> unfusable;
  while (true) {
    Operation *producer = nullptr;
    module.walk([&](Operation *op) {
      auto advice =
          op->getAttrOfType<FusionAttr>(TilecastDialect::kFusionAttrName);
      if (!advice || !advice.getFuse() || !op->hasOneUse() ||
          unfusable.contains(op) ||
          !isOrderedPair(op, op->getUses().begin()->getOwner()))
        return WalkResult::advance();
      producer = op;
      return WalkResult::interrupt();
    });
    if (!producer)
      return;
    // Only element-wise chains on tensors fuse here: a contraction or a
    // convolution would run the producer's payload at every step of its
    // reduction, not once per element as the advice priced it, and upstream
    // fuses ops on buffers not at all. Such pairs keep their advice, and
    // their ops stay as they are.
    if (!isFusableElementwisePair(producer,
                                  producer->getUses().begin()->getOwner())) {
      unfusable.insert(producer);
      continue;
    }
    // Named element-wise ops (linalg.add, ...) fuse as generics.
    producer = generalizeElementwise(rewriter, producer);
    Operation *consumer = generalizeElementwise(
        rewriter, producer->getUses().begin()->getOwner());
    OpOperand &use = *producer->getUses().begin();
    if (!linalg::areElementwiseOpsFusable(&use)) {
      unfusable.insert(producer);
      continue;
    }
    rewriter.setInsertionPoint(consumer);
    FailureOr<linalg::ElementwiseOpFusionResult> fused =
        linalg::fuseElementwiseOps(rewriter, &use);
    if (failed(fused)) {
      unfusable.insert(producer);
      continue;
    }
    // The fused op takes the consumer's place, and its advice about its own
    // user.
    if (auto advice = consumer->getAttrOfType<FusionAttr>(
            TilecastDialect::kFusionAttrName))
      fused->fusedOp->setAttr(TilecastDialect::kFusionAttrName, advice);
    else
      fused->fusedOp->removeAttr(TilecastDialect::kFusionAttrName);
    for (auto [original, replacement] : fused->replacements)
      rewriter.replaceAllUsesWith(original, replacement);
    // An erased op's address may be reused by a later fused op: no stale
    // entry may mark that one unfusable.
    for (Operation *op : {consumer, producer}) {
      if (!op->use_empty())
        continue;
      unfusable.erase(op);
      rewriter.eraseOp(op);
    }
  }
}
