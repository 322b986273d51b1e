//===- FusionBench.cpp - Fusion decisions measured on the host CPU --------===//
//
// For a suite of element-wise chains (adds, multiplies, exponentials, tanh
// and broadcast bias adds over 2-D tensors from 16 KiB to 16 MiB), asks
// tilecast-fusion-advisor whether to fuse each producer into its consumer,
// then JIT-compiles the chain three ways: as written, as the advisor fuses it
// (tilecast-fusion-advisor{apply=true}, upstream linalg::fuseElementwiseOps)
// and with every producer fused (-linalg-fuse-elementwise-ops); times each
// (fastest of repeated runs) and reports whether advised fusions are measured
// faster, and whether declined ones would have saved anything material.
//
//===----------------------------------------------------------------------===//

#include "FusionBench.h"
#include "JitRunner.h"

#include "dialects/tilecast/TilecastAttrs.h"
#include "dialects/tilecast/TilecastDialect.h"
#include "passes/Passes.h"
#include "tilecast/Cost/Fusion.h"
#include "tilecast/Support/ToolDiagnostics.h"

#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/Format.h"

using namespace mlir;
using namespace mlir::tilecast;

namespace {
/// One step of a chain: what it computes from the running value `x`.
enum class Step { Add, Mul, Exp, Tanh, Bias };

struct Chain {
  StringLiteral name;
  SmallVector<Step, 4> steps;
};
} // namespace

/// The body and extra input of one step: `x` op `a` (the first input), or a
/// function of `x`, or `x` + a bias broadcast along the rows.
static void printStep(raw_ostream &os, Step step, StringRef result, StringRef x,
                      StringRef type, int64_t cols) {
  std::string bias = "tensor<" + std::to_string(cols) + "xf32>";
  bool unary = step == Step::Exp || step == Step::Tanh;
  os << "  %e" << result << " = tensor.empty() : " << type << "\n"
     << "  %" << result << " = linalg.generic {indexing_maps = [#id, "
     << (unary                ? ""
         : step == Step::Bias ? "#row, "
                              : "#id, ")
     << "#id], iterator_types = [\"parallel\", \"parallel\"]} ins(" << x;
  if (step == Step::Bias)
    os << ", %bias : " << type << ", " << bias;
  else if (!unary)
    os << ", %a : " << type << ", " << type;
  else
    os << " : " << type;
  os << ") outs(%e" << result << " : " << type << ") {\n"
     << "  ^bb0(%p: f32, " << (unary ? "" : "%q: f32, ") << "%o: f32):\n";
  switch (step) {
  case Step::Add:
  case Step::Bias:
    os << "    %r = arith.addf %p, %q : f32\n";
    break;
  case Step::Mul:
    os << "    %r = arith.mulf %p, %q : f32\n";
    break;
  case Step::Exp:
    os << "    %r = math.exp %p : f32\n";
    break;
  case Step::Tanh:
    os << "    %r = math.tanh %p : f32\n";
    break;
  }
  os << "    linalg.yield %r : f32\n  } -> " << type << "\n";
}

