// Conditionals: TileCast does not know which branch runs, so every branch is
// counted and the conditional is reported.
func.func @main(%x: tensor<1024x1024xf32>, %flag: i1, %which: index) -> tensor<1024x1024xf32> {
  %e = tensor.empty() : tensor<1024x1024xf32>
  %a = scf.if %flag -> (tensor<1024x1024xf32>) {
    %t = linalg.add ins(%x, %x : tensor<1024x1024xf32>, tensor<1024x1024xf32>) outs(%e : tensor<1024x1024xf32>) -> tensor<1024x1024xf32> loc("then.add")
    scf.yield %t : tensor<1024x1024xf32>
  } else {
    %t = linalg.mul ins(%x, %x : tensor<1024x1024xf32>, tensor<1024x1024xf32>) outs(%e : tensor<1024x1024xf32>) -> tensor<1024x1024xf32> loc("else.mul")
    scf.yield %t : tensor<1024x1024xf32>
  }
  %b = scf.index_switch %which -> tensor<1024x1024xf32>
  case 0 {
    %t = linalg.exp ins(%a : tensor<1024x1024xf32>) outs(%e : tensor<1024x1024xf32>) -> tensor<1024x1024xf32> loc("case0.exp")
    scf.yield %t : tensor<1024x1024xf32>
  }
  default {
    scf.yield %a : tensor<1024x1024xf32>
  }
  return %b : tensor<1024x1024xf32>
}
