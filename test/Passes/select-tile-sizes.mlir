// RUN: tilecast-opt %s -split-input-file --pass-pipeline='builtin.module(tilecast-annotate-target{target=h100-sxm},tilecast-select-tile-sizes)' | FileCheck %s --check-prefix=GPU
// RUN: tilecast-opt %s -split-input-file --pass-pipeline='builtin.module(tilecast-annotate-target{target=host},tilecast-select-tile-sizes)' | FileCheck %s --check-prefix=CPU
// RUN: tilecast-opt %s -split-input-file --pass-pipeline='builtin.module(tilecast-annotate-target{target=h100-sxm},tilecast-select-tile-sizes{apply=true})' | FileCheck %s --check-prefix=APPLY

// A 512x1024x256 matmul. On the H100, 35 candidate block tilings (K whole,
// AnalyticalModelTest.TileCandidatesFollowTheHardware); 64x64 blocks win by
// 0.2 us over 32x128. On the 2-core host, 245 candidates. B's rows are 4 KiB
// apart, so each column of B falls in one set of the host's 32 KiB L1 (64
// sets of 8 ways): K steps of 16 rows miss on 1 - 8/16 of their B loads,
// longer ones on more (whole K: 1 - 8/256). 256x1024 tiles over 16 K steps
// win: 2 tiles, one per core, 16 rounds each. A round is 2 * 256*1024*16 FLOP
// at one core's 82.88 GFLOP/s (0.2368 TFLOP/s / 2 * 0.7) = 101.214 us, plus
// its 256x1024 f32 accumulators loaded and stored, 2 MiB at 64 B/cycle *
// 3.7 GHz = 8.856 us, of which 0.5625 (cpu::kAccumulatorReloadExposedShare)
// = 4.982 us, plus half of its 32*128*16 B loads missing L1, a 64-byte line
// each at 32 B/cycle * 3.7 GHz = 17.712 us, of which 0.55
// (cpu::kBRowMissExposedShare) = 9.742 us: 16 * 115.937 = 1854.99 us, plus
// the host's 60 us parallel-loop start (launch_overhead_us): 1914.99 us.
// 128-row tiles take as long, with twice as many tiles.
// GPU-LABEL: func.func @matmul
// GPU: linalg.matmul {tilecast.tile_decision = #tilecast.tile_decision<tile = [64, 64, 0], latency_us = 53.36{{[0-9]*}}, runner_up = [32, 128, 0], runner_up_latency_us = 53.59{{[0-9]*}}, candidates = 35, model = "analytical">}
// CPU-LABEL: func.func @matmul
// CPU: linalg.matmul {tilecast.tile_decision = #tilecast.tile_decision<tile = [256, 0, 16], latency_us = 1914.99{{[0-9]*}}, runner_up = [128, 0, 16], runner_up_latency_us = 1914.99{{[0-9]*}}, candidates = 245, model = "analytical">}
// The decision is applied with upstream tiling: two loops of 64.
// APPLY-LABEL: func.func @matmul
// APPLY:      scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c64
// APPLY:        scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c64
// APPLY:          linalg.matmul {tilecast.tile_decision = {{.*}}} ins(%{{.*}}, %{{.*}} : tensor<64x256xf32>, tensor<256x64xf32>) outs(%{{.*}} : tensor<64x64xf32>)
func.func @matmul(%a: tensor<512x256xf32>, %b: tensor<256x1024xf32>) -> tensor<512x1024xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<512x1024xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<512x1024xf32>) -> tensor<512x1024xf32>
  %r = linalg.matmul ins(%a, %b : tensor<512x256xf32>, tensor<256x1024xf32>) outs(%c : tensor<512x1024xf32>) -> tensor<512x1024xf32>
  return %r : tensor<512x1024xf32>
}

// -----

