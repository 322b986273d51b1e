//===- tilecast-calibrate.cpp - Calibrate to a new GPU or the host CPU ----===//
//
//   tilecast-calibrate --target=NAME --measurements=FILE.csv
//                      [--model-file=BASE.json] -o CALIBRATED.json
//   tilecast-calibrate --host [--name=NAME] [--repeats=N] [--min-time-ms=MS]
//                      -o data/targets/host-NAME.json
//
// Host mode measures this machine's CPU with JIT-compiled MLIR
// micro-benchmarks (lib/Target/HostCalibration.cpp) and writes a
// tilecast.target.v1 spec; `--target=host` uses it when TILECAST_HOST_SPEC
// names it (docs/targets.md).
//
// GPU mode:
// Few-shot adaptation: reads K kernels measured on one GPU (the NeuSight CSV
// columns: OPName, Latency in ms, Device and the shape columns of the op),
// and writes a copy of the hybrid model whose per-class log bias for that
// target is the shrunk median of the model's residuals on them
// (calibrateHybridModel). Use the result with --model-file= in
// tilecast-predict or model-file= in tilecast-estimate-cost; other targets
// are costed as before.
//
//===----------------------------------------------------------------------===//

#include "tilecast/Cost/Measurements.h"
#include "tilecast/Cost/Training.h"
#include "tilecast/Support/CommandLine.h"
#include "tilecast/Support/OutputFile.h"
#include "tilecast/Support/ToolDiagnostics.h"
#include "tilecast/Target/HostCalibration.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"

#include <map>
#include <set>
#include <tuple>
#include <unistd.h>

using namespace mlir;
using namespace mlir::tilecast;
namespace cl = llvm::cl;

