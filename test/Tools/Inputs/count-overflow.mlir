// Execution counts beyond int64_t through calls: @inner's loop runs 2^62
// times (an int64_t count) and @main calls it from a loop of 4, so the op
// runs 2^64 times. Its executions, kernels and op-class time saturate at
// 2^63 - 1 and are reported as lower bounds; the function totals, products
// of doubles, stay exact.
func.func private @inner(%a: tensor<128x128xf32>) -> tensor<128x128xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = arith.constant 4611686018427387904 : index
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%x = %a) -> tensor<128x128xf32> {
    %y = linalg.exp ins(%x : tensor<128x128xf32>) outs(%x : tensor<128x128xf32>) -> tensor<128x128xf32> loc("inner.exp")
    scf.yield %y : tensor<128x128xf32>
  }
  return %r : tensor<128x128xf32>
}

func.func @main(%a: tensor<128x128xf32>) -> tensor<128x128xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %r = scf.for %i = %c0 to %c4 step %c1 iter_args(%x = %a) -> tensor<128x128xf32> {
    %y = func.call @inner(%x) : (tensor<128x128xf32>) -> tensor<128x128xf32>
    scf.yield %y : tensor<128x128xf32>
  }
  return %r : tensor<128x128xf32>
}
