//===- AnalyticalModel.cpp - Roofline and analytical cost models ----------===//
//
// The formulas and the provenance of every constant are derived in
// docs/cost-model.md. Constants marked "fitted" were fitted once, by robust
// least squares on log(predicted / measured), to the NeuSight training
// kernels of the training GPUs only (P4, P100, V100, T4, A100-PCIE-40GB;
// ../shared/data/neusight/kernels/train); never to the validation GPUs. The
// fit is reproduced by the scripts in python/fitting (see its README).
//
//===----------------------------------------------------------------------===//

#include "tilecast/Cost/AnalyticalModel.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/STLExtras.h"

#include <algorithm>
#include <cmath>
#include <numeric>

using namespace mlir;
using namespace mlir::tilecast;

static constexpr double kUsPerSecond = 1e6;

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

namespace gpu {
/// Fraction of the per-SM FP32 FMA peak a SIMT sgemm main loop sustains.
/// Fitted: 0.9105.
static constexpr double kGemmComputeEfficiency = 0.9105;
/// Instruction and shared-memory overhead per FLOP of a tm x tn block tile:
/// factor (1 + a * (1/tm + 1/tn)), proportional to operand loads per FMA.
/// Fitted: a = 6.648.
static constexpr double kGemmTileOverheadElements = 6.648;
/// Per-block prologue/epilogue (pipeline fill, C-tile store). Fitted.
static constexpr double kGemmTileFixedCycles = 2722.0;
/// L2 -> SM operand bandwidth, bytes per clock per SM. Fitted (533 B/clk/SM;
/// never the binding term on the training data).
static constexpr double kL2BytesPerCyclePerUnit = 533.3;
/// Sustained fraction of DRAM bandwidth for GEMM operand traffic. Fixed to
/// the element-wise value's order (0.80), not fitted separately.
static constexpr double kGemmDramEfficiency = 0.80;
/// Fewest K iterations a block of a split-K GEMM takes. cuBLAS splits the K
/// loop of GEMMs with few output tiles over more blocks (grid z), each
/// summing a slice of K: 651 of the A100 40GB's 6460 training linear kernels
/// run with a grid z above 1, 3281 of the V100's, 3368 of the T4's, with
/// slices down to about 60 of K (kernels/train/linear, column Grid z). Only
/// 239, 382 and 191 of those add the slices in a separate
/// splitkreduce_kernel; the others reduce inside the GEMM, so the partial
/// sums' traffic overlaps the FMAs (a serial reduction after the blocks made
/// the training linear error 21.4% instead of 21.0%). Batched GEMMs do not
/// split: of the ~88000 training bmm kernels, 11 do.
static constexpr int64_t kMinSplitKDepth = 64;
/// Bytes per partial sum of a split-K GEMM: cuBLAS accumulates in f32 (i32
/// for i8), whatever the operands' type.
static constexpr double kSplitKPartialBytes = 4.0;
/// Low-power inference cards (P4, T4, L4: 70-75 W) cannot sustain their
/// boost clock in long FMA-bound loops. The spec sheet has no TDP; DRAM
/// bandwidth per SM below this threshold (GB/s per SM; P4 4.8, T4 8.0, L4 5.0
/// vs 11.3-17.9 for the others) identifies them. Threshold chosen by hand.
/// Derating factor fitted (0.585: soft-L1 loss on log(predicted/measured),
/// scale 0.1, over the P4's and T4's training bmm and linear kernels) with
/// one table screened out: the P4's linear kernels, which sustain 0.95
/// TFLOP/s (median over those above 1e11 FLOPs) where the P4's own batched
/// GEMMs of the same sizes sustain 3.01; on every other training GPU linear
/// and bmm throughput agree within 0.7-1.2x. That table was measured on a
/// card throttled far beyond its clock limit, and fitting it puts the factor
/// at 0.53-0.56.
static constexpr double kPowerLimitedBandwidthPerUnitGbps = 10.0;
static constexpr double kPowerLimitedComputeDerate = 0.585;

/// Sustained fraction of DRAM bandwidth for element-wise kernels. Fitted.
static constexpr double kElementwiseDramEfficiency = 0.8706;
/// Softmax and layernorm: fraction of DRAM bandwidth sustained. Fitted.
static constexpr double kSoftmaxDramEfficiency = 0.9197;
static constexpr double kLayerNormDramEfficiency = 0.7421;
/// Rows per SM in flight in row-wise kernels, which decides whether the
/// second read of a row hits L2. Fitted on softmax (11.606).
static constexpr double kRowWiseRowsInFlightPerUnit = 11.606;

/// Host-side dispatch cost of one kernel beyond the target's launch overhead
/// (PyTorch eager + CUDA launch; the target's launch_overhead_us is the
/// element-wise floor). Fitted per op class on the training GPUs:
/// t0(elem) = 27.6 us, t0(bmm) = 39.5, t0(linear/addmm) = 46.5,
/// t0(softmax) = 33.8, t0(layernorm) = 45.7.
static constexpr double kElementwiseOverheadUs = 27.6;
static constexpr double kBatchedGemmExtraOverheadUs =
    39.5 - kElementwiseOverheadUs;
static constexpr double kGemmExtraOverheadUs = 46.5 - kElementwiseOverheadUs;
static constexpr double kSoftmaxExtraOverheadUs = 33.8 - kElementwiseOverheadUs;
static constexpr double kLayerNormExtraOverheadUs =
    45.7 - kElementwiseOverheadUs;
} // namespace gpu

