//===- TransformerImporter.cpp - Transformer models as linalg IR ----------===//
//
// Each model is written kernel for kernel as PyTorch 2.1 eager mode runs the
// Hugging Face implementation (the kernels NeuSight's traces list in
// ../shared/data/neusight/opgraphs, plus the copies that torch.matmul and
// reshape make of non-contiguous heads). docs/e2e.md lists the kernels.
//
//===----------------------------------------------------------------------===//

#include "tilecast/Import/TransformerImporter.h"

#include "Emitter.h"

#include "dialects/tilecast/TilecastDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/Support/MathExtras.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::tilecast;
using namespace mlir::tilecast::import;

/// The name of a backward-pass op that belongs to the forward op or module
/// `forwardName` (kBackwardNamePrefix).
static std::string getBackwardName(const Twine &forwardName) {
  return (kBackwardNamePrefix + forwardName).str();
}

void tilecast::registerImportDialects(DialectRegistry &registry) {
  registry.insert<arith::ArithDialect, func::FuncDialect, linalg::LinalgDialect,
                  math::MathDialect, scf::SCFDialect, tensor::TensorDialect,
                  TilecastDialect>();
}

//===----------------------------------------------------------------------===//
// Scalar payloads
//===----------------------------------------------------------------------===//

/// Largest tensor the importer builds, in elements (2^48, 1 PiB of f32): far
/// beyond any device, and far from int64 overflow in shapes and byte counts.
static constexpr int64_t kMaxTensorElements = int64_t(1) << 48;
/// Largest GEMM the importer builds, in multiply-adds (2^56): far beyond any
/// model's (GPT-3 2.7B's LM head at batch 8, sequence 2048 has 2^41), and a
/// factor 32 from the cost library's 64-bit FLOP counters.
static constexpr int64_t kMaxGemmMultiplyAdds = int64_t(1) << 56;

/// torch.finfo(torch.float32).min, the value masked attention scores take.
static constexpr double kFloatMin = -3.4028234663852886e38;
/// sqrt(2 / pi) and the cubic coefficient of Hugging Face's gelu_new.
static constexpr double kGeluTanhScale = 0.7978845608028654;
static constexpr double kGeluTanhCubic = 0.044715;
/// Layer-norm epsilon of every configuration in models/ (1e-5; BERT's
/// 1e-12 changes no time).
static constexpr double kLayerNormEpsilon = 1e-5;

static Value constant(OpBuilder &b, Location loc, double value) {
  return arith::ConstantOp::create(
      b, loc, b.getF32FloatAttr(static_cast<float>(value)));
}
static Value add(OpBuilder &b, Location loc, ValueRange a) {
  return arith::AddFOp::create(b, loc, a[0], a[1]);
}
static Value sub(OpBuilder &b, Location loc, ValueRange a) {
  return arith::SubFOp::create(b, loc, a[0], a[1]);
}
static Value mul(OpBuilder &b, Location loc, ValueRange a) {
  return arith::MulFOp::create(b, loc, a[0], a[1]);
}
static std::function<Value(OpBuilder &, Location, ValueRange)>
scaleBy(double factor) {
  return [factor](OpBuilder &b, Location loc, ValueRange a) -> Value {
    return arith::MulFOp::create(b, loc, a[0], constant(b, loc, factor));
  };
}

/// The body of an inclusive prefix sum over loop 1 written as a reduction
/// over loop 2 (cumsum: out[i] = sum of in[j] for j <= i), as PyTorch's
/// cumsum kernel computes it in one pass.
static SmallVector<Value> inclusivePrefixSum(OpBuilder &b, Location loc,
                                             ValueRange a) {
  Value i = linalg::IndexOp::create(b, loc, 1);
  Value j = linalg::IndexOp::create(b, loc, 2);
  Value before = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ule, j, i);
  Value term =
      arith::SelectOp::create(b, loc, before, a[0], constant(b, loc, 0.0));
  return SmallVector<Value>{arith::AddFOp::create(b, loc, a[1], term)};
}

/// (row, column) -> (row): a per-row value broadcast along the row, or a
/// row reduction's result.
static AffineMap getRowsMap(MLIRContext *context) {
  return AffineMap::get(2, 0, {getAffineDimExpr(0, context)}, context);
}

/// The body of a reduction summing the products of its two inputs
/// (acc += a * b): dot products along the reduced loops.
static SmallVector<Value> sumOfProducts(OpBuilder &b, Location loc,
                                        ValueRange a) {
  return SmallVector<Value>{arith::AddFOp::create(
      b, loc, a[2], arith::MulFOp::create(b, loc, a[0], a[1]))};
}

/// Keeps an element with probability 1 - `probability` from a counter-based
/// hash of its position (PyTorch's fused dropout draws Philox numbers per
/// element).
static Value getDropoutKeep(OpBuilder &b, Location loc, unsigned rank,
                            double probability) {
  Type i32 = b.getI32Type();
  auto indexAsI32 = [&](unsigned dim) -> Value {
    Value index = linalg::IndexOp::create(b, loc, dim);
    return arith::IndexCastOp::create(b, loc, i32, index);
  };
  Value hash = arith::MulIOp::create(
      b, loc, indexAsI32(0),
      arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(0x9E3779B1)));
  hash = arith::XOrIOp::create(b, loc, hash, indexAsI32(rank - 1));
  hash = arith::MulIOp::create(
      b, loc, hash,
      arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(0x85EBCA77)));
  Value threshold = arith::ConstantOp::create(
      b, loc,
      b.getI32IntegerAttr(static_cast<int32_t>(
          static_cast<uint32_t>(probability * 4294967296.0))));
  return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::uge, hash,
                               threshold);
}

//===----------------------------------------------------------------------===//
// The importer
//===----------------------------------------------------------------------===//

namespace {
/// The per-layer tensors autograd saves for a block's backward pass. The
/// backward function takes them as arguments of the same shapes.
class ModelImporter {
public:
  ModelImporter(const ModelConfig &config, const ImportOptions &options,
                MLIRContext *context)
      : c(config), o(options), e(context), b(e.getBuilder()),
        training(options.mode == RunMode::Training),
        gpt2(config.family == ModelFamily::Gpt2),
        bert(config.family == ModelFamily::Bert),
        opt(config.family == ModelFamily::Opt),
        sw(config.family == ModelFamily::SwitchTransformers) {
    B = o.batch;
    S = o.seqLength;
    T = B * S;
    H = c.hiddenSize;
    NH = c.numHeads;
    D = c.headDim;
    F = c.intermediateSize;
    V = c.vocabSize;
  }

  OwningOpRef<ModuleOp> build(Location loc);

private:
  std::string prefix() const { return c.modelType; }
  Location loc(StringRef name) { return e.getLoc(name); }
  SmallVector<int64_t> shapeOf(Value v) {
    return llvm::to_vector(cast<ShapedType>(v.getType()).getShape());
  }

  // Layers.
  Value linear(StringRef name, Value x, int64_t in, int64_t out,
               bool bias = true);
  Value linearBackward(StringRef name, Value dy, Value x, int64_t in,
                       int64_t out, bool bias = true);
  Value layerNorm(StringRef name, Value x, Value residual = {});
  Value layerNormBackward(StringRef name, Value dy);
  Value dropout(StringRef name, Value x, double probability);
  Value dropoutBackward(StringRef name, Value dy, double probability);
  Value activation(StringRef name, Value x);
  Value activationBackward(StringRef name, Value dy);
  Value accumulate(StringRef name, Value grad);
  Value addResidual(StringRef name, Value x, Value y);
  Value softmaxBackward(StringRef name, Value dy);

  // Attention.
  Value attention(Value x, StringRef prefix = "attn", Value kv = {},
                  Value bias = {});
  Value attentionBackward(Value dy, StringRef prefix = "attn",
                          bool cross = false);
  Value headCopy(StringRef name, Value source, bool transposed,
                 std::optional<int64_t> slot);

  // Blocks and whole models.
  Value block(Value x);
  Value blockBackward(Value dy);
  func::FuncOp buildBlockFunction(bool backward);
  Value embeddings();
  Value embeddingsBackward(Value dy);
  Value head(Value h);
  Value headBackward();
  void buildEntry(func::FuncOp blockFn, func::FuncOp blockBackwardFn);
  Value callBlocks(StringRef name, func::FuncOp fn, Value x,
                   ArrayRef<Value> extraArgs, int64_t calls);
  SmallVector<Value> mirrorArguments(func::FuncOp fn, unsigned skip);

  // Switch Transformers.
  Value rmsNorm(StringRef name, Value x);
  Value rmsNormBackward(StringRef name, Value dy);
  Value positionBias(StringRef name, bool bidirectional, Value mask);
  Value extendMask(StringRef name, Value mask);
  Value denseMlp(StringRef name, Value x);
  Value denseMlpBackward(StringRef name, Value dy);
  Value sparseMlp(StringRef name, Value x);
  Value sparseMlpBackward(StringRef name, Value dy);
  int64_t getCapacityRows() const;
  Value switchLayer(int64_t layer, bool sparse, bool decoder, Value x,
                    Value encoder, Value selfBias, Value crossBias);
  Value switchLayerBackward(int64_t layer, bool sparse, bool decoder, Value dy);
  func::FuncOp buildSwitchStackFunction(bool decoder, bool backward);
  Value embeddingGrad(StringRef name, int64_t rows);
  void buildSwitchEntry(func::FuncOp encoderFn, func::FuncOp decoderFn,
                        func::FuncOp encoderBackwardFn,
                        func::FuncOp decoderBackwardFn);

  const ModelConfig &c;
  const ImportOptions &o;
  Emitter e;
  OpBuilder &b;
  ModuleOp module;
  bool training, gpt2, bert, opt, sw;
  int64_t B, S, T, H, NH, D, F, V;
};
} // namespace

//===----------------------------------------------------------------------===//
// Layers
//===----------------------------------------------------------------------===//

/// y = x W (+ b). GPT-2's Conv1D stores W as [in, out]; nn.Linear as
/// [out, in] and computes x W^T. PyTorch runs addmm as one cuBLAS call with
/// the bias as epilogue: the bias broadcast and the GEMM are one kernel.
Value ModelImporter::linear(StringRef name, Value x, int64_t in, int64_t out,
                            bool bias) {
  int64_t m = shapeOf(x)[0];
  Value weight = gpt2 ? e.addArgument({in, out}) : e.addArgument({out, in});
  if (!bias)
    return e.matmul(name, x, weight, false, !gpt2, e.getZeros(name, {m, out}));
  Value biasValue = e.addArgument({out});
  Emitter::GroupScope group(e, name, KernelKind::contraction);
  Value init = e.copy(
      (name + ".bias").str(), biasValue,
      AffineMap::get(2, 0, {b.getAffineDimExpr(1)}, e.getContext()), {m, out});
  return e.matmul(name, x, weight, false, !gpt2, init);
}

