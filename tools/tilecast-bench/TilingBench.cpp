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
// them; --threads=1 runs and costs one core. --dump writes every timed
// tiling to a measurement file; --measurements ranks the tilings of such
// files with the current model instead of running anything.
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
#include "tilecast/Support/InputFile.h"
#include "tilecast/Support/Number.h"
#include "tilecast/Support/OutputFile.h"
#include "tilecast/Support/ToolDiagnostics.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/ToolOutputFile.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <optional>

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
  /// False for the untiled lowering when it is timed only as the baseline,
  /// outside the ranked sample.
  bool inSample = true;
  /// The fastest of the odd and of the even rounds of runs (TurnTimes); 0
  /// when not measured.
  double oddRoundsUs = 0, evenRoundsUs = 0;
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

// Products whose N puts the rows of B and C a multiple of 2 KiB apart (512,
// 1024, 1536, 2048 f32), next to the same shapes padded off it (528, 1040)
// and to strides that spread rows over 4 L1 sets or more (768, 1280): the
// check of the B-column conflict term of the CPU model (docs/tiling.md,
// "Row strides of a multiple of 2 KiB"). Their first 4 shapes showed the
// effect; the other 6 were measured after the term was written.
static constexpr Shape kStrideShapes[] = {
    {1, 256, 1024, 64}, {1, 256, 1040, 64},  {1, 512, 512, 128},
    {1, 512, 528, 128}, {1, 128, 2048, 128}, {1, 384, 1536, 96},
    {2, 256, 512, 192}, {1, 256, 1280, 128}, {1, 320, 768, 256},
    {1, 192, 1024, 320}};

// Batched products only, picked after the default and held-out suites'
// measurements showed tiles that hold every matrix of a batch to be the
// slowest group of tilings on every batched shape: to check a term for
// it. The first six were measured once before (a sample of 8 tilings
// each, docs/tiling.md, "Ties"); the last two are new.
static constexpr Shape kBatchedShapes[] = {
    {2, 192, 256, 128}, {8, 64, 128, 128}, {3, 256, 128, 96},
    {6, 64, 256, 128},  {16, 64, 64, 64},  {2, 128, 384, 192},
    {4, 192, 192, 64},  {3, 128, 320, 128}};

/// The shapes of the suite called `suite`, or nullopt for an unknown name.
static std::optional<ArrayRef<Shape>> getSuiteShapes(StringRef suite) {
  return llvm::StringSwitch<std::optional<ArrayRef<Shape>>>(suite)
      .Case("default", ArrayRef(kDefaultShapes))
      .Case("large", ArrayRef(kLargeShapes))
      .Case("heldout", ArrayRef(kHeldOutShapes))
      .Case("conv", ArrayRef(kConvShapes))
      .Case("strides", ArrayRef(kStrideShapes))
      .Case("batched", ArrayRef(kBatchedShapes))
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
  bench::printBenchFunctionStart(os);
  os << "  %one = arith.constant 1.0 : f32\n  %zero = arith.constant 0.0 : "
        "f32\n"
     << "  %c0 = arith.constant 0 : index\n"
     << "  %ei = tensor.empty() : " << image << "\n"
     << "  %ef = tensor.empty() : " << filter << "\n"
     << "  %eo = tensor.empty() : " << out << "\n";
  printInputFill(os, "i", "ei", image, 4);
  printInputFill(os, "f", "ef", filter, 4);
  os << "  %acc = linalg.fill ins(%zero : f32) outs(%eo : " << out << ") -> "
     << out << "\n";
  bench::printStartClock(os);
  os << "  %r = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : "
        "tensor<2xi64>, strides = dense<1> : tensor<2xi64>, ";
  printTileDecision(os, tile);
  os << "} ins(%i, %f : " << image << ", " << filter << ") outs(%acc : " << out
     << ") -> " << out
     << "\n  %v = tensor.extract %r[%c0, %c0, %c0, %c0] : " << out << "\n";
  bench::printStopClockAndReturn(os, "%v");
  return text;
}

