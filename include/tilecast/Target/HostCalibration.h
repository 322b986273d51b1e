//===- HostCalibration.h - Measure the host CPU into a target spec -*- C++
//-*-===//
//
// Host calibration runs micro-benchmarks written in MLIR (vector dialect),
// JIT-compiled for the host CPU through mlir::ExecutionEngine, and turns the
// measurements into a `tilecast.target.v1` spec of kind cpu:
//
//  - peak FLOP/s: a loop of vector.fma on independent accumulators (enough of
//    them to hide the FMA latency), one core, f32 and f64;
//  - read bandwidth: a vectorised sum over a buffer sized for L1, L2, L3 and
//    DRAM (sizes from the host's cache description), one core; DRAM also on
//    all cores at once.
//
// The library is `TilecastHostCalibration`, separate from `TilecastTarget` so
// that the target database does not link the JIT. docs/targets.md
// ("Calibrating the host") documents the measurements and the mapping.
//
//===----------------------------------------------------------------------===//

#ifndef TILECAST_TARGET_HOSTCALIBRATION_H
#define TILECAST_TARGET_HOSTCALIBRATION_H

#include "mlir/IR/Location.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <string>

namespace mlir::tilecast {

struct HostCalibrationOptions {
  /// Timed runs per measurement; the median is kept.
  int repeats = 7;
  /// A timed run repeats its kernel until it takes at least this long.
  double minRunSeconds = 0.05;
};

/// Cache sizes of one core's hierarchy, in bytes, and where they came from.
struct HostCacheSizes {
  uint64_t l1dBytes = 0;
  uint64_t l2Bytes = 0;
  /// 0 if the host has no L3.
  uint64_t l3Bytes = 0;
  std::string source;
};

/// The read-bandwidth probes' working sets, level name and bytes: L1d/2,
/// L2/2, L3/4 (if there is an L3) and, for DRAM, 4 x the last-level cache,
/// at least 64 MiB and at most a quarter of `memoryGib` (ignored if 0); each
/// a multiple of the sum kernel's step for `lanes` f32 lanes.
SmallVector<std::pair<std::string, uint64_t>>
getBandwidthWorkingSets(const HostCacheSizes &caches, unsigned lanes,
                        double memoryGib);

/// One read-bandwidth measurement.
struct BandwidthMeasurement {
  std::string level; // "L1", "L2", "L3", "DRAM"
  uint64_t workingSetBytes = 0;
  double bytesPerSecond = 0;
};

/// What host calibration measured and read about the machine.
struct HostMeasurements {
  /// The LLVM name of the host CPU (llvm::sys::getHostCPUName), e.g. znver4.
  std::string llvmCpuName;
  /// "model name" of /proc/cpuinfo, or the LLVM name.
  std::string modelName;
  std::string vendor;
  /// Width of the vectors the kernels use (512 with AVX-512, 256 with AVX,
  /// else 128) and the f32 lanes in one.
  unsigned vectorBits = 0;
  unsigned f32Lanes = 0;
  /// Logical CPUs this process can use (std::thread::hardware_concurrency).
  unsigned cores = 0;
  double clockMhz = 0;
  std::string clockSource;
  HostCacheSizes caches;
  double memoryGib = 0;

  /// Medians of the timed runs.
  double f32FlopsPerSecondPerCore = 0;
  double f64FlopsPerSecondPerCore = 0;
  double f32FlopsPerSecondAllCores = 0;
  SmallVector<BandwidthMeasurement, 4> bandwidths;
  double dramBytesPerSecondAllCores = 0;
  /// Median time to start tasks on the other cores' parked threads and wait
  /// for them, 20 us after the previous probe returned: what a parallel loop
  /// that follows another pays to start (0 on one core). Written as the
  /// spec's launch_overhead_us.
  double parallelStartSeconds = 0;
  /// The same after 1 ms of serial work, when the other cores have gone
  /// idle: what an isolated parallel loop pays. Recorded in the notes.
  double idleParallelStartSeconds = 0;

  HostCalibrationOptions options;
};

/// Measures the host. JIT or measurement failures are errors at `loc`.
FailureOr<HostMeasurements> measureHost(const HostCalibrationOptions &options,
                                        Location loc);

/// The last-level cache a spec of `measured` records: the L3 if the machine
/// reports one and its probe read clearly faster than DRAM (a hypervisor
/// may report a whole socket's L3 to a small guest), else the L2.
uint64_t getLastLevelCacheBytes(const HostMeasurements &measured);

/// The `tilecast.target.v1` document for `measured`: id `host-<name>`, kind
/// cpu, the raw measurements and `command` in `sources` and `notes`.
std::string printHostTargetSpec(const HostMeasurements &measured,
                                StringRef name, StringRef command);

/// A readable table of the measurements.
void printHostMeasurements(const HostMeasurements &measured,
                           llvm::raw_ostream &os);

/// `name` made into a target id suffix: lower case, [a-z0-9-] only.
std::string sanitizeHostName(StringRef name);

} // namespace mlir::tilecast

#endif // TILECAST_TARGET_HOSTCALIBRATION_H
