// A diamond (main -> a -> c, main -> c) and a cycle (b <-> d) entered from main.
func.func @main(%x: tensor<16xf32>) -> tensor<16xf32> {
  %e = tensor.empty() : tensor<16xf32>
  %r = tensor.empty() : tensor<16xf32>
  %a0 = func.call @a(%r) : (tensor<16xf32>) -> tensor<16xf32>
  %c1 = func.call @c(%r) : (tensor<16xf32>) -> tensor<16xf32>
  %b2 = func.call @b(%r) : (tensor<16xf32>) -> tensor<16xf32>
  return %r : tensor<16xf32>
}
func.func @a(%x: tensor<16xf32>) -> tensor<16xf32> {
  %e = tensor.empty() : tensor<16xf32>
  %r = linalg.add ins(%x, %x : tensor<16xf32>, tensor<16xf32>) outs(%e : tensor<16xf32>) -> tensor<16xf32> loc("a.add")
  %c0 = func.call @c(%r) : (tensor<16xf32>) -> tensor<16xf32>
  return %r : tensor<16xf32>
}
func.func @b(%x: tensor<16xf32>) -> tensor<16xf32> {
  %e = tensor.empty() : tensor<16xf32>
  %r = linalg.add ins(%x, %x : tensor<16xf32>, tensor<16xf32>) outs(%e : tensor<16xf32>) -> tensor<16xf32> loc("b.add")
  %d0 = func.call @d(%r) : (tensor<16xf32>) -> tensor<16xf32>
  return %r : tensor<16xf32>
}
func.func @c(%x: tensor<16xf32>) -> tensor<16xf32> {
  %e = tensor.empty() : tensor<16xf32>
  %r = linalg.add ins(%x, %x : tensor<16xf32>, tensor<16xf32>) outs(%e : tensor<16xf32>) -> tensor<16xf32> loc("c.add")
  return %r : tensor<16xf32>
}
func.func @d(%x: tensor<16xf32>) -> tensor<16xf32> {
  %e = tensor.empty() : tensor<16xf32>
  %r = linalg.add ins(%x, %x : tensor<16xf32>, tensor<16xf32>) outs(%e : tensor<16xf32>) -> tensor<16xf32> loc("d.add")
  %b0 = func.call @b(%r) : (tensor<16xf32>) -> tensor<16xf32>
  return %r : tensor<16xf32>
}
