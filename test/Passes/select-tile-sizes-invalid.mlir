// RUN: tilecast-opt %s -split-input-file --pass-pipeline='builtin.module(tilecast-annotate-target{target=h100-sxm},tilecast-select-tile-sizes)' -verify-diagnostics

func.func @wrong_count(%a: tensor<64x64xf32>, %b: tensor<64x64xf32>, %c: tensor<64x64xf32>) -> tensor<64x64xf32> {
  // expected-error @+2 {{illegal tilecast.tile_decision: expected 3 tile sizes (one per loop), got 2}}
  // expected-note @+1 {{give one non-negative size per loop (0 leaves a loop untiled), or remove the attribute to let TileCast choose}}
  %r = linalg.matmul {tilecast.tile_decision = #tilecast.tile_decision<tile = [32, 32], latency_us = 1.0, runner_up = [], runner_up_latency_us = 1.0, candidates = 1, model = "hand">}
      ins(%a, %b : tensor<64x64xf32>, tensor<64x64xf32>) outs(%c : tensor<64x64xf32>) -> tensor<64x64xf32>
  return %r : tensor<64x64xf32>
}

// -----

func.func @split_softmax_row(%x: tensor<64x1024xf32>) -> tensor<64x1024xf32> {
  %e = tensor.empty() : tensor<64x1024xf32>
  // expected-error @+2 {{illegal tilecast.tile_decision: loop 1 is the normalised dimension of a softmax and cannot be tiled; give it size 0}}
  // expected-note @+1 {{give one non-negative size per loop}}
  %r = linalg.softmax {tilecast.tile_decision = #tilecast.tile_decision<tile = [8, 128], latency_us = 1.0, runner_up = [], runner_up_latency_us = 1.0, candidates = 1, model = "hand">}
      dimension(1) ins(%x : tensor<64x1024xf32>) outs(%e : tensor<64x1024xf32>) -> tensor<64x1024xf32>
  return %r : tensor<64x1024xf32>
}

// -----

// expected-error @+1 {{the runner-up (1 us) is faster than the chosen tiles (2 us)}}
func.func @runner_up_faster() attributes {tilecast.tile_decision = #tilecast.tile_decision<tile = [8], latency_us = 2.0, runner_up = [16], runner_up_latency_us = 1.0, candidates = 2, model = "analytical">} {
  return
}

// -----

// A decision on an op that is not tiled by cost would never be applied.
func.func @decision_on_folded_fill(%a: tensor<64x64xf32>, %b: tensor<64x64xf32>) -> tensor<64x64xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x64xf32>
  // expected-error @+1 {{a tilecast.tile_decision on an op that is not tiled by cost: TileCast costs this op as part of its consumer's kernel; tile the consumer}}
  %c = linalg.fill {tilecast.tile_decision = #tilecast.tile_decision<tile = [8, 8], latency_us = 1.0, runner_up = [], runner_up_latency_us = 1.0, candidates = 1, model = "hand">} ins(%zero : f32) outs(%e : tensor<64x64xf32>) -> tensor<64x64xf32>
  %r = linalg.matmul ins(%a, %b : tensor<64x64xf32>, tensor<64x64xf32>) outs(%c : tensor<64x64xf32>) -> tensor<64x64xf32>
  return %r : tensor<64x64xf32>
}

// -----

func.func @decision_on_scalar(%a: tensor<f32>, %c: tensor<f32>) -> tensor<f32> {
  // expected-error @+1 {{a tilecast.tile_decision on an op that is not tiled by cost: a 0-d op has no loop to tile}}
  %r = linalg.add {tilecast.tile_decision = #tilecast.tile_decision<tile = [8], latency_us = 1.0, runner_up = [], runner_up_latency_us = 1.0, candidates = 1, model = "hand">} ins(%a, %a : tensor<f32>, tensor<f32>) outs(%c : tensor<f32>) -> tensor<f32>
  return %r : tensor<f32>
}

// -----

// Nor on an op that cannot be tiled at all.
func.func @decision_on_empty() -> tensor<64x64xf32> {
  // expected-error @+1 {{a tilecast.tile_decision on an op that is not tiled by cost: only ops that implement TilingInterface can be tiled}}
  %e = tensor.empty() {tilecast.tile_decision = #tilecast.tile_decision<tile = [8, 8], latency_us = 1.0, runner_up = [], runner_up_latency_us = 1.0, candidates = 1, model = "hand">} : tensor<64x64xf32>
  return %e : tensor<64x64xf32>
}

// -----

// A tileable op without a cost model gets no decision, and a remark that
// says why (as tilecast-estimate-cost remarks on it).
func.func @no_cost_model(%w: tensor<2x3x3x5xf32>, %o: tensor<6x6x5x2xf32>) -> tensor<6x6x5x2xf32> {
  // expected-remark @+1 {{no cost model for 'linalg.winograd_filter_transform'; its tile sizes are not chosen}}
  %r = linalg.winograd_filter_transform fmr(F_4_3) ins(%w : tensor<2x3x3x5xf32>) outs(%o : tensor<6x6x5x2xf32>) -> tensor<6x6x5x2xf32>
  return %r : tensor<6x6x5x2xf32>
}

// -----

// An unpack of dynamic shape whose result is sliced is no tile of an applied
// decision (upstream tiling unpacks a slice of the source into a new
// tensor): its decision is checked like any other, and the dynamic shape
// refused, not taken as already applied (silently, until 2026-12-06).
func.func @dynamic_unpack_then_slice(%u: tensor<?x7x32x32xf32>, %d: tensor<?x200xf32>) -> tensor<4x4xf32> {
  // expected-error @+2 {{cannot cost an op with dynamic shapes}}
  // expected-note @+1 {{TileCast needs static shapes}}
  %unpacked = linalg.unpack %u inner_dims_pos = [0, 1] inner_tiles = [32, 32] into %d
      {tilecast.tile_decision = #tilecast.tile_decision<tile = [8, 16], latency_us = 1.0, runner_up = [], runner_up_latency_us = 1.0, candidates = 1, model = "hand">}
      : tensor<?x7x32x32xf32> -> tensor<?x200xf32>
  %s = tensor.extract_slice %unpacked[0, 0] [4, 4] [1, 1] : tensor<?x200xf32> to tensor<4x4xf32>
  return %s : tensor<4x4xf32>
}
