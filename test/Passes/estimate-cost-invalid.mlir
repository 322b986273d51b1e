// RUN: tilecast-opt %s -split-input-file --pass-pipeline='builtin.module(tilecast-annotate-target{target=p4},tilecast-estimate-cost)' -verify-diagnostics

func.func @dynamic(%a: tensor<?x128xf32>, %b: tensor<128x32xf32>, %c: tensor<?x32xf32>) -> tensor<?x32xf32> {
  // expected-error @+2 {{cannot cost an op with dynamic shapes}}
  // expected-note @+1 {{TileCast needs static shapes: specialise the function for concrete sizes (or cast to static tensor types) before costing}}
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
