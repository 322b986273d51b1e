// Only an op without a cost model (test/Tools/tilecast-predict-errors.test).
func.func @f(%a: tensor<4xf32>) -> tensor<4xi32> {
  %b = tensor.bitcast %a : tensor<4xf32> to tensor<4xi32>
  return %b : tensor<4xi32>
}
