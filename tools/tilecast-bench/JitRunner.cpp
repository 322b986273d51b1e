//===- JitRunner.cpp - Timing linalg modules on the host CPU --------------===//

#include "JitRunner.h"

#include "passes/Passes.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "llvm/Support/TargetSelect.h"

#include <algorithm>
#include <chrono>

using namespace mlir;
using namespace mlir::tilecast;

/// The lowering from linalg on tensors to the LLVM dialect
/// (../shared/MLIR22-NOTES.md, plus bufferization.clone -> memref).
static constexpr const char *kLowering =
    "func.func(linalg-generalize-named-ops),"
    "one-shot-bufferize{bufferize-function-boundaries "
    "function-boundary-type-conversion=identity-layout-map},"
    "buffer-deallocation-pipeline,convert-bufferization-to-memref,"
    "convert-linalg-to-loops,convert-scf-to-cf,expand-strided-metadata,"
    "lower-affine,finalize-memref-to-llvm,convert-math-to-llvm,"
    "convert-arith-to-llvm,convert-cf-to-llvm,convert-func-to-llvm,"
    "reconcile-unrealized-casts";

std::unique_ptr<MLIRContext> bench::createJitContext() {
  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerTilecastDialects(registry);
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  registerAllPasses();
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  auto context = std::make_unique<MLIRContext>(registry);
  context->loadAllAvailableDialects();
  return context;
}

FailureOr<bench::BenchTimes> bench::timeBenchModule(ModuleOp module,
                                                    int runs) {
  module->walk([](Operation *op) {
    SmallVector<StringAttr> names;
    for (NamedAttribute attr : op->getDiscardableAttrs())
      if (attr.getName().getValue().starts_with("tilecast."))
        names.push_back(attr.getName());
    for (StringAttr name : names)
      op->removeDiscardableAttr(name);
  });
  PassManager lowering(module.getContext());
  if (failed(parsePassPipeline(kLowering, lowering)) ||
      failed(lowering.run(module)))
    return failure();
  ExecutionEngineOptions options;
  auto transformer = makeOptimizingTransformer(/*optLevel=*/3, 0, nullptr);
  options.transformer = transformer;
  auto engine = ExecutionEngine::create(module, options);
  if (!engine) {
    llvm::consumeError(engine.takeError());
    return failure();
  }
  std::vector<double> times;
  float result = 0;
  for (int i = 0; i <= runs; ++i) {
    auto start = std::chrono::steady_clock::now();
    if (llvm::Error error = (*engine)->invoke(
            "bench", ExecutionEngine::Result<float>(result))) {
      llvm::consumeError(std::move(error));
      return failure();
    }
    double us = std::chrono::duration<double, std::micro>(
                    std::chrono::steady_clock::now() - start)
                    .count();
    if (i > 0)
      times.push_back(us);
  }
  if (times.empty())
    return failure();
  std::sort(times.begin(), times.end());
  return BenchTimes{times[times.size() / 2], times.front()};
}
