// Loops with static and dynamic trip counts around ops and calls.
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

func.func @main(%x: tensor<1024x1024xf32>) -> tensor<1024x1024xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %a = scf.for %i = %c0 to %c8 step %c1 iter_args(%t = %x) -> (tensor<1024x1024xf32>) {
    %n = func.call @scale(%t) : (tensor<1024x1024xf32>) -> tensor<1024x1024xf32>
    scf.yield %n : tensor<1024x1024xf32>
  }
  %b = scf.for %i = %c0 to %c4 step %c1 iter_args(%t = %a) -> (tensor<1024x1024xf32>) {
    %u = scf.for %j = %c0 to %c2 step %c1 iter_args(%v = %t) -> (tensor<1024x1024xf32>) {
      %e = tensor.empty() : tensor<1024x1024xf32>
      %w = linalg.add ins(%v, %v : tensor<1024x1024xf32>, tensor<1024x1024xf32>) outs(%e : tensor<1024x1024xf32>) -> tensor<1024x1024xf32> loc("loops.add")
      scf.yield %w : tensor<1024x1024xf32>
    }
    scf.yield %u : tensor<1024x1024xf32>
  }
  return %b : tensor<1024x1024xf32>
}

func.func @dynamic(%x: tensor<1024x1024xf32>, %n: index) -> tensor<1024x1024xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%t = %x) -> (tensor<1024x1024xf32>) {
    %e = tensor.empty() : tensor<1024x1024xf32>
    %w = linalg.add ins(%t, %t : tensor<1024x1024xf32>, tensor<1024x1024xf32>) outs(%e : tensor<1024x1024xf32>) -> tensor<1024x1024xf32>
    scf.yield %w : tensor<1024x1024xf32>
  }
  return %r : tensor<1024x1024xf32>
}
