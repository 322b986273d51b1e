//===- TilecastPlugin.cpp - TileCast as an mlir-opt plugin ----------------===//
//
// Loaded as both a dialect and a pass plugin (one command line):
//   mlir-opt-22 --load-dialect-plugin=build/lib/TilecastPlugin.so
//     --load-pass-plugin=build/lib/TilecastPlugin.so
//     --pass-pipeline='builtin.module(tilecast-annotate-target{target=h100-sxm},tilecast-estimate-cost)'
// The dialect plugin also registers transform.tilecast.* with the transform
// dialect, for -transform-interpreter scripts.
//
//===----------------------------------------------------------------------===//

#include "dialects/tilecast/TransformOps/TilecastTransformOps.h"
#include "passes/Passes.h"

#include "mlir/Tools/Plugins/DialectPlugin.h"
#include "mlir/Tools/Plugins/PassPlugin.h"
#include "llvm/Config/llvm-config.h"

using namespace mlir;

extern "C" LLVM_ATTRIBUTE_WEAK DialectPluginLibraryInfo
mlirGetDialectPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "TilecastDialect", LLVM_VERSION_STRING,
          [](DialectRegistry *registry) {
            tilecast::registerTilecastDialects(*registry);
            tilecast::registerTransformDialectExtension(*registry);
          }};
}

extern "C" LLVM_ATTRIBUTE_WEAK PassPluginLibraryInfo mlirGetPassPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "TilecastPasses", LLVM_VERSION_STRING,
          []() { tilecast::registerTilecastPasses(); }};
}