/// A module whose @bench fills the inputs, then runs the (batch) matmul or
/// the convolution with the tiling `tile`, and returns how long that took in
/// microseconds (the inputs' set-up, alike for every tiling, is not timed).
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
  bench::printBenchFunctionStart(os);
  os << "  %one = arith.constant 1.0 : f32\n  %zero = arith.constant 0.0 : "
        "f32\n"
     << "  %c0 = arith.constant 0 : index\n"
     << "  %ea = tensor.empty() : " << a << "\n"
     << "  %eb = tensor.empty() : " << b << "\n"
     << "  %ec = tensor.empty() : " << c << "\n";
  printInputFill(os, "a", "ea", a, batched ? 3 : 2);
  printInputFill(os, "b", "eb", b, batched ? 3 : 2);
  os << "  %acc = linalg.fill ins(%zero : f32) outs(%ec : " << c << ") -> " << c
     << "\n";
  bench::printStartClock(os);
  os << "  %r = linalg." << (batched ? "batch_matmul" : "matmul") << " {";
  // The workload's loops are (batch, m, n, k); linalg.matmul has no batch.
  printTileDecision(os, batched ? tile : tile.drop_front());
  os << "} ins(%a, %b : " << a << ", " << b << ") outs(%acc : " << c << ") -> "
     << c << "\n"
     << "  %v = tensor.extract %r[%c0, %c0" << (batched ? ", %c0" : "")
     << "] : " << c << "\n";
  bench::printStopClockAndReturn(os, "%v");
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

/// "8x64x0": a tiling as the reports and the measurement files write it.
static std::string formatTile(ArrayRef<int64_t> tile) {
  std::string text;
  llvm::raw_string_ostream os(text);
  llvm::interleave(tile, os, "x");
  return text;
}

/// The name of `shape` in the reports: "1x128x128x128" (batch, m, n, k) or
/// "conv1x32x32x64>64" (batch, output height and width, input > output
/// channels).
static std::string getShapeName(const Shape &shape) {
  if (shape.conv)
    return llvm::formatv("conv{0}x{1}x{1}x{2}>{3}", shape.batch, shape.m,
                         shape.k, shape.n)
        .str();
  return llvm::formatv("{0}x{1}x{2}x{3}", shape.batch, shape.m, shape.n,
                       shape.k)
      .str();
}

namespace {
/// The per-shape rows of the report and a suite's summary line.
class SuiteReport {
public:
  SuiteReport(raw_ostream &os, bool verbose) : os(os), verbose(verbose) {}

  static void printHeader(raw_ostream &os) {
    os << llvm::format("%-22s %6s %9s %11s %11s %11s %8s %8s %10s\n", "shape",
                       "cands", "tau", "pick_us", "best_us", "untiled_us",
                       "regret%", "speedup", "tau_halves");
  }

  /// Reports one shape: `sample` holds the measured tilings, the model's
  /// pick first; `ranked` is how many tilings the model ranked.
  void addShape(const Shape &shape, int64_t ranked, ArrayRef<Measured> sample,
                double untiledUs) {
    SmallVector<double> predicted, measured;
    for (const Measured &m : sample) {
      predicted.push_back(m.predictedUs);
      measured.push_back(m.measuredUs);
    }
    // Kendall's tau needs a ranking: none if the model predicts one time for
    // every tiling measured (or there is one).
    bool ranks = llvm::any_of(
        predicted, [&](double us) { return us != predicted.front(); });
    double tau = ranks ? kendallTau(predicted, measured) : 0.0;
    std::optional<double> halvesTau = getHalvesTau(sample);
    double best = *std::min_element(measured.begin(), measured.end());
    double pick = sample.front().measuredUs;
    double regret = 100.0 * (pick - best) / best;
    bool pickIsUntiled = isUntiled(sample.front().tile);
    if (ranks)
      taus.push_back(tau);
    if (halvesTau)
      halvesTaus.push_back(*halvesTau);
    regrets.push_back(regret);
    if (pickIsUntiled)
      ++pickedUntiled;
    else
      fasterThanUntiled += pick < untiledUs;
    ++shapes;
    std::string tauText = ranks ? llvm::formatv("{0:F3}", tau).str() : "-";
    std::string halvesText =
        halvesTau ? llvm::formatv("{0:F3}", *halvesTau).str() : "-";
    std::string untiledText =
        pickIsUntiled ? "(pick)" : llvm::formatv("{0:F1}", untiledUs).str();
    os << llvm::format("%-22s %6lld %9s %11.1f %11.1f %11s %8.1f %8.2f %10s\n",
                       getShapeName(shape).c_str(), (long long)ranked,
                       tauText.c_str(), pick, best, untiledText.c_str(), regret,
                       untiledUs / pick, halvesText.c_str());
    if (verbose)
      for (const Measured &m : sample)
        os << llvm::format("  tile %-18s predicted_us %11.1f "
                           "measured_us %11.1f\n",
                           formatTile(m.tile).c_str(), m.predictedUs,
                           m.measuredUs);
  }

