//===- Prediction.cpp - Composing op costs into a prediction --------------===//

#include "tilecast/Compose/Prediction.h"

#include "dialects/tilecast/TilecastDialect.h"
#include "tilecast/Cost/WorkloadOpInterface.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Interfaces/CallInterfaces.h"
#include "llvm/ADT/DenseSet.h"
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

namespace {
/// Composes functions through calls: a function's time is its own ops' plus
/// each callee's time per call site. Functions are keyed by their op, so
/// equal names in nested modules stay apart.
class CallComposer {
public:
  explicit CallComposer(Prediction &prediction) : prediction(prediction) {}

  /// The prediction entry of `function`, created on first use.
  FunctionPrediction &getFunction(FunctionOpInterface function) {
    auto [it, inserted] =
        index.try_emplace(function, prediction.functions.size());
    if (inserted)
      prediction.functions.push_back({function.getName().str(), {}, {}, 0});
    return prediction.functions[it->second];
  }

  /// Records every call site. Calls to functions without a body, or to
  /// symbols that do not resolve, are reported as uncosted.
  void collectCalls(ModuleOp module) {
    module.walk([&](CallOpInterface call) {
      auto caller = call->getParentOfType<FunctionOpInterface>();
      auto callee =
          dyn_cast_if_present<FunctionOpInterface>(call.resolveCallable());
      if (!caller)
        return;
      if (!callee || callee.isExternal()) {
        prediction.uncosted.push_back(
            {caller.getName().str(), getOpName(call),
             call->getName().getStringRef().str(),
             "call to a function without a body: its time is unknown"});
        return;
      }
      callees[caller].push_back(callee);
      ++getFunction(callee).calls;
      if (callee != caller)
        calledFromElsewhere.insert(callee);
    });
  }

  /// Composes every function and the module total. Entry points are the
  /// functions no other function calls; functions reachable only through a
  /// cycle with no entry (mutual recursion) count as entries too.
  void compose() {
    for (FunctionOpInterface function : getFunctionsInOrder())
      if (!calledFromElsewhere.contains(function))
        addEntry(function);
    for (FunctionOpInterface function : getFunctionsInOrder())
      if (!reached.contains(function))
        addEntry(function);
  }

private:
  SmallVector<FunctionOpInterface> getFunctionsInOrder() {
    SmallVector<FunctionOpInterface> functions(index.size());
    for (auto [function, position] : index)
      functions[position] = cast<FunctionOpInterface>(function);
    return functions;
  }

  void addEntry(FunctionOpInterface function) {
    prediction.time.add(getInclusiveTime(function));
    markExecutions(function, 1);
  }

  /// Own time plus callees' time per call site. A recursive call adds the
  /// callee's own ops once: the recursion depth is not known statically.
  Interval getInclusiveTime(FunctionOpInterface function) {
    if (auto it = inclusive.find(function); it != inclusive.end())
      return it->second;
    FunctionPrediction &entry = getFunction(function);
    Interval time = entry.selfTime;
    active.insert(function);
    for (FunctionOpInterface callee : callees.lookup(function)) {
      if (active.contains(callee)) {
        time.add(getFunction(callee).selfTime);
        continue;
      }
      time.add(getInclusiveTime(callee));
    }
    active.erase(function);
    getFunction(function).time = time;
    inclusive[function] = time;
    return time;
  }

  /// Adds `count` executions of `function` and, per call site, of its
  /// callees (each recursive cycle is followed once).
  void markExecutions(FunctionOpInterface function, int64_t count) {
    executions[function] += count;
    reached.insert(function);
    if (!active.insert(function).second)
      return;
    for (FunctionOpInterface callee : callees.lookup(function)) {
      if (!active.contains(callee))
        markExecutions(callee, count);
      else
        executions[callee] += count;
    }
    active.erase(function);
  }

public:
  int64_t getExecutions(FunctionOpInterface function) const {
    return executions.lookup(function);
  }

private:
  Prediction &prediction;
  llvm::DenseMap<Operation *, size_t> index;
  llvm::DenseMap<Operation *, SmallVector<FunctionOpInterface>> callees;
  llvm::DenseSet<Operation *> calledFromElsewhere;
  llvm::DenseSet<Operation *> reached;
  llvm::DenseSet<Operation *> active;
  llvm::DenseMap<Operation *, Interval> inclusive;
  llvm::DenseMap<Operation *, int64_t> executions;
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
      composer.getFunction(function);
  });
  // Ops outside functions run once, as their own entry.
  Interval outside;
  SmallVector<std::pair<size_t, FunctionOpInterface>> opFunctions;
  module.walk([&](Operation *op) {
    auto function = op->getParentOfType<FunctionOpInterface>();
    std::string functionName = function ? function.getName().str() : "";
    KernelStatus status = getKernelStatus(op);
    if (status == KernelStatus::Unsupported) {
      prediction.uncosted.push_back({functionName, getOpName(op),
                                     op->getName().getStringRef().str(),
                                     "no cost model for this op"});
      return;
    }
    auto cost = op->getAttrOfType<CostAttr>(TilecastDialect::kCostAttrName);
    if (status != KernelStatus::Costable || !cost)
      return;
    CostEstimate estimate = CostEstimate::fromAttr(cost);
    opFunctions.push_back({prediction.ops.size(), function});
    prediction.ops.push_back({functionName, getOpName(op),
                              op->getName().getStringRef().str(),
                              getShapeSummary(op), estimate});
    if (function)
      composer.getFunction(function).selfTime.add(estimate);
    else
      outside.add(estimate);
  });
  composer.collectCalls(module);
  composer.compose();
  prediction.time.add(outside);
  for (auto [opIndex, function] : opFunctions)
    prediction.ops[opIndex].executions =
        function ? composer.getExecutions(function) : 1;
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
    doc["ops"].push_back({{"function", op.function},
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
