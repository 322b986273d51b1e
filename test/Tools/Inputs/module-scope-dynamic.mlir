// A loop without a static trip count outside any function: its body counts
// once, and the loop is listed, as inside a function.
module {
  %a = arith.constant dense<1.0> : tensor<1024xf32>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %n = arith.addi %c2, %c1 : index
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %a) -> tensor<1024xf32> {
    %e = tensor.empty() : tensor<1024xf32>
    %y = linalg.exp ins(%acc : tensor<1024xf32>) outs(%e : tensor<1024xf32>) -> tensor<1024xf32> loc("top.exp")
    scf.yield %y : tensor<1024xf32>
  } loc("top.loop")
}