  /// "shapes 20: median regret ...", after `prefix`.
  void printSummary(StringRef prefix) const {
    os << prefix
       << llvm::format("shapes %lld: median regret %.1f%%; ", (long long)shapes,
                       bench::quantile(regrets, 0.5));
    if (taus.empty())
      os << "no shape ranked (fewer than two distinct predicted times)";
    else
      os << llvm::format("mean Kendall tau %.3f over the %lld shapes ranked",
                         bench::getMean(taus), (long long)taus.size());
    if (!halvesTaus.empty())
      os << llvm::format(" (%.3f between the two halves of the runs, over "
                         "%lld shapes)",
                         bench::getMean(halvesTaus),
                         (long long)halvesTaus.size());
    os << llvm::format("; the pick is the untiled lowering on %lld, faster "
                       "than it on %lld of the other %lld\n",
                       (long long)pickedUntiled, (long long)fasterThanUntiled,
                       (long long)(shapes - pickedUntiled));
  }

private:
  /// How well the measurement repeats: Kendall's tau between the fastest
  /// runs of the odd rounds and those of the even rounds; none unless every
  /// tiling has both.
  static std::optional<double> getHalvesTau(ArrayRef<Measured> sample) {
    SmallVector<double> odd, even;
    for (const Measured &m : sample) {
      if (m.oddRoundsUs <= 0 || m.evenRoundsUs <= 0)
        return std::nullopt;
      odd.push_back(m.oddRoundsUs);
      even.push_back(m.evenRoundsUs);
    }
    if (sample.size() < 2)
      return std::nullopt;
    return kendallTau(odd, even);
  }

  raw_ostream &os;
  bool verbose;
  std::vector<double> taus, regrets, halvesTaus;
  int64_t fasterThanUntiled = 0, pickedUntiled = 0, shapes = 0;
};
} // namespace

//===----------------------------------------------------------------------===//
// Measurement files
//===----------------------------------------------------------------------===//

/// The columns of a measurement file (tilecast-bench tiling --dump), one row
/// per timed tiling, in the order of kDumpHeader.
enum Column : unsigned {
  kSuite,
  kBatch,
  kM,
  kN,
  kK,
  kConv,
  kThreads,
  kTile,
  kInSample,
  kPredictedUs,
  kMeasuredUs,
  kOddRoundsUs,
  kEvenRoundsUs,
  kNumColumns
};
/// `in_sample` is 0 for the untiled lowering when it was timed only as the
/// baseline, outside the ranked sample; `predicted_us` is the model's time
/// when it was measured (rescoring recomputes it); `odd_rounds_us` and
/// `even_rounds_us` are 0 when not measured (fewer than two runs).
static constexpr StringLiteral kDumpHeader =
    "suite,batch,m,n,k,conv,threads,tile,in_sample,predicted_us,measured_us,"
    "odd_rounds_us,even_rounds_us";

/// Largest batch, m, n, k or tile size of a measurement file, as for the
/// dimensions of a model configuration (lib/Import/ModelConfig.cpp).
static constexpr int64_t kMaxShapeDimension = int64_t(1) << 24;
/// Most FLOPs of a measured shape: the workload counts them in int64_t.
static constexpr double kMaxShapeFlops = 0x1p62;

/// The shortest decimal text that reads back as `value` exactly, so that a
/// measurement file ranks and reports as the run that wrote it.
static std::string formatExactly(double value) {
  char text[32];
  std::to_chars_result result =
      std::to_chars(std::begin(text), std::end(text), value);
  assert(result.ec == std::errc() && "32 characters hold any double");
  return std::string(text, result.ptr);
}

