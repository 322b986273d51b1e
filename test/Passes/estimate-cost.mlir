// RUN: tilecast-opt %s -split-input-file --pass-pipeline='builtin.module(tilecast-annotate-target{target=v100},tilecast-estimate-cost{model=analytical})' | FileCheck %s

// A frontend-style matmul on the V100. 2*256*128*512 FLOPs; A and B read,
// C written (the fill initialises the accumulator in registers, so it runs
// no kernel of its own and gets no cost). Fastest: 64x64 blocks with K split
// 8 ways, 64 blocks in one wave on 80 SMs, each 2*64*64*64*(1 + 6.648*2/64)
// / 1.59665e11 + 2722 / 1.37e9 = 5.953 us; plus 46.5 us of dispatch.
// CHECK-LABEL: func.func @matmul
// CHECK: linalg.fill
// CHECK-NOT: tilecast.cost
// CHECK-SAME: outs
// CHECK: linalg.matmul {tilecast.cost = #tilecast.cost<latency_us = 52.452{{[0-9]*}}, lower_us = {{[0-9.]+}}, upper_us = {{[0-9.]+}}, compute_us = 5.952{{[0-9]*}}, memory_us = {{[0-9.]+}}, overhead_us = 46.5, flops = 33554432, bytes = 917504, bound = overhead, source = analytical>}
func.func @matmul(%a: tensor<256x512xf32>, %b: tensor<512x128xf32>) -> tensor<256x128xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<256x128xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<256x128xf32>) -> tensor<256x128xf32>
  %r = linalg.matmul ins(%a, %b : tensor<256x512xf32>, tensor<512x128xf32>) outs(%c : tensor<256x128xf32>) -> tensor<256x128xf32>
  return %r : tensor<256x128xf32>
}

// -----

// add of two [1024, 1024] f32 tensors on the V100 streams 12 MiB at 87% of
// 900 GB/s (16.06 us) after a 27.6 us launch: overhead-bound, 43.66 us.
// CHECK-LABEL: func.func @add
// CHECK: linalg.generic {{.*}}tilecast.cost = #tilecast.cost<latency_us = 43.659{{[0-9]*}}, lower_us = 32.356{{[0-9]*}}, upper_us = 66.760{{[0-9]*}}, compute_us = 0.0747{{[0-9]*}}, memory_us = 16.059{{[0-9]*}}, overhead_us = 27.6, flops = 1048576, bytes = 12582912, bound = overhead, source = analytical>
func.func @add(%x: tensor<1024x1024xf32>, %y: tensor<1024x1024xf32>) -> tensor<1024x1024xf32> {
  %e = tensor.empty() : tensor<1024x1024xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>],
                       iterator_types = ["parallel", "parallel"]}
      ins(%x, %y : tensor<1024x1024xf32>, tensor<1024x1024xf32>) outs(%e : tensor<1024x1024xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<1024x1024xf32>
  return %r : tensor<1024x1024xf32>
}

// -----

// The softmax of the unit test (AnalyticalModelTest.cpp): 47.146 us.
// CHECK-LABEL: func.func @softmax
// CHECK: linalg.softmax {tilecast.cost = #tilecast.cost<latency_us = 47.146{{[0-9]*}}, {{.*}}bound = overhead, source = analytical>}
func.func @softmax(%x: tensor<1024x1024xf32>) -> tensor<1024x1024xf32> {
  %e = tensor.empty() : tensor<1024x1024xf32>
  %r = linalg.softmax dimension(1) ins(%x : tensor<1024x1024xf32>) outs(%e : tensor<1024x1024xf32>) -> tensor<1024x1024xf32>
  return %r : tensor<1024x1024xf32>
}

// -----

// Data movement: a transpose and a concatenation are costed by their bytes.
// CHECK-LABEL: func.func @data_movement
// CHECK: linalg.transpose {{.*}}tilecast.cost = #tilecast.cost<{{.*}}flops = 0, bytes = 8192, bound = overhead
// CHECK: tensor.concat {{.*}}tilecast.cost = #tilecast.cost<{{.*}}flops = 0, bytes = 16384, bound = overhead
func.func @data_movement(%x: tensor<32x32xf32>) -> tensor<64x32xf32> {
  %e = tensor.empty() : tensor<32x32xf32>
  %t = linalg.transpose ins(%x : tensor<32x32xf32>) outs(%e : tensor<32x32xf32>) permutation = [1, 0]
  %c = tensor.concat dim(0) %x, %t : (tensor<32x32xf32>, tensor<32x32xf32>) -> tensor<64x32xf32>
  return %c : tensor<64x32xf32>
}

