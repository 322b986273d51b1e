//===- TilecastTransformOps.cpp - Transform ops of TileCast ---------------===//

#include "dialects/tilecast/TransformOps/TilecastTransformOps.h"

#include "dialects/tilecast/TilecastDialect.h"
#include "tilecast/Cost/CostModel.h"
#include "tilecast/Cost/WorkloadOpInterface.h"
#include "tilecast/Transforms/TileByCost.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Interfaces/TilingInterface.h"

using namespace mlir;
using namespace mlir::tilecast;

#define GET_OP_CLASSES
#include "dialects/tilecast/TransformOps/TilecastTransformOps.cpp.inc"

//===----------------------------------------------------------------------===//
// TileByCostOp
//===----------------------------------------------------------------------===//

DiagnosedSilenceableFailure
transform::TileByCostOp::apply(transform::TransformRewriter &rewriter,
                               transform::TransformResults &results,
                               transform::TransformState &state) {
  FailureOr<std::unique_ptr<CostModel>> costModel =
      createCostModel(getModel(), getLoc());
  if (failed(costModel))
    return DiagnosedSilenceableFailure::definiteFailure();

  SmallVector<Operation *> tiledOps, loops;
  for (Operation *payload : state.getPayloadOps(getTarget())) {
    auto tileable = dyn_cast<TilingInterface>(payload);
    KernelStatus status = getKernelStatus(payload);
    if (!tileable || status != KernelStatus::Costable) {
      DiagnosedSilenceableFailure diag = emitSilenceableError();
      if (!tileable)
        diag << "only ops that implement TilingInterface can be tiled";
      else if (status == KernelStatus::FoldedIntoConsumers)
        diag << "TileCast costs this op as part of its consumer's kernel; "
                "tile the consumer";
      else
        diag << "TileCast has no cost model for this op";
      diag.attachNote(payload->getLoc()) << "payload op";
      return diag;
    }
    // A 0-d op (on scalars as rank-0 tensors) has no loop to tile.
    if (tileable.getLoopIteratorTypes().empty()) {
      tiledOps.push_back(payload);
      continue;
    }
    FailureOr<SmallVector<int64_t>> sizes =
        decideTileSizes(payload, **costModel);
    if (failed(sizes))
      return DiagnosedSilenceableFailure::definiteFailure();
    FailureOr<TileByCostResult> tiled =
        tileWithSizes(rewriter, tileable, *sizes);
    if (failed(tiled))
      return DiagnosedSilenceableFailure::definiteFailure();
    llvm::append_range(tiledOps, tiled->tiledOps);
    if (!tiled->loops.empty())
      loops.push_back(tiled->loops.front());
  }
  results.set(cast<OpResult>(getTiledOps()), tiledOps);
  results.set(cast<OpResult>(getLoops()), loops);
  return DiagnosedSilenceableFailure::success();
}

void transform::TileByCostOp::getEffects(
    SmallVectorImpl<MemoryEffects::EffectInstance> &effects) {
  consumesHandle(getTargetMutable(), effects);
  producesHandle(getOperation()->getOpResults(), effects);
  modifiesPayload(effects);
}

//===----------------------------------------------------------------------===//
// Registration
//===----------------------------------------------------------------------===//

namespace {
class TilecastTransformDialectExtension
    : public transform::TransformDialectExtension<
          TilecastTransformDialectExtension> {
public:
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(
      TilecastTransformDialectExtension)

  using Base::Base;

  void init() {
    // The tiling creates loops, slices and index arithmetic; the decision
    // is a tilecast attribute.
    declareGeneratedDialect<affine::AffineDialect>();
    declareGeneratedDialect<arith::ArithDialect>();
    declareGeneratedDialect<scf::SCFDialect>();
    declareGeneratedDialect<tensor::TensorDialect>();
    declareGeneratedDialect<TilecastDialect>();
    registerTransformOps<
#define GET_OP_LIST
#include "dialects/tilecast/TransformOps/TilecastTransformOps.cpp.inc"
        >();
  }
};
} // namespace

void tilecast::registerTransformDialectExtension(DialectRegistry &registry) {
  registry.addExtensions<TilecastTransformDialectExtension>();
}
