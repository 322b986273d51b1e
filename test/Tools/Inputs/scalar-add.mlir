// One add of two f32 scalars (rank-0 tensors): 12 bytes.
func.func @f(%a: tensor<f32>, %c: tensor<f32>) -> tensor<f32> {
  %r = linalg.add ins(%a, %a : tensor<f32>, tensor<f32>) outs(%c : tensor<f32>) -> tensor<f32>
  return %r : tensor<f32>
}