/// dX = dY W^T (dgrad), dW = X^T dY (wgrad), db = column sums of dY, and
/// the accumulation of dW and db into the parameters' .grad.
Value ModelImporter::linearBackward(StringRef name, Value dy, Value x,
                                    int64_t in, int64_t out, bool bias) {
  int64_t m = shapeOf(dy)[0];
  std::string base = getBackwardName(name);
  Value weight = gpt2 ? e.addArgument({in, out}) : e.addArgument({out, in});
  Value dx = e.matmul(base + ".dgrad", dy, weight, false, gpt2,
                      e.getZeros(base + ".dgrad", {m, in}));
  Value dw = gpt2 ? e.matmul(base + ".wgrad", x, dy, true, false,
                             e.getZeros(base + ".wgrad", {in, out}))
                  : e.matmul(base + ".wgrad", dy, x, true, false,
                             e.getZeros(base + ".wgrad", {out, in}));
  accumulate(base + ".wgrad", dw);
  if (bias) {
    Value db = e.reduce(base + ".bgrad", {dy}, {m, out}, {true, false}, 1,
                        [](OpBuilder &b, Location loc, ValueRange a) {
                          return SmallVector<Value>{add(b, loc, a)};
                        })[0];
    accumulate(base + ".bgrad", db);
  }
  return dx;
}

/// param.grad += grad: AccumulateGrad's add when the step runs with
/// gradients from an earlier backward in place.
Value ModelImporter::accumulate(StringRef name, Value grad) {
  Value previous = e.addArgument(shapeOf(grad));
  Value sum =
      e.map((name + ".accumulate").str(), {previous, grad}, shapeOf(grad), add);
  e.carry(previous, sum);
  return sum;
}

/// One layer-norm kernel over rows of `x` ([rows, H]), optionally with the
/// residual add fused in front of it (BERT's fused runs).
Value ModelImporter::layerNorm(StringRef name, Value x, Value residual) {
  SmallVector<int64_t> shape = shapeOf(x);
  int64_t width = shape.back();
  Value gamma = e.addArgument({width});
  Value beta = e.addArgument({width});
  // Inside an enclosing fused kernel (BERT's fused embeddings) the layer
  // norm joins it.
  Emitter::GroupScope group(e, name, KernelKind::layernorm, !e.isGroupOpen());
  if (residual)
    x = e.map((name + ".residual").str(), {x, residual}, shape, add);
  AffineMap rowMap = getRowsMap(e.getContext());
  double inverseWidth = 1.0 / width;
  Value sum = e.reduce((name + ".sum").str(), {x}, shape, {false, true}, 1,
                       [](OpBuilder &b, Location loc, ValueRange a) {
                         return SmallVector<Value>{add(b, loc, a)};
                       })[0];
  Value squares = e.reduce(
      (name + ".var").str(), {x, sum}, shape, {false, true}, 1,
      [&](OpBuilder &b, Location loc, ValueRange a) {
        Value mean =
            arith::MulFOp::create(b, loc, a[1], constant(b, loc, inverseWidth));
        Value centred = arith::SubFOp::create(b, loc, a[0], mean);
        Value square = arith::MulFOp::create(b, loc, centred, centred);
        return SmallVector<Value>{arith::AddFOp::create(b, loc, a[2], square)};
      },
      {AffineMap(), rowMap})[0];
  return e.map(
      (name + ".normalize").str(), {x, sum, squares, gamma, beta}, shape,
      [&](OpBuilder &b, Location loc, ValueRange a) -> Value {
        Value mean =
            arith::MulFOp::create(b, loc, a[1], constant(b, loc, inverseWidth));
        Value variance =
            arith::MulFOp::create(b, loc, a[2], constant(b, loc, inverseWidth));
        Value rstd = math::RsqrtOp::create(
            b, loc,
            arith::AddFOp::create(b, loc, variance,
                                  constant(b, loc, kLayerNormEpsilon)));
        Value normalized = arith::MulFOp::create(
            b, loc, arith::SubFOp::create(b, loc, a[0], mean), rstd);
        return arith::AddFOp::create(
            b, loc, arith::MulFOp::create(b, loc, normalized, a[3]), a[4]);
      },
      {AffineMap(), rowMap, rowMap});
}

/// layer_norm_backward: one kernel for dX (two row sums, then the
/// normalisation), one for dgamma and dbeta (column sums), and their
/// accumulation.
Value ModelImporter::layerNormBackward(StringRef name, Value dy) {
  SmallVector<int64_t> shape = shapeOf(dy);
  int64_t rows = shape[0], width = shape[1];
  std::string base = getBackwardName(name);
  Value x = e.addArgument(shape);
  Value mean = e.addArgument({rows});
  Value rstd = e.addArgument({rows});
  Value gamma = e.addArgument({width});
  AffineMap rowMap = getRowsMap(e.getContext());
  auto normalized = [](OpBuilder &b, Location loc, Value x, Value mean,
                       Value rstd) -> Value {
    return arith::MulFOp::create(b, loc, arith::SubFOp::create(b, loc, x, mean),
                                 rstd);
  };
  Value dx;
  {
    Emitter::GroupScope group(e, base, KernelKind::layernorm);
    SmallVector<Value> sums = e.reduce(
        base + ".sums", {dy, x, mean, rstd, gamma}, shape, {false, true}, 2,
        [&](OpBuilder &b, Location loc, ValueRange a) {
          Value scaled = arith::MulFOp::create(b, loc, a[0], a[4]);
          Value xhat = normalized(b, loc, a[1], a[2], a[3]);
          return SmallVector<Value>{
              arith::AddFOp::create(b, loc, a[5], scaled),
              arith::AddFOp::create(
                  b, loc, a[6], arith::MulFOp::create(b, loc, scaled, xhat))};
        },
        {AffineMap(), AffineMap(), rowMap, rowMap});
    double inverseWidth = 1.0 / width;
    dx =
        e.map(base + ".dx", {dy, x, mean, rstd, gamma, sums[0], sums[1]}, shape,
              [&](OpBuilder &b, Location loc, ValueRange a) -> Value {
                Value scaled = arith::MulFOp::create(b, loc, a[0], a[4]);
                Value xhat = normalized(b, loc, a[1], a[2], a[3]);
                Value meanTerm = arith::MulFOp::create(
                    b, loc, a[5], constant(b, loc, inverseWidth));
                Value projTerm = arith::MulFOp::create(
                    b, loc, xhat,
                    arith::MulFOp::create(b, loc, a[6],
                                          constant(b, loc, inverseWidth)));
                Value inner = arith::SubFOp::create(
                    b, loc, arith::SubFOp::create(b, loc, scaled, meanTerm),
                    projTerm);
                return arith::MulFOp::create(b, loc, inner, a[3]);
              },
              {AffineMap(), AffineMap(), rowMap, rowMap, AffineMap(), rowMap,
               rowMap});
  }
  SmallVector<Value> paramGrads = e.reduce(
      base + ".dgamma_dbeta", {dy, x, mean, rstd}, shape, {true, false}, 2,
      [&](OpBuilder &b, Location loc, ValueRange a) {
        Value xhat = normalized(b, loc, a[1], a[2], a[3]);
        return SmallVector<Value>{
            arith::AddFOp::create(b, loc, a[4],
                                  arith::MulFOp::create(b, loc, a[0], xhat)),
            arith::AddFOp::create(b, loc, a[5], a[0])};
      },
      {AffineMap(), AffineMap(), rowMap, rowMap});
  accumulate(base + ".dgamma", paramGrads[0]);
  accumulate(base + ".dbeta", paramGrads[1]);
  return dx;
}

/// Training-mode dropout: one fused kernel writing the result and the mask.
/// With probability 0 PyTorch returns the input and launches nothing
/// (at::dropout), forward and backward, so nothing is written.
Value ModelImporter::dropout(StringRef name, Value x, double probability) {
  if (probability == 0.0)
    return x;
  SmallVector<int64_t> shape = shapeOf(x);
  unsigned rank = shape.size();
  double scale = 1.0 / (1.0 - probability);
  return e.mapResults(name, {x}, shape, {e.getF32(), b.getI1Type()},
                      [&](OpBuilder &b, Location loc, ValueRange a) {
                        Value keep = getDropoutKeep(b, loc, rank, probability);
                        Value scaled = arith::MulFOp::create(
                            b, loc, a[0], constant(b, loc, scale));
                        Value result = arith::SelectOp::create(
                            b, loc, keep, scaled, constant(b, loc, 0.0));
                        return SmallVector<Value>{result, keep};
                      })[0];
}

Value ModelImporter::dropoutBackward(StringRef name, Value dy,
                                     double probability) {
  if (probability == 0.0)
    return dy;
  SmallVector<int64_t> shape = shapeOf(dy);
  Value mask = e.addArgument(shape, b.getI1Type());
  double scale = 1.0 / (1.0 - probability);
  return e.map(getBackwardName(name), {dy, mask}, shape,
               [&](OpBuilder &b, Location loc, ValueRange a) -> Value {
                 Value scaled = arith::MulFOp::create(b, loc, a[0],
                                                      constant(b, loc, scale));
                 return arith::SelectOp::create(b, loc, a[1], scaled,
                                                constant(b, loc, 0.0));
               });
}

/// The MLP activation. gelu_new is eight tensor ops in Hugging Face's
/// NewGELUActivation, so eight kernels in eager mode and one fused kernel in
/// the `-fusion` runs.
Value ModelImporter::activation(StringRef name, Value x) {
  SmallVector<int64_t> shape = shapeOf(x);
  std::string base = name.str();
  switch (c.activation) {
  case Activation::Relu:
    return e.map(base + ".relu", {x}, shape,
                 [](OpBuilder &b, Location loc, ValueRange a) -> Value {
                   return arith::MaximumFOp::create(b, loc, a[0],
                                                    constant(b, loc, 0.0));
                 });
  case Activation::Gelu:
    return e.map(
        base + ".gelu", {x}, shape,
        [](OpBuilder &b, Location loc, ValueRange a) -> Value {
          Value erf = math::ErfOp::create(
              b, loc,
              arith::MulFOp::create(b, loc, a[0], constant(b, loc, M_SQRT1_2)));
          Value half =
              arith::MulFOp::create(b, loc, a[0], constant(b, loc, 0.5));
          return arith::MulFOp::create(
              b, loc, half,
              arith::AddFOp::create(b, loc, erf, constant(b, loc, 1.0)));
        });
  case Activation::GeluTanh: {
    Emitter::GroupScope group(e, base + ".gelu", KernelKind::elementwise,
                              o.fused);
    Value half = e.map(base + ".gelu.mul", {x}, shape, scaleBy(0.5));
    Value cube = e.map(base + ".gelu.pow", {x}, shape,
                       [](OpBuilder &b, Location loc, ValueRange a) -> Value {
                         return math::PowFOp::create(b, loc, a[0],
                                                     constant(b, loc, 3.0));
                       });
    Value cubic =
        e.map(base + ".gelu.mul_1", {cube}, shape, scaleBy(kGeluTanhCubic));
    Value inner = e.map(base + ".gelu.add", {x, cubic}, shape, add);
    Value scaled =
        e.map(base + ".gelu.mul_2", {inner}, shape, scaleBy(kGeluTanhScale));
    Value tanh = e.map(base + ".gelu.tanh", {scaled}, shape,
                       [](OpBuilder &b, Location loc, ValueRange a) -> Value {
                         return math::TanhOp::create(b, loc, a[0]);
                       });
    Value onePlus = e.map(
        base + ".gelu.add_1", {tanh}, shape,
        [](OpBuilder &b, Location loc, ValueRange a) -> Value {
          return arith::AddFOp::create(b, loc, a[0], constant(b, loc, 1.0));
        });
    return e.map(base + ".gelu.mul_3", {half, onePlus}, shape, mul);
  }
  }
  llvm_unreachable("unknown activation");
}

