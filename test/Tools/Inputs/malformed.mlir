func.func @f(%a: tensor<4x4xf32>) -> tensor<4x4xf32> {
  // a typo in the op name
  %r = linalg.matmull ins(%a, %a : tensor<4x4xf32>, tensor<4x4xf32>) outs(%a : tensor<4x4xf32>) -> tensor<4x4xf32>
  return %r : tensor<4x4xf32>
}
