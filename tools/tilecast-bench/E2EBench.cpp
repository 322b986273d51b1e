//===- E2EBench.cpp - Whole-model predictions against measurements --------===//
//
// For every label in ../shared/data/neusight/labels/<GPU>/<name>.json (name
// <model>-<inf|train>-<seq>-<batch>[-fusion]), imports models/<model>.json
// with the label's mode, sequence length and batch (lib/Import), costs it
// with the passes tilecast-predict runs and composes the total
// (lib/Compose), and compares it with the measured e2e_latency; a training
// step also forward and backward apart (fw_latency, bwall_latency). With
// --measured-gemms, GEMMs whose shape the kernel tables measured on the
// label's GPU cost that latency (MeasuredGemms).
//
//===----------------------------------------------------------------------===//

#include "E2EBench.h"

#include "dialects/tilecast/TilecastAttrs.h"
#include "passes/Passes.h"
#include "tilecast/Compose/Prediction.h"
#include "tilecast/Cost/CostModel.h"
#include "tilecast/Cost/KernelGroup.h"
#include "tilecast/Cost/Measurements.h"
#include "tilecast/Import/TransformerImporter.h"
#include "tilecast/Support/InputFile.h"
#include "tilecast/Support/Json.h"
#include "tilecast/Support/ToolDiagnostics.h"
#include "tilecast/Target/TargetSpec.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>

using namespace mlir;
using namespace mlir::tilecast;
using namespace mlir::tilecast::bench;

static constexpr double kUsPerMs = 1e3;

namespace {
/// One label: what was run, where, and how long it took.
struct Label {
  std::string gpuFolder;
  std::string name;
  std::string model;
  RunMode mode = RunMode::Inference;
  int64_t seq = 0;
  int64_t batch = 0;
  bool fused = false;
  double measuredMs = 0;
  /// A training step's forward and backward parts (fw_latency and
  /// bwall_latency), when the label gives both and they add up to the step.
  std::optional<double> forwardMs, backwardMs;
};

/// One compared label.
struct Result {
  Label label;
  std::string target;
  double predictedMs = 0, lowerMs = 0, upperMs = 0;
  /// The predicted time of the ops named as backward-pass ops
  /// (isBackwardOpName), and of the others.
  double predictedForwardMs = 0, predictedBackwardMs = 0;
  int64_t kernels = 0;
  /// GEMM kernel launches per run and their time (ms) in the total; with
  /// --measured-gemms, of those, the ones at a measured latency.
  int64_t gemmLaunches = 0, measuredGemmLaunches = 0;
  double gemmMs = 0, measuredGemmMs = 0;

  double getError() const {
    return (predictedMs - label.measuredMs) / label.measuredMs;
  }
  bool hasPhases() const {
    return label.mode == RunMode::Training && label.forwardMs &&
           label.backwardMs;
  }
  double getForwardError() const {
    return (predictedForwardMs - *label.forwardMs) / *label.forwardMs;
  }
  double getBackwardError() const {
    return (predictedBackwardMs - *label.backwardMs) / *label.backwardMs;
  }
  bool isCovered() const {
    return label.measuredMs >= lowerMs && label.measuredMs <= upperMs;
  }
};

/// Errors pooled over a set of results.
struct Pool {
  int64_t count = 0, covered = 0;
  double absErrorSum = 0;
  const Result *worst = nullptr;

  void add(const Result &r) {
    ++count;
    covered += r.isCovered();
    absErrorSum += std::abs(r.getError());
    if (!worst || std::abs(r.getError()) > std::abs(worst->getError()))
      worst = &r;
  }
  double getMeanAbsErrorPercent() const {
    return count ? 100.0 * absErrorSum / count : 0.0;
  }
  double getCoveragePercent() const {
    return count ? 100.0 * covered / count : 0.0;
  }
};

/// Errors of training steps' forward and backward parts pooled over a set of
/// results.
struct PhasePool {
  int64_t count = 0;
  double forwardAbsErrorSum = 0, backwardAbsErrorSum = 0;

  void add(const Result &r) {
    ++count;
    forwardAbsErrorSum += std::abs(r.getForwardError());
    backwardAbsErrorSum += std::abs(r.getBackwardError());
  }
};
} // namespace

