// A self-recursive entry point, a call to a declaration, and a nested module
// with a function of the same name.
func.func @f(%x: tensor<1024x1024xf32>) -> tensor<1024x1024xf32> {
  %e = tensor.empty() : tensor<1024x1024xf32>
  %r = linalg.add ins(%x, %x : tensor<1024x1024xf32>, tensor<1024x1024xf32>) outs(%e : tensor<1024x1024xf32>) -> tensor<1024x1024xf32>
  %s = func.call @f(%r) : (tensor<1024x1024xf32>) -> tensor<1024x1024xf32>
  %t = func.call @ext(%s) : (tensor<1024x1024xf32>) -> tensor<1024x1024xf32>
  return %t : tensor<1024x1024xf32>
}
func.func private @ext(tensor<1024x1024xf32>) -> tensor<1024x1024xf32>
module @inner {
  func.func @f(%x: tensor<16xf32>) -> tensor<16xf32> {
    %e = tensor.empty() : tensor<16xf32>
    %r = linalg.add ins(%x, %x : tensor<16xf32>, tensor<16xf32>) outs(%e : tensor<16xf32>) -> tensor<16xf32>
    return %r : tensor<16xf32>
  }
}
