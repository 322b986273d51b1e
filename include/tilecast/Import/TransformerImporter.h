//===- TransformerImporter.h - Transformer models as linalg IR --*- C++ -*-===//
//
// Builds the linalg/tensor IR of a transformer model from its configuration,
// kernel for kernel as PyTorch eager mode runs it (docs/e2e.md): one function
// per transformer block, called from an `scf.for` over the layers; in
// training mode also the backward pass (dgrad and wgrad GEMMs, gradients of
// the element-wise and normalisation ops, weight-gradient accumulation).
// Ops that PyTorch runs as one kernel are marked as one kernel group
// (`#tilecast.kernel`).
//
//===----------------------------------------------------------------------===//

#ifndef TILECAST_IMPORT_TRANSFORMERIMPORTER_H
#define TILECAST_IMPORT_TRANSFORMERIMPORTER_H

#include "tilecast/Import/ModelConfig.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

namespace mlir::tilecast {

enum class RunMode { Inference, Training };

struct ImportOptions {
  int64_t batch = 1;
  int64_t seqLength = 0;
  RunMode mode = RunMode::Inference;
  /// Mark the element-wise chains that NeuSight's `-fusion` runs fuse
  /// (attention scaling, masking and softmax; residual adds with their layer
  /// norms; the tanh GELU) as one kernel each.
  bool fused = false;
};

/// Every op of a training step's backward pass is named (its NameLoc)
/// `bw.<the forward op's name>[.<what it computes>]`, e.g.
/// `bw.attn.qkv.dgrad`, and no forward op's name starts so: a step's time
/// splits into forward and backward by name (tilecast-bench e2e).
inline constexpr StringLiteral kBackwardNamePrefix = "bw.";

/// Whether `opName`, an imported op's name, is a backward-pass op's.
inline bool isBackwardOpName(StringRef opName) {
  return opName.starts_with(kBackwardNamePrefix);
}

/// The dialects the imported IR uses (func, scf, arith, math, tensor, linalg,
/// tilecast), for a context that has not loaded them.
void registerImportDialects(DialectRegistry &registry);

/// Builds the model. Errors (a sequence longer than the position embeddings,
/// a non-positive batch) are reported at `loc`.
FailureOr<OwningOpRef<ModuleOp>> importTransformer(const ModelConfig &config,
                                                   const ImportOptions &options,
                                                   Location loc);

} // namespace mlir::tilecast

#endif // TILECAST_IMPORT_TRANSFORMERIMPORTER_H