// -----

// Relayouts move their bytes, padding included: the pack reads 250x512 f32
// (512000 bytes) and writes 32x64 tiles of 8x8 (524288 bytes); the unpack
// moves the same bytes the other way. The gather reads the 32 rows of 64 f32
// it gathers (8192 bytes) and their 32 indices (8 bytes each, 256), and
// writes 8192 bytes; the rest of the table is not touched. A memref.copy of
// 256x1024 f32 reads and writes 1 MiB.
// CHECK-LABEL: func.func @relayout_and_gather
// CHECK: linalg.pack {{.*}}tilecast.cost = #tilecast.cost<{{.*}}flops = 0, bytes = 1036288, bound = overhead
// CHECK: linalg.unpack {{.*}}tilecast.cost = #tilecast.cost<{{.*}}flops = 0, bytes = 1036288, bound = overhead
// CHECK: tensor.gather {{.*}}tilecast.cost = #tilecast.cost<{{.*}}flops = 0, bytes = 16640, bound = overhead
// CHECK: memref.copy {{.*}}tilecast.cost = #tilecast.cost<{{.*}}flops = 0, bytes = 2097152, bound = overhead
func.func @relayout_and_gather(%x: tensor<250x512xf32>, %table: tensor<1000x64xf32>, %ids: tensor<32x1xindex>,
                               %src: memref<256x1024xf32>, %dst: memref<256x1024xf32>)
    -> (tensor<250x512xf32>, tensor<32x64xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<32x64x8x8xf32>
  %p = linalg.pack %x padding_value(%zero : f32) inner_dims_pos = [0, 1] inner_tiles = [8, 8] into %e
      : tensor<250x512xf32> -> tensor<32x64x8x8xf32>
  %f = tensor.empty() : tensor<250x512xf32>
  %u = linalg.unpack %p inner_dims_pos = [0, 1] inner_tiles = [8, 8] into %f
      : tensor<32x64x8x8xf32> -> tensor<250x512xf32>
  %g = tensor.gather %table[%ids] gather_dims([0]) : (tensor<1000x64xf32>, tensor<32x1xindex>) -> tensor<32x64xf32>
  memref.copy %src, %dst : memref<256x1024xf32> to memref<256x1024xf32>
  return %u, %g : tensor<250x512xf32>, tensor<32x64xf32>
}

// -----

// An op inherits the nearest target: this function overrides the module's.
// CHECK-LABEL: func.func @overridden
// CHECK: linalg.generic {{.*}}tilecast.cost = #tilecast.cost<latency_us = 5.0{{[0-9]*}}, {{.*}}overhead_us = 5.0,
func.func @overridden(%x: tensor<16xf32>) -> tensor<16xf32> attributes {tilecast.target = #tilecast.target<"toy", kind = gpu, compute_units = 10, lanes_per_unit = 64, lanes_shared_with_int32 = 0, clock_mhz = 1000.0, memory_bandwidth_gbps = 100.0, l2_cache_mib = 2.0, l1_cache_kib = 64.0, max_threads_per_unit = 1024, launch_overhead_us = 5.0, peak_tflops = {f32 = 1.28 : f64}>} {
  %e = tensor.empty() : tensor<16xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>], iterator_types = ["parallel"]}
      ins(%x : tensor<16xf32>) outs(%e : tensor<16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.mulf %a, %a : f32
    linalg.yield %s : f32
  } -> tensor<16xf32>
  return %r : tensor<16xf32>
}

// -----