/// Parses `<model>-<inf|train>-<seq>-<batch>[-fusion]`; a multi-GPU suffix
/// (dp4, tp4, pp4_*) or any other shape is reported in `why`.
static std::optional<Label> parseLabelName(StringRef name, std::string &why) {
  SmallVector<StringRef> parts;
  name.split(parts, '-');
  if (parts.size() < 4 || parts.size() > 5) {
    why = "name is not <model>-<inf|train>-<seq>-<batch>[-fusion]";
    return std::nullopt;
  }
  Label label;
  label.name = name.str();
  label.model = parts[0].str();
  if (parts[1] == "inf") {
    label.mode = RunMode::Inference;
  } else if (parts[1] == "train") {
    label.mode = RunMode::Training;
  } else {
    why = ("unknown mode '" + parts[1] + "'").str();
    return std::nullopt;
  }
  if (parts[2].getAsInteger(10, label.seq) ||
      parts[3].getAsInteger(10, label.batch)) {
    why = "sequence length or batch is not a number";
    return std::nullopt;
  }
  if (parts.size() == 5) {
    if (parts[4] != "fusion") {
      why = ("multi-GPU run (" + parts[4] +
             "): TileCast predicts one GPU; communication is not modelled")
                .str();
      return std::nullopt;
    }
    label.fused = true;
  }
  return label;
}

/// The range of a whole model's measured latency a label may give, ms: from
/// 10 us (one kernel launch from PyTorch takes longer) to a day. The NeuSight
/// labels lie between 50.6 ms and 7480 ms; a value outside is a unit or
/// typing error, and would dominate the mean error.
static constexpr double kMinLabelMs = 1e-2;
static constexpr double kMaxLabelMs = 24 * 3600 * 1e3;

/// How closely a label's fw_latency + bwall_latency must match its
/// e2e_latency for the split to be used, relative: the files store each as
/// the float it was measured in (103.4846206665039 + 109.69579620361328
/// against 213.1804168701172).
static constexpr double kPhaseSumTolerance = 1e-6;

static bool isLabelMs(double ms) {
  return ms >= kMinLabelMs && ms <= kMaxLabelMs;
}

/// Reads a label file's e2e_latency (ms) into `label`, and for a training
/// step its fw_latency and bwall_latency when both lie in the same range and
/// add up to it; when they do not, says why in `phaseNote`.
static LogicalResult readLabelTimes(StringRef path, Label &label,
                                    std::string &phaseNote, Location loc) {
  auto buffer = readInputFile(path);
  if (!buffer)
    return emitError(loc) << "cannot read '" << path
                          << "': " << getReadErrorMessage(buffer.getError());
  FailureOr<nlohmann::json> doc = parseJson(
      (*buffer)->getBuffer(), path, loc.getContext(), "end-to-end label");
  if (failed(doc))
    return failure();
  auto getNumber = [&](const char *key) -> std::optional<double> {
    auto it = doc->is_object() ? doc->find(key) : doc->end();
    if (it == doc->end() || !it->is_number())
      return std::nullopt;
    return it->get<double>();
  };
  std::optional<double> total = getNumber("e2e_latency");
  if (!total || !isLabelMs(*total))
    return emitError(loc) << "'" << path
                          << "' has no number 'e2e_latency' from "
                          << kMinLabelMs << " to " << kMaxLabelMs << " (ms)";
  label.measuredMs = *total;
  if (label.mode != RunMode::Training)
    return success();
  std::optional<double> forward = getNumber("fw_latency");
  std::optional<double> backward = getNumber("bwall_latency");
  if (!forward || !backward || !isLabelMs(*forward) || !isLabelMs(*backward)) {
    phaseNote = "no numbers 'fw_latency' and 'bwall_latency' from " +
                formatDouble(kMinLabelMs) + " to " + formatDouble(kMaxLabelMs) +
                " (ms)";
    return success();
  }
  if (std::abs(*forward + *backward - *total) > kPhaseSumTolerance * *total) {
    phaseNote = "'fw_latency' + 'bwall_latency' is not 'e2e_latency'";
    return success();
  }
  label.forwardMs = forward;
  label.backwardMs = backward;
  return success();
}

static SmallVector<std::string> listSorted(StringRef dir, bool directories) {
  SmallVector<std::string> entries;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec;
       it.increment(ec)) {
    bool isDir = llvm::sys::fs::is_directory(it->path());
    if (isDir == directories)
      entries.push_back(it->path());
  }
  llvm::sort(entries);
  return entries;
}

