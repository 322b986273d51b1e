//===- Fusion.cpp - Predicting what fusing two kernels saves --------------===//

#include "tilecast/Cost/Fusion.h"

using namespace mlir;
using namespace mlir::tilecast;

OpWorkload tilecast::getFusedWorkload(const OpWorkload &producer,
                                      const OpWorkload &consumer,
                                      int64_t intermediateBytes) {
  OpWorkload fused = consumer;
  fused.flops += producer.flops;
  fused.transcendentals += producer.transcendentals;
  fused.exponentials += producer.exponentials;
  fused.bytesRead += producer.bytesRead - intermediateBytes;
  fused.numInputs += producer.numInputs - 1;
  return fused;
}

FailureOr<FusionEstimate>
tilecast::estimateFusion(const OpWorkload &producer, const OpWorkload &consumer,
                         int64_t intermediateBytes, const TargetSpec &target,
                         const CostModel &model, Location loc) {
  FailureOr<CostEstimate> producerCost = model.estimate(producer, target, loc);
  FailureOr<CostEstimate> consumerCost = model.estimate(consumer, target, loc);
  if (failed(producerCost) || failed(consumerCost))
    return failure();
  FailureOr<CostEstimate> fusedCost = model.estimate(
      getFusedWorkload(producer, consumer, intermediateBytes), target, loc);
  if (failed(fusedCost))
    return failure();
  return FusionEstimate{producerCost->latencyUs + consumerCost->latencyUs,
                        fusedCost->latencyUs};
}
