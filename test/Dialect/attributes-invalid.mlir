// RUN: tilecast-opt %s -split-input-file -verify-diagnostics

// expected-error @+1 {{'latency_us' must be a finite non-negative number, got -1}}
func.func @negative_latency() attributes {tilecast.cost = #tilecast.cost<latency_us = -1.0, lower_us = 0.0, upper_us = 1.0, compute_us = 0.0, memory_us = 0.0, overhead_us = 0.0, flops = 0, bytes = 0, bound = compute, source = analytical>} {
  return
}

// -----

// expected-error @+1 {{bounds [11, 14.5] do not enclose latency_us = 20}}
func.func @bounds_exclude_latency() attributes {tilecast.cost = #tilecast.cost<latency_us = 20.0, lower_us = 11.0, upper_us = 14.5, compute_us = 10.0, memory_us = 4.0, overhead_us = 2.5, flops = 0, bytes = 0, bound = compute, source = analytical>} {
  return
}

// -----

// expected-error @+1 {{bounds [15, 14.5] do not enclose latency_us = 14.5}}
func.func @lower_above_upper() attributes {tilecast.cost = #tilecast.cost<latency_us = 14.5, lower_us = 15.0, upper_us = 14.5, compute_us = 10.0, memory_us = 4.0, overhead_us = 2.5, flops = 0, bytes = 0, bound = compute, source = analytical>} {
  return
}

// -----

// expected-error @+1 {{'flops' must be non-negative, got -5}}
func.func @negative_flops() attributes {tilecast.cost = #tilecast.cost<latency_us = 1.0, lower_us = 1.0, upper_us = 1.0, compute_us = 0.0, memory_us = 0.0, overhead_us = 0.0, flops = -5, bytes = 0, bound = compute, source = analytical>} {
  return
}

// -----

// expected-error @+2 {{expected ::mlir::tilecast::Bound to be one of: compute, memory, overhead}}
// expected-error @+1 {{failed to parse Tilecast_CostAttr parameter 'bound'}}
func.func @unknown_bound() attributes {tilecast.cost = #tilecast.cost<latency_us = 1.0, lower_us = 1.0, upper_us = 1.0, compute_us = 0.0, memory_us = 0.0, overhead_us = 0.0, flops = 0, bytes = 0, bound = network, source = analytical>} {
  return
}

// -----

// expected-error @+1 {{tile sizes must be non-negative (0 leaves a loop untiled), got -64}}
func.func @negative_tile() attributes {tilecast.tile_cost = #tilecast.tile_cost<tile = [128, -64], num_tiles = 1, waves = 1, tile_latency_us = 1.0, latency_us = 2.0, bound = compute>} {
  return
}

// -----

// expected-error @+1 {{'waves' must be at least 1, got 0}}
func.func @zero_waves() attributes {tilecast.tile_cost = #tilecast.tile_cost<tile = [128], num_tiles = 1, waves = 0, tile_latency_us = 1.0, latency_us = 2.0, bound = compute>} {
  return
}

// -----

// expected-error @+1 {{'waves' (100) exceeds 'num_tiles' (64): a wave runs at least one tile}}
func.func @more_waves_than_tiles() attributes {tilecast.tile_cost = #tilecast.tile_cost<tile = [128, 64, 0], num_tiles = 64, waves = 100, tile_latency_us = 1.0, latency_us = 100.0, bound = compute>} {
  return
}

// -----

// expected-error @+1 {{'tilecast.target' on argument 0: tilecast attributes annotate ops, not values}}
func.func @on_argument(%a: tensor<4xf32> {tilecast.target = 5}) -> tensor<4xf32> {
  return %a : tensor<4xf32>
}

// -----

// expected-error @+1 {{'tilecast.cost' on result 0: tilecast attributes annotate ops, not values}}
func.func @on_result(%a: tensor<4xf32>) -> (tensor<4xf32> {tilecast.cost = "x"}) {
  return %a : tensor<4xf32>
}

// -----

// expected-error @+1 {{tile_latency_us (3) exceeds the op's latency_us (2)}}
func.func @tile_slower_than_op() attributes {tilecast.tile_cost = #tilecast.tile_cost<tile = [128], num_tiles = 1, waves = 1, tile_latency_us = 3.0, latency_us = 2.0, bound = compute>} {
  return
}

