// An op located by name only, as tilecast-import writes them, that cannot be
// costed (test/Tools/tilecast-predict-errors.test).
func.func @f(%a: tensor<?xf32>, %c: tensor<?xf32>) -> tensor<?xf32> {
  %r = linalg.add ins(%a, %a : tensor<?xf32>, tensor<?xf32>) outs(%c : tensor<?xf32>) -> tensor<?xf32> loc("layer1.add")
  return %r : tensor<?xf32>
}
