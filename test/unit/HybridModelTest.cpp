//===- HybridModelTest.cpp - The hybrid model, its files and its training -===//
//
// The networks here are written by hand so that every expected value can be
// worked out on paper; the comment above each check shows the arithmetic.
//
//===----------------------------------------------------------------------===//

#include "TestUtils.h"

#include "tilecast/Cost/HybridModel.h"
#include "tilecast/Cost/Training.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace mlir;
using namespace mlir::tilecast;
using mlir::tilecast::testing::makeV100;
using mlir::tilecast::testing::TestContext;

namespace {
/// A softmax network reading log_rows through one tanh unit:
///   c = 1 * tanh(2 * tanh(1 * log(rows))).
/// Intervals: 90% = [-0.2, +0.3] in log space.
constexpr const char *kTinyModel = R"({
  "schema": "tilecast.model.v1",
  "training": {"data_sha256": "0000000000000000000000000000000000000000000000000000000000000000",
               "seed": 7, "gpus": ["v100"], "hidden_layers": [1], "epochs": 1,
               "batch_size": 1, "learning_rate": 0.001},
  "classes": {
    "softmax": {
      "training_rows": 1, "candidates": [], "held_out_scores": [],
      "intervals": [{"coverage": 0.9, "lower_log_ratio": -0.2, "upper_log_ratio": 0.3}],
      "network": {"inputs": ["log_rows"], "max_log_correction": 1.0,
                  "normalisation": {"mean": [0.0], "scale": [1.0]},
                  "layers": [{"weights": [[1.0]], "bias": [0.0]},
                             {"weights": [[2.0]], "bias": [0.0]}]}}
  }
})";

std::shared_ptr<const HybridModelFile> parseTiny(TestContext &ctx,
                                                 std::string text = kTinyModel) {
  FailureOr<HybridModelFile> file = parseHybridModel(text, "tiny.json", ctx.get());
  if (failed(file))
    return nullptr;
  return std::make_shared<const HybridModelFile>(std::move(*file));
}

/// The analytical and the hybrid (`file`) estimates of a 2 x 1024 f32
/// softmax on the V100, the tiny model's one class, whole and in tiles of
/// one row.
struct SoftmaxEstimates {
  FailureOr<CostEstimate> analytical = failure();
  FailureOr<CostEstimate> hybrid = failure();
  FailureOr<TileCostEstimate> analyticalTile = failure();
  FailureOr<TileCostEstimate> hybridTile = failure();
};
SoftmaxEstimates estimateSoftmax(TestContext &ctx,
                                 std::shared_ptr<const HybridModelFile> file) {
  OpWorkload softmax = OpWorkload::getSoftmax(2, 1024, 4);
  TargetSpec v100 = makeV100("v100");
  AnalyticalModel analytical;
  HybridModel hybrid(std::move(file));
  return {analytical.estimate(softmax, v100, ctx.loc()),
          hybrid.estimate(softmax, v100, ctx.loc()),
          analytical.estimateTile(softmax, {1, 0}, v100, ctx.loc()),
          hybrid.estimateTile(softmax, {1, 0}, v100, ctx.loc())};
}

/// Replaces the first occurrence of `from` in the tiny model by `to`.
std::string mutate(StringRef from, StringRef to,
                   std::string text = kTinyModel) {
  size_t at = text.find(from.str());
  EXPECT_NE(at, std::string::npos) << from.str();
  return text.replace(at, from.size(), to.str());
}
} // namespace

// rows = 2: the hidden unit is tanh(log 2) = (4 - 1) / (4 + 1) = 0.6, the
// output z = 2 * 0.6 = 1.2 and c = tanh(1.2) = 0.833655 (bound 1), so the
// hybrid latency is the analytical one times exp(0.833655) = 2.301715, and
// the interval is that times exp(-0.2) = 0.818731 and exp(0.3) = 1.349859.
TEST(HybridModelTest, CorrectsTheAnalyticalTimeByTheNetwork) {
  TestContext ctx;
  auto file = parseTiny(ctx);
  ASSERT_TRUE(file) << ctx.getDiagnostics();
  auto [base, hybrid, baseTile, hybridTile] = estimateSoftmax(ctx, file);
  ASSERT_TRUE(succeeded(base) && succeeded(hybrid));
  EXPECT_NEAR(hybrid->latencyUs / base->latencyUs, 2.301715, 1e-6);
  EXPECT_NEAR(hybrid->lowerUs / hybrid->latencyUs, 0.818731, 1e-6);
  EXPECT_NEAR(hybrid->upperUs / hybrid->latencyUs, 1.349859, 1e-6);
  EXPECT_EQ(hybrid->source, Source::hybrid);
  // Compute and memory times stay the analytical model's bounds.
  EXPECT_EQ(hybrid->computeUs, base->computeUs);
  EXPECT_EQ(hybrid->memoryUs, base->memoryUs);
}

