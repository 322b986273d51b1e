// RUN: tilecast-opt %s --transform-interpreter -verify-diagnostics

// Without a #tilecast.target in scope there is nothing to rank tiles for.
func.func @matmul(%a: tensor<64x64xf32>, %b: tensor<64x64xf32>, %c: tensor<64x64xf32>) -> tensor<64x64xf32> {
  // expected-note @below {{no tilecast.target in scope}}
  // expected-note @below {{run tilecast-annotate-target{target=NAME} first, or attach a #tilecast.target to the module}}
  %r = linalg.matmul ins(%a, %b : tensor<64x64xf32>, tensor<64x64xf32>) outs(%c : tensor<64x64xf32>) -> tensor<64x64xf32>
  return %r : tensor<64x64xf32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %op = transform.structured.match ops{["linalg.matmul"]} in %root : (!transform.any_op) -> !transform.any_op
    // expected-error @below {{cannot decide the tile sizes of a payload op}}
    %tiled, %loops = transform.tilecast.tile_by_cost %op : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    transform.yield
  }
}
