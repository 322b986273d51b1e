//===- HybridFeatures.cpp - Inputs of the hybrid model's correction -------===//
//
// Every feature comes from the op or the analytical model's decomposition of
// it on the target (which reads the spec sheet); none is measured on the
// target. Sizes enter as logarithms so that the networks see relative
// changes.
//
//===----------------------------------------------------------------------===//

#include "tilecast/Cost/HybridModel.h"

#include <cmath>

using namespace mlir;
using namespace mlir::tilecast;

/// Times and sizes are positive; this floor keeps logarithms finite for the
/// degenerate ones (a kernel with no arithmetic has compute time 0).
static constexpr double kLogFloor = 1e-9;
static double safeLog(double value) {
  return std::log(std::max(value, kLogFloor));
}

ArrayRef<StringLiteral> tilecast::getHybridFeatureNames() {
  static constexpr StringLiteral kNames[] = {
      // The op's shape and arithmetic.
      "log_flops", "log_bytes", "log_batch", "log_m", "log_n", "log_k",
      "log_rows", "log_row_length", "transcendentals_per_element",
      // The analytical model's decomposition of it on the target.
      "overhead_fraction", "log_waves", "tile_utilisation"};
  static_assert(std::size(kNames) == kNumHybridFeatures);
  return kNames;
}

ArrayRef<HybridFeatureSet> tilecast::getHybridFeatureSets() {
  // Shape features only, or with the decomposition; see docs/cost-model.md
  // (section 5) for why no raw spec-sheet feature is among them.
  static const HybridFeatureSet kSets[] = {
      {"shape", {0, 1, 2, 3, 4, 5, 6, 7, 8}},
      {"shape+decomposition", {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}}};
  return kSets;
}

/// The share of the target's units the analytical model's tiles keep busy
/// over its waves. Only GEMM-like ops are decomposed into tiles: a streaming
/// kernel is modelled as using every unit, so its share is 1 (as
/// numTiles / SMs, it would be 1 / SMs: the unit count, a spec-sheet number
/// by which a network tells the GPUs apart; docs/cost-model.md, section 5).
static double getTileUtilisation(const OpWorkload &w, const TargetSpec &target,
                                 const AnalyticalBreakdown &b) {
  if (w.kind != WorkloadKind::Contraction &&
      w.kind != WorkloadKind::Convolution)
    return 1.0;
  return double(b.numTiles) / (double(b.waves) * target.computeUnits);
}

HybridFeatures
tilecast::computeHybridFeatures(const OpWorkload &w, const TargetSpec &target,
                                const AnalyticalBreakdown &b) {
  double latencyUs = b.getLatencyUs();
  double elements = double(w.rows) * w.rowLength;
  HybridFeatures f = {
      safeLog(double(w.flops)),
      safeLog(double(w.getBytes())),
      safeLog(double(w.batch)),
      safeLog(double(w.m)),
      safeLog(double(w.n)),
      safeLog(double(w.k)),
      safeLog(double(w.rows)),
      safeLog(double(w.rowLength)),
      elements > 0 ? double(w.transcendentals) / elements : 0.0,
      latencyUs > 0 ? b.overheadUs / latencyUs : 0.0,
      safeLog(double(b.waves)),
      getTileUtilisation(w, target, b),
  };
  return f;
}

std::optional<KernelClass> tilecast::getHybridClass(const OpWorkload &w) {
  switch (w.kind) {
  case WorkloadKind::Contraction:
    // PyTorch runs batched products as bmm and the rest as linear (addmm).
    return w.batch > 1 ? KernelClass::Bmm : KernelClass::Linear;
  case WorkloadKind::Elementwise:
    return KernelClass::Elementwise;
  case WorkloadKind::Softmax:
    return KernelClass::Softmax;
  case WorkloadKind::LayerNorm:
    return KernelClass::LayerNorm;
  case WorkloadKind::Convolution:
  case WorkloadKind::Reduction:
  case WorkloadKind::DataMovement:
    return std::nullopt;
  }
  return std::nullopt;
}
