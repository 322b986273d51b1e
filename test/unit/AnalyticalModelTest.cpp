//===- AnalyticalModelTest.cpp - Cost formulas with hand-derived values ---===//
//
// Every expected value below is worked out by hand from the formulas in
// docs/cost-model.md and the constants in lib/Cost/AnalyticalModel.cpp; the
// comment above each test shows the arithmetic. The targets are built here,
// not read from data/targets, so recalibrating a shipped spec cannot change
// these tests.
//
//===----------------------------------------------------------------------===//

#include "TestUtils.h"

#include "tilecast/Cost/AnalyticalModel.h"
#include "tilecast/Cost/Fusion.h"
#include "tilecast/Cost/TileSelection.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace mlir::tilecast;
using mlir::tilecast::testing::makeV100;
using mlir::tilecast::testing::TestContext;

namespace {
/// A 2-core CPU: 16 FP32 lanes at 3.7 GHz (0.2368 TFLOP/s), 32 KiB L1d,
/// 32 MiB last-level cache, 20 GB/s DRAM, no launch overhead.
TargetSpec makeCpu() {
  TargetSpec t;
  t.id = "cpu-test";
  t.kind = TargetKind::cpu;
  t.computeUnits = 2;
  t.lanesPerUnit = 16;
  t.clockMhz = 3700;
  t.memoryBandwidthGbps = 20;
  t.l2CacheMib = 32;
  t.l1CacheKib = 32;
  t.maxThreadsPerUnit = 1;
  t.launchOverheadUs = 0;
  t.peakTflops[static_cast<unsigned>(PeakKind::F32)] = 0.2368;
  return t;
}

class AnalyticalModelTest : public ::testing::Test {
protected:
  TestContext ctx;
  AnalyticalModel model;
  RooflineModel roofline;
  TargetSpec v100 = makeV100();
  TargetSpec cpu = makeCpu();

  /// A 256^3 f32 matmul, the CPU tests' GEMM.
  OpWorkload matmul256 =
      OpWorkload::getMatmul(1, 256, 256, 256, PeakKind::F32, 4);

  /// `matmul256` tiled with `tiles` (batch, m, n, k) on the CPU.
  FailureOr<TileCostEstimate> estimateCpuMatmul256(ArrayRef<int64_t> tiles) {
    return model.estimateTile(matmul256, tiles, cpu, ctx.loc());
  }
};
} // namespace

// Roofline of a 1024^3 f32 matmul on the V100:
//   compute = 2 * 1024^3 / 14.029e12 s = 153.075 us
//   memory  = 3 * 1024^2 * 4 B / 900e9 B/s = 13.981 us
//   latency = max = 153.075 us, compute-bound.
TEST_F(AnalyticalModelTest, RooflineIsTheMaxOfComputeAndMemory) {
  OpWorkload w = OpWorkload::getMatmul(1, 1024, 1024, 1024, PeakKind::F32, 4);
  FailureOr<CostEstimate> e = roofline.estimate(w, v100, ctx.loc());
  ASSERT_TRUE(succeeded(e));
  EXPECT_NEAR(e->computeUs, 153.075, 1e-3);
  EXPECT_NEAR(e->memoryUs, 13.981, 1e-3);
  EXPECT_NEAR(e->latencyUs, 153.075, 1e-3);
  EXPECT_EQ(e->bound, Bound::compute);
}

// add of two [1024, 1024] f32 tensors on the V100:
//   bytes   = 3 * 1024^2 * 4 = 12582912
//   memory  = 12582912 / (0.8706 * 900e9) s = 16.0591 us
//   latency = 16.0591 + 27.6 (launch) = 43.6591 us
TEST_F(AnalyticalModelTest, ElementwiseStreamsAtSustainedBandwidth) {
  OpWorkload w = OpWorkload::getElementwise(1024, 1024, 2, 1, 0, 4);
  FailureOr<CostEstimate> e = model.estimate(w, v100, ctx.loc());
  ASSERT_TRUE(succeeded(e));
  EXPECT_NEAR(e->memoryUs, 16.0591, 1e-3);
  EXPECT_NEAR(e->overheadUs, 27.6, 1e-9);
  EXPECT_NEAR(e->latencyUs, 43.6591, 1e-3);
  EXPECT_EQ(e->bound, Bound::overhead);
  EXPECT_LE(e->lowerUs, e->latencyUs);
  EXPECT_GE(e->upperUs, e->latencyUs);
}

// softmax over rows of 1024 (1024 rows) on the V100 (6 MB L2):
//   rows in flight = 11.606 * 80 SMs * 1024 * 4 B = 3802972 B
//   L2 miss share  = 3802972 / 6e6 = 0.63383
//   bytes   = 2 * 4194304 + 0.63383 * 4194304 = 11047102
//   memory  = 11047102 / (0.9197 * 900e9) s = 13.3462 us
//   latency = 13.3462 + 27.6 + 6.2 (softmax dispatch) = 47.1462 us
TEST_F(AnalyticalModelTest, SoftmaxRereadsRowsThatMissL2) {
  OpWorkload w = OpWorkload::getSoftmax(1024, 1024, 4);
  FailureOr<CostEstimate> e = model.estimate(w, v100, ctx.loc());
  ASSERT_TRUE(succeeded(e));
  EXPECT_NEAR(e->memoryUs, 13.3462, 1e-3);
  EXPECT_NEAR(e->latencyUs, 47.1462, 1e-3);
}

// A streaming op tiled [256, 0] on the V100: 4 blocks, one wave. Each block
// moves a quarter of the bytes at 1/80 of the bandwidth:
//   tile    = 16.0591 us * 80 / 4 = 321.182 us
//   latency = 1 wave * 321.182 + 27.6 = 348.782 us
TEST_F(AnalyticalModelTest, TooFewTilesLeaveBandwidthUnused) {
  OpWorkload w = OpWorkload::getElementwise(1024, 1024, 2, 1, 0, 4);
  int64_t tiles[] = {256, 0};
  FailureOr<TileCostEstimate> e = model.estimateTile(w, tiles, v100, ctx.loc());
  ASSERT_TRUE(succeeded(e)) << ctx.getDiagnostics();
  EXPECT_EQ(e->numTiles, 4);
  EXPECT_EQ(e->waves, 1);
  EXPECT_NEAR(e->tileLatencyUs, 321.182, 1e-2);
  EXPECT_NEAR(e->latencyUs, 348.782, 1e-2);
}

// A 256^3 matmul on the CPU with 64^3 tiles (loops batch, m, n, k):
//   tiles   = 16 parallel (1 * 4 * 4) x 4 reduction steps = 64
//   waves   = 16 / 2 cores = 8 rounds, each of 4 sequential K steps = 32
//   flops   = 2 * 64^3 = 524288 per tile
//   bytes   = 4 * (64*64 * 3) = 49152 per tile: over L1 (32 KiB), in LLC
//   compute = 524288 / (0.2368e12 / 2 * 0.7) s = 6.325869 us per tile
//           + the 64x64 accumulator block loaded and stored:
//             2 * 16384 B / (64 B * 3.7e9) s = 0.138378 us, of which
//             0.5625 (cpu::kAccumulatorReloadExposedShare) = 0.077838 us
//           = 6.403707 us per tile
//   memory  = 49152 / (32 B * 3.7e9) s = 0.41514 us per tile
//   latency = 32 * 6.403707 = 204.919 us
TEST_F(AnalyticalModelTest, CpuTilesAreSpreadOverCores) {
  FailureOr<TileCostEstimate> e = estimateCpuMatmul256({1, 64, 64, 64});
  ASSERT_TRUE(succeeded(e)) << ctx.getDiagnostics();
  EXPECT_EQ(e->numTiles, 64);
  EXPECT_EQ(e->waves, 32);
  EXPECT_NEAR(e->tileLatencyUs, 6.403707, 1e-5);
  EXPECT_NEAR(e->latencyUs, 204.919, 1e-2);
  EXPECT_EQ(e->bound, Bound::compute);
}

