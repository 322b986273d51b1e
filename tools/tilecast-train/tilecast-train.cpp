//===- tilecast-train.cpp - Train the hybrid cost model -------------------===//
//
//   tilecast-train [--data=DIR] [--seed=N] [--epochs=N] [--hidden=16,16]
//                  [--jobs=N] -o data/models/hybrid.json
//
// Trains the hybrid model's correction networks on the NeuSight training
// kernels (kernels/train: the training GPUs only; the validation rows and the
// unseen GPUs are never read), scores each class leave-one-GPU-out, derives
// split-conformal intervals from those held-out residuals, and writes a
// tilecast.model.v1 file. The same data and seed give a byte-identical file.
//
//===----------------------------------------------------------------------===//

#include "tilecast/Cost/Measurements.h"
#include "tilecast/Cost/Training.h"
#include "tilecast/Support/CommandLine.h"
#include "tilecast/Support/InputFile.h"
#include "tilecast/Support/OutputFile.h"
#include "tilecast/Support/ToolDiagnostics.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/ToolOutputFile.h"

#include <chrono>

using namespace mlir;
using namespace mlir::tilecast;
namespace cl = llvm::cl;

#ifndef TILECAST_DEFAULT_NEUSIGHT_DIR
#define TILECAST_DEFAULT_NEUSIGHT_DIR "../shared/data/neusight"
#endif

namespace {
struct Options {
  cl::OptionCategory category{"tilecast-train options"};
  cl::opt<std::string> dataDir{"data", cl::desc("The NeuSight data folder"),
                               cl::init(TILECAST_DEFAULT_NEUSIGHT_DIR),
                               cl::cat(category)};
  cl::opt<std::string> outputFilename{
      "o", cl::desc("Model file to write"), cl::value_desc("filename"),
      cl::Required, cl::cat(category)};
  DecimalOpt<uint64_t> seed{"seed",
                            cl::desc("Seed of the initialisation and "
                                     "minibatch order"),
                            cl::init(TrainingOptions().seed),
                            cl::cat(category)};
  DecimalOpt<int64_t> epochs{
      "epochs", cl::desc("Passes over the training data"),
      cl::init(TrainingOptions().epochs), cl::cat(category)};
  DecimalList<int64_t> hidden{
      "hidden",
      cl::desc("Units per hidden layer (default 16,16; 0 for a "
               "linear model)"),
      cl::CommaSeparated, cl::cat(category)};
  cl::opt<std::string> dumpExamples{
      "dump-examples",
      cl::desc("Also write the training examples (class, gpu, log ratio, "
               "features) as CSV, for analysis in python/fitting"),
      cl::value_desc("filename"), cl::cat(category)};
  DecimalOpt<unsigned> threads{"jobs",
                               cl::desc("Worker threads (0 = all cores); the "
                                        "result does not depend on it"),
                               cl::init(0), cl::cat(category)};
};
} // namespace

/// SHA-256 over the files read, in reading order: each file's path relative
/// to the data folder, a NUL, and its bytes.
static FailureOr<std::string> hashFiles(StringRef dataDir,
                                        ArrayRef<std::string> files,
                                        Location loc) {
  llvm::SHA256 hasher;
  for (const std::string &path : files) {
    auto buffer = readInputFile(path);
    if (!buffer)
      return emitError(loc) << "cannot read '" << path
                            << "': " << getReadErrorMessage(buffer.getError());
    StringRef relative = path;
    relative.consume_front(dataDir);
    relative = relative.ltrim('/');
    hasher.update(relative);
    hasher.update(StringRef("\0", 1));
    hasher.update((*buffer)->getBuffer());
  }
  std::array<uint8_t, 32> digest = hasher.final();
  return llvm::toHex(digest, /*LowerCase=*/true);
}