namespace cpu {
/// Fraction of the FMA peak a compiled, vectorised loop nest reaches.
/// An assumption, not measured: `tilecast-calibrate --host` measures the FMA
/// peak this multiplies (docs/targets.md), not this fraction.
static constexpr double kComputeEfficiency = 0.7;
/// Sustained load bandwidth from L1 and from the last-level cache, bytes per
/// cycle per core (AMD Zen 4 Software Optimization Guide, pub. 57647: two
/// 256-bit loads per cycle from L1; 32 B/cycle per core from L3).
static constexpr double kL1BytesPerCycle = 64.0;
static constexpr double kLlcBytesPerCycle = 32.0;
/// Cycles per transcendental evaluation (tanh, erf, log, ...): the lowering
/// calls scalar libm. Measured with `tilecast-bench fusion` (docs/tiling.md,
/// "Transcendentals measured again"): the fused `bias,tanh` chains took
/// 6.2-6.6 ns an element more than the fused `add,mul` ones of the same size
/// (64x64 to 1024x1024 f32, Zen 5 guest, 2026-12-05; the Zen 4 guest's
/// 2048x2048 chains: 7.2 ns), taken as 24 cycles of the built-in `host`
/// spec's 3.7 GHz, the clock its other per-cycle rates assume. Only tanhf
/// was measured; the other functions are assumed to cost the same.
static constexpr double kTranscendentalCycles = 24.0;
/// Cycles per exponential, measured as above for expf: the fused `add,exp`
/// chains took 1.2-1.8 ns an element more than the `add,mul` ones (Zen 4
/// guest, 2048x2048: 1.35 ns), 5 cycles at 3.7 GHz; exp2 and expm1 were not
/// measured and are assumed to cost the same. Priced apart because
/// exponentials are the commonest transcendental (softmax, GELU variants)
/// and cost a fifth of tanhf. (Until 2026-12-05 these were 12 and 30 cycles,
/// read off runs whose times were mostly page faults.)
static constexpr double kExponentialCycles = 5.0;
/// A GEMM tile's accumulators live in vector registers over the tile's K
/// steps; each tile loads its output block into them before the first step
/// and stores it after the last: two transfers of the output block (load +
/// store), which the tile's FMAs wait for, since they need the accumulators.
static constexpr double kAccumulatorTransfersPerTile = 2.0;
/// The share of those two transfers at the L1 rate that adds to the tile's
/// compute time when the block is in L1: 4.5 of the 8 cycles that loading
/// and storing an 8 x 8 f32 block (512 B at 64 B/cycle) would take, the
/// rest overlapping the FMAs. Measured as the time K steps of 16 add to a
/// tiling per extra 8 x 8 block reload, against the same tiling with K
/// whole: about 4.5 cycles on a 256^3 matmul on the Zen 4 guest
/// (`tilecast-bench tiling --verbose`); on the Zen 5 guest's files
/// (data/measurements/host-zen5, shapes whose rows do not crowd L1 sets), a
/// median over shapes of 2.7 on one thread (0.6-4.5) and 2.9, 3.5, 5.8 and
/// 6.7 on two, one file each (`python/fitting/tiling_groups.py
/// --k-reloads`; docs/tiling.md, "K steps: the accumulator reloads
/// measured"). Each figure is in cycles of its machine's spec clock, as the
/// model's 8 are, so they are shares of 0.56 (Zen 4), 0.34 and 0.36-0.83 of
/// them. Until 2026-12-05 the whole 8 cycles were charged.
static constexpr double kAccumulatorReloadExposedShare = 4.5 / 8.0;
/// L1 data cache geometry: 64-byte lines. L1 data caches are virtually
/// indexed and physically tagged, so the set index lies within the offset of
/// a 4 KiB page: 4096 / 64 = 64 sets, and the target's l1_cache_kib sets
/// the ways. 32 KiB is 8 ways (AMD Zen 4 Software Optimization Guide,
/// pub. 57647; Intel's L1D from Sandy Bridge to Skylake), 48 KiB is 12
/// (AMD Zen 5; Intel's L1D since Sunny Cove).
static constexpr int64_t kCacheLineBytes = 64;
static constexpr int64_t kL1IndexBytes = 4096;
/// The micro-kernel's register tile: 8 rows of C by 8 elements, over steps
/// of K. One load brings 8 elements of a row of B into a register for the
/// tile's 8 rows. These are the register tiles of the lowering
/// `tilecast-bench tiling` times (tools/tilecast-bench/JitRunner.cpp).
static constexpr int64_t kRegisterTileRows = 8;
static constexpr int64_t kRegisterTileColumns = 8;
/// Rows of B or C crowd their L1 sets only where the row stride puts them in
/// at most this many sets: row strides of a multiple of 2 KiB with 64 sets of
/// 64-byte lines. Measured, not derived: the K steps that keep a column of B
/// within the L1's ways are the fastest group of tilings on 13 of the 15
/// shapes measured whose N is 512, 1024, 1536 or 2048 f32 (not 1x128x512x512
/// and 4x512x512x512, where no K step is), while shapes whose rows fall in 4
/// or more sets (N = 256, 640, 768, 1280 f32) show no such effect; padding N
/// from 1024 to 1040 or from 512 to 528 removes it and speeds the whole op up
/// by up to 1.75x (docs/tiling.md, "Row strides of a multiple of 2 KiB"). Tiles
/// 8 columns wide and 64 rows or more whose C rows fall in 4 or 8 sets measured
/// 0.23-0.32 (in log time) faster than the model charging their accumulator
/// reloads said, relative to the other tilings of their shapes.
static constexpr int64_t kMaxCrowdedSets = 2;
/// The share of a missed B row's line at the last-level rate (64 B at 32
/// B/cycle: 2 cycles) that adds to the tile's time, the rest overlapping
/// the FMAs and the other misses. Measured as the time whole-K tilings of
/// shapes whose B rows crowd their L1 sets take beyond the same tilings in
/// K steps of 16, less the 4.5 cycles of each extra accumulator reload of
/// the latter, per extra miss the model counts: on the Zen 5 guest a median
/// over shapes of 1.08, 1.16, 1.09, 0.92 and 1.50 cycles at the spec's
/// clock in the default (two runs), held-out, large and strides files
/// (`python/fitting/tiling_groups.py --b-misses`; docs/tiling.md, "B rows
/// that miss L1, measured"): 1.1 of the 2 cycles.
static constexpr double kBRowMissExposedShare = 1.1 / 2.0;
/// Extra compute time of a batched contraction tiled so that every tile
/// holds the whole batch while the tiles run on several cores (fewer batch
/// tiles than cores). Measured with `tilecast-bench tiling
/// --candidates=1000` on the Zen 5 guest (docs/tiling.md, "Cores that split
/// a matrix"): on two threads, the ratio of measured to predicted time of
/// such tilings over that of the tilings that split the batch was a median
/// 1.055 over the 11 batched shapes of the default, held-out, large and
/// strides files (per shape 0.96-1.14, smaller on the larger products), the
/// predictions being those of the model that wrote each file
/// (`python/fitting/tiling_groups.py --batch-split`), and 1.059 on the 8
/// shapes of the batched suite, measured afterwards. On one thread the
/// batch tile hardly mattered (0.99). Why is not known: tilings whose two
/// cores share one matrix of an unevenly split batch do not pay it.
static constexpr double kWholeBatchTileSlowdown = 0.06;
} // namespace cpu

/// Prediction intervals: the 5th and 95th percentiles of log(measured /
/// predicted) of the analytical model on the training GPUs' training
/// kernels, per workload class (tilecast-bench accuracy --split=train).
struct IntervalQuantiles {
  double lowerLogRatio;
  double upperLogRatio;
};
static IntervalQuantiles getIntervalQuantiles(WorkloadKind kind);

