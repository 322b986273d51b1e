// Trip counts the loop's own integer type cannot hold, loops that never end,
// nests past int64_t, and a static scf.forall (test/Tools/tilecast-predict.test).
func.func @i16(%x: tensor<16xf32>) -> tensor<16xf32> {
  %lb = arith.constant -20000 : i16
  %ub = arith.constant 20000 : i16
  %st = arith.constant 1 : i16
  %o = scf.for %i = %lb to %ub step %st iter_args(%a = %x) -> (tensor<16xf32>) : i16 {
    %e = tensor.empty() : tensor<16xf32>
    %r = linalg.add ins(%a, %a : tensor<16xf32>, tensor<16xf32>) outs(%e : tensor<16xf32>) -> tensor<16xf32> loc("i16.add")
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
func.func @forall(%x: tensor<16xf32>) -> tensor<16xf32> {
  %o = scf.forall (%i) in (1000) shared_outs(%s = %x) -> (tensor<16xf32>) {
    %e = tensor.empty() : tensor<16xf32>
    %r = linalg.add ins(%x, %x : tensor<16xf32>, tensor<16xf32>) outs(%e : tensor<16xf32>) -> tensor<16xf32> loc("forall.add")
    scf.forall.in_parallel {
      tensor.parallel_insert_slice %r into %s[0] [16] [1] : tensor<16xf32> into tensor<16xf32>
    }
  }
  return %o : tensor<16xf32>
}
