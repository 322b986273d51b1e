//===- Prediction.h - Composing op costs into a prediction -----*- C++ -*-===//
//
// Reads the `tilecast.cost` attributes that tilecast-estimate-cost attached to
// a module and composes them into per-function and whole-module totals, with
// the ops that could not be costed listed. Renders the result as a table for
// people or as JSON (schema `tilecast.prediction.v1`,
// docs/prediction-schema.md).
//
//===----------------------------------------------------------------------===//

#ifndef TILECAST_COMPOSE_PREDICTION_H
#define TILECAST_COMPOSE_PREDICTION_H

#include "tilecast/Cost/CostEstimate.h"
#include "tilecast/Target/TargetSpec.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace mlir::tilecast {

struct OpPrediction {
  std::string function;
  /// The op's name location if it has one, else file:line:col.
  std::string name;
  std::string op;
  /// Operand and result shapes, e.g. "64x768xf32, 768x768xf32 -> 64x768xf32".
  std::string shape;
  CostEstimate cost;
  /// What one execution of the op adds to the totals: `cost`, or with
  /// overlapped launches (ComposeOptions) the larger of its execution and
  /// its dispatch.
  CostEstimate counted;
  /// Times the op runs per run of the module (its function's call count).
  int64_t executions = 1;
  /// The class of the kernel it runs ("gemm", "bmm", "elementwise",
  /// "softmax", "layernorm", ...; getOpClassName), or "unknown".
  std::string opClass;
  /// The kernel group the op leads (its cost is the group's), or "".
  std::string kernelGroup;
};

struct UncostedOp {
  std::string function;
  std::string name;
  std::string op;
  std::string reason;
};

struct Interval {
  double totalUs = 0;
  double lowerUs = 0;
  double upperUs = 0;

  /// Adds an op's estimate. Bounds add up as if the ops' errors were fully
  /// correlated, the conservative choice (docs/cost-model.md).
  void add(const CostEstimate &cost, int64_t times = 1);
  void add(const Interval &other, int64_t times = 1);
};

struct FunctionPrediction {
  std::string name;
  /// Own ops plus, per call site, the callee's time (for a function in a
  /// recursive cycle: the whole cycle's).
  Interval time;
  /// Own ops only.
  Interval selfTime;
  /// Call sites that call this function.
  int64_t calls = 0;
  /// Times the function runs per run of the module (a transformer block
  /// called from a loop over 24 layers: 24).
  int64_t executions = 0;
  /// Kernels the function's own ops launch per run of the function.
  int64_t kernels = 0;
  /// Entries of Prediction::uncosted about the function's own ops, calls and
  /// loops (and, for its first function, a recursive cycle): what its time
  /// leaves out or counts only in part.
  int64_t uncosted = 0;
};

/// The time of one op class over the whole module.
struct OpClassPrediction {
  std::string name;
  /// Sum over the class's ops of latency x executions.
  Interval time;
  /// Kernel launches per run of the module.
  int64_t kernels = 0;
};

/// How op costs add up.
struct ComposeOptions {
  /// Kernels are issued back to back by a host that runs ahead of the GPU
  /// (PyTorch eager, CUDA streams): the host dispatches the next kernel while
  /// the current one executes, so in a sequence each kernel occupies the
  /// stream for max(latency - overhead, overhead) instead of latency, the
  /// overhead being the host's per-kernel dispatch cost. Off, every kernel
  /// counts as measured in isolation (latency = execution + overhead).
  bool overlapLaunches = false;
};

/// The cost one execution of an op adds to a sequence's total with
/// overlapped launches: latency max(latency - overhead, overhead), never more
/// than the latency alone, its bounds scaled by the same factor.
CostEstimate getOverlappedCost(const CostEstimate &isolated);

struct Prediction {
  /// The target's spec-sheet numbers (reported as "target_info").
  TargetSpec targetSpec;
  std::string target;
  std::string model;
  Interval time;
  std::vector<FunctionPrediction> functions;
  std::vector<OpPrediction> ops;
  std::vector<UncostedOp> uncosted;
  /// Time per op class, largest first.
  std::vector<OpClassPrediction> opClasses;
  /// Kernel launches per run of the module, and the launch overhead they
  /// add up to (sum of overhead_us x executions).
  int64_t kernelLaunches = 0;
  double overheadUs = 0;
  bool overlapLaunches = false;
};

/// Composes the costs attached to `module`: per function, its own ops (times
/// the static trip counts of the loops around them) plus its callees' time
/// per call site; the module's time is the sum over its entry points
/// (functions no other function calls). Recursive cycles count each member
/// once per call into the cycle and are reported, as are loops without a
/// static trip count (counted once) and calls to declarations. Ops outside
/// any function are reported under the function name "".
Prediction composePrediction(ModuleOp module, const TargetSpec &target,
                             StringRef model,
                             const ComposeOptions &options = {});

/// Fails, with an error at `loc`, when `options` do not apply to `target`:
/// overlapped launches model a GPU's launch queue, while a CPU's launch
/// overhead (the start of a parallel loop) is part of the loop it starts.
LogicalResult verifyComposeOptions(const ComposeOptions &options,
                                   const TargetSpec &target, Location loc);

/// Fails, with an error at `loc`, when `prediction` is not one: it priced no
/// op (a total of zero; the notes say why each op, call or loop was left
/// out, or, when there was nothing at all, what TileCast costs), or its
/// loops and calls multiply a time beyond the largest double.
LogicalResult verifyPrediction(const Prediction &prediction, Location loc);

/// A table for people: one row per op, then totals per function and overall,
/// then time per function over all its runs (per layer) and per op class.
void printPredictionTable(const Prediction &prediction, raw_ostream &os);
/// JSON following `tilecast.prediction.v1`.
void printPredictionJson(const Prediction &prediction, raw_ostream &os);
/// One self-contained HTML page (no network) drawing the given
/// `tilecast.prediction.v1` documents side by side: a sortable op table, time
/// by op class and a roofline chart. The page template is
/// python/tilecast/report.html, shared with the Python package.
void printPredictionHtml(ArrayRef<std::string> jsonDocuments, raw_ostream &os);

} // namespace mlir::tilecast

#endif // TILECAST_COMPOSE_PREDICTION_H