/// The activation's gradient as autograd runs it: threshold_backward or
/// gelu_backward (one kernel each), or the backward of gelu_new's eight ops
/// (eleven kernels: two for the product, tanh_backward, three scalings,
/// three for pow's x^2 rule, and two adds where x's three uses meet).
Value ModelImporter::activationBackward(StringRef name, Value dy) {
  SmallVector<int64_t> shape = shapeOf(dy);
  std::string base = getBackwardName(name);
  Value x = e.addArgument(shape);
  switch (c.activation) {
  case Activation::Relu:
    return e.map(base + ".relu", {dy, x}, shape,
                 [](OpBuilder &b, Location loc, ValueRange a) -> Value {
                   Value positive =
                       arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT,
                                             a[1], constant(b, loc, 0.0));
                   return arith::SelectOp::create(b, loc, positive, a[0],
                                                  constant(b, loc, 0.0));
                 });
  case Activation::Gelu:
    return e.map(
        base + ".gelu", {dy, x}, shape,
        [](OpBuilder &b, Location loc, ValueRange a) -> Value {
          // d/dx [x Phi(x)] = Phi(x) + x phi(x).
          Value cdf = arith::MulFOp::create(
              b, loc, constant(b, loc, 0.5),
              arith::AddFOp::create(
                  b, loc, constant(b, loc, 1.0),
                  math::ErfOp::create(
                      b, loc,
                      arith::MulFOp::create(b, loc, a[1],
                                            constant(b, loc, M_SQRT1_2)))));
          Value pdf = arith::MulFOp::create(
              b, loc, constant(b, loc, 0.3989422804014327),
              math::ExpOp::create(
                  b, loc,
                  arith::MulFOp::create(
                      b, loc, constant(b, loc, -0.5),
                      arith::MulFOp::create(b, loc, a[1], a[1]))));
          Value slope = arith::AddFOp::create(
              b, loc, cdf, arith::MulFOp::create(b, loc, a[1], pdf));
          return arith::MulFOp::create(b, loc, a[0], slope);
        });
  case Activation::GeluTanh: {
    // Saved by autograd: 0.5 x, 1 + tanh(.), tanh(.).
    Value half = e.addArgument(shape);
    Value onePlus = e.addArgument(shape);
    Value tanh = e.addArgument(shape);
    Value dHalf = e.map(base + ".gelu.mul_3.lhs", {dy, onePlus}, shape, mul);
    Value dOnePlus = e.map(base + ".gelu.mul_3.rhs", {dy, half}, shape, mul);
    Value dScaled = e.map(
        base + ".gelu.tanh", {dOnePlus, tanh}, shape,
        [](OpBuilder &b, Location loc, ValueRange a) -> Value {
          Value square = arith::MulFOp::create(b, loc, a[1], a[1]);
          return arith::MulFOp::create(
              b, loc, a[0],
              arith::SubFOp::create(b, loc, constant(b, loc, 1.0), square));
        });
    Value dInner =
        e.map(base + ".gelu.mul_2", {dScaled}, shape, scaleBy(kGeluTanhScale));
    Value dCube =
        e.map(base + ".gelu.mul_1", {dInner}, shape, scaleBy(kGeluTanhCubic));
    Value square = e.map(base + ".gelu.pow.square", {x}, shape,
                         [](OpBuilder &b, Location loc, ValueRange a) -> Value {
                           return math::PowFOp::create(b, loc, a[0],
                                                       constant(b, loc, 2.0));
                         });
    Value slope =
        e.map(base + ".gelu.pow.scale", {square}, shape, scaleBy(3.0));
    Value dxCube = e.map(base + ".gelu.pow.mul", {dCube, slope}, shape, mul);
    Value dxHalf = e.map(base + ".gelu.mul", {dHalf}, shape, scaleBy(0.5));
    Value sum = e.map(base + ".gelu.grad_sum", {dInner, dxCube}, shape, add);
    return e.map(base + ".gelu.grad_sum_1", {sum, dxHalf}, shape, add);
  }
  }
  llvm_unreachable("unknown activation");
}

Value ModelImporter::addResidual(StringRef name, Value x, Value y) {
  return e.map(name, {x, y}, shapeOf(x), add);
}

//===----------------------------------------------------------------------===//
// Attention
//===----------------------------------------------------------------------===//

/// The copy torch.matmul (GPT-2, BERT) or .contiguous() (OPT) makes of one
/// head-split projection: [B, S, (3,) NH, D] read through a permutation into
/// [B, NH, S, D], or [B, NH, D, S] for a transposed key. `slot` picks q, k or
/// v out of GPT-2's fused [B, S, 3, NH, D] projection.
Value ModelImporter::headCopy(StringRef name, Value source, bool transposed,
                              std::optional<int64_t> slot) {
  AffineExpr bd = b.getAffineDimExpr(0), n = b.getAffineDimExpr(1);
  AffineExpr s = b.getAffineDimExpr(transposed ? 3 : 2);
  AffineExpr d = b.getAffineDimExpr(transposed ? 2 : 3);
  SmallVector<AffineExpr> results = {bd, s};
  if (slot)
    results.push_back(b.getAffineConstantExpr(*slot));
  results.append({n, d});
  AffineMap map = AffineMap::get(4, 0, results, e.getContext());
  SmallVector<int64_t> shape = transposed ? SmallVector<int64_t>{B, NH, D, S}
                                          : SmallVector<int64_t>{B, NH, S, D};
  return e.copy(name, source, map, shape);
}

Value ModelImporter::attention(Value x, StringRef prefix, Value kv,
                               Value bias) {
  auto n = [&](StringRef suffix) { return (prefix + suffix).str(); };
  // T5 (Switch): keys and values from `kv` (cross-attention: the encoder
  // output), no projection biases, no 1/sqrt(d) scaling, and the position
  // bias (relative positions plus mask) added to the scores.
  if (!kv)
    kv = x;
  int64_t inner = NH * D;
  // Projections and the head-split copies.
  Value q, k, v;
  if (gpt2) {
    Value qkv = e.reshape(linear(n(".qkv"), x, H, 3 * inner), {B, S, 3, NH, D});
    q = headCopy(n(".heads.q"), qkv, false, 0);
    k = headCopy(n(".heads.k"), qkv, true, 1);
    v = headCopy(n(".heads.v"), qkv, false, 2);
  } else {
    Value qProj = linear(n(".q"), x, H, inner, !sw);
    if (opt)
      qProj = e.map(n(".q.scale"), {qProj}, {T, inner},
                    scaleBy(1.0 / std::sqrt(double(D))));
    Value kProj = linear(n(".k"), kv, H, inner, !sw);
    Value vProj = linear(n(".v"), kv, H, inner, !sw);
    q = headCopy(n(".heads.q"), e.reshape(qProj, {B, S, NH, D}), false, {});
    k = headCopy(n(".heads.k"), e.reshape(kProj, {B, S, NH, D}), bert || sw,
                 {});
    v = headCopy(n(".heads.v"), e.reshape(vProj, {B, S, NH, D}), false, {});
  }
  int64_t groups = B * NH;
  Value q3 = e.reshape(q, {groups, S, D});
  Value v3 = e.reshape(v, {groups, S, D});
  // OPT multiplies by the un-transposed key (bmm takes it transposed).
  Value scores =
      opt ? e.batchMatmul(n(".scores"), q3, e.reshape(k, {groups, S, D}), false,
                          true, e.getZeros(n(".scores"), {groups, S, S}))
          : e.batchMatmul(n(".scores"), q3, e.reshape(k, {groups, D, S}), false,
                          false, e.getZeros(n(".scores"), {groups, S, S}));
  SmallVector<int64_t> scoreShape = {B, NH, S, S};
  Value probs;
  {
    // The fused runs compute scale, mask and softmax in one kernel. BERT's
    // fused trace shows it; GPT-2's lists the scale and the `where` as nodes
    // of their own, but its measured fused runs on the A100 40GB (a training
    // GPU) save 10.9-12.6% of the unfused time, which one kernel explains
    // (predicted 12.0%) and three do not (6.1%); see docs/e2e.md.
    Emitter::GroupScope group(e, n(".softmax"), KernelKind::softmax,
                              o.fused && (bert || gpt2));
    Value s4 = e.reshape(scores, scoreShape);
    if (!opt && !sw)
      s4 = e.map(n(".scale"), {s4}, scoreShape,
                 scaleBy(1.0 / std::sqrt(double(D))));
    if (sw) {
      s4 = e.map(n(".position_bias"), {s4, bias}, scoreShape, add);
    } else if (gpt2) {
      Value causal = e.addArgument({S, S}, b.getI1Type());
      s4 = e.map(n(".mask"), {causal, s4}, scoreShape,
                 [](OpBuilder &b, Location loc, ValueRange a) -> Value {
                   return arith::SelectOp::create(b, loc, a[0], a[1],
                                                  constant(b, loc, kFloatMin));
                 });
    } else {
      Value mask =
          bert ? e.addArgument({B, 1, 1, S}) : e.addArgument({B, 1, S, S});
      s4 = e.map(n(".mask"), {s4, mask}, scoreShape, add);
    }
    probs = e.softmax(n(".softmax"), s4);
  }
  if (training)
    probs = dropout(n(".dropout"), probs, c.attentionDropout);
  Value context =
      e.batchMatmul(n(".context"), e.reshape(probs, {groups, S, S}), v3, false,
                    false, e.getZeros(n(".context"), {groups, S, D}));
  // [B, NH, S, D] -> [B, S, NH, D]: the merge copy (.contiguous()/reshape).
  AffineMap merge = AffineMap::getPermutationMap(ArrayRef<unsigned>{0, 2, 1, 3},
                                                 e.getContext());
  Value merged = e.copy(n(".merge_heads"), e.reshape(context, {B, NH, S, D}),
                        merge, {B, S, NH, D});
  Value out = linear(n(".out"), e.reshape(merged, {T, inner}), inner, H, !sw);
  if (training)
    out = dropout(n(".resid_dropout"), out, c.residualDropout);
  return out;
}

