//===- ModelConfig.cpp - Hugging Face model configurations ----------------===//

#include "tilecast/Import/ModelConfig.h"
#include "tilecast/Support/InputFile.h"
#include "tilecast/Support/Json.h"
#include "tilecast/Support/ToolDiagnostics.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"

#include <nlohmann/json.hpp>

using namespace mlir;
using namespace mlir::tilecast;
using json = nlohmann::json;

ArrayRef<StringLiteral> tilecast::getSupportedModelTypes() {
  static constexpr StringLiteral kTypes[] = {"bert", "gpt2", "opt",
                                             "switch_transformers"};
  return kTypes;
}

/// Integer fields above this are not model sizes (and would overflow the
/// products of shapes).
static constexpr int64_t kMaxDimension = int64_t(1) << 24;

namespace {
/// Reads the fields of one configuration, reporting errors at the line of the
/// offending key (or of the document's first line for a missing key).
class ConfigReader {
public:
  ConfigReader(StringRef text, StringRef bufferName, MLIRContext *context,
               const json &doc)
      : text(text), bufferName(bufferName), context(context), doc(doc) {}

  FailureOr<ModelConfig> read();

private:
  Location locationOfKey(StringRef key) {
    return getLocationOfKey(text, bufferName, context, key);
  }

  LogicalResult readPositive(StringRef key, int64_t &out);
  LogicalResult readString(StringRef key, std::string &out);
  LogicalResult readBool(StringRef key, bool &out);
  LogicalResult readActivation(StringRef key, Activation &out);
  LogicalResult readDropout(StringRef key, double defaultValue, double &out);
  LogicalResult checkDivisible(StringRef sizeKey, int64_t size,
                               StringRef divisorKey, int64_t divisor,
                               const Twine &why);
  LogicalResult checkHeadsDivide(StringRef sizeKey, int64_t size,
                                 StringRef headsKey, int64_t heads);
  LogicalResult checkLayerNormWidth(StringRef sizeKey, int64_t size);

  LogicalResult readBert(ModelConfig &config);
  LogicalResult readGpt2(ModelConfig &config);
  LogicalResult readOpt(ModelConfig &config);
  LogicalResult readSwitch(ModelConfig &config);

  StringRef text;
  StringRef bufferName;
  MLIRContext *context;
  const json &doc;
};
} // namespace

LogicalResult ConfigReader::readPositive(StringRef key, int64_t &out) {
  auto it = doc.find(key.str());
  if (it == doc.end()) {
    InFlightDiagnostic diag = emitError(locationOfKey(key))
                              << "config field '" << key << "' is missing";
    diag.attachNote() << "a '" << doc.value("model_type", std::string())
                      << "' configuration needs it; add it to the JSON object";
    return failure();
  }
  if (!it->is_number_integer() || it->get<int64_t>() <= 0 ||
      it->get<int64_t>() > kMaxDimension) {
    InFlightDiagnostic diag = emitError(locationOfKey(key))
                              << "config field '" << key
                              << "' must be a positive integer, got "
                              << describeJson(*it);
    diag.attachNote() << "sizes and counts are integers from 1 to "
                      << kMaxDimension;
    return failure();
  }
  out = it->get<int64_t>();
  return success();
}

LogicalResult ConfigReader::readString(StringRef key, std::string &out) {
  auto it = doc.find(key.str());
  if (it == doc.end())
    return emitError(locationOfKey(key))
           << "config field '" << key << "' is missing";
  if (!it->is_string())
    return emitError(locationOfKey(key))
           << "config field '" << key << "' must be a string, got "
           << describeJson(*it);
  out = it->get<std::string>();
  return success();
}

LogicalResult ConfigReader::readBool(StringRef key, bool &out) {
  auto it = doc.find(key.str());
  if (it == doc.end())
    return emitError(locationOfKey(key))
           << "config field '" << key << "' is missing";
  if (!it->is_boolean())
    return emitError(locationOfKey(key))
           << "config field '" << key << "' must be true or false, got "
           << describeJson(*it);
  out = it->get<bool>();
  return success();
}