//===----------------------------------------------------------------------===//
// Shared helpers
//===----------------------------------------------------------------------===//

static int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

ArrayRef<GemmBlockTile> tilecast::getGpuGemmBlockTiles() {
  // The sgemm tiles cuBLAS 12 runs in the measurements (kernel names such as
  // volta_sgemm_128x64_nn, ampere_sgemm_32x128_tn), largest first so that
  // ties go to the larger tile.
  static constexpr GemmBlockTile kTiles[] = {{128, 128}, {128, 64}, {64, 128},
                                             {128, 32},  {32, 128}, {64, 64},
                                             {64, 32},   {32, 64},  {32, 32}};
  return kTiles;
}

/// The peak for the op's arithmetic, or an error naming the missing path.
static FailureOr<double> getPeakOrError(const OpWorkload &workload,
                                        const TargetSpec &target,
                                        Location loc) {
  std::optional<double> peak =
      target.getPeakFlopsPerSecond(workload.arithmetic);
  if (peak)
    return *peak;
  InFlightDiagnostic diag =
      emitError(loc) << "target '" << target.id << "' has no "
                     << getPeakKey(workload.arithmetic) << " arithmetic path";
  diag.attachNote() << "cost the op in a type the target supports, or give a "
                       "spec file whose peak_tflops lists '"
                    << getPeakKey(workload.arithmetic) << "'";
  return failure();
}

static Bound pickBound(double computeUs, double memoryUs, double overheadUs) {
  if (overheadUs >= computeUs && overheadUs >= memoryUs)
    return Bound::overhead;
  return computeUs >= memoryUs ? Bound::compute : Bound::memory;
}

/// Fills the interval of `estimate` from the model's residual quantiles.
static void applyInterval(CostEstimate &estimate, WorkloadKind kind) {
  IntervalQuantiles q = getIntervalQuantiles(kind);
  estimate.lowerUs = estimate.latencyUs * std::exp(q.lowerLogRatio);
  estimate.upperUs = estimate.latencyUs * std::exp(q.upperLogRatio);
}

LogicalResult tilecast::verifyTileSizes(const OpWorkload &workload,
                                        ArrayRef<int64_t> tileSizes,
                                        Location loc) {
  if (tileSizes.size() != workload.loopSizes.size())
    return emitError(loc) << "expected " << workload.loopSizes.size()
                          << " tile sizes (one per loop), got "
                          << tileSizes.size();
  for (auto [index, size] : llvm::enumerate(tileSizes)) {
    if (size < 0)
      return emitError(loc) << "tile size " << size << " of loop " << index
                            << " is negative; use 0 to leave a loop untiled";
    bool rowWise = workload.kind == WorkloadKind::Softmax ||
                   workload.kind == WorkloadKind::LayerNorm;
    if (rowWise && workload.loopRoles[index] == LoopRole::Reduction &&
        size != 0 && size < workload.loopSizes[index])
      return emitError(loc)
             << "loop " << index << " is the normalised dimension of a "
             << stringifyWorkloadKind(workload.kind)
             << " and cannot be tiled; give it size 0";
  }
  return success();
}

/// The extent of one tile along `loop` (0, or no sizes at all, means the
/// whole loop).
int64_t tilecast::getTileExtent(const OpWorkload &workload,
                                ArrayRef<int64_t> tileSizes, unsigned loop) {
  // No sizes at all: the whole op, as all zeros.
  int64_t size = tileSizes.empty() ? 0 : tileSizes[loop];
  int64_t extent = size == 0 ? workload.loopSizes[loop]
                             : std::min(size, workload.loopSizes[loop]);
  // Empty loops are refused when workloads are extracted; never divide by 0.
  return std::max<int64_t>(1, extent);
}

namespace {
/// The extents of one GEMM tile along the batch, M, N and K roles.
struct GemmTileExtents {
  int64_t batch = 1, m = 1, n = 1, k = 1;
};
} // namespace

static GemmTileExtents getGemmTileExtents(const OpWorkload &w,
                                          ArrayRef<int64_t> tileSizes) {
  GemmTileExtents t;
  for (unsigned loop = 0; loop < w.loopSizes.size(); ++loop) {
    int64_t extent = getTileExtent(w, tileSizes, loop);
    switch (w.loopRoles[loop]) {
    case LoopRole::Batch:
      t.batch *= extent;
      break;
    case LoopRole::M:
      t.m *= extent;
      break;
    case LoopRole::N:
      t.n *= extent;
      break;
    case LoopRole::K:
      t.k *= extent;
      break;
    default:
      break;
    }
  }
  return t;
}

/// The bytes a GEMM tile touches: its A and B panels and C block.
static double getGemmWorkingSetBytes(const OpWorkload &w,
                                     const GemmTileExtents &t) {
  return double(w.elementBytes) * t.batch *
         (double(t.m) * t.k + double(t.k) * t.n + double(t.m) * t.n);
}

//===----------------------------------------------------------------------===//
// Roofline
//===----------------------------------------------------------------------===//

FailureOr<CostEstimate> RooflineModel::estimate(const OpWorkload &workload,
                                                const TargetSpec &target,
                                                Location loc) const {
  FailureOr<double> peak = getPeakOrError(workload, target, loc);
  if (failed(peak))
    return failure();
  CostEstimate e;
  e.source = Source::analytical;
  e.flops = workload.flops;
  e.bytes = workload.getBytes();
  e.computeUs = workload.flops / *peak * kUsPerSecond;
  e.memoryUs =
      workload.getBytes() / target.getMemoryBytesPerSecond() * kUsPerSecond;
  e.latencyUs = std::max(e.computeUs, e.memoryUs);
  e.lowerUs = e.upperUs = e.latencyUs;
  e.bound = pickBound(e.computeUs, e.memoryUs, 0.0);
  return e;
}

FailureOr<TileCostEstimate>
RooflineModel::estimateTile(const OpWorkload &workload,
                            ArrayRef<int64_t> tileSizes,
                            const TargetSpec &target, Location loc) const {
  return emitError(loc) << "the roofline model has no notion of tiles; use "
                           "model=analytical or model=hybrid";
}

//===----------------------------------------------------------------------===//
// GPU
//===----------------------------------------------------------------------===//

namespace {
/// One way of running a kernel: the pieces of its time, in microseconds.
struct KernelTiming {
  double computeUs = 0;
  double memoryUs = 0;
  double latencyUs = 0; // without the fixed overhead
  int64_t numTiles = 1;
  /// CPUs: tiles along the parallel loops, which can run on different cores.
  int64_t parallelTiles = 1;
  int64_t waves = 1;
  int64_t tileM = 1, tileN = 1;
  double rowMissFraction = 0;
  double tileUs = 0;
  Bound tileBound = Bound::compute;
};
} // namespace

