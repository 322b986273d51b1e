//===- TilingBench.cpp - Tile choices measured on the host CPU ------------===//
//
// For a suite of matmul, batched-matmul or convolution shapes, costs every
// legal tiling on the host target, JIT-compiles a sample of them through MLIR's
// ExecutionEngine (tilecast-select-tile-sizes{apply=true} with the tiling
// given as a #tilecast.tile_decision, then one-shot bufferization and the
// standard lowering to LLVM), times each (fastest of repeated runs taken in
// turns), and reports per shape the Kendall rank correlation between predicted
// and measured times and the regret of the model's pick against the measured
// best, plus the pick against the untiled lowering. By default the tiles of
// the parallel loops run on one thread per core of the target (parallel=true:
// an scf.forall, run by MLIR's async runtime) and the model costs all of
// them; --threads=1 runs and costs one core.
//
//===----------------------------------------------------------------------===//

#include "TilingBench.h"
#include "JitRunner.h"
#include "Statistics.h"

#include "passes/Passes.h"
#include "tilecast/Cost/AnalyticalModel.h"
#include "tilecast/Cost/KernelGroup.h"
#include "tilecast/Cost/TileSelection.h"
#include "tilecast/Cost/WorkloadOpInterface.h"
#include "tilecast/Support/ToolDiagnostics.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <chrono>
#include <cmath>

using namespace mlir;
using namespace mlir::tilecast;

namespace {
/// A (batch) matmul, C[batch, m, n] = A[batch, m, k] B[batch, k, n]; or,
/// with `conv`, a 3x3 stride-1 convolution (linalg.conv_2d_nhwc_hwcf) of
/// `batch` images of (m + 2) x (m + 2) pixels and k channels into an m x m
/// output of n channels.
struct Shape {
  int64_t batch, m, n, k;
  bool conv = false;
};

/// The filter of the convolution shapes.
constexpr int64_t kConvFilterSize = 3;

struct Measured {
  SmallVector<int64_t> tile;
  double predictedUs;
  double measuredUs;
};
} // namespace

// The default suite: 20 matmul and batched-matmul shapes, small enough to
// time in seconds; every operand fits this machine's L2 or L3. The large
// suite's operands exceed L2 (1 MiB per Zen 4 core).
static constexpr Shape kDefaultShapes[] = {
    {1, 128, 128, 128}, {1, 256, 256, 256}, {1, 384, 384, 384},
    {1, 512, 512, 128}, {1, 128, 512, 512}, {1, 512, 128, 512},
    {1, 256, 1024, 64}, {1, 1024, 256, 64}, {1, 64, 1024, 256},
    {1, 192, 768, 192}, {1, 768, 192, 192}, {1, 320, 320, 320},
    {1, 256, 512, 256}, {1, 512, 256, 256}, {4, 128, 128, 64},
    {4, 256, 128, 64},  {8, 128, 64, 128},  {2, 256, 256, 128},
    {12, 128, 128, 64}, {4, 64, 256, 256}};
static constexpr Shape kLargeShapes[] = {{1, 1024, 1024, 1024},
                                         {1, 256, 2048, 512},
                                         {1, 2048, 512, 256},
                                         {1, 512, 512, 2048},
                                         {4, 512, 512, 512}};
// Shapes picked after the CPU GEMM model's register-traffic terms were
// designed from the default and large suites' measurements, and never used
// to shape them: a check that those terms are not tuned to the suites.
static constexpr Shape kHeldOutShapes[] = {
    {1, 96, 640, 384},   {1, 640, 96, 384},   {1, 448, 448, 192},
    {3, 192, 256, 320},  {1, 1536, 384, 128}, {6, 128, 256, 96},
    {1, 768, 1536, 256}, {2, 1024, 128, 512}};
// 3x3 convolutions of about 75 MFLOP each, as {N, H (= W), F, C}.
static constexpr Shape kConvShapes[] = {
    {1, 32, 64, 64, true},  {1, 16, 128, 128, true}, {1, 64, 32, 32, true},
    {2, 16, 128, 64, true}, {1, 32, 128, 32, true},  {4, 16, 64, 64, true}};