/// Writes `m`, a tiling of `shape` timed on `threads` threads, as one row of
/// a measurement file.
static void writeDumpRow(raw_ostream &os, StringRef suite, const Shape &shape,
                         int threads, const Measured &m) {
  os << llvm::formatv("{0},{1},{2},{3},{4},{5},{6},{7},{8},{9},{10},{11},{12}"
                      "\n",
                      suite, shape.batch, shape.m, shape.n, shape.k,
                      shape.conv ? 1 : 0, threads, formatTile(m.tile),
                      m.inSample ? 1 : 0, formatExactly(m.predictedUs),
                      formatExactly(m.measuredUs), formatExactly(m.oddRoundsUs),
                      formatExactly(m.evenRoundsUs));
}

namespace {
/// The tilings of one shape in the measurement files.
struct MeasuredShape {
  /// Points into the file's buffer.
  StringRef suite;
  Shape shape;
  int threads;
  std::vector<Measured> tilings;
  /// Where each tiling's row is.
  SmallVector<Location> rows;
};

/// One row's fields, read with errors that name the column.
class RowReader {
public:
  RowReader(ArrayRef<StringRef> fields, Location loc)
      : fields(fields), loc(loc) {}

  FailureOr<int64_t> getInteger(Column column, int64_t min, int64_t max) {
    int64_t value;
    if (fields[column].getAsInteger(10, value) || value < min || value > max)
      return emitColumnError(column)
             << "expected an integer from " << min << " to " << max;
    return value;
  }

  /// A time in microseconds: finite, and positive unless `zeroAllowed`.
  FailureOr<double> getTime(Column column, bool zeroAllowed) {
    std::optional<double> parsed = parseDecimal(fields[column]);
    double us = parsed.value_or(-1);
    if (us < 0 || (us == 0 && !zeroAllowed))
      return emitColumnError(column)
             << "expected a " << (zeroAllowed ? "" : "positive ")
             << "time in microseconds"
             << (zeroAllowed ? " (0: not measured)" : "");
    return us;
  }

  /// Tile sizes written as "0x8x64x0".
  FailureOr<SmallVector<int64_t>> getTile() {
    SmallVector<StringRef> sizes;
    fields[kTile].split(sizes, 'x');
    SmallVector<int64_t> tile;
    for (StringRef size : sizes) {
      int64_t value;
      if (size.getAsInteger(10, value) || value < 0 ||
          value > kMaxShapeDimension)
        return emitColumnError(kTile) << "expected tile sizes such as 0x8x64x0";
      tile.push_back(value);
    }
    return tile;
  }

  InFlightDiagnostic emitColumnError(Column column) {
    SmallVector<StringRef> names;
    StringRef(kDumpHeader).split(names, ',');
    InFlightDiagnostic diag = emitError(loc);
    diag << "column '" << names[column] << "' ('" << fields[column] << "'): ";
    return diag;
  }

private:
  ArrayRef<StringRef> fields;
  Location loc;
};
} // namespace

/// The shapes of measurement files by suite, shape (batch, m, n, k, and 1
/// for a convolution) and threads, in the order first seen.
using MeasuredShapes = llvm::MapVector<
    std::tuple<StringRef, int64_t, int64_t, int64_t, int64_t, int64_t, int>,
    MeasuredShape>;

