// RUN: tilecast-opt %s --pass-pipeline='builtin.module(tilecast-annotate-target{target=v100},tilecast-estimate-cost{tile-sizes=128,64,0})' -verify-diagnostics | FileCheck %s

// The 1024^3 matmul of AnalyticalModelTest.GemmPicksTheFastestBlockTileAndSplit
// tiled 128x64 (K untiled, so not split): 128 blocks in 2 waves over 80 SMs,
// 123.44 us a tile, plus 46.5 us overhead. The op-level cost (260.82 us)
// splits K.
// CHECK-LABEL: func.func @tiled
// CHECK: linalg.matmul {tilecast.cost = #tilecast.cost<latency_us = 260.81{{[0-9]*}}, {{.*}}, tilecast.tile_cost = #tilecast.tile_cost<tile = [128, 64, 0], num_tiles = 128, waves = 2, tile_latency_us = 123.436{{[0-9]*}}, latency_us = 293.373{{[0-9]*}}, bound = compute>}
func.func @tiled(%a: tensor<1024x1024xf32>, %b: tensor<1024x1024xf32>) -> tensor<1024x1024xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1024x1024xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<1024x1024xf32>) -> tensor<1024x1024xf32>
  %r = linalg.matmul ins(%a, %b : tensor<1024x1024xf32>, tensor<1024x1024xf32>) outs(%c : tensor<1024x1024xf32>) -> tensor<1024x1024xf32>
  return %r : tensor<1024x1024xf32>
}

// An op with a different number of loops gets its cost, no tile cost, and a
// remark saying why.
// CHECK-LABEL: func.func @other_rank
// CHECK: linalg.generic
// CHECK-SAME: tilecast.cost
// CHECK-NOT: tilecast.tile_cost
func.func @other_rank(%x: tensor<64x64xf32>) -> tensor<64x64xf32> {
  %e = tensor.empty() : tensor<64x64xf32>
  // expected-remark @+1 {{no tile cost: tile-sizes gives 3 sizes but the op has 2 loops}}
  %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<64x64xf32>) outs(%e : tensor<64x64xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.addf %a, %a : f32
    linalg.yield %s : f32
  } -> tensor<64x64xf32>
  return %r : tensor<64x64xf32>
}