// A 2 x 64^3 batched matmul on the CPU's 2 cores, in two tilings with the
// same tile work: 1 x 64 x 64 x 64 (a matrix per tile) and 2 x 32 x 64 x 64
// (every tile holds the whole batch):
//   flops   = 2 * 64^3 = 524288 per tile, both: 6.325869 us
//           + accumulators 0.5625 * 2 * 16384 B / (64 B * 3.7e9) s
//             = 0.077838 us
//           = 6.403707 us per tile (A blocks of 16 KiB fit L1: no stall)
//   whole batch: x (1 + 0.06) (cpu::kWholeBatchTileSlowdown) = 6.787929 us
//   memory  = 49152 or 65536 B at 32 B * 3.7e9: 0.41514, 0.553514 us, both
//             under the compute time
// One round each. On a one-core version of the CPU (0.1184 TFLOP/s) the
// whole-batch tiles take 2 rounds of 6.403707 us, and so does a convolution
// with the same loops (its batch loops are not matrices; not measured).
TEST_F(AnalyticalModelTest, CpuTilesHoldingAWholeBatchOnSeveralCoresPayForIt) {
  OpWorkload bmm = OpWorkload::getMatmul(2, 64, 64, 64, PeakKind::F32, 4);
  FailureOr<TileCostEstimate> splitBatch =
      model.estimateTile(bmm, {1, 0, 0, 0}, cpu, ctx.loc());
  FailureOr<TileCostEstimate> wholeBatch =
      model.estimateTile(bmm, {0, 32, 0, 0}, cpu, ctx.loc());
  ASSERT_TRUE(succeeded(splitBatch) && succeeded(wholeBatch))
      << ctx.getDiagnostics();
  EXPECT_NEAR(splitBatch->tileLatencyUs, 6.403707, 1e-5);
  EXPECT_NEAR(wholeBatch->tileLatencyUs, 6.787929, 1e-5);
  EXPECT_EQ(splitBatch->waves, 1);
  EXPECT_EQ(wholeBatch->waves, 1);

  // A batch of 3 in tiles of 2: two batch tiles, one a core, the last one
  // partial: no whole-batch tiles, 2 x 6.403707 us a tile (its A block,
  // 2 * 64*64*4 B = 32 KiB, fits L1).
  OpWorkload bmm3 = OpWorkload::getMatmul(3, 64, 64, 64, PeakKind::F32, 4);
  FailureOr<TileCostEstimate> twoOfThree =
      model.estimateTile(bmm3, {2, 0, 0, 0}, cpu, ctx.loc());
  ASSERT_TRUE(succeeded(twoOfThree)) << ctx.getDiagnostics();
  EXPECT_NEAR(twoOfThree->tileLatencyUs, 12.807413, 1e-5);

  OpWorkload conv = bmm;
  conv.kind = WorkloadKind::Convolution;
  FailureOr<TileCostEstimate> convolution =
      model.estimateTile(conv, {0, 32, 0, 0}, cpu, ctx.loc());
  ASSERT_TRUE(succeeded(convolution)) << ctx.getDiagnostics();
  EXPECT_NEAR(convolution->tileLatencyUs, 6.403707, 1e-5);

  TargetSpec oneCore = cpu;
  oneCore.computeUnits = 1;
  oneCore.peakTflops[static_cast<unsigned>(PeakKind::F32)] = 0.1184;
  FailureOr<TileCostEstimate> alone =
      model.estimateTile(bmm, {0, 32, 0, 0}, oneCore, ctx.loc());
  ASSERT_TRUE(succeeded(alone)) << ctx.getDiagnostics();
  EXPECT_NEAR(alone->tileLatencyUs, 6.403707, 1e-5);
  EXPECT_EQ(alone->waves, 2);
}

// Splitting K costs the accumulator reloads: the same 256^3 matmul in
// 256 x 256 x 16 tiles is 16 sequential steps of one parallel tile (one core
// idle), each
//   compute = 2 * 256*256*16 / (0.2368e12 / 2 * 0.7) s = 25.303475 us
//           + 0.5625 * 2 * 256*256*4 B / (64 B * 3.7e9) s =  1.245405 us
// (its 256x16 f32 A block, 16 KiB, fits L1), so 16 * 26.548880 = 424.782 us,
// against 16 * 25.303475 = 404.856 us of FMAs alone. K whole (256 x 256 x 0)
// loads and stores the accumulators once, but its 256 KiB A block streams
// from beyond L1: 404.856 + 1.245 + 262144 B / (32 B * 3.7e9) s (2.214 us)
// = 408.315 us.
TEST_F(AnalyticalModelTest, CpuKStepsReloadTheAccumulators) {
  FailureOr<TileCostEstimate> k16 = estimateCpuMatmul256({1, 0, 0, 16});
  FailureOr<TileCostEstimate> kWhole = estimateCpuMatmul256({1, 0, 0, 0});
  ASSERT_TRUE(succeeded(k16) && succeeded(kWhole)) << ctx.getDiagnostics();
  EXPECT_EQ(k16->numTiles, 16);
  EXPECT_NEAR(k16->latencyUs, 424.782, 1e-2);
  EXPECT_NEAR(kWhole->latencyUs, 408.315, 1e-2);
}

// A tile's A block streams beyond L1 on the FMAs' critical path. A 256^3
// matmul in row tiles (K and N whole) on the 2-core CPU:
//   32 rows: 8 tiles, 4 rounds; each 2 * 32*256*256 FLOP / 82.88e9 FLOP/s
//            = 50.606950 us, + accumulators 0.5625 * 2 * 32*256*4 B /
//            (64 B * 3.7e9) = 0.155676 us; its A block, 32*256*4 B = 32 KiB,
//            fits L1: 4 * 50.762626 = 203.051 us
//   64 rows: 4 tiles, 2 rounds; 101.213900 + 0.311352 us, + its 64 KiB
//            A block at 32 B * 3.7e9 = 0.553514 us: 2 * 102.078766
//            = 204.158 us
TEST_F(AnalyticalModelTest, CpuTallABlocksStreamBeyondL1) {
  FailureOr<TileCostEstimate> fits = estimateCpuMatmul256({1, 32, 0, 0});
  FailureOr<TileCostEstimate> streams = estimateCpuMatmul256({1, 64, 0, 0});
  ASSERT_TRUE(succeeded(fits) && succeeded(streams)) << ctx.getDiagnostics();
  EXPECT_NEAR(fits->latencyUs, 203.051, 1e-2);
  EXPECT_NEAR(streams->latencyUs, 204.158, 1e-2);
}