namespace {
struct Options {
  cl::OptionCategory category{"tilecast-calibrate options"};
  cl::opt<std::string> target{
      "target",
      cl::desc("Target the measurements were taken on (id, alias "
               "or spec .json)"),
      cl::cat(category)};
  cl::opt<std::string> measurements{
      "measurements",
      cl::desc("CSV of measured kernels in the NeuSight column format"),
      cl::value_desc("filename"), cl::cat(category)};
  cl::opt<std::string> modelFile{
      "model-file",
      cl::desc("Model to adapt (default: the built-in hybrid model)"),
      cl::value_desc("filename"), cl::cat(category)};
  cl::opt<std::string> outputFilename{
      "o", cl::desc("Model file (GPU mode) or target spec (--host) to write"),
      cl::value_desc("filename"), cl::Required, cl::cat(category)};
  cl::opt<bool> host{"host",
                     cl::desc("Measure this machine's CPU with JIT-compiled "
                              "micro-benchmarks and write a target spec"),
                     cl::cat(category)};
  cl::opt<std::string> name{
      "name",
      cl::desc("With --host: the spec's id is host-NAME (default: the "
               "hostname)"),
      cl::cat(category)};
  DecimalOpt<int> repeats{"repeats",
                          cl::desc("With --host: timed runs per measurement, "
                                   "the median is kept"),
                          cl::init(7), cl::cat(category)};
  cl::opt<double> minTimeMs{
      "min-time-ms",
      cl::desc("With --host: each timed run lasts at least this long"),
      cl::init(50.0), cl::cat(category)};
};

/// The command line as one string, for the spec's sources.
static std::string getCommandLine(int argc, char **argv) {
  std::string line = llvm::sys::path::filename(argv[0]).str();
  for (int i = 1; i < argc; ++i)
    line += " " + std::string(argv[i]);
  return line;
}

static std::string getHostName() {
  char buffer[256] = {};
  if (gethostname(buffer, sizeof(buffer) - 1) != 0 || !buffer[0])
    return "local";
  return buffer;
}

/// --host: measure, write and summarise the spec.
static int calibrateHost(const Options &options, MLIRContext &context,
                         const std::string &commandLine) {
  Location loc = UnknownLoc::get(&context);
  // Bounds far beyond any useful calibration (the defaults are 7 runs of
  // 50 ms), so that a typo cannot start one that runs for days.
  constexpr int kMaxRepeats = 1000;
  constexpr int kMaxMinTimeMs = 60000;
  if (options.repeats < 1 || options.repeats > kMaxRepeats) {
    emitError(loc) << "--repeats must be from 1 to " << kMaxRepeats
                   << ", got " << static_cast<int>(options.repeats);
    return 1;
  }
  if (!(options.minTimeMs > 0) ||
      !(options.minTimeMs <= double(kMaxMinTimeMs))) {
    emitError(loc) << "--min-time-ms must be above 0 and at most "
                   << kMaxMinTimeMs << ", got " << formatDouble(options.minTimeMs);
    return 1;
  }
  // A --name given empty (or of no usable character) is refused; without
  // --name the id comes from the hostname.
  std::string name = options.name.getNumOccurrences() > 0
                         ? std::string(options.name)
                         : getHostName();
  if (sanitizeHostName(name).empty()) {
    emitError(loc) << "--name must not be empty";
    return 1;
  }
  // A path that cannot be written is an error before the measurements (not
  // opened yet: a failed run would leave an existing file removed).
  std::string errorMessage;
  if (failed(checkOutputWritable(options.outputFilename, errorMessage))) {
    emitError(loc) << errorMessage;
    return 1;
  }
  HostCalibrationOptions calibration;
  calibration.repeats = options.repeats;
  calibration.minRunSeconds = options.minTimeMs / 1e3;
  FailureOr<HostMeasurements> measured = measureHost(calibration, loc);
  if (failed(measured))
    return 1;
  std::string text = printHostTargetSpec(*measured, name, commandLine);
  // The spec must load like any other.
  FailureOr<TargetSpec> spec =
      parseTargetSpec(text, options.outputFilename, &context);
  if (failed(spec))
    return 1;
  if (failed(writeOutputFile(options.outputFilename, text, errorMessage))) {
    emitError(loc) << errorMessage;
    return 1;
  }
  // The summary goes where the spec does not (stderr when it is on stdout).
  raw_ostream &summary =
      options.outputFilename == "-" ? llvm::errs() : llvm::outs();
  printHostMeasurements(*measured, summary);
  summary << llvm::format(
      "\nspec %s: %lld cores, f32 %.4f TF/s, f64 %.4f TF/s, memory %.1f "
      "GB/s, L1 %.0f KiB, last-level %.1f MiB, clock %.0f MHz\n",
      spec->id.c_str(), (long long)spec->computeUnits,
      spec->peakTflops[static_cast<unsigned>(PeakKind::F32)],
      spec->peakTflops[static_cast<unsigned>(PeakKind::F64)],
      spec->memoryBandwidthGbps, spec->l1CacheKib, spec->l2CacheMib,
      spec->clockMhz);
  summary << "wrote " << options.outputFilename
          << "; use it with --target=" << options.outputFilename
          << ", or as --target=host with TILECAST_HOST_SPEC="
          << options.outputFilename << "\n";
  return 0;
}

/// Rejects options of the other mode.
static LogicalResult checkMode(const Options &options, Location loc) {
  if (options.host) {
    if (options.target.empty() && options.measurements.empty() &&
        options.modelFile.empty())
      return success();
    InFlightDiagnostic diag =
        emitError(loc) << "--host measures this machine's CPU; it takes no "
                          "--target, --measurements or --model-file";
    diag.attachNote() << "calibrate the hybrid model to a GPU without --host";
    return diag;
  }
  for (auto [given, flag] :
       {std::pair<bool, StringRef>{options.name.getNumOccurrences() > 0,
                                   "--name"},
        {options.repeats.getNumOccurrences() > 0, "--repeats"},
        {options.minTimeMs.getNumOccurrences() > 0, "--min-time-ms"}})
    if (given)
      return emitError(loc) << flag << " is an option of --host";
  if (!options.target.empty() && !options.measurements.empty())
    return success();
  InFlightDiagnostic diag =
      emitError(loc) << "missing --"
                     << (options.target.empty() ? "target" : "measurements")
                     << ": GPU calibration needs --target=NAME and "
                        "--measurements=FILE.csv";
  diag.attachNote() << "or give --host to calibrate this machine's CPU";
  return diag;
}
} // namespace

