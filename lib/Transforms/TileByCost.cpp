//===- TileByCost.cpp - Tile ops with the sizes the cost model picks ------===//

#include "tilecast/Transforms/TileByCost.h"

#include "dialects/tilecast/TilecastAttrs.h"
#include "dialects/tilecast/TilecastDialect.h"
#include "tilecast/Cost/AnalyticalModel.h"
#include "tilecast/Cost/KernelGroup.h"
#include "tilecast/Cost/TileSelection.h"
#include "tilecast/Cost/WorkloadOpInterface.h"
#include "tilecast/Target/TargetSpec.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Interfaces/ValueBoundsOpInterface.h"

using namespace mlir;
using namespace mlir::tilecast;

/// Checks the decision `op` already carries. Sizes no tiling of the op can
/// have are one error that says why and how to fix them; legal sizes that
/// the model still cannot price (an element type the target lacks) get the
/// model's own diagnostics.
static LogicalResult checkExistingDecision(Operation *op,
                                           TileDecisionAttr existing,
                                           const OpWorkload &workload,
                                           const TargetSpec &target,
                                           const CostModel &costModel) {
  std::string reason;
  LogicalResult legal = success();
  {
    ScopedDiagnosticHandler handler(op->getContext(), [&](Diagnostic &diag) {
      reason = diag.str();
      return success();
    });
    legal = verifyTileSizes(workload, existing.getTile(), op->getLoc());
  }
  if (failed(legal)) {
    InFlightDiagnostic diag = op->emitError("illegal tilecast.tile_decision: ")
                              << reason;
    diag.attachNote()
        << "give one non-negative size per loop (0 leaves a loop untiled), "
           "or remove the attribute to let TileCast choose";
    return failure();
  }
  return success(succeeded(costModel.estimateTile(workload, existing.getTile(),
                                                  target, op->getLoc())));
}

const char *tilecast::getNotTiledByCostReason(Operation *op) {
  if (!isa<TilingInterface>(op))
    return "only ops that implement TilingInterface can be tiled";
  switch (getKernelStatus(op)) {
  case KernelStatus::Costable:
    break;
  case KernelStatus::FoldedIntoConsumers:
    return "TileCast costs this op as part of its consumer's kernel; tile "
           "the consumer";
  case KernelStatus::NoKernel:
  case KernelStatus::Unsupported:
    return "TileCast has no cost model for this op";
  }
  if (getKernelAttr(op))
    return "the op belongs to a kernel group, priced as one kernel; tiling "
           "it alone would split the group";
  // Upstream tiling of tensor.pad needs one padding value for every index,
  // defined above the pad: the tiles' pads are built outside its region, so
  // a value defined in it (a constant not yet hoisted) would be left behind.
  if (auto pad = dyn_cast<tensor::PadOp>(op)) {
    Value padding = pad.getConstantPaddingValue();
    if (!padding)
      return "upstream tiling of tensor.pad needs a padding value that does "
             "not depend on the index";
    if (pad->isAncestor(padding.getParentRegion()->getParentOp()))
      return "upstream tiling of tensor.pad needs its padding value defined "
             "above the pad (-canonicalize hoists a constant out of its "
             "region)";
  }
  return nullptr;
}

/// The constant upper bound of dimension `dim` of `shaped`: its static size,
/// or for a dynamic one what its defining ops bound it by (the tile of a
/// partial tiling is at most the tile size: `affine.min(100 - i, 64)` rows).
/// Nullopt if unknown.
static std::optional<int64_t> getDimUpperBound(Value shaped, unsigned dim) {
  auto type = cast<ShapedType>(shaped.getType());
  if (!type.isDynamicDim(dim))
    return type.getDimSize(dim);
  FailureOr<int64_t> bound = ValueBoundsConstraintSet::computeConstantBound(
      presburger::BoundType::UB,
      ValueBoundsConstraintSet::Variable(shaped, dim),
      /*stopCondition=*/nullptr, /*closedUB=*/true);
  if (failed(bound))
    return std::nullopt;
  return *bound;
}