// Pooling shares the convolution interface but multiplies nothing: it is a
// window reduction, streamed, not an implicit GEMM: 9 max per output, the
// input, window and output read, the output written. Index element types
// cost 8 bytes per element.
// CHECK-LABEL: func.func @pooling
// CHECK: linalg.pooling_nhwc_max {{.*}}tilecast.cost = #tilecast.cost<{{.*}}flops = 294912, bytes = 410148, bound = overhead
// CHECK: linalg.generic {{.*}}tilecast.cost = #tilecast.cost<{{.*}}flops = 16, bytes = 256, bound = overhead
func.func @pooling(%x: tensor<1x34x34x32xf32>, %w: tensor<3x3xf32>, %o: tensor<1x32x32x32xf32>, %i: tensor<16xindex>) -> (tensor<1x32x32x32xf32>, tensor<16xindex>) {
  %r = linalg.pooling_nhwc_max {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x34x34x32xf32>, tensor<3x3xf32>) outs(%o : tensor<1x32x32x32xf32>) -> tensor<1x32x32x32xf32>
  %e = tensor.empty() : tensor<16xindex>
  %s = linalg.generic {indexing_maps = [affine_map<(d) -> (d)>, affine_map<(d) -> (d)>], iterator_types = ["parallel"]}
      ins(%i : tensor<16xindex>) outs(%e : tensor<16xindex>) {
  ^bb0(%a: index, %b: index):
    %t = arith.muli %a, %a : index
    linalg.yield %t : index
  } -> tensor<16xindex>
  return %r, %s : tensor<1x32x32x32xf32>, tensor<16xindex>
}

// -----

// Casts are not arithmetic: an i8 matmul (its payload extends both operands
// to i32 with arith.extsi) does 2*64*64*64 FLOPs, one multiply and one add
// per step, as an f16 one (arith.extf) does.
// CHECK-LABEL: func.func @casts
// CHECK: linalg.matmul {{.*}}flops = 524288,
// CHECK: linalg.matmul {{.*}}flops = 524288,
func.func @casts(%a: tensor<64x64xi8>, %b: tensor<64x64xi8>, %c: tensor<64x64xi32>,
                 %x: tensor<64x64xf16>, %y: tensor<64x64xf16>, %z: tensor<64x64xf32>) -> (tensor<64x64xi32>, tensor<64x64xf32>) {
  %r = linalg.matmul ins(%a, %b : tensor<64x64xi8>, tensor<64x64xi8>) outs(%c : tensor<64x64xi32>) -> tensor<64x64xi32>
  %s = linalg.matmul ins(%x, %y : tensor<64x64xf16>, tensor<64x64xf16>) outs(%z : tensor<64x64xf32>) -> tensor<64x64xf32>
  return %r, %s : tensor<64x64xi32>, tensor<64x64xf32>
}

// -----

// An empty input of a concat adds nothing: 4x8 f32 read and written, 256
// bytes, as if it were a copy.
// CHECK-LABEL: func.func @concat_empty
// CHECK: tensor.concat {{.*}}tilecast.cost = #tilecast.cost<{{.*}}flops = 0, bytes = 256, bound = overhead
func.func @concat_empty(%x: tensor<4x8xf32>, %y: tensor<0x8xf32>) -> tensor<4x8xf32> {
  %c = tensor.concat dim(0) %x, %y : (tensor<4x8xf32>, tensor<0x8xf32>) -> tensor<4x8xf32>
  return %c : tensor<4x8xf32>
}

// -----

