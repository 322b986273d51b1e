//===- HostCalibrationTest.cpp - Host spec mapping and host resolution ----===//
//
// The mapping from host measurements to a tilecast.target.v1 spec, on fixed
// numbers (no timing), and the TILECAST_HOST_SPEC rule of lookupTarget.
//
//===----------------------------------------------------------------------===//

#include "TestUtils.h"

#include "tilecast/Target/HostCalibration.h"
#include "tilecast/Target/TargetSpec.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>

using namespace mlir;
using namespace mlir::tilecast;
using mlir::tilecast::testing::TestContext;

namespace {
/// Measurements of an imaginary 4-core AVX2 machine.
HostMeasurements makeMeasurements() {
  HostMeasurements m;
  m.llvmCpuName = "haswell";
  m.modelName = "Test CPU";
  m.vendor = "intel";
  m.vectorBits = 256;
  m.f32Lanes = 8;
  m.cores = 4;
  m.clockMhz = 3000;
  m.clockSource = "unit test";
  m.caches = {32 * 1024, 256 * 1024, 8 * 1024 * 1024, "unit test"};
  m.memoryGib = 16;
  m.f32FlopsPerSecondPerCore = 96e9;
  m.f64FlopsPerSecondPerCore = 48e9;
  m.f32FlopsPerSecondAllCores = 380e9;
  m.bandwidths = {{"L1", 16384, 190e9},
                  {"L2", 131072, 95e9},
                  {"L3", 2097152, 60e9},
                  {"DRAM", 67108864, 12e9}};
  m.dramBytesPerSecondAllCores = 30e9;
  return m;
}

/// Sets an environment variable for the scope of a test.
class ScopedEnv {
public:
  ScopedEnv(const char *name, const char *value) : name(name) {
    if (const char *old = std::getenv(name))
      previous = old;
    setenv(name, value, /*overwrite=*/1);
  }
  ~ScopedEnv() {
    if (previous)
      setenv(name, previous->c_str(), 1);
    else
      unsetenv(name);
  }

private:
  const char *name;
  std::optional<std::string> previous;
};
} // namespace

TEST(HostCalibrationTest, SpecMapsTheMeasurements) {
  TestContext ctx;
  std::string text =
      printHostTargetSpec(makeMeasurements(), "Lab Box 1", "cmd");
  FailureOr<TargetSpec> spec = parseTargetSpec(text, "host.json", ctx.get());
  ASSERT_TRUE(succeeded(spec)) << ctx.getDiagnostics() << text;
  EXPECT_EQ(spec->id, "host-lab-box-1");
  EXPECT_FALSE(spec->isGpu());
  EXPECT_EQ(spec->computeUnits, 4);
  EXPECT_EQ(spec->lanesPerUnit, 8);
  EXPECT_DOUBLE_EQ(spec->clockMhz, 3000);
  // Cores x the one-core peak (not the all-core run).
  EXPECT_DOUBLE_EQ(*spec->getPeakFlopsPerSecond(PeakKind::F32), 384e9);
  EXPECT_DOUBLE_EQ(*spec->getPeakFlopsPerSecond(PeakKind::F64), 192e9);
  EXPECT_FALSE(spec->getPeakFlopsPerSecond(PeakKind::BF16).has_value());
  // The larger of the all-core and one-core DRAM bandwidth.
  EXPECT_DOUBLE_EQ(spec->memoryBandwidthGbps, 30);
  // The last-level cache is the L3.
  EXPECT_DOUBLE_EQ(spec->l2CacheMib, 8);
  EXPECT_DOUBLE_EQ(spec->l1CacheKib, 32);
  EXPECT_DOUBLE_EQ(spec->registersKibPerUnit, 0.5);
  // No parallel start measured: none charged.
  EXPECT_DOUBLE_EQ(spec->launchOverheadUs, 0);
  EXPECT_NE(spec->sources.front().find("`cmd`"), std::string::npos);
  EXPECT_NE(spec->notes.find("DRAM (65536 KiB) 12.0 GB/s"), std::string::npos)
      << spec->notes;
}

TEST(HostCalibrationTest, BackToBackParallelStartIsTheLaunchOverhead) {
  // 25.234 us back to back, kept to three significant digits; the 90 us
  // start after idling is recorded in the notes only.
  TestContext ctx;
  HostMeasurements m = makeMeasurements();
  m.parallelStartSeconds = 25.234e-6;
  m.idleParallelStartSeconds = 90e-6;
  FailureOr<TargetSpec> spec = parseTargetSpec(
      printHostTargetSpec(m, "x", "cmd"), "host.json", ctx.get());
  ASSERT_TRUE(succeeded(spec)) << ctx.getDiagnostics();
  EXPECT_DOUBLE_EQ(spec->launchOverheadUs, 25.2);
  EXPECT_NE(spec->notes.find("25.2 us 20 us after the last, 90.0 us after "
                             "1000 us idle"),
            std::string::npos)
      << spec->notes;
  EXPECT_NE(spec->notes.find("unless its probe read within 1.5x of DRAM's"),
            std::string::npos)
      << spec->notes;
}

