// RUN: tilecast-opt %s --pass-pipeline='builtin.module(tilecast-annotate-target{target=v100},tilecast-estimate-cost{tile-sizes=64,64,0},tilecast-select-tile-sizes{apply=true})' | FileCheck %s
// RUN: tilecast-opt %s --pass-pipeline='builtin.module(tilecast-annotate-target{target=v100},tilecast-estimate-cost{tile-sizes=64,64,0},transform-interpreter)' | FileCheck %s

// The op's #tilecast.cost and #tilecast.tile_cost price the whole 256^3
// matmul; upstream tiling copies every attribute onto the tiles, where those
// numbers would be wrong, so the tiles keep only the decision.
// CHECK-LABEL: func.func @matmul
// CHECK:       scf.for
// CHECK:         linalg.matmul
// CHECK-NOT:     tilecast.cost
// CHECK-NOT:     tilecast.tile_cost
// CHECK-SAME:    tilecast.tile_decision
// CHECK-NOT:     tilecast.cost
// CHECK:       return
func.func @matmul(%a: tensor<256x256xf32>, %b: tensor<256x256xf32>, %c: tensor<256x256xf32>) -> tensor<256x256xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<256x256xf32>, tensor<256x256xf32>) outs(%c : tensor<256x256xf32>) -> tensor<256x256xf32>
  return %r : tensor<256x256xf32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %op = transform.structured.match ops{["linalg.matmul"]} in %root : (!transform.any_op) -> !transform.any_op
    %tiled, %loops = transform.tilecast.tile_by_cost %op : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    transform.yield
  }
}
