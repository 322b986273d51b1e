//===- Prediction.cpp - Composing op costs into a prediction --------------===//

#include "tilecast/Compose/Prediction.h"

#include "dialects/tilecast/TilecastDialect.h"
#include "tilecast/Cost/KernelGroup.h"
#include "tilecast/Cost/WorkloadOpInterface.h"
#include "tilecast/Support/ToolDiagnostics.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/CallInterfaces.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/LoopLikeInterface.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/Path.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <map>

using namespace mlir;
using namespace mlir::tilecast;

/// The first name in the op's location (looking through call sites and
/// fusions), else its first file:line:col, else "<unknown>".
static std::string getOpName(Operation *op) {
  std::string name, file;
  op->getLoc()->walk([&](Location inner) {
    if (auto named = dyn_cast<NameLoc>(inner);
        named && !named.getName().getValue().empty()) {
      name = named.getName().str();
      return WalkResult::interrupt();
    }
    if (auto fileLoc = dyn_cast<FileLineColLoc>(inner); fileLoc && file.empty())
      file = (llvm::sys::path::filename(fileLoc.getFilename().getValue()) +
              ":" + Twine(fileLoc.getLine()) + ":" + Twine(fileLoc.getColumn()))
                 .str();
    return WalkResult::advance();
  });
  if (!name.empty())
    return name;
  return file.empty() ? "<unknown>" : file;
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

/// Execution counts saturate instead of wrapping.
static int64_t saturatingMul(int64_t a, int64_t b) {
  int64_t result;
  return llvm::MulOverflow(a, b, result) ? std::numeric_limits<int64_t>::max()
                                         : result;
}
static int64_t saturatingAdd(int64_t a, int64_t b) {
  int64_t result;
  return llvm::AddOverflow(a, b, result) ? std::numeric_limits<int64_t>::max()
                                         : result;
}

/// Bits trip counts are computed in: the distance between two i64 bounds,
/// and products of several loops' counts, fit without wrapping.
static constexpr unsigned kTripCountBits = 128;

/// The number of iterations of `loop`, or nullopt if it is not known
/// statically. scf.for is counted here rather than by the interface so that
/// the distance between its bounds is taken in kTripCountBits bits, whatever
/// their integer type, and so that a zero or negative step (a loop that never
/// ends, once it starts) is unknown rather than zero. scf.forall and
/// scf.parallel multiply their dimensions' counts (saturating at the largest
/// kTripCountBits value). affine.for and affine.parallel count when their
/// bounds are constants (their interfaces do not say).
static std::optional<APInt> getTripCount(LoopLikeOpInterface loop) {
  auto countRange = [](APInt lb, APInt ub, APInt step,
                       bool isUnsigned) -> std::optional<APInt> {
    auto widen = [&](const APInt &v) {
      return isUnsigned ? v.zext(kTripCountBits) : v.sext(kTripCountBits);
    };
    APInt lower = widen(lb), upper = widen(ub), stride = widen(step);
    // The loop runs while the induction variable is below the upper bound,
    // so it never starts from at or above it, whatever the step.
    if (upper.sle(lower))
      return APInt(kTripCountBits, 0);
    if (!stride.isStrictlyPositive())
      return std::nullopt;
    return llvm::APIntOps::RoundingSDiv(upper - lower, stride,
                                        APInt::Rounding::UP);
  };
  if (auto forOp = dyn_cast<scf::ForOp>(loop.getOperation())) {
    APInt lb, ub, step;
    if (!matchPattern(forOp.getLowerBound(), m_ConstantInt(&lb)) ||
        !matchPattern(forOp.getUpperBound(), m_ConstantInt(&ub)) ||
        !matchPattern(forOp.getStep(), m_ConstantInt(&step)))
      return std::nullopt;
    return countRange(lb, ub, step, forOp.getUnsignedCmp());
  }
  // scf.forall and scf.parallel: the product of their dimensions' counts.
  auto countDims = [&](ArrayRef<OpFoldResult> lbs, ArrayRef<OpFoldResult> ubs,
                       ArrayRef<OpFoldResult> steps) -> std::optional<APInt> {
    // A dimension that runs zero times empties the loop whatever the others
    // are, static or not.
    APInt total(kTripCountBits, 1);
    bool allStatic = true;
    for (auto [lb, ub, step] : llvm::zip_equal(lbs, ubs, steps)) {
      std::optional<int64_t> l = getConstantIntValue(lb),
                             u = getConstantIntValue(ub),
                             st = getConstantIntValue(step);
      std::optional<APInt> dim;
      if (l && u && st)
        dim = countRange(APInt(64, *l, true), APInt(64, *u, true),
                         APInt(64, *st, true), /*isUnsigned=*/false);
      if (!dim) {
        allStatic = false;
        continue;
      }
      if (dim->isZero())
        return APInt(kTripCountBits, 0);
      total = total.umul_sat(*dim);
    }
    if (!allStatic)
      return std::nullopt;
    return total;
  };
  if (auto affineFor = dyn_cast<affine::AffineForOp>(loop.getOperation())) {
    if (!affineFor.hasConstantBounds())
      return std::nullopt;
    return countRange(APInt(64, affineFor.getConstantLowerBound(), true),
                      APInt(64, affineFor.getConstantUpperBound(), true),
                      APInt(64, affineFor.getStepAsInt(), true),
                      /*isUnsigned=*/false);
  }
  if (auto parallel = dyn_cast<affine::AffineParallelOp>(loop.getOperation())) {
    std::optional<SmallVector<int64_t>> ranges = parallel.getConstantRanges();
    if (!ranges)
      return std::nullopt;
    Builder b(parallel.getContext());
    SmallVector<OpFoldResult> lbs, ubs, steps;
    for (auto [range, step] : llvm::zip_equal(*ranges, parallel.getSteps())) {
      lbs.push_back(b.getIndexAttr(0));
      ubs.push_back(b.getIndexAttr(range));
      steps.push_back(b.getIndexAttr(step));
    }
    return countDims(lbs, ubs, steps);
  }
  if (auto forall = dyn_cast<scf::ForallOp>(loop.getOperation()))
    return countDims(forall.getMixedLowerBound(), forall.getMixedUpperBound(),
                     forall.getMixedStep());
  if (auto parallel = dyn_cast<scf::ParallelOp>(loop.getOperation()))
    return countDims(getAsOpFoldResult(parallel.getLowerBound()),
                     getAsOpFoldResult(parallel.getUpperBound()),
                     getAsOpFoldResult(parallel.getStep()));
  std::optional<APInt> trips = loop.getStaticTripCount();
  if (!trips)
    return std::nullopt;
  return trips->zextOrTrunc(kTripCountBits);
}

/// Loops and branches around an op whose counts the report should mention,
/// innermost first.
struct LoopNotes {
  /// Loops without a static trip count: their bodies are counted once.
  SmallVector<Operation *> dynamicLoops;
  /// The loop at which the nest's count passes int64_t (saturated), or null.
  Operation *saturatedLoop = nullptr;
  /// Loops with a static trip count of zero: their bodies add nothing.
  SmallVector<Operation *> emptyLoops;
  /// Conditionals (scf.if, scf.index_switch): their branches are all counted.
  SmallVector<Operation *> conditionals;
  /// Ops whose region has several blocks (unstructured control flow, cf.br
  /// and cf.cond_br): each block is counted once.
  SmallVector<Operation *> unstructured;
};

/// How many times `op` runs per run of its function: the product of the
/// trip counts of the loops around it, in kTripCountBits bits. A loop whose
/// trip count is not static counts once, as does a block of a region with
/// several (branches between blocks may skip or repeat it). A product beyond
/// int64_t saturates (not when another loop runs zero times).
static int64_t getLoopMultiplier(Operation *op, LoopNotes &notes) {
  APInt count(kTripCountBits, 1);
  APInt limit(kTripCountBits, std::numeric_limits<int64_t>::max());
  Operation *passedLimit = nullptr;
  for (Region *region = op->getParentRegion(); region;
       region = region->getParentOp()->getParentRegion()) {
    Operation *parent = region->getParentOp();
    if (!region->hasOneBlock())
      notes.unstructured.push_back(parent);
    if (isa<FunctionOpInterface>(parent))
      break;
    auto loop = dyn_cast<LoopLikeOpInterface>(parent);
    if (!loop) {
      if (isa<RegionBranchOpInterface>(parent) && parent->getNumRegions() > 1)
        notes.conditionals.push_back(parent);
      continue;
    }
    std::optional<APInt> trips = getTripCount(loop);
    if (!trips) {
      notes.dynamicLoops.push_back(parent);
      continue;
    }
    if (trips->isZero())
      notes.emptyLoops.push_back(parent);
    bool wasBelow = count.ule(limit);
    count = count.umul_sat(*trips);
    if (wasBelow && count.ugt(limit))
      passedLimit = parent;
  }
  if (count.ugt(limit)) {
    notes.saturatedLoop = passedLimit;
    return std::numeric_limits<int64_t>::max();
  }
  return count.getSExtValue();
}

namespace {
/// Composes functions through calls. Each function's time is its own ops'
/// plus, per call site, the callee's time (times the loop trip counts around
/// the call). Recursive cycles are collapsed: the depth of a recursion is not
/// known statically, so each function of a cycle counts once per call into
/// the cycle (and the cycle is reported). Functions are keyed by their op,
/// so equal names in nested modules stay apart. Everything is linear in the
/// size of the call graph and iterative (no recursion on deep call chains).
class CallGraphComposer {
public:
  explicit CallGraphComposer(Prediction &prediction) : prediction(prediction) {}

  /// The prediction entry of `function`, created on first use.
  FunctionPrediction &getFunction(FunctionOpInterface function) {
    return prediction.functions[getNode(function)];
  }

  /// Lists `entry` among what is not fully costed, and counts it against
  /// `function` (if any: ops outside functions have none).
  void reportUncosted(FunctionOpInterface function, UncostedOp entry) {
    if (function)
      ++getFunction(function).uncosted;
    prediction.uncosted.push_back(std::move(entry));
  }

  /// Adds the time of one op that runs `times` per run of `function`.
  void addOp(FunctionOpInterface function, const CostEstimate &cost,
             int64_t times) {
    getFunction(function).selfTime.add(cost, times);
  }

  /// Records every call site; indirect calls and calls to functions without
  /// a body are reported as uncosted. A call outside any function runs once
  /// per run of the module (times its loops), like the ops there.
  void collectCalls(ModuleOp module) {
    SymbolTableCollection symbolTables;
    module.walk([&](CallOpInterface call) {
      auto caller = call->getParentOfType<FunctionOpInterface>();
      std::string callerName = caller ? caller.getName().str() : "";
      if (isa<Value>(call.getCallableForCallee())) {
        reportUncosted(caller,
                       {callerName, getOpName(call),
                        call->getName().getStringRef().str(),
                        "indirect call: the callee is not known statically, so "
                        "its time is unknown"});
        return;
      }
      auto callee = dyn_cast_if_present<FunctionOpInterface>(
          call.resolveCallableInTable(&symbolTables));
      if (!callee || callee.isExternal()) {
        reportUncosted(
            caller,
            {callerName, getOpName(call), call->getName().getStringRef().str(),
             "call to a function without a body: its time is unknown"});
        return;
      }
      LoopNotes notes;
      int64_t times = getLoopMultiplier(call, notes);
      reportLoops(caller, notes);
      ++getFunction(callee).calls;
      (caller ? edges[getNode(caller)] : outsideCalls)
          .push_back({getNode(callee), times});
    });
  }

  /// Reports, once per loop, the loops of `notes` (around an op of
  /// `function`, or outside any function if null).
  void reportLoops(FunctionOpInterface function, const LoopNotes &notes) {
    auto report = [&](Operation *loop, StringRef reason) {
      if (loop && reportedLoops.insert(loop).second)
        reportUncosted(function,
                       {function ? function.getName().str() : "",
                        getOpName(loop), loop->getName().getStringRef().str(),
                        reason.str()});
    };
    for (Operation *loop : notes.dynamicLoops)
      report(loop,
             "loop without a static trip count: its body is counted once");
    report(notes.saturatedLoop,
           "loop nest that runs more than 2^63 - 1 times: its body is "
           "counted 2^63 - 1 times, so the totals are lower bounds");
    for (Operation *loop : notes.emptyLoops)
      report(loop, "loop that runs zero times: its body adds nothing");
    for (Operation *conditional : notes.conditionals)
      report(conditional,
             "conditional: which branch runs is not known statically; "
             "every branch is counted as if it ran");
    for (Operation *op : notes.unstructured)
      report(op, "unstructured control flow: how often each block runs is "
                 "not known statically; every block is counted once");
  }

  /// Composes inclusive times, executions and the module total.
  void compose();

  int64_t getExecutions(FunctionOpInterface function) {
    return executions[component[getNode(function)]];
  }

private:
  struct Edge {
    unsigned callee;
    int64_t times;
  };

  unsigned getNode(FunctionOpInterface function) {
    auto [it, inserted] =
        nodes.try_emplace(function.getOperation(), prediction.functions.size());
    if (inserted) {
      prediction.functions.push_back(
          {function.getName().str(), {}, {}, 0, 0, 0});
      nodeOps.push_back(function);
      edges.emplace_back();
    }
    return it->second;
  }

  void findComponents();

  Prediction &prediction;
  llvm::DenseMap<Operation *, unsigned> nodes;
  std::vector<Operation *> nodeOps;
  std::vector<std::vector<Edge>> edges;
  /// The calls outside any function, which run once per run of the module.
  std::vector<Edge> outsideCalls;
  llvm::DenseSet<Operation *> reportedLoops;
  /// Strongly connected components, callees before callers (Tarjan order).
  std::vector<SmallVector<unsigned>> components;
  std::vector<unsigned> component;
  std::vector<int64_t> executions;
};
} // namespace

void CallGraphComposer::findComponents() {
  // Tarjan's algorithm, iterative.
  size_t n = edges.size();
  std::vector<int> order(n, -1), low(n, 0);
  std::vector<bool> onStack(n, false);
  std::vector<unsigned> stack;
  component.assign(n, 0);
  int counter = 0;
  for (unsigned root = 0; root < n; ++root) {
    if (order[root] >= 0)
      continue;
    // (node, index of the next edge to visit)
    std::vector<std::pair<unsigned, size_t>> work = {{root, 0}};
    order[root] = low[root] = counter++;
    stack.push_back(root);
    onStack[root] = true;
    while (!work.empty()) {
      auto &[node, next] = work.back();
      if (next < edges[node].size()) {
        unsigned callee = edges[node][next++].callee;
        if (order[callee] < 0) {
          order[callee] = low[callee] = counter++;
          stack.push_back(callee);
          onStack[callee] = true;
          work.push_back({callee, 0});
        } else if (onStack[callee]) {
          low[node] = std::min(low[node], order[callee]);
        }
        continue;
      }
      unsigned done = node;
      work.pop_back();
      if (!work.empty())
        low[work.back().first] = std::min(low[work.back().first], low[done]);
      if (low[done] != order[done])
        continue;
      SmallVector<unsigned> members;
      unsigned member;
      do {
        member = stack.back();
        stack.pop_back();
        onStack[member] = false;
        component[member] = components.size();
        members.push_back(member);
      } while (member != done);
      components.push_back(std::move(members));
    }
  }
}

void CallGraphComposer::compose() {
  findComponents();
  size_t numComponents = components.size();
  std::vector<Interval> inclusive(numComponents);
  std::vector<bool> calledFromElsewhere(numComponents, false);
  // Callees come first in Tarjan order, so their times are ready.
  for (unsigned c = 0; c < numComponents; ++c) {
    bool recursive = components[c].size() > 1;
    for (unsigned f : components[c]) {
      inclusive[c].add(prediction.functions[f].selfTime);
      for (Edge edge : edges[f]) {
        unsigned target = component[edge.callee];
        if (target == c) {
          recursive = true;
          continue;
        }
        calledFromElsewhere[target] = true;
        inclusive[c].add(inclusive[target], edge.times);
      }
    }
    if (recursive) {
      unsigned first = components[c].front();
      reportUncosted(
          cast<FunctionOpInterface>(nodeOps[first]),
          {prediction.functions[first].name, getOpName(nodeOps[first]),
           nodeOps[first]->getName().getStringRef().str(),
           "recursive calls: the recursion depth is unknown; each function of "
           "the cycle counts once per call into it"});
    }
    for (unsigned f : components[c])
      prediction.functions[f].time = inclusive[c];
  }
  // Calls outside any function: their callees are no entry points, and run
  // from the module itself.
  executions.assign(numComponents, 0);
  for (Edge edge : outsideCalls) {
    unsigned target = component[edge.callee];
    calledFromElsewhere[target] = true;
    prediction.time.add(inclusive[target], edge.times);
    executions[target] = saturatingAdd(executions[target], edge.times);
  }
  // Executions flow from callers to callees: reverse Tarjan order.
  for (unsigned c = numComponents; c-- > 0;) {
    if (!calledFromElsewhere[c]) {
      executions[c] += 1;
      prediction.time.add(inclusive[c]);
    }
    for (unsigned f : components[c])
      for (Edge edge : edges[f])
        if (component[edge.callee] != c)
          executions[component[edge.callee]] =
              saturatingAdd(executions[component[edge.callee]],
                            saturatingMul(executions[c], edge.times));
  }
  for (unsigned f = 0; f < prediction.functions.size(); ++f)
    prediction.functions[f].executions = executions[component[f]];
}

void Interval::add(const CostEstimate &cost, int64_t times) {
  totalUs += cost.latencyUs * times;
  lowerUs += cost.lowerUs * times;
  upperUs += cost.upperUs * times;
}

void Interval::add(const Interval &other, int64_t times) {
  totalUs += other.totalUs * times;
  lowerUs += other.lowerUs * times;
  upperUs += other.upperUs * times;
}

/// The op class of a costed op's kernel. The op was costed, so its workload
/// extracts; diagnostics of a module annotated elsewhere are not repeated.
static std::string getOpClass(Operation *op) {
  ScopedDiagnosticHandler silence(op->getContext(),
                                  [](Diagnostic &) { return success(); });
  FailureOr<OpWorkload> workload = getKernelWorkload(op);
  return failed(workload) ? "unknown" : getOpClassName(*workload).str();
}

/// Time per op class over all executions, largest first (ties by name).
static void composeOpClasses(Prediction &prediction) {
  std::map<std::string, OpClassPrediction> classes;
  for (const OpPrediction &op : prediction.ops) {
    OpClassPrediction &entry = classes[op.opClass];
    entry.name = op.opClass;
    entry.time.add(op.counted, op.executions);
    entry.kernels = saturatingAdd(entry.kernels, op.executions);
    prediction.kernelLaunches =
        saturatingAdd(prediction.kernelLaunches, op.executions);
    prediction.overheadUs += op.cost.overheadUs * op.executions;
  }
  for (auto &[name, entry] : classes)
    prediction.opClasses.push_back(entry);
  llvm::stable_sort(prediction.opClasses,
                    [](const OpClassPrediction &a, const OpClassPrediction &b) {
                      return a.time.totalUs > b.time.totalUs;
                    });
}

CostEstimate tilecast::getOverlappedCost(const CostEstimate &isolated) {
  CostEstimate counted = isolated;
  double executionUs = std::max(0.0, isolated.latencyUs - isolated.overheadUs);
  // Never more than alone: a learned correction may have scaled the latency
  // below its overhead term.
  counted.latencyUs =
      std::min(isolated.latencyUs, std::max(executionUs, isolated.overheadUs));
  double scale =
      isolated.latencyUs > 0 ? counted.latencyUs / isolated.latencyUs : 1.0;
  counted.lowerUs = isolated.lowerUs * scale;
  counted.upperUs = isolated.upperUs * scale;
  return counted;
}

Prediction tilecast::composePrediction(ModuleOp module,
                                       const TargetSpec &target,
                                       StringRef model,
                                       const ComposeOptions &options) {
  assert((!options.overlapLaunches || target.isGpu()) &&
         "overlapped launches on a CPU; see verifyComposeOptions");
  Prediction prediction;
  prediction.overlapLaunches = options.overlapLaunches;
  prediction.targetSpec = target;
  prediction.target = target.id;
  prediction.model = model.str();
  CallGraphComposer composer(prediction);
  // Every function with a body is listed, in module order, even if empty.
  module.walk([&](FunctionOpInterface function) {
    if (!function.isExternal())
      composer.getFunction(function);
  });
  // Ops outside functions run once, as their own entry.
  Interval outside;
  struct OpPlacement {
    size_t index;
    FunctionOpInterface function;
    int64_t times;
  };
  SmallVector<OpPlacement> placements;
  module.walk([&](Operation *op) {
    auto function = op->getParentOfType<FunctionOpInterface>();
    std::string functionName = function ? function.getName().str() : "";
    KernelStatus status = getKernelStatus(op);
    if (status == KernelStatus::Unsupported) {
      composer.reportUncosted(function, {functionName, getOpName(op),
                                         op->getName().getStringRef().str(),
                                         "no cost model for this op"});
      return;
    }
    auto cost = op->getAttrOfType<CostAttr>(TilecastDialect::kCostAttrName);
    if (status != KernelStatus::Costable || !cost)
      return;
    CostEstimate estimate = CostEstimate::fromAttr(cost);
    CostEstimate counted =
        options.overlapLaunches ? getOverlappedCost(estimate) : estimate;
    LoopNotes notes;
    int64_t times = getLoopMultiplier(op, notes);
    composer.reportLoops(function, notes);
    placements.push_back({prediction.ops.size(), function, times});
    KernelAttr kernel = getKernelAttr(op);
    prediction.ops.push_back(
        {functionName, getOpName(op), op->getName().getStringRef().str(),
         getShapeSummary(op), estimate, counted, 1, getOpClass(op),
         kernel ? kernel.getGroup().str() : ""});
    if (function) {
      composer.addOp(function, counted, times);
      FunctionPrediction &entry = composer.getFunction(function);
      entry.kernels = saturatingAdd(entry.kernels, times);
    } else
      outside.add(counted, times);
  });
  composer.collectCalls(module);
  composer.compose();
  prediction.time.add(outside);
  // Counts saturate at int64_t's largest value; an op that reaches it
  // through its function's calls is reported once per function (a loop
  // nest that passes it is reported as the loop).
  constexpr int64_t kMaxCount = std::numeric_limits<int64_t>::max();
  llvm::SmallPtrSet<Operation *, 4> saturatedFunctions;
  for (OpPlacement &placement : placements) {
    OpPrediction &op = prediction.ops[placement.index];
    int64_t functionRuns =
        placement.function ? composer.getExecutions(placement.function) : 1;
    op.executions = saturatingMul(placement.times, functionRuns);
    if (op.executions != kMaxCount || placement.times == kMaxCount ||
        !saturatedFunctions.insert(placement.function.getOperation()).second)
      continue;
    composer.reportUncosted(
        placement.function,
        {op.function, op.name, op.op,
         "runs 2^63 - 1 times or more through its loops and calls, as may "
         "other ops of its function: their executions are counted 2^63 - 1 "
         "times, so the execution and kernel counts and the op-class times "
         "are lower bounds"});
  }
  composeOpClasses(prediction);
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
     << (p.overlapLaunches ? ", launches overlapped" : "") << '\n';
  if (p.overlapLaunches)
    os << "(latency_us is each kernel alone; totals and shares count "
          "max(latency - overhead, overhead) per kernel)\n";
  // Names come from locations (loc("a\nb")): their control bytes are
  // escaped, so they cannot break the table's lines.
  size_t nameWidth = 4, opWidth = 2, shapeWidth = 5;
  for (const OpPrediction &op : p.ops) {
    nameWidth = std::max(nameWidth, escapeControlBytes(op.name).size());
    opWidth = std::max(opWidth, op.op.size());
    shapeWidth = std::max(shapeWidth, op.shape.size());
  }
  shapeWidth = std::min<size_t>(shapeWidth, 60);
  // Cuts long text to `width` columns, marking the cut with "...".
  // Microseconds with two decimals; a time too small to show in them (a
  // scalar op on a fast target) in scientific notation, not as 0.00.
  auto us = [](double value) {
    const char *spec = value != 0 && std::abs(value) < 0.005 ? "%.2e" : "%.2f";
    std::string text;
    llvm::raw_string_ostream(text) << llvm::format(spec, value);
    return text;
  };
  auto pad = [](StringRef raw, size_t width) {
    std::string text = escapeControlBytes(raw);
    std::string s = text.size() <= width
                        ? text
                        : StringRef(text).take_front(width - 3).str() + "...";
    return s + std::string(width - s.size(), ' ');
  };
  os << pad("name", nameWidth) << "  " << pad("op", opWidth) << "  "
     << pad("shape", shapeWidth)
     << "   latency_us  [   lower,    upper]  bound      share\n";
  size_t width = nameWidth + opWidth + shapeWidth + 62;
  printRule(os, width);
  for (const OpPrediction &op : p.ops) {
    double share = p.time.totalUs > 0 ? 100.0 * op.counted.latencyUs *
                                            op.executions / p.time.totalUs
                                      : 0.0;
    os << pad(op.name, nameWidth) << "  " << pad(op.op, opWidth) << "  "
       << pad(op.shape, shapeWidth) << "  "
       << llvm::format("%11s  [%8s, %8s]  %-9s %5.1f%%",
                       us(op.cost.latencyUs).c_str(),
                       us(op.cost.lowerUs).c_str(), us(op.cost.upperUs).c_str(),
                       stringifyBound(op.cost.bound).str().c_str(), share)
       << '\n';
  }
  printRule(os, width);
  // Function names take at least 30 columns, and as many as the longest.
  int functionWidth = 30;
  for (const FunctionPrediction &f : p.functions)
    functionWidth =
        std::max<int>(functionWidth, escapeControlBytes(f.name).size());
  for (const FunctionPrediction &f : p.functions) {
    os << llvm::format("function %-*s %12s us  [%s, %s]  calls %lld",
                       functionWidth, escapeControlBytes(f.name).c_str(),
                       us(f.time.totalUs).c_str(), us(f.time.lowerUs).c_str(),
                       us(f.time.upperUs).c_str(), (long long)f.calls);
    // A function's time leaves out what it could not cost: say so on its
    // line, not only in the list below, so that a 0.00 is never silent.
    if (f.uncosted > 0)
      os << "  (" << f.uncosted << " not fully costed, below)";
    os << '\n';
  }
  os << llvm::format("total %-*s %12s us  [%s, %s]  (%zu ops costed)\n",
                     functionWidth + 3, "", us(p.time.totalUs).c_str(),
                     us(p.time.lowerUs).c_str(), us(p.time.upperUs).c_str(),
                     p.ops.size());
  if (!p.uncosted.empty()) {
    os << p.uncosted.size() << " op(s) not fully costed:\n";
    for (const UncostedOp &op : p.uncosted)
      os << "  " << escapeControlBytes(op.name) << "  " << op.op << ": "
         << op.reason << '\n';
  }
  auto share = [&](double us) {
    return p.time.totalUs > 0 ? 100.0 * us / p.time.totalUs : 0.0;
  };
  // Per function over all its runs: a block called once per layer shows
  // its time per layer, the layer count and the time of all layers.
  os << llvm::format("\n%-*s %12s %8s %14s %7s %8s\n", functionWidth,
                     "by function", "us per run", "runs", "us all runs",
                     "share", "kernels");
  for (const FunctionPrediction &f : p.functions) {
    double allRuns = f.time.totalUs * f.executions;
    os << llvm::format("%-*s %12s %8lld %14s %6.1f%% %8lld\n", functionWidth,
                       escapeControlBytes(f.name).c_str(),
                       us(f.time.totalUs).c_str(), (long long)f.executions,
                       us(allRuns).c_str(), share(allRuns),
                       (long long)f.kernels);
  }
  os << llvm::format("\n%-14s %10s %14s  [%14s, %14s] %7s\n", "by op class",
                     "kernels", "us", "lower", "upper", "share");
  for (const OpClassPrediction &c : p.opClasses)
    os << llvm::format("%-14s %10lld %14s  [%14s, %14s] %6.1f%%\n",
                       c.name.c_str(), (long long)c.kernels,
                       us(c.time.totalUs).c_str(), us(c.time.lowerUs).c_str(),
                       us(c.time.upperUs).c_str(), share(c.time.totalUs));
  os << llvm::format("%-14s %10lld %14s  (launch overhead, %.1f%%)\n",
                     "launches", (long long)p.kernelLaunches,
                     us(p.overheadUs).c_str(), share(p.overheadUs));
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
                                {"calls", f.calls},
                                {"executions", f.executions},
                                {"kernels", f.kernels},
                                {"uncosted", f.uncosted}});
  doc["ops"] = json::array();
  for (const OpPrediction &op : p.ops)
    doc["ops"].push_back({{"function", op.function},
                          {"name", op.name},
                          {"op", op.op},
                          {"shape", op.shape},
                          {"latency_us", op.cost.latencyUs},
                          {"counted_us", op.counted.latencyUs},
                          {"executions", op.executions},
                          {"lower_us", op.cost.lowerUs},
                          {"upper_us", op.cost.upperUs},
                          {"compute_us", op.cost.computeUs},
                          {"memory_us", op.cost.memoryUs},
                          {"overhead_us", op.cost.overheadUs},
                          {"bound", stringifyBound(op.cost.bound).str()},
                          {"source", stringifySource(op.cost.source).str()},
                          {"flops", op.cost.flops},
                          {"bytes", op.cost.bytes},
                          {"class", op.opClass},
                          {"kernel_group", op.kernelGroup}});
  doc["uncosted"] = json::array();
  for (const UncostedOp &op : p.uncosted)
    doc["uncosted"].push_back({{"function", op.function},
                               {"name", op.name},
                               {"op", op.op},
                               {"reason", op.reason}});
  doc["overlap_launches"] = p.overlapLaunches;
  doc["kernel_launches"] = p.kernelLaunches;
  doc["launch_overhead_us"] = p.overheadUs;
  doc["op_classes"] = json::array();
  for (const OpClassPrediction &c : p.opClasses)
    doc["op_classes"].push_back({{"class", c.name},
                                 {"total_us", c.time.totalUs},
                                 {"total_lower_us", c.time.lowerUs},
                                 {"total_upper_us", c.time.upperUs},
                                 {"kernels", c.kernels}});
  // Names come from the input's locations; invalid UTF-8 there is replaced,
  // never a reason to stop.
  os << doc.dump(2, ' ', /*ensure_ascii=*/false, json::error_handler_t::replace)
     << '\n';
}