/// Writes every class's examples as CSV: class, gpu, log_ratio, features.
/// Written whole at the end (writeOutputFile): a run that fails on a row
/// leaves an existing file as it was.
static LogicalResult dumpExamples(ArrayRef<Measurement> measurements,
                                  StringRef path, Location loc) {
  std::string errorMessage;
  std::string csv;
  llvm::raw_string_ostream os(csv);
  os << "class,gpu,log_ratio";
  for (StringRef name : getHybridFeatureNames())
    os << "," << name;
  os << "\n";
  for (unsigned c = 0; c < kNumKernelClasses; ++c) {
    auto kernelClass = static_cast<KernelClass>(c);
    FailureOr<ClassExamples> data =
        buildExamples(measurements, kernelClass, loc);
    if (failed(data))
      return failure();
    for (const TrainingExample &e : data->examples) {
      os << getKernelClassName(kernelClass) << "," << data->gpus[e.gpu] << ","
         << llvm::format("%.6g", e.logRatio);
      for (double f : e.features)
        os << "," << llvm::format("%.6g", f);
      os << "\n";
    }
  }
  if (failed(writeOutputFile(path, csv, errorMessage)))
    return emitError(loc) << errorMessage;
  return success();
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  Options options;
  cl::HideUnrelatedOptions(options.category);
  parseToolCommandLine(argc, argv, "TileCast hybrid model trainer\n");

  MLIRContext context;
  ToolDiagnosticHandler diagnostics(&context);
  Location loc = UnknownLoc::get(&context);
  TrainingOptions training;
  training.seed = options.seed;
  training.epochs = options.epochs;
  training.threads = options.threads;
  // Bounds far above any useful setting (the default is 10 epochs of 16,16
  // units) that keep a run finite.
  constexpr int64_t kMaxEpochs = 10000;
  constexpr int64_t kMaxHiddenUnits = 1024;
  constexpr size_t kMaxHiddenLayers = 8;
  if (options.epochs < 1 || options.epochs > kMaxEpochs) {
    emitError(loc) << "--epochs must be from 1 to " << kMaxEpochs << ", got "
                   << static_cast<int64_t>(options.epochs);
    return 1;
  }
  if (options.hidden.size() > kMaxHiddenLayers) {
    emitError(loc) << "--hidden gives at most " << kMaxHiddenLayers
                   << " layers, got " << options.hidden.size();
    return 1;
  }
  // 0 alone means no hidden layer (a linear model); within a list it would
  // be a layer of no units.
  if (options.hidden.size() > 1 && llvm::is_contained(options.hidden, 0)) {
    emitError(loc) << "--hidden: 0 means a linear model and stands alone; a "
                      "list of layers gives each at least 1 unit";
    return 1;
  }
  if (!options.hidden.empty()) {
    training.hiddenLayers.clear();
    for (int64_t units : options.hidden) {
      if (units < 0 || units > kMaxHiddenUnits) {
        emitError(loc) << "--hidden sizes must be from 0 to "
                       << kMaxHiddenUnits << ", got " << units;
        return 1;
      }
      if (units > 0)
        training.hiddenLayers.push_back(units);
    }
  }

  // Checked before training, not opened: opening would empty the file, and a
  // run that then failed would leave an existing one removed.
  std::string errorMessage;
  if (failed(checkOutputWritable(options.outputFilename, errorMessage)) ||
      (!options.dumpExamples.empty() &&
       failed(checkOutputWritable(options.dumpExamples, errorMessage)))) {
    emitError(loc) << errorMessage;
    return 1;
  }

  auto start = std::chrono::steady_clock::now();
  std::vector<std::string> files;
  FailureOr<std::vector<Measurement>> measurements =
      readMeasurements(options.dataDir, Split::Train, loc, &files);
  if (failed(measurements))
    return 1;
  FailureOr<std::string> sha = hashFiles(options.dataDir, files, loc);
  if (failed(sha))
    return 1;
  if (!options.dumpExamples.empty() &&
      failed(dumpExamples(*measurements, options.dumpExamples, loc)))
    return 1;
  llvm::errs() << "tilecast-train: " << measurements->size()
               << " training kernels from " << files.size() << " files, sha256 "
               << *sha << "\n";
  FailureOr<HybridModelFile> model =
      trainHybridModel(*measurements, *sha, training, loc, &llvm::errs());
  if (failed(model))
    return 1;

  if (failed(writeHybridModel(*model, options.outputFilename, loc)))
    return 1;
  double seconds = std::chrono::duration<double>(
                       std::chrono::steady_clock::now() - start)
                       .count();
  llvm::errs() << llvm::format("tilecast-train: wrote %s in %.1f s\n",
                               options.outputFilename.c_str(), seconds);
  return 0;
}
