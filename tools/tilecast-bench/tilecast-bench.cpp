//===- tilecast-bench.cpp - Accuracy and speed benchmarks -----------------===//
//
//   tilecast-bench accuracy [--split=validation|train] [--data=DIR]
//                           [--dump=FILE.csv]
//       MAPE per GPU and kernel class of the roofline, analytical and hybrid
//       models against the NeuSight measurements, the hybrid model's interval
//       coverage, and optionally every kernel's predictions as CSV.
//   tilecast-bench e2e [--data=DIR] [--model=analytical] [--filter=TEXT]
//                      [--measured-gemms]
//       Whole transformer models imported from their configurations,
//       predicted per GPU and compared with the measured end-to-end latency
//       (E2EBench.cpp).
//   tilecast-bench fusion [--target=host] [--cases=20] [--runs=7]
//       Fusion advice on the host CPU, measured through the MLIR JIT
//       (FusionBench.cpp).
//   tilecast-bench calibration [--draws=20]
//       Few-shot calibration error curve on the unseen GPUs.
//   tilecast-bench speed [--ops=20000]
//       Cost-query throughput on one core, the time costing adds to
//       parsing and printing a module (as a ratio, measured in one run), and
//       the time to predict GPT-3 2.7B's training step, as imported (layer
//       loops) and as one flat graph.
//
//===----------------------------------------------------------------------===//

#include "CalibrationBench.h"
#include "E2EBench.h"
#include "FusionBench.h"
#include "Statistics.h"
#include "TilingBench.h"

#include "passes/Passes.h"
#include "tilecast/Compose/Prediction.h"
#include "tilecast/Cost/AnalyticalModel.h"
#include "tilecast/Cost/CostModel.h"
#include "tilecast/Cost/Measurements.h"
#include "tilecast/Import/ModelConfig.h"
#include "tilecast/Import/TransformerImporter.h"
#include "tilecast/Support/CommandLine.h"
#include "tilecast/Support/OutputFile.h"
#include "tilecast/Support/ToolDiagnostics.h"
#include "tilecast/Target/TargetSpec.h"

#include "mlir/Dialect/Func/Extensions/InlinerExtension.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <sys/resource.h>

using namespace mlir;
using namespace mlir::tilecast;
using namespace mlir::tilecast::bench;
namespace cl = llvm::cl;

#ifndef TILECAST_DEFAULT_NEUSIGHT_DIR
#define TILECAST_DEFAULT_NEUSIGHT_DIR "../shared/data/neusight"
#endif

static cl::SubCommand accuracyCommand("accuracy",
                                      "Model accuracy on the NeuSight data");
static cl::SubCommand speedCommand("speed", "Cost-query and pass speed");
static cl::SubCommand tilingCommand(
    "tiling", "Tile choices on the host CPU, measured through the MLIR JIT");
static cl::opt<std::string> tilingTarget("target",
                                         cl::desc("Target of the predictions"),
                                         cl::init("host"),
                                         cl::sub(tilingCommand));
static DecimalOpt<int64_t>
    tilingShapes("shapes", cl::desc("Shapes to run (at most the suite's)"),
                 cl::init(20), cl::sub(tilingCommand));
static DecimalOpt<int64_t>
    tilingCandidates("candidates", cl::desc("Tilings measured per shape"),
                     cl::init(8), cl::sub(tilingCommand));
static cl::opt<bool> tilingVectorize(
    "vectorize",
    cl::desc("Register-tile and vectorise the inner matmuls (default true; "
             "false lowers them to scalar loops)"),
    cl::init(true), cl::sub(tilingCommand));
static DecimalOpt<int> tilingThreads(
    "threads",
    cl::desc("Threads the tiled code runs on, its parallel loops as "
             "scf.forall; the model costs as many cores (default 0: every "
             "core of the target; 1: one thread, as the untiled lowering)"),
    cl::init(0), cl::sub(tilingCommand));
static cl::opt<bool> tilingVerbose(
    "verbose",
    cl::desc("List every measured tiling with its predicted and measured time"),
    cl::init(false), cl::sub(tilingCommand));
static cl::opt<std::string> tilingSuite(
    "suite",
    cl::desc("Shapes: 'default' (20 matmul and batch-matmul shapes within "
             "L2/L3), 'large' (5 whose operands exceed L2), 'heldout' (8 never "
             "used to design the CPU model), 'conv' (6 3x3 convolutions), "
             "'strides' (10 products whose rows are or are not a multiple of "
             "2 KiB apart) or 'batched' (8 batched products)"),
    cl::init("default"), cl::sub(tilingCommand));
