//===- HybridModel.h - Analytical backbone with a learned correction -*- C++
//-*-===//
//
// The hybrid model keeps the analytical model's decomposition of a kernel
// (block tiles, waves, roofline bounds, overhead) and multiplies its time by
// a learned, bounded correction:
//
//   latency = analytical latency * exp(c),  c = B * tanh(net(x) / B)
//
// where x are features of the op, its tile decomposition and the target's
// spec sheet (never anything measured on the target) and B bounds the
// correction (a factor of at most exp(B) either way), so predictions stay
// physically plausible far from the training data. One network per kernel
// class; intervals are split-conformal quantiles of log(measured/predicted)
// held out by GPU. The derivation and the measured accuracy are in
// docs/cost-model.md and docs/accuracy.md; model files are documented in
// docs/model-files.md.
//
//===----------------------------------------------------------------------===//

#ifndef TILECAST_COST_HYBRIDMODEL_H
#define TILECAST_COST_HYBRIDMODEL_H

#include "tilecast/Cost/AnalyticalModel.h"
#include "tilecast/Cost/CostModel.h"
#include "tilecast/Cost/Measurements.h"

#include <Eigen/Core>

#include <array>
#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mlir::tilecast {

//===----------------------------------------------------------------------===//
// Features
//===----------------------------------------------------------------------===//

/// Every feature the correction networks may read, in order
/// (getHybridFeatureNames); a network reads a subset.
inline constexpr unsigned kNumHybridFeatures = 12;
using HybridFeatures = std::array<double, kNumHybridFeatures>;
ArrayRef<StringLiteral> getHybridFeatureNames();

/// A named subset of the features that training tries as a network's inputs.
struct HybridFeatureSet {
  StringLiteral name;
  std::vector<unsigned> features;
};
ArrayRef<HybridFeatureSet> getHybridFeatureSets();

/// The features of `workload` on `target`, given the analytical model's
/// breakdown of it.
HybridFeatures computeHybridFeatures(const OpWorkload &workload,
                                     const TargetSpec &target,
                                     const AnalyticalBreakdown &breakdown);

/// The network that corrects `workload`, or nullopt for kinds no network was
/// trained for (convolutions, reductions, data movement): those keep the
/// analytical estimate.
std::optional<KernelClass> getHybridClass(const OpWorkload &workload);

//===----------------------------------------------------------------------===//
// Model file contents
//===----------------------------------------------------------------------===//

/// A fully connected network with tanh hidden layers and a bounded linear
/// output: c = bound * tanh(z / bound) with z = W_L ... tanh(W_1 x' + b_1),
/// x' = (x[inputs] - featureMean) / featureScale.
struct CorrectionNetwork {
  /// Indices into HybridFeatures of the features the network reads.
  std::vector<unsigned> inputs;
  Eigen::VectorXd featureMean;
  Eigen::VectorXd featureScale;
  /// Layer l maps the previous layer's outputs to its own: rows = outputs.
  std::vector<Eigen::MatrixXd> weights;
  std::vector<Eigen::VectorXd> biases;
  double maxLogCorrection = 0;

  /// The log correction for one feature vector.
  double evaluate(const HybridFeatures &features) const;
};

/// A prediction interval at one coverage: the latency times
/// exp(lowerLogRatio) .. exp(upperLogRatio).
struct IntervalLevel {
  double coverage = 0;
  double lowerLogRatio = 0;
  double upperLogRatio = 0;
};

/// The groups of GPUs whose residuals calibrate intervals separately.
enum class IntervalGroup : unsigned { PowerLimited, Other };
StringRef getIntervalGroupName(IntervalGroup group);
/// The group whose intervals `target` gets: power-limited GPUs
/// (isPowerLimitedGpu) err differently from the rest, low more often; every
/// other GPU gets the pooled intervals, the widest, since some (AMD's)
/// resemble no training GPU. Other is kept in files for inspection. (CPU
/// targets are not corrected at all: see getClassModel.)
std::optional<IntervalGroup> getIntervalGroup(const TargetSpec &target);

/// Mean absolute percentage errors on one GPU held out of training.
struct HeldOutScore {
  std::string gpu;
  int64_t rows = 0;
  double analyticalMape = 0;
  double hybridMape = 0;
};

/// The held-out score of one candidate input set tried in training.
struct CandidateScore {
  /// A feature set's name, or "none" for no correction.
  std::string features;
  /// Mean over the held-out GPUs of their MAPE.
  double meanHeldOutMape = 0;
};

/// One kernel class's network, intervals and scores.
struct ClassModel {
  /// Absent where no candidate beat the analytical model on held-out GPUs:
  /// the class then keeps the analytical time with conformal intervals.
  std::optional<CorrectionNetwork> network;
  /// Every candidate training tried, the chosen one included.
  std::vector<CandidateScore> candidates;
  /// Sorted by coverage; 0.9 is always present. From the held-out residuals
  /// of every training GPU.
  std::vector<IntervalLevel> intervals;
  /// The same from the GPUs of one group only (Mondrian conformal
  /// prediction): a target whose getIntervalGroup has intervals here gets
  /// them, else `intervals`. Indexed by IntervalGroup; empty if absent.
  std::array<std::vector<IntervalLevel>, 2> groupIntervals;
  /// Leave-one-GPU-out scores from training.
  std::vector<HeldOutScore> heldOutScores;
  int64_t trainingRows = 0;
};