// The A-block stall is a contraction's: a convolution's A block is the
// implicit-GEMM view of its image, whose rows overlap, so its size says
// nothing of what a tile streams. The 256^3 GEMM view as a convolution, in
// the 64-row tiles above: the same time less the 64 KiB A block's
// 65536 B / 118.4e9 = 0.553514 us per tile.
TEST_F(AnalyticalModelTest, CpuConvolutionsPayNoABlockStall) {
  OpWorkload conv = matmul256;
  conv.kind = WorkloadKind::Convolution;
  FailureOr<TileCostEstimate> gemm =
      model.estimateTile(matmul256, {1, 64, 0, 0}, cpu, ctx.loc());
  FailureOr<TileCostEstimate> convolution =
      model.estimateTile(conv, {1, 64, 0, 0}, cpu, ctx.loc());
  ASSERT_TRUE(succeeded(gemm) && succeeded(convolution))
      << ctx.getDiagnostics();
  EXPECT_NEAR(gemm->tileLatencyUs - convolution->tileLatencyUs, 0.553514, 1e-6);
}

// Accumulator rows narrower than a cache line reload from beyond L1 when the
// tile's C rows crowd an L1 set, which they do only where they fall in at
// most cpu::kMaxCrowdedSets (2) sets. A 256x512x256 matmul's C rows lie
// 2048 B apart, 32 lines, so they cycle through 64 / gcd(32, 64) = 2 of the
// 64 sets (32 KiB / (8 ways * 64 B)). In 8-column tiles over K steps of 16
// (whose 16 rows of B, 8 per set, fit the ways):
//   16 rows: 8 lines per set, which 8 ways hold: 1024 tiles, 512 rounds of
//            16 steps of 2 * 16*8*16 / 82.88e9 s = 0.049421 us +
//            accumulators 0.5625 * 2 * 16*8*4 B / 236.8e9 = 0.002432 us:
//            8192 * 0.051853 = 424.782 us
//   32 rows: 16 lines per set: the accumulators move 2 * 32 whole lines at
//            32 B/cycle, 4096 B / 118.4e9 = 0.034595 us: 512 tiles, 256
//            rounds of 16 steps of 0.098842 + 0.034595 = 0.133436 us =
//            546.555 us
// The 256^3 matmul's C rows, 1024 B apart, cycle through 4 sets: its 64-row
// 8-column tiles (K whole) crowd them beyond 8 ways too (16 lines per set)
// but pay the accumulators at the L1 rate: 3.162934 us of FMAs + 0.5625 *
// 2 * 64*8*4 B / 236.8e9 = 0.009730 us + the 64 KiB A block's 0.553514 us =
// 3.726178 us, 64 rounds = 238.475 us. So does a C stored column-major
// (C[n, m], rows along M): the 32-row tiles then take 0.098842 + 0.5625 *
// 2 * 32*8*4 B / 236.8e9 = 0.103707 us.
TEST_F(AnalyticalModelTest, CpuNarrowAccumulatorsCrowdingL1SetsReload) {
  OpWorkload w = OpWorkload::getMatmul(1, 256, 512, 256, PeakKind::F32, 4);
  FailureOr<TileCostEstimate> fits =
      model.estimateTile(w, {1, 16, 8, 16}, cpu, ctx.loc());
  FailureOr<TileCostEstimate> crowds =
      model.estimateTile(w, {1, 32, 8, 16}, cpu, ctx.loc());
  FailureOr<TileCostEstimate> spread = estimateCpuMatmul256({1, 64, 8, 0});
  ASSERT_TRUE(succeeded(fits) && succeeded(crowds) && succeeded(spread))
      << ctx.getDiagnostics();
  EXPECT_NEAR(fits->tileLatencyUs, 0.051853, 1e-5);
  EXPECT_NEAR(fits->latencyUs, 424.782, 1e-2);
  EXPECT_NEAR(crowds->tileLatencyUs, 0.133436, 1e-5);
  EXPECT_NEAR(crowds->latencyUs, 546.555, 1e-2);
  EXPECT_NEAR(spread->tileLatencyUs, 3.726178, 1e-5);
  EXPECT_NEAR(spread->latencyUs, 238.475, 1e-2);
  OpWorkload columnMajorC = w;
  columnMajorC.cInnermostIsN = false;
  FailureOr<TileCostEstimate> rowsAlongM =
      model.estimateTile(columnMajorC, {1, 32, 8, 16}, cpu, ctx.loc());
  ASSERT_TRUE(succeeded(rowsAlongM)) << ctx.getDiagnostics();
  EXPECT_NEAR(rowsAlongM->tileLatencyUs, 0.103707, 1e-5);
}

// The L1's ways follow from its size: 64 sets (a 4 KiB page of 64-byte
// lines indexes it), so 48 KiB is 12 ways and 64 KiB 16. A 64x1024x64
// matmul's C rows lie 4096 B apart and all fall in one set. In 8-column
// tiles (K whole) a 16-row block crowds a 12-way set and moves 2 * 16 whole
// lines at 32 B/cycle, 2048 B / 118.4e9 = 0.017297 us, against its
// accumulators' 0.5625 * 2 * 16*8*4 B at 64 B/cycle, 0.002432 us: 0.014865
// us more than two 8-row tiles (whose 8 lines fit). With 16 ways it fits
// too.
TEST_F(AnalyticalModelTest, CpuL1WaysFollowFromItsSize) {
  OpWorkload w = OpWorkload::getMatmul(1, 64, 1024, 64, PeakKind::F32, 4);
  auto extraUs = [&](double l1Kib) {
    TargetSpec target = cpu;
    target.l1CacheKib = l1Kib;
    FailureOr<TileCostEstimate> rows8 =
        model.estimateTile(w, {1, 8, 8, 0}, target, ctx.loc());
    FailureOr<TileCostEstimate> rows16 =
        model.estimateTile(w, {1, 16, 8, 0}, target, ctx.loc());
    EXPECT_TRUE(succeeded(rows8) && succeeded(rows16)) << ctx.getDiagnostics();
    return rows16->tileLatencyUs - 2 * rows8->tileLatencyUs;
  };
  EXPECT_NEAR(extraUs(48), 0.014865, 1e-6);
  EXPECT_NEAR(extraUs(64), 0.0, 1e-9);
}

