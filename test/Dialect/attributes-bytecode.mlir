// RUN: tilecast-opt %s --emit-bytecode | tilecast-opt | FileCheck %s
// RUN: tilecast-opt %s > %t.text.mlir
// RUN: tilecast-opt %s --emit-bytecode | tilecast-opt > %t.bytecode.mlir
// RUN: diff %t.text.mlir %t.bytecode.mlir

// Every attribute in MLIR bytecode, in the dialect's own encoding (fields in
// ODS order, doubles as their bit patterns), reads back as written: here a
// double no decimal literal of few digits gives (0.1 + 0.2), a negative
// saving, and the largest count.
// CHECK: tilecast.target = #tilecast.target<"toy", kind = gpu, compute_units = 10, lanes_per_unit = 64, lanes_shared_with_int32 = 0, clock_mhz = 1000.0, memory_bandwidth_gbps = 100.0, l2_cache_mib = 2.0, l1_cache_kib = 64.0, max_threads_per_unit = 1024, launch_overhead_us = 5.0, peak_tflops = {f16 = 5.120000e+00 : f64, f32 = 1.280000e+00 : f64}>
// CHECK: tilecast.cost = #tilecast.cost<latency_us = 0.30000000000000004, lower_us = 0.1, upper_us = 2.0, compute_us = 0.25, memory_us = 0.0, overhead_us = 0.05, flops = 9223372036854775807, bytes = 12, bound = compute, source = hybrid>
// CHECK: tilecast.fusion = #tilecast.fusion<operand = 1, unfused_us = 1.0, fused_us = 3.0, saving_us = -2.0, fuse = false>
// CHECK: tilecast.kernel = #tilecast.kernel<"ln", layernorm>
// CHECK: tilecast.tile_cost = #tilecast.tile_cost<tile = [8], num_tiles = 2, waves = 1, tile_latency_us = 3.0, latency_us = 5.5, bound = memory>
// CHECK: tilecast.tile_decision = #tilecast.tile_decision<tile = [16], latency_us = 1.5, runner_up = [], runner_up_latency_us = 1.5, candidates = 1, model = "hand">
module attributes {tilecast.target = #tilecast.target<"toy", kind = gpu, compute_units = 10, lanes_per_unit = 64, lanes_shared_with_int32 = 0, clock_mhz = 1000.0, memory_bandwidth_gbps = 100.0, l2_cache_mib = 2.0, l1_cache_kib = 64.0, max_threads_per_unit = 1024, launch_overhead_us = 5.0, peak_tflops = {f32 = 1.28 : f64, f16 = 5.12 : f64}>} {
  func.func @f(%x: tensor<16xf32>) -> tensor<16xf32> attributes {
      tilecast.cost = #tilecast.cost<latency_us = 0.30000000000000004, lower_us = 0.1, upper_us = 2.0, compute_us = 0.25, memory_us = 0.0, overhead_us = 0.05, flops = 9223372036854775807, bytes = 12, bound = compute, source = hybrid>,
      tilecast.fusion = #tilecast.fusion<operand = 1, unfused_us = 1.0, fused_us = 3.0, saving_us = -2.0, fuse = false>} {
    %e = tensor.empty() : tensor<16xf32>
    %y = linalg.exp {tilecast.kernel = #tilecast.kernel<"ln", layernorm>,
                     tilecast.tile_cost = #tilecast.tile_cost<tile = [8], num_tiles = 2, waves = 1, tile_latency_us = 3.0, latency_us = 5.5, bound = memory>,
                     tilecast.tile_decision = #tilecast.tile_decision<tile = [16], latency_us = 1.5, runner_up = [], runner_up_latency_us = 1.5, candidates = 1, model = "hand">}
        ins(%x : tensor<16xf32>) outs(%e : tensor<16xf32>) -> tensor<16xf32>
    return %y : tensor<16xf32>
  }
}

// An attribute that its verifier refuses, read from bytecode, is an error at
// the file (it named the attribute's text until the dialect had its own
// encoding): compute_units = 37 is the one byte 0x95 (37, zigzag-encoded,
// as a one-byte varint), set here to 0x01, which reads as 0.
// RUN: tilecast-opt %S/Inputs/target-37-units.mlir --emit-bytecode -o %t.units.mlirbc
// RUN: %python -c "import sys; p = sys.argv[1]; b = bytearray(open(p, 'rb').read()); assert b.count(0x95) == 1; b[b.index(0x95)] = 1; open(p, 'wb').write(b)" %t.units.mlirbc
// RUN: not tilecast-opt %t.units.mlirbc 2>&1 | FileCheck %s --check-prefix=UNITS
// UNITS: units.mlirbc:0:0: error: 'compute_units' must be an integer from 1 to 1000000000, got 0
