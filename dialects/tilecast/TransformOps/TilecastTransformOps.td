//===- TilecastTransformOps.td - Transform ops of TileCast -*- tablegen -*-===//
//
// TileCast's extension of the transform dialect: cost-driven decisions that
// transform scripts can compose with upstream transforms.
//
//===----------------------------------------------------------------------===//

#ifndef TILECAST_TRANSFORMOPS_TILECASTTRANSFORMOPS_TD
#define TILECAST_TRANSFORMOPS_TILECASTTRANSFORMOPS_TD

include "mlir/Dialect/Transform/IR/TransformDialect.td"
include "mlir/Dialect/Transform/Interfaces/TransformInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/IR/OpBase.td"

def TileByCostOp : Op<Transform_Dialect, "tilecast.tile_by_cost",
    [DeclareOpInterfaceMethods<TransformOpInterface>,
     DeclareOpInterfaceMethods<MemoryEffectsOpInterface>,
     ReportTrackingListenerFailuresOpTrait]> {
  let summary = "Tile ops with the sizes TileCast's cost model picks";
  let description = [{
    For every payload op of `target`, chooses tile sizes exactly as
    `tilecast-select-tile-sizes` does (the legal candidates on the
    `#tilecast.target` in scope, ranked by `model`'s tile-level estimates),
    records the decision as `tilecast.tile_decision` (chosen sizes and
    predicted latency, runner-up and its latency, candidates, model) and tiles
    the op with those sizes through upstream `scf::tileUsingSCF`. An op that
    already carries a `tilecast.tile_decision` is tiled with its sizes, after
    checking that they are legal, so an outside search can override the
    choice. Sizes of 0 leave a loop whole; an op whose decision tiles nothing
    is left as it is.

    Results: `tiled_ops` holds the tiled op of every payload op (the op itself
    when nothing was tiled), in order; `loops` holds the outermost `scf.for`
    of each op that was tiled, for example to fuse producers into it.

    Consumes the `target` handle. A payload op that does not implement
    `TilingInterface` or that TileCast cannot cost is a silenceable failure;
    a missing target, a dynamic shape or an illegal decision is an error at
    the payload op.
  }];

  let arguments = (ins TransformHandleTypeInterface:$target,
                       DefaultValuedStrAttr<StrAttr, "analytical">:$model);
  let results = (outs TransformHandleTypeInterface:$tiled_ops,
                      TransformHandleTypeInterface:$loops);
  let assemblyFormat =
      "$target attr-dict `:` functional-type(operands, results)";
}

#endif // TILECAST_TRANSFORMOPS_TILECASTTRANSFORMOPS_TD
