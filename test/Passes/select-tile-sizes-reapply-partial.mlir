// RUN: tilecast-opt %s --pass-pipeline='builtin.module(tilecast-annotate-target{target=v100},tilecast-select-tile-sizes{apply=true})' | FileCheck %s --check-prefix=ONCE
// RUN: tilecast-opt %s --pass-pipeline='builtin.module(tilecast-annotate-target{target=v100},tilecast-select-tile-sizes{apply=true},tilecast-select-tile-sizes{apply=true})' | FileCheck %s --check-prefix=TWICE
// RUN: tilecast-opt %s --pass-pipeline='builtin.module(tilecast-annotate-target{target=v100},tilecast-select-tile-sizes{apply=true})' | tilecast-opt --pass-pipeline='builtin.module(tilecast-select-tile-sizes{apply=true})' | FileCheck %s --check-prefix=TWICE
// RUN: tilecast-opt %s --pass-pipeline='builtin.module(tilecast-annotate-target{target=v100},tilecast-select-tile-sizes{apply=true})' > %t.once
// RUN: tilecast-opt %s --pass-pipeline='builtin.module(tilecast-annotate-target{target=v100},tilecast-select-tile-sizes{apply=true},tilecast-select-tile-sizes{apply=true})' > %t.twice
// RUN: diff %t.once %t.twice

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

// The same with partial last tiles of the ops other than linalg ops, whose
// tiles have dynamic sizes: 100 rows of a softmax in tiles of 8, a pad to
// 104x256 in tiles of 64 x 128, and an unpack to 100x200 in tiles of 8 x 16
// (a tile of an unpack unpacks whole 32 x 32 inner tiles and extracts the
// 8 x 16 it covers). Each is tiled once, and its tiles not again (they
// could not be costed: a second run failed on them until 2026-12-06).
// ONCE-LABEL: func.func @partial_others
// ONCE-COUNT-5: scf.for
// ONCE-NOT:     scf.for
// ONCE:         return
// TWICE-LABEL: func.func @partial_others
// TWICE:         scf.for
// TWICE:         linalg.softmax {tilecast.tile_decision = #tilecast.tile_decision<tile = [8, 0]
// TWICE-SAME:    tensor<?x1024xf32>
// TWICE-COUNT-2: scf.for
// TWICE:         tensor.pad
// TWICE:         tilecast.tile_decision = #tilecast.tile_decision<tile = [64, 128]
// TWICE-COUNT-2: scf.for
// TWICE:         linalg.unpack
// TWICE-SAME:    tilecast.tile_decision = #tilecast.tile_decision<tile = [8, 16]
// TWICE-NOT:     scf.for
// TWICE:         return
func.func @partial_others(%x: tensor<100x1024xf32>, %p: tensor<100x200xf32>, %u: tensor<4x7x32x32xf32>,
                          %d: tensor<100x200xf32>) -> (tensor<100x1024xf32>, tensor<104x256xf32>, tensor<100x200xf32>) {
  %e = tensor.empty() : tensor<100x1024xf32>
  %s = linalg.softmax {tilecast.tile_decision = #tilecast.tile_decision<tile = [8, 0], latency_us = 1.0, runner_up = [], runner_up_latency_us = 1.0, candidates = 1, model = "hand">}
      dimension(1) ins(%x : tensor<100x1024xf32>) outs(%e : tensor<100x1024xf32>) -> tensor<100x1024xf32>
  %zero = arith.constant 0.0 : f32
  %padded = tensor.pad %p low[0, 0] high[4, 56] {
  ^bb0(%i: index, %j: index):
    tensor.yield %zero : f32
  } {tilecast.tile_decision = #tilecast.tile_decision<tile = [64, 128], latency_us = 1.0, runner_up = [], runner_up_latency_us = 1.0, candidates = 1, model = "hand">} : tensor<100x200xf32> to tensor<104x256xf32>
  %unpacked = linalg.unpack %u inner_dims_pos = [0, 1] inner_tiles = [32, 32] into %d
      {tilecast.tile_decision = #tilecast.tile_decision<tile = [8, 16], latency_us = 1.0, runner_up = [], runner_up_latency_us = 1.0, candidates = 1, model = "hand">}
      : tensor<4x7x32x32xf32> -> tensor<100x200xf32>
  return %s, %padded, %unpacked : tensor<100x1024xf32>, tensor<104x256xf32>, tensor<100x200xf32>
}

// An unpack of static shape whose result is then sliced is no tile: its
// loops span its whole result, not the slice, so it is tiled (it was left
// whole, its decision unapplied, for a while on 2026-12-06).
// ONCE-LABEL: func.func @unpack_then_slice
// ONCE-COUNT-2: scf.for
// ONCE:         linalg.unpack
// ONCE-SAME:    tilecast.tile_decision = #tilecast.tile_decision<tile = [8, 16]
// ONCE:         tensor.extract_slice {{.*}} [4, 4] [1, 1] : tensor<100x200xf32> to tensor<4x4xf32>
func.func @unpack_then_slice(%u: tensor<4x7x32x32xf32>, %d: tensor<100x200xf32>) -> tensor<4x4xf32> {
  %unpacked = linalg.unpack %u inner_dims_pos = [0, 1] inner_tiles = [32, 32] into %d
      {tilecast.tile_decision = #tilecast.tile_decision<tile = [8, 16], latency_us = 1.0, runner_up = [], runner_up_latency_us = 1.0, candidates = 1, model = "hand">}
      : tensor<4x7x32x32xf32> -> tensor<100x200xf32>
  %s = tensor.extract_slice %unpacked[0, 0] [4, 4] [1, 1] : tensor<100x200xf32> to tensor<4x4xf32>
  return %s : tensor<4x4xf32>
}
