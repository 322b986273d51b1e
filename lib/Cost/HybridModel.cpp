//===- HybridModel.cpp - Analytical backbone with a learned correction ----===//

#include "tilecast/Cost/HybridModel.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

#include <cmath>
#include <mutex>
#include <optional>

using namespace mlir;
using namespace mlir::tilecast;

#include "BuiltinHybridModel.inc"

double CorrectionNetwork::evaluate(const HybridFeatures &features) const {
  Eigen::VectorXd activation(inputs.size());
  for (auto [i, feature] : llvm::enumerate(inputs))
    activation[i] = features[feature];
  activation = (activation - featureMean).cwiseQuotient(featureScale);
  for (size_t l = 0; l < weights.size(); ++l) {
    activation = weights[l] * activation + biases[l];
    if (l + 1 < weights.size())
      activation = activation.array().tanh();
  }
  return maxLogCorrection * std::tanh(activation[0] / maxLogCorrection);
}

FailureOr<std::shared_ptr<const HybridModelFile>>
tilecast::getBuiltinHybridModel(MLIRContext *context) {
  // Parsed once per process; a build without a trained model file, or with a
  // damaged one, reports it every time it is asked for.
  static std::mutex mutex;
  static std::shared_ptr<const HybridModelFile> cached;
  std::lock_guard<std::mutex> lock(mutex);
  if (cached)
    return cached;
  if (StringRef(kBuiltinHybridModel).empty()) {
    InFlightDiagnostic diag = emitError(UnknownLoc::get(context))
                              << "this build has no trained hybrid model "
                                 "(data/models/hybrid.json)";
    diag.attachNote() << "train one with tilecast-train, or use "
                         "model=analytical";
    return failure();
  }
  FailureOr<HybridModelFile> file =
      parseHybridModel(kBuiltinHybridModel, "data/models/hybrid.json", context);
  if (failed(file))
    return failure();
  cached = std::make_shared<const HybridModelFile>(std::move(*file));
  return cached;
}

HybridModel::HybridModel(std::shared_ptr<const HybridModelFile> file,
                         double coverage)
    : file(std::move(file)), coverage(coverage) {}

/// The class model for `workload` on `target`, or null where the analytical
/// estimate stands as it is: CPUs and arithmetic other than FP32 (training
/// saw FP32 SIMT GPU kernels only) and kinds without a class model.
static const ClassModel *getClassModel(const HybridModelFile &file,
                                       const OpWorkload &workload,
                                       const TargetSpec &target) {
  if (!target.isGpu() || workload.arithmetic != PeakKind::F32)
    return nullptr;
  std::optional<KernelClass> kernelClass = getHybridClass(workload);
  if (!kernelClass)
    return nullptr;
  const std::optional<ClassModel> &model =
      file.classes[static_cast<unsigned>(*kernelClass)];
  return model ? &*model : nullptr;
}

/// Why getClassModel has no class model for `workload` on `target`.
static std::string getNoClassReason(const HybridModelFile &file,
                                    const OpWorkload &workload,
                                    const TargetSpec &target) {
  if (!target.isGpu())
    return "its classes are GPU kernels, and '" + target.id + "' is a CPU";
  if (workload.arithmetic != PeakKind::F32)
    return ("it computes in " + getPeakKey(workload.arithmetic) +
            ", and the classes are FP32 kernels")
        .str();
  std::optional<KernelClass> kernelClass = getHybridClass(workload);
  if (!kernelClass)
    return "it is not a GEMM, element-wise, softmax or layernorm kernel";
  return ("the model file has no '" + getKernelClassName(*kernelClass) +
          "' class")
      .str();
}

StringRef tilecast::getIntervalGroupName(IntervalGroup group) {
  return group == IntervalGroup::PowerLimited ? "power_limited" : "other";
}

std::optional<IntervalGroup>
tilecast::getIntervalGroup(const TargetSpec &target) {
  if (target.isGpu() && isPowerLimitedGpu(target))
    return IntervalGroup::PowerLimited;
  return std::nullopt;
}

/// The interval of `model` at `coverage` for `target`: its group's if the
/// file has them, else the pooled one. createCostModel checks that every
/// class has the level; the file format guarantees the default one.
static const IntervalLevel &getIntervalLevel(const ClassModel &model,
                                             double coverage,
                                             const TargetSpec &target) {
  std::optional<IntervalGroup> group = getIntervalGroup(target);
  const std::vector<IntervalLevel> &levels =
      group && !model.groupIntervals[static_cast<unsigned>(*group)].empty()
          ? model.groupIntervals[static_cast<unsigned>(*group)]
          : model.intervals;
  for (const IntervalLevel &level : levels)
    if (level.coverage == coverage)
      return level;
  llvm_unreachable("createCostModel checks the coverage; group intervals "
                   "have the pooled ones' coverages");
}

double HybridModel::getCalibrationBias(const OpWorkload &workload,
                                       const TargetSpec &target) const {
  if (!file->calibration || !target.matches(file->calibration->target))
    return 0.0;
  return file->calibration
      ->logBias[static_cast<unsigned>(*getHybridClass(workload))];
}

