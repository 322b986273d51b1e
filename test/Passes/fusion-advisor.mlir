// RUN: tilecast-opt %s -split-input-file --pass-pipeline='builtin.module(tilecast-annotate-target{target=v100},tilecast-fusion-advisor)' | FileCheck %s
// RUN: tilecast-opt %s -split-input-file --pass-pipeline='builtin.module(tilecast-annotate-target{target=v100},tilecast-fusion-advisor{apply=true})' | FileCheck %s --check-prefix=APPLY

#id = affine_map<(i, j) -> (i, j)>

// add(x, y) then x2 on [1024, 1024] f32, on the V100. Apart: the add streams
// 12 MiB (16.06 us + 27.6 us launch = 43.66 us), the scale 8 MiB (10.71 +
// 27.6 = 38.31 us): 81.97 us. Fused: x and y read, the result written, 12 MiB
// in one launch: 43.66 us. Saving 38.31 us.
// CHECK-LABEL: func.func @chain
// CHECK: linalg.generic {{.*}}tilecast.fusion = #tilecast.fusion<operand = 0, unfused_us = 81.96{{[0-9]*}}, fused_us = 43.65{{[0-9]*}}, saving_us = 38.30{{[0-9]*}}, fuse = true>
// APPLY-LABEL: func.func @chain
// APPLY: linalg.generic
// APPLY-SAME: ins(%{{.*}}, %{{.*}} : tensor<1024x1024xf32>, tensor<1024x1024xf32>)
// APPLY-NOT: linalg.generic
// APPLY: return
func.func @chain(%x: tensor<1024x1024xf32>, %y: tensor<1024x1024xf32>) -> tensor<1024x1024xf32> {
  %two = arith.constant 2.0 : f32
  %e = tensor.empty() : tensor<1024x1024xf32>
  %a = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %y : tensor<1024x1024xf32>, tensor<1024x1024xf32>) outs(%e : tensor<1024x1024xf32>) {
  ^bb0(%p: f32, %q: f32, %o: f32):
    %s = arith.addf %p, %q : f32
    linalg.yield %s : f32
  } -> tensor<1024x1024xf32>
  %b = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%a : tensor<1024x1024xf32>) outs(%e : tensor<1024x1024xf32>) {
  ^bb0(%p: f32, %o: f32):
    %s = arith.mulf %p, %two : f32
    linalg.yield %s : f32
  } -> tensor<1024x1024xf32>
  return %b : tensor<1024x1024xf32>
}

// -----

#id = affine_map<(i, j) -> (i, j)>

// (x + y) * y on [1024, 1024] f32, on the V100: both ops read y. Apart, each
// streams 12 MiB (16.059 + 27.6 us launch = 43.659 us): 87.318 us. Fused, x
// and y are read once each and the result written, 12 MiB in one launch:
// 43.659 us, not the 16 MiB (49.012 us) of counting y twice.
// CHECK-LABEL: func.func @shared_input
// CHECK: linalg.generic {{.*}}tilecast.fusion = #tilecast.fusion<operand = 0, unfused_us = 87.31{{[0-9]*}}, fused_us = 43.65{{[0-9]*}}, saving_us = 43.65{{[0-9]*}}, fuse = true>
// APPLY-LABEL: func.func @shared_input
// APPLY: linalg.generic
// APPLY-NOT: linalg.generic
// APPLY: return
func.func @shared_input(%x: tensor<1024x1024xf32>, %y: tensor<1024x1024xf32>) -> tensor<1024x1024xf32> {
  %e = tensor.empty() : tensor<1024x1024xf32>
  %a = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %y : tensor<1024x1024xf32>, tensor<1024x1024xf32>) outs(%e : tensor<1024x1024xf32>) {
  ^bb0(%p: f32, %q: f32, %o: f32):
    %s = arith.addf %p, %q : f32
    linalg.yield %s : f32
  } -> tensor<1024x1024xf32>
  %b = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%a, %y : tensor<1024x1024xf32>, tensor<1024x1024xf32>) outs(%e : tensor<1024x1024xf32>) {
  ^bb0(%p: f32, %q: f32, %o: f32):
    %s = arith.mulf %p, %q : f32
    linalg.yield %s : f32
  } -> tensor<1024x1024xf32>
  return %b : tensor<1024x1024xf32>
}

