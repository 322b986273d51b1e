//===- CostModel.h - The interface every cost model implements -*- C++ -*-===//

#ifndef TILECAST_COST_COSTMODEL_H
#define TILECAST_COST_COSTMODEL_H

#include "tilecast/Cost/CostEstimate.h"
#include "tilecast/Cost/Workload.h"
#include "tilecast/Target/TargetSpec.h"

#include <memory>
#include <string>

namespace mlir::tilecast {

/// Answers cost questions about workloads on targets. Implementations are
/// stateless after construction and safe to query from several threads.
class CostModel {
public:
  virtual ~CostModel();

  /// The name the model is selected by (`model=` options).
  virtual StringRef getName() const = 0;

  /// The cost of the whole op. Errors (a type the target cannot compute in,
  /// say) are reported at `loc`.
  virtual FailureOr<CostEstimate> estimate(const OpWorkload &workload,
                                           const TargetSpec &target,
                                           Location loc) const = 0;

  /// The cost of the op tiled with `tileSizes` (one per loop, 0 = untiled).
  /// Illegal sizes (wrong count, negative) are reported at `loc`.
  virtual FailureOr<TileCostEstimate> estimateTile(const OpWorkload &workload,
                                                   ArrayRef<int64_t> tileSizes,
                                                   const TargetSpec &target,
                                                   Location loc) const = 0;

  /// Whether estimateTile prices tilings at all (the roofline model does
  /// not), so that tile selection can refuse the model once, up front.
  virtual bool pricesTiles() const { return true; }
};

/// The names accepted by createCostModel.
SmallVector<StringRef> getCostModelNames();

/// Coverage of the intervals by default. Every hybrid model file provides
/// it; the analytical model's intervals are always of this coverage (the 5th
/// to 95th percentiles of its residuals); the roofline's have zero width.
inline constexpr double kDefaultCoverage = 0.9;

/// Settings of the hybrid model; createCostModel refuses them, other than
/// the defaults, for the other models.
struct CostModelOptions {
  /// A `tilecast.model.v1` file (from tilecast-train or tilecast-calibrate)
  /// instead of the built-in data/models/hybrid.json.
  std::string modelFile;
  /// Coverage of the prediction intervals; one of the model file's levels.
  double coverage = kDefaultCoverage;
};

/// Creates the model called `name`, reporting unknown names, unreadable
/// model files and unavailable coverages at `loc`.
FailureOr<std::unique_ptr<CostModel>>
createCostModel(StringRef name, Location loc,
                const CostModelOptions &options = {});

} // namespace mlir::tilecast

#endif // TILECAST_COST_COSTMODEL_H
