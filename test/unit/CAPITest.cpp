//===- CAPITest.cpp - The C API: handles, errors as values ----------------===//
//
// Expected costs are the hand-derived ones of AnalyticalModelTest.cpp (a
// 1024^3 f32 matmul on the V100: 260.817 us).
//
//===----------------------------------------------------------------------===//

#include "tilecast-c/TileCast.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

namespace {
/// Owns a TilecastError and exposes its message.
struct ErrorGuard {
  TilecastError error;
  ~ErrorGuard() { tilecastErrorDestroy(error); }
  std::string message() const { return tilecastErrorGetMessage(error); }
};

/// Owns the handles a test creates, so that they are destroyed when it ends,
/// also when an ASSERT returns early (the Destroy functions accept null).
class CAPITest : public ::testing::Test {
protected:
  void TearDown() override {
    tilecastWorkloadDestroy(workload);
    tilecastModelDestroy(model);
    tilecastTargetDestroy(target);
  }
  /// Loads the target `id` and the analytical model.
  void loadAnalytical(const char *id) {
    ASSERT_EQ(tilecastTargetLoad(id, &target), nullptr);
    ASSERT_EQ(tilecastModelCreate("analytical", &model), nullptr);
  }

  TilecastTarget target = nullptr;
  TilecastModel model = nullptr;
  TilecastWorkload workload = nullptr;
};
} // namespace

TEST_F(CAPITest, VersionAndTargets) {
  EXPECT_EQ(tilecastGetApiVersion(), TILECAST_C_API_VERSION);
  EXPECT_STRNE(tilecastGetVersion(), "");
  size_t count = tilecastGetNumBuiltinTargets();
  ASSERT_EQ(count, 13u);
  EXPECT_STREQ(tilecastGetBuiltinTargetId(0), "a100-pcie-40gb");
  EXPECT_EQ(tilecastGetBuiltinTargetId(count), nullptr);
}

TEST_F(CAPITest, EstimateMatchesTheHandDerivation) {
  ASSERT_NO_FATAL_FAILURE(loadAnalytical("v100"));
  ASSERT_EQ(tilecastWorkloadCreateMatmul(1, 1024, 1024, 1024,
                                         TILECAST_DTYPE_F32, &workload),
            nullptr);
  EXPECT_EQ(tilecastWorkloadGetNumLoops(workload), 4u);
  TilecastTargetInfo info = tilecastTargetGetInfo(target);
  EXPECT_STREQ(info.id, "v100");
  EXPECT_EQ(info.computeUnits, 80);

  TilecastCost cost;
  ASSERT_EQ(tilecastEstimate(model, target, workload, &cost), nullptr);
  EXPECT_NEAR(cost.latencyUs, 260.817, 1e-2);
  EXPECT_EQ(cost.bound, TILECAST_BOUND_COMPUTE);

  int64_t tiles[] = {1, 128, 64, 0, 1, 64, 64, 0};
  TilecastTileCost tileCosts[2];
  ASSERT_EQ(tilecastEstimateTiles(model, target, workload, tiles, 2, tileCosts),
            nullptr);
  EXPECT_EQ(tileCosts[0].numTiles, 128);
  EXPECT_EQ(tileCosts[1].numTiles, 256);
}

TEST_F(CAPITest, ErrorsAreValuesWithMessages) {
  ErrorGuard unknown{tilecastTargetLoad("b200", &target)};
  ASSERT_NE(unknown.error, nullptr);
  EXPECT_NE(unknown.message().find("unknown target 'b200'"), std::string::npos);
  EXPECT_EQ(target, nullptr);

  ErrorGuard badModel{tilecastModelCreate("oracle", &model)};
  EXPECT_NE(badModel.message().find("unknown cost model 'oracle'"),
            std::string::npos);

  ErrorGuard badSize{tilecastWorkloadCreateMatmul(
      1, 0, 16, 16, TILECAST_DTYPE_F32, &workload)};
  EXPECT_NE(badSize.message().find("sizes must be at least 1"),
            std::string::npos);

  // Sizes or counts whose products would overflow the op's FLOP and byte
  // counts are refused, not wrapped.
  ErrorGuard tooManyIterations{
      tilecastWorkloadCreateElementwise(int64_t(1) << 32, int64_t(1) << 32, 1,
                                        1, 0, TILECAST_DTYPE_F32, &workload)};
  EXPECT_NE(tooManyIterations.message().find("more than 2^50 iterations"),
            std::string::npos)
      << tooManyIterations.message();
  ErrorGuard tooManyFlops{tilecastWorkloadCreateElementwise(
      int64_t(1) << 20, int64_t(1) << 20, 1, int64_t(1) << 20, 0,
      TILECAST_DTYPE_F32, &workload)};
  EXPECT_NE(tooManyFlops.message().find("exceeds 2^50"), std::string::npos)
      << tooManyFlops.message();
  EXPECT_EQ(workload, nullptr);

  ErrorGuard nullArgument{tilecastEstimate(nullptr, nullptr, nullptr, nullptr)};
  EXPECT_NE(nullArgument.message().find("null argument"), std::string::npos);
}

