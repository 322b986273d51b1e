//===- HybridRegressionTest.cpp - The shipped model on a fixed subset -----===//
//
// Scores the built-in hybrid model (data/models/hybrid.json) on a fixed
// subset of the unseen GPUs' validation kernels checked into
// test/Inputs/neusight-subset (see its README) and fails if any class's MAPE
// is more than 2 points worse than when the model was checked in. Retraining
// that improves a class should lower its baseline here.
//
//===----------------------------------------------------------------------===//

#include "TestUtils.h"

#include "tilecast/Cost/CostModel.h"
#include "tilecast/Cost/Measurements.h"


#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

using namespace mlir;
using namespace mlir::tilecast;
using mlir::tilecast::testing::TestContext;

/// A class may lose this many points of MAPE before the test fails.
static constexpr double kAllowedRegressionPoints = 2.0;

namespace {
struct Baseline {
  KernelClass kernelClass;
  /// MAPE % of the checked-in model on the subset, printed by this test.
  double mape;
};
} // namespace

// Measured with the model of the same commit (the test prints them).
static constexpr Baseline kBaselines[] = {
    {KernelClass::Bmm, 18.82},
    {KernelClass::Linear, 17.09},
    {KernelClass::Elementwise, 6.09},
    {KernelClass::Softmax, 10.40},
    {KernelClass::LayerNorm, 14.85},
};

TEST(HybridRegressionTest, CheckedInModelKeepsItsAccuracyOnUnseenGpus) {
  TestContext ctx;
  FailureOr<std::vector<Measurement>> measurements = readMeasurements(
      TILECAST_SOURCE_DIR "/test/Inputs/neusight-subset", Split::Validation,
      ctx.loc());
  ASSERT_TRUE(succeeded(measurements)) << ctx.getDiagnostics();
  FailureOr<std::unique_ptr<CostModel>> model =
      createCostModel("hybrid", ctx.loc());
  ASSERT_TRUE(succeeded(model)) << ctx.getDiagnostics();

  TargetCache targets;
  std::array<double, kNumKernelClasses> apeSum{};
  std::array<int64_t, kNumKernelClasses> count{};
  for (const Measurement &m : *measurements) {
    FailureOr<const TargetSpec *> target = targets.lookup(m.device, ctx.loc());
    ASSERT_TRUE(succeeded(target)) << ctx.getDiagnostics();
    FailureOr<CostEstimate> e =
        (*model)->estimate(m.workload, **target, ctx.loc());
    ASSERT_TRUE(succeeded(e)) << ctx.getDiagnostics();
    unsigned c = static_cast<unsigned>(m.kernelClass);
    apeSum[c] += std::abs(e->latencyUs - m.latencyUs) / m.latencyUs;
    ++count[c];
  }
  for (const Baseline &baseline : kBaselines) {
    unsigned c = static_cast<unsigned>(baseline.kernelClass);
    ASSERT_GT(count[c], 0);
    double mape = 100.0 * apeSum[c] / count[c];
    std::printf("%-12s %4lld kernels  MAPE %.2f %%  (baseline %.2f)\n",
                getKernelClassName(baseline.kernelClass).str().c_str(),
                static_cast<long long>(count[c]), mape, baseline.mape);
    EXPECT_LE(mape, baseline.mape + kAllowedRegressionPoints)
        << getKernelClassName(baseline.kernelClass).str();
  }
}
