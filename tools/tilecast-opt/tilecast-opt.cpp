//===- tilecast-opt.cpp - mlir-opt with TileCast's dialect and passes -----===//
//
// Also runs transform scripts (-transform-interpreter) that use
// transform.tilecast.* next to the upstream structured (linalg) ops, and the
// generic upstream passes (canonicalize, cse, ...).
//
//===----------------------------------------------------------------------===//

#include "dialects/tilecast/TransformOps/TilecastTransformOps.h"
#include "passes/Passes.h"

#include "mlir/Dialect/Linalg/TransformOps/DialectExtension.h"
#include "mlir/Dialect/Transform/IR/TransformDialect.h"
#include "mlir/Dialect/Transform/Transforms/Passes.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlir::tilecast::registerTilecastDialects(registry);
  registry.insert<mlir::transform::TransformDialect>();
  mlir::linalg::registerTransformDialectExtension(registry);
  mlir::tilecast::registerTransformDialectExtension(registry);
  mlir::tilecast::registerTilecastPasses();
  mlir::transform::registerInterpreterPass();
  // Canonicalisation, CSE and the other generic clean-ups scripts end with.
  mlir::registerTransformsPasses();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "TileCast optimizer driver\n", registry));
}
