// A transform library that unrolls every scf.for of a module three times:
// the layer loops of a model imported with three layers (tiny-gpt2.json)
// become straight-line calls (test/Tools/tilecast-import.test).
module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %loops = transform.structured.match ops{["scf.for"]} in %root : (!transform.any_op) -> !transform.any_op
    transform.loop.unroll %loops {factor = 3} : !transform.any_op
    transform.yield
  }
}