/// A dropout probability: absent or null means `defaultValue` (the Hugging
/// Face configuration class's), else a number from 0 up to, not including, 1.
LogicalResult ConfigReader::readDropout(StringRef key, double defaultValue,
                                        double &out) {
  auto it = doc.find(key.str());
  if (it == doc.end() || it->is_null()) {
    out = defaultValue;
    return success();
  }
  if (!it->is_number() || !(it->get<double>() >= 0.0) ||
      !(it->get<double>() < 1.0)) {
    InFlightDiagnostic diag = emitError(locationOfKey(key))
                              << "config field '" << key
                              << "' must be a dropout probability, got "
                              << describeJson(*it);
    diag.attachNote() << "a probability from 0 (no dropout) up to, not "
                         "including, 1";
    return failure();
  }
  out = it->get<double>();
  return success();
}

LogicalResult ConfigReader::readActivation(StringRef key, Activation &out) {
  std::string name;
  if (failed(readString(key, name)))
    return failure();
  if (name == "gelu") {
    out = Activation::Gelu;
  } else if (name == "gelu_new") {
    out = Activation::GeluTanh;
  } else if (name == "relu") {
    out = Activation::Relu;
  } else {
    InFlightDiagnostic diag = emitError(locationOfKey(key))
                              << "config field '" << key
                              << "' names the unsupported activation '" << name
                              << "'";
    diag.attachNote() << "supported activations: gelu, gelu_new, relu";
    return failure();
  }
  return success();
}

/// Reports, at `divisorKey`, that `size` is not a multiple of `divisor`, with
/// `why` the importer needs it as a note.
LogicalResult ConfigReader::checkDivisible(StringRef sizeKey, int64_t size,
                                           StringRef divisorKey,
                                           int64_t divisor, const Twine &why) {
  if (size % divisor == 0)
    return success();
  InFlightDiagnostic diag = emitError(locationOfKey(divisorKey))
                            << "config field '" << sizeKey << "' (" << size
                            << ") is not divisible by '" << divisorKey << "' ("
                            << divisor << ")";
  diag.attachNote() << why;
  return failure();
}

LogicalResult ConfigReader::checkHeadsDivide(StringRef sizeKey, int64_t size,
                                             StringRef headsKey,
                                             int64_t heads) {
  return checkDivisible(sizeKey, size, headsKey, heads,
                        "attention splits the hidden size evenly over the "
                        "heads; choose a head count that divides it");
}

/// The layer norms (one kernel each) reduce over the hidden size; over one
/// element there is nothing to reduce, and no such kernel is measured.
LogicalResult ConfigReader::checkLayerNormWidth(StringRef sizeKey,
                                                int64_t size) {
  if (size >= 2)
    return success();
  InFlightDiagnostic diag = emitError(locationOfKey(sizeKey))
                            << "config field '" << sizeKey
                            << "' must be at least 2, got " << size;
  diag.attachNote() << "the layer norms normalise over it; over one element "
                       "there is nothing to normalise";
  return failure();
}

LogicalResult ConfigReader::readBert(ModelConfig &c) {
  if (failed(readPositive("hidden_size", c.hiddenSize)) ||
      failed(readPositive("num_attention_heads", c.numHeads)) ||
      failed(readPositive("num_hidden_layers", c.numLayers)) ||
      failed(readPositive("intermediate_size", c.intermediateSize)) ||
      failed(readPositive("vocab_size", c.vocabSize)) ||
      failed(readPositive("max_position_embeddings", c.maxPositions)) ||
      failed(readPositive("type_vocab_size", c.typeVocabSize)) ||
      failed(readActivation("hidden_act", c.activation)) ||
      failed(readDropout("hidden_dropout_prob", 0.1, c.residualDropout)) ||
      failed(readDropout("attention_probs_dropout_prob", 0.1,
                         c.attentionDropout)) ||
      failed(checkLayerNormWidth("hidden_size", c.hiddenSize)) ||
      failed(checkHeadsDivide("hidden_size", c.hiddenSize,
                              "num_attention_heads", c.numHeads)))
    return failure();
  c.headDim = c.hiddenSize / c.numHeads;
  c.embeddingDropout = c.residualDropout;
  return success();
}

