//===- AnalyticalModel.h - Physics-based cost models ------------*- C++ -*-===//
//
// Two models built only from the target's spec sheet:
//
//  * RooflineModel: max(FLOPs / peak, bytes / bandwidth). The textbook
//    baseline the accuracy reports compare against.
//  * AnalyticalModel: GEMM thread-block tiling with wave quantization and L2
//    reuse, bandwidth ramps for small streaming kernels, special-function
//    throughput and per-kernel overhead on GPUs; a cache-aware roofline on
//    CPUs. The derivation and every constant's provenance are in
//    docs/cost-model.md.
//
//===----------------------------------------------------------------------===//

#ifndef TILECAST_COST_ANALYTICALMODEL_H
#define TILECAST_COST_ANALYTICALMODEL_H

#include "tilecast/Cost/CostModel.h"

namespace mlir::tilecast {

class RooflineModel final : public CostModel {
public:
  StringRef getName() const override { return "roofline"; }
  FailureOr<CostEstimate> estimate(const OpWorkload &workload,
                                   const TargetSpec &target,
                                   Location loc) const override;
  FailureOr<TileCostEstimate> estimateTile(const OpWorkload &workload,
                                           ArrayRef<int64_t> tileSizes,
                                           const TargetSpec &target,
                                           Location loc) const override;
  bool pricesTiles() const override { return false; }
};

class AnalyticalModel final : public CostModel {
public:
  StringRef getName() const override { return "analytical"; }
  FailureOr<CostEstimate> estimate(const OpWorkload &workload,
                                   const TargetSpec &target,
                                   Location loc) const override;
  FailureOr<TileCostEstimate> estimateTile(const OpWorkload &workload,
                                           ArrayRef<int64_t> tileSizes,
                                           const TargetSpec &target,
                                           Location loc) const override;
};

/// The GEMM thread-block tiles the GPU model assumes the vendor library
/// chooses from (M x N outputs per block), as the kernel names in the
/// measurements show (e.g. ampere_sgemm_128x64_tn).
struct GemmBlockTile {
  int64_t m;
  int64_t n;
};
ArrayRef<GemmBlockTile> getGpuGemmBlockTiles();

/// How the analytical model runs one op on a target: the pieces of its time
/// and its decomposition into thread blocks (GPUs) or core tiles (CPUs). The
/// hybrid model learns its correction from these.
struct AnalyticalBreakdown {
  /// Time if limited by arithmetic alone / by memory traffic alone, and the
  /// kernel's time without the fixed overhead (their max on GPUs).
  double computeUs = 0;
  double memoryUs = 0;
  double kernelUs = 0;
  double overheadUs = 0;
  /// Thread blocks (or core tiles) and rounds of them over the compute units.
  int64_t numTiles = 1;
  int64_t waves = 1;
  /// The GEMM block tile chosen (1 x 1 for other ops).
  int64_t tileM = 1;
  int64_t tileN = 1;
  /// Row-wise kernels: the fraction of the row re-read from DRAM.
  double rowMissFraction = 0;

  double getLatencyUs() const { return kernelUs + overheadUs; }
};

/// The analytical model's breakdown of `workload` on `target`; errors (no
/// arithmetic path for the op's type) are reported at `loc`.
FailureOr<AnalyticalBreakdown> getAnalyticalBreakdown(const OpWorkload &workload,
                                                      const TargetSpec &target,
                                                      Location loc);

/// The analytical model's estimate of `workload` from its breakdown (what
/// AnalyticalModel::estimate returns), for models that refine the breakdown
/// without computing it twice.
CostEstimate getAnalyticalEstimate(const OpWorkload &workload,
                                   const AnalyticalBreakdown &breakdown);

/// True for the low-power inference cards (P4, T4, L4: 70-75 W) that cannot
/// hold their boost clock in long FMA-bound loops. The spec sheet has no TDP;
/// the analytical model recognises them by their low DRAM bandwidth per SM.
bool isPowerLimitedGpu(const TargetSpec &target);

/// Checks `tileSizes` against the iteration domain of `workload`, as every
/// model's estimateTile does: one size per loop, none negative, and the
/// normalised loop of a softmax or layer norm whole. Errors at `loc`.
LogicalResult verifyTileSizes(const OpWorkload &workload,
                              ArrayRef<int64_t> tileSizes, Location loc);

/// Iterations of loop `loop` of `workload` in one tile of `tileSizes` (one
/// size per loop, 0 = the whole loop; no sizes at all: the whole op): the
/// size, capped at the loop's length, and at least 1.
int64_t getTileExtent(const OpWorkload &workload, ArrayRef<int64_t> tileSizes,
                      unsigned loop);

/// Bytes one tile touches: for GEMM-like ops its A and B panels and C block,
/// for other ops its share of the op's traffic. `tileSizes` has one size per
/// loop (0 = the whole loop).
double getTileWorkingSetBytes(const OpWorkload &workload,
                              ArrayRef<int64_t> tileSizes);

} // namespace mlir::tilecast

#endif // TILECAST_COST_ANALYTICALMODEL_H
