// RUN: tilecast-opt %s -split-input-file --pass-pipeline='builtin.module(tilecast-annotate-target{target=h100-sxm},transform-interpreter)' | FileCheck %s

// transform.tilecast.tile_by_cost decides as tilecast-select-tile-sizes does
// (test/Passes/select-tile-sizes.mlir: on the H100, 64x64 blocks of the
// 512x1024x256 matmul win by 0.2 us over 32x128 among 35 candidates) and tiles
// with upstream tiling; its results feed further transforms: here both
// handles are annotated and the exp producing A is fused into the loop nest.
// CHECK-LABEL: func.func @matmul
// CHECK:      scf.for %{{.*}} step %c64
// CHECK:        scf.for %{{.*}} step %c64
// CHECK:          linalg.exp {{.*}} -> tensor<64x256xf32>
// CHECK:          linalg.matmul {tilecast.tile_decision = #tilecast.tile_decision<tile = [64, 64, 0], latency_us = 53.36{{[0-9]*}}, runner_up = [32, 128, 0], runner_up_latency_us = 53.59{{[0-9]*}}, candidates = 35, model = "analytical">, tiled} ins(%{{.*}}, %{{.*}} : tensor<64x256xf32>, tensor<256x64xf32>) outs(%{{.*}} : tensor<64x64xf32>)
// CHECK:      } {outermost}
func.func @matmul(%x: tensor<512x256xf32>, %b: tensor<256x1024xf32>, %c: tensor<512x1024xf32>) -> tensor<512x1024xf32> {
  %ea = tensor.empty() : tensor<512x256xf32>
  %a = linalg.exp ins(%x : tensor<512x256xf32>) outs(%ea : tensor<512x256xf32>) -> tensor<512x256xf32>
  %r = linalg.matmul ins(%a, %b : tensor<512x256xf32>, tensor<256x1024xf32>) outs(%c : tensor<512x1024xf32>) -> tensor<512x1024xf32>
  return %r : tensor<512x1024xf32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %matmul = transform.structured.match ops{["linalg.matmul"]} in %root : (!transform.any_op) -> !transform.any_op
    %exp = transform.structured.match ops{["linalg.exp"]} in %root : (!transform.any_op) -> !transform.any_op
    %tiled, %loops = transform.tilecast.tile_by_cost %matmul : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    transform.annotate %tiled "tiled" : !transform.any_op
    transform.annotate %loops "outermost" : !transform.any_op
    transform.structured.fuse_into_containing_op %exp into %loops : (!transform.any_op, !transform.any_op) -> (!transform.any_op, !transform.any_op)
    transform.yield
  }
}

// -----

// A decision already on the op (by hand, or from an outside search) is
// applied as given; a loop of size 0 stays whole, so K is not tiled.
// CHECK-LABEL: func.func @override
// CHECK:      scf.for %{{.*}} step %c128
// CHECK:        scf.for %{{.*}} step %c32
// CHECK-NOT:      scf.for
// CHECK:          linalg.matmul {tilecast.tile_decision = #tilecast.tile_decision<tile = [128, 32, 0], latency_us = 1.0, runner_up = [], runner_up_latency_us = 1.0, candidates = 1, model = "hand">} ins(%{{.*}}, %{{.*}} : tensor<128x256xf32>, tensor<256x32xf32>)
func.func @override(%a: tensor<512x256xf32>, %b: tensor<256x1024xf32>, %c: tensor<512x1024xf32>) -> tensor<512x1024xf32> {
  %r = linalg.matmul {tilecast.tile_decision = #tilecast.tile_decision<tile = [128, 32, 0], latency_us = 1.0, runner_up = [], runner_up_latency_us = 1.0, candidates = 1, model = "hand">}
      ins(%a, %b : tensor<512x256xf32>, tensor<256x1024xf32>) outs(%c : tensor<512x1024xf32>) -> tensor<512x1024xf32>
  return %r : tensor<512x1024xf32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %matmul = transform.structured.match ops{["linalg.matmul"]} in %root : (!transform.any_op) -> !transform.any_op
    %tiled, %loops = transform.tilecast.tile_by_cost %matmul : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    transform.yield
  }
}

// -----