// B's rows crowd L1 sets when their stride is a multiple of 2 KiB. A
// 64x1024x256 matmul's B rows lie 4096 B apart: a column of B falls in one
// of the CPU's 64 sets (32 KiB: 8 ways). In whole-row tiles (64 x 1024, one
// parallel tile, one core idle) over K steps of
//   8 rows:  8 lines per set fit: 32 steps of 2 * 64*1024*8 / 82.88e9 s =
//            12.651737 us + accumulators 0.5625 * 2 * 64*1024*4 B /
//            236.8e9 = 1.245405 us: 32 * 13.897142 = 444.709 us
//   16 rows: 16 lines per set, so 1 - 8/16 of the 8*128*16 B loads (8-row
//            by 8-column register tiles) miss, a 64-byte line each at
//            32 B * 3.7e9, of which 0.55 (cpu::kBRowMissExposedShare) adds:
//            0.55 * 0.5 * 16384 * 64 B / 118.4e9 = 2.435459 us; 16 steps of
//            25.303475 + 1.245405 + 2.435459 = 463.749 us (424.782 without
//            the misses, when it was the faster)
//   K whole: 1 - 8/256 of 8*128*256 loads miss, 0.55 * 137.271351 =
//            75.499243 us, on top of 404.855599 us of FMAs, 1.245405 us of
//            accumulators and the 64 KiB A block's 0.553514 us: 482.154 us
// With N = 768 the rows lie 3072 B (48 lines) apart and cycle through
// 64 / gcd(48, 64) = 4 sets, more than cpu::kMaxCrowdedSets: K whole costs
// its FMAs, 303.641699 us, its accumulators, 0.934054 us, and its A block,
// 0.553514 us: 305.129 us, no misses. Nor does a transposed B (B[n, k],
// rows along K) pay them: K steps of 16 take the 424.782 us above.
TEST_F(AnalyticalModelTest, CpuBColumnsCrowdingL1SetsMiss) {
  OpWorkload w = OpWorkload::getMatmul(1, 64, 1024, 256, PeakKind::F32, 4);
  FailureOr<TileCostEstimate> k8 =
      model.estimateTile(w, {1, 0, 0, 8}, cpu, ctx.loc());
  FailureOr<TileCostEstimate> k16 =
      model.estimateTile(w, {1, 0, 0, 16}, cpu, ctx.loc());
  FailureOr<TileCostEstimate> kWhole =
      model.estimateTile(w, {1, 0, 0, 0}, cpu, ctx.loc());
  OpWorkload wide = OpWorkload::getMatmul(1, 64, 768, 256, PeakKind::F32, 4);
  FailureOr<TileCostEstimate> spread =
      model.estimateTile(wide, {1, 0, 0, 0}, cpu, ctx.loc());
  ASSERT_TRUE(succeeded(k8) && succeeded(k16) && succeeded(kWhole) &&
              succeeded(spread))
      << ctx.getDiagnostics();
  EXPECT_NEAR(k8->latencyUs, 444.709, 1e-2);
  EXPECT_NEAR(k16->tileLatencyUs, 28.984340, 1e-5);
  EXPECT_NEAR(k16->latencyUs, 463.749, 1e-2);
  EXPECT_NEAR(kWhole->latencyUs, 482.154, 1e-2);
  EXPECT_NEAR(spread->latencyUs, 305.129, 1e-2);
  OpWorkload transposed = w;
  transposed.bInnermostIsN = false;
  FailureOr<TileCostEstimate> rowsAlongK =
      model.estimateTile(transposed, {1, 0, 0, 16}, cpu, ctx.loc());
  ASSERT_TRUE(succeeded(rowsAlongK)) << ctx.getDiagnostics();
  EXPECT_NEAR(rowsAlongK->latencyUs, 424.782, 1e-2);
}

// Ties in predicted time go to fewer tiles, then to the tile wider along N,
// before the sizes in order. The 256^3 matmul in 16x256 and in 256x16 tiles
// over K steps of 32: 16 tiles of 8 steps each, the same FMAs and
// accumulators per step, and A blocks that fit L1 (16*32*4 B and 256*32*4 B
// = 32 KiB); C's rows, 1024 B apart, cycle through 4 sets, so no B loads
// miss. The 256-column tiles rank first, though [0, 0, 16, 32] precedes
// [0, 16, 0, 32] in order (a batch of one is tiled as 0, whole).
TEST_F(AnalyticalModelTest, CpuTiesGoToWiderTiles) {
  FailureOr<TileCostEstimate> wide = estimateCpuMatmul256({1, 16, 0, 32});
  FailureOr<TileCostEstimate> narrow = estimateCpuMatmul256({1, 0, 16, 32});
  ASSERT_TRUE(succeeded(wide) && succeeded(narrow)) << ctx.getDiagnostics();
  ASSERT_EQ(wide->latencyUs, narrow->latencyUs);
  ASSERT_EQ(wide->numTiles, narrow->numTiles);
  FailureOr<SmallVector<TileCostEstimate>> ranked =
      rankTileSizes(matmul256, cpu, model, ctx.loc());
  ASSERT_TRUE(succeeded(ranked)) << ctx.getDiagnostics();
  auto position = [&](ArrayRef<int64_t> tile) {
    return llvm::find_if(*ranked,
                         [&](const TileCostEstimate &e) {
                           return ArrayRef<int64_t>(e.tileSizes) == tile;
                         }) -
           ranked->begin();
  };
  EXPECT_LT(position({0, 16, 0, 32}), position({0, 0, 16, 32}));
}

// The same matmul untiled: each core takes half the rows of C (128), so
//   compute = 2 * 128*256*256 / 82.88e9 s          = 202.427799 us
//           + accumulators 0.5625 * 2 * 128*256*4 B / 236.8e9
//                                                   =   0.622703 us
//           + A block 128*256*4 B / 118.4e9         =   1.107027 us
//           = 204.157529 us
//   memory  = 3 * 256*256*4 B / 2 cores = 384 KiB at 32 B * 3.7e9 = 3.32 us
TEST_F(AnalyticalModelTest, CpuUntiledGemmSplitsRowsOverCores) {
  FailureOr<CostEstimate> e = model.estimate(matmul256, cpu, ctx.loc());
  ASSERT_TRUE(succeeded(e)) << ctx.getDiagnostics();
  EXPECT_NEAR(e->computeUs, 204.157529, 1e-4);
  EXPECT_NEAR(e->latencyUs, 204.157529, 1e-4);
  EXPECT_EQ(e->bound, Bound::compute);
}

// Tiles small enough for L1 still bring the op's data in from DRAM once. An
// element-wise add over [8192, 8192] f32 (805306368 B: two inputs and the
// result) on the CPU, in 8 x 256 tiles:
//   per tile: 24576 B (fits the 32 KiB L1) at 64 B * 3.7e9 = 0.1037838 us,
//             over 2048 / 82.88e9 s = 0.0247104 us of arithmetic
//   32768 tiles on 2 cores: 16384 waves * 0.1037838 = 1700.43 us as if the
//             data sat in L1;
//   but each core streams its half, 402653184 B, beyond the 16 MiB LLC
//             share, at 20e9 / 2 B/s: 40265.3184 us, memory-bound, which the
//             16384 waves share (2.4576 us each), the same as the op
//             untiled split over the cores.
TEST_F(AnalyticalModelTest, CpuTilesStreamTheOpFromWhereItFits) {
  OpWorkload add = OpWorkload::getElementwise(8192, 8192, 2, 1, 0, 4);
  FailureOr<TileCostEstimate> tiled =
      model.estimateTile(add, {8, 256}, cpu, ctx.loc());
  FailureOr<CostEstimate> whole = model.estimate(add, cpu, ctx.loc());
  ASSERT_TRUE(succeeded(tiled) && succeeded(whole)) << ctx.getDiagnostics();
  EXPECT_EQ(tiled->waves, 16384);
  EXPECT_NEAR(tiled->latencyUs, 40265.3184, 1e-3);
  EXPECT_NEAR(tiled->tileLatencyUs, 2.4576, 1e-6);
  EXPECT_EQ(tiled->bound, Bound::memory);
  EXPECT_NEAR(whole->latencyUs, 40265.3184, 1e-3);
}

// The cores that run share the last-level cache: a copy of [3072, 1024] f32
// (25165824 B read and written) on one thread has the whole 32 MiB to
// itself, 25165824 / (32 B * 3.7e9) s = 212.5492 us; in two tiles of 1536
// rows, one per core, each core's 12 MiB fits its 16 MiB half, 106.2746 us.
// (One core was given half the cache whether or not the other ran, and
// streamed from DRAM at 10 GB/s: 2516.58 us, 24x the two cores' time.)
TEST_F(AnalyticalModelTest, CpuCoresThatRunShareTheLastLevelCache) {
  OpWorkload copy = OpWorkload::getElementwise(3072, 1024, 1, 0, 0, 4);
  FailureOr<TileCostEstimate> oneCore =
      model.estimateTile(copy, {0, 0}, cpu, ctx.loc());
  FailureOr<TileCostEstimate> twoCores =
      model.estimateTile(copy, {1536, 0}, cpu, ctx.loc());
  ASSERT_TRUE(succeeded(oneCore) && succeeded(twoCores))
      << ctx.getDiagnostics();
  EXPECT_NEAR(oneCore->latencyUs, 212.5492, 1e-3);
  EXPECT_NEAR(twoCores->latencyUs, 106.2746, 1e-3);
}

