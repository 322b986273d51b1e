//===- Training.cpp - Fitting the hybrid model to measurements ------------===//
//
// Networks are trained with Adam on a Huber loss of the log error, in
// minibatches drawn by a seeded SplitMix64 generator; nothing depends on
// thread scheduling, so results are bit-identical across runs and thread
// counts on the same build. docs/cost-model.md (section 5) describes the
// model and docs/accuracy.md the measured result.
//
//===----------------------------------------------------------------------===//

#include "tilecast/Cost/Training.h"
#include "tilecast/Support/Random.h"
#include "tilecast/Support/ToolDiagnostics.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/bit.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/Threading.h"

#include <cmath>
#include <numeric>

using namespace mlir;
using namespace mlir::tilecast;

//===----------------------------------------------------------------------===//
// Deterministic randomness
//===----------------------------------------------------------------------===//

using Rng = SplitMix64;

/// A seed for fit `job` of class `kernelClass` derived from the user's seed.
static uint64_t deriveSeed(uint64_t seed, unsigned kernelClass, unsigned job) {
  Rng rng(seed ^ (uint64_t(kernelClass) << 32) ^ (uint64_t(job) << 16));
  return rng.next();
}

//===----------------------------------------------------------------------===//
// Examples
//===----------------------------------------------------------------------===//

FailureOr<ClassExamples>
tilecast::buildExamples(ArrayRef<Measurement> measurements,
                        KernelClass kernelClass, Location loc) {
  ClassExamples out;
  // A device is a built-in GPU's id or alias: a spec file's path, or `host`
  // as TILECAST_HOST_SPEC would resolve it, would make the model depend on
  // the machine that trains it.
  TargetCache targets(/*builtinOnly=*/true);
  // The fold of each target looked up (TargetCache's specs stay put).
  llvm::DenseMap<const TargetSpec *, unsigned> folds;
  for (const Measurement &m : measurements) {
    if (m.kernelClass != kernelClass)
      continue;
    FailureOr<const TargetSpec *> spec =
        targets.lookup(m.device, m.getLoc(loc.getContext()));
    if (failed(spec))
      return failure();
    const TargetSpec &target = **spec;
    auto [fold, inserted] = folds.try_emplace(&target, 0);
    if (inserted) {
      if (!target.isGpu()) {
        InFlightDiagnostic diag =
            emitError(m.getLoc(loc.getContext()))
            << "measurement of device '" << getQuotable(m.device)
            << "' is of the cpu target '" << target.id << "'";
        diag.attachNote() << "the hybrid model corrects GPU kernels only";
        return failure();
      }
      // GPUs are indexed by target id: two aliases of one GPU are one fold.
      auto same = llvm::find(out.gpus, target.id);
      fold->second = same - out.gpus.begin();
      if (same == out.gpus.end()) {
        out.gpus.push_back(target.id);
        out.gpuGroups.push_back(isPowerLimitedGpu(target)
                                    ? IntervalGroup::PowerLimited
                                    : IntervalGroup::Other);
      }
    }
    unsigned gpu = fold->second;
    FailureOr<AnalyticalBreakdown> breakdown =
        getAnalyticalBreakdown(m.workload, target, loc);
    if (failed(breakdown))
      return failure();
    TrainingExample example;
    example.features = computeHybridFeatures(m.workload, target, *breakdown);
    example.logRatio = std::log(m.latencyUs / breakdown->getLatencyUs());
    example.gpu = gpu;
    out.examples.push_back(example);
  }
  return out;
}

//===----------------------------------------------------------------------===//
// Network fitting
//===----------------------------------------------------------------------===//

/// Adam's moment decay rates and denominator guard (Kingma and Ba, ICLR 2015,
/// the paper's defaults).
static constexpr double kAdamBeta1 = 0.9;
static constexpr double kAdamBeta2 = 0.999;
static constexpr double kAdamEpsilon = 1e-8;
/// The learning rate decays along a cosine to this fraction of its start.
static constexpr double kFinalLearningRateFraction = 0.1;

