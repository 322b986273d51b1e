// RUN: tilecast-opt %s -split-input-file | FileCheck %s
// RUN: tilecast-opt %s -split-input-file | tilecast-opt -split-input-file | FileCheck %s

// Attributes print in their documented syntax and round-trip exactly.

// CHECK-LABEL: func.func @cost
// CHECK-SAME: tilecast.cost = #tilecast.cost<latency_us = 12.5, lower_us = 11.0, upper_us = 14.5, compute_us = 10.0, memory_us = 4.0, overhead_us = 2.5, flops = 1073741824, bytes = 12582912, bound = compute, source = analytical>
func.func @cost() attributes {tilecast.cost = #tilecast.cost<latency_us = 12.5, lower_us = 11.0, upper_us = 14.5, compute_us = 10.0, memory_us = 4.0, overhead_us = 2.5, flops = 1073741824, bytes = 12582912, bound = compute, source = analytical>} {
  return
}

// -----

// Every time prints with a decimal point, as MLIR float literals need.
// CHECK-LABEL: func.func @whole_times
// CHECK-SAME: latency_us = 3.0, lower_us = 3.0, upper_us = 3.0
// CHECK-SAME: bound = overhead, source = hybrid
func.func @whole_times() attributes {tilecast.cost = #tilecast.cost<latency_us = 3.0, lower_us = 3.0, upper_us = 3.0, compute_us = 0.0, memory_us = 0.0, overhead_us = 3.0, flops = 0, bytes = 0, bound = overhead, source = hybrid>} {
  return
}

// -----

// A measured latency (tilecast-bench e2e --measured-gemms) has its own source.
// CHECK-LABEL: func.func @measured
// CHECK-SAME: bound = compute, source = measured
func.func @measured() attributes {tilecast.cost = #tilecast.cost<latency_us = 126128.3, lower_us = 126128.3, upper_us = 126128.3, compute_us = 104000.0, memory_us = 2100.0, overhead_us = 46.5, flops = 1053970923520, bytes = 1000000000, bound = compute, source = measured>} {
  return
}

// -----

// Shortest round-tripping decimal, with an exponent where needed.
// CHECK-LABEL: func.func @exact_doubles
// CHECK-SAME: latency_us = 0.1, lower_us = 1.0e-05, upper_us = 1.0e+20
func.func @exact_doubles() attributes {tilecast.cost = #tilecast.cost<latency_us = 0.1, lower_us = 0.00001, upper_us = 1.0e20, compute_us = 0.0, memory_us = 0.0, overhead_us = 0.0, flops = 0, bytes = 0, bound = memory, source = learned>} {
  return
}

// -----

// CHECK-LABEL: func.func @tile_cost
// CHECK-SAME: tilecast.tile_cost = #tilecast.tile_cost<tile = [128, 64, 0], num_tiles = 64, waves = 1, tile_latency_us = 3.0, latency_us = 5.5, bound = compute>
func.func @tile_cost() attributes {tilecast.tile_cost = #tilecast.tile_cost<tile = [128, 64, 0], num_tiles = 64, waves = 1, tile_latency_us = 3.0, latency_us = 5.5, bound = compute>} {
  return
}

// -----

// CHECK: module attributes {tilecast.target = #tilecast.target<"toy", kind = gpu, compute_units = 10, lanes_per_unit = 64, lanes_shared_with_int32 = 0, clock_mhz = 1000.0, memory_bandwidth_gbps = 100.0, l2_cache_mib = 2.0, l1_cache_kib = 64.0, max_threads_per_unit = 1024, launch_overhead_us = 5.0, peak_tflops = {f16 = 1.000000e+01 : f64, f32 = 1.280000e+00 : f64}>}
module attributes {tilecast.target = #tilecast.target<"toy", kind = gpu, compute_units = 10, lanes_per_unit = 64, lanes_shared_with_int32 = 0, clock_mhz = 1000.0, memory_bandwidth_gbps = 100.0, l2_cache_mib = 2.0, l1_cache_kib = 64.0, max_threads_per_unit = 1024, launch_overhead_us = 5.0, peak_tflops = {f16 = 10.0 : f64, f32 = 1.28 : f64}>} {
}

// -----

// CHECK-LABEL: func.func @fusion
// CHECK-SAME: tilecast.fusion = #tilecast.fusion<operand = 1, unfused_us = 3.0, fused_us = 1.0, saving_us = 2.0, fuse = true>
func.func @fusion() attributes {tilecast.fusion = #tilecast.fusion<operand = 1, unfused_us = 3.0, fused_us = 1.0, saving_us = 2.0, fuse = true>} {
  return
}

// -----

// CHECK-LABEL: func.func @kernel_group
// CHECK: tilecast.kernel = #tilecast.kernel<"ln_1", layernorm>
func.func @kernel_group(%x: tensor<4xf32>) -> tensor<4xf32> {
  %e = tensor.empty() : tensor<4xf32>
  %y = linalg.add {tilecast.kernel = #tilecast.kernel<"ln_1", layernorm>} ins(%x, %x : tensor<4xf32>, tensor<4xf32>) outs(%e : tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}
