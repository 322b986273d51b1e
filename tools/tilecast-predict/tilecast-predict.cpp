//===- tilecast-predict.cpp - Predict a module's latency on a target ------===//
//
//   tilecast-predict INPUT.mlir [--target=NAME]
//                    [--model=hybrid|analytical|roofline] [--model-file=FILE]
//                    [--coverage=0.9] [--format=table|json|html] [-o FILE]
//   tilecast-predict --list-targets
//
// Sets the module's target (--target, else the one #tilecast.target the
// module carries, which then applies to all of it), runs
// tilecast-estimate-cost and composes the op costs into per-function and
// total predictions.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"
#include "tilecast/Compose/Prediction.h"
#include "tilecast/Support/CommandLine.h"
#include "tilecast/Support/InputFile.h"
#include "tilecast/Support/OutputFile.h"
#include "tilecast/Support/ToolDiagnostics.h"
#include "tilecast/Target/TargetSpec.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;
using namespace mlir::tilecast;
namespace cl = llvm::cl;

namespace {
enum class OutputFormat { Table, Json, Html };

struct Options {
  cl::OptionCategory category{"tilecast-predict options"};
  cl::opt<std::string> inputFilename{cl::Positional,
                                     cl::desc("<input .mlir file>"),
                                     cl::init("-"), cl::cat(category)};
  cl::opt<std::string> outputFilename{"o", cl::desc("Output file"),
                                      cl::value_desc("filename"), cl::init("-"),
                                      cl::cat(category)};
  cl::opt<std::string> target{
      "target",
      cl::desc("Target id or alias (see --list-targets), or a spec .json; "
               "defaults to the module's own tilecast.target"),
      cl::cat(category)};
  cl::opt<std::string> model{
      "model", cl::desc("Cost model: hybrid (default), analytical or roofline"),
      cl::init("hybrid"), cl::cat(category)};
  cl::opt<std::string> modelFile{
      "model-file",
      cl::desc("Hybrid model file (from tilecast-train or tilecast-calibrate) "
               "instead of the built-in one"),
      cl::value_desc("filename"), cl::cat(category)};
  cl::opt<double> coverage{
      "coverage",
      cl::desc("Coverage of the intervals (a level of the hybrid model's "
               "file; default 0.9)"),
      cl::init(0.9), cl::cat(category)};
  cl::opt<OutputFormat> format{
      "format", cl::desc("Output format"), cl::init(OutputFormat::Table),
      cl::values(
          clEnumValN(OutputFormat::Table, "table", "a table"),
          clEnumValN(OutputFormat::Json, "json", "tilecast.prediction.v1 JSON"),
          clEnumValN(OutputFormat::Html, "html",
                     "a self-contained HTML report")),
      cl::cat(category)};
  cl::opt<bool> overlapLaunches{
      "overlap-launches",
      cl::desc("Count each kernel as max(execution, dispatch overhead) in "
               "the totals, as when a host issues kernels back to back "
               "(whole models in PyTorch eager); default: kernels as "
               "measured alone"),
      cl::cat(category)};
  cl::opt<bool> listTargets{"list-targets",
                            cl::desc("List the built-in targets and exit"),
                            cl::cat(category)};
};
} // namespace

