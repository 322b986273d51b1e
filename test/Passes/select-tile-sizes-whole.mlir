// RUN: tilecast-opt %s --pass-pipeline='builtin.module(tilecast-annotate-target{target=v100},tilecast-estimate-cost{model=analytical},tilecast-select-tile-sizes)' | FileCheck %s --check-prefix=GPU
// RUN: tilecast-opt %s --pass-pipeline='builtin.module(tilecast-annotate-target{target=h100-sxm},tilecast-select-tile-sizes)' | FileCheck %s --check-prefix=LONG

// A sum of every element reduces over both loops, so no tiling is legal and
// the op stays whole. On a GPU that is the op as the library runs it: the
// decision's latency is the op's own estimate (it was one block on one SM,
// 455.84 us against 32.95 us, before).
// GPU-LABEL: func.func @full_sum
// GPU: tilecast.cost = #tilecast.cost<latency_us = [[LAT:[0-9.]+]],
// GPU-SAME: tilecast.tile_decision = #tilecast.tile_decision<tile = [0, 0], latency_us = [[LAT]], runner_up = [0, 0], runner_up_latency_us = [[LAT]], candidates = 1, model = "analytical">
func.func @full_sum(%x: tensor<1024x1024xf32>, %init: tensor<f32>) -> tensor<f32> {
  %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> ()>],
                       iterator_types = ["reduction", "reduction"]}
      ins(%x : tensor<1024x1024xf32>) outs(%init : tensor<f32>) {
  ^bb0(%v: f32, %acc: f32):
    %s = arith.addf %v, %acc : f32
    linalg.yield %s : f32
  } -> tensor<f32>
  return %r : tensor<f32>
}

// A GEMM block spans at most 256 along M and N and 128 x 256 accumulators:
// the 16384 x 16384 output of this product is not one block row or column
// (a whole loop of 16384 was the pick, 16384 x 128 blocks, before).
// LONG-LABEL: func.func @long_loops
// LONG: tilecast.tile_decision = #tilecast.tile_decision<tile = [128, 256, 0], {{.*}} runner_up = [256, 128, 0], {{.*}} candidates = 35,
func.func @long_loops(%a: tensor<16384x4096xf32>, %b: tensor<4096x16384xf32>, %c: tensor<16384x16384xf32>) -> tensor<16384x16384xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<16384x4096xf32>, tensor<4096x16384xf32>) outs(%c : tensor<16384x16384xf32>) -> tensor<16384x16384xf32>
  return %r : tensor<16384x16384xf32>
}

// A convolution's M is its images times its output rows and columns: one
// block holds at most 256 of them, over every M loop (8 x 8 x 8 = 512 rows
// went through when each loop was checked alone). Those loops take sizes
// from 1: the pick is a block of 32 pixels of one output row of all 8
// images, 8 x 1 x 32 = 256.
// LONG-LABEL: func.func @conv_rows
// LONG: tilecast.tile_decision = #tilecast.tile_decision<tile = [0, 1, 32, 0, 0, 0, 0],
func.func @conv_rows(%x: tensor<8x258x258x64xf32>, %w: tensor<3x3x64x1xf32>, %o: tensor<8x256x256x1xf32>) -> tensor<8x256x256x1xf32> {
  %r = linalg.conv_2d_nhwc_hwcf ins(%x, %w : tensor<8x258x258x64xf32>, tensor<3x3x64x1xf32>) outs(%o : tensor<8x256x256x1xf32>) -> tensor<8x256x256x1xf32>
  return %r : tensor<8x256x256x1xf32>
}

// A batched GEMM's block holds one matrix's 128 x 256 accumulators: batch
// tiles start at 1 on GPUs too (they started at 8, so the limit on a block's
// accumulators left only 32 x 64 tiles of 8 matrices: 617.2 us against
// 513.8 us on the H100).
// LONG-LABEL: func.func @batched
// LONG: tilecast.tile_decision = #tilecast.tile_decision<tile = [1, 128, 256, 0], latency_us = 513.83{{[0-9]*}},
func.func @batched(%a: tensor<12x1024x1024xf32>, %b: tensor<12x1024x1024xf32>, %c: tensor<12x1024x1024xf32>) -> tensor<12x1024x1024xf32> {
  %r = linalg.batch_matmul ins(%a, %b : tensor<12x1024x1024xf32>, tensor<12x1024x1024xf32>) outs(%c : tensor<12x1024x1024xf32>) -> tensor<12x1024x1024xf32>
  return %r : tensor<12x1024x1024xf32>
}
