//===- ModelConfig.h - Hugging Face model configurations -------*- C++ -*-===//
//
// The fields of a Hugging Face `config.json` that decide how long a
// transformer takes to run: sizes, layer counts, activation, experts. Parsing
// is strict: a missing or invalid field is an error at the field's line that
// names it, and an unknown `model_type` is refused with the supported list.
//
//===----------------------------------------------------------------------===//

#ifndef TILECAST_IMPORT_MODELCONFIG_H
#define TILECAST_IMPORT_MODELCONFIG_H

#include "mlir/IR/Location.h"
#include "mlir/Support/LLVM.h"

#include <string>

namespace mlir::tilecast {

/// The architectures the importer builds, by Hugging Face `model_type`.
enum class ModelFamily {
  /// BERT: post-layernorm encoder, separate Q/K/V projections, erf GELU.
  Bert,
  /// GPT-2 (and the GPT-3 shapes NeuSight writes as `gpt2`): pre-layernorm
  /// decoder, fused QKV projection (Conv1D), tanh GELU.
  Gpt2,
  /// OPT: pre-layernorm decoder (`do_layer_norm_before`), separate Q/K/V
  /// projections, ReLU.
  Opt,
  /// Switch Transformer: T5-style encoder-decoder with RMS layer norms,
  /// relative position bias and top-1 mixture-of-experts MLPs.
  SwitchTransformers,
};

/// The `model_type` strings accepted, for diagnostics.
ArrayRef<StringLiteral> getSupportedModelTypes();

/// The MLP's activation, as PyTorch runs it.
enum class Activation {
  /// torch.nn.functional.gelu (erf form): one kernel.
  Gelu,
  /// Hugging Face `gelu_new`: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
  /// written with eight tensor operations, each a kernel in eager mode.
  GeluTanh,
  Relu,
};

struct ModelConfig {
  ModelFamily family = ModelFamily::Gpt2;
  std::string modelType;
  int64_t hiddenSize = 0;
  int64_t numHeads = 0;
  /// Per-head size: hiddenSize / numHeads, or `d_kv` (Switch).
  int64_t headDim = 0;
  /// Encoder layers (BERT, Switch) or decoder layers (GPT-2, OPT).
  int64_t numLayers = 0;
  /// Decoder layers of an encoder-decoder (Switch); 0 otherwise.
  int64_t numDecoderLayers = 0;
  /// The MLP's inner size.
  int64_t intermediateSize = 0;
  int64_t vocabSize = 0;
  /// Longest sequence the position embeddings cover (0: no limit, Switch).
  int64_t maxPositions = 0;
  /// BERT's token-type vocabulary.
  int64_t typeVocabSize = 0;
  /// OPT: embedding size before `project_in` (equal to hiddenSize: none).
  int64_t wordEmbedProjDim = 0;
  /// OPT: pre-layernorm (true) or post-layernorm blocks.
  bool layerNormBefore = true;
  Activation activation = Activation::Gelu;
  /// Switch: experts per sparse MLP, tokens each expert takes, and which
  /// layers are sparse (every `sparseStep`-th, counting from the second).
  int64_t numExperts = 0;
  int64_t expertCapacity = 0;
  int64_t encoderSparseStep = 0;
  int64_t decoderSparseStep = 0;
  /// Dropout probabilities in training, from the family's fields (absent:
  /// Hugging Face's defaults). A dropout of probability 0 launches no kernel
  /// (PyTorch's dropout returns its input), so none is written.
  /// After the embeddings (BERT hidden_dropout_prob, GPT-2 embd_pdrop, Switch
  /// dropout_rate; OPT has none).
  double embeddingDropout = 0;
  /// On the attention probabilities (attention_probs_dropout_prob,
  /// attn_pdrop, OPT attention_dropout, Switch dropout_rate).
  double attentionDropout = 0;
  /// On the attention output and the MLP output (hidden_dropout_prob,
  /// resid_pdrop, OPT dropout, Switch dropout_rate).
  double residualDropout = 0;
  /// On the activation inside a Switch MLP (dropout_rate); 0 for the others.
  double activationDropout = 0;
};

/// Parses a configuration from `text` (diagnostics name `bufferName`, e.g.
/// the file path, with the line of the offending field).
FailureOr<ModelConfig> parseModelConfig(StringRef text, StringRef bufferName,
                                        MLIRContext *context);

/// Reads and parses the configuration file at `path`; errors at `loc` when
/// the file cannot be read.
FailureOr<ModelConfig> readModelConfig(StringRef path, Location loc);

} // namespace mlir::tilecast

#endif // TILECAST_IMPORT_MODELCONFIG_H