namespace {
/// Adam state of one parameter block.
struct AdamBlock {
  Eigen::MatrixXd m, v;
  explicit AdamBlock(Eigen::Index rows, Eigen::Index cols)
      : m(Eigen::MatrixXd::Zero(rows, cols)),
        v(Eigen::MatrixXd::Zero(rows, cols)) {}
  template <typename Param>
  void step(Param &param, const Eigen::MatrixXd &grad, double lr, int64_t t) {
    m = kAdamBeta1 * m + (1 - kAdamBeta1) * grad;
    v = kAdamBeta2 * v + (1 - kAdamBeta2) * grad.cwiseProduct(grad);
    double c1 = 1 - std::pow(kAdamBeta1, double(t));
    double c2 = 1 - std::pow(kAdamBeta2, double(t));
    param.array() -=
        lr * (m.array() / c1) / ((v.array() / c2).sqrt() + kAdamEpsilon);
  }
};
} // namespace

static void setNormalisation(ArrayRef<TrainingExample> examples,
                             CorrectionNetwork &net) {
  const double n = examples.size();
  const size_t numInputs = net.inputs.size();
  net.featureMean = Eigen::VectorXd::Zero(numInputs);
  net.featureScale = Eigen::VectorXd::Zero(numInputs);
  for (const TrainingExample &e : examples)
    for (size_t f = 0; f < numInputs; ++f)
      net.featureMean[f] += e.features[net.inputs[f]] / n;
  for (const TrainingExample &e : examples)
    for (size_t f = 0; f < numInputs; ++f) {
      double d = e.features[net.inputs[f]] - net.featureMean[f];
      net.featureScale[f] += d * d / n;
    }
  for (size_t f = 0; f < numInputs; ++f) {
    double scale = std::sqrt(net.featureScale[f]);
    net.featureScale[f] = scale < kMinFeatureScale ? 1.0 : scale;
  }
}

/// Glorot/Xavier uniform initialisation (Glorot and Bengio, AISTATS 2010).
static void initialiseLayers(const TrainingOptions &options, Rng &rng,
                             CorrectionNetwork &net) {
  int64_t inputs = net.inputs.size();
  std::vector<int64_t> sizes = options.hiddenLayers;
  sizes.push_back(1);
  for (int64_t outputs : sizes) {
    double limit = std::sqrt(6.0 / double(inputs + outputs));
    Eigen::MatrixXd w(outputs, inputs);
    for (Eigen::Index c = 0; c < w.cols(); ++c)
      for (Eigen::Index r = 0; r < w.rows(); ++r)
        w(r, c) = (2 * rng.uniform() - 1) * limit;
    net.weights.push_back(std::move(w));
    net.biases.push_back(Eigen::VectorXd::Zero(outputs));
    inputs = outputs;
  }
}