/// The shapes of the suite called `suite`, or nullopt for an unknown name.
static std::optional<ArrayRef<Shape>> getSuiteShapes(StringRef suite) {
  return llvm::StringSwitch<std::optional<ArrayRef<Shape>>>(suite)
      .Case("default", ArrayRef(kDefaultShapes))
      .Case("large", ArrayRef(kLargeShapes))
      .Case("heldout", ArrayRef(kHeldOutShapes))
      .Case("conv", ArrayRef(kConvShapes))
      .Default(std::nullopt);
}

/// The tile decision attribute that has tilecast-select-tile-sizes{apply=true}
/// tile an op with `tile`.
static void printTileDecision(raw_ostream &os, ArrayRef<int64_t> tile) {
  os << "tilecast.tile_decision = #tilecast.tile_decision<tile = [";
  llvm::interleaveComma(tile, os);
  os << "], latency_us = 0.0, runner_up = [], runner_up_latency_us = 0.0, "
        "candidates = 1, model = \"bench\">";
}

/// `%result = linalg.fill` of ones into `%empty` of `type`: an input of the
/// op under test, left whole (its decision tiles nothing) so that every
/// tiling of a shape, and the untiled lowering, sets its inputs up alike.
static void printInputFill(raw_ostream &os, StringRef result, StringRef empty,
                           StringRef type, int64_t rank) {
  os << "  %" << result << " = linalg.fill {";
  printTileDecision(os, SmallVector<int64_t>(rank, 0));
  os << "} ins(%one : f32) outs(%" << empty << " : " << type << ") -> " << type
     << "\n";
}

/// The @bench module of a convolution shape; `tile` has one size per loop
/// (n, oh, ow, f, kh, kw, c).
static std::string makeConvBenchModule(const Shape &s, ArrayRef<int64_t> tile) {
  std::string text;
  llvm::raw_string_ostream os(text);
  int64_t in = s.m + kConvFilterSize - 1;
  auto type = [](ArrayRef<int64_t> dims) {
    std::string t = "tensor<";
    for (int64_t dim : dims)
      t += std::to_string(dim) + "x";
    return t + "f32>";
  };
  std::string image = type({s.batch, in, in, s.k});
  std::string filter = type({kConvFilterSize, kConvFilterSize, s.k, s.n});
  std::string out = type({s.batch, s.m, s.m, s.n});
  os << "func.func @bench() -> f32 attributes {llvm.emit_c_interface} {\n"
     << "  %one = arith.constant 1.0 : f32\n  %zero = arith.constant 0.0 : "
        "f32\n"
     << "  %c0 = arith.constant 0 : index\n"
     << "  %ei = tensor.empty() : " << image << "\n"
     << "  %ef = tensor.empty() : " << filter << "\n"
     << "  %eo = tensor.empty() : " << out << "\n";
  printInputFill(os, "i", "ei", image, 4);
  printInputFill(os, "f", "ef", filter, 4);
  os << "  %acc = linalg.fill ins(%zero : f32) outs(%eo : " << out << ") -> "
     << out
     << "\n  %r = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : "
        "tensor<2xi64>, strides = dense<1> : tensor<2xi64>, ";
  printTileDecision(os, tile);
  os << "} ins(%i, %f : " << image << ", " << filter << ") outs(%acc : " << out
     << ") -> " << out
     << "\n  %v = tensor.extract %r[%c0, %c0, %c0, %c0] : " << out
     << "\n  return %v : f32\n}\n";
  return text;
}

