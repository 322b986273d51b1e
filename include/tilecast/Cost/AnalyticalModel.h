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

/// Bytes one tile touches: for GEMM-like ops its A and B panels and C block,
/// for other ops its share of the op's traffic. `tileSizes` has one size per
/// loop (0 = the whole loop).
double getTileWorkingSetBytes(const OpWorkload &workload,
                              ArrayRef<int64_t> tileSizes);

} // namespace mlir::tilecast

#endif // TILECAST_COST_ANALYTICALMODEL_H
