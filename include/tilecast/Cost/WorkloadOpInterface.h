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

/// Whether `op` fills its output with one value: linalg.fill, or the
/// linalg.generic -linalg-generalize-named-ops writes for one. A fill of an
/// accumulator is done in registers by the kernel that accumulates.
bool isFillOp(Operation *op);

/// Bytes of `operand` of a structured linalg op that the op reads or writes:
/// the elements its indexing map reaches (a slice `(b) -> (0, b)` or a
/// diagonal `(i) -> (i, i)` reaches fewer than the whole tensor).
int64_t getAccessedBytes(OpOperand &operand);
} // namespace mlir::tilecast

namespace mlir::tilecast {
/// How TileCast treats an op when costing a module.
enum class KernelStatus {
  /// Runs a kernel and has a cost model (implements WorkloadOpInterface).
  Costable,
  /// Its work is done by other kernels: a fill's by the kernel whose
  /// accumulator it initialises, a slice's by the kernel that writes the
  /// slice in place.
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
