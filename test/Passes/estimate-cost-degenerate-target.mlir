// A spec whose numbers pass validation but make the model's times infinite
// is caught before a cost is attached: never an inf or a silent zero.
// RUN: tilecast-opt %s --pass-pipeline='builtin.module(tilecast-annotate-target{target=%S/Inputs/denormal-clock.json},tilecast-estimate-cost)' -verify-diagnostics

func.func @f(%a: tensor<64x64xf32>, %b: tensor<64x64xf32>, %c: tensor<64x64xf32>) -> tensor<64x64xf32> {
  // expected-error @+1 {{invalid estimate: 'latency_us' must be a finite non-negative number, got inf}}
  %r = linalg.matmul ins(%a, %b : tensor<64x64xf32>, tensor<64x64xf32>) outs(%c : tensor<64x64xf32>) -> tensor<64x64xf32>
  return %r : tensor<64x64xf32>
}