Value ModelImporter::attentionBackward(Value dy, StringRef prefix, bool cross) {
  auto n = [&](StringRef suffix) { return (prefix + suffix).str(); };
  auto bn = [&](StringRef suffix) { return getBackwardName(prefix + suffix); };
  int64_t inner = NH * D;
  int64_t groups = B * NH;
  if (training)
    dy = dropoutBackward(n(".resid_dropout"), dy, c.residualDropout);
  Value merged = e.addArgument({T, inner});
  Value dMerged = linearBackward(n(".out"), dy, merged, inner, H, !sw);
  // Merge copy backward: back to [B, NH, S, D].
  AffineMap split = AffineMap::getPermutationMap(ArrayRef<unsigned>{0, 2, 1, 3},
                                                 e.getContext());
  Value dContext = e.copy(bn(".merge_heads"), e.reshape(dMerged, {B, S, NH, D}),
                          split, {B, NH, S, D});
  Value dc3 = e.reshape(dContext, {groups, S, D});
  Value probs = e.addArgument({groups, S, S});
  Value v3 = e.addArgument({groups, S, D});
  Value dProbs =
      e.batchMatmul(bn(".context.dprobs"), dc3, v3, false, true,
                    e.getZeros(bn(".context.dprobs"), {groups, S, S}));
  Value dv3 = e.batchMatmul(bn(".context.dv"), probs, dc3, true, false,
                            e.getZeros(bn(".context.dv"), {groups, S, D}));
  SmallVector<int64_t> scoreShape = {B, NH, S, S};
  Value dp4 = e.reshape(dProbs, scoreShape);
  if (training)
    dp4 = dropoutBackward(n(".dropout"), dp4, c.attentionDropout);
  Value dScores = softmaxBackward(bn(".softmax"), dp4);
  if (gpt2) {
    Value causal = e.addArgument({S, S}, b.getI1Type());
    dScores = e.map(bn(".mask"), {causal, dScores}, scoreShape,
                    [](OpBuilder &b, Location loc, ValueRange a) -> Value {
                      return arith::SelectOp::create(b, loc, a[0], a[1],
                                                     constant(b, loc, 0.0));
                    });
  }
  // The relative position bias is a parameter: every self-attention layer's
  // score gradient is accumulated into the bias computed before layer 0.
  if (sw && !cross)
    accumulate(getBackwardName(prefix + ".position_bias"), dScores);
  if (!opt && !sw)
    dScores = e.map(bn(".scale"), {dScores}, scoreShape,
                    scaleBy(1.0 / std::sqrt(double(D))));
  Value ds3 = e.reshape(dScores, {groups, S, S});
  Value q3 = e.addArgument({groups, S, D});
  Value dq3, dk;
  if (opt) {
    Value k3 = e.addArgument({groups, S, D});
    dq3 = e.batchMatmul(bn(".scores.dq"), ds3, k3, false, false,
                        e.getZeros(bn(".scores.dq"), {groups, S, D}));
    dk = e.batchMatmul(bn(".scores.dk"), ds3, q3, true, false,
                       e.getZeros(bn(".scores.dk"), {groups, S, D}));
  } else {
    Value kT3 = e.addArgument({groups, D, S});
    dq3 = e.batchMatmul(bn(".scores.dq"), ds3, kT3, false, true,
                        e.getZeros(bn(".scores.dq"), {groups, S, D}));
    dk = e.batchMatmul(bn(".scores.dk"), q3, ds3, true, false,
                       e.getZeros(bn(".scores.dk"), {groups, D, S}));
  }
  // Head copies backward: each gradient back to [B, S, NH, D].
  bool kTransposed = !opt;
  auto unsplit = [&](StringRef name, Value grad, bool transposed,
                     ArrayRef<int64_t> shape) {
    // Loops over the destination [B, S, (1,) NH, D].
    unsigned rank = shape.size();
    AffineExpr bd = b.getAffineDimExpr(0), s = b.getAffineDimExpr(1);
    AffineExpr n = b.getAffineDimExpr(rank - 2),
               d = b.getAffineDimExpr(rank - 1);
    AffineMap map =
        AffineMap::get(rank, 0,
                       transposed ? SmallVector<AffineExpr>{bd, n, d, s}
                                  : SmallVector<AffineExpr>{bd, n, s, d},
                       e.getContext());
    return e.copy(name, grad, map, shape);
  };
  Value dq4 = e.reshape(dq3, {B, NH, S, D});
  Value dk4 =
      kTransposed ? e.reshape(dk, {B, NH, D, S}) : e.reshape(dk, {B, NH, S, D});
  Value dv4 = e.reshape(dv3, {B, NH, S, D});
  Value x = e.addArgument({T, H});
  if (gpt2) {
    SmallVector<int64_t> slotShape = {B, S, 1, NH, D};
    Value dq = unsplit(bn(".heads.q"), dq4, false, slotShape);
    Value dkSlot = unsplit(bn(".heads.k"), dk4, true, slotShape);
    Value dv = unsplit(bn(".heads.v"), dv4, false, slotShape);
    // split's backward concatenates the three gradients.
    Value dqkv = tensor::ConcatOp::create(b, loc(bn(".qkv.concat")), 2,
                                          ValueRange{dq, dkSlot, dv});
    return linearBackward(n(".qkv"), e.reshape(dqkv, {T, 3 * inner}), x, H,
                          3 * inner);
  }
  SmallVector<int64_t> headShape = {B, S, NH, D};
  Value dq =
      e.reshape(unsplit(bn(".heads.q"), dq4, false, headShape), {T, inner});
  Value dkProj = e.reshape(unsplit(bn(".heads.k"), dk4, kTransposed, headShape),
                           {T, inner});
  Value dvProj =
      e.reshape(unsplit(bn(".heads.v"), dv4, false, headShape), {T, inner});
  if (opt)
    dq = e.map(bn(".q.scale"), {dq}, {T, inner},
               scaleBy(1.0 / std::sqrt(double(D))));
  Value dxQ = linearBackward(n(".q"), dq, x, H, inner, !sw);
  Value kv = cross ? e.addArgument({T, H}) : x;
  Value dxK = linearBackward(n(".k"), dkProj, kv, H, inner, !sw);
  Value dxV = linearBackward(n(".v"), dvProj, kv, H, inner, !sw);
  if (cross) {
    // Keys and values come from the encoder output: their gradients meet
    // there, accumulated over the decoder layers.
    Value dkv = e.map(bn(".kv_grad_sum"), {dxK, dxV}, {T, H}, add);
    accumulate(bn(".encoder_grad"), dkv);
    return dxQ;
  }
  // The input's three uses meet: two accumulating adds.
  Value sum = e.map(bn(".grad_sum"), {dxQ, dxK}, {T, H}, add);
  return e.map(bn(".grad_sum_1"), {sum, dxV}, {T, H}, add);
}

//===----------------------------------------------------------------------===//
// Blocks
//===----------------------------------------------------------------------===//

Value ModelImporter::block(Value x) {
  if (bert) {
    // Post-LN: x = LN(x + attn(x)); x = LN(x + mlp(x)).
    Value attn = attention(x);
    Value h = o.fused
                  ? layerNorm("ln_attn", attn, x)
                  : layerNorm("ln_attn", addResidual("attn.residual", x, attn));
    Value up = activation("mlp", linear("mlp.fc", h, H, F));
    Value down = linear("mlp.proj", up, F, H);
    if (training)
      down = dropout("mlp.dropout", down, c.residualDropout);
    return o.fused ? layerNorm("ln_mlp", down, h)
                   : layerNorm("ln_mlp", addResidual("mlp.residual", h, down));
  }
  // Pre-LN (GPT-2, OPT): x = x + attn(LN(x)); x = x + mlp(LN(x)).
  Value h = addResidual("attn.residual", x, attention(layerNorm("ln_1", x)));
  Value up = activation("mlp", linear("mlp.fc", layerNorm("ln_2", h), H, F));
  Value down = linear("mlp.proj", up, F, H);
  if (training)
    down = dropout("mlp.dropout", down, c.residualDropout);
  return addResidual("mlp.residual", h, down);
}

Value ModelImporter::blockBackward(Value dy) {
  if (bert) {
    Value dh2 = layerNormBackward("ln_mlp", dy);
    Value dDown =
        training ? dropoutBackward("mlp.dropout", dh2, c.residualDropout) : dh2;
    Value up = e.addArgument({T, F});
    Value dUp = linearBackward("mlp.proj", dDown, up, F, H);
    Value dFc = activationBackward("mlp", dUp);
    Value h = e.addArgument({T, H});
    Value dh = linearBackward("mlp.fc", dFc, h, H, F);
    dh = e.map(getBackwardName("mlp.residual"), {dh, dh2}, {T, H}, add);
    Value dAttnIn = layerNormBackward("ln_attn", dh);
    Value dx = attentionBackward(dAttnIn);
    return e.map(getBackwardName("attn.residual"), {dx, dAttnIn}, {T, H}, add);
  }
  Value dDown =
      training ? dropoutBackward("mlp.dropout", dy, c.residualDropout) : dy;
  Value up = e.addArgument({T, F});
  Value dUp = linearBackward("mlp.proj", dDown, up, F, H);
  Value dFc = activationBackward("mlp", dUp);
  Value normed = e.addArgument({T, H});
  Value dNormed = linearBackward("mlp.fc", dFc, normed, H, F);
  Value dh = e.map(getBackwardName("mlp.residual"),
                   {layerNormBackward("ln_2", dNormed), dy}, {T, H}, add);
  Value dAttn = attentionBackward(dh);
  return e.map(getBackwardName("attn.residual"),
               {layerNormBackward("ln_1", dAttn), dh}, {T, H}, add);
}

func::FuncOp ModelImporter::buildBlockFunction(bool backward) {
  std::string name = prefix() + (backward ? "_block_backward" : "_block");
  func::FuncOp fn = e.beginFunction(module, name);
  Value x = e.addArgument({T, H});
  e.endFunction(backward ? blockBackward(x) : block(x));
  return fn;
}

//===----------------------------------------------------------------------===//
// Embeddings and heads
//===----------------------------------------------------------------------===//

