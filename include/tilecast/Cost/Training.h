//===- Training.h - Fitting the hybrid model to measurements -----*- C++ -*-===//
//
// Trains the hybrid model's correction networks (HybridModel.h) on measured
// kernels, scores them leave-one-GPU-out, derives split-conformal intervals
// from the held-out residuals, and adapts a trained model to a new GPU from a
// few of its measurements. Training is deterministic: the same measurements,
// options and seed give the same weights, bit for bit, whatever the thread
// count.
//
//===----------------------------------------------------------------------===//

#ifndef TILECAST_COST_TRAINING_H
#define TILECAST_COST_TRAINING_H

#include "tilecast/Cost/HybridModel.h"

#include "llvm/Support/raw_ostream.h"

namespace mlir::tilecast {

struct TrainingOptions {
  uint64_t seed = 1;
  /// Units per hidden layer; empty gives a linear model.
  std::vector<int64_t> hiddenLayers = {16, 16};
  int64_t epochs = 10;
  int64_t batchSize = 256;
  /// Adam's step size at the start; it decays to 10% along a cosine.
  double learningRate = 3e-3;
  /// The correction is bounded to a factor exp(+-maxLogCorrection).
  double maxLogCorrection = 1.0;
  /// Huber loss threshold on the log error (0.1 ~ 10%).
  double huberDelta = 0.1;
  /// Interval coverages to derive (0.9 is always added).
  std::vector<double> coverages = {0.5, 0.8, 0.9, 0.95};
  /// Worker threads for the independent fits (folds); 0 = all cores.
  unsigned threads = 0;
};

/// One training example: the features of a measured kernel and the log of
/// measured over analytical latency, the quantity the network predicts.
struct TrainingExample {
  HybridFeatures features;
  double logRatio = 0;
  /// Index of the GPU it was measured on, for leave-one-GPU-out folds.
  unsigned gpu = 0;
};

/// The examples of one kernel class and the GPU names they index.
struct ClassExamples {
  std::vector<TrainingExample> examples;
  std::vector<std::string> gpus;
  /// The interval group of each GPU: power-limited or other.
  std::vector<IntervalGroup> gpuGroups;
};

/// A group's own intervals are derived only from at least this many held-out
/// GPUs; with fewer the pooled intervals serve it.
inline constexpr unsigned kMinGpusPerIntervalGroup = 2;

/// Builds the examples of `kernelClass` from `measurements`, resolving each
/// row's device in the target database (errors at `loc`).
FailureOr<ClassExamples> buildExamples(ArrayRef<Measurement> measurements,
                                       KernelClass kernelClass, Location loc);

/// Fits one network reading features `inputs` to `examples` (all of them).
CorrectionNetwork fitCorrectionNetwork(ArrayRef<TrainingExample> examples,
                                       ArrayRef<unsigned> inputs,
                                       const TrainingOptions &options);

/// The split-conformal interval at `coverage` from held-out log residuals
/// log(measured / predicted): the order statistics floor((n+1) a/2) and
/// ceil((n+1)(1 - a/2)) with a = 1 - coverage, clamped to include 0.
IntervalLevel getConformalInterval(ArrayRef<double> heldOutLogResiduals,
                                   double coverage);

/// Trains every class present in `measurements`. Per class, each feature set
/// of getHybridFeatureSets() and "no correction" are scored by refitting with
/// each GPU held out in turn; the best mean held-out MAPE wins and is refitted
/// on all GPUs, and its held-out residuals give the conformal intervals.
/// Progress goes to `log` if given.
FailureOr<HybridModelFile> trainHybridModel(ArrayRef<Measurement> measurements,
                                            StringRef dataSha256,
                                            const TrainingOptions &options,
                                            Location loc,
                                            llvm::raw_ostream *log = nullptr);

/// How strongly few-shot calibration trusts a class's prior bias of 0: the
/// weight, in measurements, of that prior. Chosen by hand (two kernels) so
/// that one measurement never sets a bias alone; docs/accuracy.md shows the
/// resulting error curve.
inline constexpr double kCalibrationPriorMeasurements = 2.0;

/// A calibration bias beyond this factor either way is warned about: the
/// analytical model's log residuals on the training kernels lie within
/// -0.45 and +0.83 (5th and 95th percentiles, bmm and linear pooled,
/// docs/accuracy.md), so a median a factor 10 off (log 2.30) is more likely a
/// units mistake (the Latency column is in milliseconds) than a GPU.
inline constexpr double kSuspiciousCalibrationFactor = 10.0;

/// Few-shot adaptation: per class, the median log residual of the model on
/// the n `measurements` of `target` in that class, shrunk towards 0 by
/// n / (n + kCalibrationPriorMeasurements), recorded as the file's
/// calibration for `target`. Errors (a CPU target, a row for another device,
/// a class the model has no class model for, a bias beyond
/// kMaxAbsLogRatio) are reported at `loc`.
FailureOr<HybridModelFile> calibrateHybridModel(const HybridModelFile &model,
                                                const TargetSpec &target,
                                                ArrayRef<Measurement> measurements,
                                                Location loc);

} // namespace mlir::tilecast

#endif // TILECAST_COST_TRAINING_H