/// Warns, once per kernel, about a kernel measured on more than one row
/// (the same op on the same shape; the rows are all of the one GPU
/// calibrated, however its Device column names it): each row counts as a
/// measurement, so a file concatenated twice weighs its kernels double. The
/// NeuSight tables have no such rows.
static void warnAboutRepeatedKernels(ArrayRef<Measurement> measured,
                                     MLIRContext *context) {
  using Key = std::tuple<std::string, int64_t, int64_t, int64_t, int64_t,
                         int64_t, int64_t>;
  std::map<Key, const Measurement *> first;
  std::set<Key> warned;
  for (const Measurement &m : measured) {
    const OpWorkload &w = m.workload;
    Key key{m.opName, w.batch, w.m, w.n, w.k, w.rows, w.rowLength};
    auto [it, inserted] = first.try_emplace(key, &m);
    if (inserted || !warned.insert(key).second)
      continue;
    InFlightDiagnostic diag =
        emitWarning(m.getLoc(context))
        << "a kernel measured again; each row counts as one measurement";
    diag.attachNote(it->second->getLoc(context)) << "first measured here";
  }
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  Options options;
  cl::HideUnrelatedOptions(options.category);
  std::string commandLine = getCommandLine(argc, argv);
  parseToolCommandLine(argc, argv,
                       "TileCast calibration: few-shot adaptation of "
                       "the hybrid model to a new GPU, or --host to "
                       "measure this machine's CPU\n");
  MLIRContext context;
  ToolDiagnosticHandler diagnostics(&context);
  Location loc = UnknownLoc::get(&context);
  if (failed(checkMode(options, loc)))
    return 1;
  if (options.host)
    return calibrateHost(options, context, commandLine);

  FailureOr<TargetSpec> target = lookupTarget(options.target, loc);
  if (failed(target))
    return 1;
  // Checked before the work, not opened: opening would empty the file
  // (also the --model-file being calibrated) before it is read.
  std::string errorMessage;
  if (failed(checkOutputWritable(options.outputFilename, errorMessage))) {
    emitError(loc) << errorMessage;
    return 1;
  }
  FailureOr<std::shared_ptr<const HybridModelFile>> base =
      options.modelFile.empty()
          ? getBuiltinHybridModel(&context)
          : FailureOr<std::shared_ptr<const HybridModelFile>>(
                [&]() -> FailureOr<std::shared_ptr<const HybridModelFile>> {
                  FailureOr<HybridModelFile> file =
                      loadHybridModel(options.modelFile, &context);
                  if (failed(file))
                    return failure();
                  return std::make_shared<const HybridModelFile>(
                      std::move(*file));
                }());
  if (failed(base))
    return 1;
  FailureOr<std::vector<Measurement>> measured =
      readMeasurementFile(options.measurements, loc);
  if (failed(measured))
    return 1;
  warnAboutRepeatedKernels(*measured, &context);
  FailureOr<HybridModelFile> calibrated = calibrateHybridModel(
      **base, *target, *measured,
      FileLineColLoc::get(&context, options.measurements, 0, 0));
  if (failed(calibrated))
    return 1;

  if (failed(writeHybridModel(*calibrated, options.outputFilename, loc)))
    return 1;

  // The summary goes where the model does not (stderr when it is on stdout).
  raw_ostream &summary =
      options.outputFilename == "-" ? llvm::errs() : llvm::outs();
  summary << "tilecast-calibrate: " << measured->size() << " measurements of "
          << target->id << "\n";
  std::array<int64_t, kNumKernelClasses> counts{};
  for (const Measurement &m : *measured)
    ++counts[static_cast<unsigned>(m.kernelClass)];
  summary << llvm::format("%-12s %6s %10s %8s\n", "class", "kernels",
                          "log bias", "factor");
  for (unsigned c = 0; c < kNumKernelClasses; ++c) {
    double bias = calibrated->calibration->logBias[c];
    summary << llvm::format(
        "%-12s %6lld %+10.4f %8.3f\n",
        getKernelClassName(static_cast<KernelClass>(c)).str().c_str(),
        (long long)counts[c], bias, std::exp(bias));
  }
  summary << "wrote " << options.outputFilename << "\n";
  return 0;
}