/// A module whose @bench fills the inputs, runs the (batch) matmul or the
/// convolution with the tiling `tile` and returns one element of the result.
static std::string makeBenchModule(const Shape &s, ArrayRef<int64_t> tile) {
  if (s.conv)
    return makeConvBenchModule(s, tile);
  std::string text;
  llvm::raw_string_ostream os(text);
  bool batched = s.batch > 1;
  auto type = [&](int64_t rows, int64_t cols) {
    std::string t = "tensor<";
    if (batched)
      t += std::to_string(s.batch) + "x";
    return t + std::to_string(rows) + "x" + std::to_string(cols) + "xf32>";
  };
  std::string a = type(s.m, s.k), b = type(s.k, s.n), c = type(s.m, s.n);
  os << "func.func @bench() -> f32 attributes {llvm.emit_c_interface} {\n"
     << "  %one = arith.constant 1.0 : f32\n  %zero = arith.constant 0.0 : "
        "f32\n"
     << "  %c0 = arith.constant 0 : index\n"
     << "  %ea = tensor.empty() : " << a << "\n"
     << "  %eb = tensor.empty() : " << b << "\n"
     << "  %ec = tensor.empty() : " << c << "\n";
  printInputFill(os, "a", "ea", a, batched ? 3 : 2);
  printInputFill(os, "b", "eb", b, batched ? 3 : 2);
  os << "  %acc = linalg.fill ins(%zero : f32) outs(%ec : " << c << ") -> " << c
     << "\n  %r = linalg." << (batched ? "batch_matmul" : "matmul") << " {";
  // The workload's loops are (batch, m, n, k); linalg.matmul has no batch.
  printTileDecision(os, batched ? tile : tile.drop_front());
  os << "} ins(%a, %b : " << a << ", " << b << ") outs(%acc : " << c << ") -> "
     << c << "\n"
     << "  %v = tensor.extract %r[%c0, %c0" << (batched ? ", %c0" : "")
     << "] : " << c << "\n  return %v : f32\n}\n";
  return text;
}

/// The workload of `shape`: a matmul's built directly, a convolution's as
/// the cost library extracts it from the bench module's IR.
static FailureOr<OpWorkload> getShapeWorkload(const Shape &shape,
                                              MLIRContext &context) {
  if (!shape.conv)
    return OpWorkload::getMatmul(shape.batch, shape.m, shape.n, shape.k,
                                 PeakKind::F32, 4);
  // Loops n, oh, ow, f, kh, kw, c, all whole.
  SmallVector<int64_t> whole(7, 0);
  OwningOpRef<ModuleOp> module =
      parseSourceString<ModuleOp>(makeBenchModule(shape, whole), &context);
  FailureOr<OpWorkload> conv = failure();
  if (module)
    module->walk(
        [&](linalg::Conv2DNhwcHwcfOp op) { conv = getKernelWorkload(op); });
  return conv;
}

/// Applies the tiling the module's #tilecast.tile_decision records
/// (tilecast-select-tile-sizes{apply=true}, with parallel=true when the code
/// runs on several threads), then JIT-compiles @bench.
static FailureOr<std::unique_ptr<ExecutionEngine>>
compile(MLIRContext &context, StringRef source, StringRef targetId,
        bool vectorize, int threads, int64_t minTaskSize) {
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(source, &context);
  if (!module)
    return failure();
  PassManager pm(&context);
  pm.addPass(createTilecastAnnotateTargetPass({targetId.str()}));
  TilecastSelectTileSizesPassOptions apply;
  apply.apply = true;
  apply.parallel = threads > 1;
  pm.addPass(createTilecastSelectTileSizesPass(apply));
  if (failed(pm.run(*module)) ||
      (vectorize && failed(bench::vectorizeContractions(*module))))
    return failure();
  return bench::compileBenchModule(*module, threads, minTaskSize);
}

/// The tiles of `tile` along the parallel loops of `w`: the iterations of
/// the scf.forall that tilecast-select-tile-sizes{parallel=true} builds.
static int64_t getParallelTiles(const OpWorkload &w, ArrayRef<int64_t> tile) {
  int64_t tiles = 1;
  for (auto [size, extent, role] :
       llvm::zip_equal(w.loopSizes, tile, w.loopRoles))
    if (role != LoopRole::K && role != LoopRole::Reduction && extent > 0)
      tiles *= (size + extent - 1) / extent;
  return tiles;
}

/// Kendall's tau-b between two rankings.
static double kendallTau(ArrayRef<double> x, ArrayRef<double> y) {
  double concordant = 0, discordant = 0, tiesX = 0, tiesY = 0;
  for (size_t i = 0; i < x.size(); ++i)
    for (size_t j = i + 1; j < x.size(); ++j) {
      double dx = x[i] - x[j], dy = y[i] - y[j];
      if (dx == 0 && dy == 0)
        continue;
      if (dx == 0)
        ++tiesX;
      else if (dy == 0)
        ++tiesY;
      else if ((dx > 0) == (dy > 0))
        ++concordant;
      else
        ++discordant;
    }
  double n0 = concordant + discordant;
  double denominator = std::sqrt((n0 + tiesX) * (n0 + tiesY));
  return denominator > 0 ? (concordant - discordant) / denominator : 0.0;
}