// -----

// A negative zero is not a time: it would print as -0.0 wherever it goes.
// expected-error @+1 {{'overhead_us' must not be a negative zero (-0.0)}}
func.func @negative_zero() attributes {tilecast.cost = #tilecast.cost<latency_us = 1.0, lower_us = 0.5, upper_us = 2.0, compute_us = 1.0, memory_us = 0.0, overhead_us = -0.0, flops = 0, bytes = 0, bound = compute, source = analytical>} {
  return
}

// -----

// expected-error @+1 {{'memory_bandwidth_gbps' must be a number from 1e-06 to 1e+09, got 0}}
module attributes {tilecast.target = #tilecast.target<"toy", kind = gpu, compute_units = 10, lanes_per_unit = 64, lanes_shared_with_int32 = 0, clock_mhz = 1000.0, memory_bandwidth_gbps = 0.0, l2_cache_mib = 2.0, l1_cache_kib = 64.0, max_threads_per_unit = 1024, launch_overhead_us = 5.0, peak_tflops = {f32 = 1.28 : f64}>} {
}

// -----

// An attribute is held to the same range as a spec file: no integer overflow
// downstream of a unit count no hardware has.
// expected-error @+1 {{'compute_units' must be an integer from 1 to 1000000000, got 9223372036854775807}}
module attributes {tilecast.target = #tilecast.target<"toy", kind = gpu, compute_units = 9223372036854775807, lanes_per_unit = 64, lanes_shared_with_int32 = 0, clock_mhz = 1000.0, memory_bandwidth_gbps = 100.0, l2_cache_mib = 2.0, l1_cache_kib = 64.0, max_threads_per_unit = 1024, launch_overhead_us = 5.0, peak_tflops = {f32 = 1.28 : f64}>} {
}

// -----

// expected-error @+1 {{target name must not contain control characters}}
module attributes {tilecast.target = #tilecast.target<"toy\0Aname", kind = gpu, compute_units = 10, lanes_per_unit = 64, lanes_shared_with_int32 = 0, clock_mhz = 1000.0, memory_bandwidth_gbps = 100.0, l2_cache_mib = 2.0, l1_cache_kib = 64.0, max_threads_per_unit = 1024, launch_overhead_us = 5.0, peak_tflops = {f32 = 1.28 : f64}>} {
}

// -----

// expected-error @+1 {{'l2_cache_mib' must not be a negative zero (-0.0)}}
module attributes {tilecast.target = #tilecast.target<"toy", kind = gpu, compute_units = 10, lanes_per_unit = 64, lanes_shared_with_int32 = 0, clock_mhz = 1000.0, memory_bandwidth_gbps = 100.0, l2_cache_mib = -0.0, l1_cache_kib = 64.0, max_threads_per_unit = 1024, launch_overhead_us = 5.0, peak_tflops = {f32 = 1.28 : f64}>} {
}

// -----

// The GEMM model reads a GPU's lanes and clock, the streaming kernels its f32
// peak: 10 x 64 x 2 x 2000 MHz is 2.56 TFLOP/s, twice the peak given.
// expected-error @+1 {{the f32 peak (1.28 TFLOP/s) is not compute_units x lanes_per_unit x 2 x clock_mhz (2.56 TFLOP/s) within 10%}}
module attributes {tilecast.target = #tilecast.target<"toy", kind = gpu, compute_units = 10, lanes_per_unit = 64, lanes_shared_with_int32 = 0, clock_mhz = 2000.0, memory_bandwidth_gbps = 100.0, l2_cache_mib = 2.0, l1_cache_kib = 64.0, max_threads_per_unit = 1024, launch_overhead_us = 5.0, peak_tflops = {f32 = 1.28 : f64}>} {
}

// -----

// expected-error @+1 {{'launch_overhead_us' must be 0 or a number from 1e-06 to 1e+09, got 1e+20}}
module attributes {tilecast.target = #tilecast.target<"toy", kind = gpu, compute_units = 10, lanes_per_unit = 64, lanes_shared_with_int32 = 0, clock_mhz = 1000.0, memory_bandwidth_gbps = 100.0, l2_cache_mib = 2.0, l1_cache_kib = 64.0, max_threads_per_unit = 1024, launch_overhead_us = 1.0e20, peak_tflops = {f32 = 1.28 : f64}>} {
}

