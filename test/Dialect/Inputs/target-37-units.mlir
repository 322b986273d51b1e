// A CPU target of 37 cores, for attributes-bytecode.mlir.
module attributes {tilecast.target = #tilecast.target<"toy", kind = cpu, compute_units = 37, lanes_per_unit = 16, lanes_shared_with_int32 = 0, clock_mhz = 1000.0, memory_bandwidth_gbps = 100.0, l2_cache_mib = 2.0, l1_cache_kib = 64.0, max_threads_per_unit = 1, launch_overhead_us = 5.0, peak_tflops = {f32 = 1.28 : f64}>} {
}