// A CPU's launch overhead is the start of a parallel loop: paid by work
// spread over more than one core, not by work on the calling thread. With a
// 60 us start (data/targets/host.json measures 59.8 us):
//   64^3 tiles (CpuTilesAreSpreadOverCores): 16 parallel tiles on 2 cores,
//     204.919 + 60 = 264.919 us
//   256 x 256 x 16 (CpuKStepsReloadTheAccumulators): one parallel tile, on
//     the calling thread: 424.782 us, no start
//   untiled: split over the cores (CpuUntiledGemmSplitsRowsOverCores)
//     204.157529 + 60 = 264.157529 us, faster than on the calling thread
//     alone: 2 * 256^3 / 82.88e9 s = 404.855598 us + accumulators
//     0.5625 * 2 * 256*256*4 B / 236.8e9 = 1.245405 us + the A block
//     256*256*4 B / 118.4e9 = 2.214054 us = 408.315057 us
//   a tanh over 1 x 1024 untiled: on the calling thread, 1024 / 82.88e9 s
//     = 0.012355 us + 1024 * 24 cycles / 3.7e9 Hz = 6.642162 us = 6.654517
//     us, against 3.327259 + 60 us split over the cores
TEST_F(AnalyticalModelTest, CpuParallelLoopsPayTheirStart) {
  cpu.launchOverheadUs = 60;
  FailureOr<TileCostEstimate> spread = estimateCpuMatmul256({1, 64, 64, 64});
  FailureOr<TileCostEstimate> alone = estimateCpuMatmul256({1, 0, 0, 16});
  ASSERT_TRUE(succeeded(spread) && succeeded(alone)) << ctx.getDiagnostics();
  EXPECT_NEAR(spread->latencyUs, 264.919, 1e-2);
  EXPECT_EQ(spread->overheadUs, 60);
  EXPECT_NEAR(alone->latencyUs, 424.782, 1e-2);
  EXPECT_EQ(alone->overheadUs, 0);

  FailureOr<CostEstimate> split = model.estimate(matmul256, cpu, ctx.loc());
  ASSERT_TRUE(succeeded(split)) << ctx.getDiagnostics();
  EXPECT_NEAR(split->latencyUs, 264.157529, 1e-4);
  EXPECT_EQ(split->overheadUs, 60);

  OpWorkload tanh = OpWorkload::getElementwise(1, 1024, 1, 1, 1, 4);
  FailureOr<CostEstimate> small = model.estimate(tanh, cpu, ctx.loc());
  ASSERT_TRUE(succeeded(small)) << ctx.getDiagnostics();
  EXPECT_NEAR(small->latencyUs, 6.654517, 1e-5);
  EXPECT_EQ(small->overheadUs, 0);
  EXPECT_EQ(small->bound, Bound::compute);

  // One core starts no parallel loop.
  TargetSpec oneCore = cpu;
  oneCore.computeUnits = 1;
  FailureOr<TileCostEstimate> single =
      model.estimateTile(matmul256, {1, 64, 64, 64}, oneCore, ctx.loc());
  ASSERT_TRUE(succeeded(single)) << ctx.getDiagnostics();
  EXPECT_EQ(single->overheadUs, 0);
}

// An add of 4 f32 elements on a 64-core version of the test CPU (same
// per-core numbers, no launch overhead): it splits over at most its 4
// elements' cores, one element each, never into shares of zero work:
//   single core: memory = 48 B / (64 B * 3.7e9 Hz)   = 2.02703e-4 us (L1)
//   over 4 cores: memory = 12 B / (64 B * 3.7e9 Hz)  = 5.06757e-5 us
//                 compute = 1 / (0.1184e12 * 0.7) s  = 1.20656e-5 us
TEST_F(AnalyticalModelTest, CpuSplitsOverNoMoreCoresThanIterations) {
  TargetSpec manyCores = cpu;
  manyCores.computeUnits = 64;
  manyCores.peakTflops[static_cast<unsigned>(PeakKind::F32)] = 0.1184 * 64;
  OpWorkload add = OpWorkload::getElementwise(1, 4, 2, 1, 0, 4);
  FailureOr<CostEstimate> e = model.estimate(add, manyCores, ctx.loc());
  ASSERT_TRUE(succeeded(e)) << ctx.getDiagnostics();
  EXPECT_NEAR(e->latencyUs, 5.06757e-5, 1e-9);
  EXPECT_NEAR(e->computeUs, 1.20656e-5, 1e-9);
  EXPECT_EQ(e->bound, Bound::memory);
}

// A transcendental map such as tanh over [1024, 1024] f32 on the CPU,
// untiled: each of the 2 cores does
// half the elements, 524288, with 1 FLOP and 1 transcendental each:
//   compute = 524288 / (0.2368e12 / 2 * 0.7) s      =    6.32587 us
//           + 524288 * 24 cycles / 3.7e9 Hz         = 3400.78703 us
//   memory  = (4 + 4) MiB / 2 = 4 MiB per core: over L1, within the per-core
//             LLC share (16 MiB), at 32 B * 3.7e9 = 35.4248 us
//   latency = 3407.11290 us, compute-bound (no launch overhead on the host)
TEST_F(AnalyticalModelTest, CpuTranscendentalsAreLibmCalls) {
  OpWorkload tanh = OpWorkload::getElementwise(1024, 1024, 1, 1, 1, 4);
  FailureOr<CostEstimate> e = model.estimate(tanh, cpu, ctx.loc());
  ASSERT_TRUE(succeeded(e)) << ctx.getDiagnostics();
  EXPECT_NEAR(e->computeUs, 3407.11290, 1e-3);
  EXPECT_NEAR(e->memoryUs, 35.4248, 1e-3);
  EXPECT_NEAR(e->latencyUs, 3407.11290, 1e-3);
  EXPECT_EQ(e->bound, Bound::compute);
}

// The same map with exponentials (its workload counts the transcendental
// as exp rather than, e.g., tanh): 5 cycles each (expf), not 24:
//   compute = 6.32587 + 524288 * 5 / 3.7e9 s = 6.32587 + 708.49730 us
//           = 714.82317 us
TEST_F(AnalyticalModelTest, CpuExponentialsAreCheaperLibmCalls) {
  OpWorkload exp = OpWorkload::getElementwise(1024, 1024, 1, 1, 1, 4);
  exp.exponentials = exp.transcendentals;
  FailureOr<CostEstimate> e = model.estimate(exp, cpu, ctx.loc());
  ASSERT_TRUE(succeeded(e)) << ctx.getDiagnostics();
  EXPECT_NEAR(e->computeUs, 714.82317, 1e-3);
}

