// RUN: tilecast-opt %s -split-input-file --pass-pipeline='builtin.module(tilecast-annotate-target{target=h100-sxm},transform-interpreter)' -verify-diagnostics

// Only TilingInterface ops can be tiled.
func.func @not_tileable(%x: tensor<8xf32>) -> tensor<8xf32> {
  // expected-note @below {{payload op}}
  %r = tensor.empty() : tensor<8xf32>
  return %r : tensor<8xf32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %op = transform.structured.match ops{["tensor.empty"]} in %root : (!transform.any_op) -> !transform.any_op
    // expected-error @below {{only ops that implement TilingInterface can be tiled}}
    %tiled, %loops = transform.tilecast.tile_by_cost %op : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    transform.yield
  }
}

// -----

// A dynamic shape has no cost, so no decision: the cost library's reasons are
// notes at the payload op.
func.func @dynamic(%a: tensor<?x64xf32>, %b: tensor<64x64xf32>, %c: tensor<?x64xf32>) -> tensor<?x64xf32> {
  // expected-note @below {{cannot cost an op with dynamic shapes}}
  // expected-note @below {{TileCast needs static shapes}}
  %r = linalg.matmul ins(%a, %b : tensor<?x64xf32>, tensor<64x64xf32>) outs(%c : tensor<?x64xf32>) -> tensor<?x64xf32>
  return %r : tensor<?x64xf32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %op = transform.structured.match ops{["linalg.matmul"]} in %root : (!transform.any_op) -> !transform.any_op
    // expected-error @below {{cannot decide the tile sizes of a payload op}}
    %tiled, %loops = transform.tilecast.tile_by_cost %op : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    transform.yield
  }
}

// -----

// An illegal decision already on the op is refused, not applied.
func.func @illegal_decision(%a: tensor<64x1024xf32>) -> tensor<64x1024xf32> {
  %e = tensor.empty() : tensor<64x1024xf32>
  // expected-note @+2 {{illegal tilecast.tile_decision: loop 1 is the normalised dimension of a softmax and cannot be tiled; give it size 0}}
  // expected-note @+1 {{or remove the attribute to let TileCast choose}}
  %r = linalg.softmax {tilecast.tile_decision = #tilecast.tile_decision<tile = [8, 128], latency_us = 1.0, runner_up = [], runner_up_latency_us = 1.0, candidates = 1, model = "hand">}
      dimension(1) ins(%a : tensor<64x1024xf32>) outs(%e : tensor<64x1024xf32>) -> tensor<64x1024xf32>
  return %r : tensor<64x1024xf32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %op = transform.structured.match ops{["linalg.softmax"]} in %root : (!transform.any_op) -> !transform.any_op
    // expected-error @below {{cannot decide the tile sizes of a payload op}}
    %tiled, %loops = transform.tilecast.tile_by_cost %op : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    transform.yield
  }
}

// -----

// An unknown cost model is an error at the transform op.
func.func @matmul(%a: tensor<64x64xf32>, %b: tensor<64x64xf32>, %c: tensor<64x64xf32>) -> tensor<64x64xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<64x64xf32>, tensor<64x64xf32>) outs(%c : tensor<64x64xf32>) -> tensor<64x64xf32>
  return %r : tensor<64x64xf32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %op = transform.structured.match ops{["linalg.matmul"]} in %root : (!transform.any_op) -> !transform.any_op
    // expected-error @below {{unknown cost model 'guess'}}
    // expected-note @below {{available models: hybrid, analytical, roofline}}
    %tiled, %loops = transform.tilecast.tile_by_cost %op {model = "guess"} : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    transform.yield
  }
}

// -----

// The roofline model prices no tiles: refused once, before any payload op.
func.func @matmul(%a: tensor<64x64xf32>, %b: tensor<64x64xf32>, %c: tensor<64x64xf32>) -> tensor<64x64xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<64x64xf32>, tensor<64x64xf32>) outs(%c : tensor<64x64xf32>) -> tensor<64x64xf32>
  return %r : tensor<64x64xf32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %op = transform.structured.match ops{["linalg.matmul"]} in %root : (!transform.any_op) -> !transform.any_op
    // expected-error @below {{the roofline model has no notion of tiles; use "analytical" or "hybrid"}}
    %tiled, %loops = transform.tilecast.tile_by_cost %op {model = "roofline"} : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    transform.yield
  }
}

// -----