// Errors in spec files read file:line:col, as the tools print them (the
// malformed spec has a stray comma at line 11, column 21), and a refused row
// of tile sizes is named by its index.
TEST_F(CAPITest, ErrorsNameTheirFileLineAndRow) {
  ErrorGuard malformed{tilecastTargetLoad(
      TILECAST_SOURCE_DIR "/test/Passes/Inputs/malformed.json", &target)};
  EXPECT_EQ(malformed.message().rfind(
                TILECAST_SOURCE_DIR "/test/Passes/Inputs/malformed.json:11:"
                                    "21: error: malformed JSON in target spec",
                0),
            0u)
      << malformed.message();

  loadAnalytical("h100-sxm");
  ASSERT_EQ(tilecastWorkloadCreateMatmul(1, 64, 64, 64, TILECAST_DTYPE_F32,
                                         &workload),
            nullptr);
  int64_t tiles[] = {0, 32, 32, 0, 0, 16, 16, 0, 0, -1, 0, 0};
  TilecastTileCost tileCosts[3];
  ErrorGuard negative{
      tilecastEstimateTiles(model, target, workload, tiles, 3, tileCosts)};
  EXPECT_EQ(negative.message().rfind("row 2: error: tile size -1 of loop 1 is "
                                     "negative",
                                     0),
            0u)
      << negative.message();
  EXPECT_EQ(tileCosts[1].numTiles, 16);
}

// Four transcendental evaluations per element of a 1 x 1024 map on the
// built-in host (2 cores at 3700 MHz, data/targets/host.json), untiled. Split
// over the 2 cores, each evaluates 512 elements, 4 x 512 x 24 cycles (cpu::
// kTranscendentalCycles) = 13.284 us, after the host's 60 us parallel-loop
// start (launch_overhead_us): 73.3 us. On the calling thread alone, 4 x 1024
// x 24 cycles = 98304 cycles = 26.569 us, the faster. Marked as
// exponentials, 4 x 1024 x 5 cycles (cpu::kExponentialCycles) = 5.535 us.
// The 8 KiB streamed take 0.035 us from L1, so compute bounds both.
TEST_F(CAPITest, ExponentialsArePricedApartOnTheHost) {
  ASSERT_NO_FATAL_FAILURE(loadAnalytical("host"));
  ASSERT_EQ(tilecastWorkloadCreateElementwise(1, 1024, 1, 0, 4,
                                              TILECAST_DTYPE_F32, &workload),
            nullptr);
  TilecastCost cost;
  ASSERT_EQ(tilecastEstimate(model, target, workload, &cost), nullptr);
  EXPECT_NEAR(cost.latencyUs, 26.569, 1e-3);

  ErrorGuard tooMany{tilecastWorkloadSetExponentialsPerElement(workload, 5)};
  EXPECT_NE(tooMany.message().find("5 exponentials per element, but the "
                                   "workload has 4 transcendental"),
            std::string::npos)
      << tooMany.message();
  ASSERT_EQ(tilecastEstimate(model, target, workload, &cost), nullptr);
  EXPECT_NEAR(cost.latencyUs, 26.569, 1e-3)
      << "a refused count changes nothing";

  ErrorGuard negative{tilecastWorkloadSetExponentialsPerElement(workload, -1)};
  EXPECT_NE(negative.message().find("must be non-negative, got -1"),
            std::string::npos)
      << negative.message();
  ErrorGuard noWorkload{tilecastWorkloadSetExponentialsPerElement(nullptr, 1)};
  EXPECT_NE(noWorkload.message().find("null workload"), std::string::npos);

  ASSERT_EQ(tilecastWorkloadSetExponentialsPerElement(workload, 4), nullptr);
  ASSERT_EQ(tilecastEstimate(model, target, workload, &cost), nullptr);
  EXPECT_NEAR(cost.latencyUs, 5.535, 1e-3);
  EXPECT_EQ(cost.bound, TILECAST_BOUND_COMPUTE);
  tilecastWorkloadDestroy(workload);
  workload = nullptr;

  ASSERT_EQ(
      tilecastWorkloadCreateMatmul(1, 8, 8, 8, TILECAST_DTYPE_F32, &workload),
      nullptr);
  ErrorGuard notElementwise{
      tilecastWorkloadSetExponentialsPerElement(workload, 0)};
  EXPECT_NE(notElementwise.message().find("not element-wise"),
            std::string::npos);
}

TEST_F(CAPITest, PredictModuleReportsLocatedErrors) {
  ASSERT_EQ(tilecastTargetLoad("v100", &target), nullptr);
  const char *ok = "func.func @f(%a: tensor<16xf32>) -> tensor<16xf32> {\n"
                   "  %e = tensor.empty() : tensor<16xf32>\n"
                   "  %r = linalg.add ins(%a, %a : tensor<16xf32>, "
                   "tensor<16xf32>) outs(%e : tensor<16xf32>) -> "
                   "tensor<16xf32>\n"
                   "  return %r : tensor<16xf32>\n}\n";
  TilecastString json{};
  ASSERT_EQ(tilecastPredictModule(ok, std::strlen(ok), "ok.mlir", target,
                                  "analytical", &json),
            nullptr);
  EXPECT_NE(std::string(json.data, json.length)
                .find("\"schema\": \"tilecast.prediction.v1\""),
            std::string::npos);
  tilecastStringDestroy(json);

  const char *bad = "func.func @f() {\n  %x = bogus.op\n}\n";
  ErrorGuard error{tilecastPredictModule(bad, std::strlen(bad), "bad.mlir",
                                         target, "analytical", &json)};
  EXPECT_NE(error.message().find("bad.mlir:2:"), std::string::npos)
      << error.message();
}