/// The largest number of iterations loop `loop` of tileable `op` may have.
/// A linalg op's loop spans an operand dimension; the other ops TileCast
/// tiles (linalg.softmax, tensor.pad, linalg.pack, linalg.unpack) iterate
/// over the leading dimensions of their result, loop i over dimension i. A
/// tile of a linalg.unpack, as upstream tiling builds it, unpacks whole
/// inner tiles of a slice of the packed source into a new tensor
/// (tensor.empty), more than its loops cover (so its result's sizes depend on
/// the loops: dynamic), and its one user extracts what they do: for such an
/// unpack, the dimensions of that slice. (Another unpack is no tile: a slice
/// of its result is not what it iterates over.) Nullopt if unknown.
static std::optional<int64_t> getLoopUpperBound(Operation *op, unsigned loop) {
  if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op)) {
    SmallVector<int64_t> ranges = linalgOp.getStaticLoopRanges();
    if (loop >= ranges.size())
      return std::nullopt;
    if (!ShapedType::isDynamic(ranges[loop]))
      return ranges[loop];
    Value operand;
    unsigned operandDim;
    if (failed(linalgOp.mapIterationSpaceDimToOperandDim(loop, operand,
                                                         operandDim)))
      return std::nullopt;
    return getDimUpperBound(operand, operandDim);
  }
  if (!isa<linalg::SoftmaxOp, tensor::PadOp, linalg::PackOp, linalg::UnPackOp>(
          op))
    return std::nullopt;
  Value result = op->getResult(0);
  if (auto unpack = dyn_cast<linalg::UnPackOp>(op);
      unpack && result.hasOneUse() &&
      !cast<ShapedType>(result.getType()).hasStaticShape() &&
      unpack.getSource().getDefiningOp<tensor::ExtractSliceOp>() &&
      unpack.getDest().getDefiningOp<tensor::EmptyOp>())
    if (auto slice = dyn_cast<tensor::ExtractSliceOp>(*result.user_begin());
        slice && slice.getType().getRank() == slice.getSourceType().getRank())
      result = slice.getResult();
  auto type = dyn_cast<RankedTensorType>(result.getType());
  if (!type || loop >= type.getRank())
    return std::nullopt;
  return getDimUpperBound(result, loop);
}

/// `sizes` with each size that covers its whole loop (at least the loop's
/// upper bound) replaced by 0: such a size tiles nothing but a loop of one
/// step.
static SmallVector<int64_t> dropCoveringSizes(Operation *op,
                                              ArrayRef<int64_t> sizes) {
  SmallVector<int64_t> result(sizes);
  for (auto [loop, size] : llvm::enumerate(result)) {
    std::optional<int64_t> bound = getLoopUpperBound(op, loop);
    if (bound && size >= *bound)
      size = 0;
  }
  return result;
}

/// Whether `op` is a tile of an op tiled by `decision` (whose tiles carry
/// it): every size of the decision covers its loop, so applying it again
/// changes nothing.
static bool isTiledBy(Operation *op, TileDecisionAttr decision) {
  ArrayRef<int64_t> tile = decision.getTile();
  auto tileable = dyn_cast<TilingInterface>(op);
  return tileable && tile.size() == tileable.getLoopIteratorTypes().size() &&
         isUntiled(dropCoveringSizes(op, tile));
}

FailureOr<TileDecisionAttr>
tilecast::decideTileSizes(Operation *op, const CostModel &costModel) {
  TargetAttr targetAttr = getTargetInScopeOrError(op);
  if (!targetAttr)
    return failure();
  TargetSpec target = getTargetSpec(targetAttr);
  auto workloadOp = dyn_cast<WorkloadOpInterface>(op);
  if (!workloadOp) {
    op->emitError("TileCast has no cost model for this op");
    return failure();
  }
  auto existing = op->getAttrOfType<TileDecisionAttr>(
      TilecastDialect::kTileDecisionAttrName);
  // The tile of a partial tiling has dynamic sizes, which cannot be costed;
  // if it is already tiled by its decision there is nothing to decide.
  auto isDynamic = [](Type type) {
    auto shaped = dyn_cast<ShapedType>(type);
    return shaped && !shaped.hasStaticShape();
  };
  if (existing &&
      (llvm::any_of(op->getOperandTypes(), isDynamic) ||
       llvm::any_of(op->getResultTypes(), isDynamic)) &&
      isTiledBy(op, existing))
    return existing;
  FailureOr<OpWorkload> workload = workloadOp.getWorkload();
  if (failed(workload))
    return failure();

  if (existing) {
    if (failed(
            checkExistingDecision(op, existing, *workload, target, costModel)))
      return failure();
    return existing;
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
      emitAtOp, op->getContext(), ArrayRef<int64_t>(best.tileSizes),
      DoubleParam(best.latencyUs), ArrayRef<int64_t>(runnerUp.tileSizes),
      DoubleParam(runnerUp.latencyUs), selection->numCandidates,
      costModel.getName());
  if (!decision)
    return failure();
  return decision;
}

void tilecast::recordTileDecision(RewriterBase &rewriter, Operation *op,
                                  TileDecisionAttr decision) {
  if (op->getAttr(TilecastDialect::kTileDecisionAttrName) == decision)
    return;
  rewriter.modifyOpInPlace(op, [&] {
    op->setAttr(TilecastDialect::kTileDecisionAttrName, decision);
  });
}