// A kernel takes at least its launch overhead plus its roofline time,
// whatever the correction: with the output weight negated, c = tanh(-1.2) =
// -0.833655 and the factor exp(c) = 0.434459 would put a 2 x 1024 softmax,
// whose analytical time is nearly all launch overhead, below it; the latency
// is the 33.8 us overhead plus its 16384 bytes at 900 GB/s (0.0182044 us),
// and the interval is taken around it (x exp(-0.2), x exp(0.3)).
TEST(HybridModelTest, NeverPredictsLessThanTheLaunchOverhead) {
  TestContext ctx;
  auto file = parseTiny(ctx, mutate(R"({"weights": [[2.0]])",
                                    R"({"weights": [[-2.0]])"));
  ASSERT_TRUE(file) << ctx.getDiagnostics();
  auto [base, hybrid, baseTile, hybridTile] = estimateSoftmax(ctx, file);
  ASSERT_TRUE(succeeded(base) && succeeded(hybrid));
  ASSERT_LT(base->latencyUs * 0.434459, base->overheadUs);
  EXPECT_NEAR(hybrid->latencyUs, base->overheadUs + 0.0182044, 1e-6);
  EXPECT_NEAR(hybrid->lowerUs / hybrid->latencyUs, 0.818731, 1e-6);
  EXPECT_NEAR(hybrid->upperUs / hybrid->latencyUs, 1.349859, 1e-6);
  // Tilings too: the analytical tile estimate carries the same overhead.
  ASSERT_TRUE(succeeded(baseTile) && succeeded(hybridTile));
  EXPECT_EQ(baseTile->overheadUs, base->overheadUs);
  ASSERT_LT(baseTile->latencyUs * 0.434459, baseTile->overheadUs);
  EXPECT_NEAR(hybridTile->latencyUs, baseTile->overheadUs + 0.0182044, 1e-6);
}

// Nor faster than its bytes at the DRAM bandwidth: a 65536 x 1024 softmax
// gets c = tanh(-2 * tanh(log 65536)) = tanh(-2.0) = -0.964028 (factor
// 0.381350), which would take its 536870912 bytes (read and written once)
// below 536870912 / 900e9 s = 596.523236 us; the latency is that plus the
// 33.8 us overhead.
TEST(HybridModelTest, NeverPredictsLessThanTheRoofline) {
  TestContext ctx;
  auto file = parseTiny(
      ctx, mutate(R"({"weights": [[2.0]])", R"({"weights": [[-2.0]])"));
  ASSERT_TRUE(file) << ctx.getDiagnostics();
  OpWorkload softmax = OpWorkload::getSoftmax(65536, 1024, 4);
  TargetSpec v100 = makeV100("v100");
  FailureOr<CostEstimate> base =
      AnalyticalModel().estimate(softmax, v100, ctx.loc());
  FailureOr<CostEstimate> hybrid =
      HybridModel(file).estimate(softmax, v100, ctx.loc());
  ASSERT_TRUE(succeeded(base) && succeeded(hybrid)) << ctx.getDiagnostics();
  ASSERT_LT(base->latencyUs * 0.381350, 596.523236 + base->overheadUs);
  EXPECT_NEAR(hybrid->latencyUs, 596.523236 + base->overheadUs, 1e-5);
}

