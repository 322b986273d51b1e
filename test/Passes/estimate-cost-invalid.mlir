// RUN: tilecast-opt %s -split-input-file --pass-pipeline='builtin.module(tilecast-annotate-target{target=p4},tilecast-estimate-cost)' -verify-diagnostics

func.func @dynamic(%a: tensor<?x128xf32>, %b: tensor<128x32xf32>, %c: tensor<?x32xf32>) -> tensor<?x32xf32> {
  // expected-error @+2 {{cannot cost an op with dynamic shapes}}
  // expected-note @+1 {{TileCast needs static shapes: specialise the function for concrete sizes (or cast to static types) before costing}}
  %r = linalg.matmul ins(%a, %b : tensor<?x128xf32>, tensor<128x32xf32>) outs(%c : tensor<?x32xf32>) -> tensor<?x32xf32>
  return %r : tensor<?x32xf32>
}

// -----

// The P4 has no bf16 arithmetic.
func.func @bf16_on_p4(%a: tensor<64x64xbf16>, %b: tensor<64x64xbf16>, %c: tensor<64x64xbf16>) -> tensor<64x64xbf16> {
  // expected-error @+2 {{target 'p4' has no bf16 arithmetic path}}
  // expected-note @+1 {{cost the op in a type the target supports, or give a spec file whose peak_tflops lists 'bf16'}}
  %r = linalg.matmul ins(%a, %b : tensor<64x64xbf16>, tensor<64x64xbf16>) outs(%c : tensor<64x64xbf16>) -> tensor<64x64xbf16>
  return %r : tensor<64x64xbf16>
}

// -----

func.func @complex(%a: tensor<8xcomplex<f32>>, %c: tensor<8xcomplex<f32>>) -> tensor<8xcomplex<f32>> {
  // expected-error @+2 {{cannot cost an op on elements of type 'complex<f32>'}}
  // expected-note @+1 {{supported element types are floats and integers}}
  %r = linalg.copy ins(%a : tensor<8xcomplex<f32>>) outs(%c : tensor<8xcomplex<f32>>) -> tensor<8xcomplex<f32>>
  return %r : tensor<8xcomplex<f32>>
}

// -----

func.func @i32_matmul(%a: tensor<8x8xi32>, %b: tensor<8x8xi32>, %c: tensor<8x8xi32>) -> tensor<8x8xi32> {
  // expected-error @+2 {{cannot cost a contraction computing in 'i32'}}
  // expected-note @+1 {{TileCast models f64, f32, f16, bf16 and i8 contractions, and float or integer element-wise ops}}
  %r = linalg.matmul ins(%a, %b : tensor<8x8xi32>, tensor<8x8xi32>) outs(%c : tensor<8x8xi32>) -> tensor<8x8xi32>
  return %r : tensor<8x8xi32>
}

// -----

// Ops without a model are reported, not silently costed as zero.
func.func @unknown(%x: tensor<8xf32>) -> tensor<8xi32> {
  // expected-remark @+1 {{no cost model for 'tensor.bitcast'; it is left out of the totals}}
  %r = tensor.bitcast %x : tensor<8xf32> to tensor<8xi32>
  return %r : tensor<8xi32>
}

// -----

func.func @empty(%a: tensor<0x16xf32>, %b: tensor<16x8xf32>, %c: tensor<0x8xf32>) -> tensor<0x8xf32> {
  // expected-error @+2 {{cannot cost an op on the empty 'tensor<0x16xf32>'}}
  // expected-note @+1 {{an empty tensor does no work: fold it away (e.g. -canonicalize) before costing}}
  %r = linalg.matmul ins(%a, %b : tensor<0x16xf32>, tensor<16x8xf32>) outs(%c : tensor<0x8xf32>) -> tensor<0x8xf32>
  return %r : tensor<0x8xf32>
}

// -----

func.func @empty_memref(%a: memref<0x256xf32>, %b: memref<0x256xf32>) {
  // expected-error @+2 {{cannot cost an op on the empty 'memref<0x256xf32>'}}
  // expected-note @+1 {{an empty memref does no work: fold it away (e.g. -canonicalize) before costing}}
  linalg.copy ins(%a : memref<0x256xf32>) outs(%b : memref<0x256xf32>)
  return
}

// -----

