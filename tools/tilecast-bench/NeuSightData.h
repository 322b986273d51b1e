//===- NeuSightData.h - Reading the NeuSight kernel measurements -*- C++
//-*-===//
//
// The ground truth of ../shared/data/neusight (see its README): kernel
// latencies measured on NVIDIA GPUs, FP32, in milliseconds. Each row becomes
// an OpWorkload built through the cost library's constructors and the target
// it was measured on.
//
//===----------------------------------------------------------------------===//

#ifndef TILECAST_TOOLS_BENCH_NEUSIGHTDATA_H
#define TILECAST_TOOLS_BENCH_NEUSIGHTDATA_H

#include "tilecast/Cost/Workload.h"

#include <string>
#include <vector>

namespace mlir::tilecast::bench {

/// The op classes accuracy is reported for.
enum class KernelClass { Bmm, Linear, Elementwise, Softmax, LayerNorm };
StringRef getKernelClassName(KernelClass kernelClass);

struct Measurement {
  KernelClass kernelClass;
  /// The device string of the CSV ("NVIDIA L4"), an alias of a target.
  std::string device;
  OpWorkload workload;
  double latencyUs;
};

/// Which files to read: the training GPUs' training kernels, or the
/// validation rows (held-out shapes and the unseen GPUs).
enum class Split { Train, Validation };

/// Reads every measurement of `split` under `neusightDir`. Errors (a missing
/// file, a malformed row) are reported at `loc`.
FailureOr<std::vector<Measurement>> readMeasurements(StringRef neusightDir,
                                                     Split split, Location loc);

} // namespace mlir::tilecast::bench

#endif // TILECAST_TOOLS_BENCH_NEUSIGHTDATA_H