/// The built-in targets; `host` as --target=host resolves it (the spec
/// TILECAST_HOST_SPEC names, when set). Returns 1 if that spec cannot be read,
/// after listing the others.
static int listBuiltinTargets(MLIRContext &context, raw_ostream &os) {
  os << llvm::format("%-16s %-4s %6s %10s %10s %8s  %s\n", "id", "kind",
                     "units", "f32 TF/s", "mem GB/s", "L2 MiB", "name");
  int status = 0;
  for (StringRef id : getBuiltinTargetIds()) {
    FailureOr<TargetSpec> spec = lookupTarget(id, UnknownLoc::get(&context));
    if (failed(spec)) {
      status = 1;
      continue;
    }
    os << llvm::format(
        "%-16s %-4s %6lld %10.3f %10.0f %8.1f  %s\n", id.str().c_str(),
        spec->isGpu() ? "gpu" : "cpu", (long long)spec->computeUnits,
        *spec->getPeakFlopsPerSecond(PeakKind::F32) / 1e12,
        spec->memoryBandwidthGbps, spec->l2CacheMib, spec->name.c_str());
  }
  return status;
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  Options options;
  cl::HideUnrelatedOptions(options.category);
  parseToolCommandLine(argc, argv,
                       "TileCast: predict the latency of a "
                       "linalg/tensor module on a hardware target\n");

  DialectRegistry registry;
  registerInputDialects(registry);
  MLIRContext context(registry);
  // Diagnostics point at the source; the op's generic form adds nothing.
  context.printOpOnDiagnostic(false);

  if (options.listTargets) {
    ToolDiagnosticHandler diagnostics(&context);
    return listBuiltinTargets(context, llvm::outs());
  }

  std::string errorMessage;
  auto input = readInputFile(options.inputFilename, kMaxIRFileBytes);
  if (!input) {
    llvm::errs() << "tilecast-predict: cannot read '" << options.inputFilename
                 << "': "
                 << getReadErrorMessage(input.getError(), kMaxIRFileBytes)
                 << '\n';
    return 1;
  }
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(*input), llvm::SMLoc());
  SourceDiagnosticHandler diagnostics(sourceMgr, &context);

  if (failed(verifyIRInput(
          *sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID()), &context)))
    return 1;
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    return 1;

  // The target: --target, which replaces every target the module carries
  // (nested ones too: the report is for one target), else the one
  // #tilecast.target the module carries, with the parameters written there;
  // it then costs the whole module, also the ops outside the (nested) module
  // that carries it.
  FailureOr<TargetSpec> target = failure();
  StringRef targetAttrName = TilecastDialect::kTargetAttrName;
  if (!options.target.empty()) {
    // Read once: a spec from a pipe cannot be read a second time.
    target = lookupTarget(options.target, module->getLoc());
    if (failed(target))
      return 1;
    replaceTargets(*module, getTargetAttr(&context, *target));
  } else {
    // Each target the module carries, and the first op that carries it.
    llvm::MapVector<TargetAttr, Operation *> carried;
    module->walk([&](Operation *op) {
      if (auto attr = op->getAttrOfType<TargetAttr>(targetAttrName))
        carried.insert({attr, op});
    });
    if (carried.empty()) {
      InFlightDiagnostic diag =
          emitError(module->getLoc(), "no target to predict for");
      diag.attachNote() << "pass --target=NAME (see --list-targets) or "
                           "attach a #tilecast.target to the module";
      return 1;
    }
    if (carried.size() > 1) {
      InFlightDiagnostic diag = emitError(module->getLoc())
                                << "the module carries " << carried.size()
                                << " different targets; a prediction is for "
                                   "one";
      diag.attachNote() << "pass --target=NAME to cost every op for one "
                           "target";
      return 1;
    }
    auto [own, carrier] = carried.front();
    if (!(*module)->hasAttr(targetAttrName))
      emitRemark(carrier->getLoc())
          << "the module itself carries no #tilecast.target; the prediction "
             "uses this op's for the whole module";
    replaceTargets(*module, own);
    // The attribute holds what the cost models read; a built-in target it
    // is identical to also gives its name and vendor for the reports.
    target = getTargetSpec(own);
    {
      ScopedDiagnosticHandler silence(&context,
                                      [](Diagnostic &) { return success(); });
      FailureOr<TargetSpec> builtin =
          lookupTarget(own.getName(), module->getLoc());
      if (succeeded(builtin) && getTargetAttr(&context, *builtin) == own)
        target = std::move(builtin);
    }
  }
  ComposeOptions composeOptions;
  composeOptions.overlapLaunches = options.overlapLaunches;
  if (failed(verifyComposeOptions(
          composeOptions, *target,
          NameLoc::get(StringAttr::get(&context, "--overlap-launches")))))
    return 1;
  PassManager pm(&context);
  TilecastEstimateCostPassOptions costOptions;
  costOptions.model = options.model;
  costOptions.modelFile = options.modelFile;
  costOptions.coverage = options.coverage;
  pm.addPass(createTilecastEstimateCostPass(costOptions));
  if (failed(pm.run(*module)))
    return 1;

  Prediction prediction =
      composePrediction(*module, *target, options.model, composeOptions);
  // A total of zero because nothing was priced, or one beyond the largest
  // double, is not a prediction.
  Location start =
      FileLineColLoc::get(&context,
                          sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID())
                              ->getBufferIdentifier(),
                          1, 1);
  if (failed(verifyPrediction(prediction, start)))
    return 1;

  std::unique_ptr<llvm::ToolOutputFile> output =
      openOutputFile(options.outputFilename, &errorMessage);
  if (!output) {
    llvm::errs() << "tilecast-predict: " << errorMessage << '\n';
    return 1;
  }
  switch (options.format) {
  case OutputFormat::Table:
    printPredictionTable(prediction, output->os());
    break;
  case OutputFormat::Json:
    printPredictionJson(prediction, output->os());
    break;
  case OutputFormat::Html: {
    std::string json;
    llvm::raw_string_ostream jsonStream(json);
    printPredictionJson(prediction, jsonStream);
    printPredictionHtml({json}, output->os());
    break;
  }
  }
  if (failed(keepOutputFile(*output, errorMessage))) {
    llvm::errs() << "tilecast-predict: " << errorMessage << '\n';
    return 1;
  }
  return 0;
}