static DecimalOpt<int> tilingRuns("runs", cl::desc("Timed runs per tiling"),
                                  cl::init(9), cl::sub(tilingCommand));
static cl::opt<std::string> tilingDumpFile(
    "dump",
    cl::desc("Also write every timed tiling to this CSV file, which "
             "--measurements reads"),
    cl::value_desc("FILE.csv"), cl::sub(tilingCommand));
static cl::list<std::string> tilingMeasurements(
    "measurements",
    cl::desc("Run nothing: rank the tilings of these --dump files with the "
             "current model and --target, and report as a run would"),
    cl::value_desc("FILE.csv"), cl::CommaSeparated, cl::sub(tilingCommand));

static cl::SubCommand fusionCommand(
    "fusion",
    "Fusion decisions on the host CPU, measured through the MLIR JIT");
static cl::opt<std::string> fusionTarget("target",
                                         cl::desc("Target of the predictions"),
                                         cl::init("host"),
                                         cl::sub(fusionCommand));
static DecimalOpt<int> fusionRuns("runs", cl::desc("Timed runs per variant"),
                                  cl::init(15), cl::sub(fusionCommand));
static DecimalOpt<int64_t> fusionCases("cases",
                                       cl::desc("Cases to run (at most 20)"),
                                       cl::init(20), cl::sub(fusionCommand));
static cl::SubCommand calibrationCommand(
    "calibration",
    "Few-shot calibration of the hybrid model to the unseen GPUs");
static cl::opt<std::string>
    calibrationDataDir("data", cl::desc("The NeuSight data folder"),
                       cl::init(TILECAST_DEFAULT_NEUSIGHT_DIR),
                       cl::sub(calibrationCommand));
static DecimalOpt<int64_t>
    calibrationDraws("draws",
                     cl::desc("Random draws of the K kernels per point"),
                     cl::init(20), cl::sub(calibrationCommand));
static cl::SubCommand e2eCommand(
    "e2e", "Whole-model predictions against the NeuSight end-to-end labels");
static cl::opt<std::string> e2eDataDir("data",
                                       cl::desc("The NeuSight data folder"),
                                       cl::init(TILECAST_DEFAULT_NEUSIGHT_DIR),
                                       cl::sub(e2eCommand));
static cl::opt<std::string> e2eModel("model", cl::desc("Cost model"),
                                     cl::init("hybrid"), cl::sub(e2eCommand));
static cl::opt<std::string> e2eModelFile(
    "model-file",
    cl::desc("Hybrid model file (default: the built-in one), e.g. one "
             "calibrated by tilecast-calibrate"),
    cl::sub(e2eCommand));
static cl::opt<bool> e2eOverlapLaunches(
    "overlap-launches",
    cl::desc("Count each kernel as max(execution, dispatch) (default true: "
             "the labels are whole models run by PyTorch eager)"),
    cl::init(true), cl::sub(e2eCommand));
static cl::opt<bool> e2eMeasuredGemms(
    "measured-gemms",
    cl::desc("Cost each GEMM kernel whose shape the NeuSight kernel tables "
             "measured on the label's GPU at that latency (how close the "
             "GPU's own kernel measurements, composed, come to its labels)"),
    cl::init(false), cl::sub(e2eCommand));
static cl::opt<std::string>
    e2eFilter("filter", cl::desc("Only labels whose file name contains this"),
              cl::init(""), cl::sub(e2eCommand));

static cl::opt<std::string> dataDir("data",
                                    cl::desc("The NeuSight data folder"),
                                    cl::init(TILECAST_DEFAULT_NEUSIGHT_DIR),
                                    cl::sub(accuracyCommand));
static cl::opt<std::string> modelFile(
    "model-file",
    cl::desc(
        "Hybrid model file (default: the built-in data/models/hybrid.json)"),
    cl::sub(accuracyCommand));
static cl::opt<Split> splitOption(
    "split", cl::desc("Which measurements to compare against"),
    cl::init(Split::Validation),
    cl::values(clEnumValN(Split::Validation, "validation",
                          "held-out shapes and unseen GPUs (default)"),
               clEnumValN(Split::Train, "train",
                          "the training GPUs' training kernels")),
    cl::sub(accuracyCommand));
