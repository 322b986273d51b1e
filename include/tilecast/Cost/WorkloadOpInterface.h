//===- WorkloadOpInterface.h - Ops that run as kernels ---------*- C++ -*-===//

#ifndef TILECAST_COST_WORKLOADOPINTERFACE_H
#define TILECAST_COST_WORKLOADOPINTERFACE_H

#include "tilecast/Cost/Workload.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/OpDefinition.h"

#include "tilecast/Cost/WorkloadOpInterface.h.inc"

namespace mlir::tilecast {
/// Attaches WorkloadOpInterface to the upstream linalg and tensor ops.
void registerWorkloadExternalModels(DialectRegistry &registry);
} // namespace mlir::tilecast

namespace mlir::tilecast {
/// How TileCast treats an op when costing a module.
enum class KernelStatus {
  /// Runs a kernel and has a cost model (implements WorkloadOpInterface).
  Costable,
  /// Its work is done by its consumers' kernels.
  FoldedIntoConsumers,
  /// Runs no kernel: constants, views, reshapes, empty tensors, control flow,
  /// scalar arithmetic.
  NoKernel,
  /// Computes on tensors or buffers but TileCast has no model for it.
  Unsupported,
};
KernelStatus getKernelStatus(Operation *op);
} // namespace mlir::tilecast

#endif // TILECAST_COST_WORKLOADOPINTERFACE_H
