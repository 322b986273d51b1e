// RUN: tilecast-opt %s --pass-pipeline='builtin.module(tilecast-annotate-target{target=h100-sxm},tilecast-estimate-cost,tilecast-select-tile-sizes,tilecast-annotate-target{target=host})' | FileCheck %s --check-prefix=RETARGET
// RUN: tilecast-opt %s --pass-pipeline='builtin.module(tilecast-annotate-target{target=h100-sxm},tilecast-estimate-cost,tilecast-select-tile-sizes,tilecast-annotate-target{target=h100-sxm})' | FileCheck %s --check-prefix=SAME
// RUN: tilecast-opt %s --pass-pipeline='builtin.module(tilecast-annotate-target{target=h100-sxm},tilecast-select-tile-sizes,tilecast-annotate-target{target=host},tilecast-select-tile-sizes)' | FileCheck %s --check-prefix=REDECIDE

// A new target makes the old one's estimates and decisions stale: they are
// dropped from the ops it covered (an H100's 16x16 blocks were kept for the
// host before), while a function with a target of its own keeps its own.
// Annotating the same target again keeps everything.
// RETARGET-LABEL: func.func @mm
// RETARGET-NOT:   tilecast.cost
// RETARGET-NOT:   tilecast.tile_decision
// RETARGET:       return
// RETARGET-LABEL: func.func @own_target
// RETARGET:       linalg.matmul {tilecast.cost = {{.*}}tilecast.tile_decision =
// A function whose own target is the module's old one keeps its target, and
// so its estimates.
// RETARGET-LABEL: func.func @own_target_as_old_module
// RETARGET:       linalg.matmul {tilecast.cost = {{.*}}tilecast.tile_decision =
// SAME-LABEL:     func.func @mm
// SAME:           linalg.matmul {tilecast.cost = {{.*}}tilecast.tile_decision =
// REDECIDE-LABEL: func.func @mm
// REDECIDE:       tilecast.tile_decision = #tilecast.tile_decision<tile = [16, 0, 0], {{.*}} candidates = 180,
func.func @mm(%a: tensor<256x512xf32>, %b: tensor<512x128xf32>, %c: tensor<256x128xf32>) -> tensor<256x128xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<256x512xf32>, tensor<512x128xf32>) outs(%c : tensor<256x128xf32>) -> tensor<256x128xf32>
  return %r : tensor<256x128xf32>
}

func.func @own_target(%a: tensor<256x512xf32>, %b: tensor<512x128xf32>, %c: tensor<256x128xf32>) -> tensor<256x128xf32>
    attributes {tilecast.target = #tilecast.target<"v100", kind = gpu, compute_units = 80, lanes_per_unit = 64, lanes_shared_with_int32 = 0, clock_mhz = 1370.0, memory_bandwidth_gbps = 900.0, l2_cache_mib = 6.0, l1_cache_kib = 128.0, max_threads_per_unit = 2048, launch_overhead_us = 27.6, peak_tflops = {f16 = 1.120000e+02 : f64, f32 = 1.402900e+01 : f64, f64 = 7.000000e+00 : f64, i8 = 5.611500e+01 : f64}>} {
  %r = linalg.matmul ins(%a, %b : tensor<256x512xf32>, tensor<512x128xf32>) outs(%c : tensor<256x128xf32>) -> tensor<256x128xf32>
  return %r : tensor<256x128xf32>
}

func.func @own_target_as_old_module(%a: tensor<256x512xf32>, %b: tensor<512x128xf32>, %c: tensor<256x128xf32>) -> tensor<256x128xf32>
    attributes {tilecast.target = #tilecast.target<"h100-sxm", kind = gpu, compute_units = 132, lanes_per_unit = 128, lanes_shared_with_int32 = 0, clock_mhz = 1980.0, memory_bandwidth_gbps = 3430.0, l2_cache_mib = 50.0, l1_cache_kib = 256.0, max_threads_per_unit = 2048, launch_overhead_us = 27.6, peak_tflops = {bf16 = 989.39999999999998 : f64, f16 = 989.39999999999998 : f64, f32 = 6.690800e+01 : f64, f64 = 3.400000e+01 : f64, i8 = 1.978900e+03 : f64, tf32 = 4.947000e+02 : f64}>} {
  %r = linalg.matmul ins(%a, %b : tensor<256x512xf32>, tensor<512x128xf32>) outs(%c : tensor<256x128xf32>) -> tensor<256x128xf32>
  return %r : tensor<256x128xf32>
}
