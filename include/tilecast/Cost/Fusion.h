//===- Fusion.h - Predicting what fusing two kernels saves ------*- C++ -*-===//

#ifndef TILECAST_COST_FUSION_H
#define TILECAST_COST_FUSION_H

#include "tilecast/Cost/CostModel.h"

namespace mlir::tilecast {

/// The tensors a producer and its consumer pass between them and share.
struct FusionTraffic {
  /// The intermediate tensor, the producer's result: the bytes of it the
  /// consumer reads (all of it, unless its map reads a slice).
  int64_t intermediateBytes = 0;
  /// The inputs both ops read (the same values, counted once each) and their
  /// bytes: the fused kernel reads each of them once.
  int64_t sharedInputs = 0;
  int64_t sharedInputBytes = 0;
  /// What the fused kernel still writes of the producer's result: all of it
  /// when the fused op keeps that result (upstream fusion does when the
  /// producer's payload reads its output, an accumulation), else 0.
  int64_t keptIntermediateBytes = 0;
};

/// The one kernel that computes `producer` inside `consumer`: the producer's
/// arithmetic joins the consumer's, its inputs are read instead of the
/// intermediate tensor, which is not read back (nor written, unless the
/// fused op keeps it), an input both read is read once, and there is one
/// kernel launch instead of two.
/// An element-wise consumer computes the producer's payload in each of its
/// iterations, as upstream element-wise fusion inlines it: more often than
/// the producer where it reads the intermediate broadcast, less where it
/// reads a slice (unless the fused op keeps the whole result); a
/// contraction or convolution consumer is taken to compute it once.
OpWorkload getFusedWorkload(const OpWorkload &producer,
                            const OpWorkload &consumer,
                            const FusionTraffic &traffic);

/// Predicted times of a producer/consumer pair apart and fused.
/// A fusion must save at least this fraction of the two kernels' time to be
/// advised: below it, run-to-run noise and code-size effects outweigh it.
/// Chosen by hand on the host's `tilecast-bench fusion`: advising every pair,
/// the tanh chains, whose time is libm calls that fusing does not shrink,
/// measured as often slower as faster (docs/tiling.md, "Fusion decisions").
/// Measured again without the page faults those runs timed (docs/tiling.md,
/// "Inputs both ops read"): with no line, the tanh chains below 2048x2048
/// were fused and measured 0.976-1.007 times their unfused time, 3 of 12
/// slower over two runs.
inline constexpr double kMinFusionSavingFraction = 0.05;

struct FusionEstimate {
  double unfusedUs = 0;
  double fusedUs = 0;
  double getSavingUs() const { return unfusedUs - fusedUs; }
  bool isProfitable() const {
    return getSavingUs() > kMinFusionSavingFraction * unfusedUs;
  }
};

FailureOr<FusionEstimate> estimateFusion(const OpWorkload &producer,
                                         const OpWorkload &consumer,
                                         const FusionTraffic &traffic,
                                         const TargetSpec &target,
                                         const CostModel &model, Location loc);

} // namespace mlir::tilecast

#endif // TILECAST_COST_FUSION_H