/// Reads a measurement file written by --dump (its text `text`, read from
/// `path`), adding its rows to `shapes`. Errors name the file and line.
static LogicalResult readMeasurementFile(StringRef path, StringRef text,
                                         int maxThreads, MLIRContext &context,
                                         MeasuredShapes &shapes) {
  StringAttr file = StringAttr::get(&context, path);
  bool sawHeader = false;
  unsigned lineNumber = 0;
  int64_t rows = 0;
  // A UTF-8 byte order mark (a file saved by a spreadsheet) is no text.
  text.consume_front("\xEF\xBB\xBF");
  // Lines end in "\n", "\r\n" or (old Mac files) a lone "\r".
  char lineEnd = text.contains('\n') ? '\n' : '\r';
  for (StringRef rest = text; !rest.empty();) {
    StringRef line;
    std::tie(line, rest) = rest.split(lineEnd);
    ++lineNumber;
    line = line.trim();
    if (line.empty() || line.starts_with("#"))
      continue;
    Location loc = FileLineColLoc::get(file, lineNumber, 1);
    if (!sawHeader) {
      if (line != kDumpHeader)
        return emitError(loc) << "expected the header '" << kDumpHeader
                              << "' of a tilecast-bench tiling --dump file";
      sawHeader = true;
      continue;
    }
    SmallVector<StringRef> fields;
    line.split(fields, ',');
    if (fields.size() != kNumColumns)
      return emitError(loc)
             << "expected " << unsigned(kNumColumns)
             << " comma-separated fields, found " << fields.size();
    RowReader row(fields, loc);
    FailureOr<int64_t> batch = row.getInteger(kBatch, 1, kMaxShapeDimension);
    FailureOr<int64_t> m = row.getInteger(kM, 1, kMaxShapeDimension);
    FailureOr<int64_t> n = row.getInteger(kN, 1, kMaxShapeDimension);
    FailureOr<int64_t> k = row.getInteger(kK, 1, kMaxShapeDimension);
    FailureOr<int64_t> conv = row.getInteger(kConv, 0, 1);
    FailureOr<int64_t> threads = row.getInteger(kThreads, 1, maxThreads);
    FailureOr<SmallVector<int64_t>> tile = row.getTile();
    FailureOr<int64_t> inSample = row.getInteger(kInSample, 0, 1);
    FailureOr<double> predicted = row.getTime(kPredictedUs, true);
    FailureOr<double> measured = row.getTime(kMeasuredUs, false);
    FailureOr<double> odd = row.getTime(kOddRoundsUs, true);
    FailureOr<double> even = row.getTime(kEvenRoundsUs, true);
    if (fields[kSuite].empty())
      return emitError(loc) << "column 'suite' is empty";
    if (failed(batch) || failed(m) || failed(n) || failed(k) || failed(conv) ||
        failed(threads) || failed(tile) || failed(inSample) ||
        failed(predicted) || failed(measured) || failed(odd) || failed(even))
      return failure();
    Measured tiling{std::move(*tile), *predicted, *measured,
                    *inSample == 1,   *odd,       *even};
    if (!tiling.inSample && !isUntiled(tiling.tile))
      return row.emitColumnError(kInSample)
             << "only the untiled lowering is timed outside the ranked "
                "sample";
    Shape shape{*batch, *m, *n, *k, *conv == 1};
    double flops =
        2.0 * shape.batch * shape.m * shape.n * shape.k *
        (shape.conv ? double(shape.m) * kConvFilterSize * kConvFilterSize
                    : 1.0);
    if (flops > kMaxShapeFlops)
      return emitError(loc)
             << getShapeName(shape) << " is too large: " << flops << " FLOPs";
    MeasuredShape &entry =
        shapes
            .try_emplace(
                {fields[kSuite], shape.batch, shape.m, shape.n, shape.k, *conv,
                 static_cast<int>(*threads)},
                MeasuredShape{
                    fields[kSuite], shape, static_cast<int>(*threads), {}, {}})
            .first->second;
    auto same = llvm::find_if(entry.tilings, [&](const Measured &other) {
      return other.tile == tiling.tile;
    });
    if (same != entry.tilings.end()) {
      InFlightDiagnostic diag = row.emitColumnError(kTile)
                                << getShapeName(shape)
                                << " has this tiling already";
      diag.attachNote(entry.rows[same - entry.tilings.begin()])
          << "measured here";
      return diag;
    }
    entry.tilings.push_back(std::move(tiling));
    entry.rows.push_back(loc);
    ++rows;
  }
  if (!sawHeader)
    return emitError(FileLineColLoc::get(file, std::max(lineNumber, 1u), 1))
           << "no header: not a tilecast-bench tiling --dump file";
  if (rows == 0)
    return emitError(FileLineColLoc::get(file, lineNumber, 1))
           << "no measured tiling";
  return success();
}

//===----------------------------------------------------------------------===//
// Running the suites
//===----------------------------------------------------------------------===//

/// The CPU target `targetId` names, or an error.
static FailureOr<TargetSpec> lookUpCpuTarget(StringRef targetId,
                                             MLIRContext &context) {
  FailureOr<TargetSpec> spec =
      lookupTarget(targetId, UnknownLoc::get(&context));
  if (failed(spec))
    return failure();
  if (spec->isGpu()) {
    llvm::errs() << "tilecast-bench: tiling runs on the host CPU; '" << targetId
                 << "' is a GPU\n";
    return failure();
  }
  return spec;
}