// No input tells the GPUs apart by a spec-sheet number alone: a streaming
// kernel has no tiles in the analytical model, so its tile utilisation is 1,
// not 1 / SMs. An element-wise add on a V100 and on the same V100 with 132
// SMs (the analytical time, DRAM-bound, does not change) gets the same
// features; a 1024^3 GEMM's utilisation follows its tiles (the analytical
// model's fastest tiling there: 1024 blocks in 13 waves of 80 SMs,
// 1024 / 1040 = 0.984615).
TEST(HybridModelTest, StreamingFeaturesDoNotSeeTheUnitCount) {
  TestContext ctx;
  TargetSpec v100 = makeV100("v100");
  TargetSpec wide = v100;
  wide.computeUnits = 132;
  OpWorkload add = OpWorkload::getElementwise(4096, 4096, 2, 1, 0, 4);
  FailureOr<AnalyticalBreakdown> narrowBreakdown =
      getAnalyticalBreakdown(add, v100, ctx.loc());
  FailureOr<AnalyticalBreakdown> wideBreakdown =
      getAnalyticalBreakdown(add, wide, ctx.loc());
  ASSERT_TRUE(succeeded(narrowBreakdown) && succeeded(wideBreakdown))
      << ctx.getDiagnostics();
  HybridFeatures narrow = computeHybridFeatures(add, v100, *narrowBreakdown);
  HybridFeatures wider = computeHybridFeatures(add, wide, *wideBreakdown);
  EXPECT_EQ(narrow, wider);
  EXPECT_EQ(narrow.back(), 1.0);

  OpWorkload gemm =
      OpWorkload::getMatmul(1, 1024, 1024, 1024, PeakKind::F32, 4);
  FailureOr<AnalyticalBreakdown> gemmBreakdown =
      getAnalyticalBreakdown(gemm, v100, ctx.loc());
  ASSERT_TRUE(succeeded(gemmBreakdown)) << ctx.getDiagnostics();
  HybridFeatures gemmFeatures =
      computeHybridFeatures(gemm, v100, *gemmBreakdown);
  EXPECT_EQ(gemmBreakdown->numTiles, 1024);
  EXPECT_EQ(gemmBreakdown->waves, 13);
  EXPECT_NEAR(gemmFeatures.back(), 0.984615, 1e-6);
}

// The network saw FP32 GPU kernels only: other arithmetic, CPUs and classes
// without a model keep the analytical estimate and say so.
TEST(HybridModelTest, LeavesWhatItWasNotTrainedOnToTheAnalyticalModel) {
  TestContext ctx;
  auto file = parseTiny(ctx);
  ASSERT_TRUE(file);
  TargetSpec v100 = makeV100("v100");
  HybridModel hybrid(file);
  AnalyticalModel analytical;
  OpWorkload f16 = OpWorkload::getMatmul(1, 256, 256, 256, PeakKind::F16, 2);
  OpWorkload noModel = OpWorkload::getElementwise(64, 64, 2, 1, 0, 4);
  for (const OpWorkload &w : {f16, noModel}) {
    FailureOr<CostEstimate> a = analytical.estimate(w, v100, ctx.loc());
    FailureOr<CostEstimate> h = hybrid.estimate(w, v100, ctx.loc());
    ASSERT_TRUE(succeeded(a) && succeeded(h));
    EXPECT_EQ(h->latencyUs, a->latencyUs);
    EXPECT_EQ(h->source, Source::analytical);
  }
}