// A 1024^3 f32 matmul on the V100 (not power-limited: 900 GB/s / 80 SMs =
// 11.25 GB/s per SM >= 10). Per-SM rate = 64 lanes * 2 * 1.37e9 * 0.9105 =
// 1.59665e11 FLOP/s. Each block tile may split K in 2, 4, ... while a slice
// keeps at least 64 of K; waves = ceil(tiles * splits / 80), and a split
// writes and reads back splits x 4 MiB of partial sums:
//   128x128, no split: 64 tiles, 1 wave; 2*128*128*1024*(1 + 6.648*2/128)
//            / 1.59665e11 + 2722 / 1.37e9 = 231.985 + 1.987 = 233.972 us
//   128x128, split 8:  512 blocks, 7 waves of 28.998 + 1.987 us = 216.895
//   128x128, split 16: 1024 blocks, 13 waves of 14.499 + 1.987 us
//            = 13 * 16.485904 = 214.317 us; DRAM (12582912 + 2*16*4 MiB) /
//            (0.8 * 900e9) = 203.890 us, under it (L2: 1.15 us)
//   128x64, no split: 128 tiles, 2 waves of 123.44 us = 246.88 us
//   (every other tile and split is slower)
// Best: 128x128 split 16, compute-bound at 214.317 us. Overhead 27.6 + 18.9
// (GEMM dispatch) = 46.5 us, so latency = 260.817 us. A user tiling has no
// split: 128x64 tiles are the 2 waves of 123.44 us above.
TEST_F(AnalyticalModelTest, GemmPicksTheFastestBlockTileAndSplit) {
  OpWorkload w = OpWorkload::getMatmul(1, 1024, 1024, 1024, PeakKind::F32, 4);
  FailureOr<CostEstimate> e = model.estimate(w, v100, ctx.loc());
  ASSERT_TRUE(succeeded(e));
  EXPECT_NEAR(e->computeUs, 214.317, 1e-2);
  EXPECT_NEAR(e->memoryUs, 203.890, 1e-2);
  EXPECT_NEAR(e->overheadUs, 46.5, 1e-9);
  EXPECT_NEAR(e->latencyUs, 260.817, 1e-2);
  EXPECT_EQ(e->bound, Bound::compute);

  int64_t tiles128x64[] = {1, 128, 64, 0};
  FailureOr<TileCostEstimate> t =
      model.estimateTile(w, tiles128x64, v100, ctx.loc());
  ASSERT_TRUE(succeeded(t));
  EXPECT_EQ(t->numTiles, 128);
  EXPECT_EQ(t->waves, 2);
  EXPECT_NEAR(t->tileLatencyUs, 123.44, 1e-2);
}

// Batched GEMMs do not split K. Two 1024 x 1024 x 512 products on the V100:
// 128x128 tiles give 2 * 64 = 128 blocks over K = 512, 2 waves of
// 2*128*128*512*(1 + 6.648*2/128) / 1.59665e11 + 1.987 = 117.979 us, so
// 235.958 us (64x64 tiles: 7 waves of 33.714 us = 235.996 us; the rest are
// slower); no split of the 512-deep K is considered.
TEST_F(AnalyticalModelTest, BatchedGemmsDoNotSplitK) {
  OpWorkload w = OpWorkload::getMatmul(2, 1024, 1024, 512, PeakKind::F32, 4);
  FailureOr<CostEstimate> e = model.estimate(w, v100, ctx.loc());
  ASSERT_TRUE(succeeded(e));
  EXPECT_NEAR(e->computeUs, 235.958, 1e-2);
}

// Lanes shared with INT32 (an Ada SM's 64 of 128) slow the FP32 SIMT path
// only: an f16 GEMM runs on the tensor cores at the SM's share of the f16
// peak whether or not the spec shares lanes, while the f32 GEMM loses half
// its lanes (a V100 given 128 lanes, 64 shared, keeps its 64-lane FP32 rate).
TEST_F(AnalyticalModelTest, SharedInt32LanesSlowTheFp32PathOnly) {
  TargetSpec unshared = v100;
  unshared.lanesPerUnit = 128;
  TargetSpec shared = unshared;
  shared.lanesSharedWithInt32 = 64;
  OpWorkload f16 = OpWorkload::getMatmul(1, 4096, 4096, 4096, PeakKind::F16, 2);
  OpWorkload f32 = OpWorkload::getMatmul(1, 4096, 4096, 4096, PeakKind::F32, 4);
  FailureOr<CostEstimate> f16Unshared =
      model.estimate(f16, unshared, ctx.loc());
  FailureOr<CostEstimate> f16Shared = model.estimate(f16, shared, ctx.loc());
  FailureOr<CostEstimate> f32Shared = model.estimate(f32, shared, ctx.loc());
  FailureOr<CostEstimate> f32V100 = model.estimate(f32, v100, ctx.loc());
  ASSERT_TRUE(succeeded(f16Unshared) && succeeded(f16Shared) &&
              succeeded(f32Shared) && succeeded(f32V100))
      << ctx.getDiagnostics();
  EXPECT_DOUBLE_EQ(f16Shared->latencyUs, f16Unshared->latencyUs);
  EXPECT_DOUBLE_EQ(f32Shared->latencyUs, f32V100->latencyUs);
}

// The same matmul on a power-limited card (under 10 GB/s of DRAM bandwidth
// per SM) runs its FMA loop at 0.585 of the rate; with 80 SMs and
// 320 GB/s, 128x128 tiles split 8 ways are the fastest: 7 waves of
// 28.998 / 0.585 + 1.987 = 51.556 us = 360.894 us (partial sums in DRAM:
// (12582912 + 2*8*4 MiB) / (0.8 * 320e9) = 311.296 us, under it).
TEST_F(AnalyticalModelTest, PowerLimitedCardsAreDerated) {
  TargetSpec t4Like = v100;
  t4Like.memoryBandwidthGbps = 320;
  OpWorkload w = OpWorkload::getMatmul(1, 1024, 1024, 1024, PeakKind::F32, 4);
  FailureOr<CostEstimate> e = model.estimate(w, t4Like, ctx.loc());
  ASSERT_TRUE(succeeded(e));
  EXPECT_NEAR(e->computeUs, 360.894, 1e-2);
}

TEST_F(AnalyticalModelTest, MissingArithmeticPathIsAnError) {
  OpWorkload w = OpWorkload::getMatmul(1, 64, 64, 64, PeakKind::BF16, 2);
  EXPECT_TRUE(failed(model.estimate(w, v100, ctx.loc())));
  EXPECT_NE(ctx.getDiagnostics().find(
                "target 'v100-test' has no bf16 arithmetic path"),
            std::string::npos)
      << ctx.getDiagnostics();
}

TEST_F(AnalyticalModelTest, WrongNumberOfTileSizesIsAnError) {
  OpWorkload w = OpWorkload::getMatmul(1, 64, 64, 64, PeakKind::F32, 4);
  int64_t tiles[] = {32, 32};
  EXPECT_TRUE(failed(model.estimateTile(w, tiles, v100, ctx.loc())));
  EXPECT_NE(
      ctx.getDiagnostics().find("expected 4 tile sizes (one per loop), got 2"),
      std::string::npos)
      << ctx.getDiagnostics();
}

TEST_F(AnalyticalModelTest, SoftmaxRowsCannotBeSplit) {
  OpWorkload w = OpWorkload::getSoftmax(64, 1024, 4);
  int64_t tiles[] = {8, 128};
  EXPECT_TRUE(failed(model.estimateTile(w, tiles, v100, ctx.loc())));
  EXPECT_NE(ctx.getDiagnostics().find("normalised dimension of a softmax"),
            std::string::npos)
      << ctx.getDiagnostics();
}

