// RUN: tilecast-opt %s --pass-pipeline='builtin.module(tilecast-annotate-target{target=host},tilecast-select-tile-sizes)' -verify-diagnostics

// A hand decision whose sizes are legal, on an op the model cannot price on
// the target (no f16 path on the built-in host): the model's own error and
// advice, not "illegal tilecast.tile_decision" (which it read until
// 2026-12-06, with advice about tile sizes).
func.func @f16_on_host(%a: tensor<64x64xf16>, %b: tensor<64x64xf16>, %c: tensor<64x64xf16>) -> tensor<64x64xf16> {
  // expected-error @+2 {{target 'host' has no f16 arithmetic path}}
  // expected-note @+1 {{cost the op in a type the target supports, or give a spec file whose peak_tflops lists 'f16'}}
  %r = linalg.matmul {tilecast.tile_decision = #tilecast.tile_decision<tile = [32, 32, 0], latency_us = 1.0, runner_up = [], runner_up_latency_us = 1.0, candidates = 1, model = "hand">} ins(%a, %b : tensor<64x64xf16>, tensor<64x64xf16>) outs(%c : tensor<64x64xf16>) -> tensor<64x64xf16>
  return %r : tensor<64x64xf16>
}
