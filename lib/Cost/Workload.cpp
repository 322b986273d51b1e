//===- Workload.cpp - Workload constructors and type mapping --------------===//

#include "tilecast/Cost/Workload.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace mlir::tilecast;

StringRef tilecast::stringifyWorkloadKind(WorkloadKind kind) {
  switch (kind) {
  case WorkloadKind::Contraction:
    return "contraction";
  case WorkloadKind::Convolution:
    return "convolution";
  case WorkloadKind::Elementwise:
    return "elementwise";
  case WorkloadKind::Reduction:
    return "reduction";
  case WorkloadKind::Softmax:
    return "softmax";
  case WorkloadKind::LayerNorm:
    return "layernorm";
  case WorkloadKind::DataMovement:
    return "data-movement";
  }
  llvm_unreachable("unknown workload kind");
}

OpWorkload OpWorkload::getMatmul(int64_t batch, int64_t m, int64_t n, int64_t k,
                                 PeakKind arithmetic, int64_t elementBytes) {
  OpWorkload w;
  w.kind = WorkloadKind::Contraction;
  w.arithmetic = arithmetic;
  w.elementBytes = elementBytes;
  w.loopSizes = {batch, m, n, k};
  w.loopRoles = {LoopRole::Batch, LoopRole::M, LoopRole::N, LoopRole::K};
  w.batch = batch;
  w.m = m;
  w.n = n;
  w.k = k;
  w.rows = batch * m;
  w.rowLength = n;
  // One multiply-add per (b, i, j, l).
  w.flops = 2 * batch * m * n * k;
  w.bytesRead = (batch * m * k + batch * k * n) * elementBytes;
  w.bytesWritten = batch * m * n * elementBytes;
  w.numInputs = 2;
  return w;
}

/// A [rows, rowLength] map: the shape shared by element-wise and row-wise ops.
static OpWorkload getRowWise(WorkloadKind kind, int64_t rows, int64_t rowLength,
                             int64_t elementBytes) {
  OpWorkload w;
  w.kind = kind;
  w.elementBytes = elementBytes;
  w.loopSizes = {rows, rowLength};
  // Reductions, softmax and layernorm need whole rows.
  w.loopRoles = {LoopRole::Parallel, kind == WorkloadKind::Elementwise
                                         ? LoopRole::Parallel
                                         : LoopRole::Reduction};
  w.rows = rows;
  w.rowLength = rowLength;
  return w;
}

OpWorkload OpWorkload::getElementwise(int64_t rows, int64_t rowLength,
                                      int64_t numInputs,
                                      int64_t flopsPerElement,
                                      int64_t transcendentalsPerElement,
                                      int64_t elementBytes) {
  OpWorkload w =
      getRowWise(WorkloadKind::Elementwise, rows, rowLength, elementBytes);
  int64_t elements = rows * rowLength;
  w.flops = flopsPerElement * elements;
  w.transcendentals = transcendentalsPerElement * elements;
  w.numInputs = numInputs;
  w.bytesRead = numInputs * elements * elementBytes;
  w.bytesWritten = elements * elementBytes;
  return w;
}

OpWorkload OpWorkload::getSoftmax(int64_t rows, int64_t rowLength,
                                  int64_t elementBytes) {
  OpWorkload w =
      getRowWise(WorkloadKind::Softmax, rows, rowLength, elementBytes);
  int64_t elements = rows * rowLength;
  // Per element, as upstream's decomposition of linalg.softmax: max,
  // subtract, sum and divide are 4 FLOPs; exp and divide are 2
  // special-function evaluations.
  w.flops = 4 * elements;
  w.transcendentals = 2 * elements;
  w.exponentials = elements;
  w.bytesRead = elements * elementBytes;
  w.bytesWritten = elements * elementBytes;
  return w;
}

OpWorkload OpWorkload::getLayerNorm(int64_t rows, int64_t rowLength,
                                    int64_t elementBytes) {
  OpWorkload w =
      getRowWise(WorkloadKind::LayerNorm, rows, rowLength, elementBytes);
  int64_t elements = rows * rowLength;
  // Per element: sum, subtract mean, square-accumulate, normalise (sub, mul),
  // affine (mul, add): 7 operations; one rsqrt per row.
  w.flops = 7 * elements;
  w.transcendentals = rows;
  // Input and the per-column weight and bias are read, output written.
  w.bytesRead = (elements + 2 * rowLength) * elementBytes;
  w.bytesWritten = elements * elementBytes;
  return w;
}

FailureOr<PeakKind> tilecast::getArithmeticFor(Type type, bool isContraction) {
  if (type.isF64())
    return PeakKind::F64;
  if (type.isF32())
    return PeakKind::F32;
  if (type.isF16())
    return isContraction ? PeakKind::F16 : PeakKind::F32;
  if (type.isBF16())
    return isContraction ? PeakKind::BF16 : PeakKind::F32;
  if (type.isInteger(8))
    return isContraction ? PeakKind::I8 : PeakKind::F32;
  // Wider integers and booleans run on the vector ALUs at about the FP32 rate;
  // no GPU has a matrix path for them.
  if ((type.isInteger() || type.isIndex()) && !isContraction)
    return PeakKind::F32;
  return failure();
}

int64_t tilecast::getElementStorageBytes(Type elementType) {
  if (isa<IndexType>(elementType))
    return IndexType::kInternalStorageBitWidth / 8;
  return std::max<int64_t>(1, elementType.getIntOrFloatBitWidth() / 8);
}

int64_t tilecast::getStaticShapedBytes(Type type) {
  auto shaped = dyn_cast<ShapedType>(type);
  if (!shaped || !shaped.hasStaticShape())
    return 0;
  return shaped.getNumElements() *
         getElementStorageBytes(shaped.getElementType());
}

FailureOr<int64_t> tilecast::getBoundedProduct(ArrayRef<int64_t> factors) {
  int64_t product = 1;
  for (int64_t factor : factors)
    if (llvm::MulOverflow(product, factor, product) ||
        product > kMaxWorkloadCount)
      return failure();
  return product;
}