LogicalResult tilecast::verifyComposeOptions(const ComposeOptions &options,
                                             const TargetSpec &target,
                                             Location loc) {
  if (options.overlapLaunches && !target.isGpu())
    return emitError(loc, "overlapped launches model a GPU's launch queue; '")
           << target.id
           << "' is a CPU, whose launch overhead (a parallel loop's start) "
              "runs in line with the loop";
  return success();
}

/// Whether every time of `interval` is a finite number.
static bool isFinite(const Interval &interval) {
  return std::isfinite(interval.totalUs) && std::isfinite(interval.lowerUs) &&
         std::isfinite(interval.upperUs);
}

LogicalResult tilecast::verifyPrediction(const Prediction &prediction,
                                         Location loc) {
  if (prediction.ops.empty()) {
    InFlightDiagnostic diag = emitError(loc, "nothing to cost: ")
                              << "the module has no op with a cost model";
    for (const UncostedOp &uncosted : prediction.uncosted)
      diag.attachNote() << uncosted.name << " " << uncosted.op << ": "
                        << uncosted.reason;
    if (prediction.uncosted.empty())
      diag.attachNote() << "TileCast costs linalg and tensor ops on static "
                           "shapes (docs/user-guide.md); the module has none";
    return failure();
  }
  // Every other total is part of the module's, or of an entry point's in it,
  // except the op classes' and the launch overhead's, which count each op at
  // most 2^63 - 1 times.
  auto overflows = [](const Prediction &p) {
    if (!isFinite(p.time) || !std::isfinite(p.overheadUs))
      return true;
    return llvm::any_of(p.opClasses, [](const OpClassPrediction &c) {
      return !isFinite(c.time);
    });
  };
  if (overflows(prediction))
    return emitError(loc, "the predicted time overflows: the module's loops "
                          "and calls multiply its ops' times beyond the "
                          "largest double (about 1.8e308 us)");
  return success();
}