TEST(HostCalibrationTest, AnL3ReadAtDramSpeedIsNotUsed) {
  // The 2 MiB L3 probe reads 15 GB/s, under 1.5 x the 12 GB/s of DRAM
  // (kMinCacheOverDramBandwidth): the 8 MiB L3 reported is not believed and
  // the 256 KiB L2 is the last level. At 18.1 GB/s it would be.
  TestContext ctx;
  HostMeasurements m = makeMeasurements();
  m.bandwidths[2].bytesPerSecond = 15e9;
  EXPECT_EQ(getLastLevelCacheBytes(m), 256u * 1024);
  FailureOr<TargetSpec> spec = parseTargetSpec(
      printHostTargetSpec(m, "x", "cmd"), "host.json", ctx.get());
  ASSERT_TRUE(succeeded(spec)) << ctx.getDiagnostics();
  EXPECT_DOUBLE_EQ(spec->l2CacheMib, 0.25);
  EXPECT_NE(spec->notes.find("The reported L3 (8192 KiB) is not used"),
            std::string::npos)
      << spec->notes;
  m.bandwidths[2].bytesPerSecond = 18.1e9;
  EXPECT_EQ(getLastLevelCacheBytes(m), 8u * 1024 * 1024);
}

TEST(HostCalibrationTest, WithoutL3TheL2IsTheLastLevel) {
  TestContext ctx;
  HostMeasurements m = makeMeasurements();
  m.caches.l3Bytes = 0;
  m.dramBytesPerSecondAllCores = 5e9; // below the one-core 12 GB/s
  FailureOr<TargetSpec> spec = parseTargetSpec(
      printHostTargetSpec(m, "x", "cmd"), "host.json", ctx.get());
  ASSERT_TRUE(succeeded(spec)) << ctx.getDiagnostics();
  EXPECT_DOUBLE_EQ(spec->l2CacheMib, 0.25);
  EXPECT_DOUBLE_EQ(spec->memoryBandwidthGbps, 12);
}

TEST(HostCalibrationTest, DramProbeFitsInTheMemory) {
  // The Zen 5 guest's caches (48 KiB L1d, 1 MiB L2, a reported 508 MiB L3),
  // 16 lanes: the sum kernel steps over 8 x 16 floats = 512 B. DRAM is
  // 4 x 508 MiB = 2032 MiB with 23.5 GiB of memory, and a quarter of the
  // memory, 1 GiB, with 4 GiB.
  HostCacheSizes caches{48 * 1024, 1024 * 1024, 508ull * 1024 * 1024, "test"};
  auto sets = getBandwidthWorkingSets(caches, 16, 23.5);
  ASSERT_EQ(sets.size(), 4u);
  EXPECT_EQ(sets[0], std::make_pair(std::string("L1"), uint64_t(24 * 1024)));
  EXPECT_EQ(sets[1].second, 512u * 1024);
  EXPECT_EQ(sets[2].second, 127ull * 1024 * 1024);
  EXPECT_EQ(sets[3], std::make_pair(std::string("DRAM"),
                                    uint64_t(2032ull * 1024 * 1024)));
  EXPECT_EQ(getBandwidthWorkingSets(caches, 16, 4.0)[3].second,
            1024ull * 1024 * 1024);
  // No L3: DRAM is 4 x the L2, raised to 64 MiB.
  caches.l3Bytes = 0;
  sets = getBandwidthWorkingSets(caches, 16, 23.5);
  ASSERT_EQ(sets.size(), 3u);
  EXPECT_EQ(sets[2].second, 64ull * 1024 * 1024);
}

TEST(HostCalibrationTest, HostNamesBecomeIds) {
  EXPECT_EQ(sanitizeHostName("Build-Box_2.local"), "build-box-2-local");
}

TEST(HostCalibrationTest, HostResolvesToTheSpecNamedByTheEnvironment) {
  TestContext ctx;
  std::string path =
      TILECAST_SOURCE_DIR "/test/Tools/Inputs/host-calibrated.json";
  {
    ScopedEnv env("TILECAST_HOST_SPEC", path.c_str());
    FailureOr<TargetSpec> spec = lookupTarget("host", ctx.loc());
    ASSERT_TRUE(succeeded(spec)) << ctx.getDiagnostics();
    EXPECT_EQ(spec->id, "host-dev-epyc");
    // Only the id `host` is redirected.
    FailureOr<TargetSpec> alias = lookupTarget("cpu", ctx.loc());
    ASSERT_TRUE(succeeded(alias)) << ctx.getDiagnostics();
    EXPECT_EQ(alias->id, "host");
  }
  {
    ScopedEnv env("TILECAST_HOST_SPEC", "");
    FailureOr<TargetSpec> spec = lookupTarget("host", ctx.loc());
    ASSERT_TRUE(succeeded(spec)) << ctx.getDiagnostics();
    EXPECT_EQ(spec->id, "host");
  }
}

TEST(HostCalibrationTest, BadHostSpecIsAnErrorNamingTheVariable) {
  TestContext ctx;
  ScopedEnv env("TILECAST_HOST_SPEC", "/nonexistent/host.json");
  EXPECT_TRUE(failed(lookupTarget("host", ctx.loc())));
  EXPECT_NE(ctx.getDiagnostics().find("named by TILECAST_HOST_SPEC"),
            std::string::npos)
      << ctx.getDiagnostics();
  EXPECT_NE(ctx.getDiagnostics().find("note: unset TILECAST_HOST_SPEC"),
            std::string::npos)
      << ctx.getDiagnostics();
}
