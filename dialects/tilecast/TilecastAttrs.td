//===- TilecastAttrs.td - TileCast attributes -------------*- tablegen -*-===//

#ifndef TILECAST_ATTRS_TD
#define TILECAST_ATTRS_TD

include "TilecastDialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"
include "mlir/IR/EnumAttr.td"

//===----------------------------------------------------------------------===//
// Enums
//===----------------------------------------------------------------------===//

def Tilecast_BoundCompute : I32EnumAttrCase<"compute", 0>;
def Tilecast_BoundMemory : I32EnumAttrCase<"memory", 1>;
def Tilecast_BoundOverhead : I32EnumAttrCase<"overhead", 2>;
def Tilecast_Bound : I32EnumAttr<"Bound",
    "the resource that limits an op's execution time",
    [Tilecast_BoundCompute, Tilecast_BoundMemory, Tilecast_BoundOverhead]> {
  let cppNamespace = "::mlir::tilecast";
  let genSpecializedAttr = 0;
}

def Tilecast_SourceAnalytical : I32EnumAttrCase<"analytical", 0>;
def Tilecast_SourceLearned : I32EnumAttrCase<"learned", 1>;
def Tilecast_SourceHybrid : I32EnumAttrCase<"hybrid", 2>;
// A latency measured on the same target for a kernel of the same shape, in
// place of a model's (tilecast-bench e2e --measured-gemms).
def Tilecast_SourceMeasured : I32EnumAttrCase<"measured", 3>;
def Tilecast_Source : I32EnumAttr<"Source",
    "the cost model that produced an estimate, or a measurement",
    [Tilecast_SourceAnalytical, Tilecast_SourceLearned, Tilecast_SourceHybrid,
     Tilecast_SourceMeasured]> {
  let cppNamespace = "::mlir::tilecast";
  let genSpecializedAttr = 0;
}

def Tilecast_KernelElementwise : I32EnumAttrCase<"elementwise", 0>;
def Tilecast_KernelReduction : I32EnumAttrCase<"reduction", 1>;
def Tilecast_KernelSoftmax : I32EnumAttrCase<"softmax", 2>;
def Tilecast_KernelLayerNorm : I32EnumAttrCase<"layernorm", 3>;
def Tilecast_KernelContraction : I32EnumAttrCase<"contraction", 4>;
def Tilecast_KernelKind : I32EnumAttr<"KernelKind",
    "the kind of kernel a group of ops runs as",
    [Tilecast_KernelElementwise, Tilecast_KernelReduction,
     Tilecast_KernelSoftmax, Tilecast_KernelLayerNorm,
     Tilecast_KernelContraction]> {
  let cppNamespace = "::mlir::tilecast";
  let genSpecializedAttr = 0;
}

def Tilecast_KindGpu : I32EnumAttrCase<"gpu", 0>;
def Tilecast_KindCpu : I32EnumAttrCase<"cpu", 1>;
def Tilecast_TargetKind : I32EnumAttr<"TargetKind",
    "the kind of processor a target describes",
    [Tilecast_KindGpu, Tilecast_KindCpu]> {
  let cppNamespace = "::mlir::tilecast";
  let genSpecializedAttr = 0;
}

//===----------------------------------------------------------------------===//
// Parameters
//===----------------------------------------------------------------------===//

/// A finite double, printed so that it round-trips exactly.
def Tilecast_DoubleParameter
    : AttrOrTypeParameter<"::mlir::tilecast::DoubleParam", "a double"> {
  let parser = "::mlir::tilecast::parseDoubleParam($_parser)";
  let printer = "::mlir::tilecast::printDoubleParam($_printer, $_self)";
}

/// A flag written `true` or `false` (MLIR's default bool parser also takes
/// integers, and answers `fuse = 2` with "integer value too large").
def Tilecast_BoolParameter : AttrOrTypeParameter<"bool", "true or false"> {
  let parser = "::mlir::tilecast::parseBoolParam($_parser)";
  let printer = "$_printer << ($_self ? \"true\" : \"false\")";
}

/// Tile sizes, printed in square brackets: `[128, 64, 0]`.
def Tilecast_TileSizesParameter
    : ArrayRefParameter<"int64_t", "tile sizes, one per loop"> {
  let parser = "::mlir::tilecast::parseTileSizes($_parser)";
  let printer = "::mlir::tilecast::printTileSizes($_printer, $_self)";
}

//===----------------------------------------------------------------------===//
// Attributes
//===----------------------------------------------------------------------===//

class Tilecast_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<Tilecast_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