Value ModelImporter::embeddings() {
  Type i64 = b.getI64Type();
  Value ids = e.addArgument({T}, i64);
  Value positions = e.addArgument({S}, i64);
  if (gpt2) {
    Value words = e.gather("emb.wte", e.addArgument({V, H}), ids);
    Value pos =
        e.gather("emb.wpe", e.addArgument({c.maxPositions, H}), positions);
    Value sum =
        e.map("emb.add", {e.reshape(words, {B, S, H}), pos}, {B, S, H}, add);
    Value h = e.reshape(sum, {T, H});
    return training ? dropout("emb.dropout", h, c.embeddingDropout) : h;
  }
  if (opt) {
    // Positions from the attention mask: cumsum, mask, offset (three small
    // kernels on [B, S]), then the learned-position lookup.
    Value mask = e.addArgument({B, S});
    Value cumsum = e.reduce(
        "emb.positions.cumsum", {mask}, {B, S, S}, {false, false, true}, 1,
        inclusivePrefixSum,
        {AffineMap::get(3, 0, {b.getAffineDimExpr(0), b.getAffineDimExpr(2)},
                        e.getContext())})[0];
    Value masked = e.map("emb.positions.mask", {cumsum, mask}, {B, S}, mul);
    // (cumsum * mask) - 1 + 2: OPT's learned positions start at row 2.
    Value offset = e.mapResults(
        "emb.positions.offset", {masked}, {B, S}, {i64},
        [&](OpBuilder &b, Location loc, ValueRange a) {
          Value shifted =
              arith::AddFOp::create(b, loc, a[0], constant(b, loc, 1.0));
          return SmallVector<Value>{
              arith::FPToSIOp::create(b, loc, b.getI64Type(), shifted)};
        })[0];
    Value words = e.gather("emb.tokens", e.addArgument({V, H}), ids);
    Value pos =
        e.gather("emb.positions", e.addArgument({c.maxPositions + 2, H}),
                 e.reshape(offset, {T}));
    Value h = e.map("emb.add", {words, pos}, {T, H}, add);
    return training ? dropout("emb.dropout", h, c.embeddingDropout) : h;
  }
  // BERT: words + token types + positions, layer norm; the extended
  // attention mask (1 - mask) * min is two small kernels.
  Value mask = e.addArgument({B, 1, 1, S});
  {
    Emitter::GroupScope group(e, "emb.mask", KernelKind::elementwise, o.fused);
    Value inverted = e.map("emb.mask.sub", {mask}, {B, 1, 1, S},
                           [](OpBuilder &b, Location loc, ValueRange a) {
                             return sub(b, loc, {constant(b, loc, 1.0), a[0]});
                           });
    e.map("emb.mask.mul", {inverted}, {B, 1, 1, S}, scaleBy(kFloatMin));
  }
  Value words = e.gather("emb.words", e.addArgument({V, H}), ids);
  Value types =
      e.gather("emb.token_types", e.addArgument({c.typeVocabSize, H}), ids);
  Value h;
  {
    // Fused runs gather the positions, add and normalise in one kernel.
    Emitter::GroupScope group(e, "emb.ln", KernelKind::layernorm, o.fused);
    Value pos = e.gather("emb.positions", e.addArgument({c.maxPositions, H}),
                         positions);
    Value sum = e.map("emb.add", {words, types}, {T, H}, add);
    Value withPos =
        e.map("emb.add_1", {e.reshape(sum, {B, S, H}), pos}, {B, S, H}, add);
    h = layerNorm("emb.ln", e.reshape(withPos, {T, H}));
  }
  return training ? dropout("emb.dropout", h, c.embeddingDropout) : h;
}

/// Embedding gradients: dropout's and the position broadcast's backward,
/// then per table a zero-filled gradient (the memset of
/// embedding_dense_backward) accumulated into .grad. The index sort and
/// scatter kernels of embedding_dense_backward are not modelled (docs/e2e.md).
Value ModelImporter::embeddingsBackward(Value dy) {
  if (training)
    dy = dropoutBackward("emb.dropout", dy, c.embeddingDropout);
  if (bert)
    dy = layerNormBackward("emb.ln", dy);
  // GPT-2's and BERT's position embeddings, one row per position, were
  // broadcast over the batch: their gradient sums it (one reduction
  // kernel). OPT's positions are gathered per token, so nothing is summed.
  auto sumOverBatch = [&](StringRef name) {
    e.reduce(name, {e.reshape(dy, {B, S, H})}, {B, S, H}, {true, false, false},
             1, [](OpBuilder &b, Location loc, ValueRange a) {
               return SmallVector<Value>{add(b, loc, a)};
             });
  };
  SmallVector<std::pair<StringRef, int64_t>> tables;
  if (gpt2) {
    sumOverBatch(getBackwardName("emb.wpe.batch_sum"));
    tables = {{"wte", V}, {"wpe", c.maxPositions}};
  } else if (opt) {
    tables = {{"tokens", V}, {"positions", c.maxPositions + 2}};
  } else {
    sumOverBatch(getBackwardName("emb.positions.batch_sum"));
    tables = {{"words", V},
              {"token_types", c.typeVocabSize},
              {"positions", c.maxPositions}};
  }
  Value last;
  for (auto [name, rows] : tables)
    last = embeddingGrad(("emb." + name).str(), rows);
  return last;
}

/// The model's output head; returns the logits.
Value ModelImporter::head(Value h) {
  if (bert) {
    // Pooler on the first token (a strided view that addmm reads in place:
    // one kernel with the GEMM), tanh, and the head NeuSight traced:
    // a 2-way classifier for inference, the pre-training heads for training.
    Value first = e.addArgument({B, H});
    Value pooled = linear("pooler", first, H, H);
    pooled = e.map("pooler.tanh", {pooled}, {B, H},
                   [](OpBuilder &b, Location loc, ValueRange a) -> Value {
                     return math::TanhOp::create(b, loc, a[0]);
                   });
    if (!training)
      return linear("classifier", pooled, H, 2);
    linear("cls.seq_relationship", pooled, H, 2);
    Value t = activation("cls.transform", linear("cls.transform", h, H, H));
    t = layerNorm("cls.ln", t);
    return linear("cls.decoder", t, H, V);
  }
  Value normed = layerNorm("ln_f", h);
  Value logits = linear("lm_head", normed, H, V, /*bias=*/false);
  if (opt)
    logits = e.copy("lm_head.contiguous", logits, b.getMultiDimIdentityMap(2),
                    {T, V});
  return logits;
}

/// Backward of the head from the logits' gradient (an argument: the loss is
/// not part of the measured step).
Value ModelImporter::headBackward() {
  Value dLogits = e.addArgument({T, V});
  if (bert) {
    Value t = e.addArgument({T, H});
    Value dt = linearBackward("cls.decoder", dLogits, t, H, V);
    dt = layerNormBackward("cls.ln", dt);
    dt = activationBackward("cls.transform", dt);
    Value h = e.addArgument({T, H});
    Value dh = linearBackward("cls.transform", dt, h, H, H);
    Value dSeq = e.addArgument({B, 2});
    Value pooled = e.addArgument({B, H});
    Value dPooled = linearBackward("cls.seq_relationship", dSeq, pooled, H, 2);
    dPooled = e.map(
        getBackwardName("pooler.tanh"), {dPooled, pooled}, {B, H},
        [](OpBuilder &b, Location loc, ValueRange a) -> Value {
          Value square = arith::MulFOp::create(b, loc, a[1], a[1]);
          return arith::MulFOp::create(
              b, loc, a[0],
              arith::SubFOp::create(b, loc, constant(b, loc, 1.0), square));
        });
    Value first = e.addArgument({B, H});
    Value dFirst = linearBackward("pooler", dPooled, first, H, H);
    // select_backward: the first token's gradient into a zero [B, S, H].
    Value dSelect = e.map(
        getBackwardName("pooler.select"), {dFirst}, {B, S, H},
        [](OpBuilder &b, Location loc, ValueRange a) -> Value {
          Value s = linalg::IndexOp::create(b, loc, 1);
          Value zeroIndex = arith::ConstantIndexOp::create(b, loc, 0);
          Value isFirst = arith::CmpIOp::create(
              b, loc, arith::CmpIPredicate::eq, s, zeroIndex);
          return arith::SelectOp::create(b, loc, isFirst, a[0],
                                         constant(b, loc, 0.0));
        },
        {AffineMap::get(3, 0, {b.getAffineDimExpr(0), b.getAffineDimExpr(2)},
                        e.getContext())});
    return e.map(getBackwardName("pooler.grad_sum"),
                 {e.reshape(dSelect, {T, H}), dh}, {T, H}, add);
  }
  Value normed = e.addArgument({T, H});
  Value dNormed = linearBackward("lm_head", dLogits, normed, H, V, false);
  return layerNormBackward("ln_f", dNormed);
}

//===----------------------------------------------------------------------===//
// Switch Transformers
//===----------------------------------------------------------------------===//
//
// The T5-style encoder-decoder of Hugging Face's SwitchTransformers as
// NeuSight traced it (opgraphs/switchxl4-*.csv): RMS layer norms of six eager
// kernels, attention without 1/sqrt(d) scaling plus a position bias computed
// once before the first layer, and on every sparse_step-th layer (the second
// of each group) a top-1 mixture of experts whose experts each run on a
// buffer of expert_capacity x batch tokens.

/// Rows of an expert's buffer: expert_capacity tokens per sequence, and no
/// more than there are tokens.
int64_t ModelImporter::getCapacityRows() const {
  return std::min(c.expertCapacity * B, T);
}

/// Layer-norm epsilon of models/switchxl4.json (layer_norm_epsilon: 1e-6).
static constexpr double kRmsNormEpsilon = 1e-6;
/// Rows of the relative-attention bias table
/// (relative_attention_num_buckets in models/switchxl4.json, also the
/// Hugging Face default). The gather reads seq x seq rows whatever its size.
static constexpr int64_t kRelativeBuckets = 32;

/// Hugging Face's rule for which layers are sparse
/// (SwitchTransformersStack: `i % sparse_step == 1 or sparse_step == 1`).
static bool isSparseLayer(int64_t layer, int64_t sparseStep) {
  return sparseStep == 1 || layer % sparseStep == 1;
}

/// T5LayerNorm in eager mode: pow, mean, add eps, rsqrt, mul, mul by the
/// weight (six kernels; no mean subtraction, no bias).
Value ModelImporter::rmsNorm(StringRef name, Value x) {
  SmallVector<int64_t> shape = shapeOf(x);
  int64_t rows = shape[0], width = shape[1];
  std::string base = name.str();
  AffineMap rowMap = getRowsMap(e.getContext());
  Value weight = e.addArgument({width});
  Value squares = e.map(base + ".pow", {x}, shape,
                        [](OpBuilder &b, Location loc, ValueRange a) -> Value {
                          return arith::MulFOp::create(b, loc, a[0], a[0]);
                        });
  double inverseWidth = 1.0 / width;
  Value mean = e.reduce(
      base + ".mean", {squares}, shape, {false, true}, 1,
      [&](OpBuilder &b, Location loc, ValueRange a) {
        Value term =
            arith::MulFOp::create(b, loc, a[0], constant(b, loc, inverseWidth));
        return SmallVector<Value>{arith::AddFOp::create(b, loc, a[1], term)};
      })[0];
  Value shifted = e.map(base + ".add_eps", {mean}, {rows},
                        [](OpBuilder &b, Location loc, ValueRange a) -> Value {
                          return arith::AddFOp::create(
                              b, loc, a[0], constant(b, loc, kRmsNormEpsilon));
                        });
  Value rstd = e.map(base + ".rsqrt", {shifted}, {rows},
                     [](OpBuilder &b, Location loc, ValueRange a) -> Value {
                       return math::RsqrtOp::create(b, loc, a[0]);
                     });
  Value normalized =
      e.map(base + ".mul", {x, rstd}, shape, mul, {AffineMap(), rowMap});
  return e.map(base + ".weight", {weight, normalized}, shape, mul);
}