CorrectionNetwork
tilecast::fitCorrectionNetwork(ArrayRef<TrainingExample> examples,
                               ArrayRef<unsigned> inputs,
                               const TrainingOptions &options) {
  CorrectionNetwork net;
  net.inputs.assign(inputs.begin(), inputs.end());
  net.maxLogCorrection = options.maxLogCorrection;
  setNormalisation(examples, net);
  Rng rng(options.seed);
  initialiseLayers(options, rng, net);

  const int64_t n = examples.size();
  const int64_t numInputs = inputs.size();
  Eigen::MatrixXd x(numInputs, n);
  Eigen::VectorXd y(n);
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t f = 0; f < numInputs; ++f)
      x(f, i) = (examples[i].features[inputs[f]] - net.featureMean[f]) /
                net.featureScale[f];
    y[i] = examples[i].logRatio;
  }

  size_t numLayers = net.weights.size();
  std::vector<AdamBlock> weightState, biasState;
  for (size_t l = 0; l < numLayers; ++l) {
    weightState.emplace_back(net.weights[l].rows(), net.weights[l].cols());
    biasState.emplace_back(net.biases[l].rows(), 1);
  }
  std::vector<int64_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  const int64_t batch = std::max<int64_t>(1, std::min(options.batchSize, n));
  const int64_t stepsPerEpoch = (n + batch - 1) / batch;
  const int64_t totalSteps =
      std::max<int64_t>(1, options.epochs * stepsPerEpoch);
  const double bound = options.maxLogCorrection;
  std::vector<Eigen::MatrixXd> activations(numLayers + 1);
  int64_t step = 0;
  for (int64_t epoch = 0; epoch < options.epochs; ++epoch) {
    for (int64_t i = n - 1; i > 0; --i)
      std::swap(order[i], order[rng.below(i + 1)]);
    for (int64_t start = 0; start < n; start += batch) {
      int64_t size = std::min(batch, n - start);
      Eigen::MatrixXd &input = activations[0];
      input.resize(numInputs, size);
      Eigen::RowVectorXd target(size);
      for (int64_t j = 0; j < size; ++j) {
        input.col(j) = x.col(order[start + j]);
        target[j] = y[order[start + j]];
      }
      // Forward.
      for (size_t l = 0; l < numLayers; ++l) {
        activations[l + 1] =
            (net.weights[l] * activations[l]).colwise() + net.biases[l];
        if (l + 1 < numLayers)
          activations[l + 1] = activations[l + 1].array().tanh();
      }
      Eigen::ArrayXXd squashed =
          (activations[numLayers].array() / bound).tanh();
      Eigen::ArrayXXd error = bound * squashed - target.array();
      // Huber derivative, averaged over the batch, through the bound.
      Eigen::ArrayXXd dLoss =
          error.max(-options.huberDelta).min(options.huberDelta) / double(size);
      Eigen::MatrixXd delta = (dLoss * (1 - squashed.square())).matrix();
      // Backward and update.
      ++step;
      double progress = double(step) / double(totalSteps);
      double lr = options.learningRate *
                  (kFinalLearningRateFraction +
                   (1 - kFinalLearningRateFraction) * 0.5 *
                       (1 + std::cos(llvm::numbers::pi * progress)));
      for (size_t l = numLayers; l-- > 0;) {
        Eigen::MatrixXd gradW = delta * activations[l].transpose();
        Eigen::MatrixXd gradB = delta.rowwise().sum();
        if (l > 0)
          delta =
              (net.weights[l].transpose() * delta)
                  .cwiseProduct((1 - activations[l].array().square()).matrix());
        weightState[l].step(net.weights[l], gradW, lr, step);
        biasState[l].step(net.biases[l], gradB, lr, step);
      }
    }
  }
  return net;
}

//===----------------------------------------------------------------------===//
// Intervals and scores
//===----------------------------------------------------------------------===//

IntervalLevel tilecast::getConformalInterval(ArrayRef<double> residuals,
                                             double coverage) {
  IntervalLevel level;
  level.coverage = coverage;
  if (residuals.empty())
    return level;
  std::vector<double> sorted(residuals.begin(), residuals.end());
  llvm::sort(sorted);
  double n = sorted.size();
  double alpha = 1 - coverage;
  // 1-based order statistics of split conformal prediction (Lei et al.,
  // JASA 2018), two-sided with alpha/2 in each tail.
  int64_t lowerRank = static_cast<int64_t>(std::floor((n + 1) * alpha / 2));
  int64_t upperRank =
      static_cast<int64_t>(std::ceil((n + 1) * (1 - alpha / 2)));
  double lower = lowerRank < 1 ? sorted.front() : sorted[lowerRank - 1];
  double upper = upperRank > n ? sorted.back() : sorted[upperRank - 1];
  level.lowerLogRatio = std::min(0.0, lower);
  level.upperLogRatio = std::max(0.0, upper);
  return level;
}

/// |exp(d) - 1|: the absolute relative error of a prediction that is off by
/// d in log space.
static double getRelativeError(double logError) {
  return std::abs(std::expm1(logError));
}

//===----------------------------------------------------------------------===//
// Training all classes
//===----------------------------------------------------------------------===//

static TrainingOptions withSeed(const TrainingOptions &options, uint64_t seed) {
  TrainingOptions copy = options;
  copy.seed = seed;
  return copy;
}

/// The examples of every GPU but `heldOutGpu` (all if nullopt).
static std::vector<TrainingExample>
selectExamples(ArrayRef<TrainingExample> examples,
               std::optional<unsigned> heldOutGpu) {
  std::vector<TrainingExample> subset;
  for (const TrainingExample &e : examples)
    if (!heldOutGpu || e.gpu != *heldOutGpu)
      subset.push_back(e);
  return subset;
}

