//===- Fusion.h - Predicting what fusing two kernels saves ------*- C++ -*-===//

#ifndef TILECAST_COST_FUSION_H
#define TILECAST_COST_FUSION_H

#include "tilecast/Cost/CostModel.h"

namespace mlir::tilecast {

/// The one kernel that computes `producer` inside `consumer`: the producer's
/// arithmetic joins the consumer's, its inputs are read instead of the
/// intermediate tensor (`intermediateBytes`), which is neither written nor
/// read back, and there is one kernel launch instead of two. An element-wise
/// consumer that reads the intermediate broadcast (more iterations than the
/// producer has) computes the producer's payload in each of its iterations,
/// as upstream element-wise fusion inlines it; a contraction or convolution
/// consumer is taken to compute it once.
OpWorkload getFusedWorkload(const OpWorkload &producer,
                            const OpWorkload &consumer,
                            int64_t intermediateBytes);

/// Predicted times of a producer/consumer pair apart and fused.
/// A fusion must save at least this fraction of the two kernels' time to be
/// advised: below it, run-to-run noise and code-size effects outweigh it.
/// Chosen by hand on the host's `tilecast-bench fusion`: advising every pair,
/// the tanh chains, whose time is libm calls that fusing does not shrink,
/// measured as often slower as faster (docs/tiling.md, "Fusion decisions").
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
                                         int64_t intermediateBytes,
                                         const TargetSpec &target,
                                         const CostModel &model, Location loc);

} // namespace mlir::tilecast

#endif // TILECAST_COST_FUSION_H