/// The autograd kernels of the six ops above: the weight's two products (the
/// weight gradient as a column sum), rstd's product rule (a map and a row
/// sum), rsqrt's and mean's backward, pow's three kernels (x^1, x2, times
/// the gradient), and the sum where x's two uses meet.
Value ModelImporter::rmsNormBackward(StringRef name, Value dy) {
  SmallVector<int64_t> shape = shapeOf(dy);
  int64_t rows = shape[0], width = shape[1];
  std::string base = getBackwardName(name);
  AffineMap rowMap = getRowsMap(e.getContext());
  Value x = e.addArgument(shape);
  Value rstd = e.addArgument({rows});
  Value normalized = e.addArgument(shape);
  Value weight = e.addArgument({width});
  Value dNormalized = e.map(base + ".weight", {dy, weight}, shape, mul);
  Value dWeight = e.reduce(base + ".weight_grad", {dy, normalized}, shape,
                           {true, false}, 1, sumOfProducts)[0];
  accumulate(base + ".weight_grad", dWeight);
  Value dxDirect = e.map(base + ".mul", {dNormalized, rstd}, shape, mul,
                         {AffineMap(), rowMap});
  Value dRstd = e.reduce(base + ".mul.rstd_grad", {dNormalized, x}, shape,
                         {false, true}, 1, sumOfProducts)[0];
  // d rsqrt(v) = -1/2 rsqrt(v)^3.
  Value dMean =
      e.map(base + ".rsqrt", {dRstd, rstd}, {rows},
            [](OpBuilder &b, Location loc, ValueRange a) -> Value {
              Value cube = arith::MulFOp::create(
                  b, loc, a[1], arith::MulFOp::create(b, loc, a[1], a[1]));
              return arith::MulFOp::create(
                  b, loc, arith::MulFOp::create(b, loc, a[0], cube),
                  constant(b, loc, -0.5));
            });
  Value dSquares =
      e.map(base + ".mean", {dMean}, shape, scaleBy(1.0 / width), {rowMap});
  Value linearTerm =
      e.map(base + ".pow", {x}, shape,
            [](OpBuilder &b, Location loc, ValueRange a) -> Value {
              return math::PowFOp::create(b, loc, a[0], constant(b, loc, 1.0));
            });
  Value slope = e.map(base + ".pow.scale", {linearTerm}, shape, scaleBy(2.0));
  Value dxSquares = e.map(base + ".pow.mul", {dSquares, slope}, shape, mul);
  return e.map(base + ".grad_sum", {dxDirect, dxSquares}, shape, add);
}

/// The position bias every attention layer of a stack adds to its scores:
/// the bucket of each (query, key) offset, the bias table's rows for them,
/// and the mask added (layer 0's `position_bias + mask`). Eager PyTorch
/// computes the buckets with many small [seq, seq] kernels (offsets, abs or
/// min, log, divisions, comparisons, casts, where: about 17 per stack in
/// opgraphs/switchxl4-inf-512-1.csv, counting the `misc` rows that launch);
/// they are one kernel here. Each is launch-bound, so the launches left out
/// are about 16 x 2 x 27.6 us = 0.9 ms of the 223 ms measured (A100-40GB,
/// switchxl4-inf-512-1). The payload clamps
/// the offset instead of spacing the buckets logarithmically: the values change
/// no kernel's time.
Value ModelImporter::positionBias(StringRef name, bool bidirectional,
                                  Value mask) {
  std::string base = name.str();
  int64_t half = kRelativeBuckets / 2;
  Value buckets = e.mapResults(
      base + ".buckets", {}, {S, S}, {b.getI64Type()},
      [&](OpBuilder &b, Location loc, ValueRange) {
        Type i64 = b.getI64Type();
        auto index = [&](unsigned dim) -> Value {
          return arith::IndexCastOp::create(
              b, loc, i64, linalg::IndexOp::create(b, loc, dim));
        };
        auto i64Constant = [&](int64_t value) -> Value {
          return arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(value));
        };
        // Key position minus query position (causal: its negation).
        Value offset = bidirectional
                           ? arith::SubIOp::create(b, loc, index(1), index(0))
                           : arith::SubIOp::create(b, loc, index(0), index(1));
        Value low = i64Constant(bidirectional ? -half : 0);
        Value high =
            i64Constant(bidirectional ? half - 1 : kRelativeBuckets - 1);
        Value clamped = arith::MinSIOp::create(
            b, loc, arith::MaxSIOp::create(b, loc, offset, low), high);
        return SmallVector<Value>{
            bidirectional
                ? arith::AddIOp::create(b, loc, clamped, i64Constant(half))
                : clamped};
      })[0];
  Value table = e.addArgument({kRelativeBuckets, NH});
  Value rows =
      e.gather(base + ".embedding", table, e.reshape(buckets, {S * S}));
  // permute(2, 0, 1) read in place by the add.
  AffineMap permuted = AffineMap::get(
      4, 0,
      {b.getAffineDimExpr(2), b.getAffineDimExpr(3), b.getAffineDimExpr(1)},
      e.getContext());
  return e.map(base + ".mask", {e.reshape(rows, {S, S, NH}), mask},
               {B, NH, S, S}, add, {permuted, AffineMap()});
}

/// The extended attention mask: (1 - mask) x float min.
Value ModelImporter::extendMask(StringRef name, Value mask) {
  return e.map(name, {mask}, shapeOf(mask),
               [](OpBuilder &b, Location loc, ValueRange a) -> Value {
                 Value inverted =
                     arith::SubFOp::create(b, loc, constant(b, loc, 1.0), a[0]);
                 return arith::MulFOp::create(b, loc, inverted,
                                              constant(b, loc, kFloatMin));
               });
}

Value ModelImporter::denseMlp(StringRef name, Value x) {
  std::string base = name.str();
  Value up = activation(base, linear(base + ".wi", x, H, F, false));
  if (training)
    up = dropout(base + ".act_dropout", up, c.activationDropout);
  return linear(base + ".wo", up, F, H, false);
}

Value ModelImporter::denseMlpBackward(StringRef name, Value dy) {
  std::string base = name.str();
  int64_t rows = shapeOf(dy)[0];
  Value up = e.addArgument({rows, F});
  Value dUp = linearBackward(base + ".wo", dy, up, F, H, false);
  if (training)
    dUp = dropoutBackward(base + ".act_dropout", dUp, c.activationDropout);
  Value dAct = activationBackward(base, dUp);
  Value x = e.addArgument({rows, H});
  return linearBackward(base + ".wi", dAct, x, H, F, false);
}

/// Top-1 routing (SwitchTransformersTop1Router, router_type tokens_masked)
/// and the experts, as NeuSight's traced implementation runs them: router
/// GEMM, softmax, the top probability and its one-hot mask, the capacity
/// mask from a cumulative sum over the tokens, a clone of the input; then per
/// expert the mask's column, its count, the routed rows gathered into a
/// buffer of expert_capacity x batch rows (or as many as there are tokens,
/// if fewer), the expert's two GEMMs on the whole buffer (the opgraph's
/// (64, 1024, 16384) at batch 1, (128, ...) at batch 2), and the rows
/// written back where the routing took them; last the scaling by the router
/// probability. Boolean indexing also synchronises with the host (nonzero);
/// that wait is not a kernel and is not modelled.
Value ModelImporter::sparseMlp(StringRef name, Value x) {
  std::string base = name.str();
  int64_t experts = c.numExperts;
  int64_t capacityRows = getCapacityRows();
  AffineMap rowMap = getRowsMap(e.getContext());
  Value logits = linear(base + ".router", x, H, experts, false);
  Value probs = e.softmax(base + ".router.softmax", logits);
  Value top =
      e.reduce(base + ".router.max", {probs}, {T, experts}, {false, true}, 1,
               [](OpBuilder &b, Location loc, ValueRange a) {
                 return SmallVector<Value>{
                     arith::MaximumFOp::create(b, loc, a[0], a[1])};
               })[0];
  Value oneHot = e.map(base + ".router.one_hot", {probs, top}, {T, experts},
                       [](OpBuilder &b, Location loc, ValueRange a) -> Value {
                         Value isTop = arith::CmpFOp::create(
                             b, loc, arith::CmpFPredicate::OEQ, a[0], a[1]);
                         return arith::SelectOp::create(b, loc, isTop,
                                                        constant(b, loc, 1.0),
                                                        constant(b, loc, 0.0));
                       },
                       {AffineMap(), rowMap});
  // Position of each token in its expert's queue: cumsum over the sequence.
  Value cumsum = e.reduce(
      base + ".router.cumsum", {e.reshape(oneHot, {B, S, experts})},
      {B, S, S, experts}, {false, false, true, false}, 1, inclusivePrefixSum,
      {AffineMap::get(
          4, 0,
          {b.getAffineDimExpr(0), b.getAffineDimExpr(2), b.getAffineDimExpr(3)},
          e.getContext())})[0];
  double capacity = static_cast<double>(c.expertCapacity);
  Value routerMask = e.map(
      base + ".router.capacity_mask", {oneHot, e.reshape(cumsum, {T, experts})},
      {T, experts}, [&](OpBuilder &b, Location loc, ValueRange a) -> Value {
        Value fits = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLE,
                                           a[1], constant(b, loc, capacity));
        return arith::SelectOp::create(b, loc, fits, a[0],
                                       constant(b, loc, 0.0));
      });
  AffineMap identity = b.getMultiDimIdentityMap(2);
  Value next = e.copy(base + ".clone", x, identity, {T, H});
  for (int64_t i = 0; i < experts; ++i) {
    std::string expert = base + ".expert" + std::to_string(i);
    Value column =
        e.copy(expert + ".mask", routerMask,
               AffineMap::get(
                   2, 0, {b.getAffineDimExpr(1), b.getAffineConstantExpr(i)},
                   e.getContext()),
               {1, T});
    // The tokens routed to the expert, added to the count of the layers
    // before (the load-balancing statistics): a count carried from layer to
    // layer, as a gradient is.
    Value previousCount = e.addArgument({1});
    Value count = e.generic(
        expert + ".count", {column}, {identity}, {1, T},
        {utils::IteratorType::parallel, utils::IteratorType::reduction},
        {rowMap}, {previousCount},
        [](OpBuilder &b, Location loc, ValueRange a) {
          Value routed = arith::CmpFOp::create(
              b, loc, arith::CmpFPredicate::ONE, a[0], constant(b, loc, 0.0));
          Value one = arith::SelectOp::create(
              b, loc, routed, constant(b, loc, 1.0), constant(b, loc, 0.0));
          return SmallVector<Value>{arith::AddFOp::create(b, loc, a[1], one)};
        })[0];
    e.carry(previousCount, count);
    // hidden[mask]: the routed rows (their positions come from nonzero).
    Value positions = e.addArgument({capacityRows}, b.getI64Type());
    Value routed = e.gather(expert + ".gather", x, positions);
    Value buffer =
        e.copy(expert + ".dispatch", routed, identity, {capacityRows, H});
    Value out = denseMlp(expert, buffer);
    Value taken = e.copy(expert + ".slice", out, identity, {capacityRows, H});
    // next_states[mask] = ...: an index_put of the buffer's rows, where the
    // routing put them.
    next = e.insertRows(expert + ".combine", taken, next, e.addIndexArgument());
  }
  return e.map(base + ".scale", {top, next}, {T, H}, mul,
               {rowMap, AffineMap()});
}

