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
    overrides it for the ops it contains. Replacing a different target drops
    what was estimated and decided for it on the ops it covered
    (`tilecast.cost`, `tilecast.tile_cost`, `tilecast.tile_decision`,
    `tilecast.fusion`), so that the passes run again for the new one.

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

    The default model, `hybrid`, is the analytical model with a learned
    correction and split-conformal intervals (docs/cost-model.md, section 5);
    `source` in each estimate says which model produced its latency.

    A fill that only initialises an accumulator is folded into its consumer
    and gets no cost of its own. Ops that compute on tensors but have no
    model get a remark and are counted in the `ops-skipped` statistic; ops
    with dynamic shapes or types the target cannot compute in are errors.
  }];
  let options = [
    Option<"model", "model", "std::string", /*default=*/"\"hybrid\"",
           "Cost model: hybrid, analytical or roofline">,
    Option<"modelFile", "model-file", "std::string", /*default=*/"\"\"",
           "Model file of the hybrid model (tilecast-train, "
           "tilecast-calibrate); default: the built-in one">,
    Option<"coverage", "coverage", "double", /*default=*/"0.9",
           "Coverage of the hybrid model's intervals (a level of its model "
           "file: 0.5, 0.8, 0.9 or 0.95 for the built-in one)">,
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

def TilecastSelectTileSizesPass
    : Pass<"tilecast-select-tile-sizes", "::mlir::ModuleOp"> {
  let summary = "Choose tile sizes by predicted cost and record why";
  let description = [{
    For every tileable op (TilingInterface) that TileCast can cost, enumerates
    the legal tilings on the target in scope (see `getTileSizeCandidates`:
    power-of-two sizes that divide each loop, whole reduction loops where the
    hardware needs them, vector-width multiples and a cache-capacity limit on
    CPUs), ranks them with the cost model's tile-level estimates and records
    the decision as `tilecast.tile_decision`: the chosen sizes and predicted
    latency, the runner-up and its latency, the number of candidates and the
    model. A tileable op without a cost model gets a remark instead.

    An op that already carries a `tilecast.tile_decision` (written by an
    earlier run, by hand, or by an outside search) keeps it; its sizes are
    checked and illegal ones are refused. With `apply=true` every op is tiled
    with its decision through upstream `scf::tileUsingSCF` (0 leaves a loop
    untiled): one `scf.for` per tiled loop, or with `parallel=true` one
    `scf.forall` over the tiled parallel loops, whose iterations may run on
    different cores, around one `scf.for` per tiled reduction loop. Transform
    scripts get the same decision and tiling, op by op,
    from `transform.tilecast.tile_by_cost`.

    The ranking prices the tiles of the parallel loops as spread over all the
    target's cores (a GPU's SMs, a CPU's cores), which is what the loops
    `parallel=true` builds do. The serial `scf.for` loops of plain
    `apply=true` run on one core unless a later pass parallelises them: to
    rank for such code on a CPU, annotate a target spec with one core
    (`tilecast-bench tiling --threads=1` does so).
  }];
  let options = [
    Option<"model", "model", "std::string", /*default=*/"\"analytical\"",
           "Cost model ranking the candidates: analytical or hybrid (the "
           "roofline model prices no tiles)">,
    Option<"apply", "apply", "bool", /*default=*/"false",
           "Tile the ops with the decided sizes (scf::tileUsingSCF)">,
    Option<"parallel", "parallel", "bool", /*default=*/"false",
           "With apply=true, tile the parallel loops with one scf.forall">,
  ];
  let dependentDialects = [
    "::mlir::tilecast::TilecastDialect", "::mlir::scf::SCFDialect",
    "::mlir::affine::AffineDialect", "::mlir::arith::ArithDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def TilecastFusionAdvisorPass
    : Pass<"tilecast-fusion-advisor", "::mlir::ModuleOp"> {
  let summary = "Predict whether fusing producers into consumers pays";
  let description = [{
    For every element-wise producer whose only use is an input of a costable
    linalg consumer (an element-wise op, a contraction or a convolution),
    predicts the two kernels apart and fused into one (the producer's inputs
    read instead of the intermediate, an input both ops read element for
    element read once, one launch; see
    `tilecast::getFusedWorkload`) and records `#tilecast.fusion` on the
    producer: the consumer's operand number, both times, the saving and the
    decision.

    With `apply=true`, element-wise chains on tensors with `fuse = true` are
    fused through upstream `linalg::fuseElementwiseOps`, pair by pair, so a
    chain of any length becomes one kernel (named element-wise ops are
    generalized to `linalg.generic` first); producers of contractions and
    convolutions, named or written as `linalg.generic`, keep only the advice
    (upstream fuses those through tiling), and their ops are left as they
    are.

    Only pairs in a region with SSA dominance (a function body, not a
    module's graph region, where ops may use each other in a cycle) with the
    producer before its consumer are advised, and members of a kernel group
    (`#tilecast.kernel`) are left alone: the group already runs as one
    kernel. Advice found on a member, or on the producer of one, is an
    error.
  }];
  let options = [
    Option<"model", "model", "std::string", /*default=*/"\"analytical\"",
           "Cost model: analytical, hybrid or roofline">,
    Option<"apply", "apply", "bool", /*default=*/"false",
           "Fuse the element-wise chains the advice favours">,
  ];
  let dependentDialects = ["::mlir::tilecast::TilecastDialect"];
}

#endif // TILECAST_PASSES_TD