FailureOr<MeasuredGemms> MeasuredGemms::read(StringRef neusightDir,
                                             Location loc) {
  std::map<Key, std::vector<double>> samples;
  std::map<std::string, std::optional<std::string>> targetIds;
  for (Split split : {Split::Train, Split::Validation}) {
    FailureOr<std::vector<Measurement>> rows =
        readMeasurements(neusightDir, split, loc);
    if (failed(rows))
      return failure();
    for (const Measurement &row : *rows) {
      if (row.kernelClass != KernelClass::Bmm &&
          row.kernelClass != KernelClass::Linear)
        continue;
      auto [it, inserted] = targetIds.try_emplace(row.device);
      if (inserted) {
        ScopedDiagnosticHandler silence(loc.getContext(),
                                        [](Diagnostic &) { return success(); });
        FailureOr<TargetSpec> target = lookupTarget(row.device, loc);
        if (succeeded(target))
          it->second = target->id;
      }
      if (!it->second)
        continue;
      const OpWorkload &w = row.workload;
      samples[Key(*it->second, w.batch, w.m, w.n, w.k)].push_back(
          row.latencyUs);
    }
  }
  MeasuredGemms gemms;
  for (auto &[key, latencies] : samples) {
    llvm::sort(latencies);
    size_t mid = latencies.size() / 2;
    gemms.latencyUs[key] = latencies.size() % 2
                               ? latencies[mid]
                               : 0.5 * (latencies[mid - 1] + latencies[mid]);
  }
  return gemms;
}

std::optional<double>
MeasuredGemms::lookupUs(StringRef targetId, const OpWorkload &workload) const {
  if (workload.kind != WorkloadKind::Contraction ||
      workload.arithmetic != PeakKind::F32)
    return std::nullopt;
  auto it = latencyUs.find(
      Key(targetId.str(), workload.batch, workload.m, workload.n, workload.k));
  if (it == latencyUs.end())
    return std::nullopt;
  return it->second;
}

/// Gives every GEMM kernel of `module` whose shape `gemms` has for `target`
/// the measured latency (a zero-width interval, source = measured); the
/// host's dispatch overhead stays the model's.
static void useMeasuredGemms(ModuleOp module, const TargetSpec &target,
                             const MeasuredGemms &gemms) {
  module.walk([&](Operation *op) {
    auto costAttr = op->getAttrOfType<CostAttr>(TilecastDialect::kCostAttrName);
    if (!costAttr)
      return;
    // The op was costed, so its kernel's workload is known.
    FailureOr<OpWorkload> workload = getKernelWorkload(op);
    if (failed(workload))
      return;
    std::optional<double> measuredUs = gemms.lookupUs(target.id, *workload);
    if (!measuredUs)
      return;
    CostEstimate cost = CostEstimate::fromAttr(costAttr);
    cost.latencyUs = cost.lowerUs = cost.upperUs = *measuredUs;
    cost.source = Source::measured;
    // Measured latencies are finite and at least 0.1 us (readMeasurements);
    // were one not, the verifier's error is reported and the model's
    // estimate stays.
    if (CostAttr measuredAttr =
            cost.toAttr(op->getContext(), [&] { return op->emitError(); }))
      op->setAttr(TilecastDialect::kCostAttrName, measuredAttr);
  });
}

/// Predicts one label on `target`; failure after a diagnostic.
FailureOr<Prediction> bench::predictImportedModel(
    const ModelConfig &config, const ImportOptions &importOptions,
    const TargetSpec &target, StringRef modelName, StringRef modelFile,
    bool overlapLaunches, Location loc, const MeasuredGemms *measuredGemms) {
  FailureOr<OwningOpRef<ModuleOp>> module =
      importTransformer(config, importOptions, loc);
  if (failed(module))
    return failure();
  return predictModule(**module, target, modelName, modelFile, overlapLaunches,
                       measuredGemms);
}

FailureOr<Prediction>
bench::predictModule(ModuleOp module, const TargetSpec &target,
                     StringRef modelName, StringRef modelFile,
                     bool overlapLaunches, const MeasuredGemms *measuredGemms) {
  PassManager pm(module.getContext());
  pm.addPass(createTilecastAnnotateTargetPass({target.id}));
  TilecastEstimateCostPassOptions costOptions;
  costOptions.model = modelName.str();
  costOptions.modelFile = modelFile.str();
  pm.addPass(createTilecastEstimateCostPass(costOptions));
  if (failed(pm.run(module)))
    return failure();
  if (measuredGemms)
    useMeasuredGemms(module, target, *measuredGemms);
  ComposeOptions composeOptions;
  composeOptions.overlapLaunches = overlapLaunches;
  return composePrediction(module, target, modelName, composeOptions);
}