bool tilecast::isPowerLimitedGpu(const TargetSpec &target) {
  return target.memoryBandwidthGbps / target.computeUnits <
         gpu::kPowerLimitedBandwidthPerUnitGbps;
}

static double getGpuOverheadUs(const OpWorkload &workload,
                               const TargetSpec &target) {
  double overhead = target.launchOverheadUs;
  switch (workload.kind) {
  case WorkloadKind::Contraction:
  case WorkloadKind::Convolution:
    return overhead + (workload.batch > 1 ? gpu::kBatchedGemmExtraOverheadUs
                                          : gpu::kGemmExtraOverheadUs);
  case WorkloadKind::Softmax:
    return overhead + gpu::kSoftmaxExtraOverheadUs;
  case WorkloadKind::LayerNorm:
    return overhead + gpu::kLayerNormExtraOverheadUs;
  default:
    return overhead;
  }
}

/// Sustained FLOP/s of one SM in a GEMM main loop. The FP32 SIMT path is
/// capped at the lanes an sgemm can use; other paths (tensor cores) run at
/// the SM's share of their datasheet peak.
static double getGemmFlopsPerUnit(const OpWorkload &workload,
                                  const TargetSpec &target, double peak) {
  double clockHz = target.clockMhz * 1e6;
  double simtFlopsPerUnit;
  if (workload.arithmetic == PeakKind::F32) {
    // GA10x/Ada SMs advertise 128 FP32 lanes, 64 of them shared with INT32;
    // an sgemm main loop's address and loop arithmetic keeps those busy, so
    // it issues FP32 to the dedicated lanes only (the spec's
    // lanes_shared_with_int32; every training GPU has 0).
    double lanes = target.lanesPerUnit - target.lanesSharedWithInt32;
    simtFlopsPerUnit = lanes * 2.0 * clockHz;
  } else {
    // Tensor-core and FP64 paths do not issue on the shared lanes: the
    // datasheet peak, per SM.
    simtFlopsPerUnit = peak / target.computeUnits;
  }
  double derate =
      isPowerLimitedGpu(target) ? gpu::kPowerLimitedComputeDerate : 1.0;
  return simtFlopsPerUnit * gpu::kGemmComputeEfficiency * derate;
}

namespace {
/// How many blocks a GEMM's batch, M and N take.
struct GemmBlockCounts {
  int64_t batch = 1, m = 1, n = 1;
};
} // namespace

/// A GEMM run as blocks of tb x tm x tn outputs, each looping over
/// 1/`splitK` of K; with splitK > 1 the blocks also write partial sums that
/// are read back and added (cuBLAS's split-K, gpu::kMinSplitKDepth). Each SM
/// sustains `flopsPerUnit` (getGemmFlopsPerUnit). The blocks cover the GEMM
/// view (batch x M x N), unless `blocks` counts them otherwise (a tiling of
/// several loops of one role: each loop's last block may be partial).
static KernelTiming timeGpuGemm(const OpWorkload &w, const TargetSpec &target,
                                double flopsPerUnit, int64_t tb, int64_t tm,
                                int64_t tn, int64_t splitK,
                                std::optional<GemmBlockCounts> blocks = {}) {
  double clockHz = target.clockMhz * 1e6;
  KernelTiming t;
  t.tileM = tm;
  t.tileN = tn;
  if (!blocks)
    blocks = GemmBlockCounts{ceilDiv(w.batch, tb), ceilDiv(w.m, tm),
                             ceilDiv(w.n, tn)};
  int64_t tilesM = blocks->m, tilesN = blocks->n;
  t.numTiles = blocks->batch * tilesM * tilesN * splitK;
  // One resident block per SM: wave quantization at SM granularity.
  t.waves = ceilDiv(t.numTiles, target.computeUnits);
  double reuseOverhead =
      1.0 + gpu::kGemmTileOverheadElements * (1.0 / tm + 1.0 / tn);
  int64_t blockK = ceilDiv(w.k, splitK);
  t.tileUs = (2.0 * tb * tm * tn * blockK * reuseOverhead / flopsPerUnit +
              gpu::kGemmTileFixedCycles / clockHz) *
             kUsPerSecond;
  t.computeUs = t.waves * t.tileUs;
  // Every block streams its A rows and B columns from L2.
  double l2BytesPerSecond =
      gpu::kL2BytesPerCyclePerUnit * target.computeUnits * clockHz;
  double l2Bytes = double(w.elementBytes) * w.batch * w.k *
                   (double(w.m) * tilesN + double(w.n) * tilesM);
  double l2Us = l2Bytes / l2BytesPerSecond * kUsPerSecond;
  // Split-K partial sums: written by the blocks, read by the reduction.
  double partialBytes =
      splitK > 1 ? 2.0 * splitK * gpu::kSplitKPartialBytes * w.batch * w.m * w.n
                 : 0.0;
  double dramUs =
      (w.getBytes() + partialBytes) /
      (gpu::kGemmDramEfficiency * target.getMemoryBytesPerSecond()) *
      kUsPerSecond;
  t.memoryUs = std::max(l2Us, dramUs);
  t.latencyUs = std::max(t.computeUs, t.memoryUs);
  t.tileBound = t.computeUs >= t.memoryUs ? Bound::compute : Bound::memory;
  return t;
}

/// The fraction of a row-wise kernel's bytes that the second pass over each
/// row re-reads from DRAM because the rows in flight overflow L2.
static double getRowWiseMissFraction(const OpWorkload &w,
                                     const TargetSpec &target) {
  double bytesInFlight = gpu::kRowWiseRowsInFlightPerUnit *
                         target.computeUnits * w.rowLength * w.elementBytes;
  // The NeuSight spec sheets give L2 in MB (10^6 bytes).
  double l2Bytes = target.l2CacheMib * 1e6;
  return l2Bytes > 0 ? std::min(1.0, bytesInFlight / l2Bytes) : 1.0;
}

