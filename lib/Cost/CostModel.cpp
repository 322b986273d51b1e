//===- CostModel.cpp - Cost model registry and result conversion ----------===//

#include "tilecast/Cost/CostModel.h"
#include "tilecast/Cost/AnalyticalModel.h"
#include "tilecast/Cost/HybridModel.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace mlir::tilecast;

CostModel::~CostModel() = default;

SmallVector<StringRef> tilecast::getCostModelNames() {
  return {"hybrid", "analytical", "roofline"};
}

static FailureOr<std::unique_ptr<CostModel>>
createHybridModel(Location loc, const CostModelOptions &options) {
  MLIRContext *context = loc.getContext();
  std::shared_ptr<const HybridModelFile> file;
  if (options.modelFile.empty()) {
    FailureOr<std::shared_ptr<const HybridModelFile>> builtin =
        getBuiltinHybridModel(context);
    if (failed(builtin))
      return failure();
    file = *builtin;
  } else {
    FailureOr<HybridModelFile> loaded =
        loadHybridModel(options.modelFile, context);
    if (failed(loaded))
      return failure();
    file = std::make_shared<const HybridModelFile>(std::move(*loaded));
  }
  for (const std::optional<ClassModel> &model : file->classes) {
    if (!model || llvm::any_of(model->intervals, [&](const IntervalLevel &l) {
          return l.coverage == options.coverage;
        }))
      continue;
    InFlightDiagnostic diag = emitError(loc)
                              << "the hybrid model has no "
                              << formatDouble(options.coverage)
                              << " coverage interval";
    diag.attachNote() << "available coverages: "
                      << llvm::join(llvm::map_range(model->intervals,
                                                    [](const IntervalLevel &l) {
                                                      return formatDouble(
                                                          l.coverage);
                                                    }),
                                    ", ");
    return failure();
  }
  return std::unique_ptr<CostModel>(
      std::make_unique<HybridModel>(std::move(file), options.coverage));
}

FailureOr<std::unique_ptr<CostModel>>
tilecast::createCostModel(StringRef name, Location loc,
                          const CostModelOptions &options) {
  if (name == "hybrid")
    return createHybridModel(loc, options);
  // The other models have no file and one interval coverage: options that
  // would change a hybrid prediction are refused rather than ignored.
  if (llvm::is_contained(getCostModelNames(), name)) {
    if (!options.modelFile.empty())
      return emitError(loc) << "a model file applies to the hybrid model "
                               "only, not to '"
                            << name << "'";
    if (options.coverage != kDefaultCoverage)
      return emitError(loc)
             << "a coverage other than " << formatDouble(kDefaultCoverage)
             << " (" << formatDouble(options.coverage)
             << ") applies to the hybrid model only, not to '" << name << "'";
  }
  if (name == "analytical")
    return std::unique_ptr<CostModel>(std::make_unique<AnalyticalModel>());
  if (name == "roofline")
    return std::unique_ptr<CostModel>(std::make_unique<RooflineModel>());
  InFlightDiagnostic diag = emitError(loc)
                            << "unknown cost model '" << name << "'";
  diag.attachNote() << "available models: "
                    << llvm::join(getCostModelNames(), ", ");
  return failure();
}

CostAttr
CostEstimate::toAttr(MLIRContext *context,
                     function_ref<InFlightDiagnostic()> emitError) const {
  return CostAttr::getChecked(
      emitError, context, DoubleParam(latencyUs), DoubleParam(lowerUs),
      DoubleParam(upperUs), DoubleParam(computeUs), DoubleParam(memoryUs),
      DoubleParam(overheadUs), flops, bytes, bound, source);
}

CostEstimate CostEstimate::fromAttr(CostAttr attr) {
  CostEstimate e;
  e.latencyUs = attr.getLatencyUs();
  e.lowerUs = attr.getLowerUs();
  e.upperUs = attr.getUpperUs();
  e.computeUs = attr.getComputeUs();
  e.memoryUs = attr.getMemoryUs();
  e.overheadUs = attr.getOverheadUs();
  e.flops = attr.getFlops();
  e.bytes = attr.getBytes();
  e.bound = attr.getBound();
  e.source = attr.getSource();
  return e;
}

TileCostAttr
TileCostEstimate::toAttr(MLIRContext *context,
                         function_ref<InFlightDiagnostic()> emitError) const {
  return TileCostAttr::getChecked(
      emitError, context, ArrayRef<int64_t>(tileSizes), numTiles, waves,
      DoubleParam(tileLatencyUs), DoubleParam(latencyUs), bound);
}
