// A function called twice from an entry point, and one op without a model.
func.func private @scale(%x: tensor<1024x1024xf32>) -> tensor<1024x1024xf32> {
  %e = tensor.empty() : tensor<1024x1024xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>],
                       iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<1024x1024xf32>) outs(%e : tensor<1024x1024xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.addf %a, %a : f32
    linalg.yield %s : f32
  } -> tensor<1024x1024xf32> loc("scale.add")
  return %r : tensor<1024x1024xf32>
}

func.func @main(%x: tensor<1024x1024xf32>) -> tensor<1024x1024xi32> {
  %a = func.call @scale(%x) : (tensor<1024x1024xf32>) -> tensor<1024x1024xf32>
  %b = func.call @scale(%a) : (tensor<1024x1024xf32>) -> tensor<1024x1024xf32>
  %c = tensor.bitcast %b : tensor<1024x1024xf32> to tensor<1024x1024xi32>
  return %c : tensor<1024x1024xi32>
}