def Tilecast_TargetAttr : Tilecast_Attr<"Target", "target"> {
  let summary = "The hardware an op is costed for";
  let description = [{
    The subset of a target spec (see `data/targets/*.json`) that the cost
    models read. `tilecast-annotate-target` attaches it to a module as
    `tilecast.target`; every op in the module inherits it.

    * `compute_units`: streaming multiprocessors (NVIDIA), compute units (AMD)
      or cores (CPU);
    * `lanes_per_unit`: FP32 lanes per unit, so that the FP32 vector peak is
      `compute_units * lanes_per_unit * 2 * clock`;
    * `lanes_shared_with_int32`: how many of those lanes share their datapath
      with INT32 (64 on Ampere GA10x and Ada SMs, 0 elsewhere); FP32 GEMM
      main loops cannot use them;
    * `peak_tflops`: dense peak throughput per element type in TFLOP/s
      (`f64`, `f32`, `tf32`, `f16`, `bf16`, `i8`, optionally `f32_matrix`).
      A type that is absent is not supported by the hardware.

    Example:

    ```mlir
    #tilecast.target<"t4", kind = gpu, compute_units = 40, lanes_per_unit = 64,
      lanes_shared_with_int32 = 0, clock_mhz = 1590.0, memory_bandwidth_gbps = 320.0, l2_cache_mib = 4.0,
      l1_cache_kib = 96.0, max_threads_per_unit = 1024, launch_overhead_us = 20.0,
      peak_tflops = {f16 = 65.0 : f64, f32 = 8.141 : f64}>
    ```
  }];
  let parameters = (ins
    StringRefParameter<"target id">:$name,
    EnumParameter<Tilecast_TargetKind>:$kind,
    "int64_t":$compute_units,
    "int64_t":$lanes_per_unit,
    "int64_t":$lanes_shared_with_int32,
    Tilecast_DoubleParameter:$clock_mhz,
    Tilecast_DoubleParameter:$memory_bandwidth_gbps,
    Tilecast_DoubleParameter:$l2_cache_mib,
    Tilecast_DoubleParameter:$l1_cache_kib,
    "int64_t":$max_threads_per_unit,
    Tilecast_DoubleParameter:$launch_overhead_us,
    "::mlir::DictionaryAttr":$peak_tflops
  );
  let assemblyFormat = [{
    `<` $name `,` struct($kind, $compute_units, $lanes_per_unit,
      $lanes_shared_with_int32, $clock_mhz,
      $memory_bandwidth_gbps, $l2_cache_mib, $l1_cache_kib, $max_threads_per_unit,
      $launch_overhead_us, $peak_tflops) `>`
  }];
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Returns the dense peak in TFLOP/s for `key` (e.g. "f32"), or failure if
    /// the target has no such path.
    ::mlir::FailureOr<double> getPeakTflops(::llvm::StringRef key) const;
  }];
}

def Tilecast_CostAttr : Tilecast_Attr<"Cost", "cost"> {
  let summary = "The estimated cost of one op";
  let description = [{
    Latency and its decomposition, in microseconds. `lower_us`/`upper_us` are
    the bounds of the model's prediction interval and must enclose
    `latency_us`. `compute_us` and `memory_us` are the times the op would take
    if it were limited by arithmetic or by memory traffic alone; `overhead_us`
    is the fixed per-kernel cost (launch, synchronisation). `bound` names the
    term that dominates and `source` the model that produced the estimate.
    `flops` counts arithmetic operations (a fused multiply-add is two) and
    `bytes` the minimum traffic to and from memory.

    ```mlir
    #tilecast.cost<latency_us = 12.5, lower_us = 11.0, upper_us = 14.5,
      compute_us = 10.0, memory_us = 4.0, overhead_us = 2.5,
      flops = 1073741824, bytes = 12582912, bound = compute, source = analytical>
    ```
  }];
  let parameters = (ins
    Tilecast_DoubleParameter:$latency_us,
    Tilecast_DoubleParameter:$lower_us,
    Tilecast_DoubleParameter:$upper_us,
    Tilecast_DoubleParameter:$compute_us,
    Tilecast_DoubleParameter:$memory_us,
    Tilecast_DoubleParameter:$overhead_us,
    "int64_t":$flops,
    "int64_t":$bytes,
    EnumParameter<Tilecast_Bound>:$bound,
    EnumParameter<Tilecast_Source>:$source
  );
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

def Tilecast_TileCostAttr : Tilecast_Attr<"TileCost", "tile_cost"> {
  let summary = "The estimated cost of one op tiled with given tile sizes";
  let description = [{
    `tile` holds one size per loop of the op's iteration domain (0 leaves the
    loop untiled, as in upstream tiling). The op runs as `num_tiles` tiles in
    `waves` rounds over the target's compute units; one tile takes
    `tile_latency_us` and the whole op `latency_us` (waves, plus the fixed
    overhead). `bound` is the resource that limits one tile.

    ```mlir
    #tilecast.tile_cost<tile = [128, 64, 0], num_tiles = 64, waves = 1,
      tile_latency_us = 3.0, latency_us = 5.5, bound = compute>
    ```
  }];
  let parameters = (ins
    Tilecast_TileSizesParameter:$tile,
    "int64_t":$num_tiles,
    "int64_t":$waves,
    Tilecast_DoubleParameter:$tile_latency_us,
    Tilecast_DoubleParameter:$latency_us,
    EnumParameter<Tilecast_Bound>:$bound
  );
  let assemblyFormat = [{
    `<` struct($tile, $num_tiles, $waves, $tile_latency_us, $latency_us, $bound) `>`
  }];
  let genVerifyDecl = 1;
}

