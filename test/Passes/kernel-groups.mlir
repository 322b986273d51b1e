// RUN: tilecast-opt %s -split-input-file -verify-diagnostics --pass-pipeline='builtin.module(tilecast-annotate-target{target=v100},tilecast-estimate-cost)' | FileCheck %s

// A layer norm written as three generics carrying the same
// #tilecast.kernel is one kernel: the cost sits on the last member, with
// the layer-norm overhead (27.6 + 18.1 = 45.7 us on the V100), the summed
// flops (1024 x 768 x (1 + 4 + 8) = 10223616: the sum, the centred square,
// the normalisation) and the bytes of what enters and leaves the group:
// x read once (3145728), gamma and beta (2 x 3072), y written (3145728) =
// 6297600. The [1024] statistics stay on chip.

#map = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
#col = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @layer_norm
func.func @layer_norm(%x: tensor<1024x768xf32>, %g: tensor<768xf32>, %b: tensor<768xf32>) -> tensor<1024x768xf32> {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant 0.0013020833 : f32
  %eps = arith.constant 1.0e-5 : f32
  %e1 = tensor.empty() : tensor<1024xf32>
  %z1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<1024xf32>) -> tensor<1024xf32>
  // CHECK: linalg.generic
  // CHECK-NOT: tilecast.cost
  // CHECK-SAME: tilecast.kernel = #tilecast.kernel<"ln", layernorm>
  %sum = linalg.generic {indexing_maps = [#map, #row], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<1024x768xf32>) outs(%z1 : tensor<1024xf32>) attrs = {tilecast.kernel = #tilecast.kernel<"ln", layernorm>} {
  ^bb0(%in: f32, %acc: f32):
    %s = arith.addf %in, %acc : f32
    linalg.yield %s : f32
  } -> tensor<1024xf32>
  %z2 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<1024xf32>) -> tensor<1024xf32>
  // CHECK: linalg.generic
  // CHECK-NOT: tilecast.cost
  // CHECK-SAME: tilecast.kernel = #tilecast.kernel<"ln", layernorm>
  %var = linalg.generic {indexing_maps = [#map, #row, #row], iterator_types = ["parallel", "reduction"]} ins(%x, %sum : tensor<1024x768xf32>, tensor<1024xf32>) outs(%z2 : tensor<1024xf32>) attrs = {tilecast.kernel = #tilecast.kernel<"ln", layernorm>} {
  ^bb0(%in: f32, %s: f32, %acc: f32):
    %m = arith.mulf %s, %w : f32
    %c = arith.subf %in, %m : f32
    %q = arith.mulf %c, %c : f32
    %a = arith.addf %acc, %q : f32
    linalg.yield %a : f32
  } -> tensor<1024xf32>
  %e2 = tensor.empty() : tensor<1024x768xf32>
  // CHECK: linalg.generic
  // CHECK-SAME: tilecast.cost = #tilecast.cost<latency_us = {{[0-9.]+}}, lower_us = {{[0-9.]+}}, upper_us = {{[0-9.]+}}, compute_us = {{[0-9.e-]+}}, memory_us = {{[0-9.]+}}, overhead_us = 45.7{{[0-9]*}}, flops = 10223616, bytes = 6297600, bound = overhead, source = analytical>
  // CHECK-SAME: tilecast.kernel = #tilecast.kernel<"ln", layernorm>
  %y = linalg.generic {indexing_maps = [#map, #row, #row, #col, #col, #map], iterator_types = ["parallel", "parallel"]} ins(%x, %sum, %var, %g, %b : tensor<1024x768xf32>, tensor<1024xf32>, tensor<1024xf32>, tensor<768xf32>, tensor<768xf32>) outs(%e2 : tensor<1024x768xf32>) attrs = {tilecast.kernel = #tilecast.kernel<"ln", layernorm>} {
  ^bb0(%in: f32, %s: f32, %v: f32, %gg: f32, %bb: f32, %o: f32):
    %m = arith.mulf %s, %w : f32
    %vv = arith.mulf %v, %w : f32
    %ve = arith.addf %vv, %eps : f32
    %r = math.rsqrt %ve : f32
    %c = arith.subf %in, %m : f32
    %n = arith.mulf %c, %r : f32
    %t = arith.mulf %n, %gg : f32
    %u = arith.addf %t, %bb : f32
    linalg.yield %u : f32
  } -> tensor<1024x768xf32>
  return %y : tensor<1024x768xf32>
}

// -----

// A GEMM with its bias epilogue: one linear kernel (overhead 46.5 us on the
// V100) reading x (524288 bytes), W (262144) and the bias (512) and writing
// y (131072): 918016 bytes; the broadcast of the bias is part of the kernel.

// CHECK-LABEL: func.func @linear_with_bias
func.func @linear_with_bias(%x: tensor<256x512xf32>, %w: tensor<512x128xf32>, %bias: tensor<128xf32>) -> tensor<256x128xf32> {
  %e = tensor.empty() : tensor<256x128xf32>
  // CHECK: linalg.generic
  // CHECK-NOT: tilecast.cost
  %init = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%bias : tensor<128xf32>) outs(%e : tensor<256x128xf32>) attrs = {tilecast.kernel = #tilecast.kernel<"fc", contraction>} {
  ^bb0(%in: f32, %o: f32):
    linalg.yield %in : f32
  } -> tensor<256x128xf32>
  // CHECK: linalg.matmul
  // CHECK-SAME: overhead_us = 46.5, flops = 33554432, bytes = 918016
  %y = linalg.matmul {tilecast.kernel = #tilecast.kernel<"fc", contraction>} ins(%x, %w : tensor<256x512xf32>, tensor<512x128xf32>) outs(%init : tensor<256x128xf32>) -> tensor<256x128xf32>
  return %y : tensor<256x128xf32>
}

// -----

// Members of one group must agree on the kind.
func.func @kinds_disagree(%x: tensor<16xf32>) -> tensor<16xf32> {
  %e = tensor.empty() : tensor<16xf32>
  // expected-error @+1 {{kernel group 'g' is marked 'elementwise' here}}
  %a = linalg.add {tilecast.kernel = #tilecast.kernel<"g", elementwise>} ins(%x, %x : tensor<16xf32>, tensor<16xf32>) outs(%e : tensor<16xf32>) -> tensor<16xf32>
  // expected-note @+1 {{and 'softmax' here; every member of a group names the same kind}}
  %b = linalg.mul {tilecast.kernel = #tilecast.kernel<"g", softmax>} ins(%a, %x : tensor<16xf32>, tensor<16xf32>) outs(%e : tensor<16xf32>) -> tensor<16xf32>
  return %b : tensor<16xf32>
}

// -----

// A softmax group without a reduction is refused with a hint.
func.func @softmax_without_reduction(%x: tensor<16xf32>) -> tensor<16xf32> {
  %e = tensor.empty() : tensor<16xf32>
  // expected-error @+2 {{a 'softmax' kernel group needs a reduction among its members}}
  // expected-note @+1 {{mark the ops the kernel computes with the same group name, or choose the kind that matches them}}
  %a = linalg.add {tilecast.kernel = #tilecast.kernel<"s", softmax>} ins(%x, %x : tensor<16xf32>, tensor<16xf32>) outs(%e : tensor<16xf32>) -> tensor<16xf32>
  return %a : tensor<16xf32>
}

// -----

// A contraction in an element-wise or row-wise group is refused: its time is
// not streaming traffic.
func.func @contraction_in_elementwise_group(%a: tensor<64x64xf32>, %c: tensor<64x64xf32>) -> tensor<64x64xf32> {
  %e = tensor.empty() : tensor<64x64xf32>
  // expected-error @+2 {{an 'elementwise' kernel group cannot hold a contraction}}
  // expected-note @+1 {{a kernel that computes a contraction is a 'contraction' group}}
  %m = linalg.matmul {tilecast.kernel = #tilecast.kernel<"m", elementwise>} ins(%a, %a : tensor<64x64xf32>, tensor<64x64xf32>) outs(%c : tensor<64x64xf32>) -> tensor<64x64xf32>
  %r = linalg.exp {tilecast.kernel = #tilecast.kernel<"m", elementwise>} ins(%m : tensor<64x64xf32>) outs(%e : tensor<64x64xf32>) -> tensor<64x64xf32>
  return %r : tensor<64x64xf32>
}

// -----

func.func @convolution_in_reduction_group(%i: tensor<1x10x10x8xf32>, %f: tensor<3x3x8x8xf32>, %o: tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32> {
  // expected-error @+2 {{a kernel group cannot hold a convolution}}
  // expected-note @+1 {{convolutions are costed as kernels of their own}}
  %r = linalg.conv_2d_nhwc_hwcf {tilecast.kernel = #tilecast.kernel<"c", reduction>} ins(%i, %f : tensor<1x10x10x8xf32>, tensor<3x3x8x8xf32>) outs(%o : tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  return %r : tensor<1x8x8x8xf32>
}

// -----

// Nor a contraction group: it would be costed as the matmul's GEMM with the
// convolution's FLOPs added.
func.func @convolution_in_contraction_group(%i: tensor<1x10x10x8xf32>, %f: tensor<3x3x8x8xf32>, %o: tensor<1x8x8x8xf32>, %a: tensor<64x8xf32>, %b: tensor<8x8xf32>, %c: tensor<64x8xf32>) -> (tensor<1x8x8x8xf32>, tensor<64x8xf32>) {
  // expected-error @+2 {{a kernel group cannot hold a convolution}}
  // expected-note @+1 {{convolutions are costed as kernels of their own}}
  %r = linalg.conv_2d_nhwc_hwcf {tilecast.kernel = #tilecast.kernel<"g", contraction>} ins(%i, %f : tensor<1x10x10x8xf32>, tensor<3x3x8x8xf32>) outs(%o : tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  %m = linalg.matmul {tilecast.kernel = #tilecast.kernel<"g", contraction>} ins(%a, %b : tensor<64x8xf32>, tensor<8x8xf32>) outs(%c : tensor<64x8xf32>) -> tensor<64x8xf32>
  return %r, %m : tensor<1x8x8x8xf32>, tensor<64x8xf32>
}

// -----

// An op that runs no kernel cannot be a member, also when it comes last:
// the group is costed on its last linalg member, which reports the stray one
// (before, the group took the stray op as its leader and went uncosted).
func.func @member_after_the_kernel_runs_none(%x: tensor<1024xf32>, %y: tensor<1024xf32>) -> tensor<32x32xf32> {
  %c = linalg.copy {tilecast.kernel = #tilecast.kernel<"g", elementwise>} ins(%x : tensor<1024xf32>) outs(%y : tensor<1024xf32>) -> tensor<1024xf32>
  // expected-error @+2 {{cannot put 'tensor.expand_shape' in a kernel group}}
  // expected-note @+1 {{kernel groups are made of linalg ops and linalg.softmax}}
  %e = tensor.expand_shape %c [[0, 1]] output_shape [32, 32] {tilecast.kernel = #tilecast.kernel<"g", elementwise>} : tensor<1024xf32> into tensor<32x32xf32>
  return %e : tensor<32x32xf32>
}

// -----

func.func @member_before_the_kernel_runs_none(%x: tensor<1024xf32>, %y: tensor<1024xf32>) -> tensor<1024xf32> {
  // expected-error @+2 {{cannot put 'tensor.empty' in a kernel group}}
  // expected-note @+1 {{kernel groups are made of linalg ops and linalg.softmax}}
  %e = tensor.empty() {tilecast.kernel = #tilecast.kernel<"g", elementwise>} : tensor<1024xf32>
  %c = linalg.copy {tilecast.kernel = #tilecast.kernel<"g", elementwise>} ins(%x : tensor<1024xf32>) outs(%e : tensor<1024xf32>) -> tensor<1024xf32>
  return %c : tensor<1024xf32>
}

// -----

// A reduction over one element (a softmax gradient's row sum at sequence
// length 1) is element-wise work, but its op reduces: the softmax group is
// built around it (it was refused for want of a reduction). FLOPs: 64 adds
// and 64 divides = 128; bytes: x read (256), the sums' init read, since the
// payload accumulates into it (256), y written (256) = 768. The softmax
// overhead on the V100 is 27.6 + 6.2 = 33.8 us.
#id = affine_map<(d0, d1) -> (d0, d1)>
#rows = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @softmax_over_unit_rows
func.func @softmax_over_unit_rows(%x: tensor<64x1xf32>, %o: tensor<64xf32>) -> tensor<64x1xf32> {
  // CHECK: linalg.generic
  // CHECK-NOT: tilecast.cost
  // CHECK-SAME: tilecast.kernel = #tilecast.kernel<"sm", softmax>
  %s = linalg.generic {indexing_maps = [#id, #rows], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<64x1xf32>) outs(%o : tensor<64xf32>) attrs = {tilecast.kernel = #tilecast.kernel<"sm", softmax>} {
  ^bb0(%a: f32, %acc: f32):
    %r = arith.addf %a, %acc : f32
    linalg.yield %r : f32
  } -> tensor<64xf32>
  %e = tensor.empty() : tensor<64x1xf32>
  // CHECK: linalg.generic
  // CHECK-SAME: tilecast.cost = #tilecast.cost<latency_us = 33.8{{[0-9]*}},
  // CHECK-SAME: overhead_us = 33.8, flops = 128, bytes = 768,
  %y = linalg.generic {indexing_maps = [#id, #rows, #id], iterator_types = ["parallel", "parallel"]} ins(%x, %s : tensor<64x1xf32>, tensor<64xf32>) outs(%e : tensor<64x1xf32>) attrs = {tilecast.kernel = #tilecast.kernel<"sm", softmax>} {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %r = arith.divf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<64x1xf32>
  return %y : tensor<64x1xf32>
}

// -----

// Reshapes move no data: an add whose [2, 512, 64] result is collapsed to
// [1024, 64] and scaled by the second member stays on chip. The group reads
// the two inputs (2 x 262144 B) once, the collapsed view of %x, which the
// second member also reads, being %x itself, and writes the scaled result
// (262144 B): 786432 bytes, 2 x 65536 flops.
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#id2 = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @through_reshapes
func.func @through_reshapes(%x: tensor<2x512x64xf32>, %y: tensor<2x512x64xf32>) -> tensor<1024x64xf32> {
  %e = tensor.empty() : tensor<2x512x64xf32>
  %sum = linalg.generic {indexing_maps = [#id3, #id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%x, %y : tensor<2x512x64xf32>, tensor<2x512x64xf32>) outs(%e : tensor<2x512x64xf32>) attrs = {tilecast.kernel = #tilecast.kernel<"add_scale", elementwise>} {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<2x512x64xf32>
  %flat = tensor.collapse_shape %sum [[0, 1], [2]] : tensor<2x512x64xf32> into tensor<1024x64xf32>
  %xflat = tensor.collapse_shape %x [[0, 1], [2]] : tensor<2x512x64xf32> into tensor<1024x64xf32>
  %e2 = tensor.empty() : tensor<1024x64xf32>
  // CHECK: linalg.generic {{.*}}tilecast.cost = #tilecast.cost<{{.*}}flops = 131072, bytes = 786432,
  %r = linalg.generic {indexing_maps = [#id2, #id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%flat, %xflat : tensor<1024x64xf32>, tensor<1024x64xf32>) outs(%e2 : tensor<1024x64xf32>) attrs = {tilecast.kernel = #tilecast.kernel<"add_scale", elementwise>} {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %m = arith.mulf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<1024x64xf32>
  return %r : tensor<1024x64xf32>
}

// -----

// Inlining or unrolling a block repeats its groups' names in one block: a
// group is the ops of one name that reach one another through the values
// they pass (here through reshapes), so each copy, apart from the other
// (here by a kernel of another name), is a kernel of its own, priced as the
// one group alone would be: 1024 x 768 x 2 flops (the sum and the
// division), x read once (3145728 B), y written once (3145728 B). Copies
// that fed one another directly would be one group.
// CHECK-LABEL: func.func @inlined_twice
// CHECK-NOT: tilecast.cost
// CHECK: tilecast.cost = #tilecast.cost<{{.*}}overhead_us = 33.8{{[0-9]*}}, flops = 1572864, bytes = 6291456, bound = overhead, source = analytical>
// CHECK-SAME: #tilecast.kernel<"sm", softmax>
// CHECK: math.tanh
// CHECK-NOT: tilecast.cost
// CHECK: tilecast.cost = #tilecast.cost<{{.*}}overhead_us = 33.8{{[0-9]*}}, flops = 1572864, bytes = 6291456, bound = overhead, source = analytical>
// CHECK-SAME: #tilecast.kernel<"sm", softmax>
#id = affine_map<(d0, d1) -> (d0, d1)>
#rows = affine_map<(d0, d1) -> (d0)>
func.func @inlined_twice(%x: tensor<1024x768xf32>) -> tensor<1024x768xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1024xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<1024xf32>) -> tensor<1024xf32>
  %o = tensor.empty() : tensor<1024x768xf32>
  %s1 = linalg.generic {indexing_maps = [#id, #rows], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<1024x768xf32>) outs(%z : tensor<1024xf32>) attrs = {tilecast.kernel = #tilecast.kernel<"sm", softmax>} {
  ^bb0(%in: f32, %acc: f32):
    %a = arith.addf %in, %acc : f32
    linalg.yield %a : f32
  } -> tensor<1024xf32>
  %c1 = tensor.expand_shape %s1 [[0, 1]] output_shape [1024, 1] : tensor<1024xf32> into tensor<1024x1xf32>
  %r1 = tensor.collapse_shape %c1 [[0, 1]] : tensor<1024x1xf32> into tensor<1024xf32>
  %y1 = linalg.generic {indexing_maps = [#id, #rows, #id], iterator_types = ["parallel", "parallel"]} ins(%x, %r1 : tensor<1024x768xf32>, tensor<1024xf32>) outs(%o : tensor<1024x768xf32>) attrs = {tilecast.kernel = #tilecast.kernel<"sm", softmax>} {
  ^bb0(%in: f32, %s: f32, %out: f32):
    %d = arith.divf %in, %s : f32
    linalg.yield %d : f32
  } -> tensor<1024x768xf32>
  %h = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%y1 : tensor<1024x768xf32>) outs(%o : tensor<1024x768xf32>) {
  ^bb0(%in: f32, %out: f32):
    %t = math.tanh %in : f32
    linalg.yield %t : f32
  } -> tensor<1024x768xf32>
  %s2 = linalg.generic {indexing_maps = [#id, #rows], iterator_types = ["parallel", "reduction"]} ins(%h : tensor<1024x768xf32>) outs(%z : tensor<1024xf32>) attrs = {tilecast.kernel = #tilecast.kernel<"sm", softmax>} {
  ^bb0(%in: f32, %acc: f32):
    %a = arith.addf %in, %acc : f32
    linalg.yield %a : f32
  } -> tensor<1024xf32>
  %y2 = linalg.generic {indexing_maps = [#id, #rows, #id], iterator_types = ["parallel", "parallel"]} ins(%h, %s2 : tensor<1024x768xf32>, tensor<1024xf32>) outs(%o : tensor<1024x768xf32>) attrs = {tilecast.kernel = #tilecast.kernel<"sm", softmax>} {
  ^bb0(%in: f32, %s: f32, %out: f32):
    %d = arith.divf %in, %s : f32
    linalg.yield %d : f32
  } -> tensor<1024x768xf32>
  return %y2 : tensor<1024x768xf32>
}

// -----

// An insert moves data in place, it is no kernel's op: it cannot be a member.
func.func @insert_in_a_group(%x: tensor<8x32xf32>, %d: tensor<64x32xf32>) -> tensor<64x32xf32> {
  %s = tensor.extract_slice %d[0, 0] [8, 32] [1, 1] : tensor<64x32xf32> to tensor<8x32xf32>
  %t = linalg.exp {tilecast.kernel = #tilecast.kernel<"g", elementwise>} ins(%x : tensor<8x32xf32>) outs(%s : tensor<8x32xf32>) -> tensor<8x32xf32>
  // expected-error @+2 {{cannot put 'tensor.insert_slice' in a kernel group}}
  // expected-note @+1 {{kernel groups are made of linalg ops and linalg.softmax}}
  %r = tensor.insert_slice %t into %d[0, 0] [8, 32] [1, 1] {tilecast.kernel = #tilecast.kernel<"g", elementwise>} : tensor<8x32xf32> into tensor<64x32xf32>
  return %r : tensor<64x32xf32>
}

// -----

// A member that is folded (a fill that initialises a matmul's accumulator)
// does not carry the group's cost, though it comes last: the exp does.
// CHECK-LABEL: func.func @folded_last_member
// CHECK: linalg.exp {{.*}}tilecast.cost = #tilecast.cost<{{.*}}flops = 256, bytes = 2048,
// CHECK: linalg.fill
// CHECK-NOT: tilecast.cost
// CHECK-SAME: outs
func.func @folded_last_member(%x: tensor<8x32xf32>, %a: tensor<8x4xf32>, %b: tensor<4x32xf32>) -> tensor<8x32xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x32xf32>
  %t = linalg.exp {tilecast.kernel = #tilecast.kernel<"g", elementwise>} ins(%x : tensor<8x32xf32>) outs(%e : tensor<8x32xf32>) -> tensor<8x32xf32>
  %f = linalg.fill {tilecast.kernel = #tilecast.kernel<"g", elementwise>} ins(%zero : f32) outs(%t : tensor<8x32xf32>) -> tensor<8x32xf32>
  %m = linalg.matmul ins(%a, %b : tensor<8x4xf32>, tensor<4x32xf32>) outs(%f : tensor<8x32xf32>) -> tensor<8x32xf32>
  return %m : tensor<8x32xf32>
}
