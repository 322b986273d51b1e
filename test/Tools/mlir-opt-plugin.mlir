// The issue's pipeline runs unchanged in upstream mlir-opt with the plugin
// and in tilecast-opt, with the same result.
// RUN: %mlir_opt --load-dialect-plugin=%plugin --load-pass-plugin=%plugin %s \
// RUN:   --pass-pipeline='builtin.module(tilecast-annotate-target{target=h100-sxm},tilecast-estimate-cost)' > %t.upstream
// RUN: tilecast-opt %s --pass-pipeline='builtin.module(tilecast-annotate-target{target=h100-sxm},tilecast-estimate-cost)' > %t.ours
// RUN: diff %t.upstream %t.ours
// RUN: FileCheck %s < %t.upstream
// With the pass plugin alone (the input in upstream dialects only), the passes
// register the cost and tiling interfaces themselves: the result is the same.
// RUN: %mlir_opt --load-pass-plugin=%plugin %s \
// RUN:   --pass-pipeline='builtin.module(tilecast-annotate-target{target=h100-sxm},tilecast-estimate-cost)' > %t.passes-only
// RUN: diff %t.upstream %t.passes-only

// CHECK: module attributes {tilecast.target = #tilecast.target<"h100-sxm"
// CHECK: linalg.matmul {tilecast.cost = #tilecast.cost<{{.*}}flops = 2097152, bytes = 163840, bound = overhead, source = analytical>}
func.func @f(%a: tensor<64x128xf32>, %b: tensor<128x128xf32>, %c: tensor<64x128xf32>) -> tensor<64x128xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<64x128xf32>, tensor<128x128xf32>) outs(%c : tensor<64x128xf32>) -> tensor<64x128xf32>
  return %r : tensor<64x128xf32>
}

// Tile-size selection through the plugin, applied with upstream tiling.
// RUN: %mlir_opt --load-dialect-plugin=%plugin --load-pass-plugin=%plugin %s \
// RUN:   --pass-pipeline='builtin.module(tilecast-annotate-target{target=h100-sxm},tilecast-select-tile-sizes{apply=true})' \
// RUN:   | FileCheck %s --check-prefix=TILED
// TILED: scf.for
// TILED: linalg.matmul {tilecast.tile_decision = #tilecast.tile_decision<tile = [

// The transform op through the plugin, in upstream mlir-opt's interpreter:
// the same loops and decision as tilecast-opt.
// RUN: %mlir_opt --load-dialect-plugin=%plugin --load-pass-plugin=%plugin \
// RUN:   %S/../Dialect/TransformOps/tile-by-cost.mlir -split-input-file \
// RUN:   --pass-pipeline='builtin.module(tilecast-annotate-target{target=h100-sxm},transform-interpreter)' > %t.transform-upstream
// RUN: tilecast-opt %S/../Dialect/TransformOps/tile-by-cost.mlir -split-input-file \
// RUN:   --pass-pipeline='builtin.module(tilecast-annotate-target{target=h100-sxm},transform-interpreter)' > %t.transform-ours
// RUN: diff %t.transform-upstream %t.transform-ours
// RUN: FileCheck %s --check-prefix=TRANSFORM < %t.transform-upstream
// TRANSFORM: linalg.matmul {tilecast.tile_decision = #tilecast.tile_decision<tile = [64, 64, 0], {{.*}}, tiled}
