// One target, on a nested module only: it costs the ops outside that module
// too (test/Tools/tilecast-predict-errors.test).
module {
 func.func @outer(%a: tensor<1024xf32>, %c: tensor<1024xf32>) -> tensor<1024xf32> {
   %r = linalg.add ins(%a, %a : tensor<1024xf32>, tensor<1024xf32>) outs(%c : tensor<1024xf32>) -> tensor<1024xf32>
   return %r : tensor<1024xf32>
 }
 module @inner attributes {tilecast.target = #tilecast.target<"inner", kind = gpu, compute_units = 10, lanes_per_unit = 64, lanes_shared_with_int32 = 0, clock_mhz = 1000.0, memory_bandwidth_gbps = 1.0, l2_cache_mib = 2.0, l1_cache_kib = 64.0, max_threads_per_unit = 1024, launch_overhead_us = 5.0, peak_tflops = {f32 = 1.28 : f64}>} {
  func.func @f(%a: tensor<1024xf32>, %c: tensor<1024xf32>) -> tensor<1024xf32> {
    %r = linalg.add ins(%a, %a : tensor<1024xf32>, tensor<1024xf32>) outs(%c : tensor<1024xf32>) -> tensor<1024xf32>
    return %r : tensor<1024xf32>
  }
 }
}
