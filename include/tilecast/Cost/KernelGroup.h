//===- KernelGroup.h - Ops that run as one kernel ---------------*- C++ -*-===//
//
// A kernel group is a set of ops of one block marked with the same
// `#tilecast.kernel` group name and connected by the values they pass one
// another (directly, or through reshapes and casts): a layer norm written as
// several generics, a GEMM with its bias epilogue, a fused element-wise
// chain. Ops of the same name that do not reach one another are different
// kernels (the copies of an inlined or unrolled block). The group runs as one
// kernel, so it is priced as one: its members' arithmetic summed, the bytes
// of the tensors that enter or leave the group (intermediates stay on chip),
// one launch, and the kernel kind the attribute names.
//
//===----------------------------------------------------------------------===//

#ifndef TILECAST_COST_KERNELGROUP_H
#define TILECAST_COST_KERNELGROUP_H

#include "dialects/tilecast/TilecastAttrs.h"
#include "tilecast/Cost/Workload.h"

#include "mlir/IR/Operation.h"

namespace mlir::tilecast {

/// The `#tilecast.kernel` of `op`, or null.
KernelAttr getKernelAttr(Operation *op);

/// The members of `op`'s kernel group in block order: the ops of its block
/// whose `#tilecast.kernel` names the same group and that `op` reaches
/// through the values they pass one another. Empty if `op` has none.
SmallVector<Operation *> getKernelGroupMembers(Operation *op);

/// True if `op` is the last member of its kernel group that has a workload
/// (WorkloadOpInterface): the op that carries the group's cost.
bool isKernelGroupLeader(Operation *op);

/// The workload of one kernel made of `members` (in block order), of kind
/// `kind`. Errors (members that cannot be costed, kinds that disagree, a
/// contraction group without exactly one contraction) are reported at the
/// offending member.
FailureOr<OpWorkload> getKernelGroupWorkload(ArrayRef<Operation *> members,
                                             KernelKind kind);

/// The workload of the kernel that `op` runs: its group's if `op` leads a
/// kernel group, else its own (`op` must implement WorkloadOpInterface).
FailureOr<OpWorkload> getKernelWorkload(Operation *op);

/// The op class a workload is reported under: "gemm", "bmm", "convolution",
/// "elementwise", "reduction", "softmax", "layernorm" or "data_movement".
StringRef getOpClassName(const OpWorkload &workload);

} // namespace mlir::tilecast

#endif // TILECAST_COST_KERNELGROUP_H
