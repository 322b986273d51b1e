//===- Fusion.cpp - Predicting what fusing two kernels saves --------------===//

#include "tilecast/Cost/Fusion.h"

#include <cmath>

using namespace mlir;
using namespace mlir::tilecast;

OpWorkload tilecast::getFusedWorkload(const OpWorkload &producer,
                                      const OpWorkload &consumer,
                                      const FusionTraffic &traffic) {
  assert(traffic.sharedInputs <= producer.numInputs &&
         traffic.sharedInputs < consumer.numInputs &&
         traffic.sharedInputBytes <= producer.bytesRead &&
         traffic.intermediateBytes + traffic.sharedInputBytes <=
             consumer.bytesRead &&
         traffic.keptIntermediateBytes <= producer.bytesWritten &&
         "the intermediate and the shared inputs are read by the consumer, "
         "the shared inputs by the producer too");
  OpWorkload fused = consumer;
  // How many times the producer's payload runs per producer iteration: once
  // per consumer iteration for an element-wise consumer (more often where it
  // reads the intermediate broadcast, less where it reads a slice of it),
  // but at least once where the fused op still writes the whole result.
  double recompute = 1.0;
  if (consumer.kind == WorkloadKind::Elementwise) {
    double producerIterations = double(producer.getIterations());
    double consumerIterations = double(consumer.getIterations());
    if (producerIterations > 0)
      recompute = consumerIterations / producerIterations;
    if (traffic.keptIntermediateBytes > 0)
      recompute = std::max(recompute, 1.0);
  }
  // Counts are at most kMaxWorkloadCount (2^50) and so are the consumer's
  // iterations, but a heavy payload recomputed over many iterations can pass
  // int64_t: capped at 2^62, far beyond any time a fusion could pay for.
  constexpr double kMaxFusedCount = double(int64_t(1) << 62);
  auto times = [&](int64_t count) {
    return static_cast<int64_t>(
        std::min(std::round(double(count) * recompute), kMaxFusedCount));
  };
  fused.flops += times(producer.flops);
  fused.transcendentals += times(producer.transcendentals);
  fused.exponentials += times(producer.exponentials);
  fused.bytesRead +=
      producer.bytesRead - traffic.intermediateBytes - traffic.sharedInputBytes;
  fused.numInputs += producer.numInputs - 1 - traffic.sharedInputs;
  fused.bytesWritten += traffic.keptIntermediateBytes;
  return fused;
}

FailureOr<FusionEstimate>
tilecast::estimateFusion(const OpWorkload &producer, const OpWorkload &consumer,
                         const FusionTraffic &traffic, const TargetSpec &target,
                         const CostModel &model, Location loc) {
  FailureOr<CostEstimate> producerCost = model.estimate(producer, target, loc);
  FailureOr<CostEstimate> consumerCost = model.estimate(consumer, target, loc);
  if (failed(producerCost) || failed(consumerCost))
    return failure();
  FailureOr<CostEstimate> fusedCost = model.estimate(
      getFusedWorkload(producer, consumer, traffic), target, loc);
  if (failed(fusedCost))
    return failure();
  return FusionEstimate{producerCost->latencyUs + consumerCost->latencyUs,
                        fusedCost->latencyUs};
}
