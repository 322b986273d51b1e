//===- CostModel.cpp - Cost model registry and result conversion ----------===//

#include "tilecast/Cost/CostModel.h"
#include "tilecast/Cost/AnalyticalModel.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace mlir::tilecast;

CostModel::~CostModel() = default;

SmallVector<StringRef> tilecast::getCostModelNames() {
  return {"analytical", "roofline"};
}

FailureOr<std::unique_ptr<CostModel>> tilecast::createCostModel(StringRef name,
                                                                Location loc) {
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
