// Names with control characters: a newline in a location, a tab in a symbol.
func.func @"tab\09name"(%x: tensor<16xf32>) -> tensor<16xf32> {
  %e = tensor.empty() : tensor<16xf32>
  %r = linalg.add ins(%x, %x : tensor<16xf32>, tensor<16xf32>) outs(%e : tensor<16xf32>) -> tensor<16xf32> loc("two\0Alines")
  return %r : tensor<16xf32>
}