// Wave quantization: 80 SMs, 128x128 tiles. m = n = 1280 gives 100 tiles,
// two waves; m = n = 1152 gives 81 tiles, also two waves, although 19% less
// work. The per-tile time is the same (same K), so the latencies match.
TEST_F(AnalyticalModelTest, WaveQuantizationRoundsTilesUpToWaves) {
  OpWorkload big = OpWorkload::getMatmul(1, 1280, 1280, 512, PeakKind::F32, 4);
  OpWorkload small =
      OpWorkload::getMatmul(1, 1152, 1152, 512, PeakKind::F32, 4);
  int64_t tiles[] = {1, 128, 128, 0};
  FailureOr<TileCostEstimate> a =
      model.estimateTile(big, tiles, v100, ctx.loc());
  FailureOr<TileCostEstimate> b =
      model.estimateTile(small, tiles, v100, ctx.loc());
  ASSERT_TRUE(succeeded(a) && succeeded(b));
  EXPECT_EQ(a->numTiles, 100);
  EXPECT_EQ(b->numTiles, 81);
  EXPECT_EQ(a->waves, 2);
  EXPECT_EQ(b->waves, 2);
  EXPECT_DOUBLE_EQ(a->latencyUs, b->latencyUs);
}

// Partial blocks are counted per loop and run as long as whole ones. A GEMM
// whose M is two loops of 54 (a convolution's output image), tiled 8 x 8 by
// 16 columns of N = 128: 7 x 7 x 8 = 392 blocks, not the 46 x 8 = 368 that
// 2916 rows in blocks of 64 would be. An element-wise op over 54 x 54 in
// 32 x 32 blocks: 4 blocks, each moving 32 x 32 elements' share of the
// traffic, longer than 27 x 27 blocks, also 4.
TEST_F(AnalyticalModelTest, PartialGpuBlocksAreCountedPerLoop) {
  OpWorkload conv =
      OpWorkload::getMatmul(1, 54 * 54, 128, 64, PeakKind::F32, 4);
  conv.loopSizes = {1, 54, 54, 128, 64};
  conv.loopRoles = {LoopRole::Batch, LoopRole::M, LoopRole::M, LoopRole::N,
                    LoopRole::K};
  int64_t convTiles[] = {0, 8, 8, 16, 0};
  FailureOr<TileCostEstimate> blocks =
      model.estimateTile(conv, convTiles, v100, ctx.loc());
  ASSERT_TRUE(succeeded(blocks)) << ctx.getDiagnostics();
  EXPECT_EQ(blocks->numTiles, 7 * 7 * 8);

  OpWorkload ew = OpWorkload::getElementwise(54, 54, 1, 1, 0, 4);
  int64_t partial[] = {32, 32}, exact[] = {27, 27};
  FailureOr<TileCostEstimate> a =
      model.estimateTile(ew, partial, v100, ctx.loc());
  FailureOr<TileCostEstimate> b =
      model.estimateTile(ew, exact, v100, ctx.loc());
  ASSERT_TRUE(succeeded(a) && succeeded(b)) << ctx.getDiagnostics();
  EXPECT_EQ(a->numTiles, 4);
  EXPECT_EQ(b->numTiles, 4);
  EXPECT_GT(a->latencyUs, b->latencyUs);
}

// Candidates for a 512x1024x256 matmul (loops batch, m, n, k): the whole
// loop (0) and the powers of two from 8 to 256 that are smaller (and, on a
// CPU, divide it). Batch 1 stays whole. On a GPU, K stays whole (a block loops
// over it): 1 x 7 x 7 x 1 = 49 tilings, of which a GPU ranks 35: a block
// spans at most 256 along M and N (not the whole 512 or 1024: 13 tilings,
// the untiled op among them) and 128 x 256 accumulators (not 256 x 256).
// On the CPU, K (innermost) takes only multiples of the 16-lane vector
// width: 0, 16, 32, 64, 128.
TEST_F(AnalyticalModelTest, TileCandidatesFollowTheHardware) {
  OpWorkload w = OpWorkload::getMatmul(1, 512, 1024, 256, PeakKind::F32, 4);
  SmallVector<SmallVector<int64_t>> gpu = getTileSizeCandidates(w, v100);
  ASSERT_EQ(gpu.size(), 4u);
  EXPECT_EQ(gpu[0], SmallVector<int64_t>({0}));
  EXPECT_EQ(gpu[1], SmallVector<int64_t>({0, 8, 16, 32, 64, 128, 256}));
  EXPECT_EQ(gpu[3], SmallVector<int64_t>({0}));
  SmallVector<SmallVector<int64_t>> host = getTileSizeCandidates(w, cpu);
  EXPECT_EQ(host[3], SmallVector<int64_t>({0, 16, 32, 64, 128}));

  // Batch tiles start at single matrices: a CPU's cores can share a few
  // (12: 1, 2 and 4 divide it), and a GPU block holds one matrix or a few
  // whose accumulators fit; a GPU's need not divide the loop (its kernel
  // guards the last, partial block): 8 of 12 too, and its whole batch comes
  // last (a block would hold every matrix's accumulators).
  OpWorkload batched =
      OpWorkload::getMatmul(12, 128, 128, 64, PeakKind::F32, 4);
  EXPECT_EQ(getTileSizeCandidates(batched, cpu)[0],
            SmallVector<int64_t>({0, 1, 2, 4}));
  EXPECT_EQ(getTileSizeCandidates(batched, v100)[0],
            SmallVector<int64_t>({1, 2, 4, 8, 0}));

  // A 54-wide loop (a 3x3 convolution's output over a 56-wide image) has no
  // power-of-two divisor from 8: a GPU still tiles it by 8, 16 and 32, in 7,
  // 4 and 2 blocks, the last partial; a CPU keeps it whole.
  OpWorkload odd = OpWorkload::getMatmul(1, 54, 128, 64, PeakKind::F32, 4);
  EXPECT_EQ(getTileSizeCandidates(odd, v100)[1],
            SmallVector<int64_t>({0, 8, 16, 32}));
  EXPECT_EQ(getTileSizeCandidates(odd, cpu)[1], SmallVector<int64_t>({0}));

  FailureOr<TileSelection> selection =
      selectTileSizes(w, v100, model, ctx.loc());
  ASSERT_TRUE(succeeded(selection));
  EXPECT_EQ(selection->numCandidates, 35);
  EXPECT_LE(selection->best.latencyUs, selection->runnerUp.latencyUs);
  // The choice is the fastest of all legal candidates, checked one by one.
  for (int64_t tm : gpu[1])
    for (int64_t tn : gpu[2]) {
      if (tm == 0 || tn == 0 || tm * tn > 128 * 256)
        continue;
      int64_t tiles[] = {0, tm, tn, 0};
      EXPECT_LE(selection->best.latencyUs,
                model.estimateTile(w, tiles, v100, ctx.loc())->latencyUs);
    }
}