// Tiles are the analytical tile estimate times the op's correction
// (2.301715 for rows = 2, as above).
// A power-limited target (DRAM bandwidth per SM below 10 GB/s: 30 GB/s over
// 80 SMs here) gets its group's interval, [-0.5, +0.1]: exp(-0.5) = 0.606531
// and exp(0.1) = 1.105171 times the latency; others the pooled one.
TEST(HybridModelTest, PowerLimitedTargetsGetTheirGroupsIntervals) {
  TestContext ctx;
  auto file = parseTiny(ctx, mutate(R"("training_rows": 1,)", R"("training_rows": 1,
      "group_intervals": {"power_limited": [{"coverage": 0.9,
          "lower_log_ratio": -0.5, "upper_log_ratio": 0.1}]},)"));
  ASSERT_TRUE(file) << ctx.getDiagnostics();
  OpWorkload softmax = OpWorkload::getSoftmax(2, 1024, 4);
  TargetSpec lowPower = makeV100("low-power");
  lowPower.memoryBandwidthGbps = 30;
  FailureOr<CostEstimate> limited =
      HybridModel(file).estimate(softmax, lowPower, ctx.loc());
  ASSERT_TRUE(succeeded(limited));
  EXPECT_NEAR(limited->lowerUs / limited->latencyUs, 0.606531, 1e-6);
  EXPECT_NEAR(limited->upperUs / limited->latencyUs, 1.105171, 1e-6);
  FailureOr<CostEstimate> other =
      HybridModel(file).estimate(softmax, makeV100("v100"), ctx.loc());
  ASSERT_TRUE(succeeded(other));
  EXPECT_NEAR(other->lowerUs / other->latencyUs, 0.818731, 1e-6);
}

TEST(HybridModelTest, ScalesTileEstimatesByTheOpCorrection) {
  TestContext ctx;
  auto file = parseTiny(ctx);
  ASSERT_TRUE(file);
  SoftmaxEstimates estimates = estimateSoftmax(ctx, file);
  FailureOr<TileCostEstimate> &base = estimates.analyticalTile;
  FailureOr<TileCostEstimate> &hybrid = estimates.hybridTile;
  ASSERT_TRUE(succeeded(base) && succeeded(hybrid));
  EXPECT_NEAR(hybrid->latencyUs / base->latencyUs, 2.301715, 1e-6);
  EXPECT_EQ(hybrid->numTiles, base->numTiles);
}

// A calibration for v100 adds its class bias (0.1) to the correction:
// exp(0.833655 + 0.1) = 2.543789 times the analytical time.
TEST(HybridModelTest, AppliesTheCalibrationOfItsTargetOnly) {
  TestContext ctx;
  std::string text = mutate(R"(  }
})", R"(  },
  "calibration": {"target": "v100", "measurements": 5, "log_bias": {"softmax": 0.1}}
})");
  auto file = parseTiny(ctx, text);
  ASSERT_TRUE(file) << ctx.getDiagnostics();
  OpWorkload softmax = OpWorkload::getSoftmax(2, 1024, 4);
  TargetSpec v100 = makeV100("v100");
  double base = AnalyticalModel().estimate(softmax, v100, ctx.loc())->latencyUs;
  EXPECT_NEAR(HybridModel(file).estimate(softmax, v100, ctx.loc())->latencyUs /
                  base,
              2.543789, 1e-6);
  TargetSpec other = v100;
  other.id = "v100-other";
  EXPECT_NEAR(HybridModel(file).estimate(softmax, other, ctx.loc())->latencyUs /
                  base,
              2.301715, 1e-6);
}

// A calibration changes, and is the source of, the latencies of the classes
// it has a bias for only: a class without a network whose bias is 0 keeps
// the analytical latency and says so.
TEST(HybridModelTest, CalibrationIsTheSourceOfItsClassesOnly) {
  TestContext ctx;
  std::string text = mutate(R"(  }
})",
                            R"(  },
  "calibration": {"target": "v100", "measurements": 5, "log_bias": {"softmax": 0.1}}
})");
  text = mutate(R"("classes": {)", R"("classes": {
    "layernorm": {
      "training_rows": 1, "candidates": [], "held_out_scores": [],
      "intervals": [{"coverage": 0.9, "lower_log_ratio": -0.2, "upper_log_ratio": 0.3}],
      "network": null},)",
                text);
  auto file = parseTiny(ctx, text);
  ASSERT_TRUE(file) << ctx.getDiagnostics();
  TargetSpec v100 = makeV100("v100");
  OpWorkload layerNorm = OpWorkload::getLayerNorm(64, 1024, 4);
  FailureOr<CostEstimate> e =
      HybridModel(file).estimate(layerNorm, v100, ctx.loc());
  ASSERT_TRUE(succeeded(e)) << ctx.getDiagnostics();
  EXPECT_EQ(e->source, Source::analytical);
  EXPECT_EQ(e->latencyUs,
            AnalyticalModel().estimate(layerNorm, v100, ctx.loc())->latencyUs);
  text =
      mutate(R"("softmax": 0.1)", R"("softmax": 0.1, "layernorm": 0.2)", text);
  file = parseTiny(ctx, text);
  ASSERT_TRUE(file) << ctx.getDiagnostics();
  e = HybridModel(file).estimate(layerNorm, v100, ctx.loc());
  ASSERT_TRUE(succeeded(e)) << ctx.getDiagnostics();
  EXPECT_EQ(e->source, Source::hybrid);
}