/// Softmax backward over the last dimension (_softmax_backward_data: one
/// kernel, dx = y (dy - sum(dy y))), for attention scores and the router.
Value ModelImporter::softmaxBackward(StringRef name, Value dy) {
  SmallVector<int64_t> shape = shapeOf(dy);
  unsigned rank = shape.size();
  Value y = e.addArgument(shape);
  Emitter::GroupScope group(e, name, KernelKind::softmax);
  SmallVector<bool> reduced(rank, false);
  reduced.back() = true;
  Value dot = e.reduce((name + ".dot").str(), {dy, y}, shape, reduced, 1,
                       sumOfProducts)[0];
  // The row sums broadcast back along the softmax dimension (the last).
  AffineMap rowMap = AffineMap::getMultiDimIdentityMap(rank, e.getContext())
                         .dropResult(rank - 1);
  return e.map((name + ".dx").str(), {dy, y, dot}, shape,
               [](OpBuilder &b, Location loc, ValueRange a) -> Value {
                 return arith::MulFOp::create(
                     b, loc, a[1], arith::SubFOp::create(b, loc, a[0], a[2]));
               },
               {AffineMap(), AffineMap(), rowMap});
}

/// Backward of the sparse MLP: the scaling's two products, per expert (in
/// reverse) the index_put's backward (the routed rows of the gradient
/// gathered, the overwritten rows zeroed), the slice's, the expert's GEMMs
/// and ReLU, the dispatch copy's, and the routed rows scattered and added
/// into the input's gradient; then the router: max, softmax and GEMM
/// backward. The one-hot and capacity masks carry no gradient.
Value ModelImporter::sparseMlpBackward(StringRef name, Value dy) {
  std::string base = getBackwardName(name);
  int64_t experts = c.numExperts;
  int64_t capacityRows = getCapacityRows();
  AffineMap rowMap = getRowsMap(e.getContext());
  AffineMap identity = b.getMultiDimIdentityMap(2);
  Value top = e.addArgument({T});
  Value next = e.addArgument({T, H});
  Value dNext =
      e.map(base + ".scale", {dy, top}, {T, H}, mul, {AffineMap(), rowMap});
  Value dTop = e.reduce(base + ".scale.probs_grad", {dy, next}, {T, H},
                        {false, true}, 1, sumOfProducts)[0];
  // The routed rows' gradients, added to the clone's after the experts.
  SmallVector<std::pair<std::string, Value>> scatteredGrads;
  for (int64_t i = experts - 1; i >= 0; --i) {
    std::string expertName = (name + ".expert" + std::to_string(i)).str();
    std::string expert = getBackwardName(expertName);
    Value positions = e.addArgument({capacityRows}, b.getI64Type());
    Value keep = e.addArgument({T}, b.getI1Type());
    Value dTaken = e.gather(expert + ".combine", dNext, positions);
    dNext = e.map(expert + ".combine.mask", {dNext, keep}, {T, H},
                  [](OpBuilder &b, Location loc, ValueRange a) -> Value {
                    return arith::SelectOp::create(b, loc, a[1], a[0],
                                                   constant(b, loc, 0.0));
                  },
                  {AffineMap(), rowMap});
    Value dOut = e.copy(expert + ".slice", dTaken, identity, {capacityRows, H});
    Value dBuffer = denseMlpBackward(expertName, dOut);
    Value dRouted =
        e.copy(expert + ".dispatch", dBuffer, identity, {capacityRows, H});
    // hidden[mask]'s backward: the rows into a zero gradient, then the add
    // where the input's uses meet.
    Value scattered =
        e.insertRows(expert + ".gather", dRouted, e.addArgument({T, H}));
    scatteredGrads.emplace_back(expert + ".grad_sum", scattered);
  }
  // The clone passes through the gradient left after every index_put zeroed
  // its rows; the routed rows' gradients add to it where the input's uses
  // meet.
  Value dx = dNext;
  for (auto &[sumName, scattered] : scatteredGrads)
    dx = e.map(sumName, {dx, scattered}, {T, H}, add);
  Value probs = e.addArgument({T, experts});
  Value dProbs = e.map(base + ".router.max", {dTop, probs}, {T, experts}, mul,
                       {rowMap, AffineMap()});
  Value dLogits = softmaxBackward(base + ".router.softmax", dProbs);
  Value x = e.addArgument({T, H});
  Value dxRouter =
      linearBackward(name.str() + ".router", dLogits, x, H, experts, false);
  return e.map(base + ".grad_sum", {dx, dxRouter}, {T, H}, add);
}

/// One layer of a stack: self-attention, cross-attention (decoder), MLP,
/// each behind an RMS norm and added to the residual stream.
Value ModelImporter::switchLayer(int64_t layer, bool sparse, bool decoder,
                                 Value x, Value encoder, Value selfBias,
                                 Value crossBias) {
  std::string l = "layer" + std::to_string(layer);
  Value attn = attention(rmsNorm(l + ".self_attn.norm", x), l + ".self_attn",
                         {}, selfBias);
  Value h = addResidual(l + ".self_attn.residual", x, attn);
  if (decoder) {
    Value cross = attention(rmsNorm(l + ".cross_attn.norm", h),
                            l + ".cross_attn", encoder, crossBias);
    h = addResidual(l + ".cross_attn.residual", h, cross);
  }
  Value normed = rmsNorm(l + ".mlp.norm", h);
  Value y =
      sparse ? sparseMlp(l + ".moe", normed) : denseMlp(l + ".mlp", normed);
  if (training)
    y = dropout(l + ".mlp.dropout", y, c.residualDropout);
  return addResidual(l + ".mlp.residual", h, y);
}

Value ModelImporter::switchLayerBackward(int64_t layer, bool sparse,
                                         bool decoder, Value dy) {
  std::string l = "layer" + std::to_string(layer);
  Value dy2 = training
                  ? dropoutBackward(l + ".mlp.dropout", dy, c.residualDropout)
                  : dy;
  Value dNormed = sparse ? sparseMlpBackward(l + ".moe", dy2)
                         : denseMlpBackward(l + ".mlp", dy2);
  Value dh =
      e.map(getBackwardName(l + ".mlp.residual"),
            {rmsNormBackward(l + ".mlp.norm", dNormed), dy}, {T, H}, add);
  if (decoder) {
    Value dCross = attentionBackward(dh, l + ".cross_attn", /*cross=*/true);
    dh = e.map(getBackwardName(l + ".cross_attn.residual"),
               {rmsNormBackward(l + ".cross_attn.norm", dCross), dh}, {T, H},
               add);
  }
  Value dSelf = attentionBackward(dh, l + ".self_attn", /*cross=*/false);
  return e.map(getBackwardName(l + ".self_attn.residual"),
               {rmsNormBackward(l + ".self_attn.norm", dSelf), dh}, {T, H},
               add);
}

/// One function per period of the sparse pattern: sparse_step layers (one
/// sparse, or all when the step is 1), called num_layers / sparse_step times
/// from one scf.for. Two functions (dense, sparse) would need the loop to
/// alternate calls; a period keeps one call per iteration and the loop's
/// trip count exact.
func::FuncOp ModelImporter::buildSwitchStackFunction(bool decoder,
                                                     bool backward) {
  int64_t step = decoder ? c.decoderSparseStep : c.encoderSparseStep;
  std::string name = prefix() +
                     (decoder ? "_decoder_layers" : "_encoder_layers") +
                     (backward ? "_backward" : "");
  func::FuncOp fn = e.beginFunction(module, name);
  Value x = e.addArgument({T, H});
  if (backward) {
    for (int64_t layer = step - 1; layer >= 0; --layer)
      x = switchLayerBackward(layer, isSparseLayer(layer, step), decoder, x);
  } else {
    Value encoder = decoder ? e.addArgument({T, H}) : Value();
    Value selfBias = e.addArgument({B, NH, S, S});
    Value crossBias = decoder ? e.addArgument({B, NH, S, S}) : Value();
    for (int64_t layer = 0; layer < step; ++layer)
      x = switchLayer(layer, isSparseLayer(layer, step), decoder, x, encoder,
                      selfBias, crossBias);
  }
  e.endFunction(x);
  return fn;
}

/// A table's gradient: the zero-filled gradient of embedding_dense_backward
/// accumulated into .grad.
Value ModelImporter::embeddingGrad(StringRef name, int64_t rows) {
  std::string base = getBackwardName(name);
  Location l = loc(base + ".zero");
  Value zero = arith::ConstantOp::create(b, l, b.getF32FloatAttr(0.0f));
  Value grad = linalg::FillOp::create(b, l, zero, e.getEmpty(base, {rows, H}))
                   .getResult(0);
  return accumulate(base, grad);
}