/// How the model was trained, recorded for reproducibility.
struct TrainingRecord {
  std::string dataSha256;
  uint64_t seed = 0;
  std::vector<std::string> gpus;
  std::vector<int64_t> hiddenLayers;
  int64_t epochs = 0;
  int64_t batchSize = 0;
  double learningRate = 0;
};

/// Few-shot adaptation to one target (tilecast-calibrate): a log bias per
/// class added to the correction when costing for that target.
struct Calibration {
  std::string target;
  int64_t measurements = 0;
  std::array<double, kNumKernelClasses> logBias{};
};

/// The contents of a `tilecast.model.v1` file.
struct HybridModelFile {
  TrainingRecord training;
  std::array<std::optional<ClassModel>, kNumKernelClasses> classes;
  std::optional<Calibration> calibration;
};

/// Limits a model file must respect, so that a crafted or damaged file cannot
/// make a prediction infinite or NaN. Each is far beyond what tilecast-train
/// writes (scales of at least 1e-9, weights of order 1, a bound of 1, log
/// ratios within +-2).
/// Feature scales: training replaces spreads below 1e-9 by 1.
inline constexpr double kMinFeatureScale = 1e-9;
/// |weight| and |bias| of any layer.
inline constexpr double kMaxAbsWeight = 1e6;
/// |mean| of a feature's normalisation. The features are logarithms and
/// fractions (HybridFeatures.h), far below this; a larger mean is a broken
/// file, whose corrections would overflow to infinity.
inline constexpr double kMaxAbsFeatureMean = 1e6;
/// The correction bound: a factor of e^5 (about 148) at most.
inline constexpr double kMaxLogCorrectionLimit = 5.0;
/// |log ratio| of interval ends and calibration biases: a factor of e^10.
inline constexpr double kMaxAbsLogRatio = 10.0;

/// Parses and validates a model file (schema version, feature list, layer
/// shapes, finite weights, interval levels). Errors are reported at
/// `bufferName` with the path of the offending field.
FailureOr<HybridModelFile>
parseHybridModel(StringRef text, StringRef bufferName, MLIRContext *context);
/// Reads and parses the model file at `path`.
FailureOr<HybridModelFile> loadHybridModel(StringRef path,
                                           MLIRContext *context);
/// The model trained on the NeuSight training GPUs, data/models/hybrid.json,
/// compiled into the library.
FailureOr<std::shared_ptr<const HybridModelFile>>
getBuiltinHybridModel(MLIRContext *context);

/// Writes `file` to `path` ("-" for stdout), after checking that its text
/// parses back (parseHybridModel) so that no tool writes a model file the
/// tools refuse; reports failures at `loc`, and then leaves `path` as it was.
LogicalResult writeHybridModel(const HybridModelFile &file, StringRef path,
                               Location loc);

/// The file's JSON text. Deterministic: the same contents give the same
/// bytes, and parsing the text gives back the same contents.
std::string printHybridModel(const HybridModelFile &file);

//===----------------------------------------------------------------------===//
// The cost model
//===----------------------------------------------------------------------===//

class HybridModel final : public CostModel {
public:
  /// Intervals at `coverage`, which must be one of the file's levels.
  HybridModel(std::shared_ptr<const HybridModelFile> file,
              double coverage = kDefaultCoverage);

  StringRef getName() const override { return "hybrid"; }
  FailureOr<CostEstimate> estimate(const OpWorkload &workload,
                                   const TargetSpec &target,
                                   Location loc) const override;
  /// The analytical tile estimate scaled by the op's correction: the network
  /// is trained on whole kernels, so it corrects every tiling alike and the
  /// ranking of tilings is the analytical model's.
  FailureOr<TileCostEstimate> estimateTile(const OpWorkload &workload,
                                           ArrayRef<int64_t> tileSizes,
                                           const TargetSpec &target,
                                           Location loc) const override;

private:
  /// The calibration's log bias for `workload`'s class on `target`: 0
  /// unless the file is calibrated for it. `workload` has a hybrid class.
  double getCalibrationBias(const OpWorkload &workload,
                            const TargetSpec &target) const;
  /// The log correction of `model`'s network (0 without one) plus the
  /// calibration for `target`; a non-finite one is an error at `loc`. The
  /// network reads `breakdown`, which may be null for a class without one.
  FailureOr<double> getLogCorrection(const ClassModel &model,
                                     const OpWorkload &workload,
                                     const TargetSpec &target,
                                     const AnalyticalBreakdown *breakdown,
                                     Location loc) const;

  std::shared_ptr<const HybridModelFile> file;
  double coverage;
  AnalyticalModel analytical;
  /// Whether the first op a non-default coverage cannot apply to has been
  /// warned about (once per model: estimates may run on several threads).
  mutable std::atomic<bool> warnedCoverage = false;
};

} // namespace mlir::tilecast

#endif // TILECAST_COST_HYBRIDMODEL_H
