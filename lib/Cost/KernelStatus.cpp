//===- KernelStatus.cpp - Which ops run kernels ---------------------------===//

#include "tilecast/Cost/WorkloadOpInterface.h"

#include "tilecast/Cost/KernelGroup.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Interfaces/CallInterfaces.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Interfaces/LoopLikeInterface.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

using namespace mlir;
using namespace mlir::tilecast;

static bool isShaped(Type type) { return isa<ShapedType>(type); }

/// Whether `op` only manages buffers: it allocates or frees one, or names,
/// views or converts data that exists without moving it. (An op whose only
/// effects are allocation is not enough: memref.realloc copies.)
static bool onlyManagesBuffers(Operation *op) {
  return isa<memref::AllocOp, memref::AllocaOp, memref::DeallocOp,
             memref::GetGlobalOp, memref::TransposeOp,
             memref::ExtractStridedMetadataOp, memref::AssumeAlignmentOp,
             bufferization::ToTensorOp, bufferization::ToBufferOp>(op);
}

KernelStatus tilecast::getKernelStatus(Operation *op) {
  if (auto workload = dyn_cast<WorkloadOpInterface>(op)) {
    if (workload.isFoldedIntoConsumers())
      return KernelStatus::FoldedIntoConsumers;
    // A kernel group is costed once, on its last member.
    if (getKernelAttr(op) && !isKernelGroupLeader(op))
      return KernelStatus::FoldedIntoConsumers;
    return KernelStatus::Costable;
  }
  // The payload of a kernel (a gather's tensor.extract in a linalg body) is
  // part of that kernel.
  if (Operation *parent = op->getParentOp();
      parent && isa<WorkloadOpInterface>(parent))
    return KernelStatus::NoKernel;
  bool touchesTensors = llvm::any_of(op->getResultTypes(), isShaped) ||
                        llvm::any_of(op->getOperandTypes(), isShaped);
  // Structure: functions, modules, calls, loops and conditionals, whose
  // bodies are costed op by op. Another op with a region that computes on
  // tensors (tensor.generate) is a kernel TileCast has no model for.
  bool isStructure = isa<CallOpInterface, FunctionOpInterface,
                         LoopLikeOpInterface, RegionBranchOpInterface>(op) ||
                     op->hasTrait<OpTrait::SymbolTable>() ||
                     (op->getNumRegions() > 0 && !touchesTensors);
  // Ops that only name, reshape or view data.
  if (isStructure || op->hasTrait<OpTrait::ConstantLike>() ||
      op->hasTrait<OpTrait::IsTerminator>() || isa<ViewLikeOpInterface>(op) ||
      isa<tensor::EmptyOp, tensor::CastOp, tensor::ExpandShapeOp,
          tensor::CollapseShapeOp, tensor::ReshapeOp, tensor::DimOp>(op) ||
      onlyManagesBuffers(op))
    return KernelStatus::NoKernel;
  return touchesTensors ? KernelStatus::Unsupported : KernelStatus::NoKernel;
}