// A gather on buffers: memref.load of a table defined outside the payload
// reads one element per iteration, as tensor.extract does. 16 iterations:
// 64 bytes of indices read, 64 gathered, 64 written; the payload's only
// arithmetic is the index cast, which is not a FLOP.
// CHECK-LABEL: func.func @memref_gather
// CHECK: linalg.generic {{.*}}tilecast.cost = #tilecast.cost<{{.*}}flops = 0, bytes = 192,
#memref_gather_map = affine_map<(i) -> (i)>
func.func @memref_gather(%ids: memref<16xi32>, %table: memref<100xf32>, %out: memref<16xf32>) {
  linalg.generic {indexing_maps = [#memref_gather_map, #memref_gather_map], iterator_types = ["parallel"]}
      ins(%ids : memref<16xi32>) outs(%out : memref<16xf32>) {
  ^bb0(%id: i32, %o: f32):
    %i = arith.index_cast %id : i32 to index
    %v = memref.load %table[%i] : memref<100xf32>
    linalg.yield %v : f32
  }
  return
}

// -----

// Quantized products are GEMMs and convolutions of their first two inputs:
// the zero points (scalars) move no data, and the kernel does two operations
// per multiply-add, as the unquantized op. The matmul: 64x16x32 = 32768
// multiply-adds (65536), A 2048 B and B 512 B of i8 read, C 4096 B of i32
// written (the fill initialises it in registers). The convolution: 8x8
// output pixels x 4 channels x 3x3x8 = 18432 multiply-adds (36864), input
// 800 B, filter 288 B, output 1024 B.
// CHECK-LABEL: func.func @quantized
// CHECK: linalg.quantized_matmul {{.*}}tilecast.cost = #tilecast.cost<{{.*}}flops = 65536, bytes = 6656, bound = overhead
// CHECK: linalg.conv_2d_nhwc_hwcf_q {{.*}}tilecast.cost = #tilecast.cost<{{.*}}flops = 36864, bytes = 2112, bound = overhead
func.func @quantized(%a: tensor<64x32xi8>, %b: tensor<32x16xi8>, %za: i32, %zb: i32,
                     %x: tensor<1x10x10x8xi8>, %f: tensor<3x3x8x4xi8>) -> (tensor<64x16xi32>, tensor<1x8x8x4xi32>) {
  %zero = arith.constant 0 : i32
  %e = tensor.empty() : tensor<64x16xi32>
  %c = linalg.fill ins(%zero : i32) outs(%e : tensor<64x16xi32>) -> tensor<64x16xi32>
  %r = linalg.quantized_matmul ins(%a, %b, %za, %zb : tensor<64x32xi8>, tensor<32x16xi8>, i32, i32) outs(%c : tensor<64x16xi32>) -> tensor<64x16xi32>
  %eo = tensor.empty() : tensor<1x8x8x4xi32>
  %co = linalg.fill ins(%zero : i32) outs(%eo : tensor<1x8x8x4xi32>) -> tensor<1x8x8x4xi32>
  %o = linalg.conv_2d_nhwc_hwcf_q {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %f, %za, %zb : tensor<1x10x10x8xi8>, tensor<3x3x8x4xi8>, i32, i32) outs(%co : tensor<1x8x8x4xi32>) -> tensor<1x8x8x4xi32>
  return %r, %o : tensor<64x16xi32>, tensor<1x8x8x4xi32>
}

// -----

// A fill is folded into the matmul whose accumulator it initialises also
// when -linalg-generalize-named-ops wrote it as a linalg.generic, and after
// bufferization, when the matmul is the next op to use the filled buffer;
// allocating and freeing the buffer runs no kernel. Each matmul: 65536
// flops, A 8192 B and B 2048 B read, C 4096 B written and not read.
// CHECK-LABEL: func.func @fills
// CHECK: linalg.generic
// CHECK-NOT: tilecast.cost
// CHECK: linalg.matmul {{.*}}tilecast.cost = #tilecast.cost<{{.*}}flops = 65536, bytes = 14336, bound = overhead
// CHECK: memref.alloc()
// CHECK-NOT: tilecast.cost
// CHECK: linalg.fill
// CHECK-NOT: tilecast.cost
// CHECK: linalg.matmul {{.*}}tilecast.cost = #tilecast.cost<{{.*}}flops = 65536, bytes = 14336, bound = overhead
// CHECK: memref.dealloc
// CHECK-NOT: tilecast.cost
// CHECK: return
#fill_scalar = affine_map<(d0, d1) -> ()>
#fill_id = affine_map<(d0, d1) -> (d0, d1)>
func.func @fills(%a: tensor<64x32xf32>, %b: tensor<32x16xf32>, %ma: memref<64x32xf32>, %mb: memref<32x16xf32>) -> tensor<64x16xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x16xf32>
  %c = linalg.generic {indexing_maps = [#fill_scalar, #fill_id], iterator_types = ["parallel", "parallel"]} ins(%zero : f32) outs(%e : tensor<64x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<64x16xf32>
  %r = linalg.matmul ins(%a, %b : tensor<64x32xf32>, tensor<32x16xf32>) outs(%c : tensor<64x16xf32>) -> tensor<64x16xf32>
  %buf = memref.alloc() : memref<64x16xf32>
  linalg.fill ins(%zero : f32) outs(%buf : memref<64x16xf32>)
  linalg.matmul ins(%ma, %mb : memref<64x32xf32>, memref<32x16xf32>) outs(%buf : memref<64x16xf32>)
  memref.dealloc %buf : memref<64x16xf32>
  return %r : tensor<64x16xf32>
}

// -----

// A slice that only names where its users write (the output tile of a tiled
// op, an init no payload reads) moves no data and gets no cost; a slice read
// as an input is a copy: 16x32 f32 read and written, 4096 bytes.
// CHECK-LABEL: func.func @destination_slice
// CHECK: tensor.extract_slice
// CHECK-SAME: tilecast.cost = #tilecast.cost<{{.*}}flops = 0, bytes = 4096, bound = overhead
// CHECK: tensor.extract_slice
// CHECK-NOT: tilecast.cost
// CHECK-SAME: to tensor<16x32xf32>
// CHECK: linalg.generic {{.*}}tilecast.cost = #tilecast.cost<{{.*}}bytes = 4096, bound = overhead
func.func @destination_slice(%x: tensor<64x32xf32>, %dest: tensor<64x32xf32>, %i: index) -> tensor<16x32xf32> {
  %in = tensor.extract_slice %x[%i, 0] [16, 32] [1, 1] : tensor<64x32xf32> to tensor<16x32xf32>
  %out = tensor.extract_slice %dest[%i, 0] [16, 32] [1, 1] : tensor<64x32xf32> to tensor<16x32xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%in : tensor<16x32xf32>) outs(%out : tensor<16x32xf32>) {
  ^bb0(%a: f32, %o: f32):
    %n = arith.negf %a : f32
    linalg.yield %n : f32
  } -> tensor<16x32xf32>
  return %r : tensor<16x32xf32>
}

// -----

// A buffer fill is not folded when something else may touch the buffer
// between it and the matmul: through a view of it, through the buffer a
// filled view views, or in a loop. The
// fill then writes 4096 B, and the matmul reads C: 8192 + 2048 + 4096 B
// read, 4096 B written.
// CHECK-LABEL: func.func @fill_then_view
// CHECK: linalg.fill {{.*}}tilecast.cost = #tilecast.cost<{{.*}}bytes = 4096,
// CHECK: linalg.matmul {{.*}}tilecast.cost = #tilecast.cost<{{.*}}flops = 65536, bytes = 18432,
// CHECK-LABEL: func.func @fill_of_a_view
// CHECK: linalg.fill {{.*}}tilecast.cost = #tilecast.cost<{{.*}}bytes = 4096,
// CHECK: linalg.matmul {{.*}}tilecast.cost = #tilecast.cost<{{.*}}flops = 65536, bytes = 18432,
// CHECK-LABEL: func.func @fill_then_loop
// CHECK: linalg.fill {{.*}}tilecast.cost = #tilecast.cost<{{.*}}bytes = 4096,
// CHECK: linalg.matmul {{.*}}tilecast.cost = #tilecast.cost<{{.*}}flops = 65536, bytes = 18432,
func.func @fill_then_view(%a: memref<64x32xf32>, %b: memref<32x16xf32>, %x: memref<32x16xf32>) {
  %zero = arith.constant 0.0 : f32
  %buf = memref.alloc() : memref<64x16xf32>
  %view = memref.subview %buf[0, 0] [32, 16] [1, 1] : memref<64x16xf32> to memref<32x16xf32, strided<[16, 1]>>
  linalg.fill ins(%zero : f32) outs(%buf : memref<64x16xf32>)
  linalg.copy ins(%x : memref<32x16xf32>) outs(%view : memref<32x16xf32, strided<[16, 1]>>)
  linalg.matmul ins(%a, %b : memref<64x32xf32>, memref<32x16xf32>) outs(%buf : memref<64x16xf32>)
  memref.dealloc %buf : memref<64x16xf32>
  return
}
func.func @fill_of_a_view(%a: memref<64x32xf32>, %b: memref<32x16xf32>, %x: memref<64x16xf32>) {
  %zero = arith.constant 0.0 : f32
  %buf = memref.alloc() : memref<64x16xf32>
  %view = memref.cast %buf : memref<64x16xf32> to memref<64x16xf32, strided<[16, 1]>>
  linalg.fill ins(%zero : f32) outs(%view : memref<64x16xf32, strided<[16, 1]>>)
  linalg.copy ins(%x : memref<64x16xf32>) outs(%buf : memref<64x16xf32>)
  linalg.matmul ins(%a, %b : memref<64x32xf32>, memref<32x16xf32>) outs(%view : memref<64x16xf32, strided<[16, 1]>>)
  memref.dealloc %buf : memref<64x16xf32>
  return
}
func.func @fill_then_loop(%a: memref<64x32xf32>, %b: memref<32x16xf32>, %x: memref<64x16xf32>, %y: memref<64x16xf32>) {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %c1 = arith.constant 1 : index
  %buf = memref.alloc() : memref<64x16xf32>
  linalg.fill ins(%zero : f32) outs(%buf : memref<64x16xf32>)
  scf.for %i = %c0 to %c4 step %c1 {
    linalg.add ins(%buf, %x : memref<64x16xf32>, memref<64x16xf32>) outs(%y : memref<64x16xf32>)
  }
  linalg.matmul ins(%a, %b : memref<64x32xf32>, memref<32x16xf32>) outs(%buf : memref<64x16xf32>)
  memref.dealloc %buf : memref<64x16xf32>
  return
}

// -----

// Tiled code: each tile of the exp is computed into its slice of the loop's
// destination and inserted back at the same place, which moves no data (the
// exp wrote it in place); the input tile is a copy (8 x 32 f32 read and
// written, 2048 B); the exp reads the tile and writes its result, 2048 B. An
// insert of a tile computed elsewhere is a copy of the tile.
// CHECK-LABEL: func.func @tiled
// CHECK: scf.for
// CHECK: tensor.extract_slice {{.*}}tilecast.cost = #tilecast.cost<{{.*}}bytes = 2048,
// CHECK: tensor.extract_slice
// CHECK-NOT: tilecast.cost
// CHECK-SAME: to tensor<8x32xf32>
// CHECK: linalg.exp {{.*}}tilecast.cost = #tilecast.cost<{{.*}}bytes = 2048,
// CHECK: tensor.insert_slice
// CHECK-NOT: tilecast.cost
// CHECK-SAME: into tensor<64x32xf32>
// CHECK: tensor.insert_slice {{.*}}tilecast.cost = #tilecast.cost<{{.*}}bytes = 2048,
// An accumulator tile put back in place is read where it lies: the slice is
// no copy, the matmul reads it (A 128 B, B 512 B, C 1024 B) and writes it
// (1024 B).
// CHECK-LABEL: func.func @accumulator_tile
// CHECK: tensor.extract_slice
// CHECK-NOT: tilecast.cost
// CHECK-SAME: to tensor<8x32xf32>
// CHECK: linalg.matmul {{.*}}tilecast.cost = #tilecast.cost<{{.*}}bytes = 2688,
// CHECK: tensor.insert_slice
// CHECK-NOT: tilecast.cost
// CHECK-SAME: into tensor<64x32xf32>
func.func @tiled(%x: tensor<64x32xf32>, %init: tensor<64x32xf32>, %other: tensor<64x32xf32>) -> (tensor<64x32xf32>, tensor<64x32xf32>) {
  %c0 = arith.constant 0 : index
  %c8 = arith.constant 8 : index
  %c64 = arith.constant 64 : index
  %r = scf.for %i = %c0 to %c64 step %c8 iter_args(%acc = %init) -> (tensor<64x32xf32>) {
    %in = tensor.extract_slice %x[%i, 0] [8, 32] [1, 1] : tensor<64x32xf32> to tensor<8x32xf32>
    %out = tensor.extract_slice %acc[%i, 0] [8, 32] [1, 1] : tensor<64x32xf32> to tensor<8x32xf32>
    %t = linalg.exp ins(%in : tensor<8x32xf32>) outs(%out : tensor<8x32xf32>) -> tensor<8x32xf32>
    %next = tensor.insert_slice %t into %acc[%i, 0] [8, 32] [1, 1] : tensor<8x32xf32> into tensor<64x32xf32>
    scf.yield %next : tensor<64x32xf32>
  }
  %e = tensor.empty() : tensor<8x32xf32>
  %s = tensor.insert_slice %e into %other[0, 0] [8, 32] [1, 1] : tensor<8x32xf32> into tensor<64x32xf32>
  return %r, %s : tensor<64x32xf32>, tensor<64x32xf32>
}
func.func @accumulator_tile(%a: tensor<8x4xf32>, %b: tensor<4x32xf32>, %d: tensor<64x32xf32>, %i: index) -> tensor<64x32xf32> {
  %s = tensor.extract_slice %d[%i, 0] [8, 32] [1, 1] : tensor<64x32xf32> to tensor<8x32xf32>
  %t = linalg.matmul ins(%a, %b : tensor<8x4xf32>, tensor<4x32xf32>) outs(%s : tensor<8x32xf32>) -> tensor<8x32xf32>
  %r = tensor.insert_slice %t into %d[%i, 0] [8, 32] [1, 1] : tensor<8x32xf32> into tensor<64x32xf32>
  return %r : tensor<64x32xf32>
}
