//===- TargetSpecTest.cpp - Target database and spec validation -----------===//

#include "TestUtils.h"

#include "dialects/tilecast/TilecastAttrs.h"
#include "tilecast/Target/TargetSpec.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace mlir::tilecast;
using mlir::tilecast::testing::TestContext;

namespace {
/// A complete, valid spec; tests break one field at a time.
constexpr const char *kValidSpec = R"json({
  "schema": "tilecast.target.v1",
  "id": "toy",
  "name": "Toy GPU",
  "vendor": "nvidia",
  "kind": "gpu",
  "sources": ["unit test"],
  "compute_units": 10,
  "lanes_per_unit": 64,
  "lanes_shared_with_int32": 0,
  "clock_mhz": 1000,
  "peak_tflops": {"f32": 1.28, "f16": 10.0},
  "memory_bandwidth_gbps": 100,
  "memory_gib": 8,
  "l2_cache_mib": 2,
  "l1_cache_kib": 64,
  "registers_kib_per_unit": 256,
  "max_threads_per_unit": 1024,
  "launch_overhead_us": 5
})json";

std::string replace(std::string text, StringRef from, StringRef to) {
  size_t pos = text.find(from.str());
  EXPECT_NE(pos, std::string::npos)
      << "test bug: '" << from.str() << "' not in the spec";
  return text.replace(pos, from.size(), to.str());
}

/// Expects the spec `text` to be refused with an error containing `message`.
void expectRefused(const std::string &text, StringRef message) {
  TestContext ctx;
  EXPECT_TRUE(failed(parseTargetSpec(text, "toy.json", ctx.get())));
  EXPECT_NE(ctx.getDiagnostics().find(message.str()), std::string::npos)
      << ctx.getDiagnostics();
}
} // namespace

TEST(TargetSpecTest, ParsesAValidSpec) {
  TestContext ctx;
  FailureOr<TargetSpec> spec =
      parseTargetSpec(kValidSpec, "toy.json", ctx.get());
  ASSERT_TRUE(succeeded(spec)) << ctx.getDiagnostics();
  EXPECT_EQ(spec->id, "toy");
  EXPECT_TRUE(spec->isGpu());
  EXPECT_EQ(spec->computeUnits, 10);
  EXPECT_DOUBLE_EQ(*spec->getPeakFlopsPerSecond(PeakKind::F32), 1.28e12);
  EXPECT_DOUBLE_EQ(*spec->getPeakFlopsPerSecond(PeakKind::F16), 10e12);
  EXPECT_FALSE(spec->getPeakFlopsPerSecond(PeakKind::BF16).has_value());
  EXPECT_DOUBLE_EQ(spec->getMemoryBytesPerSecond(), 100e9);
}

TEST(TargetSpecTest, MissingFieldIsNamed) {
  expectRefused(replace(kValidSpec, "\"memory_bandwidth_gbps\": 100,", ""),
                "missing the field 'memory_bandwidth_gbps'");
}

TEST(TargetSpecTest, WrongTypeIsNamed) {
  expectRefused(
      replace(kValidSpec, "\"clock_mhz\": 1000", "\"clock_mhz\": \"fast\""),
      "field 'clock_mhz' must be a number, got string");
}

TEST(TargetSpecTest, NegativeBandwidthIsRefused) {
  expectRefused(
      replace(kValidSpec, "\"memory_bandwidth_gbps\": 100",
              "\"memory_bandwidth_gbps\": -100"),
      "field 'memory_bandwidth_gbps' must be a number from 1e-06 to 1e+09, "
      "got -100");
}

// 10 units x 64 lanes x 2 FLOPs x 1000 MHz = 1.28 TFLOP/s; a clock of
// 1500 MHz makes it 1.92, 50% above the spec's f32 peak, and 1100 MHz 1.408,
// within the 10% kMaxGpuPeakMismatch allows.
TEST(TargetSpecTest, GpuPeakMustAgreeWithLanesAndClock) {
  expectRefused(
      replace(kValidSpec, "\"clock_mhz\": 1000", "\"clock_mhz\": 1500"),
      "the f32 peak (1.28 TFLOP/s) is not compute_units x "
      "lanes_per_unit x 2 x clock_mhz (1.92 TFLOP/s) within 10%");

  TestContext within;
  std::string text =
      replace(kValidSpec, "\"clock_mhz\": 1000", "\"clock_mhz\": 1100");
  EXPECT_TRUE(succeeded(parseTargetSpec(text, "toy.json", within.get())))
      << within.getDiagnostics();

  // A CPU's peak is measured by tilecast-calibrate --host, its clock nominal.
  TestContext cpu;
  text =
      replace(replace(kValidSpec, "\"clock_mhz\": 1000", "\"clock_mhz\": 1500"),
              "\"kind\": \"gpu\"", "\"kind\": \"cpu\"");
  EXPECT_TRUE(succeeded(parseTargetSpec(text, "toy.json", cpu.get())))
      << cpu.getDiagnostics();
}

