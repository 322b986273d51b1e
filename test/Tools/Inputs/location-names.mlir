// Op names from every kind of location (test/Tools/tilecast-predict.test).
func.func @f(%a: tensor<1024xf32>, %c: tensor<1024xf32>) -> tensor<1024xf32> {
  %r = linalg.add ins(%a, %a : tensor<1024xf32>, tensor<1024xf32>) outs(%c : tensor<1024xf32>) -> tensor<1024xf32> loc(fused["a.add", "b.add"])
  %s = linalg.add ins(%r, %a : tensor<1024xf32>, tensor<1024xf32>) outs(%c : tensor<1024xf32>) -> tensor<1024xf32> loc(callsite("callee" at "caller.py":3:4))
  %t = linalg.add ins(%s, %a : tensor<1024xf32>, tensor<1024xf32>) outs(%c : tensor<1024xf32>) -> tensor<1024xf32> loc(fused<"tag">[unknown])
  %u = linalg.add ins(%t, %a : tensor<1024xf32>, tensor<1024xf32>) outs(%c : tensor<1024xf32>) -> tensor<1024xf32> loc(unknown)
  %v = linalg.add ins(%u, %a : tensor<1024xf32>, tensor<1024xf32>) outs(%c : tensor<1024xf32>) -> tensor<1024xf32> loc("")
  %w = linalg.add ins(%v, %a : tensor<1024xf32>, tensor<1024xf32>) outs(%c : tensor<1024xf32>) -> tensor<1024xf32> loc(callsite(unknown at unknown))
  %x = linalg.add ins(%w, %a : tensor<1024xf32>, tensor<1024xf32>) outs(%c : tensor<1024xf32>) -> tensor<1024xf32> loc("outer"("inner"))
  return %x : tensor<1024xf32>
}
