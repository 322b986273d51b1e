//===- JitRunner.cpp - Timing linalg modules on the host CPU --------------===//

#include "JitRunner.h"

#include "passes/Passes.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Parser/Parser.h"
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
    "convert-linalg-to-loops,func.func(lower-vector-multi-reduction),"
    "convert-vector-to-scf{full-unroll=true},convert-scf-to-cf,"
    "expand-strided-metadata,lower-affine,"
    "convert-vector-to-llvm{vector-contract-lowering=outerproduct},"
    "finalize-memref-to-llvm,convert-math-to-llvm,convert-arith-to-llvm,"
    "convert-ub-to-llvm,convert-cf-to-llvm,convert-func-to-llvm,"
    "reconcile-unrealized-casts";

/// Register tiles of the vectorised contractions: 4 x 8 outputs (one
/// 8-lane f32 vector per row, four rows of accumulators) over 8 steps of
/// K, lowered to outer products. Every tile size the host's candidates
/// allow, and every shape of the tiling benchmark, is a multiple of them.
static constexpr const char *kVectorizeContractions = R"mlir(
module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(
      %root: !transform.any_op {transform.readonly}) {
    %mm = transform.structured.match ops{["linalg.matmul"]} in %root
        : (!transform.any_op) -> !transform.any_op
    %mmTile, %mmLoops:3 = transform.structured.tile_using_for %mm
        tile_sizes [4, 8, 8]
        : (!transform.any_op) -> (!transform.any_op, !transform.any_op,
                                  !transform.any_op, !transform.any_op)
    transform.structured.vectorize %mmTile : !transform.any_op
    %bmm = transform.structured.match ops{["linalg.batch_matmul"]} in %root
        : (!transform.any_op) -> !transform.any_op
    %bmmTile, %bmmLoops:4 = transform.structured.tile_using_for %bmm
        tile_sizes [1, 4, 8, 8]
        : (!transform.any_op) -> (!transform.any_op, !transform.any_op,
                                  !transform.any_op, !transform.any_op,
                                  !transform.any_op)
    transform.structured.vectorize %bmmTile : !transform.any_op
    transform.yield
  }
}
)mlir";

LogicalResult bench::vectorizeContractions(ModuleOp module) {
  MLIRContext *context = module.getContext();
  OwningOpRef<ModuleOp> script =
      parseSourceString<ModuleOp>(kVectorizeContractions, context);
  if (!script)
    return failure();
  module.getBody()->push_back(script.release());
  PassManager pm(context);
  if (failed(parsePassPipeline("transform-interpreter", pm)) ||
      failed(pm.run(module)))
    return failure();
  // The script has no LLVM form.
  for (auto nested : llvm::make_early_inc_range(module.getOps<ModuleOp>()))
    if (nested->hasAttr("transform.with_named_sequence"))
      nested.erase();
  return success();
}

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