/// A module whose @bench runs `chain` over [rows, cols] tensors and returns
/// how long the chain took in microseconds. Inputs come from calls (a fill
/// behind a function boundary), so that only the chain can fuse and nothing
/// folds at compile time; they are made before the clock starts.
static std::string makeChainModule(const Chain &chain, int64_t rows,
                                   int64_t cols) {
  std::string text;
  llvm::raw_string_ostream os(text);
  std::string type =
      "tensor<" + std::to_string(rows) + "x" + std::to_string(cols) + "xf32>";
  std::string biasType = "tensor<" + std::to_string(cols) + "xf32>";
  os << "#id = affine_map<(i, j) -> (i, j)>\n"
     << "#row = affine_map<(i, j) -> (j)>\n";
  for (auto [name, t] : {std::pair<StringRef, StringRef>{"input", type},
                         {"bias_input", biasType}})
    os << "func.func @" << name << "(%v: f32) -> " << t << " {\n"
       << "  %e = tensor.empty() : " << t << "\n"
       << "  %f = linalg.fill ins(%v : f32) outs(%e : " << t << ") -> " << t
       << "\n  return %f : " << t << "\n}\n";
  bench::printBenchFunctionStart(os);
  os << "  %c0 = arith.constant 0 : index\n"
     << "  %va = arith.constant 0.5 : f32\n"
     << "  %vb = arith.constant 0.25 : f32\n"
     << "  %vbias = arith.constant 0.125 : f32\n"
     << "  %a = func.call @input(%va) : (f32) -> " << type << "\n"
     << "  %b = func.call @input(%vb) : (f32) -> " << type << "\n"
     << "  %bias = func.call @bias_input(%vbias) : (f32) -> " << biasType
     << "\n";
  bench::printStartClock(os);
  std::string x = "%b";
  for (auto [i, step] : llvm::enumerate(chain.steps)) {
    std::string result = "t" + std::to_string(i);
    printStep(os, step, result, x, type, cols);
    x = "%" + result;
  }
  os << "  %v = tensor.extract " << x << "[%c0, %c0] : " << type << "\n";
  bench::printStopClockAndReturn(os, "%v");
  return text;
}

namespace {
/// The advisor's view of one chain.
struct Advice {
  int64_t pairs = 0;
  int64_t fuse = 0;
  double savingUs = 0;
};
} // namespace

static FailureOr<OwningOpRef<ModuleOp>> runAdvisor(MLIRContext &context,
                                                   StringRef source,
                                                   TargetAttr target,
                                                   bool apply, Advice *advice) {
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(source, &context);
  if (!module)
    return failure();
  replaceTargets(*module, target);
  PassManager pm(&context);
  TilecastFusionAdvisorPassOptions options;
  options.apply = apply;
  pm.addPass(createTilecastFusionAdvisorPass(options));
  if (failed(pm.run(*module)))
    return failure();
  if (advice)
    module->walk([&](Operation *op) {
      auto fusion =
          op->getAttrOfType<FusionAttr>(TilecastDialect::kFusionAttrName);
      if (!fusion)
        return;
      ++advice->pairs;
      advice->fuse += fusion.getFuse();
      if (fusion.getFuse())
        advice->savingUs += fusion.getSavingUs();
    });
  return module;
}

/// The chain with every producer fused, whatever the advice (upstream
/// -linalg-fuse-elementwise-ops), to check the pairs advised against.
static FailureOr<OwningOpRef<ModuleOp>> fuseEverything(MLIRContext &context,
                                                       StringRef source) {
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(source, &context);
  if (!module)
    return failure();
  PassManager pm(&context);
  if (failed(parsePassPipeline("linalg-fuse-elementwise-ops", pm)) ||
      failed(pm.run(*module)))
    return failure();
  return module;
}