/// " (spec host-zen5)" when the target id resolved to a spec of another id
/// (TILECAST_HOST_SPEC, or a spec file given as the target), else "".
static std::string getSpecNote(const TargetSpec &spec, StringRef targetId) {
  return spec.id == targetId ? "" : " (spec " + spec.id + ")";
}

/// Sets the halves of the runs of `m`, timed as the engine `index` of
/// `times`.
static void setRoundHalves(Measured &m, const bench::TurnTimes &times,
                           size_t index) {
  if (times.oddRoundsUs.empty())
    return;
  m.oddRoundsUs = times.oddRoundsUs[index];
  m.evenRoundsUs = times.evenRoundsUs[index];
}

/// An evenly spread sample of `count` tilings of `ranking` (the pick first).
static std::vector<Measured> sampleRanking(ArrayRef<TileCostEstimate> ranking,
                                           int64_t count) {
  int64_t ranked = ranking.size();
  count = std::min(count, ranked);
  std::vector<Measured> sample;
  for (int64_t i = 0; i < count; ++i) {
    const TileCostEstimate &estimate =
        ranking[i * (ranked - 1) / std::max<int64_t>(1, count - 1)];
    sample.push_back({llvm::to_vector(estimate.tileSizes), estimate.latencyUs,
                      /*measuredUs=*/0});
  }
  return sample;
}

/// JIT-compiles `tiles`, tilings of `shape` (workload `w`), for `threads`
/// threads and times them in turns (the engines' order is `tiles`').
static FailureOr<bench::TurnTimes>
compileAndTime(MLIRContext &context, const Shape &shape, const OpWorkload &w,
               ArrayRef<ArrayRef<int64_t>> tiles,
               const bench::TilingOptions &options, int threads) {
  SmallVector<std::unique_ptr<ExecutionEngine>> engines;
  for (ArrayRef<int64_t> tile : tiles) {
    FailureOr<std::unique_ptr<ExecutionEngine>> engine =
        compile(context, makeBenchModule(shape, tile), options.targetId,
                options.vectorize, threads,
                (getParallelTiles(w, tile) + threads - 1) / threads);
    if (failed(engine)) {
      llvm::errs() << "tilecast-bench: JIT of a tiling failed\n";
      return failure();
    }
    engines.push_back(std::move(*engine));
  }
  FailureOr<bench::TurnTimes> times = bench::timeInTurns(
      llvm::map_to_vector(engines, [](auto &e) { return e.get(); }),
      options.runs);
  if (failed(times)) {
    // The async runtime's threads may still be in the engines' code.
    for (std::unique_ptr<ExecutionEngine> &engine : engines)
      (void)engine.release();
    llvm::errs() << "tilecast-bench: the tilings could not be timed\n";
  }
  return times;
}