TEST(HybridModelFileTest, PrintsWhatItParses) {
  TestContext ctx;
  auto file = parseTiny(ctx);
  ASSERT_TRUE(file);
  std::string printed = printHybridModel(*file);
  auto reparsed = parseTiny(ctx, printed);
  ASSERT_TRUE(reparsed) << ctx.getDiagnostics();
  EXPECT_EQ(printHybridModel(*reparsed), printed);
}

TEST(HybridModelFileTest, RefusesBrokenFilesWithTheFieldPath) {
  struct Case {
    const char *from, *to, *message;
  };
  const Case cases[] = {
      {"tilecast.model.v1", "tilecast.model.v0",
       "model file field 'schema' must be 'tilecast.model.v1', got "
       "\"tilecast.model.v0\""},
      {R"("mean": [0.0])", R"("mean": [0.0, 1.0])",
       "model file field 'classes.softmax.network.normalisation.mean' must be "
       "an array of 1 numbers"},
      {R"("weights": [[2.0]])", R"("weights": [["NaN"]])",
       "model file field 'classes.softmax.network.layers[1].weights[0]' has a "
       "non-finite or non-numeric entry at index 0"},
      {R"(["log_rows"])", R"(["log_cycles"])",
       "names a feature this build does not compute: \"log_cycles\""},
      {R"("scale": [1.0])", R"("scale": [1e-320])", "must be at least 1e-09"},
      // A mean of -1e308 loaded and made every correction infinite.
      {R"("mean": [0.0])", R"("mean": [-1e308])",
       "'classes.softmax.network.normalisation.mean' has an entry beyond "
       "+-1e+06 at index 0"},
      {R"("weights": [[2.0]])", R"("weights": [[1e300]])",
       "'classes.softmax.network.layers[1].weights[0]' has an entry beyond "
       "+-1e+06 at index 0"},
      {R"("upper_log_ratio": 0.3)", R"("upper_log_ratio": 1e6)",
       "-10 <= lower_log_ratio <= 0 <= upper_log_ratio <= 10"},
      {R"("coverage": 0.9)", R"("coverage": 0.8)", "must include coverage 0.9"},
      {R"("softmax": {)", R"("gemv": {)",
       "'classes.gemv' is not a kernel class"},
      {R"("training_rows": 1,)",
       R"("training_rows": 1, "group_intervals": {"fast": []},)",
       "'classes.softmax.group_intervals.fast' is not an interval group"},
      {R"("seed": 7,)", "", "model file field 'training.seed' is missing"},
      {R"("max_log_correction": 1.0)", R"("max_log_correction": -1.0)",
       "max_log_correction' must be positive and at most 5"},
      {R"("training_rows": 1,)",
       R"("training_rows": 1, "group_intervals": {"power_limited": [
           {"coverage": 0.5, "lower_log_ratio": -0.1, "upper_log_ratio": 0.1},
           {"coverage": 0.9, "lower_log_ratio": -0.2, "upper_log_ratio": 0.3}]},)",
       "'classes.softmax.group_intervals.power_limited' must have the same "
       "coverages as 'intervals'"},
      {"\"schema\"", "schema", "malformed JSON in model file"},
      // Unknown (misspelt) fields are refused where they are, not dropped.
      {R"("network": {"inputs")", R"("network": 3, "unused": {"inputs")",
       "model file field 'classes.softmax.unused' is not a field of "
       "tilecast.model.v1"},
      // A count past int64 wrapped negative (and a calibration written from
      // the file could not be read back).
      {R"("epochs": 1,)", R"("epochs": 18446744073709551615,)",
       "'training.epochs' and 'training.batch_size' must be integers from 0 "
       "to 2^63 - 1"},
      {R"("seed": 7,)", R"("seed": 7, "sede": 7,)",
       "model file field 'training.sede' is not a field of tilecast.model.v1"},
      {R"("coverage": 0.9,)", R"("coverage": 0.9, "covrage": 0.9,)",
       "model file field 'classes.softmax.intervals[0].covrage' is not a "
       "field"},
      {R"(  }
})",
       R"(  },
  "calibration": {"target": "v100", "measurements": 1, "log_bias": {"bmm": 0.1}}
})",
       "'calibration.log_bias.bmm' calibrates a class the file has no model "
       "for"},
  };
  for (const Case &c : cases) {
    TestContext ctx;
    EXPECT_FALSE(parseTiny(ctx, mutate(c.from, c.to))) << c.message;
    // One error per broken file: the first problem stops the reader.
    SmallVector<StringRef> lines;
    StringRef(ctx.getDiagnostics()).split(lines, '\n', -1, /*KeepEmpty=*/false);
    EXPECT_EQ(llvm::count_if(lines,
                             [](StringRef l) { return !l.starts_with("note:"); }),
              1)
        << ctx.getDiagnostics();
    EXPECT_NE(ctx.getDiagnostics().find(c.message), std::string::npos)
        << "expected: " << c.message << "\ngot: " << ctx.getDiagnostics();
  }
}

