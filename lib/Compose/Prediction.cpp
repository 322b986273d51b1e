//===- Prediction.cpp - Composing op costs into a prediction --------------===//

#include "tilecast/Compose/Prediction.h"

#include "dialects/tilecast/TilecastDialect.h"
#include "tilecast/Cost/WorkloadOpInterface.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "mlir/Interfaces/CallInterfaces.h"
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

namespace {
/// Composes functions through `func.call`: a function's time is its own ops'
/// plus each callee's time per call.
class CallComposer {
public:
  CallComposer(Prediction &prediction) : prediction(prediction) {}

  /// Records the direct callees of every function in `module`.
  void collectCalls(ModuleOp module) {
    module.walk([&](CallOpInterface call) {
      auto caller = call->getParentOfType<FunctionOpInterface>();
      auto callee = dyn_cast<SymbolRefAttr>(call.getCallableForCallee());
      if (caller && callee)
        callees[caller.getName()].push_back(
            callee.getLeafReference().getValue());
    });
  }

  /// The time of `name` including its callees; recursion is reported and
  /// cut at the recursive call.
  Interval getInclusiveTime(StringRef name) {
    if (auto it = inclusive.find(name); it != inclusive.end())
      return it->second;
    Interval time = getFunction(name).selfTime;
    if (!active.insert(name).second) {
      prediction.uncosted.push_back(
          {name.str(), name.str(), "func.call",
           "recursive call: the callee is counted once"});
      return time;
    }
    for (StringRef callee : callees.lookup(name)) {
      ++getFunction(callee).calls;
      time.add(getInclusiveTime(callee));
    }
    active.erase(name);
    getFunction(name).time = time;
    return inclusive[name] = time;
  }

  /// How many times `name` runs per run of the module: once per entry point
  /// that it is, plus once per call site per run of the caller.
  int64_t getExecutions(StringRef name) {
    if (auto it = executions.find(name); it != executions.end())
      return it->second;
    executions[name] = 0; // Cuts recursion.
    int64_t count = isCalled(name) ? 0 : 1;
    for (const auto &[caller, calls] : callees)
      count += llvm::count(calls, name) * getExecutions(caller);
    return executions[name] = count;
  }

  /// True if some function calls `name`.
  bool isCalled(StringRef name) const {
    for (const auto &entry : callees)
      if (llvm::is_contained(entry.second, name))
        return true;
    return false;
  }

  FunctionPrediction &getFunction(StringRef name) {
    auto [it, inserted] =
        functionIndex.try_emplace(name, prediction.functions.size());
    if (inserted)
      prediction.functions.push_back({name.str(), {}, {}, 0});
    return prediction.functions[it->second];
  }

private:
  Prediction &prediction;
  llvm::StringMap<size_t> functionIndex;
  llvm::StringMap<SmallVector<StringRef>> callees;
  llvm::StringMap<Interval> inclusive;
  llvm::StringMap<int64_t> executions;
  llvm::StringSet<> active;
};
} // namespace

void Interval::add(const Interval &other) {
  totalUs += other.totalUs;
  lowerUs += other.lowerUs;
  upperUs += other.upperUs;
}

Prediction tilecast::composePrediction(ModuleOp module,
                                       const TargetSpec &target,
                                       StringRef model) {
  Prediction prediction;
  prediction.targetSpec = target;
  prediction.target = target.id;
  prediction.model = model.str();
  CallComposer composer(prediction);
  // Every function with a body is listed, in module order, even if empty.
  module.walk([&](FunctionOpInterface function) {
    if (!function.isExternal())
      composer.getFunction(function.getName());
  });
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
    composer.getFunction(functionName).selfTime.add(estimate);
  });
  composer.collectCalls(module);
  // The module's time is that of its entry points: functions nobody calls.
  for (size_t i = 0; i < prediction.functions.size(); ++i) {
    std::string name = prediction.functions[i].name;
    Interval time = composer.getInclusiveTime(name);
    if (!composer.isCalled(name))
      prediction.time.add(time);
  }
  for (OpPrediction &op : prediction.ops)
    op.executions = composer.getExecutions(op.function);
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
  // Cuts long text to `width` columns, marking the cut with "...".
  auto pad = [](StringRef text, size_t width) {
    std::string s = text.size() <= width
                        ? text.str()
                        : (text.take_front(width - 3) + "...").str();
    return s + std::string(width - s.size(), ' ');
  };
  os << pad("name", nameWidth) << "  " << pad("op", opWidth) << "  "
     << pad("shape", shapeWidth)
     << "   latency_us  [   lower,    upper]  bound      share\n";
  size_t width = nameWidth + opWidth + shapeWidth + 62;
  printRule(os, width);
  for (const OpPrediction &op : p.ops) {
    double share = p.time.totalUs > 0 ? 100.0 * op.cost.latencyUs *
                                             op.executions / p.time.totalUs
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
    os << llvm::format("function %-30s %12.2f us  [%.2f, %.2f]  calls %lld\n",
                       f.name.c_str(), f.time.totalUs, f.time.lowerUs,
                       f.time.upperUs, (long long)f.calls);
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
  json peaks = json::object();
  for (unsigned i = 0; i < kNumPeakKinds; ++i)
    if (p.targetSpec.peakTflops[i] > 0)
      peaks[getPeakKey(static_cast<PeakKind>(i)).str()] =
          p.targetSpec.peakTflops[i];
  doc["target_info"] = {
      {"name", p.targetSpec.name},
      {"kind", p.targetSpec.isGpu() ? "gpu" : "cpu"},
      {"compute_units", p.targetSpec.computeUnits},
      {"memory_bandwidth_gbps", p.targetSpec.memoryBandwidthGbps},
      {"peak_tflops", peaks}};
  doc["functions"] = json::array();
  for (const FunctionPrediction &f : p.functions)
    doc["functions"].push_back({{"name", f.name},
                                {"total_us", f.time.totalUs},
                                {"total_lower_us", f.time.lowerUs},
                                {"total_upper_us", f.time.upperUs},
                                {"self_us", f.selfTime.totalUs},
                                {"calls", f.calls}});
  doc["ops"] = json::array();
  for (const OpPrediction &op : p.ops)
    doc["ops"].push_back(
        {{"function", op.function},
         {"name", op.name},
         {"op", op.op},
         {"shape", op.shape},
         {"latency_us", op.cost.latencyUs},
         {"executions", op.executions},
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