// Each operand fits the counters (2^58 bytes), their sum does not: 8 of them,
// 2^61 bytes, with the output read and written. The sum wrapped to 0 bytes
// (a silent 0 us under the roofline model) before it was checked.
#id = affine_map<(i, j) -> (i, j)>
func.func @sum_too_big(%a: tensor<268435456x134217728xf64>, %b: tensor<268435456x134217728xf64>, %c: tensor<268435456x134217728xf64>, %d: tensor<268435456x134217728xf64>, %e: tensor<268435456x134217728xf64>, %f: tensor<268435456x134217728xf64>, %g: tensor<268435456x134217728xf64>) -> tensor<268435456x134217728xf64> {
  %o = tensor.empty() : tensor<268435456x134217728xf64>
  // expected-error @+1 {{cannot cost this op: its operands' sizes together overflow TileCast's 64-bit counters}}
  %r = linalg.generic {indexing_maps = [#id, #id, #id, #id, #id, #id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%a, %b, %c, %d, %e, %f, %g : tensor<268435456x134217728xf64>, tensor<268435456x134217728xf64>, tensor<268435456x134217728xf64>, tensor<268435456x134217728xf64>, tensor<268435456x134217728xf64>, tensor<268435456x134217728xf64>, tensor<268435456x134217728xf64>) outs(%o : tensor<268435456x134217728xf64>) {
  ^bb0(%x0: f64, %x1: f64, %x2: f64, %x3: f64, %x4: f64, %x5: f64, %x6: f64, %w: f64):
    linalg.yield %x3 : f64
  } -> tensor<268435456x134217728xf64>
  return %r : tensor<268435456x134217728xf64>
}

// -----

func.func @too_big(%a: tensor<2097152x2097152xf32>, %b: tensor<2097152x2097152xf32>, %c: tensor<2097152x2097152xf32>) -> tensor<2097152x2097152xf32> {
  // expected-error @+1 {{cannot cost this op: its iteration count overflows TileCast's 64-bit counters}}
  %r = linalg.matmul ins(%a, %b : tensor<2097152x2097152xf32>, tensor<2097152x2097152xf32>) outs(%c : tensor<2097152x2097152xf32>) -> tensor<2097152x2097152xf32>
  return %r : tensor<2097152x2097152xf32>
}

// -----

// expected-error @+1 {{'tilecast.target' must be a #tilecast.target, got "t4"}}
func.func @wrong_attribute_kind() attributes {tilecast.target = "t4"} {
  return
}

// -----

// A gather is costed by its element's bytes: only integer and float elements
// have a size TileCast knows.
#gather_map = affine_map<(i) -> (i)>
func.func @gather_complex(%t: tensor<4xcomplex<f32>>, %x: tensor<16xf32>) -> tensor<16xf32> {
  %c0 = arith.constant 0 : index
  %e = tensor.empty() : tensor<16xf32>
  // expected-error @+1 {{cannot cost an op gathering elements of type 'complex<f32>'}}
  %r = linalg.generic {indexing_maps = [#gather_map, #gather_map], iterator_types = ["parallel"]}
      ins(%x : tensor<16xf32>) outs(%e : tensor<16xf32>) {
  ^bb0(%a: f32, %o: f32):
    // expected-note @+1 {{gathered here}}
    %v = tensor.extract %t[%c0] : tensor<4xcomplex<f32>>
    linalg.yield %a : f32
  } -> tensor<16xf32>
  return %r : tensor<16xf32>
}

// -----

// 2^30 x 2^30 iterations gathering two f64 each: 2^64 bytes.
#gather_i = affine_map<(i, j) -> (i)>
#gather_j = affine_map<(i, j) -> (j)>
#gather_ij = affine_map<(i, j) -> (i)>
func.func @gather_overflow(%x: tensor<1073741824xf32>, %y: tensor<1073741824xf32>, %t: tensor<4xf64>, %o: tensor<1073741824xf64>) -> tensor<1073741824xf64> {
  %c0 = arith.constant 0 : index
  // expected-error @+1 {{cannot cost this op: the bytes its payload gathers overflow TileCast's 64-bit counters}}
  %r = linalg.generic {indexing_maps = [#gather_i, #gather_j, #gather_ij], iterator_types = ["parallel", "reduction"]}
      ins(%x, %y : tensor<1073741824xf32>, tensor<1073741824xf32>) outs(%o : tensor<1073741824xf64>) {
  ^bb0(%a: f32, %b: f32, %acc: f64):
    %v = tensor.extract %t[%c0] : tensor<4xf64>
    %w = tensor.extract %t[%c0] : tensor<4xf64>
    %s = arith.addf %v, %w : f64
    linalg.yield %s : f64
  } -> tensor<1073741824xf64>
  return %r : tensor<1073741824xf64>
}

// -----

// A payload is counted once per iteration, op by op: a loop inside it would
// be counted as one operation.
#loop_map = affine_map<(i) -> (i)>
func.func @payload_loop(%x: tensor<16xf32>) -> tensor<16xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c1000 = arith.constant 1000 : index
  %e = tensor.empty() : tensor<16xf32>
  // expected-error @+1 {{cannot cost a linalg payload that contains 'scf.for'}}
  %r = linalg.generic {indexing_maps = [#loop_map, #loop_map], iterator_types = ["parallel"]}
      ins(%x : tensor<16xf32>) outs(%e : tensor<16xf32>) {
  ^bb0(%a: f32, %o: f32):
    // expected-note @+1 {{TileCast counts a payload's scalar operations once per iteration; loops, calls and tensor or buffer ops inside it are not modelled}}
    %s = scf.for %i = %c0 to %c1000 step %c1 iter_args(%v = %a) -> (f32) {
      %n = math.exp %v : f32
      scf.yield %n : f32
    }
    linalg.yield %s : f32
  } -> tensor<16xf32>
  return %r : tensor<16xf32>
}

// -----

func.func private @scalar_work(f32) -> f32

#call_map = affine_map<(i) -> (i)>
func.func @payload_call(%x: tensor<16xf32>) -> tensor<16xf32> {
  %e = tensor.empty() : tensor<16xf32>
  // expected-error @+1 {{cannot cost a linalg payload that contains 'func.call'}}
  %r = linalg.generic {indexing_maps = [#call_map, #call_map], iterator_types = ["parallel"]}
      ins(%x : tensor<16xf32>) outs(%e : tensor<16xf32>) {
  ^bb0(%a: f32, %o: f32):
    // expected-note @+1 {{TileCast counts a payload's scalar operations}}
    %s = func.call @scalar_work(%a) : (f32) -> f32
    linalg.yield %s : f32
  } -> tensor<16xf32>
  return %r : tensor<16xf32>
}

// -----

// An op with a region that computes a tensor is a kernel without a model,
// reported like any other; not structure that runs nothing.
func.func @generate() -> tensor<64x64xf32> {
  // expected-remark @+1 {{no cost model for 'tensor.generate'; it is left out of the totals}}
  %r = tensor.generate {
  ^bb0(%i: index, %j: index):
    %c = arith.constant 1.0 : f32
    %v = math.exp %c : f32
    tensor.yield %v : f32
  } : tensor<64x64xf32>
  return %r : tensor<64x64xf32>
}

// -----

#csr = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 : compressed) }>
func.func @sparse(%a: tensor<64x64xf32, #csr>, %b: tensor<64x64xf32>, %c: tensor<64x64xf32>) -> tensor<64x64xf32> {
  // expected-error @+2 {{cannot cost an op on 'tensor<64x64xf32, #sparse_tensor.encoding}}
  // expected-note @+1 {{TileCast costs dense tensors; a tensor with an encoding (a sparse layout) stores and computes only part of its elements}}
  %r = linalg.matmul ins(%a, %b : tensor<64x64xf32, #csr>, tensor<64x64xf32>) outs(%c : tensor<64x64xf32>) -> tensor<64x64xf32>
  return %r : tensor<64x64xf32>
}

// -----

// The tiles of a tiling that does not divide its loop (1001 by 8) have
// dynamic sizes: the error says that the op is costed before tiling, where
// its decision was priced.
func.func @partial_tiles(%a: tensor<1001xf32>, %c: tensor<1001xf32>) -> tensor<1001xf32> {
  %c0 = arith.constant 0 : index
  %c8 = arith.constant 8 : index
  %c1001 = arith.constant 1001 : index
  %r = scf.for %i = %c0 to %c1001 step %c8 iter_args(%acc = %c) -> (tensor<1001xf32>) {
    %n = affine.min affine_map<(d0) -> (-d0 + 1001, 8)>(%i)
    // expected-error @+3 {{cannot cost an op with dynamic shapes}}
    // expected-note @+2 {{TileCast needs static shapes}}
    // expected-note @+1 {{this op is part of an applied tiling whose last tiles are partial}}
    %in = tensor.extract_slice %a[%i] [%n] [1] : tensor<1001xf32> to tensor<?xf32>
    %out = tensor.extract_slice %acc[%i] [%n] [1] : tensor<1001xf32> to tensor<?xf32>
    // expected-error @+3 {{cannot cost an op with dynamic shapes}}
    // expected-note @+2 {{TileCast needs static shapes}}
    // expected-note @+1 {{this op is part of an applied tiling whose last tiles are partial: cost the op before tiling; the #tilecast.tile_decision on its tiles holds the tiled time}}
    %e = linalg.exp {tilecast.tile_decision = #tilecast.tile_decision<tile = [8], latency_us = 30.0, runner_up = [16], runner_up_latency_us = 31.0, candidates = 2, model = "analytical">} ins(%in : tensor<?xf32>) outs(%out : tensor<?xf32>) -> tensor<?xf32>
    %put = tensor.insert_slice %e into %acc[%i] [%n] [1] : tensor<?xf32> into tensor<1001xf32>
    scf.yield %put : tensor<1001xf32>
  }
  return %r : tensor<1001xf32>
}
