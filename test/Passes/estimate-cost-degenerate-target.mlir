// A spec whose numbers are positive but far outside any hardware (a
// denormal clock, which would make every time infinite) is refused where it
// is read, at the field: never an inf or a silent zero cost.
// RUN: not tilecast-opt %s --pass-pipeline='builtin.module(tilecast-annotate-target{target=%S/Inputs/denormal-clock.json},tilecast-estimate-cost)' 2>&1 | FileCheck %s
// CHECK: denormal-clock.json:11:3: error: field 'clock_mhz' must be a number from 1e-06 to 1e+09, got 1e-320

func.func @f(%a: tensor<64x64xf32>, %b: tensor<64x64xf32>, %c: tensor<64x64xf32>) -> tensor<64x64xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<64x64xf32>, tensor<64x64xf32>) outs(%c : tensor<64x64xf32>) -> tensor<64x64xf32>
  return %r : tensor<64x64xf32>
}