// -----

#id = affine_map<(i, j) -> (i, j)>
#s0 = affine_map<(i, j) -> (i, 0, j)>
#s1 = affine_map<(i, j) -> (i, 1, j)>

// Two slices of one tensor are not a shared read: x + y[:, 0, :] then
// * y[:, 1, :], on the V100. Each op reads its 4 MiB slice of y, so apart
// 43.659 + 43.659 us; fused, x and both slices (12 MiB) are read and the
// result written: 16 MiB, 21.412 + 27.6 = 49.012 us.
// CHECK-LABEL: func.func @slices
// CHECK: linalg.generic {{.*}}tilecast.fusion = #tilecast.fusion<operand = 0, unfused_us = 87.31{{[0-9]*}}, fused_us = 49.01{{[0-9]*}}, saving_us = 38.30{{[0-9]*}}, fuse = true>
func.func @slices(%x: tensor<1024x1024xf32>, %y: tensor<1024x8x1024xf32>) -> tensor<1024x1024xf32> {
  %e = tensor.empty() : tensor<1024x1024xf32>
  %a = linalg.generic {indexing_maps = [#id, #s0, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %y : tensor<1024x1024xf32>, tensor<1024x8x1024xf32>) outs(%e : tensor<1024x1024xf32>) {
  ^bb0(%p: f32, %q: f32, %o: f32):
    %r = arith.addf %p, %q : f32
    linalg.yield %r : f32
  } -> tensor<1024x1024xf32>
  %b = linalg.generic {indexing_maps = [#id, #s1, #id], iterator_types = ["parallel", "parallel"]}
      ins(%a, %y : tensor<1024x1024xf32>, tensor<1024x8x1024xf32>) outs(%e : tensor<1024x1024xf32>) {
  ^bb0(%p: f32, %q: f32, %o: f32):
    %r = arith.mulf %p, %q : f32
    linalg.yield %r : f32
  } -> tensor<1024x1024xf32>
  return %b : tensor<1024x1024xf32>
}

// -----

#id = affine_map<(i, j) -> (i, j)>
#scalar = affine_map<(i, j) -> ()>

// A scalar both ops read moves no bytes of its own: (x + s) * s on
// [64, 64] f32, on the V100, is two launches apart (2 x 27.64 us, its 32 KiB
// of traffic 0.04 us each) and one fused.
// CHECK-LABEL: func.func @shared_scalar
// CHECK: linalg.generic {{.*}}tilecast.fusion = #tilecast.fusion<operand = 0, unfused_us = 55.28{{[0-9]*}}, fused_us = 27.64{{[0-9]*}}, saving_us = 27.64{{[0-9]*}}, fuse = true>
func.func @shared_scalar(%x: tensor<64x64xf32>, %s: f32) -> tensor<64x64xf32> {
  %e = tensor.empty() : tensor<64x64xf32>
  %a = linalg.generic {indexing_maps = [#id, #scalar, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %s : tensor<64x64xf32>, f32) outs(%e : tensor<64x64xf32>) {
  ^bb0(%p: f32, %q: f32, %o: f32):
    %r = arith.addf %p, %q : f32
    linalg.yield %r : f32
  } -> tensor<64x64xf32>
  %b = linalg.generic {indexing_maps = [#id, #scalar, #id], iterator_types = ["parallel", "parallel"]}
      ins(%a, %s : tensor<64x64xf32>, f32) outs(%e : tensor<64x64xf32>) {
  ^bb0(%p: f32, %q: f32, %o: f32):
    %r = arith.mulf %p, %q : f32
    linalg.yield %r : f32
  } -> tensor<64x64xf32>
  return %b : tensor<64x64xf32>
}

// -----

#id = affine_map<(i, j) -> (i, j)>

// An element-wise producer of a matmul operand: advised (the launch and the
// intermediate's round trip are saved), but left for tiling-based fusion.
// CHECK-LABEL: func.func @into_matmul
// CHECK: linalg.generic {{.*}}tilecast.fusion = #tilecast.fusion<operand = 0, {{.*}}, fuse = true>
// APPLY-LABEL: func.func @into_matmul
// APPLY: linalg.generic
// APPLY: linalg.matmul
func.func @into_matmul(%x: tensor<512x512xf32>, %w: tensor<512x512xf32>, %c: tensor<512x512xf32>) -> tensor<512x512xf32> {
  %e = tensor.empty() : tensor<512x512xf32>
  %a = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<512x512xf32>) outs(%e : tensor<512x512xf32>) {
  ^bb0(%p: f32, %o: f32):
    %t = math.tanh %p : f32
    linalg.yield %t : f32
  } -> tensor<512x512xf32>
  %r = linalg.matmul ins(%a, %w : tensor<512x512xf32>, tensor<512x512xf32>) outs(%c : tensor<512x512xf32>) -> tensor<512x512xf32>
  return %r : tensor<512x512xf32>
}

// -----

// With apply=true only element-wise consumers fuse: a named producer of a
// matmul, and an exp feeding a convolution written as a linalg.generic
// (whose payload would run at each of the 3x3x64 multiply-adds of every
// output, not once per element), keep their advice, and both ops stay as
// they were (no generalized exp left behind).
// CHECK-LABEL: func.func @into_contractions
// CHECK: linalg.exp {{.*}}tilecast.fusion = #tilecast.fusion<operand = 0, {{.*}}, fuse = true>
// CHECK: linalg.matmul
// CHECK: linalg.exp {{.*}}tilecast.fusion = #tilecast.fusion<operand = 0, {{.*}}, fuse = true>
// CHECK: linalg.generic
// APPLY-LABEL: func.func @into_contractions
// APPLY: linalg.exp {{.*}}tilecast.fusion = #tilecast.fusion<operand = 0, {{.*}}, fuse = true>
// APPLY-NEXT: linalg.matmul
// APPLY: linalg.exp {{.*}}tilecast.fusion = #tilecast.fusion<operand = 0, {{.*}}, fuse = true>
// APPLY-NEXT: linalg.generic
// APPLY-NOT: math.exp
// APPLY: return
func.func @into_contractions(%x: tensor<512x512xf32>, %w: tensor<512x512xf32>, %c: tensor<512x512xf32>,
                             %img: tensor<1x34x34x64xf32>, %f: tensor<3x3x64x64xf32>, %o: tensor<1x32x32x64xf32>)
    -> (tensor<512x512xf32>, tensor<1x32x32x64xf32>) {
  %e = tensor.empty() : tensor<512x512xf32>
  %a = linalg.exp ins(%x : tensor<512x512xf32>) outs(%e : tensor<512x512xf32>) -> tensor<512x512xf32>
  %mm = linalg.matmul ins(%a, %w : tensor<512x512xf32>, tensor<512x512xf32>) outs(%c : tensor<512x512xf32>) -> tensor<512x512xf32>
  %ei = tensor.empty() : tensor<1x34x34x64xf32>
  %b = linalg.exp ins(%img : tensor<1x34x34x64xf32>) outs(%ei : tensor<1x34x34x64xf32>) -> tensor<1x34x34x64xf32>
  %conv = linalg.generic {indexing_maps = [affine_map<(n, h, w, k, kh, kw, c) -> (n, h + kh, w + kw, c)>,
                                           affine_map<(n, h, w, k, kh, kw, c) -> (kh, kw, c, k)>,
                                           affine_map<(n, h, w, k, kh, kw, c) -> (n, h, w, k)>],
                          iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%b, %f : tensor<1x34x34x64xf32>, tensor<3x3x64x64xf32>) outs(%o : tensor<1x32x32x64xf32>) {
  ^bb0(%p: f32, %q: f32, %acc: f32):
    %m = arith.mulf %p, %q : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<1x32x32x64xf32>
  return %mm, %conv : tensor<512x512xf32>, tensor<1x32x32x64xf32>
}

// -----

#id = affine_map<(i, j) -> (i, j)>

// A producer with two uses would have to be recomputed or still written:
// no advice.
// CHECK-LABEL: func.func @two_uses
// CHECK-NOT: tilecast.fusion
func.func @two_uses(%x: tensor<64x64xf32>) -> (tensor<64x64xf32>, tensor<64x64xf32>) {
  %e = tensor.empty() : tensor<64x64xf32>
  %a = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<64x64xf32>) outs(%e : tensor<64x64xf32>) {
  ^bb0(%p: f32, %o: f32):
    %s = arith.addf %p, %p : f32
    linalg.yield %s : f32
  } -> tensor<64x64xf32>
  %b = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%a : tensor<64x64xf32>) outs(%e : tensor<64x64xf32>) {
  ^bb0(%p: f32, %o: f32):
    %s = arith.mulf %p, %p : f32
    linalg.yield %s : f32
  } -> tensor<64x64xf32>
  return %a, %b : tensor<64x64xf32>, tensor<64x64xf32>
}

// -----

// Chains longer than a pair collapse step by step: square, add, tanh on
// [1024, 1024] f32 become one generic reading x and y. Each fusion replaces
// its consumer, which is the next pair's producer, so every pair is found in
// the IR as the last fusion left it (this chain once used the erased op).
// The fused op carries its consumer's own advice: here none is left.
#id3 = affine_map<(i, j) -> (i, j)>
// CHECK-LABEL: func.func @three
// CHECK: linalg.generic {{.*}}fuse = true
// CHECK: linalg.generic {{.*}}fuse = true
// APPLY-LABEL: func.func @three
// APPLY: linalg.generic
// APPLY-SAME: ins(%{{.*}}, %{{.*}} : tensor<1024x1024xf32>, tensor<1024x1024xf32>)
// APPLY-NOT: tilecast.fusion
// APPLY: math.tanh
// APPLY-NOT: linalg.generic
// APPLY: return
func.func @three(%x: tensor<1024x1024xf32>, %y: tensor<1024x1024xf32>) -> tensor<1024x1024xf32> {
  %e = tensor.empty() : tensor<1024x1024xf32>
  %a = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<1024x1024xf32>) outs(%e : tensor<1024x1024xf32>) {
  ^bb0(%in: f32, %o: f32):
    %s = arith.mulf %in, %in : f32
    linalg.yield %s : f32
  } -> tensor<1024x1024xf32>
  %b = linalg.generic {indexing_maps = [#id3, #id3, #id3], iterator_types = ["parallel", "parallel"]} ins(%a, %y : tensor<1024x1024xf32>, tensor<1024x1024xf32>) outs(%e : tensor<1024x1024xf32>) {
  ^bb0(%in: f32, %in2: f32, %o: f32):
    %s = arith.addf %in, %in2 : f32
    linalg.yield %s : f32
  } -> tensor<1024x1024xf32>
  %c = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel"]} ins(%b : tensor<1024x1024xf32>) outs(%e : tensor<1024x1024xf32>) {
  ^bb0(%in: f32, %o: f32):
    %t = math.tanh %in : f32
    linalg.yield %t : f32
  } -> tensor<1024x1024xf32>
  return %c : tensor<1024x1024xf32>
}

// -----

// Named element-wise ops are advised like generics, and fused as generics:
// linalg.add into linalg.exp (the @chain numbers: 38.31 us saved) becomes
// one generic. Two advised producers of one consumer (the exp's and the
// mul's) fuse one after the other.
// CHECK-LABEL: func.func @named
// CHECK: linalg.add {{.*}}tilecast.fusion = #tilecast.fusion<operand = 0, {{.*}}fuse = true>
// APPLY-LABEL: func.func @named
// APPLY: linalg.generic
// APPLY-SAME: ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<1024x1024xf32>, tensor<1024x1024xf32>, tensor<1024x1024xf32>)
// APPLY-NOT: linalg.generic
// APPLY-NOT: linalg.add
// APPLY-NOT: linalg.exp
// APPLY: return
func.func @named(%x: tensor<1024x1024xf32>, %y: tensor<1024x1024xf32>, %z: tensor<1024x1024xf32>) -> tensor<1024x1024xf32> {
  %e = tensor.empty() : tensor<1024x1024xf32>
  %a = linalg.add ins(%x, %y : tensor<1024x1024xf32>, tensor<1024x1024xf32>) outs(%e : tensor<1024x1024xf32>) -> tensor<1024x1024xf32>
  %b = linalg.exp ins(%a : tensor<1024x1024xf32>) outs(%e : tensor<1024x1024xf32>) -> tensor<1024x1024xf32>
  %c = linalg.exp ins(%z : tensor<1024x1024xf32>) outs(%e : tensor<1024x1024xf32>) -> tensor<1024x1024xf32>
  %d = linalg.mul ins(%b, %c : tensor<1024x1024xf32>, tensor<1024x1024xf32>) outs(%e : tensor<1024x1024xf32>) -> tensor<1024x1024xf32>
  return %d : tensor<1024x1024xf32>
}

// -----

// Index tensors are 8 bytes an element (the fused pair's intermediate
// included): add then mul on [64] index are advised, not a crash on their
// element type's bit width.
// CHECK-LABEL: func.func @index_chain
// CHECK: linalg.generic {{.*}}tilecast.fusion = #tilecast.fusion<operand = 0, {{.*}}fuse = true>
// APPLY-LABEL: func.func @index_chain
// APPLY: arith.addi
// APPLY-NEXT: arith.muli
// APPLY-NOT: linalg.generic
// APPLY: return
#id1 = affine_map<(i) -> (i)>
func.func @index_chain(%x: tensor<64xindex>) -> tensor<64xindex> {
  %e = tensor.empty() : tensor<64xindex>
  %a = linalg.generic {indexing_maps = [#id1, #id1], iterator_types = ["parallel"]} ins(%x : tensor<64xindex>) outs(%e : tensor<64xindex>) {
  ^bb0(%in: index, %o: index):
    %s = arith.addi %in, %in : index
    linalg.yield %s : index
  } -> tensor<64xindex>
  %b = linalg.generic {indexing_maps = [#id1, #id1], iterator_types = ["parallel"]} ins(%a : tensor<64xindex>) outs(%e : tensor<64xindex>) {
  ^bb0(%in: index, %o: index):
    %s = arith.muli %in, %in : index
    linalg.yield %s : index
  } -> tensor<64xindex>
  return %b : tensor<64xindex>
}

// -----

// Members of a kernel group already run as one kernel: neither is advised,
// nor fused into the exp after the group (the group's last op is its
// leader, and stays one).
// CHECK-LABEL: func.func @kernel_group
// CHECK-NOT: tilecast.fusion
// CHECK: return
// APPLY-LABEL: func.func @kernel_group
// APPLY-COUNT-3: linalg.exp
// APPLY: return
func.func @kernel_group(%x: tensor<1024x1024xf32>) -> tensor<1024x1024xf32> {
  %e = tensor.empty() : tensor<1024x1024xf32>
  %a = linalg.exp {tilecast.kernel = #tilecast.kernel<"k", elementwise>} ins(%x : tensor<1024x1024xf32>) outs(%e : tensor<1024x1024xf32>) -> tensor<1024x1024xf32>
  %b = linalg.exp {tilecast.kernel = #tilecast.kernel<"k", elementwise>} ins(%a : tensor<1024x1024xf32>) outs(%e : tensor<1024x1024xf32>) -> tensor<1024x1024xf32>
  %c = linalg.exp ins(%b : tensor<1024x1024xf32>) outs(%e : tensor<1024x1024xf32>) -> tensor<1024x1024xf32>
  return %c : tensor<1024x1024xf32>
}

// -----

#id = affine_map<(i, j) -> (i, j)>

// A producer that accumulates into its output (x + acc) keeps its result when
// fused (upstream fusion makes it a second result of the fused op, because
// the payload reads it), so the fused kernel still writes it: on the V100,
// x and acc read and both results written, 16 MiB (21.412 us + 27.6 us
// launch = 49.01 us), against 43.66 + 38.31 = 81.97 us apart.
// CHECK-LABEL: func.func @accumulating_producer
// CHECK: linalg.generic {{.*}}tilecast.fusion = #tilecast.fusion<operand = 0, unfused_us = 81.96{{[0-9]*}}, fused_us = 49.01{{[0-9]*}}, saving_us = 32.95{{[0-9]*}}, fuse = true>
// APPLY-LABEL: func.func @accumulating_producer
// APPLY: linalg.generic
// APPLY-SAME: outs(%{{.*}}, %{{.*}} : tensor<1024x1024xf32>, tensor<1024x1024xf32>)
// APPLY-NOT: linalg.generic
// APPLY: return
func.func @accumulating_producer(%x: tensor<1024x1024xf32>, %acc: tensor<1024x1024xf32>) -> tensor<1024x1024xf32> {
  %e = tensor.empty() : tensor<1024x1024xf32>
  %a = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<1024x1024xf32>) outs(%acc : tensor<1024x1024xf32>) {
  ^bb0(%p: f32, %o: f32):
    %t = arith.addf %p, %o : f32
    linalg.yield %t : f32
  } -> tensor<1024x1024xf32>
  %b = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%a : tensor<1024x1024xf32>) outs(%e : tensor<1024x1024xf32>) {
  ^bb0(%p: f32, %o: f32):
    %s = arith.negf %p : f32
    linalg.yield %s : f32
  } -> tensor<1024x1024xf32>
  return %b : tensor<1024x1024xf32>
}

// -----

// The consumer reads one row, (j) -> (0, j), of the 4096x4096 intermediate:
// 16 KiB of it, not 64 MiB. Subtracting the whole tensor from what the fused
// kernel reads made its traffic negative (fused_us = 28.80). The producer's
// loop i is indexed by its output alone, so upstream fusion keeps that result
// (linalg::getPreservedProducerResults): the fused kernel still writes its
// 64 MiB: (64 MiB + 32 KiB read and written by the rest) / (0.8706 x
// 900 GB/s) = 85.69 us + 27.6 us of launch =
// 113.29 us, against 140.91 us apart (the producer's 113.29 and 27.6).
// CHECK-LABEL: func.func @row_of_intermediate
// CHECK: tilecast.fusion = #tilecast.fusion<operand = 0, unfused_us = 140.91{{[0-9]*}}, fused_us = 113.29{{[0-9]*}}, saving_us = 27.62{{[0-9]*}}, fuse = true>
func.func @row_of_intermediate(%v: tensor<4096xf32>) -> tensor<4096xf32> {
  %e = tensor.empty() : tensor<4096x4096xf32>
  %p = linalg.generic {indexing_maps = [affine_map<(i, j) -> (j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%v : tensor<4096xf32>) outs(%e : tensor<4096x4096xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = math.exp %a : f32
    linalg.yield %s : f32
  } -> tensor<4096x4096xf32>
  %e1 = tensor.empty() : tensor<4096xf32>
  %c = linalg.generic {indexing_maps = [affine_map<(j) -> (0, j)>, affine_map<(j) -> (j)>], iterator_types = ["parallel"]}
      ins(%p : tensor<4096x4096xf32>) outs(%e1 : tensor<4096xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.mulf %a, %a : f32
    linalg.yield %s : f32
  } -> tensor<4096xf32>
  return %c : tensor<4096xf32>
}

// -----

// Both ops read the diagonal of %y, (i) -> (i, i): 4 KiB of its 4 MiB, which
// is what each op's workload counts, so it is not a shared read of the whole
// tensor (subtracting 4 MiB made the fused traffic negative). Fused: x and
// the diagonal twice, 12 KiB read, 4 KiB written, 16 KiB / (0.8706 x 900
// GB/s) = 0.0209 us + 27.6 us = 27.6209 us.
// CHECK-LABEL: func.func @diagonal_read_by_both
// CHECK: tilecast.fusion = #tilecast.fusion<operand = 0, unfused_us = {{[0-9.]+}}, fused_us = 27.6209{{[0-9]*}},
func.func @diagonal_read_by_both(%x: tensor<1024xf32>, %y: tensor<1024x1024xf32>) -> tensor<1024xf32> {
  %e = tensor.empty() : tensor<1024xf32>
  %p = linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i, i)>, affine_map<(i) -> (i)>],
                       iterator_types = ["parallel"]}
      ins(%x, %y : tensor<1024xf32>, tensor<1024x1024xf32>) outs(%e : tensor<1024xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<1024xf32>
  %e2 = tensor.empty() : tensor<1024xf32>
  %c = linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i, i)>, affine_map<(i) -> (i)>],
                       iterator_types = ["parallel"]}
      ins(%p, %y : tensor<1024xf32>, tensor<1024x1024xf32>) outs(%e2 : tensor<1024xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %m = arith.mulf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<1024xf32>
  return %c : tensor<1024xf32>
}