static FailureOr<Result>
predictLabel(const Label &label, const ModelConfig &config,
             const TargetSpec &target, const E2EOptions &e2eOptions,
             const MeasuredGemms *measuredGemms, MLIRContext &context) {
  Location loc = NameLoc::get(StringAttr::get(&context, label.name));
  ImportOptions options;
  options.batch = label.batch;
  options.seqLength = label.seq;
  options.mode = label.mode;
  options.fused = label.fused;
  FailureOr<Prediction> prediction = predictImportedModel(
      config, options, target, e2eOptions.modelName, e2eOptions.modelFile,
      e2eOptions.overlapLaunches, loc, measuredGemms);
  if (failed(prediction))
    return failure();
  Result result;
  result.label = label;
  result.target = target.id;
  result.predictedMs = prediction->time.totalUs / kUsPerMs;
  result.lowerMs = prediction->time.lowerUs / kUsPerMs;
  result.upperMs = prediction->time.upperUs / kUsPerMs;
  result.kernels = prediction->kernelLaunches;
  for (const OpPrediction &op : prediction->ops) {
    double ms = op.counted.latencyUs * op.executions / kUsPerMs;
    (isBackwardOpName(op.name) ? result.predictedBackwardMs
                               : result.predictedForwardMs) += ms;
    if (op.opClass != "gemm" && op.opClass != "bmm")
      continue;
    result.gemmLaunches += op.executions;
    result.gemmMs += ms;
    if (op.cost.source == Source::measured) {
      result.measuredGemmLaunches += op.executions;
      result.measuredGemmMs += ms;
    }
  }
  return result;
}

/// Training steps, forward and backward apart: where in a step the error
/// lies (a label's parts are measured separately, so a part can be off
/// while the other matches).
static void printPhases(raw_ostream &os, ArrayRef<Result> results) {
  std::map<std::string, PhasePool> perGpu;
  PhasePool unseen, seen, other, all;
  for (const Result &r : results) {
    if (!r.hasPhases())
      continue;
    if (perGpu.empty())
      os << "\ntraining steps, forward and backward apart (measured: the "
            "labels' fw_latency and bwall_latency;\npredicted: the ops named "
         << kBackwardNamePrefix << "* are the backward pass)\n"
         << llvm::format("%-15s %-28s %9s %9s %8s %9s %9s %8s\n", "gpu",
                         "label", "forward", "predicted", "error", "backward",
                         "predicted", "error");
    os << llvm::format(
        "%-15s %-28s %9.1f %9.1f %+7.1f%% %9.1f %9.1f %+7.1f%%\n",
        r.target.c_str(), r.label.name.c_str(), *r.label.forwardMs,
        r.predictedForwardMs, 100.0 * r.getForwardError(), *r.label.backwardMs,
        r.predictedBackwardMs, 100.0 * r.getBackwardError());
    perGpu[r.target].add(r);
    all.add(r);
    if (llvm::is_contained(getUnseenTargetIds(), r.target))
      unseen.add(r);
    else if (llvm::is_contained(getTrainingTargetIds(), r.target))
      seen.add(r);
    else
      other.add(r);
  }
  if (perGpu.empty())
    return;
  os << llvm::format("%-38s %6s %12s %12s\n", "pooled", "labels", "forward MAE",
                     "backward MAE");
  auto printRow = [&](StringRef name, const PhasePool &pool) {
    if (!pool.count)
      return;
    os << llvm::format("%-38s %6lld %11.1f%% %11.1f%%\n", name.str().c_str(),
                       (long long)pool.count,
                       100.0 * pool.forwardAbsErrorSum / pool.count,
                       100.0 * pool.backwardAbsErrorSum / pool.count);
  };
  for (const auto &[gpu, pool] : perGpu)
    printRow(gpu, pool);
  printRow("unseen GPUs, training", unseen);
  printRow("training GPUs, training", seen);
  printRow("other GPUs (no kernel data), training", other);
  printRow("all GPUs, training", all);
}