FailureOr<double> HybridModel::getLogCorrection(
    const ClassModel &model, const OpWorkload &workload,
    const TargetSpec &target, const AnalyticalBreakdown *breakdown,
    Location loc) const {
  double correction = 0;
  if (model.network) {
    assert(breakdown && "a network reads the analytical breakdown");
    correction = model.network->evaluate(
        computeHybridFeatures(workload, target, *breakdown));
  }
  correction += getCalibrationBias(workload, target);
  // The file's limits keep this finite; a NaN feature (a degenerate spec)
  // must not become a NaN latency.
  if (!std::isfinite(correction))
    return emitError(loc) << "the hybrid model's correction for this op on '"
                          << target.id << "' is not finite";
  return correction;
}

/// The least time a corrected estimate may take: the kernel's launch overhead
/// plus the roofline model's latency (its FLOPs at the arithmetic's peak or
/// its bytes at the DRAM bandwidth, whichever is longer). The analytical
/// backbone never goes below it; a correction that would is learning
/// something no kernel can do.
static FailureOr<double> getRooflineFloorUs(const OpWorkload &workload,
                                            const TargetSpec &target,
                                            double overheadUs, Location loc) {
  FailureOr<CostEstimate> roofline =
      RooflineModel().estimate(workload, target, loc);
  if (failed(roofline))
    return failure();
  return roofline->latencyUs + overheadUs;
}

FailureOr<CostEstimate> HybridModel::estimate(const OpWorkload &workload,
                                              const TargetSpec &target,
                                              Location loc) const {
  FailureOr<AnalyticalBreakdown> breakdown =
      getAnalyticalBreakdown(workload, target, loc);
  if (failed(breakdown))
    return failure();
  CostEstimate e = getAnalyticalEstimate(workload, *breakdown);
  const ClassModel *model = getClassModel(*file, workload, target);
  if (!model) {
    // The analytical interval has one coverage: said once, not silently.
    if (coverage != kDefaultCoverage && !warnedCoverage.exchange(true)) {
      InFlightDiagnostic diag =
          emitWarning(loc) << "a coverage of " << formatDouble(coverage)
                           << " does not apply to this op on '" << target.id
                           << "': it keeps the analytical model's "
                           << formatDouble(kDefaultCoverage) << " interval";
      diag.attachNote() << "the hybrid model has no class for it ("
                        << getNoClassReason(*file, workload, target)
                        << "); other ops without one are alike";
    }
    return e;
  }
  FailureOr<double> correction =
      getLogCorrection(*model, workload, target, &*breakdown, loc);
  if (failed(correction))
    return failure();
  // The latency is the analytical model's unless a network or a calibration
  // of its class changed it; the interval is the hybrid model's conformal one
  // either way.
  if (model->network || getCalibrationBias(workload, target) != 0.0)
    e.source = Source::hybrid;
  // No correction makes a kernel faster than its launch overhead (a network
  // trained on the database's 27.6 us floor would, on a target with a
  // smaller one), nor than its roofline after it.
  FailureOr<double> floorUs =
      getRooflineFloorUs(workload, target, e.overheadUs, loc);
  if (failed(floorUs))
    return failure();
  e.latencyUs = std::max(e.latencyUs * std::exp(*correction), *floorUs);
  // The interval keeps its conformal width around the latency, also below
  // the floor: the overhead is itself fitted to measured kernels
  // (docs/cost-model.md, 3.3), some of which run below it.
  const IntervalLevel &level = getIntervalLevel(*model, coverage, target);
  e.lowerUs = e.latencyUs * std::exp(level.lowerLogRatio);
  e.upperUs = e.latencyUs * std::exp(level.upperLogRatio);
  return e;
}

FailureOr<TileCostEstimate>
HybridModel::estimateTile(const OpWorkload &workload,
                          ArrayRef<int64_t> tileSizes, const TargetSpec &target,
                          Location loc) const {
  FailureOr<TileCostEstimate> tile =
      analytical.estimateTile(workload, tileSizes, target, loc);
  const ClassModel *model = getClassModel(*file, workload, target);
  if (failed(tile) || !model)
    return tile;
  // Only a network reads the whole op's breakdown: classes without one (or
  // with only a calibration) skip costing the op again for each tiling.
  std::optional<AnalyticalBreakdown> breakdown;
  if (model->network) {
    FailureOr<AnalyticalBreakdown> computed =
        getAnalyticalBreakdown(workload, target, loc);
    if (failed(computed))
      return failure();
    breakdown = *computed;
  }
  FailureOr<double> correction = getLogCorrection(
      *model, workload, target, breakdown ? &*breakdown : nullptr, loc);
  if (failed(correction))
    return failure();
  double scale = std::exp(*correction);
  tile->tileLatencyUs *= scale;
  // Floored at the launch overhead and the roofline, as estimate() is.
  FailureOr<double> floorUs =
      getRooflineFloorUs(workload, target, tile->overheadUs, loc);
  if (failed(floorUs))
    return failure();
  tile->latencyUs = std::max(tile->latencyUs * scale, *floorUs);
  return tile;
}
