// Twenty functions, each calling the next from a loop of 2^63 - 1 trips (the
// largest int64_t count, not saturated): their product passes the largest
// double, so the module has no finite predicted time.
func.func private @f20(%a: tensor<128x128xf32>) -> tensor<128x128xf32> {
  %r = linalg.exp ins(%a : tensor<128x128xf32>) outs(%a : tensor<128x128xf32>) -> tensor<128x128xf32>
  return %r : tensor<128x128xf32>
}

func.func private @f19(%a: tensor<128x128xf32>) -> tensor<128x128xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = arith.constant 9223372036854775807 : index
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%x = %a) -> tensor<128x128xf32> {
    %y = func.call @f20(%x) : (tensor<128x128xf32>) -> tensor<128x128xf32>
    scf.yield %y : tensor<128x128xf32>
  }
  return %r : tensor<128x128xf32>
}

func.func private @f18(%a: tensor<128x128xf32>) -> tensor<128x128xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = arith.constant 9223372036854775807 : index
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%x = %a) -> tensor<128x128xf32> {
    %y = func.call @f19(%x) : (tensor<128x128xf32>) -> tensor<128x128xf32>
    scf.yield %y : tensor<128x128xf32>
  }
  return %r : tensor<128x128xf32>
}

func.func private @f17(%a: tensor<128x128xf32>) -> tensor<128x128xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = arith.constant 9223372036854775807 : index
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%x = %a) -> tensor<128x128xf32> {
    %y = func.call @f18(%x) : (tensor<128x128xf32>) -> tensor<128x128xf32>
    scf.yield %y : tensor<128x128xf32>
  }
  return %r : tensor<128x128xf32>
}

func.func private @f16(%a: tensor<128x128xf32>) -> tensor<128x128xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = arith.constant 9223372036854775807 : index
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%x = %a) -> tensor<128x128xf32> {
    %y = func.call @f17(%x) : (tensor<128x128xf32>) -> tensor<128x128xf32>
    scf.yield %y : tensor<128x128xf32>
  }
  return %r : tensor<128x128xf32>
}

func.func private @f15(%a: tensor<128x128xf32>) -> tensor<128x128xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = arith.constant 9223372036854775807 : index
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%x = %a) -> tensor<128x128xf32> {
    %y = func.call @f16(%x) : (tensor<128x128xf32>) -> tensor<128x128xf32>
    scf.yield %y : tensor<128x128xf32>
  }
  return %r : tensor<128x128xf32>
}

func.func private @f14(%a: tensor<128x128xf32>) -> tensor<128x128xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = arith.constant 9223372036854775807 : index
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%x = %a) -> tensor<128x128xf32> {
    %y = func.call @f15(%x) : (tensor<128x128xf32>) -> tensor<128x128xf32>
    scf.yield %y : tensor<128x128xf32>
  }
  return %r : tensor<128x128xf32>
}

func.func private @f13(%a: tensor<128x128xf32>) -> tensor<128x128xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = arith.constant 9223372036854775807 : index
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%x = %a) -> tensor<128x128xf32> {
    %y = func.call @f14(%x) : (tensor<128x128xf32>) -> tensor<128x128xf32>
    scf.yield %y : tensor<128x128xf32>
  }
  return %r : tensor<128x128xf32>
}

func.func private @f12(%a: tensor<128x128xf32>) -> tensor<128x128xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = arith.constant 9223372036854775807 : index
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%x = %a) -> tensor<128x128xf32> {
    %y = func.call @f13(%x) : (tensor<128x128xf32>) -> tensor<128x128xf32>
    scf.yield %y : tensor<128x128xf32>
  }
  return %r : tensor<128x128xf32>
}

func.func private @f11(%a: tensor<128x128xf32>) -> tensor<128x128xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = arith.constant 9223372036854775807 : index
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%x = %a) -> tensor<128x128xf32> {
    %y = func.call @f12(%x) : (tensor<128x128xf32>) -> tensor<128x128xf32>
    scf.yield %y : tensor<128x128xf32>
  }
  return %r : tensor<128x128xf32>
}