/// Streaming kernels: element-wise, reductions, data movement, softmax and
/// layernorm. Time is DRAM traffic at the class's sustained bandwidth.
static KernelTiming timeGpuStreaming(const OpWorkload &w,
                                     const TargetSpec &target, double peak) {
  double efficiency = gpu::kElementwiseDramEfficiency;
  double bytes = w.getBytes();
  KernelTiming t;
  if (w.kind == WorkloadKind::Softmax || w.kind == WorkloadKind::LayerNorm) {
    efficiency = w.kind == WorkloadKind::Softmax
                     ? gpu::kSoftmaxDramEfficiency
                     : gpu::kLayerNormDramEfficiency;
    double rowBytes = double(w.rows) * w.rowLength * w.elementBytes;
    t.rowMissFraction = getRowWiseMissFraction(w, target);
    bytes += t.rowMissFraction * rowBytes;
  }
  t.memoryUs =
      bytes / (efficiency * target.getMemoryBytesPerSecond()) * kUsPerSecond;
  t.computeUs = w.flops / peak * kUsPerSecond;
  t.latencyUs = std::max(t.memoryUs, t.computeUs);
  t.tileBound = t.computeUs > t.memoryUs ? Bound::compute : Bound::memory;
  t.tileUs = t.latencyUs;
  return t;
}

static bool isGemmLike(const OpWorkload &w) {
  return w.kind == WorkloadKind::Contraction ||
         w.kind == WorkloadKind::Convolution;
}

/// The op-level GPU time: for GEMMs the best of the library's block tiles
/// (the selection cuBLAS's heuristic approximates), else streaming.
static KernelTiming timeGpuOp(const OpWorkload &w, const TargetSpec &target,
                              double peak) {
  if (!isGemmLike(w))
    return timeGpuStreaming(w, target, peak);
  KernelTiming best;
  best.latencyUs = std::numeric_limits<double>::infinity();
  // Whether `w` may run as `splitK` slices of K (gpu::kMinSplitKDepth).
  auto canSplitK = [&](int64_t splitK) {
    return splitK == 1 ||
           (w.batch == 1 && w.k / splitK >= gpu::kMinSplitKDepth);
  };
  double flopsPerUnit = getGemmFlopsPerUnit(w, target, peak);
  for (GemmBlockTile tile : getGpuGemmBlockTiles()) {
    for (int64_t splitK = 1; canSplitK(splitK); splitK *= 2) {
      KernelTiming t =
          timeGpuGemm(w, target, flopsPerUnit, 1, tile.m, tile.n, splitK);
      if (t.latencyUs < best.latencyUs)
        best = t;
    }
  }
  return best;
}

/// A user-chosen tiling on a GPU: each tile is one thread block.
static KernelTiming timeGpuTiling(const OpWorkload &w,
                                  ArrayRef<int64_t> tileSizes,
                                  const TargetSpec &target, double peak) {
  // Every loop whole is the op left untiled, which a GPU runs as the
  // library tiles it, not as one block on one SM.
  if (isUntiled(tileSizes))
    return timeGpuOp(w, target, peak);
  // Blocks per loop: a loop's last block may be partial, and runs as long
  // as a whole one.
  auto getBlocks = [&](unsigned loop) {
    return ceilDiv(w.loopSizes[loop], getTileExtent(w, tileSizes, loop));
  };
  if (isGemmLike(w)) {
    // K is looped over inside the block, unsplit.
    GemmTileExtents t = getGemmTileExtents(w, tileSizes);
    GemmBlockCounts blocks;
    for (unsigned loop = 0; loop < w.loopSizes.size(); ++loop) {
      if (w.loopRoles[loop] == LoopRole::Batch)
        blocks.batch *= getBlocks(loop);
      else if (w.loopRoles[loop] == LoopRole::M)
        blocks.m *= getBlocks(loop);
      else if (w.loopRoles[loop] == LoopRole::N)
        blocks.n *= getBlocks(loop);
    }
    return timeGpuGemm(w, target, getGemmFlopsPerUnit(w, target, peak), t.batch,
                       t.m, t.n, /*splitK=*/1, blocks);
  }
  // Streaming: blocks over the parallel loops, each moving its share of the
  // traffic, a whole block's even where the loop ends in a partial one, at
  // one SM's share of the sustained bandwidth.
  KernelTiming whole = timeGpuStreaming(w, target, peak);
  int64_t numTiles = 1;
  double blockShare = 1.0;
  for (unsigned loop = 0; loop < w.loopSizes.size(); ++loop)
    if (w.loopRoles[loop] != LoopRole::Reduction) {
      numTiles *= getBlocks(loop);
      blockShare *=
          double(getTileExtent(w, tileSizes, loop)) / double(w.loopSizes[loop]);
    }
  KernelTiming t = whole;
  t.numTiles = numTiles;
  t.waves = ceilDiv(numTiles, target.computeUnits);
  t.tileUs = whole.latencyUs * target.computeUnits * blockShare;
  t.latencyUs = t.waves * t.tileUs;
  return t;
}

//===----------------------------------------------------------------------===//
// CPU
//===----------------------------------------------------------------------===//

/// Bytes per second each of `activeCores` cores streams a working set of
/// `bytes` of its own from the cache level it fits in: its L1, its share of
/// the last-level cache (shared by the cores that run), or DRAM. A core's
/// DRAM rate is its share of the bandwidth of all cores, however many run:
/// one core of a server CPU does not reach the whole bandwidth (Zen 5 guest:
/// 30.8 GB/s of 52.9, data/measurements/host-zen5/host.json).
static double getCpuBandwidthPerCore(const TargetSpec &target, double bytes,
                                     int64_t activeCores) {
  assert(activeCores >= 1 && activeCores <= target.computeUnits &&
         "cores that run the op's tiles");
  double clockHz = target.clockMhz * 1e6;
  if (bytes <= target.getL1CacheBytes())
    return cpu::kL1BytesPerCycle * clockHz;
  if (bytes <= target.getL2CacheBytes() / activeCores)
    return cpu::kLlcBytesPerCycle * clockHz;
  return target.getMemoryBytesPerSecond() / target.computeUnits;
}

namespace {
/// A CPU target's L1 data cache as sets of lines (cpu::kCacheLineBytes,
/// cpu::kL1IndexBytes).
struct L1Sets {
  /// 0 when the L1 holds less than one line.
  int64_t sets = 0;
  int64_t ways = 1;

  /// The number of sets the lines of rows `strideBytes` apart fall in: row
  /// r's line is in set (r * stride / line) mod sets, so the rows cycle
  /// through sets / gcd(stride / line, sets) of them. Rows whose stride is
  /// not a whole number of lines drift through every set.
  int64_t getSetsCycled(int64_t strideBytes) const {
    if (strideBytes <= 0 || strideBytes % cpu::kCacheLineBytes != 0)
      return sets;
    return sets / std::gcd(strideBytes / cpu::kCacheLineBytes, sets);
  }
};
} // namespace