namespace {
/// A candidate's predictions for each example from the fit that held the
/// example's GPU out, as log corrections (0 for "none").
struct HeldOutPredictions {
  std::string features;
  std::vector<double> corrections;
  double meanMape = 0;
};
} // namespace

/// Fits `inputs` with each GPU held out in turn and predicts that GPU.
static HeldOutPredictions scoreCandidate(const ClassExamples &data,
                                         const HybridFeatureSet *set,
                                         unsigned kernelClass, unsigned index,
                                         const TrainingOptions &options,
                                         llvm::ThreadPoolInterface &pool) {
  unsigned numGpus = data.gpus.size();
  HeldOutPredictions result;
  result.features = set ? set->name.str() : "none";
  result.corrections.assign(data.examples.size(), 0.0);
  if (set) {
    std::vector<CorrectionNetwork> folds(numGpus);
    for (unsigned gpu = 0; gpu < numGpus; ++gpu)
      pool.async([&, gpu] {
        uint64_t seed =
            deriveSeed(options.seed, kernelClass, index * numGpus + gpu);
        folds[gpu] =
            fitCorrectionNetwork(selectExamples(data.examples, gpu),
                                 set->features, withSeed(options, seed));
      });
    pool.wait();
    for (auto [i, e] : llvm::enumerate(data.examples))
      result.corrections[i] = folds[e.gpu].evaluate(e.features);
  }
  std::vector<double> apeSum(numGpus, 0.0);
  std::vector<int64_t> rows(numGpus, 0);
  for (auto [i, e] : llvm::enumerate(data.examples)) {
    apeSum[e.gpu] += getRelativeError(result.corrections[i] - e.logRatio);
    ++rows[e.gpu];
  }
  for (unsigned gpu = 0; gpu < numGpus; ++gpu)
    result.meanMape +=
        100.0 * apeSum[gpu] / std::max<int64_t>(1, rows[gpu]) / numGpus;
  return result;
}

/// Trains one class: every candidate input set (and no correction) is scored
/// with each GPU held out in turn; the best mean held-out MAPE is refitted on
/// all GPUs and its held-out residuals give the conformal intervals.
static ClassModel trainClass(const ClassExamples &data, unsigned kernelClass,
                             const TrainingOptions &options,
                             llvm::ThreadPoolInterface &pool) {
  ClassModel model;
  model.trainingRows = data.examples.size();
  // "none" first: a candidate must be strictly better to be chosen.
  HeldOutPredictions best =
      scoreCandidate(data, nullptr, kernelClass, 0, options, pool);
  model.candidates.push_back({best.features, best.meanMape});
  const HybridFeatureSet *bestSet = nullptr;
  for (auto [index, set] : llvm::enumerate(getHybridFeatureSets())) {
    HeldOutPredictions scored =
        scoreCandidate(data, &set, kernelClass, index + 1, options, pool);
    model.candidates.push_back({scored.features, scored.meanMape});
    if (scored.meanMape < best.meanMape) {
      best = std::move(scored);
      bestSet = &set;
    }
  }
  if (bestSet)
    model.network = fitCorrectionNetwork(
        data.examples, bestSet->features,
        withSeed(options, deriveSeed(options.seed, kernelClass, ~0u)));

  unsigned numGpus = data.gpus.size();
  std::vector<double> residuals;
  std::array<std::vector<double>, 2> groupResiduals;
  std::array<unsigned, 2> groupGpus{};
  for (unsigned gpu = 0; gpu < numGpus; ++gpu) {
    unsigned group = static_cast<unsigned>(data.gpuGroups[gpu]);
    ++groupGpus[group];
    HeldOutScore score;
    score.gpu = data.gpus[gpu];
    for (auto [i, e] : llvm::enumerate(data.examples)) {
      if (e.gpu != gpu)
        continue;
      residuals.push_back(e.logRatio - best.corrections[i]);
      groupResiduals[group].push_back(residuals.back());
      score.analyticalMape += getRelativeError(-e.logRatio);
      score.hybridMape += getRelativeError(best.corrections[i] - e.logRatio);
      ++score.rows;
    }
    if (score.rows) {
      score.analyticalMape *= 100.0 / score.rows;
      score.hybridMape *= 100.0 / score.rows;
    }
    model.heldOutScores.push_back(std::move(score));
  }
  std::vector<double> coverages = options.coverages;
  coverages.push_back(kDefaultCoverage);
  llvm::sort(coverages);
  coverages.erase(std::unique(coverages.begin(), coverages.end()),
                  coverages.end());
  for (double coverage : coverages) {
    model.intervals.push_back(getConformalInterval(residuals, coverage));
    for (unsigned g = 0; g < groupResiduals.size(); ++g)
      if (groupGpus[g] >= kMinGpusPerIntervalGroup)
        model.groupIntervals[g].push_back(
            getConformalInterval(groupResiduals[g], coverage));
  }
  return model;
}