// JSON's -0.0 is the number 0 (a #tilecast.target in IR refuses it, since it
// would print as -0.0).
TEST(TargetSpecTest, NegativeZeroReadsAsZero) {
  TestContext ctx;
  FailureOr<TargetSpec> spec =
      parseTargetSpec(replace(kValidSpec, "\"launch_overhead_us\": 5",
                              "\"launch_overhead_us\": -0.0"),
                      "toy.json", ctx.get());
  ASSERT_TRUE(succeeded(spec)) << ctx.getDiagnostics();
  EXPECT_EQ(spec->launchOverheadUs, 0.0);
  EXPECT_FALSE(std::signbit(spec->launchOverheadUs));
}

TEST(TargetSpecTest, MalformedJsonIsLocated) {
  expectRefused(replace(kValidSpec, "\"lanes_per_unit\": 64,",
                        "\"lanes_per_unit\": 64,,"),
                "malformed JSON in target spec");
}

TEST(TargetSpecTest, BuiltinDatabaseHasTheRequiredTargets) {
  TestContext ctx;
  for (StringRef id : {"p4", "p100", "v100", "t4", "a100-pcie-40gb",
                       "a100-pcie-80gb", "a100-sxm4-40gb", "l4", "h100-sxm",
                       "mi100", "mi210", "mi250", "host"}) {
    FailureOr<TargetSpec> spec = lookupTarget(id, ctx.loc());
    ASSERT_TRUE(succeeded(spec)) << id.str() << ": " << ctx.getDiagnostics();
    EXPECT_EQ(spec->id, id);
  }
}

// The NeuSight data names devices "NVIDIA L4"; aliases map them to ids.
TEST(TargetSpecTest, AliasesResolveToTheirTarget) {
  TestContext ctx;
  FailureOr<TargetSpec> spec = lookupTarget("NVIDIA A100 80GB PCIe", ctx.loc());
  ASSERT_TRUE(succeeded(spec)) << ctx.getDiagnostics();
  EXPECT_EQ(spec->id, "a100-pcie-80gb");
}

TEST(TargetSpecTest, UnknownTargetListsTheKnownOnes) {
  TestContext ctx;
  EXPECT_TRUE(failed(lookupTarget("b200", ctx.loc())));
  EXPECT_NE(ctx.getDiagnostics().find("unknown target 'b200'"),
            std::string::npos);
  EXPECT_NE(ctx.getDiagnostics().find("known targets: a100-pcie-40gb"),
            std::string::npos)
      << ctx.getDiagnostics();
}

// TILECAST_HOST_SPEC redirects `host` for lookupTarget only: names that
// must mean the same on every machine (training devices, a calibration's
// target) resolve through lookupBuiltinTarget, which reads no file.
TEST(TargetSpecTest, BuiltinLookupReadsNoFile) {
  TestContext ctx;
  ASSERT_EQ(setenv("TILECAST_HOST_SPEC", "/nonexistent/host.json", 1), 0);
  EXPECT_TRUE(failed(lookupTarget("host", ctx.loc())));
  FailureOr<TargetSpec> host = lookupBuiltinTarget("host", ctx.loc());
  unsetenv("TILECAST_HOST_SPEC");
  ASSERT_TRUE(succeeded(host)) << ctx.getDiagnostics();
  EXPECT_EQ(host->id, "host");
  EXPECT_TRUE(failed(lookupBuiltinTarget("data/targets/v100.json", ctx.loc())));
  EXPECT_NE(ctx.getDiagnostics().find("spec files are not read here"),
            std::string::npos)
      << ctx.getDiagnostics();
}

TEST(TargetSpecTest, AttributeRoundTripKeepsTheCostInputs) {
  TestContext ctx;
  FailureOr<TargetSpec> spec =
      parseTargetSpec(kValidSpec, "toy.json", ctx.get());
  ASSERT_TRUE(succeeded(spec));
  TargetSpec back = getTargetSpec(getTargetAttr(ctx.get(), *spec));
  EXPECT_EQ(back.id, spec->id);
  EXPECT_EQ(back.computeUnits, spec->computeUnits);
  EXPECT_EQ(back.lanesPerUnit, spec->lanesPerUnit);
  EXPECT_EQ(back.clockMhz, spec->clockMhz);
  EXPECT_EQ(back.memoryBandwidthGbps, spec->memoryBandwidthGbps);
  EXPECT_EQ(back.l2CacheMib, spec->l2CacheMib);
  EXPECT_EQ(back.launchOverheadUs, spec->launchOverheadUs);
  EXPECT_EQ(back.peakTflops, spec->peakTflops);
}