// A decision that tiles nothing leaves the op as it is: it is its own tiled
// op, and there is no loop to annotate.
// CHECK-LABEL: func.func @untiled
// CHECK-NOT:  scf.for
// CHECK:      linalg.matmul {tilecast.tile_decision = {{.*}}, tiled}
// CHECK-NEXT: return
func.func @untiled(%a: tensor<64x64xf32>, %b: tensor<64x64xf32>, %c: tensor<64x64xf32>) -> tensor<64x64xf32> {
  %r = linalg.matmul {tilecast.tile_decision = #tilecast.tile_decision<tile = [0, 0, 0], latency_us = 1.0, runner_up = [], runner_up_latency_us = 1.0, candidates = 1, model = "hand">}
      ins(%a, %b : tensor<64x64xf32>, tensor<64x64xf32>) outs(%c : tensor<64x64xf32>) -> tensor<64x64xf32>
  return %r : tensor<64x64xf32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %matmul = transform.structured.match ops{["linalg.matmul"]} in %root : (!transform.any_op) -> !transform.any_op
    %tiled, %loops = transform.tilecast.tile_by_cost %matmul : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    transform.annotate %tiled "tiled" : !transform.any_op
    transform.annotate %loops "outermost" : !transform.any_op
    transform.yield
  }
}

// -----

// Several payload ops: one tiled op each, in order, and one outermost loop
// for each op that was tiled.
// CHECK-LABEL: func.func @several
// CHECK:      scf.for
// CHECK:        linalg.matmul {{{.*}}tilecast.tile_decision = #tilecast.tile_decision<tile = [64, 64, 0]{{.*}}, tiled}
// CHECK:      } {outermost}
// CHECK:      scf.for
// CHECK:        linalg.softmax {{{.*}}tilecast.tile_decision = #tilecast.tile_decision<tile = [{{[0-9]+}}, 0]{{.*}}, tiled}
// CHECK:      } {outermost}
func.func @several(%a: tensor<512x256xf32>, %b: tensor<256x1024xf32>, %c: tensor<512x1024xf32>) -> (tensor<512x1024xf32>, tensor<512x1024xf32>) {
  %r = linalg.matmul ins(%a, %b : tensor<512x256xf32>, tensor<256x1024xf32>) outs(%c : tensor<512x1024xf32>) -> tensor<512x1024xf32>
  %e = tensor.empty() : tensor<512x1024xf32>
  %s = linalg.softmax dimension(1) ins(%r : tensor<512x1024xf32>) outs(%e : tensor<512x1024xf32>) -> tensor<512x1024xf32>
  return %r, %s : tensor<512x1024xf32>, tensor<512x1024xf32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %ops = transform.structured.match ops{["linalg.matmul", "linalg.softmax"]} in %root : (!transform.any_op) -> !transform.any_op
    %tiled, %loops = transform.tilecast.tile_by_cost %ops : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    transform.annotate %tiled "tiled" : !transform.any_op
    transform.annotate %loops "outermost" : !transform.any_op
    transform.yield
  }
}

// -----

// A failure is silenceable and comes before any change: suppressed, it leaves
// the matmul matched before the tensor.empty untiled and without a decision.
// CHECK-LABEL: func.func @suppressed
// CHECK-NOT:  scf.for
// CHECK-NOT:  tilecast.tile_decision
// CHECK:      linalg.matmul ins
func.func @suppressed(%a: tensor<512x256xf32>, %b: tensor<256x1024xf32>, %c: tensor<512x1024xf32>) -> (tensor<512x1024xf32>, tensor<8xf32>) {
  %r = linalg.matmul ins(%a, %b : tensor<512x256xf32>, tensor<256x1024xf32>) outs(%c : tensor<512x1024xf32>) -> tensor<512x1024xf32>
  %e = tensor.empty() : tensor<8xf32>
  return %r, %e : tensor<512x1024xf32>, tensor<8xf32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    transform.sequence %root : !transform.any_op failures(suppress) {
    ^bb0(%arg: !transform.any_op):
      %ops = transform.structured.match ops{["linalg.matmul", "tensor.empty"]} in %arg : (!transform.any_op) -> !transform.any_op
      %tiled, %loops = transform.tilecast.tile_by_cost %ops : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    }
    transform.yield
  }
}

// -----