FailureOr<HybridModelFile>
tilecast::trainHybridModel(ArrayRef<Measurement> measurements,
                           StringRef dataSha256, const TrainingOptions &options,
                           Location loc, llvm::raw_ostream *log) {
  HybridModelFile file;
  file.training.dataSha256 = dataSha256.str();
  file.training.seed = options.seed;
  file.training.hiddenLayers = options.hiddenLayers;
  file.training.epochs = options.epochs;
  file.training.batchSize = options.batchSize;
  file.training.learningRate = options.learningRate;
  // Kernels of the GPUs tilecast-bench reports as never trained on make its
  // unseen-GPU rows no blind test; said once per GPU, not refused (a user's
  // own data may hold them).
  std::vector<TargetSpec> unseenGpus;
  for (StringRef unseen : getUnseenTargetIds())
    if (FailureOr<TargetSpec> spec =
            lookupBuiltinTarget(unseen, UnknownLoc::get(loc.getContext()));
        succeeded(spec))
      unseenGpus.push_back(std::move(*spec));
  llvm::StringSet<> warned;
  for (const Measurement &m : measurements)
    if (warned.insert(m.device).second &&
        llvm::any_of(unseenGpus, [&](const TargetSpec &gpu) {
          return gpu.matches(m.device);
        }))
      emitWarning(m.getLoc(loc.getContext()))
          << "training on kernels of '" << getQuotable(m.device)
          << "', a GPU that tilecast-bench accuracy reports as unseen";
  llvm::DefaultThreadPool pool(llvm::hardware_concurrency(options.threads));
  for (unsigned c = 0; c < kNumKernelClasses; ++c) {
    auto kernelClass = static_cast<KernelClass>(c);
    FailureOr<ClassExamples> data =
        buildExamples(measurements, kernelClass, loc);
    if (failed(data))
      return failure();
    if (data->examples.empty())
      continue;
    if (data->gpus.size() < 2)
      return emitError(loc)
             << "class '" << getKernelClassName(kernelClass)
             << "' has measurements of one GPU only; leave-one-GPU-out "
                "intervals need at least two";
    for (const std::string &gpu : data->gpus)
      if (!llvm::is_contained(file.training.gpus, gpu))
        file.training.gpus.push_back(gpu);
    ClassModel model = trainClass(*data, c, options, pool);
    if (log) {
      *log << llvm::format("%-12s %6zu rows; mean held-out MAPE:",
                           getKernelClassName(kernelClass).str().c_str(),
                           data->examples.size());
      for (const CandidateScore &candidate : model.candidates)
        *log << llvm::format(" %s %.1f", candidate.features.c_str(),
                             candidate.meanHeldOutMape);
      *log << "; chose " << (model.network ? "a network" : "no correction")
           << "\n";
    }
    file.classes[c] = std::move(model);
  }
  llvm::sort(file.training.gpus);
  if (llvm::none_of(file.classes, [](const auto &c) { return c.has_value(); }))
    return emitError(loc) << "no measurements to train on";
  return file;
}

//===----------------------------------------------------------------------===//
// Few-shot calibration
//===----------------------------------------------------------------------===//