LogicalResult ConfigReader::readGpt2(ModelConfig &c) {
  if (failed(readPositive("n_embd", c.hiddenSize)) ||
      failed(readPositive("n_head", c.numHeads)) ||
      failed(readPositive("n_layer", c.numLayers)) ||
      failed(readPositive("vocab_size", c.vocabSize)) ||
      failed(readPositive("n_positions", c.maxPositions)) ||
      failed(readActivation("activation_function", c.activation)) ||
      failed(readDropout("embd_pdrop", 0.1, c.embeddingDropout)) ||
      failed(readDropout("attn_pdrop", 0.1, c.attentionDropout)) ||
      failed(readDropout("resid_pdrop", 0.1, c.residualDropout)) ||
      failed(checkLayerNormWidth("n_embd", c.hiddenSize)) ||
      failed(checkHeadsDivide("n_embd", c.hiddenSize, "n_head", c.numHeads)))
    return failure();
  c.headDim = c.hiddenSize / c.numHeads;
  // `n_inner` is optional; null or absent means 4 x n_embd (Hugging Face's
  // GPT2MLP).
  auto inner = doc.find("n_inner");
  if (inner == doc.end() || inner->is_null())
    c.intermediateSize = 4 * c.hiddenSize;
  else if (failed(readPositive("n_inner", c.intermediateSize)))
    return failure();
  return success();
}

LogicalResult ConfigReader::readOpt(ModelConfig &c) {
  if (failed(readPositive("hidden_size", c.hiddenSize)) ||
      failed(readPositive("num_attention_heads", c.numHeads)) ||
      failed(readPositive("num_hidden_layers", c.numLayers)) ||
      failed(readPositive("ffn_dim", c.intermediateSize)) ||
      failed(readPositive("vocab_size", c.vocabSize)) ||
      failed(readPositive("max_position_embeddings", c.maxPositions)) ||
      failed(readPositive("word_embed_proj_dim", c.wordEmbedProjDim)) ||
      failed(readBool("do_layer_norm_before", c.layerNormBefore)) ||
      failed(readActivation("activation_function", c.activation)) ||
      failed(readDropout("attention_dropout", 0.0, c.attentionDropout)) ||
      failed(readDropout("dropout", 0.1, c.residualDropout)) ||
      failed(checkLayerNormWidth("hidden_size", c.hiddenSize)) ||
      failed(checkHeadsDivide("hidden_size", c.hiddenSize,
                              "num_attention_heads", c.numHeads)))
    return failure();
  // With a word embedding narrower or wider than the layers, OPTDecoder
  // projects in and out of them (project_in, project_out: OPT-350m); those
  // two linear layers are not imported, so such a model would be costed
  // without them and with its embedding and LM head at the wrong width.
  if (c.wordEmbedProjDim != c.hiddenSize) {
    InFlightDiagnostic diag = emitError(locationOfKey("word_embed_proj_dim"))
                              << "config field 'word_embed_proj_dim' must "
                                 "equal hidden_size ("
                              << c.hiddenSize << "), got "
                              << c.wordEmbedProjDim;
    diag.attachNote() << "OPT's project_in and project_out layers, which a "
                         "different width needs, are not imported";
    return failure();
  }
  c.headDim = c.hiddenSize / c.numHeads;
  // OPTDecoder adds the position embeddings and goes straight to the first
  // layer; its activation_dropout is applied nowhere in the decoder layer.
  c.embeddingDropout = 0.0;
  return success();
}

/// Most experts a sparse layer may have: the importer unrolls them, and the
/// largest published Switch Transformer (switch-c-2048, Fedus et al. 2021)
/// has 2048.
static constexpr int64_t kMaxSwitchExperts = 2048;