int tilecast::bench::runTilingBench(StringRef targetId, int64_t maxShapes,
                                    int64_t candidatesPerShape, int runs,
                                    bool vectorize, int threads, bool verbose,
                                    StringRef suite) {
  std::optional<ArrayRef<Shape>> suiteShapes = getSuiteShapes(suite);
  if (!suiteShapes) {
    llvm::errs() << "tilecast-bench: --suite must be 'default', 'large', "
                    "'heldout' or 'conv', not '"
                 << suite << "'\n";
    return 1;
  }
  std::unique_ptr<MLIRContext> jitContext = bench::createJitContext();
  MLIRContext &context = *jitContext;

  ToolDiagnosticHandler diagnostics(&context);

  FailureOr<TargetSpec> spec =
      lookupTarget(targetId, UnknownLoc::get(&context));
  if (failed(spec))
    return 1;
  if (spec->isGpu()) {
    llvm::errs() << "tilecast-bench: tiling runs on the host CPU; '" << targetId
                 << "' is a GPU\n";
    return 1;
  }
  if (threads == 0)
    threads = spec->computeUnits;
  if (threads < 1 || threads > spec->computeUnits) {
    llvm::errs() << "tilecast-bench: --threads must be 1 to the target's "
                 << spec->computeUnits << " cores (0 = all of them), not "
                 << threads << "\n";
    return 1;
  }
  TargetSpec target = bench::getCores(*spec, threads);
  AnalyticalModel model;
  Location loc = UnknownLoc::get(&context);

  // `host` may name a calibrated spec (TILECAST_HOST_SPEC): say which.
  std::string specNote =
      spec->id == targetId ? "" : " (spec " + spec->id + ")";
  llvm::outs() << "tilecast-bench tiling: " << suite << " suite, target "
               << targetId << specNote << ", JIT on this machine, "
               << (vectorize ? "vectorised 8x8x8 register tiles"
                             : "scalar loops")
               << ", "
               << (threads == 1 ? std::string("one thread")
                                : std::to_string(threads) +
                                      " threads (scf.forall over the tiles)")
               << ", fastest of " << runs << " runs taken in turns\n";
  llvm::outs() << llvm::format("%-22s %6s %9s %11s %11s %11s %8s %8s\n",
                               "shape", "cands", "tau", "pick_us", "best_us",
                               "untiled_us", "regret%", "speedup");
  std::vector<double> taus, regrets;
  int64_t fasterThanUntiled = 0, pickedUntiled = 0, shapes = 0;
  for (const Shape &shape : *suiteShapes) {
    if (shapes == maxShapes)
      break;
    FailureOr<OpWorkload> workload = getShapeWorkload(shape, context);
    if (failed(workload)) {
      llvm::errs() << "tilecast-bench: the convolution has no workload\n";
      return 1;
    }
    const OpWorkload &w = *workload;
    // Every legal tiling, ranked as tilecast-select-tile-sizes ranks them.
    FailureOr<SmallVector<TileCostEstimate>> estimates =
        rankTileSizes(w, target, model, loc);
    if (failed(estimates) || estimates->empty()) {
      llvm::errs() << "tilecast-bench: no tiling of a matmul was costed\n";
      return 1;
    }
    // Measure an evenly spread sample of the ranking (the pick included).
    int64_t ranked = estimates->size();
    std::vector<Measured> sample;
    int64_t count = std::min<int64_t>(candidatesPerShape, ranked);
    for (int64_t i = 0; i < count; ++i) {
      const TileCostEstimate &estimate =
          (*estimates)[i * (ranked - 1) / std::max<int64_t>(1, count - 1)];
      sample.push_back(
          {llvm::to_vector(estimate.tileSizes), estimate.latencyUs, 0});
    }
    // The untiled lowering is timed with the sample, last, unless the sample
    // has it already (the pick, or any other sampled tiling).
    auto isUntiled = [](const Measured &m) {
      return llvm::all_of(m.tile, [](int64_t size) { return size == 0; });
    };
    auto sampledUntiled = llvm::find_if(sample, isUntiled);
    bool pickIsUntiled = sampledUntiled == sample.begin();
    SmallVector<std::unique_ptr<ExecutionEngine>> engines;
    auto compileTiling = [&](ArrayRef<int64_t> tile) {
      FailureOr<std::unique_ptr<ExecutionEngine>> engine =
          compile(context, makeBenchModule(shape, tile), targetId, vectorize,
                  threads, (getParallelTiles(w, tile) + threads - 1) / threads);
      if (failed(engine)) {
        llvm::errs() << "tilecast-bench: JIT of a tiling failed\n";
        return false;
      }
      engines.push_back(std::move(*engine));
      return true;
    };
    for (const Measured &m : sample)
      if (!compileTiling(m.tile))
        return 1;
    if (sampledUntiled == sample.end() &&
        !compileTiling(SmallVector<int64_t>(w.loopSizes.size(), 0)))
      return 1;
    FailureOr<SmallVector<double>> times = bench::timeInTurns(
        llvm::map_to_vector(engines, [](auto &e) { return e.get(); }), runs);
    if (failed(times)) {
      // The async runtime's threads may still be in the engines' code.
      for (std::unique_ptr<ExecutionEngine> &engine : engines)
        (void)engine.release();
      llvm::errs() << "tilecast-bench: the tilings could not be timed\n";
      return 1;
    }
    for (size_t i = 0; i < sample.size(); ++i)
      sample[i].measuredUs = (*times)[i];
    double untiledUs = sampledUntiled != sample.end()
                           ? sampledUntiled->measuredUs
                           : times->back();

    SmallVector<double> predicted, measured;
    for (const Measured &m : sample) {
      predicted.push_back(m.predictedUs);
      measured.push_back(m.measuredUs);
    }
    // Kendall's tau needs a ranking: none if the model predicts one time for
    // every tiling measured.
    bool ranks = llvm::any_of(
        predicted, [&](double us) { return us != predicted.front(); });
    double tau = ranks ? kendallTau(predicted, measured) : 0.0;
    double best = *std::min_element(measured.begin(), measured.end());
    double pick = sample.front().measuredUs;
    double regret = 100.0 * (pick - best) / best;
    if (ranks)
      taus.push_back(tau);
    regrets.push_back(regret);
    if (pickIsUntiled)
      ++pickedUntiled;
    else
      fasterThanUntiled += pick < untiledUs;
    ++shapes;
    std::string name =
        shape.conv
            ? "conv" + std::to_string(shape.batch) + "x" +
                  std::to_string(shape.m) + "x" + std::to_string(shape.m) +
                  "x" + std::to_string(shape.k) + ">" + std::to_string(shape.n)
            : std::to_string(shape.batch) + "x" + std::to_string(shape.m) +
                  "x" + std::to_string(shape.n) + "x" + std::to_string(shape.k);
    std::string tauText = ranks ? llvm::formatv("{0:F3}", tau).str() : "-";
    std::string untiledText =
        pickIsUntiled ? "(pick)" : llvm::formatv("{0:F1}", untiledUs).str();
    llvm::outs() << llvm::format(
        "%-22s %6lld %9s %11.1f %11.1f %11s %8.1f %8.2f\n", name.c_str(),
        (long long)ranked, tauText.c_str(), pick, best, untiledText.c_str(),
        regret, untiledUs / pick);
    if (verbose)
      for (const Measured &m : sample) {
        std::string tile;
        llvm::raw_string_ostream os(tile);
        llvm::interleave(m.tile, os, "x");
        llvm::outs() << llvm::format("  tile %-18s predicted_us %11.1f "
                                     "measured_us %11.1f\n",
                                     tile.c_str(), m.predictedUs, m.measuredUs);
      }
  }
  llvm::outs() << llvm::format("\nshapes %lld: median regret %.1f%%; ",
                               (long long)shapes, quantile(regrets, 0.5));
  if (taus.empty()) {
    llvm::outs() << "no shape ranked (one predicted time for every tiling)";
  } else {
    double meanTau = 0;
    for (double tau : taus)
      meanTau += tau / taus.size();
    llvm::outs() << llvm::format("mean Kendall tau %.3f over the %lld shapes "
                                 "ranked",
                                 meanTau, (long long)taus.size());
  }
  llvm::outs() << llvm::format("; the pick is the untiled lowering on %lld, "
                               "faster than it on %lld of the other %lld\n",
                               (long long)pickedUntiled,
                               (long long)fasterThanUntiled,
                               (long long)(shapes - pickedUntiled));
  return 0;
}