func.func private @f10(%a: tensor<128x128xf32>) -> tensor<128x128xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = arith.constant 9223372036854775807 : index
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%x = %a) -> tensor<128x128xf32> {
    %y = func.call @f11(%x) : (tensor<128x128xf32>) -> tensor<128x128xf32>
    scf.yield %y : tensor<128x128xf32>
  }
  return %r : tensor<128x128xf32>
}

func.func private @f9(%a: tensor<128x128xf32>) -> tensor<128x128xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = arith.constant 9223372036854775807 : index
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%x = %a) -> tensor<128x128xf32> {
    %y = func.call @f10(%x) : (tensor<128x128xf32>) -> tensor<128x128xf32>
    scf.yield %y : tensor<128x128xf32>
  }
  return %r : tensor<128x128xf32>
}

func.func private @f8(%a: tensor<128x128xf32>) -> tensor<128x128xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = arith.constant 9223372036854775807 : index
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%x = %a) -> tensor<128x128xf32> {
    %y = func.call @f9(%x) : (tensor<128x128xf32>) -> tensor<128x128xf32>
    scf.yield %y : tensor<128x128xf32>
  }
  return %r : tensor<128x128xf32>
}

func.func private @f7(%a: tensor<128x128xf32>) -> tensor<128x128xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = arith.constant 9223372036854775807 : index
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%x = %a) -> tensor<128x128xf32> {
    %y = func.call @f8(%x) : (tensor<128x128xf32>) -> tensor<128x128xf32>
    scf.yield %y : tensor<128x128xf32>
  }
  return %r : tensor<128x128xf32>
}

func.func private @f6(%a: tensor<128x128xf32>) -> tensor<128x128xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = arith.constant 9223372036854775807 : index
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%x = %a) -> tensor<128x128xf32> {
    %y = func.call @f7(%x) : (tensor<128x128xf32>) -> tensor<128x128xf32>
    scf.yield %y : tensor<128x128xf32>
  }
  return %r : tensor<128x128xf32>
}

func.func private @f5(%a: tensor<128x128xf32>) -> tensor<128x128xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = arith.constant 9223372036854775807 : index
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%x = %a) -> tensor<128x128xf32> {
    %y = func.call @f6(%x) : (tensor<128x128xf32>) -> tensor<128x128xf32>
    scf.yield %y : tensor<128x128xf32>
  }
  return %r : tensor<128x128xf32>
}

func.func private @f4(%a: tensor<128x128xf32>) -> tensor<128x128xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = arith.constant 9223372036854775807 : index
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%x = %a) -> tensor<128x128xf32> {
    %y = func.call @f5(%x) : (tensor<128x128xf32>) -> tensor<128x128xf32>
    scf.yield %y : tensor<128x128xf32>
  }
  return %r : tensor<128x128xf32>
}

func.func private @f3(%a: tensor<128x128xf32>) -> tensor<128x128xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = arith.constant 9223372036854775807 : index
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%x = %a) -> tensor<128x128xf32> {
    %y = func.call @f4(%x) : (tensor<128x128xf32>) -> tensor<128x128xf32>
    scf.yield %y : tensor<128x128xf32>
  }
  return %r : tensor<128x128xf32>
}

func.func private @f2(%a: tensor<128x128xf32>) -> tensor<128x128xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = arith.constant 9223372036854775807 : index
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%x = %a) -> tensor<128x128xf32> {
    %y = func.call @f3(%x) : (tensor<128x128xf32>) -> tensor<128x128xf32>
    scf.yield %y : tensor<128x128xf32>
  }
  return %r : tensor<128x128xf32>
}

func.func @main(%a: tensor<128x128xf32>) -> tensor<128x128xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = arith.constant 9223372036854775807 : index
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%x = %a) -> tensor<128x128xf32> {
    %y = func.call @f2(%x) : (tensor<128x128xf32>) -> tensor<128x128xf32>
    scf.yield %y : tensor<128x128xf32>
  }
  return %r : tensor<128x128xf32>
}
