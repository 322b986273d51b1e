// RUN: tilecast-opt %s --pass-pipeline='builtin.module(tilecast-annotate-target{target=v100},tilecast-fusion-advisor{apply=true})' | FileCheck %s

// A module's body is a graph region: its ops may use each other in a cycle,
// here an op its own input and two ops each other's. Fusing along a cycle
// would read a value the fusion erases; the advisor leaves graph regions
// alone (and a pair with a later producer, or an op with itself, is never a
// pair).
// CHECK-NOT: tilecast.fusion
// CHECK: %1 = linalg.exp ins(%1 :
// CHECK-NEXT: %2 = linalg.exp ins(%3 :
// CHECK-NEXT: %3 = linalg.exp ins(%2 :
%e = tensor.empty() : tensor<64x64xf32>
%self = linalg.exp ins(%self : tensor<64x64xf32>) outs(%e : tensor<64x64xf32>) -> tensor<64x64xf32>
%a = linalg.exp ins(%b : tensor<64x64xf32>) outs(%e : tensor<64x64xf32>) -> tensor<64x64xf32>
%b = linalg.exp ins(%a : tensor<64x64xf32>) outs(%e : tensor<64x64xf32>) -> tensor<64x64xf32>
