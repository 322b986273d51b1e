//===- Prediction.cpp - Composing op costs into a prediction --------------===//

#include "tilecast/Compose/Prediction.h"

#include "dialects/tilecast/TilecastDialect.h"
#include "tilecast/Cost/WorkloadOpInterface.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Path.h"

#include <nlohmann/json.hpp>

using namespace mlir;
using namespace mlir::tilecast;

void Interval::add(const CostEstimate &cost) {
  totalUs += cost.latencyUs;
  lowerUs += cost.lowerUs;
  upperUs += cost.upperUs;
}

static std::string getOpName(Operation *op) {
  Location loc = op->getLoc();
  if (auto named = dyn_cast<NameLoc>(loc))
    return named.getName().str();
  if (auto file = dyn_cast<FileLineColLoc>(loc))
    return (llvm::sys::path::filename(file.getFilename().getValue()) + ":" +
            Twine(file.getLine()) + ":" + Twine(file.getColumn()))
        .str();
  std::string text;
  llvm::raw_string_ostream os(text);
  loc.print(os);
  return text;
}

static void printShape(Type type, raw_ostream &os) {
  auto shaped = dyn_cast<ShapedType>(type);
  if (!shaped) {
    os << type;
    return;
  }
  for (int64_t size : shaped.getShape())
    os << size << 'x';
  os << shaped.getElementType();
}

static std::string getShapeSummary(Operation *op) {
  std::string text;
  llvm::raw_string_ostream os(text);
  llvm::interleaveComma(op->getOperandTypes(), os,
                        [&](Type type) { printShape(type, os); });
  os << " -> ";
  llvm::interleaveComma(op->getResultTypes(), os,
                        [&](Type type) { printShape(type, os); });
  return text;
}

Prediction tilecast::composePrediction(ModuleOp module, StringRef target,
                                       StringRef model) {
  Prediction prediction;
  prediction.target = target.str();
  prediction.model = model.str();
  llvm::StringMap<size_t> functionIndex;
  module.walk([&](Operation *op) {
    auto function = op->getParentOfType<FunctionOpInterface>();
    std::string functionName = function ? function.getName().str() : "";
    KernelStatus status = getKernelStatus(op);
    if (status == KernelStatus::Unsupported) {
      prediction.uncosted.push_back(
          {functionName, getOpName(op), op->getName().getStringRef().str(),
           "no cost model for this op"});
      return;
    }
    auto cost = op->getAttrOfType<CostAttr>(TilecastDialect::kCostAttrName);
    if (status != KernelStatus::Costable || !cost)
      return;
    CostEstimate estimate = CostEstimate::fromAttr(cost);
    prediction.ops.push_back({functionName, getOpName(op),
                              op->getName().getStringRef().str(),
                              getShapeSummary(op), estimate});
    auto [it, inserted] =
        functionIndex.try_emplace(functionName, prediction.functions.size());
    if (inserted)
      prediction.functions.push_back({functionName, {}});
    prediction.functions[it->second].time.add(estimate);
    prediction.time.add(estimate);
  });
  return prediction;
}

//===----------------------------------------------------------------------===//
// Table
//===----------------------------------------------------------------------===//

static void printRule(raw_ostream &os, size_t width) {
  os << std::string(width, '-') << '\n';
}

void tilecast::printPredictionTable(const Prediction &p, raw_ostream &os) {
  os << "TileCast prediction: target " << p.target << ", model " << p.model
     << '\n';
  size_t nameWidth = 4, opWidth = 2, shapeWidth = 5;
  for (const OpPrediction &op : p.ops) {
    nameWidth = std::max(nameWidth, op.name.size());
    opWidth = std::max(opWidth, op.op.size());
    shapeWidth = std::max(shapeWidth, op.shape.size());
  }
  shapeWidth = std::min<size_t>(shapeWidth, 60);
  auto pad = [](StringRef text, size_t width) {
    std::string s = text.take_front(width).str();
    return s + std::string(width - s.size(), ' ');
  };
  os << pad("name", nameWidth) << "  " << pad("op", opWidth) << "  "
     << pad("shape", shapeWidth)
     << "   latency_us  [   lower,    upper]  bound      share\n";
  size_t width = nameWidth + opWidth + shapeWidth + 62;
  printRule(os, width);
  for (const OpPrediction &op : p.ops) {
    double share = p.time.totalUs > 0 ? 100.0 * op.cost.latencyUs /
                                             p.time.totalUs
                                       : 0.0;
    os << pad(op.name, nameWidth) << "  " << pad(op.op, opWidth) << "  "
       << pad(op.shape, shapeWidth) << "  "
       << llvm::format("%11.2f  [%8.2f, %8.2f]  %-9s %5.1f%%",
                       op.cost.latencyUs, op.cost.lowerUs, op.cost.upperUs,
                       stringifyBound(op.cost.bound).str().c_str(), share)
       << '\n';
  }
  printRule(os, width);
  for (const FunctionPrediction &f : p.functions)
    os << llvm::format("function %-30s %12.2f us  [%.2f, %.2f]\n",
                       f.name.c_str(), f.time.totalUs, f.time.lowerUs,
                       f.time.upperUs);
  os << llvm::format("total %-33s %12.2f us  [%.2f, %.2f]  (%zu ops costed)\n",
                     "", p.time.totalUs, p.time.lowerUs, p.time.upperUs,
                     p.ops.size());
  if (!p.uncosted.empty()) {
    os << p.uncosted.size() << " op(s) not costed (left out of the totals):\n";
    for (const UncostedOp &op : p.uncosted)
      os << "  " << op.name << "  " << op.op << ": " << op.reason << '\n';
  }
}

//===----------------------------------------------------------------------===//
// JSON
//===----------------------------------------------------------------------===//

static constexpr const char *kPredictionSchema = "tilecast.prediction.v1";

void tilecast::printPredictionJson(const Prediction &p, raw_ostream &os) {
  using json = nlohmann::ordered_json;
  json doc;
  doc["schema"] = kPredictionSchema;
  doc["target"] = p.target;
  doc["model"] = p.model;
  doc["total_us"] = p.time.totalUs;
  doc["total_lower_us"] = p.time.lowerUs;
  doc["total_upper_us"] = p.time.upperUs;
  doc["functions"] = json::array();
  for (const FunctionPrediction &f : p.functions)
    doc["functions"].push_back({{"name", f.name},
                                {"total_us", f.time.totalUs},
                                {"total_lower_us", f.time.lowerUs},
                                {"total_upper_us", f.time.upperUs}});
  doc["ops"] = json::array();
  for (const OpPrediction &op : p.ops)
    doc["ops"].push_back(
        {{"function", op.function},
         {"name", op.name},
         {"op", op.op},
         {"shape", op.shape},
         {"latency_us", op.cost.latencyUs},
         {"lower_us", op.cost.lowerUs},
         {"upper_us", op.cost.upperUs},
         {"compute_us", op.cost.computeUs},
         {"memory_us", op.cost.memoryUs},
         {"overhead_us", op.cost.overheadUs},
         {"bound", stringifyBound(op.cost.bound).str()},
         {"source", stringifySource(op.cost.source).str()},
         {"flops", op.cost.flops},
         {"bytes", op.cost.bytes}});
  doc["uncosted"] = json::array();
  for (const UncostedOp &op : p.uncosted)
    doc["uncosted"].push_back({{"function", op.function},
                               {"name", op.name},
                               {"op", op.op},
                               {"reason", op.reason}});
  os << doc.dump(2) << '\n';
}