// An op TileCast does not cost on its own (a fill that initialises a matmul's
// accumulator is part of the matmul's kernel) is not tiled by cost.
func.func @folded(%a: tensor<64x64xf32>, %b: tensor<64x64xf32>) -> tensor<64x64xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x64xf32>
  // expected-note @below {{payload op}}
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<64x64xf32>) -> tensor<64x64xf32>
  %r = linalg.matmul ins(%a, %b : tensor<64x64xf32>, tensor<64x64xf32>) outs(%c : tensor<64x64xf32>) -> tensor<64x64xf32>
  return %r : tensor<64x64xf32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %op = transform.structured.match ops{["linalg.fill"]} in %root : (!transform.any_op) -> !transform.any_op
    // expected-error @below {{TileCast costs this op as part of its consumer's kernel; tile the consumer}}
    %tiled, %loops = transform.tilecast.tile_by_cost %op : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    transform.yield
  }
}

// -----

// A payload op nested in another (an exp in a generic's body) would be erased
// or cloned by the outer op's tiling: refused before anything changes.
#id = affine_map<(i) -> (i)>
func.func @nested(%x: tensor<64xf32>, %t: tensor<64xf32>) -> tensor<64xf32> {
  %c0 = arith.constant 0 : index
  %e = tensor.empty() : tensor<64xf32>
  // expected-note @below {{enclosing payload op}}
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<64xf32>) outs(%e : tensor<64xf32>) {
  ^bb0(%a: f32, %o: f32):
    // expected-note @below {{nested payload op}}
    %inner = linalg.exp ins(%t : tensor<64xf32>) outs(%t : tensor<64xf32>) -> tensor<64xf32>
    %s = tensor.extract %inner[%c0] : tensor<64xf32>
    %v = arith.addf %a, %s : f32
    linalg.yield %v : f32
  } -> tensor<64xf32>
  return %r : tensor<64xf32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %ops = transform.structured.match interface{LinalgOp} in %root : (!transform.any_op) -> !transform.any_op
    // expected-error @below {{cannot tile a payload op nested in another one}}
    %tiled, %loops = transform.tilecast.tile_by_cost %ops : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    transform.yield
  }
}

// -----

// Upstream tiling cannot tile a pad whose value depends on the index: refused
// before anything is decided.
func.func @pad_by_index(%x: tensor<60x100xf32>) -> tensor<64x128xf32> {
  // expected-note @below {{payload op}}
  %r = tensor.pad %x low[1, 2] high[3, 26] {
  ^bb0(%i: index, %j: index):
    %ii = arith.index_cast %i : index to i64
    %f = arith.sitofp %ii : i64 to f32
    tensor.yield %f : f32
  } : tensor<60x100xf32> to tensor<64x128xf32>
  return %r : tensor<64x128xf32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %op = transform.structured.match ops{["tensor.pad"]} in %root : (!transform.any_op) -> !transform.any_op
    // expected-error @below {{upstream tiling of tensor.pad needs a padding value that does not depend on the index}}
    %tiled, %loops = transform.tilecast.tile_by_cost %op : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    transform.yield
  }
}

// -----

// A padding constant inside the pad's region would be left behind by the
// tiles' pads, which upstream tiling builds outside it: refused, with the
// canonicalization that hoists it.
func.func @pad_constant_in_region(%x: tensor<1000x1000xf32>) -> tensor<1024x1024xf32> {
  // expected-note @below {{payload op}}
  %r = tensor.pad %x low[12, 0] high[12, 24] {
  ^bb0(%i: index, %j: index):
    %z = arith.constant 0.0 : f32
    tensor.yield %z : f32
  } : tensor<1000x1000xf32> to tensor<1024x1024xf32>
  return %r : tensor<1024x1024xf32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %op = transform.structured.match ops{["tensor.pad"]} in %root : (!transform.any_op) -> !transform.any_op
    // expected-error @below {{upstream tiling of tensor.pad needs its padding value defined above the pad (-canonicalize hoists a constant out of its region)}}
    %tiled, %loops = transform.tilecast.tile_by_cost %op : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    transform.yield
  }
}

// -----

// A 0-d op has no loop to tile: a decision on it would never be applied, and
// is refused as tilecast-select-tile-sizes refuses it.
func.func @scalar(%a: tensor<f32>, %b: tensor<f32>) -> tensor<f32> {
  // expected-note @+1 {{payload op}}
  %r = linalg.add {tilecast.tile_decision = #tilecast.tile_decision<tile = [8], latency_us = 1.0, runner_up = [], runner_up_latency_us = 1.0, candidates = 1, model = "hand">} ins(%a, %a : tensor<f32>, tensor<f32>) outs(%b : tensor<f32>) -> tensor<f32>
  return %r : tensor<f32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %op = transform.structured.match ops{["linalg.add"]} in %root : (!transform.any_op) -> !transform.any_op
    // expected-error @below {{a tilecast.tile_decision on an op that is not tiled by cost: a 0-d op has no loop to tile}}
    %tiled, %loops = transform.tilecast.tile_by_cost %op : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    transform.yield
  }
}