static L1Sets getL1Sets(const TargetSpec &target) {
  int64_t l1Bytes = static_cast<int64_t>(target.getL1CacheBytes());
  L1Sets l1;
  l1.sets = std::min(l1Bytes, cpu::kL1IndexBytes) / cpu::kCacheLineBytes;
  l1.ways = std::max<int64_t>(1, l1Bytes / cpu::kL1IndexBytes);
  return l1;
}

/// Whether the accumulator block of tile `t` of contraction `w` must come
/// back from beyond L1 on every reload, whole lines at a time: its rows are
/// narrower than a cache line, so the rest of each line is used only by the
/// next tile along N, and the block's lines do not stay in L1 until then
/// because C's row stride maps more of them to one set than it has ways, at
/// most cpu::kMaxCrowdedSets sets. (Rows of a line or more use each line
/// fully within the tile, so they need no L1 residency between tiles.) Only
/// where C is row-major [batch, m, n] (OpWorkload::cInnermostIsN), the layout
/// of linalg.matmul and linalg.batch_matmul.
/// Measured with `tilecast-bench tiling --candidates=1000 --verbose`
/// (docs/tiling.md): on the default suite, tilings 8 columns wide of shapes
/// whose N is 512 or more run 1.3-2.5x the model's time, against 0.9-1.8x
/// for the other tilings of the same shapes.
static bool accumulatorReloadsMissL1(const OpWorkload &w,
                                     const GemmTileExtents &t,
                                     const TargetSpec &target) {
  int64_t rowBytes = t.n * w.elementBytes;
  int64_t strideBytes = w.n * w.elementBytes;
  if (w.kind != WorkloadKind::Contraction || !w.cInnermostIsN ||
      rowBytes >= cpu::kCacheLineBytes || strideBytes < cpu::kCacheLineBytes)
    return false;
  L1Sets l1 = getL1Sets(target);
  if (l1.sets == 0)
    return false;
  int64_t setsCycled = l1.getSetsCycled(strideBytes);
  return setsCycled <= cpu::kMaxCrowdedSets &&
         ceilDiv(t.m, setsCycled) > l1.ways;
}

/// Fraction of the loads of B rows of GEMM tile `t` that miss L1 because
/// the B column a register tile streams over the tile's K steps (t.k rows,
/// N elements apart) crowds its L1 sets beyond their ways: with more lines
/// than ways cycled through a set, a line is evicted before its next use
/// with a likelihood of about 1 - ways / lines. Charged only where B's row
/// stride puts the column in at most cpu::kMaxCrowdedSets sets, and only
/// where B is row-major [batch, k, n] (OpWorkload::bInnermostIsN), the layout
/// of linalg.matmul and linalg.batch_matmul.
static double getBColumnConflictMissFraction(const OpWorkload &w,
                                             const GemmTileExtents &t,
                                             const TargetSpec &target) {
  if (w.kind != WorkloadKind::Contraction || !w.bInnermostIsN)
    return 0.0;
  L1Sets l1 = getL1Sets(target);
  if (l1.sets == 0)
    return 0.0;
  int64_t setsCycled = l1.getSetsCycled(w.n * w.elementBytes);
  int64_t linesPerSet = ceilDiv(t.k, setsCycled);
  if (setsCycled > cpu::kMaxCrowdedSets || linesPerSet <= l1.ways)
    return 0.0;
  return 1.0 - double(l1.ways) / double(linesPerSet);
}

/// Time a GEMM tile of `t` spends, on top of its FMAs, moving operands
/// between registers and caches on one core:
/// - its accumulator block, loaded before its K steps and stored after them
///   (cpu::kAccumulatorTransfersPerTile), at the L1 rate, of which
///   cpu::kAccumulatorReloadExposedShare adds to the tile's time;
/// - its A block, when that does not fit L1: the micro-kernel broadcasts A
///   element by element into its FMAs, so those loads are on the FMAs'
///   critical path and are not hidden behind them, at the last-level rate.
///   Every tile streams its A block once, so A is read N / tile N times.
///   Contractions only: a convolution's A block is the implicit-GEMM view
///   of its input image, whose rows overlap (each input pixel feeds up to
///   kh x kw output pixels of a tile), so its size overstates the input a
///   tile streams, up to 9x for a 3x3 window.
/// - the B loads that miss L1 because B's rows crowd a few of its sets
///   (getBColumnConflictMissFraction), a line each at the last-level rate,
///   of which cpu::kBRowMissExposedShare adds to the tile's time.
///   Contractions only, as the A-block stall.
/// The A-block stall, measured with `tilecast-bench tiling --verbose`
/// (docs/tiling.md): tiles one register column wide with a tall A block are
/// among the slowest on every shape, up to 2.6x the fastest tiling of a
/// 1024^3 matmul. Charged for convolutions too, it ranked the tilings of the
/// conv suite at a mean Kendall tau of 0.174 against 0.593 without it
/// (data/measurements/host-zen5/tiling-conv.csv, docs/tiling.md).
static double getCpuGemmRegisterTrafficUs(const OpWorkload &w,
                                          const GemmTileExtents &t,
                                          const TargetSpec &target) {
  double clockHz = target.clockMhz * 1e6;
  double elementBytes = w.elementBytes;
  double us;
  if (accumulatorReloadsMissL1(w, t, target)) {
    us = cpu::kAccumulatorTransfersPerTile * double(t.batch) * t.m *
         cpu::kCacheLineBytes / (cpu::kLlcBytesPerCycle * clockHz) *
         kUsPerSecond;
  } else {
    double accumulatorBytes = elementBytes * t.batch * t.m * t.n;
    us = cpu::kAccumulatorTransfersPerTile *
         cpu::kAccumulatorReloadExposedShare * accumulatorBytes /
         (cpu::kL1BytesPerCycle * clockHz) * kUsPerSecond;
  }
  double aBlockBytes = elementBytes * t.batch * t.m * t.k;
  if (w.kind == WorkloadKind::Contraction &&
      aBlockBytes > target.getL1CacheBytes())
    us += aBlockBytes / (cpu::kLlcBytesPerCycle * clockHz) * kUsPerSecond;
  // B rows: one load per register tile's row segment and K step; a missed
  // one moves its whole line from the last-level cache, and the FMAs that
  // need it wait for part of that (cpu::kBRowMissExposedShare).
  double bMissFraction = getBColumnConflictMissFraction(w, t, target);
  if (bMissFraction > 0) {
    double bLoads = double(t.batch) * ceilDiv(t.m, cpu::kRegisterTileRows) *
                    ceilDiv(t.n, cpu::kRegisterTileColumns) * t.k;
    us += cpu::kBRowMissExposedShare * bMissFraction * bLoads *
          cpu::kCacheLineBytes / (cpu::kLlcBytesPerCycle * clockHz) *
          kUsPerSecond;
  }
  return us;
}