def Tilecast_TileDecisionAttr : Tilecast_Attr<"TileDecision", "tile_decision"> {
  let summary = "Tile sizes chosen for an op, with the evidence";
  let description = [{
    Written by `tilecast-select-tile-sizes`: the tile sizes the cost model
    ranked fastest among `candidates` legal candidates, their predicted
    latency, the runner-up and its latency, and the model that ranked them.
    Like IREE's `lowering_config` it can be read, or replaced by hand or by an
    outside search before the pass runs again (`apply=true` tiles with the
    sizes it finds).

    ```mlir
    #tilecast.tile_decision<tile = [64, 128, 0], latency_us = 61.2,
      runner_up = [128, 64, 0], runner_up_latency_us = 63.9, candidates = 42,
      model = "analytical">
    ```
  }];
  let parameters = (ins
    Tilecast_TileSizesParameter:$tile,
    Tilecast_DoubleParameter:$latency_us,
    Tilecast_TileSizesParameter:$runner_up,
    Tilecast_DoubleParameter:$runner_up_latency_us,
    "int64_t":$candidates,
    StringRefParameter<"the cost model">:$model
  );
  let assemblyFormat = [{
    `<` struct($tile, $latency_us, $runner_up, $runner_up_latency_us,
      $candidates, $model) `>`
  }];
  let genVerifyDecl = 1;
}

def Tilecast_FusionAttr : Tilecast_Attr<"Fusion", "fusion"> {
  let summary = "A fuse-or-not decision for a producer/consumer pair";
  let description = [{
    Written by `tilecast-fusion-advisor` on a producer whose only use is
    operand `operand` of its consumer: whether fusing the producer into the
    consumer is predicted to pay, with the evidence: the predicted time of
    the two kernels apart (`unfused_us`) and of the one fused kernel
    (`fused_us`), and `saving_us`, their difference.

    ```mlir
    #tilecast.fusion<operand = 0, unfused_us = 81.96, fused_us = 43.66,
      saving_us = 38.3, fuse = true>
    ```
  }];
  let parameters = (ins
    "int64_t":$operand,
    Tilecast_DoubleParameter:$unfused_us,
    Tilecast_DoubleParameter:$fused_us,
    Tilecast_DoubleParameter:$saving_us,
    Tilecast_BoolParameter:$fuse
  );
  let assemblyFormat = [{
    `<` struct($operand, $unfused_us, $fused_us, $saving_us, $fuse) `>`
  }];
  let genVerifyDecl = 1;
}

def Tilecast_KernelAttr : Tilecast_Attr<"Kernel", "kernel"> {
  let summary = "Membership of an op in a group that runs as one kernel";
  let description = [{
    Ops of one block that carry a `#tilecast.kernel` with the same `group`
    name, and pass values one to another (directly or through reshapes and
    casts), run as one kernel: a layer norm written as several
    `linalg.generic` ops is one PyTorch layer-norm kernel, a GEMM with a bias
    epilogue is one cuBLAS call, a fused element-wise chain is one kernel.
    Copies of a group that do not pass values to one another (an inlined or
    unrolled block's) are kernels of their own. The cost library prices the
    group once (`lib/Cost/KernelGroup.cpp`): the members' FLOPs summed, the
    bytes of the tensors that enter or leave the group, one launch overhead,
    and the kernel's `kind`. The group's cost is recorded on its last member;
    the others are folded into it. Only ops with destination operands
    (linalg ops, `linalg.softmax`) can be members.

    ```mlir
    %y = linalg.generic {..., tilecast.kernel = #tilecast.kernel<"ln_1", layernorm>} ...
    ```
  }];
  let parameters = (ins
    StringRefParameter<"the group's name">:$group,
    EnumParameter<Tilecast_KernelKind>:$kind
  );
  let assemblyFormat = "`<` $group `,` $kind `>`";
  let genVerifyDecl = 1;
}

#endif // TILECAST_ATTRS_TD
