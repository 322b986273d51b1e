//===- Workload.h - What an op asks of the hardware ------------*- C++ -*-===//
//
// An OpWorkload is the hardware-independent description of one kernel: its
// iteration domain, arithmetic, transcendental evaluations and minimum memory
// traffic. It is derived from IR (see WorkloadOpInterface.td) or built
// directly (benchmarks, autotuners) and is the only input the cost models
// read besides the target.
//
//===----------------------------------------------------------------------===//

#ifndef TILECAST_COST_WORKLOAD_H
#define TILECAST_COST_WORKLOAD_H

#include "tilecast/Target/TargetSpec.h"

#include "mlir/IR/Types.h"
#include "llvm/ADT/SmallVector.h"

namespace mlir::tilecast {

/// What kind of kernel an op runs as; the cost models treat each differently.
enum class WorkloadKind : unsigned {
  /// Matrix multiplication, batched or not (also any linalg contraction).
  Contraction,
  /// Convolution, costed as an implicit GEMM.
  Convolution,
  /// Element-wise map, possibly with broadcasts.
  Elementwise,
  /// Reduction over some loops (sums, means, variances).
  Reduction,
  /// Row-wise softmax: max, exp-sum and normalise passes over each row.
  Softmax,
  /// Row-wise layer normalisation.
  LayerNorm,
  /// Copies, pads, concatenations, transposes: bytes only.
  DataMovement,
};

StringRef stringifyWorkloadKind(WorkloadKind kind);

/// What a loop of the iteration domain is to the kernel. Contractions and
/// convolutions name their GEMM roles; other ops only say which loops reduce.
enum class LoopRole : uint8_t { Parallel, Reduction, Batch, M, N, K };

/// The arithmetic of one kernel. Sizes are element counts, traffic is bytes.
struct OpWorkload {
  WorkloadKind kind = WorkloadKind::Elementwise;
  /// The arithmetic path the op computes on (decides the peak it can reach).
  PeakKind arithmetic = PeakKind::F32;
  /// Bytes per element of the op's tensors as stored: a product's multiplied
  /// inputs', another op's largest tensor's (its rows).
  int64_t elementBytes = 4;

  /// The iteration domain and the role of each loop.
  SmallVector<int64_t, 4> loopSizes;
  SmallVector<LoopRole, 4> loopRoles;

  /// GEMM view (contractions, and convolutions as implicit GEMM):
  /// C[batch, m, n] += A[batch, m, k] * B[batch, k, n].
  int64_t batch = 1, m = 1, n = 1, k = 1;
  /// A contraction's layout: whether the innermost (contiguous) dimension of
  /// B, and of C, is an N loop, as in linalg.matmul and linalg.batch_matmul,
  /// so that their rows lie `n` elements apart. The CPU model's L1 conflict
  /// terms assume it, and skip an operand stored otherwise (a transposed B,
  /// B[batch, n, k], as in q @ k^T).
  bool bInnermostIsN = true, cInnermostIsN = true;
  /// Row view (softmax, layernorm, reductions, element-wise): `rows`
  /// independent rows of `rowLength` elements.
  int64_t rows = 1, rowLength = 1;

  /// Arithmetic operations (a multiply-add counts two).
  int64_t flops = 0;
  /// Transcendental evaluations (exp, log, tanh, erf, pow, sqrt, div).
  int64_t transcendentals = 0;
  /// Of those, exponentials (exp, exp2, expm1): the cheapest libm calls,
  /// which the CPU model prices apart.
  int64_t exponentials = 0;
  /// Minimum traffic: every input read once, every output written once.
  int64_t bytesRead = 0;
  int64_t bytesWritten = 0;
  /// Tensors read (element-wise kernels stream each one).
  int64_t numInputs = 1;

  int64_t getBytes() const { return bytesRead + bytesWritten; }
  /// Iterations of the op's loop nest: the product of `loopSizes`.
  int64_t getIterations() const {
    int64_t iterations = 1;
    for (int64_t size : loopSizes)
      iterations *= size;
    return iterations;
  }

  /// C[batch, m, n] = A[batch, m, k] * B[batch, k, n] in `type`.
  static OpWorkload getMatmul(int64_t batch, int64_t m, int64_t n, int64_t k,
                              PeakKind arithmetic, int64_t elementBytes);
  /// An element-wise map over `elements` elements of `numInputs` tensors
  /// (scalars count as no tensor), with `flopsPerElement` arithmetic and
  /// `transcendentalsPerElement` special-function evaluations per element.
  static OpWorkload getElementwise(int64_t rows, int64_t rowLength,
                                   int64_t numInputs, int64_t flopsPerElement,
                                   int64_t transcendentalsPerElement,
                                   int64_t elementBytes);
  /// Softmax or layernorm over the last dimension of a [rows, rowLength]
  /// tensor (layernorm with affine weight and bias).
  static OpWorkload getSoftmax(int64_t rows, int64_t rowLength,
                               int64_t elementBytes);
  static OpWorkload getLayerNorm(int64_t rows, int64_t rowLength,
                                 int64_t elementBytes);
};

/// The arithmetic path for computing in `type`, or failure if TileCast has no
/// model for it (complex, i1, index, f8...). `isContraction` selects the
/// matrix path (f16 GEMMs run on tensor cores, element-wise f16 does not).
FailureOr<PeakKind> getArithmeticFor(Type type, bool isContraction);

/// Bytes one element of `elementType` (an integer, index or float type)
/// occupies in memory: `index` as 64 bits, sub-byte types as one byte.
int64_t getElementStorageBytes(Type elementType);

/// Bytes of a statically shaped tensor or memref of `type`
/// (getElementStorageBytes per element); 0 for scalars and dynamic shapes.
int64_t getStaticShapedBytes(Type type);

/// The most iterations (or FLOPs, bytes, evaluations) a workload built from
/// outside input may count: its derived counts, a few times this, then stay
/// far from int64 overflow (the largest NeuSight GEMM has about 2^38
/// multiply-adds).
inline constexpr int64_t kMaxWorkloadCount = int64_t(1) << 50;

/// The product of the non-negative `factors`, or failure if it passes
/// kMaxWorkloadCount (without overflowing on the way).
FailureOr<int64_t> getBoundedProduct(ArrayRef<int64_t> factors);

/// Whether `tileSizes` (one per loop, 0 = the whole loop) tiles nothing:
/// every loop whole, or no sizes.
inline bool isUntiled(ArrayRef<int64_t> tileSizes) {
  return llvm::all_of(tileSizes, [](int64_t size) { return size == 0; });
}

} // namespace mlir::tilecast

#endif // TILECAST_COST_WORKLOAD_H