int bench::runFusionBench(StringRef targetId, int64_t maxCases, int runs) {
  std::unique_ptr<MLIRContext> context = createJitContext();
  ToolDiagnosticHandler diagnostics(context.get());
  static const Chain kChains[] = {
      {"add,mul", {Step::Add, Step::Mul}},
      {"add,exp", {Step::Add, Step::Exp}},
      {"bias,tanh", {Step::Bias, Step::Tanh}},
      {"mul,add,tanh", {Step::Mul, Step::Add, Step::Tanh}},
      {"add,mul,add,exp", {Step::Add, Step::Mul, Step::Add, Step::Exp}}};
  static const std::pair<int64_t, int64_t> kSizes[] = {
      {64, 64}, {512, 512}, {1024, 1024}, {2048, 2048}};
  static_assert(std::size(kChains) * std::size(kSizes) == kNumFusionCases);

  FailureOr<TargetSpec> spec =
      lookupTarget(targetId, UnknownLoc::get(context.get()));
  if (failed(spec))
    return 1;
  // The chains run on one thread: a CPU is costed as one of its cores, which
  // starts no parallel loop.
  TargetAttr target = getTargetAttr(
      context.get(), spec->isGpu() ? *spec : getCores(*spec, /*threads=*/1));
  llvm::outs() << "tilecast-bench fusion: target " << targetId
               << ", JIT on this machine, one thread, the chain alone timed, "
                  "fastest of "
               << runs << " runs taken in turns in shuffled order\n";
  llvm::outs() << llvm::format("%-16s %-10s %5s %5s %10s %11s %11s %11s %s\n",
                               "chain", "shape", "pairs", "fuse", "saving_us",
                               "unfused_us", "advised_us", "allfused_us",
                               "verdict");
  int64_t cases = 0, advised = 0, advisedFaster = 0, declined = 0,
          declinedMissed = 0;
  for (const Chain &chain : kChains) {
    for (auto [rows, cols] : kSizes) {
      if (cases == maxCases)
        break;
      std::string source = makeChainModule(chain, rows, cols);
      Advice advice;
      FailureOr<OwningOpRef<ModuleOp>> unfused =
          runAdvisor(*context, source, target, /*apply=*/false, &advice);
      FailureOr<OwningOpRef<ModuleOp>> applied =
          runAdvisor(*context, source, target, /*apply=*/true, nullptr);
      FailureOr<OwningOpRef<ModuleOp>> everything =
          fuseEverything(*context, source);
      if (failed(unfused) || failed(applied) || failed(everything)) {
        llvm::errs() << "tilecast-bench: fusing " << chain.name << " failed\n";
        return 1;
      }
      FailureOr<std::unique_ptr<ExecutionEngine>> unfusedEngine =
          compileBenchModule(**unfused);
      FailureOr<std::unique_ptr<ExecutionEngine>> appliedEngine =
          compileBenchModule(**applied);
      FailureOr<std::unique_ptr<ExecutionEngine>> everythingEngine =
          compileBenchModule(**everything);
      FailureOr<TurnTimes> times = failure();
      if (succeeded(unfusedEngine) && succeeded(appliedEngine) &&
          succeeded(everythingEngine))
        times = timeInTurns({unfusedEngine->get(), appliedEngine->get(),
                             everythingEngine->get()},
                            runs);
      if (failed(times)) {
        llvm::errs() << "tilecast-bench: JIT of " << chain.name << " failed\n";
        return 1;
      }
      // Fastest runs: identical modules' medians differ by up to 40% on the
      // shared build machine, their minima by a few percent.
      double unfusedUs = times->fastestUs[0];
      double appliedUs = times->fastestUs[1];
      double everythingUs = times->fastestUs[2];
      ++cases;
      std::string verdict;
      if (advice.fuse > 0) {
        // Advised: the applied advice must be measured faster.
        ++advised;
        bool faster = appliedUs < unfusedUs;
        advisedFaster += faster;
        verdict = faster ? "advised, faster" : "advised, NOT faster";
      } else {
        // Declined: a miss if fusing everything would have saved more than
        // the advisor's materiality threshold.
        ++declined;
        bool missed = everythingUs < (1 - kMinFusionSavingFraction) * unfusedUs;
        declinedMissed += missed;
        verdict = missed ? "declined, MISSED a saving" : "declined, right";
      }
      std::string shape = std::to_string(rows) + "x" + std::to_string(cols);
      llvm::outs() << llvm::format(
          "%-16s %-10s %5lld %5lld %10.2f %11.1f %11.1f %11.1f %s\n",
          chain.name.data(), shape.c_str(), (long long)advice.pairs,
          (long long)advice.fuse, advice.savingUs, unfusedUs, appliedUs,
          everythingUs, verdict.c_str());
    }
  }
  llvm::outs() << llvm::format(
      "\ncases %lld: fusion advised in %lld, measured faster in %lld of those "
      "(%.0f%%); declined in %lld, of which fusing everything would have "
      "saved more than %.0f%% in %lld\n",
      (long long)cases, (long long)advised, (long long)advisedFaster,
      advised ? 100.0 * advisedFaster / advised : 0.0, (long long)declined,
      100.0 * kMinFusionSavingFraction, (long long)declinedMissed);
  return 0;
}
