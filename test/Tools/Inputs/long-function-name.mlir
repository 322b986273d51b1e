// A function name longer than the 30 columns the table gives names.
func.func @a_function_name_longer_than_thirty_columns(%x: tensor<16xf32>) -> tensor<16xf32> {
  %e = tensor.empty() : tensor<16xf32>
  %y = linalg.exp ins(%x : tensor<16xf32>) outs(%e : tensor<16xf32>) -> tensor<16xf32> loc("exp")
  return %y : tensor<16xf32>
}
