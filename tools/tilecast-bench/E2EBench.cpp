//===- E2EBench.cpp - Whole-model predictions against measurements --------===//
//
// For every label in ../shared/data/neusight/labels/<GPU>/<name>.json (name
// <model>-<inf|train>-<seq>-<batch>[-fusion]), imports models/<model>.json
// with the label's mode, sequence length and batch (lib/Import), costs it
// with the passes tilecast-predict runs and composes the total
// (lib/Compose), and compares it with the measured e2e_latency.
//
//===----------------------------------------------------------------------===//

#include "E2EBench.h"

#include "passes/Passes.h"
#include "tilecast/Compose/Prediction.h"
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
};

/// One compared label.
struct Result {
  Label label;
  std::string target;
  double predictedMs = 0, lowerMs = 0, upperMs = 0;
  int64_t kernels = 0;

  double getError() const {
    return (predictedMs - label.measuredMs) / label.measuredMs;
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

/// Reads e2e_latency (ms) of a label file.
static FailureOr<double> readMeasuredMs(StringRef path, Location loc) {
  auto buffer = readInputFile(path);
  if (!buffer)
    return emitError(loc) << "cannot read '" << path
                          << "': " << getReadErrorMessage(buffer.getError());
  FailureOr<nlohmann::json> doc = parseJson(
      (*buffer)->getBuffer(), path, loc.getContext(), "end-to-end label");
  if (failed(doc))
    return failure();
  auto it = doc->is_object() ? doc->find("e2e_latency") : doc->end();
  if (it == doc->end() || !it->is_number() ||
      !(it->get<double>() >= kMinLabelMs && it->get<double>() <= kMaxLabelMs))
    return emitError(loc) << "'" << path
                          << "' has no number 'e2e_latency' from "
                          << kMinLabelMs << " to " << kMaxLabelMs << " (ms)";
  return it->get<double>();
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

/// Predicts one label on `target`; failure after a diagnostic.
FailureOr<Prediction> bench::predictImportedModel(
    const ModelConfig &config, const ImportOptions &importOptions,
    const TargetSpec &target, StringRef modelName, StringRef modelFile,
    bool overlapLaunches, Location loc) {
  FailureOr<OwningOpRef<ModuleOp>> module =
      importTransformer(config, importOptions, loc);
  if (failed(module))
    return failure();
  PassManager pm(loc.getContext());
  pm.addPass(createTilecastAnnotateTargetPass({target.id}));
  TilecastEstimateCostPassOptions costOptions;
  costOptions.model = modelName.str();
  costOptions.modelFile = modelFile.str();
  pm.addPass(createTilecastEstimateCostPass(costOptions));
  if (failed(pm.run(**module)))
    return failure();
  ComposeOptions composeOptions;
  composeOptions.overlapLaunches = overlapLaunches;
  return composePrediction(**module, target, modelName, composeOptions);
}

static FailureOr<Result> predictLabel(const Label &label,
                                      const ModelConfig &config,
                                      const TargetSpec &target,
                                      const E2EOptions &e2eOptions,
                                      MLIRContext &context) {
  Location loc = NameLoc::get(StringAttr::get(&context, label.name));
  ImportOptions options;
  options.batch = label.batch;
  options.seqLength = label.seq;
  options.mode = label.mode;
  options.fused = label.fused;
  FailureOr<Prediction> prediction = predictImportedModel(
      config, options, target, e2eOptions.modelName, e2eOptions.modelFile,
      e2eOptions.overlapLaunches, loc);
  if (failed(prediction))
    return failure();
  Result result;
  result.label = label;
  result.target = target.id;
  result.predictedMs = prediction->time.totalUs / kUsPerMs;
  result.lowerMs = prediction->time.lowerUs / kUsPerMs;
  result.upperMs = prediction->time.upperUs / kUsPerMs;
  result.kernels = prediction->kernelLaunches;
  return result;
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

  os << "tilecast-bench e2e: model " << modelName
     << (options.modelFile.empty() ? "" : " (" + options.modelFile + ")")
     << (overlapLaunches ? ", launches overlapped" : "") << ", labels from "
     << labelsDir << "\n"
     << "predicted vs measured end-to-end latency (ms, FP32 PyTorch eager, "
        "whole model); 'in' = measured inside the predicted interval;\n"
     << "GPUs marked 'unseen' were never used to fit the cost model.\n";

  std::vector<Result> results;
  std::map<std::string, FailureOr<ModelConfig>> configs;
  SmallVector<std::string> notes;
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
    os << llvm::format("%-32s %10s %10s  [%9s, %9s] %8s  %-3s %8s\n", "label",
                       "measured", "predicted", "lower", "upper", "error", "in",
                       "kernels");
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
      FailureOr<double> measured = readMeasuredMs(path, loc);
      if (failed(measured))
        return 1;
      label->measuredMs = *measured;
      auto [it, inserted] = configs.try_emplace(label->model, failure());
      if (inserted) {
        SmallString<256> configPath(modelsDir);
        llvm::sys::path::append(configPath, label->model + ".json");
        if (llvm::sys::fs::exists(configPath))
          it->second = readModelConfig(configPath, loc);
      }
      if (failed(it->second)) {
        notes.push_back(folder + "/" + stem.str() + ": no usable models/" +
                        label->model + ".json; skipped");
        continue;
      }
      FailureOr<Result> result =
          predictLabel(*label, *it->second, *target, options, context);
      if (failed(result))
        return 1;
      os << llvm::format(
          "%-32s %10.1f %10.1f  [%9.1f, %9.1f] %+7.1f%%  %-3s "
          "%8lld\n",
          stem.str().c_str(), result->label.measuredMs, result->predictedMs,
          result->lowerMs, result->upperMs, 100.0 * result->getError(),
          result->isCovered() ? "yes" : "no", (long long)result->kernels);
      results.push_back(std::move(*result));
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
  if (!notes.empty()) {
    os << "\nnot compared:\n";
    for (const std::string &note : notes)
      os << "  " << note << "\n";
  }
  return 0;
}