static void printPoolRow(raw_ostream &os, StringRef name, const Pool &pool) {
  if (!pool.count)
    return;
  os << llvm::format(
      "%-34s %6lld %9.1f%% %9.1f%%   worst: %s on %s (%+.1f%%)\n",
      name.str().c_str(), (long long)pool.count, pool.getMeanAbsErrorPercent(),
      pool.getCoveragePercent(), pool.worst->label.name.c_str(),
      pool.worst->target.c_str(), 100.0 * pool.worst->getError());
}

int bench::runE2EBench(const E2EOptions &options) {
  StringRef neusightDir = options.neusightDir;
  StringRef modelName = options.modelName;
  StringRef filter = options.filter;
  bool overlapLaunches = options.overlapLaunches;
  DialectRegistry registry;
  registerTilecastDialects(registry);
  registerImportDialects(registry);
  MLIRContext context(registry);
  context.loadAllAvailableDialects();
  context.printOpOnDiagnostic(false);
  ToolDiagnosticHandler diagnostics(&context);
  Location loc = UnknownLoc::get(&context);
  raw_ostream &os = llvm::outs();

  SmallString<256> labelsDir(neusightDir), modelsDir(neusightDir);
  llvm::sys::path::append(labelsDir, "labels");
  llvm::sys::path::append(modelsDir, "models");
  if (!llvm::sys::fs::is_directory(labelsDir)) {
    InFlightDiagnostic diag = emitError(loc)
                              << "no labels folder '" << labelsDir << "'";
    diag.attachNote() << "pass --data=DIR, the NeuSight data folder";
    return 1;
  }

  // The model and its file, checked once before the report starts (every
  // label would otherwise stop at the first one, after the header).
  {
    CostModelOptions modelOptions;
    modelOptions.modelFile = options.modelFile;
    if (failed(createCostModel(modelName, loc, modelOptions)))
      return 1;
  }

  std::optional<MeasuredGemms> measuredGemms;
  if (options.measuredGemms) {
    FailureOr<MeasuredGemms> gemms = MeasuredGemms::read(neusightDir, loc);
    if (failed(gemms))
      return 1;
    measuredGemms = std::move(*gemms);
  }

  os << "tilecast-bench e2e: model " << modelName
     << (options.modelFile.empty() ? "" : " (" + options.modelFile + ")")
     << (overlapLaunches ? ", launches overlapped" : "")
     << (measuredGemms ? ", GEMMs at their measured latency where the kernel "
                         "tables have their shape on the label's GPU"
                       : "")
     << ", labels from " << labelsDir << "\n"
     << "predicted vs measured end-to-end latency (ms, FP32 PyTorch eager, "
        "whole model); 'in' = measured inside the predicted interval;\n"
     << "GPUs marked 'unseen' were never used to fit the cost model.\n";

  std::vector<Result> results;
  std::map<std::string, FailureOr<ModelConfig>> configs;
  SmallVector<std::string> notes, wholeOnlyNotes;
  int64_t matchingFiles = 0;
  auto isMatchingLabelFile = [&](StringRef path) {
    return llvm::sys::path::extension(path) == ".json" &&
           llvm::sys::path::stem(path).contains(filter);
  };
  for (const std::string &gpuDir : listSorted(labelsDir, true)) {
    std::string folder = llvm::sys::path::filename(gpuDir).str();
    std::string device = folder;
    std::replace(device.begin(), device.end(), '_', ' ');
    FailureOr<TargetSpec> target = failure();
    {
      ScopedDiagnosticHandler silence(&context,
                                      [](Diagnostic &) { return success(); });
      target = lookupTarget(device, loc);
    }
    if (failed(target)) {
      int64_t matches =
          llvm::count_if(listSorted(gpuDir, false), isMatchingLabelFile);
      if (matches > 0)
        notes.push_back(folder + ": no target in the database; " +
                        std::to_string(matches) + " label(s) skipped");
      matchingFiles += matches;
      continue;
    }
    bool unseen = llvm::is_contained(getUnseenTargetIds(), target->id);
    os << "\n== " << target->id << " (" << target->name << ")"
       << (unseen ? "  [unseen]" : "") << "\n";
    os << llvm::format("%-32s %10s %10s  [%9s, %9s] %8s  %-3s %8s", "label",
                       "measured", "predicted", "lower", "upper", "error", "in",
                       "kernels")
       << (measuredGemms ? "  GEMM launches at a measured latency\n" : "\n");
    for (const std::string &path : listSorted(gpuDir, false)) {
      if (!isMatchingLabelFile(path))
        continue;
      StringRef stem = llvm::sys::path::stem(path);
      ++matchingFiles;
      std::string why;
      std::optional<Label> label = parseLabelName(stem, why);
      if (!label) {
        notes.push_back(folder + "/" + stem.str() + ": " + why + "; skipped");
        continue;
      }
      label->gpuFolder = folder;
      std::string phaseNote;
      if (failed(readLabelTimes(path, *label, phaseNote, loc)))
        return 1;
      auto [it, inserted] = configs.try_emplace(label->model, failure());
      if (inserted) {
        SmallString<256> configPath(modelsDir);
        llvm::sys::path::append(configPath, label->model + ".json");
        // A label without a config is skipped; a config that is there but
        // cannot be read is an error (reported by readModelConfig).
        if (llvm::sys::fs::exists(configPath)) {
          it->second = readModelConfig(configPath, loc);
          if (failed(it->second))
            return 1;
        }
      }
      if (failed(it->second)) {
        notes.push_back(folder + "/" + stem.str() + ": no models/" +
                        label->model + ".json; skipped");
        continue;
      }
      FailureOr<Result> result =
          predictLabel(*label, *it->second, *target, options,
                       measuredGemms ? &*measuredGemms : nullptr, context);
      if (failed(result))
        return 1;
      os << llvm::format(
          "%-32s %10.1f %10.1f  [%9.1f, %9.1f] %+7.1f%%  %-3s "
          "%8lld",
          stem.str().c_str(), result->label.measuredMs, result->predictedMs,
          result->lowerMs, result->upperMs, 100.0 * result->getError(),
          result->isCovered() ? "yes" : "no", (long long)result->kernels);
      if (measuredGemms)
        os << llvm::format("  %5lld of %5lld (%3.0f%% of the time)",
                           (long long)result->measuredGemmLaunches,
                           (long long)result->gemmLaunches,
                           result->gemmMs > 0
                               ? 100.0 * result->measuredGemmMs / result->gemmMs
                               : 0.0);
      os << "\n";
      results.push_back(std::move(*result));
      if (!phaseNote.empty())
        wholeOnlyNotes.push_back(folder + "/" + stem.str() + ": " + phaseNote);
    }
  }

  if (results.empty()) {
    InFlightDiagnostic diag = emitError(loc) << "no label was compared";
    if (matchingFiles == 0 && !options.filter.empty())
      diag.attachNote() << "no label file name contains --filter='"
                        << options.filter << "'";
    for (const std::string &note : notes)
      diag.attachNote() << note;
    return 1;
  }

  // Pooled errors.
  std::map<std::string, Pool> perGpu;
  Pool unseenInference, unseenTraining, unseenAll, seenAll, otherAll, all;
  for (const Result &r : results) {
    perGpu[r.target].add(r);
    all.add(r);
    bool unseen = llvm::is_contained(getUnseenTargetIds(), r.target);
    if (unseen)
      unseenAll.add(r);
    else if (llvm::is_contained(getTrainingTargetIds(), r.target))
      seenAll.add(r);
    else
      otherAll.add(r);
    if (unseen)
      (r.label.mode == RunMode::Training ? unseenTraining : unseenInference)
          .add(r);
  }
  os << "\n"
     << llvm::format("%-34s %6s %10s %10s\n", "pooled", "labels", "MAE",
                     "in interval");
  for (const auto &[gpu, pool] : perGpu)
    printPoolRow(os, gpu, pool);
  printPoolRow(os, "unseen GPUs, inference", unseenInference);
  printPoolRow(os, "unseen GPUs, training", unseenTraining);
  printPoolRow(os, "unseen GPUs, all", unseenAll);
  printPoolRow(os, "training GPUs, all", seenAll);
  printPoolRow(os, "other GPUs (no kernel data), all", otherAll);
  printPoolRow(os, "all GPUs", all);
  printPhases(os, results);
  if (!notes.empty()) {
    os << "\nnot compared:\n";
    for (const std::string &note : notes)
      os << "  " << note << "\n";
  }
  if (!wholeOnlyNotes.empty()) {
    os << "\ncompared whole, not forward and backward apart:\n";
    for (const std::string &note : wholeOnlyNotes)
      os << "  " << note << "\n";
  }
  return 0;
}
