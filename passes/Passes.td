//===- Passes.td - TileCast passes ------------------------*- tablegen -*-===//

#ifndef TILECAST_PASSES_TD
#define TILECAST_PASSES_TD

include "mlir/Pass/PassBase.td"

def TilecastAnnotateTargetPass
    : Pass<"tilecast-annotate-target", "::mlir::ModuleOp"> {
  let summary = "Attach a hardware target to a module";
  let description = [{
    Looks `target` up in the built-in target database (by id or alias, see
    `tilecast-predict --list-targets`) or loads it from a spec file path, and
    attaches it to the module as `tilecast.target`. Every op in the module
    inherits it; an op or function with a `tilecast.target` of its own
    overrides it for the ops it contains.

    ```mlir
    // tilecast-opt --tilecast-annotate-target=target=t4
    module attributes {tilecast.target = #tilecast.target<"t4", kind = gpu, ...>}
    ```
  }];
  let options = [
    Option<"target", "target", "std::string", /*default=*/"",
           "Target id, alias, or path of a tilecast.target.v1 spec file">,
  ];
  let dependentDialects = ["::mlir::tilecast::TilecastDialect"];
}

def TilecastEstimateCostPass
    : Pass<"tilecast-estimate-cost", "::mlir::ModuleOp"> {
  let summary = "Attach cost estimates to every op that runs a kernel";
  let description = [{
    For every op that implements `WorkloadOpInterface` (all structured linalg
    ops, `linalg.softmax`, and tensor data movement), derives its workload,
    asks the cost model for its cost on the target in scope, and attaches
    `tilecast.cost`. With `tile-sizes`, ops with one loop per size also get
    `tilecast.tile_cost`.

    A fill that only initialises an accumulator is folded into its consumer
    and gets no cost of its own. Ops that compute on tensors but have no
    model get a remark and are counted in the `ops-skipped` statistic; ops
    with dynamic shapes or types the target cannot compute in are errors.
  }];
  let options = [
    Option<"model", "model", "std::string", /*default=*/"\"analytical\"",
           "Cost model: analytical or roofline">,
    ListOption<"tileSizes", "tile-sizes", "int64_t",
               "Also estimate each op tiled with these sizes (one per loop, "
               "0 = untiled)">,
  ];
  let statistics = [
    Statistic<"numOpsCosted", "ops-costed", "Ops given a cost">,
    Statistic<"numOpsSkipped", "ops-skipped",
              "Ops that compute on tensors but have no cost model">,
    Statistic<"numOpsFolded", "ops-folded",
              "Ops folded into their consumers' kernels">,
    Statistic<"numTileCosts", "tile-costs", "Tile costs attached">,
    Statistic<"totalPredictedNs", "total-predicted-ns",
              "Sum of the predicted latencies, in nanoseconds">,
  ];
  let dependentDialects = ["::mlir::tilecast::TilecastDialect"];
}

#endif // TILECAST_PASSES_TD
