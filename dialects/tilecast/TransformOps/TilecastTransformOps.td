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
    is left as it is. With `parallel`, the tiled parallel loops become one
    `scf.forall`, whose iterations may run on different cores, around one
    `scf.for` per tiled reduction loop (the loop nest of
    `tilecast-select-tile-sizes{apply=true parallel=true}`).

    Results: `tiled_ops` holds one op per payload op, in order: the op that
    computes one tile (the payload op itself when its decision tiles
    nothing, or when it is 0-d); `loops` holds the outermost loop (`scf.for`,
    or with `parallel` the `scf.forall` when a parallel loop is tiled) of
    each payload op that was tiled, in order, for example to fuse producers
    into it (so it has fewer entries than `tiled_ops` when some ops are left
    whole).

    Consumes the `target` handle. Every payload op is checked and decided
    before the first is changed, so a failure leaves the payload IR as it
    was; all failures are silenceable: a payload op that does not implement
    `TilingInterface`, that TileCast does not cost as a kernel of its own,
    that belongs to a kernel group, that upstream tiling cannot tile (a
    `tensor.pad` whose padding value depends on the index) or that is nested
    in another payload op, and one whose tile sizes cannot be decided (no
    `#tilecast.target` in scope, a dynamic shape, an illegal
    `tilecast.tile_decision`), with the cost library's reasons as notes at
    the payload op. An unknown `model` is an error, and so is a failure of
    upstream tiling itself, which may come after earlier payload ops were
    tiled.
  }];

  let arguments = (ins TransformHandleTypeInterface:$target,
                       DefaultValuedStrAttr<StrAttr, "analytical">:$model,
                       UnitAttr:$parallel);
  let results = (outs TransformHandleTypeInterface:$tiled_ops,
                      TransformHandleTypeInterface:$loops);
  let assemblyFormat =
      "$target attr-dict `:` functional-type(operands, results)";
}

#endif // TILECAST_TRANSFORMOPS_TILECASTTRANSFORMOPS_TD