/// Tiles `op` with `sizes` by one scf::tileUsingSCF call building loops of
/// `loopType`; the tiled ops carry the op's #tilecast.tile_decision, and not
/// its #tilecast.cost, #tilecast.tile_cost or #tilecast.fusion, which priced
/// the whole op (the upstream clones copy every attribute).
static FailureOr<scf::SCFTilingResult>
tileOnce(RewriterBase &rewriter, TilingInterface op, ArrayRef<int64_t> sizes,
         scf::SCFTilingOptions::LoopType loopType) {
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(op);
  scf::SCFTilingOptions options;
  options.setTileSizes(getAsIndexOpFoldResult(op->getContext(), sizes));
  options.setLoopType(loopType);
  FailureOr<scf::SCFTilingResult> tiled =
      scf::tileUsingSCF(rewriter, op, options);
  if (failed(tiled)) {
    op->emitError("tiling with the decided sizes failed");
    return failure();
  }
  for (Operation *tiledOp : tiled->tiledOps)
    rewriter.modifyOpInPlace(tiledOp, [&] {
      tiledOp->removeAttr(TilecastDialect::kCostAttrName);
      tiledOp->removeAttr(TilecastDialect::kTileCostAttrName);
      tiledOp->removeAttr(TilecastDialect::kFusionAttrName);
    });
  if (auto decision = op->getAttrOfType<TileDecisionAttr>(
          TilecastDialect::kTileDecisionAttrName))
    for (Operation *tiledOp : tiled->tiledOps)
      recordTileDecision(rewriter, tiledOp, decision);
  rewriter.replaceOp(op, tiled->replacements);
  return tiled;
}

FailureOr<TileByCostResult> tilecast::tileWithSizes(RewriterBase &rewriter,
                                                    TilingInterface op,
                                                    ArrayRef<int64_t> sizes,
                                                    LoopNest loopNest) {
  using LoopType = scf::SCFTilingOptions::LoopType;
  SmallVector<utils::IteratorType> iteratorTypes = op.getLoopIteratorTypes();
  if (sizes.size() != iteratorTypes.size())
    return op->emitError("expected ")
           << iteratorTypes.size() << " tile sizes, one per loop; got "
           << sizes.size();
  // A size that covers its loop tiles nothing but a loop of one step: it is
  // taken as whole. (The tiles of an op tiled by its decision carry that
  // decision, so applying it again leaves them as they are.)
  SmallVector<int64_t> covered = dropCoveringSizes(op, sizes);
  sizes = covered;
  TileByCostResult result;
  if (isUntiled(sizes)) {
    result.tiledOps.push_back(op);
    return result;
  }
  if (loopNest == LoopNest::For) {
    FailureOr<scf::SCFTilingResult> tiled =
        tileOnce(rewriter, op, sizes, LoopType::ForOp);
    if (failed(tiled))
      return failure();
    result.tiledOps = std::move(tiled->tiledOps);
    result.loops = std::move(tiled->loops);
    return result;
  }

  // The parallel loops' sizes first, into one scf.forall; then the tile it
  // computes is tiled along the reduction loops, into scf.for loops inside.
  // The first tiling replaces `op`: its location is kept for the errors.
  Location loc = op->getLoc();
  SmallVector<int64_t> parallelSizes(sizes), reductionSizes(sizes);
  for (auto [index, type] : llvm::enumerate(iteratorTypes)) {
    if (type == utils::IteratorType::parallel)
      reductionSizes[index] = 0;
    else
      parallelSizes[index] = 0;
  }
  result.tiledOps.push_back(op);
  for (auto [tile, loopType] :
       {std::pair{ArrayRef<int64_t>(parallelSizes), LoopType::ForallOp},
        std::pair{ArrayRef<int64_t>(reductionSizes), LoopType::ForOp}}) {
    if (isUntiled(tile))
      continue;
    if (result.tiledOps.size() != 1)
      return emitError(loc, "tiling the parallel loops gave ")
             << result.tiledOps.size() << " tiled ops; expected one";
    auto tileable = dyn_cast<TilingInterface>(result.tiledOps.front());
    if (!tileable)
      return emitError(
          loc, "the tile of the parallel loops cannot be tiled further");
    FailureOr<scf::SCFTilingResult> tiled =
        tileOnce(rewriter, tileable, tile, loopType);
    if (failed(tiled))
      return failure();
    result.tiledOps = std::move(tiled->tiledOps);
    llvm::append_range(result.loops, tiled->loops);
  }
  return result;
}