/// Measures the suite's tilings on this machine, for `spec`.
static int measureSuite(const bench::TilingOptions &options,
                        const TargetSpec &spec, MLIRContext &context) {
  std::optional<ArrayRef<Shape>> suiteShapes = getSuiteShapes(options.suite);
  if (!suiteShapes) {
    llvm::errs() << "tilecast-bench: --suite must be 'default', 'large', "
                    "'heldout', 'conv', 'strides' or 'batched', not '"
                 << options.suite << "'\n";
    return 1;
  }
  int threads = options.threads == 0 ? spec.computeUnits : options.threads;
  if (threads < 1 || threads > spec.computeUnits) {
    llvm::errs() << "tilecast-bench: --threads must be 1 to the target's "
                 << spec.computeUnits << " cores (0 = all of them), not "
                 << options.threads << "\n";
    return 1;
  }
  TargetSpec target = bench::getCores(spec, threads);
  AnalyticalModel model;
  Location loc = UnknownLoc::get(&context);

  std::string title = llvm::formatv(
      "tilecast-bench tiling: {0} suite, target {1}{2}, JIT on this machine, "
      "{3}, {4}, the op alone timed, fastest of {5} runs taken in turns "
      "in shuffled order",
      options.suite, options.targetId, getSpecNote(spec, options.targetId),
      options.vectorize ? "vectorised 8x8x8 register tiles" : "scalar loops",
      threads == 1
          ? std::string("one thread")
          : std::to_string(threads) + " threads (scf.forall over the tiles)",
      options.runs);
  // Written whole at the end (writeOutputFile): a run that fails leaves an
  // existing file as it was.
  std::string dumpText;
  llvm::raw_string_ostream dump(dumpText);
  bool dumping = !options.dumpFile.empty();
  if (dumping) {
    std::string errorMessage;
    if (failed(checkOutputWritable(options.dumpFile, errorMessage))) {
      llvm::errs() << "tilecast-bench: " << errorMessage << "\n";
      return 1;
    }
    dump << "# " << title << "\n" << kDumpHeader << "\n";
  }
  llvm::outs() << title << "\n";
  SuiteReport::printHeader(llvm::outs());
  SuiteReport report(llvm::outs(), options.verbose);
  for (const Shape &shape : suiteShapes->take_front(
           std::min<size_t>(options.maxShapes, suiteShapes->size()))) {
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
    std::vector<Measured> sample =
        sampleRanking(*estimates, options.candidatesPerShape);
    // The untiled lowering is timed with the sample, last, unless the sample
    // has it already (the pick, or any other sampled tiling).
    auto sampledUntiled = llvm::find_if(
        sample, [](const Measured &m) { return isUntiled(m.tile); });
    std::optional<Measured> baseline;
    if (sampledUntiled == sample.end()) {
      SmallVector<int64_t> untiled(w.loopSizes.size(), 0);
      FailureOr<TileCostEstimate> estimate =
          model.estimateTile(w, untiled, target, loc);
      if (failed(estimate))
        return 1;
      baseline = Measured{untiled, estimate->latencyUs, /*measuredUs=*/0,
                          /*inSample=*/false};
    }
    SmallVector<ArrayRef<int64_t>> tiles = llvm::map_to_vector(
        sample, [](const Measured &m) { return ArrayRef<int64_t>(m.tile); });
    if (baseline)
      tiles.push_back(baseline->tile);
    FailureOr<bench::TurnTimes> times =
        compileAndTime(context, shape, w, tiles, options, threads);
    if (failed(times))
      return 1;
    for (auto [i, m] : llvm::enumerate(sample)) {
      m.measuredUs = times->fastestUs[i];
      setRoundHalves(m, *times, i);
    }
    if (baseline) {
      baseline->measuredUs = times->fastestUs.back();
      setRoundHalves(*baseline, *times, tiles.size() - 1);
    }
    double untiledUs =
        baseline ? baseline->measuredUs : sampledUntiled->measuredUs;
    report.addShape(shape, estimates->size(), sample, untiledUs);
    if (!dumping)
      continue;
    for (const Measured &m : sample)
      writeDumpRow(dump, options.suite, shape, threads, m);
    if (baseline)
      writeDumpRow(dump, options.suite, shape, threads, *baseline);
  }
  llvm::outs() << "\n";
  report.printSummary("");
  if (dumping) {
    std::string errorMessage;
    if (failed(writeOutputFile(options.dumpFile, dumpText, errorMessage))) {
      llvm::errs() << "tilecast-bench: " << errorMessage << "\n";
      return 1;
    }
  }
  return 0;
}

