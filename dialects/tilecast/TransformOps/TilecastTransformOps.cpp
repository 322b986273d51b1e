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
  if (!(*costModel)->pricesTiles())
    return emitDefiniteFailure()
           << "the " << getModel()
           << " model has no notion of tiles; use \"analytical\" or \"hybrid\"";
  SmallVector<Operation *> payloads =
      llvm::to_vector(state.getPayloadOps(getTarget()));

  // Every check and decision comes before the first change, so that a
  // failure leaves the payload as it was and can be recovered from.
  for (Operation *payload : payloads) {
    if (const char *reason = getNotTiledByCostReason(payload)) {
      DiagnosedSilenceableFailure diag = emitSilenceableError() << reason;
      diag.attachNote(payload->getLoc()) << "payload op";
      return diag;
    }
    for (Operation *other : payloads) {
      if (!other->isProperAncestor(payload))
        continue;
      DiagnosedSilenceableFailure diag =
          emitSilenceableError()
          << "cannot tile a payload op nested in another one: tiling the "
             "outer op would clone or erase it";
      diag.attachNote(payload->getLoc()) << "nested payload op";
      diag.attachNote(other->getLoc()) << "enclosing payload op";
      return diag;
    }
  }
  // A 0-d op (on scalars as rank-0 tensors) has no loop to tile: null. As
  // in tilecast-select-tile-sizes, it must not carry a decision, which
  // would never be applied.
  SmallVector<TileDecisionAttr> decisions;
  for (Operation *payload : payloads) {
    if (cast<TilingInterface>(payload).getLoopIteratorTypes().empty()) {
      if (payload->hasAttr(TilecastDialect::kTileDecisionAttrName)) {
        DiagnosedSilenceableFailure diag =
            emitSilenceableError() << "a tilecast.tile_decision on an op that "
                                      "is not tiled by cost: a 0-d op has no "
                                      "loop to tile";
        diag.attachNote(payload->getLoc()) << "payload op";
        return diag;
      }
      decisions.push_back(nullptr);
      continue;
    }
    // The cost library reports why it cannot decide at the payload op;
    // those diagnostics become notes of this op's silenceable failure.
    SmallVector<Diagnostic> reasons;
    FailureOr<TileDecisionAttr> decision = failure();
    {
      ScopedDiagnosticHandler capture(getContext(), [&](Diagnostic &diag) {
        reasons.push_back(std::move(diag));
        return success();
      });
      decision = decideTileSizes(payload, **costModel);
    }
    if (failed(decision)) {
      DiagnosedSilenceableFailure diag =
          emitSilenceableError() << "cannot decide the tile sizes of a "
                                    "payload op";
      for (Diagnostic &reason : reasons) {
        diag.attachNote(reason.getLocation()) << reason.str();
        for (Diagnostic &note : reason.getNotes())
          diag.attachNote(note.getLocation()) << note.str();
      }
      return diag;
    }
    decisions.push_back(*decision);
  }

  SmallVector<Operation *> tiledOps, loops;
  for (auto [payload, decision] : llvm::zip_equal(payloads, decisions)) {
    if (!decision) {
      tiledOps.push_back(payload);
      continue;
    }
    recordTileDecision(rewriter, payload, decision);
    FailureOr<TileByCostResult> tiled =
        tileWithSizes(rewriter, cast<TilingInterface>(payload),
                      decision.getTile(),
                      getParallel() ? LoopNest::ForallOverParallel
                                    : LoopNest::For);
    if (failed(tiled))
      return DiagnosedSilenceableFailure::definiteFailure();
    // The last tiled op computes the tile that replaces the payload's
    // results (scf::SCFTilingResult).
    tiledOps.push_back(tiled->tiledOps.back());
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