// -----

// expected-error @+1 {{unknown peak_tflops key 'fp4'; expected one of f64, f32, tf32, f16, bf16, i8, f32_matrix}}
module attributes {tilecast.target = #tilecast.target<"toy", kind = gpu, compute_units = 10, lanes_per_unit = 64, lanes_shared_with_int32 = 0, clock_mhz = 1000.0, memory_bandwidth_gbps = 100.0, l2_cache_mib = 2.0, l1_cache_kib = 64.0, max_threads_per_unit = 1024, launch_overhead_us = 5.0, peak_tflops = {f32 = 1.28 : f64, fp4 = 9.0 : f64}>} {
}

// -----

// expected-error @+1 {{'peak_tflops' must give the f32 peak}}
module attributes {tilecast.target = #tilecast.target<"toy", kind = gpu, compute_units = 10, lanes_per_unit = 64, lanes_shared_with_int32 = 0, clock_mhz = 1000.0, memory_bandwidth_gbps = 100.0, l2_cache_mib = 2.0, l1_cache_kib = 64.0, max_threads_per_unit = 1024, launch_overhead_us = 5.0, peak_tflops = {f16 = 10.0 : f64}>} {
}

// -----

// expected-error @+1 {{'lanes_shared_with_int32' (128) must be below 'lanes_per_unit' (64)}}
module attributes {tilecast.target = #tilecast.target<"toy", kind = gpu, compute_units = 10, lanes_per_unit = 64, lanes_shared_with_int32 = 128, clock_mhz = 1000.0, memory_bandwidth_gbps = 100.0, l2_cache_mib = 2.0, l1_cache_kib = 64.0, max_threads_per_unit = 1024, launch_overhead_us = 5.0, peak_tflops = {f32 = 1.28 : f64}>} {
}

// -----

// A flag is true or false: MLIR's default parser took 1 and answered 2 with
// "integer value too large".
// expected-error @+2 {{expected 'true' or 'false'}}
// expected-error @+1 {{failed to parse Tilecast_FusionAttr parameter 'fuse'}}
func.func @fuse_integer() attributes {tilecast.fusion = #tilecast.fusion<operand = 0, unfused_us = 3.0, fused_us = 1.0, saving_us = 2.0, fuse = 1>} {
  return
}

// -----

// expected-error @+1 {{'saving_us' must not be a negative zero (-0.0)}}
func.func @saving_negative_zero() attributes {tilecast.fusion = #tilecast.fusion<operand = 0, unfused_us = 1.0, fused_us = 1.0, saving_us = -0.0, fuse = false>} {
  return
}

// -----

// expected-error @+1 {{'saving_us' (5) must equal unfused_us - fused_us (2)}}
func.func @saving_mismatch() attributes {tilecast.fusion = #tilecast.fusion<operand = 0, unfused_us = 3.0, fused_us = 1.0, saving_us = 5.0, fuse = true>} {
  return
}

// -----

// expected-error @+1 {{'fuse = true' but fusing saves nothing (-1 us)}}
func.func @fuse_without_saving() attributes {tilecast.fusion = #tilecast.fusion<operand = 1, unfused_us = 1.0, fused_us = 2.0, saving_us = -1.0, fuse = true>} {
  return
}

// -----

// expected-error @+1 {{kernel group name must not be empty}}
func.func @empty_group() attributes {tilecast.kernel = #tilecast.kernel<"", softmax>} {
  return
}

// -----

// expected-error @+1 {{'tilecast.kernel' must be a #tilecast.kernel, got "ln_1"}}
func.func @wrong_kind() attributes {tilecast.kernel = "ln_1"} {
  return
}

// -----

// expected-error @+1 {{'tilecast.kernel' must be on an op that computes a value}}
func.func @on_a_function() attributes {tilecast.kernel = #tilecast.kernel<"f", elementwise>} {
  return
}

// -----

// A tiling names one size per loop; with none, there is nothing to tile.
// expected-error @+1 {{'tile' is empty: it gives one size per loop, and an op without loops (0-d) has nothing to tile}}
func.func @empty_decision() attributes {tilecast.tile_decision = #tilecast.tile_decision<tile = [], latency_us = 1.0, runner_up = [], runner_up_latency_us = 1.0, candidates = 1, model = "analytical">} {
  return
}
