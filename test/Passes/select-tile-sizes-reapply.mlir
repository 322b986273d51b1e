// RUN: tilecast-opt %s --pass-pipeline='builtin.module(tilecast-annotate-target{target=h100-sxm},tilecast-select-tile-sizes{apply=true})' | FileCheck %s --check-prefix=ONCE
// RUN: tilecast-opt %s --pass-pipeline='builtin.module(tilecast-annotate-target{target=h100-sxm},tilecast-select-tile-sizes{apply=true})' | tilecast-opt --pass-pipeline='builtin.module(tilecast-select-tile-sizes{apply=true})' | FileCheck %s --check-prefix=TWICE

// Applying a decision twice tiles once. The tiled op carries the decision it
// was tiled by, [64, 64, 0], and its 64 x 64 x 256 tile is covered by those
// sizes, so a second run builds no loop of one step around it.
// ONCE-COUNT-2: scf.for
// ONCE-NOT:     scf.for
// ONCE:         linalg.matmul {tilecast.tile_decision = #tilecast.tile_decision<tile = [64, 64, 0]
// TWICE-COUNT-2: scf.for
// TWICE-NOT:     scf.for
// TWICE:         linalg.matmul {tilecast.tile_decision = #tilecast.tile_decision<tile = [64, 64, 0]
func.func @mm(%a: tensor<512x256xf32>, %b: tensor<256x1024xf32>, %c: tensor<512x1024xf32>) -> tensor<512x1024xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<512x256xf32>, tensor<256x1024xf32>) outs(%c : tensor<512x1024xf32>) -> tensor<512x1024xf32>
  return %r : tensor<512x1024xf32>
}
