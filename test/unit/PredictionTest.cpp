//===- PredictionTest.cpp - Composition rules with hand-derived values ----===//

#include "tilecast/Compose/Prediction.h"

#include <gtest/gtest.h>

using namespace mlir::tilecast;

namespace {
CostEstimate makeCost(double latencyUs, double overheadUs, double lowerUs,
                      double upperUs) {
  CostEstimate c;
  c.latencyUs = latencyUs;
  c.overheadUs = overheadUs;
  c.lowerUs = lowerUs;
  c.upperUs = upperUs;
  return c;
}
} // namespace

// With overlapped launches a kernel counts max(latency - overhead, overhead):
//  * the V100 scale kernel, 38.306 us of which 27.6 dispatch: it executes
//    10.706 us and counts 27.6; its bounds scale by 27.6 / 38.306 = 0.720514,
//    so 28.389 -> 20.4547 and 58.575 -> 42.2041;
//  * a 100 us kernel with the same dispatch counts its 72.4 us execution;
//  * a kernel a correction made shorter than its overhead term (20 us with
//    27.6 of overhead) counts its 20 us, never more than alone.
TEST(PredictionTest, OverlappedLaunchesCountExecutionOrDispatch) {
  CostEstimate dispatchBound =
      getOverlappedCost(makeCost(38.306, 27.6, 28.389, 58.575));
  EXPECT_NEAR(dispatchBound.latencyUs, 27.6, 1e-12);
  EXPECT_NEAR(dispatchBound.lowerUs, 20.4547, 1e-4);
  EXPECT_NEAR(dispatchBound.upperUs, 42.2041, 1e-4);
  EXPECT_NEAR(getOverlappedCost(makeCost(100, 27.6, 80, 150)).latencyUs, 72.4,
              1e-12);
  EXPECT_NEAR(getOverlappedCost(makeCost(20, 27.6, 15, 30)).latencyUs, 20.0,
              1e-12);
}