// Fusing add(x, y) into a x2 scale on [1024, 1024] f32 (1 FLOP each): the
// fused kernel does 2 FLOPs per element, reads x and y (8 MiB) instead of the
// intermediate, writes 4 MiB. On the V100: apart 43.6591 + 38.3060 us (8 MiB
// at 0.8706 x 900 GB/s = 10.7060 us + 27.6), fused 43.6591 us.
TEST_F(AnalyticalModelTest, FusionRemovesTheIntermediateAndALaunch) {
  OpWorkload add = OpWorkload::getElementwise(1024, 1024, 2, 1, 0, 4);
  OpWorkload scale = OpWorkload::getElementwise(1024, 1024, 1, 1, 0, 4);
  int64_t intermediate = 1024 * 1024 * 4;
  OpWorkload fused = getFusedWorkload(add, scale, {intermediate});
  EXPECT_EQ(fused.flops, 2 * 1024 * 1024);
  EXPECT_EQ(fused.bytesRead, 2 * intermediate);
  EXPECT_EQ(fused.bytesWritten, intermediate);
  FailureOr<FusionEstimate> e =
      estimateFusion(add, scale, {intermediate}, v100, model, ctx.loc());
  ASSERT_TRUE(succeeded(e));
  EXPECT_NEAR(e->unfusedUs, 43.6591 + 38.3060, 1e-3);
  EXPECT_NEAR(e->fusedUs, 43.6591, 1e-3);
  EXPECT_TRUE(e->isProfitable());
}

// A consumer that reads one row of a 1024 x 1024 producer's result (1024
// iterations of its 1M) computes the producer's payload in its iterations
// only: 1024 x 1 FLOP, reading 4 KiB of the intermediate. Where the fused op
// keeps the whole result, the producer's payload runs over all of it.
TEST_F(AnalyticalModelTest, FusionIntoASliceComputesTheSlice) {
  OpWorkload producer = OpWorkload::getElementwise(1024, 1024, 1, 1, 0, 4);
  OpWorkload row = OpWorkload::getElementwise(1, 1024, 1, 1, 0, 4);
  FusionTraffic traffic;
  traffic.intermediateBytes = 1024 * 4;
  OpWorkload fused = getFusedWorkload(producer, row, traffic);
  EXPECT_EQ(fused.flops, 1024 + 1024);
  // The producer's input whole (4 MiB; a slice of it is not modelled).
  EXPECT_EQ(fused.bytesRead, 1024 * 1024 * 4);
  traffic.keptIntermediateBytes = 1024 * 1024 * 4;
  fused = getFusedWorkload(producer, row, traffic);
  EXPECT_EQ(fused.flops, 1024 * 1024 + 1024);
  EXPECT_EQ(fused.bytesWritten, 1024 * 4 + 1024 * 1024 * 4);
}

// (x + y) * y on [1024, 1024] f32: both ops read y, which the fused kernel
// reads once: x and y (8 MiB, 2 inputs) instead of x, y, y (12 MiB, 3).
TEST_F(AnalyticalModelTest, FusionReadsASharedInputOnce) {
  OpWorkload add = OpWorkload::getElementwise(1024, 1024, 2, 1, 0, 4);
  OpWorkload mul = OpWorkload::getElementwise(1024, 1024, 2, 1, 0, 4);
  int64_t tensor = 1024 * 1024 * 4;
  OpWorkload fused = getFusedWorkload(add, mul, {tensor, 1, tensor});
  EXPECT_EQ(fused.bytesRead, 2 * tensor);
  EXPECT_EQ(fused.numInputs, 2);
  EXPECT_EQ(fused.bytesWritten, tensor);
  EXPECT_EQ(fused.flops, 2 * 1024 * 1024);
}

// A producer that accumulates into its output (x + acc) stays a result of
// the fused op, which writes it as well as the consumer's result: 4 MiB more
// written, nothing more read.
TEST_F(AnalyticalModelTest, FusionWritesAKeptIntermediate) {
  OpWorkload accumulate = OpWorkload::getElementwise(1024, 1024, 2, 1, 0, 4);
  OpWorkload negate = OpWorkload::getElementwise(1024, 1024, 1, 1, 0, 4);
  int64_t tensor = 1024 * 1024 * 4;
  OpWorkload fused =
      getFusedWorkload(accumulate, negate, {tensor, 0, 0, tensor});
  EXPECT_EQ(fused.bytesRead, 2 * tensor);
  EXPECT_EQ(fused.bytesWritten, 2 * tensor);
}

// An element-wise consumer that broadcasts the intermediate runs the
// producer's payload in each of its own iterations (upstream fusion inlines
// it): 8 tanh per element of a [256, 1024] producer, read by a [2048, 1024]
// add (each producer row broadcast over 8 consumer rows), fused: 8 x 2048 x
// 1024 = 16777216 tanh evaluations, not the producer's 2097152, plus the
// add's 2097152 FLOPs; the producer's input (1 MiB) is read instead of the
// intermediate (1 MiB).
TEST_F(AnalyticalModelTest, FusionRecomputesABroadcastProducer) {
  OpWorkload tanh8 = OpWorkload::getElementwise(256, 1024, 1, 0, 8, 4);
  OpWorkload add = OpWorkload::getElementwise(2048, 1024, 2, 1, 0, 4);
  int64_t intermediate = 256 * 1024 * 4;
  OpWorkload fused = getFusedWorkload(tanh8, add, {intermediate});
  EXPECT_EQ(fused.transcendentals, 8 * 2048 * 1024);
  EXPECT_EQ(fused.flops, 2048 * 1024);
  EXPECT_EQ(fused.bytesRead, add.bytesRead);
  // Same shapes: computed once, as before.
  OpWorkload tanhFull = OpWorkload::getElementwise(2048, 1024, 1, 0, 8, 4);
  EXPECT_EQ(getFusedWorkload(tanhFull, add, {2048 * 1024 * 4}).transcendentals,
            8 * 2048 * 1024);
}

// A fused kernel keeps its parts' transcendentals and, among them, their
// exponentials: exp(x) (1 each per element) fused into tanh(.) (1
// transcendental, no exponential) has 2 transcendentals and 1 exponential
// per element, so the CPU prices it 5 + 24 cycles an element.
TEST_F(AnalyticalModelTest, FusionKeepsExponentialsApart) {
  OpWorkload exp = OpWorkload::getElementwise(1024, 1024, 1, 1, 1, 4);
  exp.exponentials = exp.transcendentals;
  OpWorkload tanh = OpWorkload::getElementwise(1024, 1024, 1, 1, 1, 4);
  OpWorkload fused = getFusedWorkload(exp, tanh, {1024 * 1024 * 4});
  EXPECT_EQ(fused.transcendentals, 2 * 1024 * 1024);
  EXPECT_EQ(fused.exponentials, 1024 * 1024);
}

// A fusion is advised only if it saves more than 5% of the pair's time:
// 100 -> 96 us saves 4%, 100 -> 94 us saves 6%.
TEST(FusionEstimateTest, SmallSavingsAreNotWorthAFusion) {
  EXPECT_FALSE((FusionEstimate{100.0, 96.0}).isProfitable());
  EXPECT_TRUE((FusionEstimate{100.0, 94.0}).isProfitable());
  EXPECT_FALSE((FusionEstimate{100.0, 101.0}).isProfitable());
}

// The last line of defence of tilecast-estimate-cost: an estimate whose time
// is not finite never becomes a tilecast.cost (target numbers are
// range-checked where they are read, so no built-in path produces one).
TEST(CostEstimateTest, NonFiniteTimeIsRefusedAsAnAttribute) {
  TestContext ctx;
  CostEstimate estimate;
  estimate.latencyUs = std::numeric_limits<double>::infinity();
  estimate.lowerUs = 1.0;
  estimate.upperUs = 2.0;
  auto emitError = [&] { return mlir::emitError(ctx.loc(), "invalid: "); };
  EXPECT_FALSE(estimate.toAttr(ctx.get(), emitError));
  EXPECT_NE(ctx.getDiagnostics().find("'latency_us' must be a finite "
                                      "non-negative number, got inf"),
            std::string::npos)
      << ctx.getDiagnostics();
}
