//===- CostModel.h - The interface every cost model implements -*- C++ -*-===//

#ifndef TILECAST_COST_COSTMODEL_H
#define TILECAST_COST_COSTMODEL_H

#include "tilecast/Cost/CostEstimate.h"
#include "tilecast/Cost/Workload.h"
#include "tilecast/Target/TargetSpec.h"

#include <memory>

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
};

/// The names accepted by createCostModel.
SmallVector<StringRef> getCostModelNames();

/// Creates the model called `name`, reporting unknown names at `loc`.
FailureOr<std::unique_ptr<CostModel>> createCostModel(StringRef name,
                                                      Location loc);

} // namespace mlir::tilecast

#endif // TILECAST_COST_COSTMODEL_H