/// Core cycles the op's transcendental evaluations take (libm calls).
static double getCpuTranscendentalCycles(const OpWorkload &w) {
  assert(w.exponentials <= w.transcendentals &&
         "exponentials are counted among the transcendentals");
  return w.exponentials * cpu::kExponentialCycles +
         (w.transcendentals - w.exponentials) * cpu::kTranscendentalCycles;
}

/// The op split into `parallelTiles` x `reductionSteps` tiles of `tileFlops`
/// and `tileBytes`: the parallel tiles are spread over the cores, and each
/// runs its reduction steps one after another (no split reductions). A GEMM
/// tile also spends `tileRegisterTrafficUs` moving operands in and out of
/// registers (getCpuGemmRegisterTrafficUs); 0 for other ops.
static KernelTiming timeCpuTiles(const TargetSpec &target, double peak,
                                 int64_t parallelTiles, int64_t reductionSteps,
                                 double tileFlops,
                                 double tileTranscendentalCycles,
                                 double tileBytes,
                                 double tileRegisterTrafficUs) {
  KernelTiming t;
  t.numTiles = parallelTiles * reductionSteps;
  t.parallelTiles = parallelTiles;
  t.waves = ceilDiv(parallelTiles, target.computeUnits) * reductionSteps;
  double corePeak = peak / target.computeUnits * cpu::kComputeEfficiency;
  double tileComputeUs = (tileFlops / corePeak +
                          tileTranscendentalCycles / (target.clockMhz * 1e6)) *
                             kUsPerSecond +
                         tileRegisterTrafficUs;
  double tileMemoryUs =
      tileBytes /
      getCpuBandwidthPerCore(
          target, tileBytes,
          std::min<int64_t>(parallelTiles, target.computeUnits)) *
      kUsPerSecond;
  t.tileUs = std::max(tileComputeUs, tileMemoryUs);
  t.tileBound = tileComputeUs >= tileMemoryUs ? Bound::compute : Bound::memory;
  t.computeUs = t.waves * tileComputeUs;
  t.memoryUs = t.waves * tileMemoryUs;
  t.latencyUs = t.waves * t.tileUs;
  return t;
}

double tilecast::getTileWorkingSetBytes(const OpWorkload &w,
                                        ArrayRef<int64_t> tileSizes) {
  if (!isGemmLike(w)) {
    double tileIterations = 1, iterations = 1;
    for (unsigned loop = 0; loop < w.loopSizes.size(); ++loop) {
      tileIterations *= getTileExtent(w, tileSizes, loop);
      iterations *= w.loopSizes[loop];
    }
    return w.getBytes() * (iterations > 0 ? tileIterations / iterations : 1);
  }
  return getGemmWorkingSetBytes(w, getGemmTileExtents(w, tileSizes));
}

/// The factor on the compute time of contraction `w` when `cores` cores run
/// its `batchTiles` batch tiles: with fewer batch tiles than cores, every
/// tile holds the whole batch (cpu::kWholeBatchTileSlowdown); otherwise 1.
/// Unbatched contractions have no batch to split, and convolutions, whose
/// batch loops are not matrices (a depthwise convolution's channels), were
/// not measured.
static double getCpuWholeBatchSlowdown(const OpWorkload &w, int64_t batchTiles,
                                       int64_t cores) {
  return w.kind == WorkloadKind::Contraction && w.batch > 1 && cores > 1 &&
                 batchTiles < cores
             ? 1.0 + cpu::kWholeBatchTileSlowdown
             : 1.0;
}

static KernelTiming timeCpuTiling(const OpWorkload &w,
                                  ArrayRef<int64_t> tileSizes,
                                  const TargetSpec &target, double peak) {
  int64_t parallelTiles = 1, reductionSteps = 1, batchTiles = 1;
  double tileIterations = 1, iterations = 1;
  for (unsigned loop = 0; loop < w.loopSizes.size(); ++loop) {
    int64_t extent = getTileExtent(w, tileSizes, loop);
    iterations *= w.loopSizes[loop];
    tileIterations *= extent;
    LoopRole role = w.loopRoles[loop];
    int64_t &count = (role == LoopRole::K || role == LoopRole::Reduction)
                         ? reductionSteps
                         : parallelTiles;
    count *= ceilDiv(w.loopSizes[loop], extent);
    if (role == LoopRole::Batch)
      batchTiles *= ceilDiv(w.loopSizes[loop], extent);
  }
  double fraction = iterations > 0 ? tileIterations / iterations : 1.0;
  int64_t cores = std::min<int64_t>(parallelTiles, target.computeUnits);
  double registerTrafficUs = 0;
  double workingSetBytes;
  double gemmSlowdown = 1.0;
  if (isGemmLike(w)) {
    GemmTileExtents t = getGemmTileExtents(w, tileSizes);
    registerTrafficUs = getCpuGemmRegisterTrafficUs(w, t, target);
    workingSetBytes = getGemmWorkingSetBytes(w, t);
    gemmSlowdown = getCpuWholeBatchSlowdown(w, batchTiles, cores);
  } else {
    workingSetBytes = getTileWorkingSetBytes(w, tileSizes);
  }
  KernelTiming t =
      timeCpuTiles(target, peak, parallelTiles, reductionSteps,
                   w.flops * fraction * gemmSlowdown,
                   getCpuTranscendentalCycles(w) * fraction, workingSetBytes,
                   registerTrafficUs * gemmSlowdown);
  // A tile's working set is priced at the rate of the cache it fits in, as
  // if it were there already; but the op's data has to come in once from
  // where the whole op's bytes fit, spread over the cores the tiles run on,
  // so no tiling is faster than that (a 2 GiB element-wise op in L1-sized
  // tiles still streams 2 GiB from DRAM). Where that binds, its tiles share
  // the stream.
  double bytesPerCore = w.getBytes() / double(cores);
  double streamUs = bytesPerCore /
                    getCpuBandwidthPerCore(target, bytesPerCore, cores) *
                    kUsPerSecond;
  if (streamUs > t.memoryUs)
    t.memoryUs = streamUs;
  if (streamUs > t.latencyUs) {
    t.latencyUs = streamUs;
    t.tileUs = streamUs / t.waves;
    t.tileBound = Bound::memory;
  }
  return t;
}

