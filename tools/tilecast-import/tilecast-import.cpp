//===- tilecast-import.cpp - Transformer configs to linalg IR -------------===//
//
//   tilecast-import CONFIG.json --batch=N --seq=N
//                   [--mode=inference|training] [--fusion] [-o OUT.mlir]
//
// Builds the linalg/tensor IR of a Hugging Face model configuration
// (lib/Import): one function per transformer block, called from an scf.for
// over the layers, kernel for kernel as PyTorch eager mode runs it.
//
//===----------------------------------------------------------------------===//

#include "tilecast/Import/TransformerImporter.h"
#include "tilecast/Support/CommandLine.h"
#include "tilecast/Support/OutputFile.h"
#include "tilecast/Support/ToolDiagnostics.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OperationSupport.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;
using namespace mlir::tilecast;
namespace cl = llvm::cl;

namespace {
struct Options {
  cl::OptionCategory category{"tilecast-import options"};
  cl::opt<std::string> configFilename{cl::Positional, cl::Required,
                                      cl::desc("<config .json file>"),
                                      cl::cat(category)};
  cl::opt<std::string> outputFilename{"o", cl::desc("Output file"),
                                      cl::value_desc("filename"), cl::init("-"),
                                      cl::cat(category)};
  DecimalOpt<int64_t> batch{"batch", cl::desc("Batch size"), cl::Required,
                            cl::cat(category)};
  DecimalOpt<int64_t> seq{"seq", cl::desc("Sequence length"), cl::Required,
                          cl::cat(category)};
  cl::opt<RunMode> mode{
      "mode", cl::desc("What one run of the module does"),
      cl::init(RunMode::Inference),
      cl::values(
          clEnumValN(RunMode::Inference, "inference", "the forward pass"),
          clEnumValN(RunMode::Training, "training",
                     "forward and backward passes, no optimizer step")),
      cl::cat(category)};
  cl::opt<bool> fusion{
      "fusion",
      cl::desc("Mark the kernels PyTorch's fused runs merge as kernel groups"),
      cl::cat(category)};
};
} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  Options options;
  cl::HideUnrelatedOptions(options.category);
  parseToolCommandLine(
      argc, argv,
      "TileCast: build the linalg IR of a transformer configuration\n");

  MLIRContext context;
  llvm::SourceMgr sourceMgr;
  SourceDiagnosticHandler diagnostics(sourceMgr, &context);
  context.printOpOnDiagnostic(false);

  Location loc = FileLineColLoc::get(&context, options.configFilename, 0, 0);
  FailureOr<ModelConfig> config = readModelConfig(options.configFilename, loc);
  if (failed(config))
    return 1;
  ImportOptions importOptions;
  importOptions.batch = options.batch;
  importOptions.seqLength = options.seq;
  importOptions.mode = options.mode;
  importOptions.fused = options.fusion;
  FailureOr<OwningOpRef<ModuleOp>> module =
      importTransformer(*config, importOptions, loc);
  if (failed(module))
    return 1;
  if (failed(verify(**module)))
    return 1;

  std::string errorMessage;
  std::unique_ptr<llvm::ToolOutputFile> output =
      openOutputFile(options.outputFilename, &errorMessage);
  if (!output) {
    llvm::errs() << "tilecast-import: " << errorMessage << '\n';
    return 1;
  }
  // Locations name every kernel (loc("attn.qkv")) for the reports.
  (*module)->print(output->os(),
                   OpPrintingFlags().enableDebugInfo(/*enable=*/true,
                                                     /*prettyForm=*/false));
  if (failed(keepOutputFile(*output, errorMessage))) {
    llvm::errs() << "tilecast-import: " << errorMessage << '\n';
    return 1;
  }
  return 0;
}