static cl::opt<std::string> dumpFile(
    "dump",
    cl::desc("Also write every kernel's measured and predicted latencies to "
             "this CSV file"),
    cl::value_desc("FILE.csv"), cl::sub(accuracyCommand));
static DecimalOpt<int64_t> numOps("ops",
                                  cl::desc("Ops in the generated module"),
                                  cl::init(20000), cl::sub(speedCommand));

//===----------------------------------------------------------------------===//
// accuracy
//===----------------------------------------------------------------------===//

namespace {
/// Errors of the models over a group of measurements.
struct ErrorStats {
  int64_t count = 0;
  double rooflineApeSum = 0;
  double analyticalApeSum = 0;
  double hybridApeSum = 0;
  /// Measurements inside the hybrid model's interval.
  int64_t covered = 0;
  std::vector<double> logRatios;   // log(measured / analytical)
  std::vector<double> widthRatios; // hybrid (upper - lower) / latency

  void add(double measured, double roofline, const CostEstimate &analytical,
           const CostEstimate &hybrid) {
    ++count;
    rooflineApeSum += std::abs(roofline - measured) / measured;
    analyticalApeSum += std::abs(analytical.latencyUs - measured) / measured;
    hybridApeSum += std::abs(hybrid.latencyUs - measured) / measured;
    covered += measured >= hybrid.lowerUs && measured <= hybrid.upperUs;
    logRatios.push_back(std::log(measured / analytical.latencyUs));
    widthRatios.push_back((hybrid.upperUs - hybrid.lowerUs) / hybrid.latencyUs);
  }
  void merge(const ErrorStats &other) {
    count += other.count;
    rooflineApeSum += other.rooflineApeSum;
    analyticalApeSum += other.analyticalApeSum;
    hybridApeSum += other.hybridApeSum;
    covered += other.covered;
    logRatios.insert(logRatios.end(), other.logRatios.begin(),
                     other.logRatios.end());
    widthRatios.insert(widthRatios.end(), other.widthRatios.begin(),
                       other.widthRatios.end());
  }
};
} // namespace

static void printStatsRow(raw_ostream &os, StringRef kernelClass, StringRef gpu,
                          const ErrorStats &s) {
  os << llvm::format("%-12s %-18s %6lld %9.1f %11.1f %7.1f %9.1f %6.2f\n",
                     kernelClass.str().c_str(), gpu.str().c_str(),
                     (long long)s.count, 100.0 * s.rooflineApeSum / s.count,
                     100.0 * s.analyticalApeSum / s.count,
                     100.0 * s.hybridApeSum / s.count,
                     100.0 * s.covered / s.count, quantile(s.widthRatios, 0.5));
}

/// The header and one row of `tilecast-bench accuracy --dump`: a kernel's
/// measurement (class, GPU, its CSV's OPName and line, the GEMM and row views
/// of its shape) and each model's prediction.
static constexpr const char *kDumpHeader =
    "class,gpu,op,line,batch,m,n,k,rows,row_length,measured_us,roofline_us,"
    "analytical_us,hybrid_us,hybrid_lower_us,hybrid_upper_us,"
    "analytical_bound\n";