// A decision already in the IR (by hand or from an outside search) is kept,
// and applied as given.
// GPU-LABEL: func.func @override
// GPU: tilecast.tile_decision = #tilecast.tile_decision<tile = [128, 32, 0], latency_us = 1.0, runner_up = [], runner_up_latency_us = 1.0, candidates = 1, model = "hand">
// APPLY-LABEL: func.func @override
// APPLY: scf.for %{{.*}} step %c128
// APPLY: scf.for %{{.*}} step %c32
func.func @override(%a: tensor<512x256xf32>, %b: tensor<256x1024xf32>, %c: tensor<512x1024xf32>) -> tensor<512x1024xf32> {
  %r = linalg.matmul {tilecast.tile_decision = #tilecast.tile_decision<tile = [128, 32, 0], latency_us = 1.0, runner_up = [], runner_up_latency_us = 1.0, candidates = 1, model = "hand">}
      ins(%a, %b : tensor<512x256xf32>, tensor<256x1024xf32>) outs(%c : tensor<512x1024xf32>) -> tensor<512x1024xf32>
  return %r : tensor<512x1024xf32>
}

// -----

// Softmax rows stay whole: only the row loop is tiled.
// GPU-LABEL: func.func @softmax
// GPU: linalg.softmax {tilecast.tile_decision = #tilecast.tile_decision<tile = [{{[0-9]+}}, 0]
func.func @softmax(%x: tensor<1024x1024xf32>) -> tensor<1024x1024xf32> {
  %e = tensor.empty() : tensor<1024x1024xf32>
  %r = linalg.softmax dimension(1) ins(%x : tensor<1024x1024xf32>) outs(%e : tensor<1024x1024xf32>) -> tensor<1024x1024xf32>
  return %r : tensor<1024x1024xf32>
}

// -----

// A 0-d op has no loop to tile: no decision, no error, on either target.
// GPU-LABEL: func.func @scalar
// GPU-NOT:   tile_decision
// GPU:       return
// CPU-LABEL: func.func @scalar
// CPU-NOT:   tile_decision
// CPU:       return
func.func @scalar(%a: tensor<f32>, %c: tensor<f32>) -> tensor<f32> {
  %r = linalg.add ins(%a, %a : tensor<f32>, tensor<f32>) outs(%c : tensor<f32>) -> tensor<f32>
  return %r : tensor<f32>
}

// -----

// A sum over every loop keeps every loop whole; on the host even the whole op
// overflows the cache share a tiling must fit, so nothing fits and the op
// stays whole: the one candidate, its 32 MiB read by one core at half of the
// host's 20 GB/s, 33554432 B / 10 GB/s = 3355.44 us.
// CPU-LABEL: func.func @full_sum
// CPU: linalg.reduce {{.*}}tilecast.tile_decision = #tilecast.tile_decision<tile = [0, 0], latency_us = 3355.44{{[0-9]*}}, runner_up = [0, 0], runner_up_latency_us = 3355.44{{[0-9]*}}, candidates = 1, model = "analytical">
func.func @full_sum(%x: tensor<2048x4096xf32>, %init: tensor<f32>) -> tensor<f32> {
  %r = linalg.reduce ins(%x : tensor<2048x4096xf32>) outs(%init : tensor<f32>) dimensions = [0, 1]
    (%in: f32, %acc: f32) {
      %s = arith.addf %in, %acc : f32
      linalg.yield %s : f32
    }
  return %r : tensor<f32>
}

// -----

// The members of a kernel group are priced as one kernel: tiling one would
// split the group, so none gets a decision.
// GPU-LABEL: func.func @kernel_group
// GPU-NOT:   tile_decision
// GPU:       return
// APPLY-LABEL: func.func @kernel_group
// APPLY-NOT:   scf.for
// APPLY:       return
#id2 = affine_map<(i, j) -> (i, j)>
#row2 = affine_map<(i, j) -> (i)>
func.func @kernel_group(%x: tensor<1024x768xf32>, %init: tensor<1024xf32>) -> tensor<1024x768xf32> {
  %sum = linalg.generic {indexing_maps = [#id2, #row2], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<1024x768xf32>) outs(%init : tensor<1024xf32>) attrs = {tilecast.kernel = #tilecast.kernel<"sm", softmax>} {
  ^bb0(%in: f32, %acc: f32):
    %s = arith.addf %in, %acc : f32
    linalg.yield %s : f32
  } -> tensor<1024xf32>
  %e = tensor.empty() : tensor<1024x768xf32>
  %y = linalg.generic {indexing_maps = [#id2, #row2, #id2], iterator_types = ["parallel", "parallel"]} ins(%x, %sum : tensor<1024x768xf32>, tensor<1024xf32>) outs(%e : tensor<1024x768xf32>) attrs = {tilecast.kernel = #tilecast.kernel<"sm", softmax>} {
  ^bb0(%in: f32, %s: f32, %o: f32):
    %d = arith.divf %in, %s : f32
    linalg.yield %d : f32
  } -> tensor<1024x768xf32>
  return %y : tensor<1024x768xf32>
}

// -----

// A tiling cannot stream an op faster than its data comes in: an add over
// [8192, 8192] f32 moves 805306368 B (two inputs and the result), 402653184 B
// per core, beyond the host's 16 MiB LLC share, at 20 GB/s / 2 cores:
// 40265.3184 us + the 60 us parallel start, for every tiling that spreads
// over both cores, however small its tiles (8 x 256 tiles fit L1: 1700 us if
// the data sat there).
// CPU-LABEL: func.func @stream
// CPU: linalg.add {{.*}}tilecast.tile_decision = #tilecast.tile_decision<tile = [0, 128], latency_us = 40325.3184{{[0-9]*}}, runner_up = [128, 0], runner_up_latency_us = 40325.3184{{[0-9]*}}, candidates = 39, model = "analytical">
func.func @stream(%a: tensor<8192x8192xf32>, %b: tensor<8192x8192xf32>, %e: tensor<8192x8192xf32>) -> tensor<8192x8192xf32> {
  %r = linalg.add ins(%a, %b : tensor<8192x8192xf32>, tensor<8192x8192xf32>) outs(%e : tensor<8192x8192xf32>) -> tensor<8192x8192xf32>
  return %r : tensor<8192x8192xf32>
}

// -----

// A pack is tiled over its outer (tile) loops, as its TilingInterface is. It
// moves 256x512 f32 in and out, 1048576 B, in 0.3511 us at the H100's
// 3430 GB/s * 0.8706; 8x8 outer tiles make 4 * 8 = 32 blocks, each moving its
// share at one SM's share of the bandwidth: 0.3511 * 132 / 32 = 1.4484 us,
// + 27.6 us of launch = 29.048 us; 8x16 tiles make 16 blocks (30.497 us).
// GPU-LABEL: func.func @pack
// GPU: linalg.pack {{.*}}tilecast.tile_decision = #tilecast.tile_decision<tile = [8, 8], latency_us = 29.048{{[0-9]*}}, runner_up = [8, 16], runner_up_latency_us = 30.496{{[0-9]*}}, candidates = 11, model = "analytical">
// APPLY-LABEL: func.func @pack
// APPLY:      scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c8
// APPLY:        scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c8
// APPLY:          linalg.pack %{{.*}} inner_dims_pos = [0, 1] inner_tiles = [8, 8] into %{{.*}} {tilecast.tile_decision = {{.*}}} : tensor<64x64xf32> -> tensor<8x8x8x8xf32>
func.func @pack(%x: tensor<256x512xf32>, %e: tensor<32x64x8x8xf32>) -> tensor<32x64x8x8xf32> {
  %p = linalg.pack %x inner_dims_pos = [0, 1] inner_tiles = [8, 8] into %e : tensor<256x512xf32> -> tensor<32x64x8x8xf32>
  return %p : tensor<32x64x8x8xf32>
}

// -----

// A pad whose padding constant sits in its region is left as it is (upstream
// tiling would leave the constant behind; the transform op refuses it with
// that reason, tile-by-cost-invalid.mlir): no decision, no tiling.
// GPU-LABEL: func.func @pad_constant_in_region
// GPU-NOT:   tilecast.tile_decision
// GPU:       return
// APPLY-LABEL: func.func @pad_constant_in_region
// APPLY-NOT:   scf.for
// APPLY:       tensor.pad
// APPLY:         arith.constant
// APPLY:       return
func.func @pad_constant_in_region(%x: tensor<1000x1000xf32>) -> tensor<1024x1024xf32> {
  %r = tensor.pad %x low[12, 0] high[12, 24] {
  ^bb0(%i: index, %j: index):
    %z = arith.constant 0.0 : f32
    tensor.yield %z : f32
  } : tensor<1000x1000xf32> to tensor<1024x1024xf32>
  return %r : tensor<1024x1024xf32>
}
