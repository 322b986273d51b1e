// The model= option of the passes and --model of tilecast-predict.
// RUN: tilecast-opt %s --pass-pipeline='builtin.module(tilecast-annotate-target{target=v100},tilecast-estimate-cost{model=roofline})' | FileCheck %s --check-prefix=ROOFLINE
// RUN: tilecast-predict %s --target=v100 --model=roofline | FileCheck %s --check-prefix=PREDICT
// RUN: not tilecast-opt %s --pass-pipeline='builtin.module(tilecast-annotate-target{target=v100},tilecast-select-tile-sizes{model=roofline})' 2>&1 | FileCheck %s --check-prefix=NOTILES
// RUN: not tilecast-opt %s --pass-pipeline='builtin.module(tilecast-annotate-target{target=v100},tilecast-select-tile-sizes{model=oracle})' 2>&1 | FileCheck %s --check-prefix=UNKNOWN

// Roofline of a 1024^3 f32 matmul on the V100 (AnalyticalModelTest):
// max(2 x 1024^3 / 14.029e12 s, 3 x 4 MiB / 900e9 B/s) = 153.07 us (153.0747), no
// overhead, no interval.
// ROOFLINE: linalg.matmul {tilecast.cost = #tilecast.cost<latency_us = 153.07{{[0-9]*}}, lower_us = 153.07{{[0-9]*}}, upper_us = 153.07{{[0-9]*}}, compute_us = 153.07{{[0-9]*}}, memory_us = 13.98{{[0-9]*}}, overhead_us = 0.0, flops = 2147483648, bytes = 12582912, bound = compute, source = analytical>}
// PREDICT: TileCast prediction: target v100, model roofline
// PREDICT: total{{ +}}153.07 us  [153.07, 153.07]  (1 ops costed)
// NOTILES: error: tilecast-select-tile-sizes: the roofline model has no notion of tiles; use model=analytical or model=hybrid
// NOTILES-NOT: error
// UNKNOWN: error: unknown cost model 'oracle'
func.func @f(%a: tensor<1024x1024xf32>, %b: tensor<1024x1024xf32>) -> tensor<1024x1024xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1024x1024xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<1024x1024xf32>) -> tensor<1024x1024xf32>
  %r = linalg.matmul ins(%a, %b : tensor<1024x1024xf32>, tensor<1024x1024xf32>) outs(%c : tensor<1024x1024xf32>) -> tensor<1024x1024xf32>
  return %r : tensor<1024x1024xf32>
}
