//===- tilecast-calibrate.cpp - Adapt the hybrid model to a new GPU -------===//
//
//   tilecast-calibrate --target=NAME --measurements=FILE.csv
//                      [--model-file=BASE.json] -o CALIBRATED.json
//
// Few-shot adaptation: reads K kernels measured on one GPU (the NeuSight CSV
// columns: OPName, Latency in ms, Device and the shape columns of the op),
// and writes a copy of the hybrid model whose per-class log bias for that
// target is the shrunk mean of the model's residuals on them
// (calibrateHybridModel). Use the result with --model-file= in
// tilecast-predict or model-file= in tilecast-estimate-cost; other targets
// are costed as before.
//
//===----------------------------------------------------------------------===//

#include "tilecast/Cost/Measurements.h"
#include "tilecast/Cost/Training.h"
#include "tilecast/Support/ToolDiagnostics.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;
using namespace mlir::tilecast;
namespace cl = llvm::cl;

namespace {
struct Options {
  cl::OptionCategory category{"tilecast-calibrate options"};
  cl::opt<std::string> target{
      "target", cl::desc("Target the measurements were taken on (id, alias "
                         "or spec .json)"),
      cl::Required, cl::cat(category)};
  cl::opt<std::string> measurements{
      "measurements",
      cl::desc("CSV of measured kernels in the NeuSight column format"),
      cl::value_desc("filename"), cl::Required, cl::cat(category)};
  cl::opt<std::string> modelFile{
      "model-file",
      cl::desc("Model to adapt (default: the built-in hybrid model)"),
      cl::value_desc("filename"), cl::cat(category)};
  cl::opt<std::string> outputFilename{"o", cl::desc("Model file to write"),
                                      cl::value_desc("filename"), cl::Required,
                                      cl::cat(category)};
};
} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  Options options;
  cl::HideUnrelatedOptions(options.category);
  cl::ParseCommandLineOptions(argc, argv,
                              "TileCast few-shot calibration of the hybrid "
                              "model to a new GPU\n");
  MLIRContext context;
  ToolDiagnosticHandler diagnostics(&context);
  Location loc = UnknownLoc::get(&context);

  FailureOr<TargetSpec> target = lookupTarget(options.target, loc);
  if (failed(target))
    return 1;
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
  FailureOr<HybridModelFile> calibrated = calibrateHybridModel(
      **base, *target, *measured,
      FileLineColLoc::get(&context, options.measurements, 0, 0));
  if (failed(calibrated))
    return 1;

  if (failed(writeHybridModel(*calibrated, options.outputFilename, loc)))
    return 1;

  llvm::outs() << "tilecast-calibrate: " << measured->size()
               << " measurements of " << target->id << "\n";
  std::array<int64_t, kNumKernelClasses> counts{};
  for (const Measurement &m : *measured)
    ++counts[static_cast<unsigned>(m.kernelClass)];
  llvm::outs() << llvm::format("%-12s %6s %10s %8s\n", "class", "kernels",
                               "log bias", "factor");
  for (unsigned c = 0; c < kNumKernelClasses; ++c) {
    double bias = calibrated->calibration->logBias[c];
    llvm::outs() << llvm::format(
        "%-12s %6lld %+10.4f %8.3f\n",
        getKernelClassName(static_cast<KernelClass>(c)).str().c_str(),
        (long long)counts[c], bias, std::exp(bias));
  }
  llvm::outs() << "wrote " << options.outputFilename << "\n";
  return 0;
}
