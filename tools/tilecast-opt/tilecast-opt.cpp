//===- tilecast-opt.cpp - mlir-opt with TileCast's dialect and passes -----===//

#include "passes/Passes.h"

#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlir::tilecast::registerTilecastDialects(registry);
  mlir::tilecast::registerTilecastPasses();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "TileCast optimizer driver\n", registry));
}