/// Encoder (embedding, mask, position bias, layers, final norm), decoder
/// (embedding, causal and cross masks, position biases, layers, final norm)
/// and the tied LM head, whose input is scaled by d_model^-0.5; training
/// adds the backward of all of it. The router's auxiliary and z losses after
/// the head (about ten kernels on [1, 6144, 4]) are not modelled: each is a
/// launch on under 100 KiB.
void ModelImporter::buildSwitchEntry(func::FuncOp encoderFn,
                                     func::FuncOp decoderFn,
                                     func::FuncOp encoderBackwardFn,
                                     func::FuncOp decoderBackwardFn) {
  std::string name = prefix() + (training ? "_train_step" : "_forward");
  e.beginFunction(module, name);
  Type i64 = b.getI64Type();
  int64_t encoderCalls = c.numLayers / c.encoderSparseStep;
  int64_t decoderCalls = c.numDecoderLayers / c.decoderSparseStep;
  // Encoder.
  Value ids = e.addArgument({T}, i64);
  Value mask = e.addArgument({B, 1, 1, S});
  Value h = e.gather("encoder.embed", e.addArgument({V, H}), ids);
  Value encoderMask = extendMask("encoder.mask", mask);
  if (training)
    h = dropout("encoder.dropout", h, c.embeddingDropout);
  Value encoderBias = positionBias("encoder.position_bias",
                                   /*bidirectional=*/true, encoderMask);
  SmallVector<Value> encoderArgs = {encoderBias};
  encoderArgs.append(mirrorArguments(encoderFn, 2));
  h = callBlocks("encoder.layers", encoderFn, h, encoderArgs, encoderCalls);
  Value encoded = rmsNorm("encoder.final_norm", h);
  if (training)
    encoded = dropout("encoder.final_dropout", encoded, c.residualDropout);
  // Decoder.
  Value decoderIds = e.addArgument({T}, i64);
  Value causal = e.addArgument({B, 1, S, S});
  Value decoderMask = e.addArgument({B, 1, 1, S});
  Value y = e.gather("decoder.embed", e.addArgument({V, H}), decoderIds);
  Value padded =
      e.map("decoder.mask.padding", {causal, decoderMask}, {B, 1, S, S}, mul);
  Value selfMask = extendMask("decoder.mask", padded);
  Value crossMask = extendMask("decoder.cross_mask", mask);
  if (training)
    y = dropout("decoder.dropout", y, c.embeddingDropout);
  Value selfBias =
      positionBias("decoder.position_bias", /*bidirectional=*/false, selfMask);
  // The cross-attention's bias: zeros plus the mask, once, in layer 0.
  Value crossBias =
      e.map("decoder.cross_bias", {crossMask}, {B, NH, S, S},
            [](OpBuilder &b, Location loc, ValueRange a) -> Value {
              return arith::AddFOp::create(b, loc, a[0], constant(b, loc, 0.0));
            });
  SmallVector<Value> decoderArgs = {encoded, selfBias, crossBias};
  decoderArgs.append(mirrorArguments(decoderFn, 4));
  y = callBlocks("decoder.layers", decoderFn, y, decoderArgs, decoderCalls);
  y = rmsNorm("decoder.final_norm", y);
  if (training)
    y = dropout("decoder.final_dropout", y, c.residualDropout);
  y = e.map("lm_head.scale", {y}, {T, H},
            scaleBy(1.0 / std::sqrt(static_cast<double>(H))));
  Value logits = linear("lm_head", y, H, V, /*bias=*/false);
  if (!training) {
    e.endFunction(logits);
    return;
  }
  Value dLogits = e.addArgument({T, V});
  Value dy = linearBackward("lm_head", dLogits, e.addArgument({T, H}), H, V,
                            /*bias=*/false);
  dy = e.map(getBackwardName("lm_head.scale"), {dy}, {T, H},
             scaleBy(1.0 / std::sqrt(static_cast<double>(H))));
  dy = dropoutBackward("decoder.final_dropout", dy, c.residualDropout);
  dy = rmsNormBackward("decoder.final_norm", dy);
  dy = callBlocks("decoder.layers.backward", decoderBackwardFn, dy,
                  mirrorArguments(decoderBackwardFn, 1), decoderCalls);
  dy = dropoutBackward("decoder.dropout", dy, c.embeddingDropout);
  embeddingGrad("decoder.embed", V);
  // The encoder output's gradient, accumulated by the cross-attentions.
  Value dEncoded = dropoutBackward("encoder.final_dropout",
                                   e.addArgument({T, H}), c.residualDropout);
  dEncoded = rmsNormBackward("encoder.final_norm", dEncoded);
  dEncoded = callBlocks("encoder.layers.backward", encoderBackwardFn, dEncoded,
                        mirrorArguments(encoderBackwardFn, 1), encoderCalls);
  dropoutBackward("encoder.dropout", dEncoded, c.embeddingDropout);
  e.endFunction(embeddingGrad("encoder.embed", V));
}

//===----------------------------------------------------------------------===//
// Entry function
//===----------------------------------------------------------------------===//

/// An scf.for over the layers calling `fn` once per layer. Every iteration
/// passes the same parameter and saved-activation tensors: their values do
/// not change any kernel's time. Parameters shared by every layer collect
/// every layer's gradient, so the loop carries `fn`'s accumulated gradients
/// from one iteration into the next (the .grad before the step comes in as
/// an entry argument, in `extraArgs`); it also carries `fn`'s other results,
/// so that the kernels behind them stay live.
Value ModelImporter::callBlocks(StringRef name, func::FuncOp fn, Value x,
                                ArrayRef<Value> extraArgs, int64_t calls) {
  Location l = loc(name);
  Value lower = arith::ConstantIndexOp::create(b, l, 0);
  Value upper = arith::ConstantIndexOp::create(b, l, calls);
  Value step = arith::ConstantIndexOp::create(b, l, 1);
  // Argument 0 of `fn` is `x`; extraArgs[i] is its argument i + 1.
  ArrayRef<unsigned> carriedArgs = e.getCarriedArguments(fn);
  SmallVector<Value> inits = {x};
  for (unsigned number : carriedArgs)
    inits.push_back(extraArgs[number - 1]);
  for (Type type : fn.getResultTypes().drop_front(1 + carriedArgs.size())) {
    auto shaped = cast<ShapedType>(type);
    inits.push_back(e.addArgument(shaped.getShape(), shaped.getElementType()));
  }
  auto loop = scf::ForOp::create(
      b, l, lower, upper, step, inits,
      [&](OpBuilder &nested, Location bodyLoc, Value, ValueRange carried) {
        SmallVector<Value> operands = {carried[0]};
        operands.append(extraArgs.begin(), extraArgs.end());
        for (auto [i, number] : llvm::enumerate(carriedArgs))
          operands[number] = carried[1 + i];
        auto call = func::CallOp::create(nested, bodyLoc, fn, operands);
        scf::YieldOp::create(nested, bodyLoc, call.getResults());
      });
  return loop.getResult(0);
}

/// Entry-function arguments of the types of `fn`'s arguments after the
/// first `skip`.
SmallVector<Value> ModelImporter::mirrorArguments(func::FuncOp fn,
                                                  unsigned skip) {
  SmallVector<Value> args;
  for (Type type : fn.getArgumentTypes().drop_front(skip)) {
    auto shaped = dyn_cast<ShapedType>(type);
    args.push_back(
        shaped ? e.addArgument(shaped.getShape(), shaped.getElementType())
               : e.addIndexArgument());
  }
  return args;
}

void ModelImporter::buildEntry(func::FuncOp blockFn,
                               func::FuncOp blockBackwardFn) {
  std::string name = prefix() + (training ? "_train_step" : "_forward");
  e.beginFunction(module, name);
  Value h = embeddings();
  h = callBlocks("layers", blockFn, h, mirrorArguments(blockFn, 1),
                 c.numLayers);
  Value logits = head(h);
  if (!training) {
    e.endFunction(logits);
    return;
  }
  Value dh = headBackward();
  dh = callBlocks("layers.backward", blockBackwardFn, dh,
                  mirrorArguments(blockBackwardFn, 1), c.numLayers);
  e.endFunction(embeddingsBackward(dh));
}

OwningOpRef<ModuleOp> ModelImporter::build(Location moduleLoc) {
  OwningOpRef<ModuleOp> owned = ModuleOp::create(moduleLoc);
  module = *owned;
  if (sw) {
    func::FuncOp encoderFn = buildSwitchStackFunction(false, false);
    func::FuncOp decoderFn = buildSwitchStackFunction(true, false);
    func::FuncOp encoderBackwardFn, decoderBackwardFn;
    if (training) {
      encoderBackwardFn = buildSwitchStackFunction(false, true);
      decoderBackwardFn = buildSwitchStackFunction(true, true);
    }
    buildSwitchEntry(encoderFn, decoderFn, encoderBackwardFn,
                     decoderBackwardFn);
    return owned;
  }
  func::FuncOp blockFn = buildBlockFunction(/*backward=*/false);
  func::FuncOp blockBackwardFn =
      training ? buildBlockFunction(/*backward=*/true) : func::FuncOp();
  buildEntry(blockFn, blockBackwardFn);
  return owned;
}

FailureOr<OwningOpRef<ModuleOp>>
tilecast::importTransformer(const ModelConfig &config,
                            const ImportOptions &options, Location loc) {
  if (options.batch <= 0 || options.seqLength <= 0)
    return emitError(loc) << "batch (" << options.batch
                          << ") and sequence length (" << options.seqLength
                          << ") must be positive";
  if (options.fused && config.family != ModelFamily::Gpt2 &&
      config.family != ModelFamily::Bert) {
    InFlightDiagnostic diag =
        emitError(loc) << "--fusion has no kernel groups for model_type '"
                       << config.modelType << "'";
    diag.attachNote() << "it marks what NeuSight's fused GPT-2 and BERT runs "
                         "merge; import without --fusion";
    return failure();
  }
  if (config.maxPositions > 0 && options.seqLength > config.maxPositions) {
    InFlightDiagnostic diag = emitError(loc)
                              << "sequence length " << options.seqLength
                              << " exceeds the model's " << config.maxPositions
                              << " position embeddings";
    diag.attachNote() << "the position table's size is the config field '"
                      << (config.family == ModelFamily::Gpt2
                              ? "n_positions"
                              : "max_position_embeddings")
                      << "'; use a shorter --seq";
    return failure();
  }
  // The largest tensors the families build: a layer's attention scores
  // (batch x heads x seq x seq), Switch's router cumsum (batch x seq x seq x
  // experts), the logits (batch x seq x vocab), the MLP's inner activations
  // (batch x seq x d_ff) and Switch's expert buffers (capacity x batch x
  // d_ff). Each must stay within kMaxTensorElements, checked without
  // overflowing.
  auto product = [](std::initializer_list<int64_t> factors) {
    int64_t result = 1;
    for (int64_t factor : factors)
      if (llvm::MulOverflow(result, std::max<int64_t>(factor, 1), result))
        return std::numeric_limits<int64_t>::max();
    return result;
  };
  int64_t B = options.batch, S = options.seqLength;
  int64_t largest = std::max(
      {product({B, config.numHeads, S, S}),
       product({B, S, S, config.numExperts}), product({B, S, config.vocabSize}),
       product({B, S, config.intermediateSize}),
       product({config.expertCapacity, B, config.intermediateSize})});
  if (largest > kMaxTensorElements) {
    InFlightDiagnostic diag = emitError(loc)
                              << "batch " << options.batch << " and sequence "
                              << "length " << options.seqLength
                              << " make tensors of more than 2^48 elements";
    diag.attachNote() << "attention scores have batch x heads x seq x seq "
                         "elements, logits batch x seq x vocab; use a "
                         "smaller --batch or --seq";
    return failure();
  }
  // The largest GEMMs: the MLP's (tokens x hidden x d_ff), Switch's experts'
  // (capacity x batch rows) and the LM head (tokens x hidden x vocab).
  int64_t largestGemm =
      std::max({product({B, S, config.hiddenSize, config.intermediateSize}),
                product({config.expertCapacity, B, config.hiddenSize,
                         config.intermediateSize}),
                product({B, S, config.hiddenSize, config.vocabSize})});
  if (largestGemm > kMaxGemmMultiplyAdds) {
    InFlightDiagnostic diag = emitError(loc)
                              << "batch " << options.batch << " and sequence "
                              << "length " << options.seqLength
                              << " make a GEMM of more than 2^56 "
                                 "multiply-adds";
    diag.attachNote() << "the MLP's GEMMs have batch x seq x hidden size x "
                         "intermediate size multiply-adds, the LM head's "
                         "batch x seq x hidden size x vocab; use a smaller "
                         "--batch or --seq, or check the config's sizes";
    return failure();
  }
  MLIRContext *context = loc.getContext();
  DialectRegistry registry;
  registerImportDialects(registry);
  context->appendDialectRegistry(registry);
  context->loadAllAvailableDialects();
  ModelImporter importer(config, options, context);
  return importer.build(loc);
}
