//===- E2EBench.h - Whole-model predictions against measurements -*- C++
//-*-===//

#ifndef TILECAST_TOOLS_BENCH_E2EBENCH_H
#define TILECAST_TOOLS_BENCH_E2EBENCH_H

#include "tilecast/Compose/Prediction.h"
#include "tilecast/Cost/Workload.h"
#include "tilecast/Import/ModelConfig.h"
#include "tilecast/Import/TransformerImporter.h"
#include "tilecast/Target/TargetSpec.h"

#include "mlir/Support/LLVM.h"

#include <map>
#include <optional>
#include <string>
#include <tuple>

namespace mlir::tilecast::bench {
/// The FP32 GEMM latencies measured in the NeuSight kernel tables (linear and
/// bmm, both splits), per target and GEMM shape (batch, m, n, k); the median
/// where a shape was measured more than once. A shape's time stands for every
/// GEMM of that shape: operand layouts and a bias epilogue (which the linear
/// kernels have) are not told apart.
class MeasuredGemms {
public:
  /// Reads the tables under `neusightDir`; rows of a device the target
  /// database does not know are left out. Errors are reported at `loc`.
  static FailureOr<MeasuredGemms> read(StringRef neusightDir, Location loc);

  /// The measured latency of a GEMM of the shape of `workload` on
  /// `targetId`, if the tables have one.
  std::optional<double> lookupUs(StringRef targetId,
                                 const OpWorkload &workload) const;

private:
  /// Target id, batch, m, n, k.
  using Key = std::tuple<std::string, int64_t, int64_t, int64_t, int64_t>;
  std::map<Key, double> latencyUs;
};

/// Costs `module` for `target` with the cost model `modelName` (and
/// `modelFile`, "" for the built-in one) and composes the prediction, as
/// tilecast-predict does; errors are reported in the module. With
/// `measuredGemms`, see predictImportedModel.
FailureOr<Prediction>
predictModule(ModuleOp module, const TargetSpec &target, StringRef modelName,
              StringRef modelFile, bool overlapLaunches,
              const MeasuredGemms *measuredGemms = nullptr);

/// Imports `config` with `importOptions`, costs it for `target` with the
/// cost model `modelName` (and `modelFile`, "" for the built-in one) and
/// composes the prediction; errors are reported at `loc`. With
/// `measuredGemms`, every GEMM kernel whose shape was measured on `target`
/// costs its measured latency instead (source = measured).
FailureOr<Prediction>
predictImportedModel(const ModelConfig &config,
                     const ImportOptions &importOptions,
                     const TargetSpec &target, StringRef modelName,
                     StringRef modelFile, bool overlapLaunches, Location loc,
                     const MeasuredGemms *measuredGemms = nullptr);

/// Imports every model/setting that has a label under `neusightDir`/labels,
/// predicts it with the cost model `modelName` on the label's GPU, and
/// prints predicted vs measured per GPU with the pooled errors. Only labels
/// whose file name contains `filter` are used. Returns the exit code.
struct E2EOptions {
  std::string neusightDir;
  /// The cost model, and for the hybrid model a model file ("" = built-in).
  std::string modelName = "hybrid";
  std::string modelFile;
  /// Only labels whose file name contains this.
  std::string filter;
  bool overlapLaunches = true;
  /// Cost every GEMM kernel whose shape the kernel tables measured on the
  /// label's GPU at that latency: how close composing the GPU's own kernel
  /// measurements comes to its whole-model labels.
  bool measuredGemms = false;
};
int runE2EBench(const E2EOptions &options);
} // namespace mlir::tilecast::bench

#endif // TILECAST_TOOLS_BENCH_E2EBENCH_H
