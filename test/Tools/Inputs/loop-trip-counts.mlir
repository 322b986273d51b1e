// Trip counts the loop's own integer type cannot hold, unsigned loops, loops
// that never end, nests past int64_t (and one that never runs), static
// scf.forall and scf.parallel bounds, a negative step that never starts, and
// affine.for and affine.parallel (test/Tools/tilecast-predict.test).
func.func @i16(%x: tensor<16xf32>) -> tensor<16xf32> {
  %lb = arith.constant -20000 : i16
  %ub = arith.constant 20000 : i16
  %st = arith.constant 3 : i16
  %o = scf.for %i = %lb to %ub step %st iter_args(%a = %x) -> (tensor<16xf32>) : i16 {
    %e = tensor.empty() : tensor<16xf32>
    %r = linalg.add ins(%a, %a : tensor<16xf32>, tensor<16xf32>) outs(%e : tensor<16xf32>) -> tensor<16xf32> loc("i16.add")
    scf.yield %r : tensor<16xf32>
  }
  return %o : tensor<16xf32>
}
func.func @unsigned_i8(%x: tensor<16xf32>) -> tensor<16xf32> {
  %lb = arith.constant 0 : i8
  %ub = arith.constant 200 : i8
  %st = arith.constant 3 : i8
  %o = scf.for unsigned %i = %lb to %ub step %st iter_args(%a = %x) -> (tensor<16xf32>) : i8 {
    %e = tensor.empty() : tensor<16xf32>
    %r = linalg.add ins(%a, %a : tensor<16xf32>, tensor<16xf32>) outs(%e : tensor<16xf32>) -> tensor<16xf32> loc("unsigned.add")
    scf.yield %r : tensor<16xf32>
  }
  return %o : tensor<16xf32>
}
func.func @step0(%x: tensor<16xf32>) -> tensor<16xf32> {
  %lb = arith.constant 0 : index
  %ub = arith.constant 10 : index
  %st = arith.constant 0 : index
  %o = scf.for %i = %lb to %ub step %st iter_args(%a = %x) -> (tensor<16xf32>) {
    %e = tensor.empty() : tensor<16xf32>
    %r = linalg.add ins(%a, %a : tensor<16xf32>, tensor<16xf32>) outs(%e : tensor<16xf32>) -> tensor<16xf32> loc("step0.add")
    scf.yield %r : tensor<16xf32>
  }
  return %o : tensor<16xf32>
}
func.func @huge(%x: tensor<16xf32>) -> tensor<16xf32> {
  %lb = arith.constant 0 : index
  %ub = arith.constant 4294967296 : index
  %st = arith.constant 1 : index
  %o = scf.for %i = %lb to %ub step %st iter_args(%a = %x) -> (tensor<16xf32>) {
    %o2 = scf.for %j = %lb to %ub step %st iter_args(%b = %a) -> (tensor<16xf32>) {
      %e = tensor.empty() : tensor<16xf32>
      %r = linalg.add ins(%b, %b : tensor<16xf32>, tensor<16xf32>) outs(%e : tensor<16xf32>) -> tensor<16xf32> loc("huge.add")
      scf.yield %r : tensor<16xf32>
    }
    scf.yield %o2 : tensor<16xf32>
  }
  return %o : tensor<16xf32>
}
func.func @never(%x: tensor<16xf32>) -> tensor<16xf32> {
  %lb = arith.constant 0 : index
  %ub = arith.constant 4294967296 : index
  %st = arith.constant 1 : index
  %o = scf.for %k = %lb to %lb step %st iter_args(%c = %x) -> (tensor<16xf32>) {
    %o1 = scf.for %i = %lb to %ub step %st iter_args(%a = %c) -> (tensor<16xf32>) {
      %o2 = scf.for %j = %lb to %ub step %st iter_args(%b = %a) -> (tensor<16xf32>) {
        %e = tensor.empty() : tensor<16xf32>
        %r = linalg.add ins(%b, %b : tensor<16xf32>, tensor<16xf32>) outs(%e : tensor<16xf32>) -> tensor<16xf32> loc("never.add")
        scf.yield %r : tensor<16xf32>
      }
      scf.yield %o2 : tensor<16xf32>
    }
    scf.yield %o1 : tensor<16xf32>
  }
  return %o : tensor<16xf32>
}
func.func @forall(%x: tensor<16xf32>) -> tensor<16xf32> {
  %c7 = arith.constant 7 : index
  %o = scf.forall (%i, %j) in (%c7, 3) shared_outs(%s = %x) -> (tensor<16xf32>) {
    %e = tensor.empty() : tensor<16xf32>
    %r = linalg.add ins(%x, %x : tensor<16xf32>, tensor<16xf32>) outs(%e : tensor<16xf32>) -> tensor<16xf32> loc("forall.add")
    scf.forall.in_parallel {
      tensor.parallel_insert_slice %r into %s[0] [16] [1] : tensor<16xf32> into tensor<16xf32>
    }
  }
  return %o : tensor<16xf32>
}
func.func @parallel(%x: tensor<16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c5 = arith.constant 5 : index
  %c7 = arith.constant 7 : index
  scf.parallel (%i, %j) = (%c0, %c0) to (%c5, %c7) step (%c1, %c1) {
    %e = tensor.empty() : tensor<16xf32>
    %r = linalg.add ins(%x, %x : tensor<16xf32>, tensor<16xf32>) outs(%e : tensor<16xf32>) -> tensor<16xf32> loc("parallel.add")
    scf.reduce
  }
  return
}
func.func @forall_empty(%x: tensor<16xf32>, %n: index) -> tensor<16xf32> {
  %o = scf.forall (%i, %j) in (%n, 0) shared_outs(%s = %x) -> (tensor<16xf32>) {
    %e = tensor.empty() : tensor<16xf32>
    %r = linalg.add ins(%x, %x : tensor<16xf32>, tensor<16xf32>) outs(%e : tensor<16xf32>) -> tensor<16xf32> loc("forall_empty.add")
    scf.forall.in_parallel {
      tensor.parallel_insert_slice %r into %s[0] [16] [1] : tensor<16xf32> into tensor<16xf32>
    }
  }
  return %o : tensor<16xf32>
}
func.func @negative_step_never(%x: tensor<16xf32>) -> tensor<16xf32> {
  %lb = arith.constant 0 : index
  %ub = arith.constant -10 : index
  %st = arith.constant -1 : index
  %o = scf.for %i = %lb to %ub step %st iter_args(%a = %x) -> (tensor<16xf32>) {
    %e = tensor.empty() : tensor<16xf32>
    %r = linalg.add ins(%a, %a : tensor<16xf32>, tensor<16xf32>) outs(%e : tensor<16xf32>) -> tensor<16xf32> loc("negative_never.add")
    scf.yield %r : tensor<16xf32>
  }
  return %o : tensor<16xf32>
}
func.func @affine(%x: memref<16xf32>, %n: index) {
  affine.for %i = 0 to 10 step 3 {
    linalg.add ins(%x, %x : memref<16xf32>, memref<16xf32>) outs(%x : memref<16xf32>) loc("affine.add")
  }
  affine.for %i = 0 to %n {
    linalg.add ins(%x, %x : memref<16xf32>, memref<16xf32>) outs(%x : memref<16xf32>) loc("affine_dynamic.add")
  }
  affine.for %i = 10 to 0 {
    linalg.add ins(%x, %x : memref<16xf32>, memref<16xf32>) outs(%x : memref<16xf32>) loc("affine_never.add")
  }
  affine.parallel (%i, %j) = (0, 2) to (4, 8) step (1, 4) {
    linalg.add ins(%x, %x : memref<16xf32>, memref<16xf32>) outs(%x : memref<16xf32>) loc("affine_parallel.add")
  }
  return
}
