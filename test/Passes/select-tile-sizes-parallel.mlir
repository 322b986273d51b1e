// RUN: tilecast-opt %s -split-input-file --pass-pipeline='builtin.module(tilecast-annotate-target{target=host},tilecast-select-tile-sizes{apply=true parallel=true})' | FileCheck %s
// RUN: tilecast-opt %s -split-input-file --pass-pipeline='builtin.module(tilecast-annotate-target{target=host},tilecast-select-tile-sizes{apply=true})' | FileCheck %s --check-prefix=FOR
// RUN: echo 'module {}' | not tilecast-opt --pass-pipeline='builtin.module(tilecast-select-tile-sizes{parallel=true})' 2>&1 | FileCheck %s --check-prefix=ALONE
// ALONE: error: tilecast-select-tile-sizes: parallel=true chooses the loops that apply=true builds; it needs apply=true

// With parallel=true the tiled parallel loops become one scf.forall, whose
// iterations may run on different cores. On the 2-core host a 512x768x256
// matmul is tiled into 32 blocks of 32x256, K whole. (A row stride of 768 f32
// spreads B's columns over 4 L1 sets: no K split pays for itself, unlike the
// 1024-wide product of select-tile-sizes.mlir.)
// CHECK-LABEL: func.func @matmul
// CHECK:       scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (512, 768) step (32, 256)
// CHECK-NOT:   scf.for
// CHECK:         linalg.matmul {tilecast.tile_decision = #tilecast.tile_decision<tile = [32, 256, 0]{{.*}}} ins(%{{.*}}, %{{.*}} : tensor<32x256xf32>, tensor<256x256xf32>) outs(%{{.*}} : tensor<32x256xf32>)
// CHECK:       scf.forall.in_parallel
// FOR-LABEL:   func.func @matmul
// FOR:         scf.for %{{.*}} step %c32
// FOR:           scf.for %{{.*}} step %c256
// FOR-NOT:     scf.forall
func.func @matmul(%a: tensor<512x256xf32>, %b: tensor<256x768xf32>) -> tensor<512x768xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<512x768xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<512x768xf32>) -> tensor<512x768xf32>
  %r = linalg.matmul ins(%a, %b : tensor<512x256xf32>, tensor<256x768xf32>) outs(%c : tensor<512x768xf32>) -> tensor<512x768xf32>
  return %r : tensor<512x768xf32>
}

// -----

// A tiled reduction loop stays an scf.for, inside the scf.forall: its
// iterations accumulate into one tile and cannot run at once.
// CHECK-LABEL: func.func @reduction_tiled
// CHECK:       scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (512, 1024) step (128, 32)
// CHECK:         scf.for %{{.*}} step %c64
// CHECK:           linalg.matmul {tilecast.tile_decision = {{.*}}} ins(%{{.*}}, %{{.*}} : tensor<128x64xf32>, tensor<64x32xf32>) outs(%{{.*}} : tensor<128x32xf32>)
func.func @reduction_tiled(%a: tensor<512x256xf32>, %b: tensor<256x1024xf32>, %c: tensor<512x1024xf32>) -> tensor<512x1024xf32> {
  %r = linalg.matmul {tilecast.tile_decision = #tilecast.tile_decision<tile = [128, 32, 64], latency_us = 1.0, runner_up = [], runner_up_latency_us = 1.0, candidates = 1, model = "hand">}
      ins(%a, %b : tensor<512x256xf32>, tensor<256x1024xf32>) outs(%c : tensor<512x1024xf32>) -> tensor<512x1024xf32>
  return %r : tensor<512x1024xf32>
}

// -----

// Only the reduction loop tiled: no scf.forall, one scf.for.
// CHECK-LABEL: func.func @only_reduction_tiled
// CHECK-NOT:   scf.forall
// CHECK:       scf.for %{{.*}} step %c64
// CHECK:         linalg.matmul {{.*}} ins(%{{.*}}, %{{.*}} : tensor<512x64xf32>, tensor<64x1024xf32>) outs(%{{.*}} : tensor<512x1024xf32>)
func.func @only_reduction_tiled(%a: tensor<512x256xf32>, %b: tensor<256x1024xf32>, %c: tensor<512x1024xf32>) -> tensor<512x1024xf32> {
  %r = linalg.matmul {tilecast.tile_decision = #tilecast.tile_decision<tile = [0, 0, 64], latency_us = 1.0, runner_up = [], runner_up_latency_us = 1.0, candidates = 1, model = "hand">}
      ins(%a, %b : tensor<512x256xf32>, tensor<256x1024xf32>) outs(%c : tensor<512x1024xf32>) -> tensor<512x1024xf32>
  return %r : tensor<512x1024xf32>
}

// -----

// A batch loop is parallel: batches and rows of a batch_matmul share one
// scf.forall, the reduction loop inside it.
// CHECK-LABEL: func.func @batch_matmul
// CHECK:       scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (8, 128) step (2, 64)
// CHECK:         scf.for %{{.*}} step %c32
// CHECK:           linalg.batch_matmul {tilecast.tile_decision = {{.*}}} ins(%{{.*}}, %{{.*}} : tensor<2x64x32xf32>, tensor<2x32x256xf32>) outs(%{{.*}} : tensor<2x64x256xf32>)
func.func @batch_matmul(%a: tensor<8x128x64xf32>, %b: tensor<8x64x256xf32>, %c: tensor<8x128x256xf32>) -> tensor<8x128x256xf32> {
  %r = linalg.batch_matmul {tilecast.tile_decision = #tilecast.tile_decision<tile = [2, 64, 0, 32], latency_us = 1.0, runner_up = [], runner_up_latency_us = 1.0, candidates = 1, model = "hand">}
      ins(%a, %b : tensor<8x128x64xf32>, tensor<8x64x256xf32>) outs(%c : tensor<8x128x256xf32>) -> tensor<8x128x256xf32>
  return %r : tensor<8x128x256xf32>
}

// -----

// A convolution's loops (n, oh, ow, f parallel; kh, kw, c reductions): the
// output rows and channels in the scf.forall, the input channels in an
// scf.for; the 3x3 window stays whole.
// CHECK-LABEL: func.func @conv
// CHECK:       scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (32, 64) step (8, 32)
// CHECK:         scf.for %{{.*}} step %c16
// CHECK:           linalg.conv_2d_nhwc_hwcf {{{.*}}tilecast.tile_decision = {{.*}}} ins(%{{.*}}, %{{.*}} : tensor<1x10x34x16xf32>, tensor<3x3x16x32xf32>) outs(%{{.*}} : tensor<1x8x32x32xf32>)
func.func @conv(%x: tensor<1x34x34x64xf32>, %w: tensor<3x3x64x64xf32>, %o: tensor<1x32x32x64xf32>) -> tensor<1x32x32x64xf32> {
  %r = linalg.conv_2d_nhwc_hwcf {tilecast.tile_decision = #tilecast.tile_decision<tile = [0, 8, 0, 32, 0, 0, 16], latency_us = 1.0, runner_up = [], runner_up_latency_us = 1.0, candidates = 1, model = "hand">, dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x34x34x64xf32>, tensor<3x3x64x64xf32>) outs(%o : tensor<1x32x32x64xf32>) -> tensor<1x32x32x64xf32>
  return %r : tensor<1x32x32x64xf32>
}