/// `text` as a CSV field: quoted (quotes doubled) if it holds a comma, a
/// quote or a line break.
static std::string getCsvField(StringRef text) {
  if (text.find_first_of(",\"\r\n") == StringRef::npos)
    return text.str();
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"')
      quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

static void writeDumpRow(raw_ostream &os, const Measurement &m,
                         const TargetSpec &target, double rooflineUs,
                         const CostEstimate &analytical,
                         const CostEstimate &hybrid) {
  const OpWorkload &w = m.workload;
  os << getKernelClassName(m.kernelClass) << ',' << target.id << ','
     << getCsvField(m.opName) << ',' << m.line << ',' << w.batch << ',' << w.m
     << ',' << w.n << ',' << w.k << ',' << w.rows << ',' << w.rowLength << ','
     << llvm::format("%.7g,%.7g,%.7g,%.7g,%.7g,%.7g", m.latencyUs, rooflineUs,
                     analytical.latencyUs, hybrid.latencyUs, hybrid.lowerUs,
                     hybrid.upperUs)
     << ',' << stringifyBound(analytical.bound) << '\n';
}

static int runAccuracy(MLIRContext &context) {
  Location loc = UnknownLoc::get(&context);
  FailureOr<std::vector<Measurement>> measurements =
      readMeasurements(dataDir, splitOption, loc);
  if (failed(measurements))
    return 1;
  if (measurements->empty()) {
    emitError(loc) << "no kernel measured under '" << dataDir
                   << "': its CSV files have no rows";
    return 1;
  }

  RooflineModel roofline;
  AnalyticalModel analytical;
  CostModelOptions hybridOptions;
  hybridOptions.modelFile = modelFile;
  FailureOr<std::unique_ptr<CostModel>> hybrid =
      createCostModel("hybrid", loc, hybridOptions);
  if (failed(hybrid))
    return 1;
  TargetCache targets;
  // Written whole at the end (writeOutputFile): a run that fails on a row
  // leaves an existing file as it was.
  std::string dumpText;
  llvm::raw_string_ostream dump(dumpText);
  if (!dumpFile.empty()) {
    std::string errorMessage;
    if (failed(checkOutputWritable(dumpFile, errorMessage))) {
      llvm::errs() << "tilecast-bench: " << errorMessage << "\n";
      return 1;
    }
    dump << kDumpHeader;
  }
  // (class, target id) -> errors; std::map keeps the report's order stable.
  std::map<std::pair<unsigned, std::string>, ErrorStats> groups;
  for (const Measurement &m : *measurements) {
    FailureOr<const TargetSpec *> spec =
        targets.lookup(m.device, m.getLoc(&context));
    if (failed(spec))
      return 1;
    const TargetSpec &target = **spec;
    // The hybrid model and the report are about GPUs.
    if (!target.isGpu()) {
      InFlightDiagnostic diag =
          emitError(m.getLoc(&context))
          << "measurement of device '" << getQuotable(m.device)
          << "' is of the cpu target '" << target.id << "'";
      diag.attachNote() << "tilecast-bench accuracy compares GPU kernels";
      return 1;
    }
    Location rowLoc = m.getLoc(&context);
    FailureOr<CostEstimate> base =
        roofline.estimate(m.workload, target, rowLoc);
    FailureOr<CostEstimate> physics =
        analytical.estimate(m.workload, target, rowLoc);
    FailureOr<CostEstimate> learned =
        (*hybrid)->estimate(m.workload, target, rowLoc);
    if (failed(base) || failed(physics) || failed(learned))
      return 1;
    groups[{static_cast<unsigned>(m.kernelClass), target.id}].add(
        m.latencyUs, base->latencyUs, *physics, *learned);
    if (!dumpFile.empty())
      writeDumpRow(dump, m, target, base->latencyUs, *physics, *learned);
  }
  if (!dumpFile.empty()) {
    std::string errorMessage;
    if (failed(writeOutputFile(dumpFile, dumpText, errorMessage))) {
      llvm::errs() << "tilecast-bench: " << errorMessage << "\n";
      return 1;
    }
  }

  raw_ostream &os = llvm::outs();
  os << "tilecast-bench accuracy: split "
     << (splitOption == Split::Train ? "train" : "validation") << ", "
     << measurements->size() << " kernels from " << dataDir << "\n";
  os << "MAPE % of roofline (max(FLOPs/peak, bytes/bandwidth)), the "
        "analytical and the hybrid model;\ncoverage % of the hybrid model's "
        "90% interval and its median width (upper-lower)/latency.\n\n";
  os << llvm::format("%-12s %-18s %6s %9s %11s %7s %9s %6s\n", "class", "gpu",
                     "rows", "roofline", "analytical", "hybrid", "coverage",
                     "width");
  // The pools: the training GPUs, the unseen ones, and any other GPU
  // (data of another GPU) only in "all".
  std::map<unsigned, ErrorStats> unseen, seen, all;
  for (const auto &[key, stats] : groups) {
    StringRef kernelClass =
        getKernelClassName(static_cast<KernelClass>(key.first));
    printStatsRow(os, kernelClass, key.second, stats);
    all[key.first].merge(stats);
    if (llvm::is_contained(getUnseenTargetIds(), key.second))
      unseen[key.first].merge(stats);
    else if (llvm::is_contained(getTrainingTargetIds(), key.second))
      seen[key.first].merge(stats);
  }
  os << "\nPooled over GPUs:\n";
  for (const auto &[kernelClass, stats] : all)
    printStatsRow(os, getKernelClassName(static_cast<KernelClass>(kernelClass)),
                  "all", stats);
  for (const auto &[kernelClass, stats] : seen)
    printStatsRow(os, getKernelClassName(static_cast<KernelClass>(kernelClass)),
                  "training GPUs", stats);
  for (const auto &[kernelClass, stats] : unseen)
    printStatsRow(os, getKernelClassName(static_cast<KernelClass>(kernelClass)),
                  "unseen:l4+a100-80", stats);

  os << "\nResidual quantiles log(measured/predicted) of the analytical "
        "model, pooled:\n";
  auto printQuantiles = [&](StringRef name, const ErrorStats &stats) {
    os << llvm::format("%-12s q05 %+.4f  q50 %+.4f  q95 %+.4f\n",
                       name.str().c_str(), quantile(stats.logRatios, 0.05),
                       quantile(stats.logRatios, 0.5),
                       quantile(stats.logRatios, 0.95));
  };
  ErrorStats gemms;
  for (const auto &[kernelClass, stats] : all) {
    auto type = static_cast<KernelClass>(kernelClass);
    printQuantiles(getKernelClassName(type), stats);
    if (type == KernelClass::Bmm || type == KernelClass::Linear)
      gemms.merge(stats);
  }
  // The analytical model's contraction intervals pool both GEMM classes.
  if (gemms.count > 0)
    printQuantiles("bmm+linear", gemms);
  return 0;
}

//===----------------------------------------------------------------------===//
// speed
//===----------------------------------------------------------------------===//

using Clock = std::chrono::steady_clock;

static double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// Measures `fn` `repeats` times and returns the fastest run in seconds.
template <typename Fn> static double fastestOf(int repeats, Fn fn) {
  double best = std::numeric_limits<double>::infinity();
  for (int i = 0; i < repeats; ++i) {
    Clock::time_point start = Clock::now();
    fn();
    best = std::min(best, secondsSince(start));
  }
  return best;
}

/// A module of `ops` ops in the shape torch-mlir emits: groups of
/// tensor.empty, linalg.fill, linalg.matmul and an element-wise generic.
static std::string makeModule(int64_t ops) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "#id = affine_map<(d0, d1) -> (d0, d1)>\n"
        "func.func @f(%x: tensor<64x64xf32>, %w: tensor<64x64xf32>) -> "
        "tensor<64x64xf32> {\n"
        "  %zero = arith.constant 0.0 : f32\n";
  std::string current = "%x";
  for (int64_t i = 0; i < ops / 4; ++i) {
    os << "  %e" << i << " = tensor.empty() : tensor<64x64xf32>\n"
       << "  %f" << i << " = linalg.fill ins(%zero : f32) outs(%e" << i
       << " : tensor<64x64xf32>) -> tensor<64x64xf32>\n"
       << "  %m" << i << " = linalg.matmul ins(" << current
       << ", %w : tensor<64x64xf32>, tensor<64x64xf32>) outs(%f" << i
       << " : tensor<64x64xf32>) -> tensor<64x64xf32>\n"
       << "  %g" << i
       << " = linalg.generic {indexing_maps = [#id, #id], iterator_types = "
          "[\"parallel\", \"parallel\"]} ins(%m"
       << i << " : tensor<64x64xf32>) outs(%e" << i
       << " : tensor<64x64xf32>) {\n"
          "  ^bb0(%a: f32, %o: f32):\n"
          "    %r = arith.addf %a, %a : f32\n"
          "    linalg.yield %r : f32\n"
          "  } -> tensor<64x64xf32>\n";
    current = "%g" + std::to_string(i);
  }
  os << "  return " << current << " : tensor<64x64xf32>\n}\n";
  return text;
}

