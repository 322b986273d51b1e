//===- AnnotateTarget.cpp - tilecast-annotate-target ----------------------===//

#include "passes/Passes.h"

#include "dialects/tilecast/TilecastAttrs.h"
#include "tilecast/Target/TargetSpec.h"

#include "llvm/ADT/StringExtras.h"

namespace mlir::tilecast {
#define GEN_PASS_DEF_TILECASTANNOTATETARGETPASS
#include "passes/Passes.h.inc"
} // namespace mlir::tilecast

using namespace mlir;
using namespace mlir::tilecast;

namespace {
struct TilecastAnnotateTargetPass
    : public tilecast::impl::TilecastAnnotateTargetPassBase<
          TilecastAnnotateTargetPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (target.empty()) {
      InFlightDiagnostic diag =
          emitError(module.getLoc(), "tilecast-annotate-target needs a target");
      diag.attachNote() << "pass target=NAME, one of "
                        << llvm::join(getBuiltinTargetIds(), ", ")
                        << ", or target=path/to/spec.json";
      return signalPassFailure();
    }
    FailureOr<TargetSpec> spec = lookupTarget(target, module.getLoc());
    if (failed(spec))
      return signalPassFailure();
    TargetAttr previous =
        module->getAttrOfType<TargetAttr>(TilecastDialect::kTargetAttrName);
    TargetAttr replacement = getTargetAttr(&getContext(), *spec);
    // Estimates and decisions made for another target are stale on the ops
    // it covered: dropped, so that the passes decide again rather than keep
    // numbers of the wrong hardware. An op with a target of its own keeps
    // it, and so do the ops inside it.
    if (previous && previous != replacement)
      module.walk<WalkOrder::PreOrder>([&](Operation *op) {
        if (op != module && op->hasAttr(TilecastDialect::kTargetAttrName))
          return WalkResult::skip();
        for (StringRef name : {TilecastDialect::kCostAttrName,
                               TilecastDialect::kTileCostAttrName,
                               TilecastDialect::kTileDecisionAttrName,
                               TilecastDialect::kFusionAttrName})
          op->removeAttr(name);
        return WalkResult::advance();
      });
    module->setAttr(TilecastDialect::kTargetAttrName, replacement);
    // Only discardable attributes changed: no analysis is invalidated.
    markAllAnalysesPreserved();
  }
};
} // namespace