/// The iterations of `w` that an untiled CPU op splits over its cores: the
/// rows of C for GEMMs, else the iterations of the loops that reduce
/// nothing (one for a rank-0 op).
static int64_t getCpuSplitIterations(const OpWorkload &w) {
  if (isGemmLike(w))
    return w.batch * w.m;
  int64_t iterations = 1;
  for (auto [size, role] : llvm::zip(w.loopSizes, w.loopRoles))
    if (role != LoopRole::Reduction && role != LoopRole::K)
      iterations *= size;
  return iterations;
}

/// Untiled on a CPU: the op's loops split evenly over `cores` of the
/// target's cores, or over as many as it has parallel iterations (rows of C
/// for GEMMs) if that is fewer.
static KernelTiming timeCpuOp(const OpWorkload &w, const TargetSpec &target,
                              double peak, int64_t cores) {
  double registerTrafficUs = 0;
  cores = std::max<int64_t>(1, std::min(cores, getCpuSplitIterations(w)));
  if (isGemmLike(w)) {
    // Each core takes an equal share of the rows of C.
    GemmTileExtents t = getGemmTileExtents(w, /*tileSizes=*/{});
    t.m = ceilDiv(t.batch * t.m, cores);
    t.batch = 1;
    registerTrafficUs = getCpuGemmRegisterTrafficUs(w, t, target);
  }
  KernelTiming t =
      timeCpuTiles(target, peak, cores, 1, double(w.flops) / cores,
                   getCpuTranscendentalCycles(w) / cores,
                   double(w.getBytes()) / cores, registerTrafficUs);
  t.parallelTiles = cores;
  return t;
}

/// A CPU target's launch overhead is the cost of starting a parallel loop on
/// its cores (waking the worker threads and waiting for the last): paid by
/// work spread over more than one core, not by work that stays on the
/// calling thread.
static double getCpuOverheadUs(const TargetSpec &target,
                               int64_t parallelTiles) {
  return target.computeUnits > 1 && parallelTiles > 1 ? target.launchOverheadUs
                                                      : 0.0;
}

//===----------------------------------------------------------------------===//
// AnalyticalModel
//===----------------------------------------------------------------------===//

CostEstimate tilecast::getAnalyticalEstimate(const OpWorkload &w,
                                             const AnalyticalBreakdown &b) {
  CostEstimate e;
  e.source = Source::analytical;
  e.flops = w.flops;
  e.bytes = w.getBytes();
  e.computeUs = b.computeUs;
  e.memoryUs = b.memoryUs;
  e.overheadUs = b.overheadUs;
  e.latencyUs = b.getLatencyUs();
  e.bound = pickBound(b.computeUs, b.memoryUs, b.overheadUs);
  applyInterval(e, w.kind);
  return e;
}

FailureOr<CostEstimate> AnalyticalModel::estimate(const OpWorkload &workload,
                                                  const TargetSpec &target,
                                                  Location loc) const {
  FailureOr<AnalyticalBreakdown> breakdown =
      getAnalyticalBreakdown(workload, target, loc);
  if (failed(breakdown))
    return failure();
  return getAnalyticalEstimate(workload, *breakdown);
}

FailureOr<AnalyticalBreakdown>
tilecast::getAnalyticalBreakdown(const OpWorkload &workload,
                                 const TargetSpec &target, Location loc) {
  FailureOr<double> peak = getPeakOrError(workload, target, loc);
  if (failed(peak))
    return failure();
  bool gpu = target.isGpu();
  KernelTiming t;
  double overheadUs;
  if (gpu) {
    t = timeGpuOp(workload, target, *peak);
    overheadUs = getGpuOverheadUs(workload, target);
  } else {
    // On a CPU, the faster of the op on the calling thread and the op split
    // over all cores after starting a parallel loop.
    t = timeCpuOp(workload, target, *peak, 1);
    overheadUs = 0;
    KernelTiming split =
        timeCpuOp(workload, target, *peak, target.computeUnits);
    double splitOverheadUs = getCpuOverheadUs(target, target.computeUnits);
    if (split.latencyUs + splitOverheadUs < t.latencyUs) {
      t = split;
      overheadUs = splitOverheadUs;
    }
  }
  AnalyticalBreakdown b;
  b.computeUs = t.computeUs;
  b.memoryUs = t.memoryUs;
  b.kernelUs = t.latencyUs;
  b.overheadUs = overheadUs;
  b.numTiles = t.numTiles;
  b.waves = t.waves;
  b.tileM = t.tileM;
  b.tileN = t.tileN;
  b.rowMissFraction = t.rowMissFraction;
  return b;
}

FailureOr<TileCostEstimate>
AnalyticalModel::estimateTile(const OpWorkload &workload,
                              ArrayRef<int64_t> tileSizes,
                              const TargetSpec &target, Location loc) const {
  if (failed(verifyTileSizes(workload, tileSizes, loc)))
    return failure();
  FailureOr<double> peak = getPeakOrError(workload, target, loc);
  if (failed(peak))
    return failure();
  KernelTiming t;
  double overheadUs;
  if (target.isGpu()) {
    t = timeGpuTiling(workload, tileSizes, target, *peak);
    overheadUs = getGpuOverheadUs(workload, target);
  } else {
    t = timeCpuTiling(workload, tileSizes, target, *peak);
    overheadUs = getCpuOverheadUs(target, t.parallelTiles);
  }
  TileCostEstimate e;
  e.tileSizes.assign(tileSizes.begin(), tileSizes.end());
  e.numTiles = t.numTiles;
  e.waves = t.waves;
  e.tileLatencyUs = t.tileUs;
  e.latencyUs = t.latencyUs + overheadUs;
  e.overheadUs = overheadUs;
  e.bound = t.tileBound;
  return e;
}

//===----------------------------------------------------------------------===//
// Interval quantiles
//===----------------------------------------------------------------------===//

static IntervalQuantiles getIntervalQuantiles(WorkloadKind kind) {
  // The 5th and 95th percentiles of log(measured / predicted) measured with
  // `tilecast-bench accuracy --split=train` (docs/accuracy.md) for this
  // model: contractions and convolutions = bmm and linear pooled (119847
  // kernels: q05 -0.3533, q95 +0.8309); softmax (q05 -0.2589, q95 +0.5118);
  // layernorm (q05 -0.1960, q95 +0.2768); everything else = the element-wise
  // kernels (q05 -0.2996, q95 +0.4247).
  switch (kind) {
  case WorkloadKind::Contraction:
  case WorkloadKind::Convolution:
    return {-0.3533, 0.8309};
  case WorkloadKind::Softmax:
    return {-0.2589, 0.5118};
  case WorkloadKind::LayerNorm:
    return {-0.1960, 0.2768};
  default:
    return {-0.2996, 0.4247};
  }
}