TEST(HybridModelFileTest, TheBuiltinModelLoads) {
  TestContext ctx;
  FailureOr<std::shared_ptr<const HybridModelFile>> builtin =
      getBuiltinHybridModel(ctx.get());
  ASSERT_TRUE(succeeded(builtin)) << ctx.getDiagnostics();
  for (const std::optional<ClassModel> &model : (*builtin)->classes)
    ASSERT_TRUE(model.has_value());
}

TEST(HybridModelFileTest, CreateCostModelChecksFileAndCoverage) {
  TestContext ctx;
  CostModelOptions missing;
  missing.modelFile = "/nonexistent/model.json";
  EXPECT_TRUE(failed(createCostModel("hybrid", ctx.loc(), missing)));
  EXPECT_NE(ctx.getDiagnostics().find(
                "cannot read model file '/nonexistent/model.json'"),
            std::string::npos);
  CostModelOptions oddCoverage;
  oddCoverage.coverage = 0.73;
  EXPECT_TRUE(failed(createCostModel("hybrid", ctx.loc(), oddCoverage)));
  EXPECT_NE(ctx.getDiagnostics().find("the hybrid model has no 0.73 coverage "
                                      "interval"),
            std::string::npos);
}

//===----------------------------------------------------------------------===//
// Training
//===----------------------------------------------------------------------===//

// 19 residuals -0.9, -0.8, ..., 0.9. At 90%: alpha = 0.1, ranks
// floor(20 * 0.05) = 1 and ceil(20 * 0.95) = 19, i.e. the extremes -0.9 and
// +0.9. At 50%: floor(20 * 0.25) = 5 and ceil(20 * 0.75) = 15, i.e. -0.5 and
// +0.5.
TEST(TrainingTest, ConformalIntervalsUseFiniteSampleRanks) {
  std::vector<double> residuals;
  for (int i = -9; i <= 9; ++i)
    residuals.push_back(0.1 * i);
  IntervalLevel ninety = getConformalInterval(residuals, 0.9);
  EXPECT_NEAR(ninety.lowerLogRatio, -0.9, 1e-12);
  EXPECT_NEAR(ninety.upperLogRatio, 0.9, 1e-12);
  IntervalLevel half = getConformalInterval(residuals, 0.5);
  EXPECT_NEAR(half.lowerLogRatio, -0.5, 1e-12);
  EXPECT_NEAR(half.upperLogRatio, 0.5, 1e-12);
  // All residuals positive: the interval still contains the prediction.
  IntervalLevel shifted = getConformalInterval({0.2, 0.3, 0.4}, 0.9);
  EXPECT_EQ(shifted.lowerLogRatio, 0.0);
}

namespace {
/// 400 examples whose log ratio is 0.3 where feature 0 is positive and
/// -0.2 elsewhere: a step a small network learns to within a few percent.
std::vector<TrainingExample> makeStepExamples() {
  std::vector<TrainingExample> examples;
  for (int i = 0; i < 400; ++i) {
    TrainingExample e;
    e.features.fill(0.0);
    e.features[0] = (i % 40) - 19.5;
    e.features[1] = i % 7;
    e.logRatio = e.features[0] > 0 ? 0.3 : -0.2;
    e.gpu = i % 2;
    examples.push_back(e);
  }
  return examples;
}
} // namespace