/// The median of `values` (the mean of the middle two for an even count).
static double getMedian(std::vector<double> values) {
  llvm::sort(values);
  size_t n = values.size();
  return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

FailureOr<HybridModelFile> tilecast::calibrateHybridModel(
    const HybridModelFile &model, const TargetSpec &target,
    ArrayRef<Measurement> measurements, Location loc) {
  // A model file holds one GPU's calibration; calibrating it for another
  // would drop the first silently. Recalibrating the same GPU replaces its
  // calibration (the residuals are taken against the uncalibrated model).
  if (model.calibration && model.calibration->target != target.id) {
    InFlightDiagnostic diag =
        emitError(loc) << "the model is calibrated for '"
                       << model.calibration->target << "'; calibrating it for '"
                       << target.id << "' would drop that calibration";
    diag.attachNote() << "a model file holds one GPU's calibration: calibrate "
                         "the uncalibrated model (the built-in one, or the "
                         "file the calibrated one was made from)";
    return failure();
  }
  HybridModelFile uncalibrated = model;
  uncalibrated.calibration.reset();
  HybridModel hybrid(std::make_shared<const HybridModelFile>(uncalibrated));
  std::array<std::vector<double>, kNumKernelClasses> residuals;
  if (!target.isGpu()) {
    InFlightDiagnostic diag = emitError(loc)
                              << "the hybrid model corrects GPU kernels only; '"
                              << target.id << "' is not a GPU";
    diag.attachNote() << "calibrate a CPU with tilecast-calibrate --host";
    return failure();
  }
  // Rows are reported at their file and line (or at their line of the file
  // `loc` names, for rows not read from a file).
  auto rowLoc = [&](const Measurement &m) -> Location {
    if (m.file)
      return m.getLoc(loc.getContext());
    if (auto file = dyn_cast<FileLineColLoc>(loc))
      return FileLineColLoc::get(file.getFilename(), m.line, 1);
    return loc;
  };
  for (const Measurement &m : measurements) {
    if (!target.matches(m.device)) {
      InFlightDiagnostic diag =
          emitError(rowLoc(m))
          << "measurement of device '" << getQuotable(m.device)
          << "' given to calibrate target '" << target.id << "'";
      diag.attachNote() << "give one GPU's measurements per calibration";
      return failure();
    }
    unsigned c = static_cast<unsigned>(m.kernelClass);
    if (!model.classes[c])
      return emitError(rowLoc(m)) << "the model has no class model for '"
                                  << getKernelClassName(m.kernelClass) << "'";
    FailureOr<CostEstimate> estimate = hybrid.estimate(m.workload, target, loc);
    if (failed(estimate))
      return failure();
    residuals[c].push_back(std::log(m.latencyUs / estimate->latencyUs));
  }
  Calibration calibration;
  calibration.target = target.id;
  calibration.measurements = measurements.size();
  for (unsigned c = 0; c < kNumKernelClasses; ++c) {
    double n = residuals[c].size();
    if (n == 0)
      continue;
    double bias =
        getMedian(residuals[c]) * n / (n + kCalibrationPriorMeasurements);
    if (std::abs(bias) > kMaxAbsLogRatio) {
      InFlightDiagnostic diag =
          emitError(loc) << "the measurements of class '"
                         << getKernelClassName(static_cast<KernelClass>(c))
                         << "' are a factor " << formatDouble(std::exp(bias))
                         << " from the model's predictions";
      diag.attachNote() << "check their Latency column (milliseconds) and "
                           "shapes; a calibration corrects biases of at most "
                           "a factor e^10";
      return failure();
    }
    if (std::abs(bias) > std::log(kSuspiciousCalibrationFactor)) {
      InFlightDiagnostic diag =
          emitWarning(loc) << "the measurements of class '"
                           << getKernelClassName(static_cast<KernelClass>(c))
                           << "' are a factor " << formatDouble(std::exp(bias))
                           << " from the model's predictions";
      diag.attachNote() << "the Latency column is in milliseconds; a factor "
                           "near 1000 or 0.001 is a units mistake";
    }
    calibration.logBias[c] = bias;
  }
  uncalibrated.calibration = calibration;
  return uncalibrated;
}
