// Ops and calls outside any function run once per run of the module (times
// the loops around them): a 1024x1024 exp, and @g called from a loop of 5
// trips, so that @g is no entry point of its own; @h, which nothing calls,
// is one. A call to a declaration out there is listed as uncosted.
module {
  func.func @g(%x: tensor<1024xf32>) -> tensor<1024xf32> {
    %e = tensor.empty() : tensor<1024xf32>
    %y = linalg.exp ins(%x : tensor<1024xf32>) outs(%e : tensor<1024xf32>) -> tensor<1024xf32> loc("g.exp")
    return %y : tensor<1024xf32>
  }
  func.func @h(%x: tensor<1024xf32>) -> tensor<1024xf32> {
    %e = tensor.empty() : tensor<1024xf32>
    %y = linalg.exp ins(%x : tensor<1024xf32>) outs(%e : tensor<1024xf32>) -> tensor<1024xf32> loc("h.exp")
    return %y : tensor<1024xf32>
  }
  func.func private @ext(tensor<1024xf32>) -> tensor<1024xf32>
  %a = arith.constant dense<1.0> : tensor<1024xf32>
  %big = arith.constant dense<1.0> : tensor<1024x1024xf32>
  %ebig = tensor.empty() : tensor<1024x1024xf32>
  %top = linalg.exp ins(%big : tensor<1024x1024xf32>) outs(%ebig : tensor<1024x1024xf32>) -> tensor<1024x1024xf32> loc("top.exp")
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c5 = arith.constant 5 : index
  %r = scf.for %i = %c0 to %c5 step %c1 iter_args(%acc = %a) -> tensor<1024xf32> {
    %y = func.call @g(%acc) : (tensor<1024xf32>) -> tensor<1024xf32>
    scf.yield %y : tensor<1024xf32>
  }
  %z = func.call @ext(%r) : (tensor<1024xf32>) -> tensor<1024xf32> loc("top.ext")
}
