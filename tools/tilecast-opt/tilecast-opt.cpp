//===- tilecast-opt.cpp - mlir-opt with TileCast's dialect and passes -----===//
//
// Reads every upstream dialect (registerInputDialects); runs transform
// scripts (-transform-interpreter) that use transform.tilecast.* next to the
// upstream transform ops (structured, loop, ...), and the generic upstream
// passes (canonicalize, cse, inline, ...).
//
// The input is read as tilecast-predict reads it (readInputFile: a size
// limit; verifyIRInput: text's bracket nesting checked before upstream's
// recursive parser could overflow the stack on it, bytecode read in a child
// process first); the rest is upstream's MlirOptMain.
//
//===----------------------------------------------------------------------===//

#include "dialects/tilecast/TransformOps/TilecastTransformOps.h"
#include "passes/Passes.h"
#include "tilecast/Support/InputFile.h"
#include "tilecast/Support/ToolDiagnostics.h"

#include "mlir/Dialect/Transform/Transforms/Passes.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/ToolOutputFile.h"

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  mlir::DialectRegistry registry;
  mlir::tilecast::registerInputDialects(registry);
  mlir::tilecast::registerTransformDialectExtension(registry);
  mlir::tilecast::registerTilecastPasses();
  mlir::transform::registerTransformPasses();
  // Canonicalisation, CSE and the other generic clean-ups scripts end with.
  mlir::registerTransformsPasses();

  auto [inputFilename, outputFilename] = mlir::registerAndParseCLIOptions(
      argc, argv, "TileCast optimizer driver\n", registry);
  mlir::MlirOptMainConfig config =
      mlir::MlirOptMainConfig::createFromCLOptions();
  // Listing dialects or passes reads no input.
  if (config.shouldShowDialects() || config.shouldListPasses())
    return mlir::asMainReturnCode(
        mlir::MlirOptMain(argc, argv, inputFilename, outputFilename, registry));

  auto input = mlir::tilecast::readInputFile(inputFilename,
                                             mlir::tilecast::kMaxIRFileBytes);
  if (!input) {
    llvm::errs() << "tilecast-opt: cannot read '" << inputFilename << "': "
                 << mlir::tilecast::getReadErrorMessage(
                        input.getError(), mlir::tilecast::kMaxIRFileBytes)
                 << "\n";
    return 1;
  }
  {
    // The dialects of the pipeline, which the bytecode check reads with.
    mlir::MLIRContext context(registry);
    context.allowUnregisteredDialects(config.shouldAllowUnregisteredDialects());
    mlir::tilecast::ToolDiagnosticHandler diagnostics(&context);
    if (mlir::failed(mlir::tilecast::verifyIRInput(**input, &context)))
      return 1;
  }
  std::string errorMessage;
  std::unique_ptr<llvm::ToolOutputFile> output =
      mlir::openOutputFile(outputFilename, &errorMessage);
  if (!output) {
    llvm::errs() << "tilecast-opt: " << errorMessage << "\n";
    return 1;
  }
  if (mlir::failed(
          mlir::MlirOptMain(output->os(), std::move(*input), registry, config)))
    return 1;
  output->keep();
  return 0;
}
