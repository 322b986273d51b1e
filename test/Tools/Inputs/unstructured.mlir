// A loop written with branches between blocks (as -convert-scf-to-cf leaves
// it), and two loops without a static trip count nested in each other: every
// block, and every dynamic loop of the nest, is reported, not only the
// outermost.
func.func @cf_loop(%x: tensor<1024x1024xf32>, %n: index) -> tensor<1024x1024xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  cf.br ^loop(%c0, %x : index, tensor<1024x1024xf32>)
^loop(%i: index, %t: tensor<1024x1024xf32>):
  %e = tensor.empty() : tensor<1024x1024xf32>
  %w = linalg.add ins(%t, %t : tensor<1024x1024xf32>, tensor<1024x1024xf32>) outs(%e : tensor<1024x1024xf32>) -> tensor<1024x1024xf32>
  %next = arith.addi %i, %c1 : index
  %cond = arith.cmpi slt, %next, %n : index
  cf.cond_br %cond, ^loop(%next, %w : index, tensor<1024x1024xf32>), ^exit
^exit:
  return %w : tensor<1024x1024xf32>
}

func.func @nested(%x: tensor<1024x1024xf32>, %n: index, %m: index) -> tensor<1024x1024xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%a = %x) -> tensor<1024x1024xf32> {
    %s = scf.for %j = %c0 to %m step %c1 iter_args(%b = %a) -> tensor<1024x1024xf32> {
      %e = tensor.empty() : tensor<1024x1024xf32>
      %w = linalg.add ins(%b, %b : tensor<1024x1024xf32>, tensor<1024x1024xf32>) outs(%e : tensor<1024x1024xf32>) -> tensor<1024x1024xf32>
      scf.yield %w : tensor<1024x1024xf32>
    }
    scf.yield %s : tensor<1024x1024xf32>
  }
  return %r : tensor<1024x1024xf32>
}