/// Reprices the tilings of `measured` with `model` on `spec` and adds the
/// shape to its suite's report. Returns whether the model's own pick was
/// measured.
static FailureOr<bool> rescoreShape(MeasuredShape &measured,
                                    const TargetSpec &spec,
                                    const CostModel &model,
                                    MLIRContext &context, SuiteReport &report) {
  Location loc = measured.rows.front();
  std::string name = getShapeName(measured.shape);
  TargetSpec target = bench::getCores(spec, measured.threads);
  FailureOr<OpWorkload> workload = getShapeWorkload(measured.shape, context);
  if (failed(workload))
    return emitError(loc) << "the convolution " << name << " has no workload";
  const OpWorkload &w = *workload;
  for (auto [m, rowLoc] : llvm::zip_equal(measured.tilings, measured.rows)) {
    if (m.tile.size() != w.loopSizes.size())
      return emitError(rowLoc)
             << "the tiling has " << m.tile.size() << " sizes; " << name
             << " has " << w.loopSizes.size() << " loops";
    FailureOr<TileCostEstimate> estimate =
        model.estimateTile(w, m.tile, target, rowLoc);
    if (failed(estimate))
      return failure();
    m.predictedUs = estimate->latencyUs;
  }
  auto untiled = llvm::find_if(
      measured.tilings, [](const Measured &m) { return isUntiled(m.tile); });
  if (untiled == measured.tilings.end())
    return emitError(loc) << "no untiled (all-zero) tiling of " << name
                          << " was measured";
  // The pick: the first tiling of the model's ranking that was measured,
  // in the ranked sample or as the untiled baseline.
  FailureOr<SmallVector<TileCostEstimate>> ranking =
      rankTileSizes(w, target, model, loc);
  if (failed(ranking))
    return failure();
  auto pick = measured.tilings.end();
  for (const TileCostEstimate &estimate : *ranking) {
    pick = llvm::find_if(measured.tilings, [&](const Measured &m) {
      return ArrayRef(m.tile) == ArrayRef(estimate.tileSizes);
    });
    if (pick != measured.tilings.end())
      break;
  }
  if (pick == measured.tilings.end())
    return emitError(loc) << "none of the " << ranking->size()
                          << " tilings the model ranks for " << name
                          << " was measured";
  std::vector<Measured> sample{*pick};
  sample.front().inSample = true;
  llvm::copy_if(measured.tilings, std::back_inserter(sample),
                [&](const Measured &m) { return m.inSample && &m != &*pick; });
  report.addShape(measured.shape, ranking->size(), sample, untiled->measuredUs);
  return ArrayRef(pick->tile) == ArrayRef(ranking->front().tileSizes);
}

/// Ranks the tilings measured in earlier runs (`options.measurementFiles`)
/// with the current model for `spec`, without running anything.
static int rescoreMeasurements(const bench::TilingOptions &options,
                               const TargetSpec &spec, MLIRContext &context) {
  SmallVector<std::unique_ptr<llvm::MemoryBuffer>> buffers;
  MeasuredShapes shapes;
  for (const std::string &path : options.measurementFiles) {
    llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
        readInputFile(path);
    if (!buffer) {
      llvm::errs() << "tilecast-bench: cannot read '" << path
                   << "': " << getReadErrorMessage(buffer.getError()) << "\n";
      return 1;
    }
    buffers.push_back(std::move(*buffer));
    if (failed(readMeasurementFile(path, buffers.back()->getBuffer(),
                                   spec.computeUnits, context, shapes)))
      return 1;
  }
  AnalyticalModel model;
  raw_ostream &os = llvm::outs();
  os << "tilecast-bench tiling: the tilings measured in ";
  llvm::interleaveComma(options.measurementFiles, os);
  os << ", ranked for target " << options.targetId
     << getSpecNote(spec, options.targetId)
     << " by the current model (nothing is run)\n";
  SuiteReport::printHeader(os);
  // One report per suite, in the files' order.
  llvm::MapVector<StringRef, SuiteReport> reports;
  int64_t unmeasuredPicks = 0;
  for (MeasuredShape &measured : llvm::make_second_range(shapes)) {
    SuiteReport &report =
        reports.try_emplace(measured.suite, os, options.verbose).first->second;
    FailureOr<bool> pickMeasured =
        rescoreShape(measured, spec, model, context, report);
    if (failed(pickMeasured))
      return 1;
    unmeasuredPicks += !*pickMeasured;
  }
  os << "\n";
  for (const auto &[suite, report] : reports)
    report.printSummary((suite + " suite: ").str());
  if (unmeasuredPicks > 0)
    os << "the model's own pick was not measured for " << unmeasuredPicks
       << " of the shapes: their pick is the measured tiling it ranks first\n";
  return 0;
}

int tilecast::bench::runTilingBench(const TilingOptions &options) {
  std::unique_ptr<MLIRContext> context = bench::createJitContext();
  ToolDiagnosticHandler diagnostics(context.get());
  FailureOr<TargetSpec> spec = lookUpCpuTarget(options.targetId, *context);
  if (failed(spec))
    return 1;
  return options.measurementFiles.empty()
             ? measureSuite(options, *spec, *context)
             : rescoreMeasurements(options, *spec, *context);
}