TEST(TrainingTest, LearnsACorrectionDeterministically) {
  TrainingOptions options;
  options.epochs = 60;
  options.batchSize = 32;
  options.seed = 42;
  std::vector<TrainingExample> examples = makeStepExamples();
  CorrectionNetwork a = fitCorrectionNetwork(examples, {0, 1}, options);
  CorrectionNetwork b = fitCorrectionNetwork(examples, {0, 1}, options);
  for (size_t l = 0; l < a.weights.size(); ++l) {
    EXPECT_EQ(a.weights[l], b.weights[l]);
    EXPECT_EQ(a.biases[l], b.biases[l]);
  }
  HybridFeatures high{}, low{};
  high[0] = 15.5;
  low[0] = -15.5;
  EXPECT_NEAR(a.evaluate(high), 0.3, 0.03);
  EXPECT_NEAR(a.evaluate(low), -0.2, 0.03);
  options.seed = 43;
  CorrectionNetwork c = fitCorrectionNetwork(examples, {0, 1}, options);
  EXPECT_NE(a.weights[0], c.weights[0]);
}

// Training devices are built-in GPUs: a CPU's kernels, or a spec file named
// in the Device column, are refused.
TEST(TrainingTest, TrainsOnBuiltinGpusOnly) {
  TestContext ctx;
  OpWorkload w = OpWorkload::getSoftmax(64, 1024, 4);
  std::vector<Measurement> measurements = {
      {KernelClass::Softmax, "Tesla V100-PCIE-32GB", w, 10.0, 2},
      {KernelClass::Softmax, "host", w, 10.0, 3}};
  EXPECT_TRUE(
      failed(buildExamples(measurements, KernelClass::Softmax, ctx.loc())));
  EXPECT_NE(ctx.getDiagnostics().find("measurement of device 'host' is of the "
                                      "cpu target 'host'"),
            std::string::npos)
      << ctx.getDiagnostics();
  measurements.back().device = "data/targets/t4.json";
  EXPECT_TRUE(
      failed(buildExamples(measurements, KernelClass::Softmax, ctx.loc())));
  EXPECT_NE(ctx.getDiagnostics().find("unknown target 'data/targets/t4.json'"),
            std::string::npos)
      << ctx.getDiagnostics();
  measurements.back().device = "t4";
  FailureOr<ClassExamples> examples =
      buildExamples(measurements, KernelClass::Softmax, ctx.loc());
  ASSERT_TRUE(succeeded(examples)) << ctx.getDiagnostics();
  EXPECT_EQ(examples->gpus, (std::vector<std::string>{"v100", "t4"}));
}

// Three softmax measurements 1.5x slower than the tiny model predicts:
// log 1.5 = 0.405465 each, shrunk towards 0 by two prior measurements:
// 3 * 0.405465 / (3 + 2) = 0.243279.
TEST(TrainingTest, CalibrationShrinksTheMedianResidual) {
  TestContext ctx;
  auto file = parseTiny(ctx);
  ASSERT_TRUE(file);
  TargetSpec v100 = makeV100("v100");
  v100.aliases = {"Tesla V100-PCIE-32GB"};
  HybridModel hybrid(file);
  std::vector<Measurement> measurements;
  for (int64_t rows : {2, 64, 4096}) {
    OpWorkload w = OpWorkload::getSoftmax(rows, 1024, 4);
    double predicted = hybrid.estimate(w, v100, ctx.loc())->latencyUs;
    measurements.push_back(
        {KernelClass::Softmax, "Tesla V100-PCIE-32GB", w, 1.5 * predicted});
  }
  FailureOr<HybridModelFile> calibrated =
      calibrateHybridModel(*file, v100, measurements, ctx.loc());
  ASSERT_TRUE(succeeded(calibrated)) << ctx.getDiagnostics();
  ASSERT_TRUE(calibrated->calibration.has_value());
  EXPECT_EQ(calibrated->calibration->target, "v100");
  EXPECT_NEAR(calibrated->calibration->logBias[static_cast<unsigned>(
                  KernelClass::Softmax)],
              0.243279, 1e-6);

  TargetSpec cpu = makeV100("cpu");
  cpu.kind = TargetKind::cpu;
  EXPECT_TRUE(failed(calibrateHybridModel(*file, cpu, measurements, ctx.loc())));
  EXPECT_NE(ctx.getDiagnostics().find("the hybrid model corrects GPU kernels "
                                      "only; 'cpu' is not a GPU"),
            std::string::npos);

  measurements.front().device = "NVIDIA L4";
  EXPECT_TRUE(failed(calibrateHybridModel(*file, v100, measurements, ctx.loc())));
  EXPECT_NE(ctx.getDiagnostics().find("measurement of device 'NVIDIA L4' given "
                                      "to calibrate target 'v100'"),
            std::string::npos);
}
