// RUN: tilecast-opt %s -split-input-file --pass-pipeline='builtin.module(tilecast-annotate-target{target=v100},tilecast-fusion-advisor)' -verify-diagnostics
// RUN: tilecast-opt %s -split-input-file --pass-pipeline='builtin.module(tilecast-annotate-target{target=v100},tilecast-fusion-advisor{apply=true})' -verify-diagnostics

// Advice on a kernel group's member (by hand, or from before the group was
// marked) is refused: fusing the member would split the group, which is
// priced as one kernel, and the pass advises no such pair.
func.func @advice_on_member(%x: tensor<1024x1024xf32>) -> tensor<1024x1024xf32> {
  %e = tensor.empty() : tensor<1024x1024xf32>
  // expected-error @+1 {{a tilecast.fusion on a member of kernel group 'g': the group already runs as one kernel; remove the advice}}
  %a = linalg.add {tilecast.kernel = #tilecast.kernel<"g", elementwise>, tilecast.fusion = #tilecast.fusion<operand = 0, unfused_us = 3.0, fused_us = 1.0, saving_us = 2.0, fuse = true>} ins(%x, %x : tensor<1024x1024xf32>, tensor<1024x1024xf32>) outs(%e : tensor<1024x1024xf32>) -> tensor<1024x1024xf32>
  %b = linalg.exp {tilecast.kernel = #tilecast.kernel<"g", elementwise>} ins(%a : tensor<1024x1024xf32>) outs(%e : tensor<1024x1024xf32>) -> tensor<1024x1024xf32>
  return %b : tensor<1024x1024xf32>
}

// -----

func.func @advice_into_member(%x: tensor<1024x1024xf32>) -> tensor<1024x1024xf32> {
  %e = tensor.empty() : tensor<1024x1024xf32>
  // expected-error @+1 {{a tilecast.fusion on the producer of a member of kernel group 'g': the group already runs as one kernel; remove the advice}}
  %a = linalg.add {tilecast.fusion = #tilecast.fusion<operand = 0, unfused_us = 3.0, fused_us = 1.0, saving_us = 2.0, fuse = true>} ins(%x, %x : tensor<1024x1024xf32>, tensor<1024x1024xf32>) outs(%e : tensor<1024x1024xf32>) -> tensor<1024x1024xf32>
  %b = linalg.exp {tilecast.kernel = #tilecast.kernel<"g", elementwise>} ins(%a : tensor<1024x1024xf32>) outs(%e : tensor<1024x1024xf32>) -> tensor<1024x1024xf32>
  return %b : tensor<1024x1024xf32>
}