LogicalResult ConfigReader::readSwitch(ModelConfig &c) {
  if (failed(readPositive("d_model", c.hiddenSize)) ||
      failed(readPositive("num_heads", c.numHeads)) ||
      failed(readPositive("d_kv", c.headDim)) ||
      failed(readPositive("num_layers", c.numLayers)) ||
      failed(readPositive("d_ff", c.intermediateSize)) ||
      failed(readPositive("vocab_size", c.vocabSize)) ||
      failed(readPositive("num_experts", c.numExperts)) ||
      failed(readPositive("expert_capacity", c.expertCapacity)) ||
      failed(readPositive("encoder_sparse_step", c.encoderSparseStep)) ||
      failed(readPositive("decoder_sparse_step", c.decoderSparseStep)) ||
      failed(readDropout("dropout_rate", 0.1, c.residualDropout)))
    return failure();
  // `num_decoder_layers` null means as many as `num_layers` (Hugging Face's
  // SwitchTransformersConfig: "default = symmetry").
  auto decoderLayers = doc.find("num_decoder_layers");
  bool decoderLayersFromEncoder =
      decoderLayers != doc.end() && decoderLayers->is_null();
  if (decoderLayersFromEncoder)
    c.numDecoderLayers = c.numLayers;
  else if (failed(readPositive("num_decoder_layers", c.numDecoderLayers)))
    return failure();
  // T5-style blocks use the one rate everywhere.
  c.embeddingDropout = c.attentionDropout = c.activationDropout =
      c.residualDropout;
  // Hugging Face's Switch MLPs apply `dense_act_fn`; T5-era configs name
  // the activation in `feed_forward_proj` only.
  StringRef activationKey =
      doc.contains("dense_act_fn") ? "dense_act_fn" : "feed_forward_proj";
  std::string activation;
  if (failed(readString(activationKey, activation)))
    return failure();
  if (activation != "relu") {
    InFlightDiagnostic diag = emitError(locationOfKey(activationKey))
                              << "config field '" << activationKey
                              << "' names the unsupported activation '"
                              << activation << "'";
    diag.attachNote() << "the importer builds Switch Transformers with "
                         "'relu' experts";
    return failure();
  }
  c.activation = Activation::Relu;
  // Every expert is written out in each sparse layer's function.
  if (c.numExperts > kMaxSwitchExperts) {
    InFlightDiagnostic diag = emitError(locationOfKey("num_experts"))
                              << "config field 'num_experts' is "
                              << c.numExperts << ", more than the "
                              << kMaxSwitchExperts
                              << " the importer writes out";
    diag.attachNote() << "each expert is unrolled in the sparse layer's "
                         "function; the largest published Switch model has "
                      << kMaxSwitchExperts;
    return failure();
  }
  // The importer builds one function per period of the sparse pattern
  // (sparse_step layers, one of them sparse) and calls it num_layers /
  // sparse_step times; Hugging Face allows a remainder, the importer does not.
  // The importer repeats a group of sparse_step layers, one of them sparse.
  auto checkStepDivides = [&](StringRef layersKey, int64_t layers,
                              StringRef stepKey, int64_t step) {
    return checkDivisible(layersKey, layers, stepKey, step,
                          "the importer repeats a group of '" + stepKey +
                              "' layers (one of them sparse); choose a step "
                              "that divides the layer count");
  };
  if (failed(checkStepDivides("num_layers", c.numLayers, "encoder_sparse_step",
                              c.encoderSparseStep)) ||
      failed(checkStepDivides(
          decoderLayersFromEncoder ? "num_decoder_layers (null: num_layers)"
                                   : "num_decoder_layers",
          c.numDecoderLayers, "decoder_sparse_step", c.decoderSparseStep)))
    return failure();
  return success();
}

FailureOr<ModelConfig> ConfigReader::read() {
  if (!doc.is_object())
    return emitError(locationOfKey("")) << "a model configuration must be a "
                                           "JSON object";
  ModelConfig config;
  if (failed(readString("model_type", config.modelType)))
    return failure();
  LogicalResult result = failure();
  StringRef type = config.modelType;
  if (type == "bert") {
    config.family = ModelFamily::Bert;
    result = readBert(config);
  } else if (type == "gpt2") {
    config.family = ModelFamily::Gpt2;
    result = readGpt2(config);
  } else if (type == "opt") {
    config.family = ModelFamily::Opt;
    result = readOpt(config);
  } else if (type == "switch_transformers") {
    config.family = ModelFamily::SwitchTransformers;
    result = readSwitch(config);
  } else {
    InFlightDiagnostic diag = emitError(locationOfKey("model_type"))
                              << "unknown model_type '" << getQuotable(type)
                              << "'";
    diag.attachNote() << "supported model types: "
                      << llvm::join(getSupportedModelTypes(), ", ");
    return failure();
  }
  if (failed(result))
    return failure();
  return config;
}

FailureOr<ModelConfig> tilecast::parseModelConfig(StringRef text,
                                                  StringRef bufferName,
                                                  MLIRContext *context) {
  FailureOr<json> doc =
      parseJson(text, bufferName, context, "model configuration");
  if (failed(doc))
    return failure();
  return ConfigReader(text, bufferName, context, *doc).read();
}

FailureOr<ModelConfig> tilecast::readModelConfig(StringRef path, Location loc) {
  auto buffer = readInputFile(path);
  if (!buffer)
    return emitError(loc) << "cannot read model configuration '" << path
                          << "': " << getReadErrorMessage(buffer.getError());
  return parseModelConfig((*buffer)->getBuffer(), path, loc.getContext());
}
