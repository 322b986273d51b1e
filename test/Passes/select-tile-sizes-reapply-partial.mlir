// RUN: tilecast-opt %s --pass-pipeline='builtin.module(tilecast-annotate-target{target=v100},tilecast-select-tile-sizes{apply=true})' | FileCheck %s --check-prefix=ONCE
// RUN: tilecast-opt %s --pass-pipeline='builtin.module(tilecast-annotate-target{target=v100},tilecast-select-tile-sizes{apply=true},tilecast-select-tile-sizes{apply=true})' | FileCheck %s --check-prefix=TWICE
// RUN: tilecast-opt %s --pass-pipeline='builtin.module(tilecast-annotate-target{target=v100},tilecast-select-tile-sizes{apply=true})' | tilecast-opt --pass-pipeline='builtin.module(tilecast-select-tile-sizes{apply=true})' | FileCheck %s --check-prefix=TWICE

// A tile size that does not divide its loop (64 of 100 rows) leaves a
// partial last tile: the tiled op has a dynamic size, affine.min(100 - i,
// 64), which the output must parse back with (the affine dialect) and which
// cannot be costed. Its decision covers it (the size is at most 64), so a
// second run, in the same pipeline or on the printed IR, tiles nothing more.
// ONCE-LABEL: func.func @partial
// ONCE-COUNT-1: scf.for
// ONCE-NOT:     scf.for
// ONCE:         affine.min
// ONCE:         linalg.add {tilecast.tile_decision = #tilecast.tile_decision<tile = [64, 0]
// ONCE-SAME:    tensor<?x8xf32>
// TWICE-LABEL: func.func @partial
// TWICE-COUNT-1: scf.for
// TWICE-NOT:     scf.for
// TWICE:         linalg.add {tilecast.tile_decision = #tilecast.tile_decision<tile = [64, 0]
func.func @partial(%a: tensor<100x8xf32>, %c: tensor<100x8xf32>) -> tensor<100x8xf32> {
  %r = linalg.add {tilecast.tile_decision = #tilecast.tile_decision<tile = [64, 0], latency_us = 1.0, runner_up = [], runner_up_latency_us = 1.0, candidates = 1, model = "hand">} ins(%a, %a : tensor<100x8xf32>, tensor<100x8xf32>) outs(%c : tensor<100x8xf32>) -> tensor<100x8xf32>
  return %r : tensor<100x8xf32>
}

// An op other than a linalg op: the softmax is tiled by 8 of its 32 rows
// once; its 8-row tiles, which carry the decision, are not tiled again.
// ONCE-LABEL: func.func @softmax
// ONCE-COUNT-1: scf.for
// ONCE-NOT:     scf.for
// ONCE:         linalg.softmax {tilecast.tile_decision = #tilecast.tile_decision<tile = [8, 0]
// TWICE-LABEL: func.func @softmax
// TWICE-COUNT-1: scf.for
// TWICE-NOT:     scf.for
// TWICE:         linalg.softmax {tilecast.tile_decision = #tilecast.tile_decision<tile = [8, 0]
func.func @softmax(%x: tensor<32x1024xf32>) -> tensor<32x1024xf32> {
  %e = tensor.empty() : tensor<32x1024xf32>
  %r = linalg.softmax dimension(1) ins(%x : tensor<32x1024xf32>) outs(%e : tensor<32x1024xf32>) -> tensor<32x1024xf32>
  return %r : tensor<32x1024xf32>
}
