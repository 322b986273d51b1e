// RUN: not tilecast-opt %s --pass-pipeline='builtin.module(tilecast-estimate-cost)' 2>&1 | FileCheck %s --check-prefix=NOTARGET
// RUN: not tilecast-opt %s --pass-pipeline='builtin.module(tilecast-annotate-target{target=t4},tilecast-estimate-cost{model=oracle})' 2>&1 | FileCheck %s --check-prefix=MODEL
// RUN: not tilecast-opt %s --pass-pipeline='builtin.module(tilecast-annotate-target{target=t4},tilecast-estimate-cost{tile-sizes=-8,128})' 2>&1 | FileCheck %s --check-prefix=NEGATIVE
// RUN: not tilecast-opt %s --pass-pipeline='builtin.module(tilecast-annotate-target{target=t4},tilecast-estimate-cost{tile-sizes=8,128})' 2>&1 | FileCheck %s --check-prefix=ROWS

// NOTARGET: estimate-cost-errors.mlir:14:8: error: no tilecast.target in scope
// NOTARGET: note: run tilecast-annotate-target{target=NAME} first, or attach a #tilecast.target to the module
// MODEL: error: unknown cost model 'oracle'
// MODEL: note: available models: hybrid, analytical, roofline
// NEGATIVE: estimate-cost-errors.mlir:14:8: error: tile size -8 of loop 0 is negative; use 0 to leave a loop untiled
// ROWS: estimate-cost-errors.mlir:14:8: error: loop 1 is the normalised dimension of a softmax and cannot be tiled; give it size 0
func.func @softmax(%x: tensor<64x1024xf32>) -> tensor<64x1024xf32> {
  %e = tensor.empty() : tensor<64x1024xf32>
  %r = linalg.softmax dimension(1) ins(%x : tensor<64x1024xf32>) outs(%e : tensor<64x1024xf32>) -> tensor<64x1024xf32>
  return %r : tensor<64x1024xf32>
}
