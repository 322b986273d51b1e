//===- E2EBench.h - Whole-model predictions against measurements -*- C++
//-*-===//

#ifndef TILECAST_TOOLS_BENCH_E2EBENCH_H
#define TILECAST_TOOLS_BENCH_E2EBENCH_H

#include "tilecast/Compose/Prediction.h"
#include "tilecast/Import/ModelConfig.h"
#include "tilecast/Import/TransformerImporter.h"
#include "tilecast/Target/TargetSpec.h"

#include "mlir/Support/LLVM.h"

#include <string>

namespace mlir::tilecast::bench {
/// Imports `config` with `importOptions`, costs it for `target` with the
/// cost model `modelName` (and `modelFile`, "" for the built-in one) and
/// composes the prediction; errors are reported at `loc`.
FailureOr<Prediction> predictImportedModel(const ModelConfig &config,
                                           const ImportOptions &importOptions,
                                           const TargetSpec &target,
                                           StringRef modelName,
                                           StringRef modelFile,
                                           bool overlapLaunches, Location loc);

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
};
int runE2EBench(const E2EOptions &options);
} // namespace mlir::tilecast::bench

#endif // TILECAST_TOOLS_BENCH_E2EBENCH_H
