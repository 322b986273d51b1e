// RUN: tilecast-opt %s -split-input-file --pass-pipeline='builtin.module(tilecast-annotate-target{target=h100-sxm})' | FileCheck %s --check-prefix=H100
// RUN: tilecast-opt %s -split-input-file --pass-pipeline='builtin.module(tilecast-annotate-target{target=%S/Inputs/toy-gpu.json})' | FileCheck %s --check-prefix=FILE
// RUN: tilecast-opt %s -split-input-file --pass-pipeline='builtin.module(tilecast-annotate-target{target=NVIDIA_L4})' | FileCheck %s --check-prefix=ALIAS

// The spec comes from the built-in database, a spec file, or an alias used
// by measurement data, and lands on the module.

// H100: module attributes {tilecast.target = #tilecast.target<"h100-sxm", kind = gpu, compute_units = 132, lanes_per_unit = 128, lanes_shared_with_int32 = 0, clock_mhz = 1980.0, memory_bandwidth_gbps = 3430.0, l2_cache_mib = 50.0
// H100-SAME: f32 = 6.690800e+01 : f64
// FILE: module attributes {tilecast.target = #tilecast.target<"toy", kind = gpu, compute_units = 10, lanes_per_unit = 64, lanes_shared_with_int32 = 0, clock_mhz = 1000.0, memory_bandwidth_gbps = 100.0
// ALIAS: #tilecast.target<"l4", kind = gpu, compute_units = 60
func.func @f() {
  return
}

// -----

// An existing target is replaced.
// H100: module attributes {tilecast.target = #tilecast.target<"h100-sxm"
module attributes {tilecast.target = #tilecast.target<"old", kind = cpu, compute_units = 1, lanes_per_unit = 1, lanes_shared_with_int32 = 0, clock_mhz = 1.0, memory_bandwidth_gbps = 1.0, l2_cache_mib = 0.0, l1_cache_kib = 0.0, max_threads_per_unit = 1, launch_overhead_us = 0.0, peak_tflops = {f32 = 1.0 : f64}>} {
}
