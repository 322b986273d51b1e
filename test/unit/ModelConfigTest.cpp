//===- ModelConfigTest.cpp - Parsing Hugging Face configurations ----------===//

#include "TestUtils.h"

#include "tilecast/Import/ModelConfig.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace mlir::tilecast;
using mlir::tilecast::testing::TestContext;

TEST(ModelConfigTest, Gpt2DefaultsTheInnerSizeToFourTimesTheHiddenSize) {
  TestContext ctx;
  FailureOr<ModelConfig> config = parseModelConfig(
      R"({"model_type": "gpt2", "n_embd": 1280, "n_head": 20, "n_layer": 36,
          "n_positions": 1024, "vocab_size": 50257, "n_inner": null,
          "activation_function": "gelu_new"})",
      "gpt2.json", ctx.get());
  ASSERT_TRUE(succeeded(config)) << ctx.getDiagnostics();
  EXPECT_EQ(config->family, ModelFamily::Gpt2);
  EXPECT_EQ(config->headDim, 64);
  EXPECT_EQ(config->intermediateSize, 5120);
  EXPECT_EQ(config->activation, Activation::GeluTanh);
}

TEST(ModelConfigTest, SwitchTakesTheHeadSizeFromDkv) {
  TestContext ctx;
  FailureOr<ModelConfig> config = parseModelConfig(
      R"({"model_type": "switch_transformers", "d_model": 1024,
          "num_heads": 32, "d_kv": 128, "num_layers": 24,
          "num_decoder_layers": 24, "d_ff": 16384, "vocab_size": 32128,
          "num_experts": 4, "expert_capacity": 64, "encoder_sparse_step": 2,
          "decoder_sparse_step": 2, "feed_forward_proj": "relu"})",
      "switch.json", ctx.get());
  ASSERT_TRUE(succeeded(config)) << ctx.getDiagnostics();
  EXPECT_EQ(config->headDim, 128);
  EXPECT_EQ(config->numExperts, 4);
}

TEST(ModelConfigTest, UnknownActivationNamesTheFieldAndTheChoices) {
  TestContext ctx;
  FailureOr<ModelConfig> config = parseModelConfig(
      R"({"model_type": "opt", "hidden_size": 64, "num_attention_heads": 4,
          "num_hidden_layers": 2, "ffn_dim": 256, "vocab_size": 100,
          "max_position_embeddings": 32, "word_embed_proj_dim": 64,
          "do_layer_norm_before": true, "activation_function": "swish"})",
      "opt.json", ctx.get());
  EXPECT_TRUE(failed(config));
  EXPECT_NE(ctx.getDiagnostics().find("config field 'activation_function' "
                                      "names the unsupported activation "
                                      "'swish'"),
            std::string::npos)
      << ctx.getDiagnostics();
  EXPECT_NE(ctx.getDiagnostics().find("supported activations: gelu, "
                                      "gelu_new, relu"),
            std::string::npos);
}

TEST(ModelConfigTest, ABooleanFieldMustBeABoolean) {
  TestContext ctx;
  FailureOr<ModelConfig> config = parseModelConfig(
      R"({"model_type": "opt", "hidden_size": 64, "num_attention_heads": 4,
          "num_hidden_layers": 2, "ffn_dim": 256, "vocab_size": 100,
          "max_position_embeddings": 32, "word_embed_proj_dim": 64,
          "do_layer_norm_before": 1, "activation_function": "relu"})",
      "opt.json", ctx.get());
  EXPECT_TRUE(failed(config));
  EXPECT_NE(ctx.getDiagnostics().find("config field 'do_layer_norm_before' "
                                      "must be true or false, got 1"),
            std::string::npos)
      << ctx.getDiagnostics();
}