// Ops on buffers are tiled the same way, to subviews.
// CHECK-LABEL: func.func @buffers
// CHECK:      scf.for %{{.*}} step %c64
// CHECK:        scf.for %{{.*}} step %c64
// CHECK:          memref.subview
// CHECK:          linalg.matmul {tilecast.tile_decision = #tilecast.tile_decision<tile = [64, 64, 0]
func.func @buffers(%a: memref<512x256xf32>, %b: memref<256x1024xf32>, %c: memref<512x1024xf32>) {
  linalg.matmul ins(%a, %b : memref<512x256xf32>, memref<256x1024xf32>) outs(%c : memref<512x1024xf32>)
  return
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %matmul = transform.structured.match ops{["linalg.matmul"]} in %root : (!transform.any_op) -> !transform.any_op
    %tiled, %loops = transform.tilecast.tile_by_cost %matmul : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    transform.yield
  }
}

// -----

// With `parallel`, the parallel loops become one scf.forall and the tiled
// reduction loop an scf.for inside it; `loops` is the scf.forall, into which
// the producer of A fuses like into an scf.for.
// CHECK-LABEL: func.func @parallel
// CHECK:      scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (512, 1024) step (64, 64)
// CHECK:        linalg.exp {{.*}} -> tensor<64x256xf32>
// CHECK:        scf.for %{{.*}} step %c128
// CHECK:          linalg.matmul {tilecast.tile_decision = {{.*}}, tiled} ins(%{{.*}}, %{{.*}} : tensor<64x128xf32>, tensor<128x64xf32>) outs(%{{.*}} : tensor<64x64xf32>)
// CHECK:      } {outermost}
func.func @parallel(%x: tensor<512x256xf32>, %b: tensor<256x1024xf32>, %c: tensor<512x1024xf32>) -> tensor<512x1024xf32> {
  %ea = tensor.empty() : tensor<512x256xf32>
  %a = linalg.exp ins(%x : tensor<512x256xf32>) outs(%ea : tensor<512x256xf32>) -> tensor<512x256xf32>
  %r = linalg.matmul {tilecast.tile_decision = #tilecast.tile_decision<tile = [64, 64, 128], latency_us = 1.0, runner_up = [], runner_up_latency_us = 1.0, candidates = 1, model = "hand">}
      ins(%a, %b : tensor<512x256xf32>, tensor<256x1024xf32>) outs(%c : tensor<512x1024xf32>) -> tensor<512x1024xf32>
  return %r : tensor<512x1024xf32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %matmul = transform.structured.match ops{["linalg.matmul"]} in %root : (!transform.any_op) -> !transform.any_op
    %exp = transform.structured.match ops{["linalg.exp"]} in %root : (!transform.any_op) -> !transform.any_op
    %tiled, %loops = transform.tilecast.tile_by_cost %matmul {parallel} : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    transform.annotate %tiled "tiled" : !transform.any_op
    transform.annotate %loops "outermost" : !transform.any_op
    transform.structured.fuse_into_containing_op %exp into %loops : (!transform.any_op, !transform.any_op) -> (!transform.any_op, !transform.any_op)
    transform.yield
  }
}

// -----

// With `parallel` but only the reduction loop tiled there is no scf.forall:
// `loops` is the one scf.for.
// CHECK-LABEL: func.func @parallel_only_reduction
// CHECK-NOT:  scf.forall
// CHECK:      scf.for %{{.*}} step %c128
// CHECK:        linalg.matmul {tilecast.tile_decision = {{.*}}, tiled} ins(%{{.*}}, %{{.*}} : tensor<512x128xf32>, tensor<128x1024xf32>) outs(%{{.*}} : tensor<512x1024xf32>)
// CHECK:      } {outermost}
func.func @parallel_only_reduction(%a: tensor<512x256xf32>, %b: tensor<256x1024xf32>, %c: tensor<512x1024xf32>) -> tensor<512x1024xf32> {
  %r = linalg.matmul {tilecast.tile_decision = #tilecast.tile_decision<tile = [0, 0, 128], latency_us = 1.0, runner_up = [], runner_up_latency_us = 1.0, candidates = 1, model = "hand">}
      ins(%a, %b : tensor<512x256xf32>, tensor<256x1024xf32>) outs(%c : tensor<512x1024xf32>) -> tensor<512x1024xf32>
  return %r : tensor<512x1024xf32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %matmul = transform.structured.match ops{["linalg.matmul"]} in %root : (!transform.any_op) -> !transform.any_op
    %tiled, %loops = transform.tilecast.tile_by_cost %matmul {parallel} : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    transform.annotate %tiled "tiled" : !transform.any_op
    transform.annotate %loops "outermost" : !transform.any_op
    transform.yield
  }
}