/// GPT-3 2.7B as ../shared/data/neusight/models/gpt3_27.json gives it (the
/// fields the importer reads), so that the budget below needs no data.
static constexpr const char *kGpt3_27Config = R"json({
  "model_type": "gpt2", "n_embd": 2560, "n_head": 32, "n_layer": 32,
  "n_positions": 2048, "vocab_size": 50257,
  "activation_function": "gelu_new"
})json";

/// The whole-model budget's step: a training step of batch 1 and sequence
/// 2048.
static ImportOptions getWholeModelOptions() {
  ImportOptions options;
  options.batch = 1;
  options.seqLength = 2048;
  options.mode = RunMode::Training;
  return options;
}

/// Imports, costs (hybrid) and composes a whole GPT-3 2.7B training step
/// (batch 1, sequence 2048) as tilecast-predict would: the budget is 2 s.
static FailureOr<double> timeWholeModel(MLIRContext &context, double &totalUs) {
  Location loc = UnknownLoc::get(&context);
  auto start = Clock::now();
  FailureOr<ModelConfig> config =
      parseModelConfig(kGpt3_27Config, "gpt3_27", &context);
  if (failed(config))
    return failure();
  ImportOptions options = getWholeModelOptions();
  FailureOr<TargetSpec> target = lookupTarget("a100-pcie-80gb", loc);
  if (failed(target))
    return failure();
  FailureOr<Prediction> prediction =
      predictImportedModel(*config, options, *target, "hybrid", "",
                           /*overlapLaunches=*/true, loc);
  if (failed(prediction))
    return failure();
  totalUs = prediction->time.totalUs;
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// GPT-3 2.7B's training step as one flat graph, in MLIR text: the imported
/// module with its layer loops unrolled and its blocks inlined into the
/// step, every layer's kernels written out (the input a frontend that does
/// not outline layers gives). Fails after a diagnostic.
static FailureOr<std::string> getFlatWholeModelText(MLIRContext &context,
                                                    int64_t &numOps) {
  Location loc = UnknownLoc::get(&context);
  FailureOr<ModelConfig> config =
      parseModelConfig(kGpt3_27Config, "gpt3_27", &context);
  if (failed(config))
    return failure();
  FailureOr<OwningOpRef<ModuleOp>> module =
      importTransformer(*config, getWholeModelOptions(), loc);
  if (failed(module))
    return failure();
  SmallVector<scf::ForOp> loops;
  (**module).walk([&](scf::ForOp loop) { loops.push_back(loop); });
  for (scf::ForOp loop : loops) {
    std::optional<APInt> trips = loop.getStaticTripCount();
    if (!trips || failed(loopUnrollFull(loop)))
      return emitError(loc, "cannot unroll the imported layer loops");
  }
  // The blocks, once inlined, are called by nothing: only the step remains.
  for (auto function : (**module).getOps<func::FuncOp>())
    if (!function.getName().ends_with("_train_step"))
      function.setPrivate();
  PassManager pm(&context);
  pm.addPass(createInlinerPass());
  pm.addPass(createSymbolDCEPass());
  if (failed(pm.run(**module)))
    return failure();
  numOps = 0;
  (**module).walk([&](Operation *op) {
    if (op->getParentOp() && isa<func::FuncOp>(op->getParentOp()))
      ++numOps;
  });
  std::string text;
  llvm::raw_string_ostream os(text);
  (**module).print(os);
  return text;
}

/// Parses, annotates, costs (hybrid) and composes the flat graph of
/// getFlatWholeModelText, as tilecast-predict does with a file: the budget
/// is 2 s.
static FailureOr<double> timeFlatWholeModel(MLIRContext &context,
                                            StringRef text, double &totalUs) {
  Location loc = UnknownLoc::get(&context);
  FailureOr<TargetSpec> target = lookupTarget("a100-pcie-80gb", loc);
  if (failed(target))
    return failure();
  auto start = Clock::now();
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(text, &context);
  if (!module)
    return failure();
  FailureOr<Prediction> prediction =
      predictModule(*module, *target, "hybrid", "", /*overlapLaunches=*/true);
  if (failed(prediction))
    return failure();
  totalUs = prediction->time.totalUs;
  return std::chrono::duration<double>(Clock::now() - start).count();
}

static int runSpeed(MLIRContext &context) {
  raw_ostream &os = llvm::outs();
  Location loc = UnknownLoc::get(&context);
  FailureOr<TargetSpec> target = lookupTarget("h100-sxm", loc);
  if (failed(target))
    return 1;
  // First, so that the process's peak memory is the whole-model run's.
  double wholeModelUs = 0;
  FailureOr<double> wholeModelSeconds = timeWholeModel(context, wholeModelUs);
  if (failed(wholeModelSeconds))
    return 1;
  int64_t flatOps = 0;
  FailureOr<std::string> flatText = getFlatWholeModelText(context, flatOps);
  if (failed(flatText))
    return 1;
  double flatModelUs = 0;
  FailureOr<double> flatModelSeconds =
      timeFlatWholeModel(context, *flatText, flatModelUs);
  if (failed(flatModelSeconds))
    return 1;
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  double peakMiB = usage.ru_maxrss / 1024.0; // ru_maxrss is in KiB on Linux.
  AnalyticalModel model;

  // Tile queries: a 2048^3 matmul under every power-of-two tile from 16 to
  // 256 in M, N and K, cycled.
  OpWorkload matmul =
      OpWorkload::getMatmul(1, 2048, 2048, 2048, PeakKind::F32, 4);
  SmallVector<std::array<int64_t, 4>> tiles;
  for (int64_t tm = 16; tm <= 256; tm *= 2)
    for (int64_t tn = 16; tn <= 256; tn *= 2)
      for (int64_t tk = 16; tk <= 256; tk *= 2)
        tiles.push_back({1, tm, tn, tk});
  constexpr int64_t kTileQueries = 2'000'000;
  double checksum = 0;
  double tileSeconds = fastestOf(3, [&] {
    for (int64_t i = 0; i < kTileQueries; ++i) {
      FailureOr<TileCostEstimate> cost =
          model.estimateTile(matmul, tiles[i % tiles.size()], *target, loc);
      checksum += cost->latencyUs;
    }
  });

  // Whole-op estimates (the GEMM model searches its block tiles and, for
  // these unbatched GEMMs, split-K factors).
  constexpr int64_t kOpQueries = 1'000'000;
  SmallVector<OpWorkload> shapes;
  for (int64_t m = 512; m < 1536; ++m)
    shapes.push_back(OpWorkload::getMatmul(1, m, 2048, 2048, PeakKind::F32, 4));
  double opSeconds = fastestOf(3, [&] {
    for (int64_t i = 0; i < kOpQueries; ++i)
      checksum +=
          model.estimate(shapes[i % shapes.size()], *target, loc)->latencyUs;
  });

  // Hybrid estimates: batched GEMMs and element-wise maps, the classes whose
  // networks the shipped model evaluates.
  FailureOr<std::unique_ptr<CostModel>> hybrid = createCostModel("hybrid", loc);
  if (failed(hybrid))
    return 1;
  SmallVector<OpWorkload> learned;
  for (int64_t m = 512; m < 1024; ++m) {
    learned.push_back(OpWorkload::getMatmul(8, m, 1024, 64, PeakKind::F32, 4));
    learned.push_back(OpWorkload::getElementwise(m, 4096, 2, 1, 0, 4));
  }
  double hybridSeconds = fastestOf(3, [&] {
    for (int64_t i = 0; i < kOpQueries; ++i)
      checksum += (*hybrid)
                      ->estimate(learned[i % learned.size()], *target, loc)
                      ->latencyUs;
  });

  // Pass overhead against parse-and-print, as tilecast-opt does it.
  std::string source = makeModule(numOps);
  auto parsePrint = [&](bool cost) {
    OwningOpRef<ModuleOp> module =
        parseSourceString<ModuleOp>(source, &context);
    if (cost) {
      PassManager pm(&context);
      pm.addPass(createTilecastAnnotateTargetPass({"h100-sxm"}));
      pm.addPass(createTilecastEstimateCostPass());
      if (failed(pm.run(*module)))
        llvm::report_fatal_error("costing the generated module failed");
    }
    std::string printed;
    llvm::raw_string_ostream out(printed);
    module->print(out);
    checksum += printed.size();
  };
  // Alternate the two so that neither profits from a warmer context.
  double parseSeconds = std::numeric_limits<double>::infinity();
  double costSeconds = parseSeconds;
  for (int i = 0; i < 3; ++i) {
    parseSeconds =
        std::min(parseSeconds, fastestOf(1, [&] { parsePrint(false); }));
    costSeconds =
        std::min(costSeconds, fastestOf(1, [&] { parsePrint(true); }));
  }

  os << "tilecast-bench speed (one thread, fastest of 3 runs)\n";
  os << llvm::format("tile queries (analytical, h100-sxm):  %10.0f /s\n",
                     kTileQueries / tileSeconds);
  os << llvm::format("op estimates (analytical, h100-sxm):  %10.0f /s\n",
                     kOpQueries / opSeconds);
  os << llvm::format("op estimates (hybrid, h100-sxm):      %10.0f /s\n",
                     kOpQueries / hybridSeconds);
  os << llvm::format("module of %lld ops: parse+print %.3f s, "
                     "parse+annotate+cost+print %.3f s\n",
                     (long long)numOps.getValue(), parseSeconds, costSeconds);
  os << llvm::format("costing overhead ratio: %.3f (budget 1.50)\n",
                     costSeconds / parseSeconds);
  os << llvm::format("GPT-3 2.7B training step (import, cost, compose): "
                     "%.3f s, peak RSS %.0f MiB (budget 2 s, 1024 MiB); "
                     "predicted %.1f ms on a100-pcie-80gb\n",
                     *wholeModelSeconds, peakMiB, wholeModelUs / 1000.0);
  os << llvm::format("GPT-3 2.7B training step, flat (layers unrolled and "
                     "inlined, %lld ops, %.1f MiB of text; parse, cost, "
                     "compose): %.3f s (budget 2 s); predicted %.1f ms\n",
                     (long long)flatOps, flatText->size() / 1048576.0,
                     *flatModelSeconds, flatModelUs / 1000.0);
  // Keeps the timed work observable so it cannot be optimised away.
  if (checksum < 0)
    os << checksum;
  return 0;
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  parseToolCommandLine(argc, argv, "TileCast benchmarks\n");
  DialectRegistry registry;
  registerTilecastDialects(registry);
  // The speed benchmark inlines the layers of a whole model.
  func::registerInlinerExtension(registry);
  MLIRContext context(registry);
  context.loadAllAvailableDialects();
  ToolDiagnosticHandler diagnostics(&context);
  // Counts from 1 to a bound far above any useful run, so that a typo
  // cannot start one that never finishes.
  auto inRange = [](int64_t value, StringRef option, int64_t most) {
    if (value >= 1 && value <= most)
      return true;
    llvm::errs() << "tilecast-bench: --" << option << " must be from 1 to "
                 << most << ", got " << value << "\n";
    return false;
  };
  constexpr int64_t kMaxRuns = 1000;
  if (accuracyCommand)
    return runAccuracy(context);
  if (speedCommand) {
    // The module is generated, parsed and costed in memory; a million ops
    // (fifty times the default) keeps that within a few GB.
    constexpr int64_t kMaxSpeedOps = 1000000;
    return inRange(numOps, "ops", kMaxSpeedOps) ? runSpeed(context) : 1;
  }
  if (fusionCommand)
    return inRange(fusionRuns, "runs", kMaxRuns) &&
                   inRange(fusionCases, "cases", kNumFusionCases)
               ? runFusionBench(fusionTarget, fusionCases, fusionRuns)
               : 1;
  if (calibrationCommand)
    return inRange(calibrationDraws, "draws", kMaxRuns)
               ? runCalibrationBench(context, calibrationDataDir,
                                     calibrationDraws)
               : 1;
  if (e2eCommand) {
    E2EOptions options;
    options.neusightDir = e2eDataDir;
    options.modelName = e2eModel;
    options.modelFile = e2eModelFile;
    options.filter = e2eFilter;
    options.overlapLaunches = e2eOverlapLaunches;
    options.measuredGemms = e2eMeasuredGemms;
    return runE2EBench(options);
  }
  if (tilingCommand) {
    if (!inRange(tilingRuns, "runs", kMaxRuns) ||
        !inRange(tilingShapes, "shapes", kMaxRuns) ||
        !inRange(tilingCandidates, "candidates", kMaxRuns))
      return 1;
    // A measurement file fixes what was run: only --target and --verbose
    // apply to it.
    if (!tilingMeasurements.empty()) {
      const cl::Option *const runOptions[] = {
          &tilingSuite,  &tilingShapes,  &tilingCandidates, &tilingRuns,
          &tilingVectorize, &tilingThreads, &tilingDumpFile};
      for (const cl::Option *option : runOptions) {
        if (option->getNumOccurrences() == 0)
          continue;
        llvm::errs() << "tilecast-bench: --" << option->ArgStr
                     << " does not apply to --measurements, which ranks the "
                        "tilings a file records\n";
        return 1;
      }
    }
    TilingOptions options;
    options.targetId = tilingTarget;
    options.suite = tilingSuite;
    options.maxShapes = tilingShapes;
    options.candidatesPerShape = tilingCandidates;
    options.runs = tilingRuns;
    options.vectorize = tilingVectorize;
    options.threads = tilingThreads;
    options.verbose = tilingVerbose;
    options.dumpFile = tilingDumpFile;
    options.measurementFiles.assign(tilingMeasurements.begin(),
                                    tilingMeasurements.end());
    return runTilingBench(options);
  }
  llvm::errs() << "tilecast-bench: give a subcommand: accuracy, calibration, "
                  "e2e, fusion, "
                  "speed or tiling "
                  "(--help lists their options)\n";
  return 1;
}
