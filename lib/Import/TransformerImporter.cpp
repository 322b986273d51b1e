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

#include <cmath>

using namespace mlir;
using namespace mlir::tilecast;
using namespace mlir::tilecast::import;

void tilecast::registerImportDialects(DialectRegistry &registry) {
  registry.insert<arith::ArithDialect, func::FuncDialect, linalg::LinalgDialect,
                  math::MathDialect, scf::SCFDialect, tensor::TensorDialect,
                  TilecastDialect>();
}

//===----------------------------------------------------------------------===//
// Scalar payloads
//===----------------------------------------------------------------------===//

/// Dropout probability of every configuration in models/ (attn_pdrop,
/// resid_pdrop, hidden_dropout_prob, dropout: 0.1). It changes no kernel's
/// time; it only makes the payloads compute what PyTorch computes.
static constexpr double kDropoutProbability = 0.1;
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

/// Keeps an element with probability 1 - p from a counter-based hash of its
/// position (PyTorch's fused dropout draws Philox numbers per element).
static Value getDropoutKeep(OpBuilder &b, Location loc, unsigned rank) {
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
          static_cast<uint32_t>(kDropoutProbability * 4294967296.0))));
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
        opt(config.family == ModelFamily::Opt) {
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
  Value dropout(StringRef name, Value x);
  Value dropoutBackward(StringRef name, Value dy);
  Value activation(StringRef name, Value x);
  Value activationBackward(StringRef name, Value dy);
  Value accumulate(StringRef name, Value grad);
  Value addResidual(StringRef name, Value x, Value y);

  // Attention.
  Value attention(Value x);
  Value attentionBackward(Value dy);
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
                   ArrayRef<Value> extraArgs);

  const ModelConfig &c;
  const ImportOptions &o;
  Emitter e;
  OpBuilder &b;
  ModuleOp module;
  bool training, gpt2, bert, opt;
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
  std::string base = ("bw." + name).str();
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
  return e.map((name + ".accumulate").str(), {previous, grad}, shapeOf(grad),
               add);
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
  AffineMap rowMap =
      AffineMap::get(2, 0, {b.getAffineDimExpr(0)}, e.getContext());
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
  std::string base = ("bw." + name).str();
  Value x = e.addArgument(shape);
  Value mean = e.addArgument({rows});
  Value rstd = e.addArgument({rows});
  Value gamma = e.addArgument({width});
  AffineMap rowMap =
      AffineMap::get(2, 0, {b.getAffineDimExpr(0)}, e.getContext());
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
Value ModelImporter::dropout(StringRef name, Value x) {
  SmallVector<int64_t> shape = shapeOf(x);
  unsigned rank = shape.size();
  double scale = 1.0 / (1.0 - kDropoutProbability);
  return e.mapResults(name, {x}, shape, {e.getF32(), b.getI1Type()},
                      [&](OpBuilder &b, Location loc, ValueRange a) {
                        Value keep = getDropoutKeep(b, loc, rank);
                        Value scaled = arith::MulFOp::create(
                            b, loc, a[0], constant(b, loc, scale));
                        Value result = arith::SelectOp::create(
                            b, loc, keep, scaled, constant(b, loc, 0.0));
                        return SmallVector<Value>{result, keep};
                      })[0];
}

Value ModelImporter::dropoutBackward(StringRef name, Value dy) {
  SmallVector<int64_t> shape = shapeOf(dy);
  Value mask = e.addArgument(shape, b.getI1Type());
  double scale = 1.0 / (1.0 - kDropoutProbability);
  return e.map(("bw." + name).str(), {dy, mask}, shape,
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
  std::string base = ("bw." + name).str();
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

Value ModelImporter::attention(Value x) {
  int64_t inner = NH * D;
  // Projections and the head-split copies.
  Value q, k, v;
  if (gpt2) {
    Value qkv =
        e.reshape(linear("attn.qkv", x, H, 3 * inner), {B, S, 3, NH, D});
    q = headCopy("attn.heads.q", qkv, false, 0);
    k = headCopy("attn.heads.k", qkv, true, 1);
    v = headCopy("attn.heads.v", qkv, false, 2);
  } else {
    Value qProj = linear("attn.q", x, H, inner);
    if (opt)
      qProj = e.map("attn.q.scale", {qProj}, {T, inner},
                    scaleBy(1.0 / std::sqrt(double(D))));
    Value kProj = linear("attn.k", x, H, inner);
    Value vProj = linear("attn.v", x, H, inner);
    q = headCopy("attn.heads.q", e.reshape(qProj, {B, S, NH, D}), false, {});
    k = headCopy("attn.heads.k", e.reshape(kProj, {B, S, NH, D}), bert, {});
    v = headCopy("attn.heads.v", e.reshape(vProj, {B, S, NH, D}), false, {});
  }
  int64_t groups = B * NH;
  Value q3 = e.reshape(q, {groups, S, D});
  Value v3 = e.reshape(v, {groups, S, D});
  // OPT multiplies by the un-transposed key (bmm takes it transposed).
  Value scores = opt ? e.batchMatmul("attn.scores", q3,
                                     e.reshape(k, {groups, S, D}), false, true,
                                     e.getZeros("attn.scores", {groups, S, S}))
                     : e.batchMatmul("attn.scores", q3,
                                     e.reshape(k, {groups, D, S}), false, false,
                                     e.getZeros("attn.scores", {groups, S, S}));
  SmallVector<int64_t> scoreShape = {B, NH, S, S};
  Value probs;
  {
    // BERT's fused runs compute scale, mask and softmax in one kernel.
    Emitter::GroupScope group(e, "attn.softmax", KernelKind::softmax,
                              o.fused && bert);
    Value s4 = e.reshape(scores, scoreShape);
    if (!opt)
      s4 = e.map("attn.scale", {s4}, scoreShape,
                 scaleBy(1.0 / std::sqrt(double(D))));
    if (gpt2) {
      Value causal = e.addArgument({S, S}, b.getI1Type());
      s4 = e.map("attn.mask", {causal, s4}, scoreShape,
                 [](OpBuilder &b, Location loc, ValueRange a) -> Value {
                   return arith::SelectOp::create(b, loc, a[0], a[1],
                                                  constant(b, loc, kFloatMin));
                 });
    } else {
      Value mask =
          bert ? e.addArgument({B, 1, 1, S}) : e.addArgument({B, 1, S, S});
      s4 = e.map("attn.mask", {s4, mask}, scoreShape, add);
    }
    probs = e.softmax("attn.softmax", s4);
  }
  if (training)
    probs = dropout("attn.dropout", probs);
  Value context =
      e.batchMatmul("attn.context", e.reshape(probs, {groups, S, S}), v3, false,
                    false, e.getZeros("attn.context", {groups, S, D}));
  // [B, NH, S, D] -> [B, S, NH, D]: the merge copy (.contiguous()/reshape).
  AffineMap merge =
      AffineMap::get(4, 0,
                     {b.getAffineDimExpr(0), b.getAffineDimExpr(2),
                      b.getAffineDimExpr(1), b.getAffineDimExpr(3)},
                     e.getContext());
  Value merged = e.copy("attn.merge_heads", e.reshape(context, {B, NH, S, D}),
                        merge, {B, S, NH, D});
  Value out = linear("attn.out", e.reshape(merged, {T, inner}), inner, H);
  if (training)
    out = dropout("attn.resid_dropout", out);
  return out;
}

Value ModelImporter::attentionBackward(Value dy) {
  int64_t inner = NH * D;
  int64_t groups = B * NH;
  if (training)
    dy = dropoutBackward("attn.resid_dropout", dy);
  Value merged = e.addArgument({T, inner});
  Value dMerged = linearBackward("attn.out", dy, merged, inner, H);
  // Merge copy backward: back to [B, NH, S, D].
  AffineMap split =
      AffineMap::get(4, 0,
                     {b.getAffineDimExpr(0), b.getAffineDimExpr(2),
                      b.getAffineDimExpr(1), b.getAffineDimExpr(3)},
                     e.getContext());
  Value dContext =
      e.copy("bw.attn.merge_heads", e.reshape(dMerged, {B, S, NH, D}), split,
             {B, NH, S, D});
  Value dc3 = e.reshape(dContext, {groups, S, D});
  Value probs = e.addArgument({groups, S, S});
  Value v3 = e.addArgument({groups, S, D});
  Value dProbs =
      e.batchMatmul("bw.attn.context.dprobs", dc3, v3, false, true,
                    e.getZeros("bw.attn.context.dprobs", {groups, S, S}));
  Value dv3 = e.batchMatmul("bw.attn.context.dv", probs, dc3, true, false,
                            e.getZeros("bw.attn.context.dv", {groups, S, D}));
  SmallVector<int64_t> scoreShape = {B, NH, S, S};
  Value dp4 = e.reshape(dProbs, scoreShape);
  if (training)
    dp4 = dropoutBackward("attn.dropout", dp4);
  // _softmax_backward_data: one kernel, dx = y (dy - sum(dy y)).
  Value softmaxOut = e.addArgument(scoreShape);
  Value dScores;
  {
    Emitter::GroupScope group(e, "bw.attn.softmax", KernelKind::softmax);
    Value dot = e.reduce(
        "bw.attn.softmax.dot", {dp4, softmaxOut}, scoreShape,
        {false, false, false, true}, 1,
        [](OpBuilder &b, Location loc, ValueRange a) {
          return SmallVector<Value>{arith::AddFOp::create(
              b, loc, a[2], arith::MulFOp::create(b, loc, a[0], a[1]))};
        })[0];
    AffineMap rowMap = AffineMap::get(
        4, 0,
        {b.getAffineDimExpr(0), b.getAffineDimExpr(1), b.getAffineDimExpr(2)},
        e.getContext());
    dScores =
        e.map("bw.attn.softmax.dx", {dp4, softmaxOut, dot}, scoreShape,
              [](OpBuilder &b, Location loc, ValueRange a) -> Value {
                return arith::MulFOp::create(
                    b, loc, a[1], arith::SubFOp::create(b, loc, a[0], a[2]));
              },
              {AffineMap(), AffineMap(), rowMap});
  }
  if (gpt2) {
    Value causal = e.addArgument({S, S}, b.getI1Type());
    dScores = e.map("bw.attn.mask", {causal, dScores}, scoreShape,
                    [](OpBuilder &b, Location loc, ValueRange a) -> Value {
                      return arith::SelectOp::create(b, loc, a[0], a[1],
                                                     constant(b, loc, 0.0));
                    });
  }
  if (!opt)
    dScores = e.map("bw.attn.scale", {dScores}, scoreShape,
                    scaleBy(1.0 / std::sqrt(double(D))));
  Value ds3 = e.reshape(dScores, {groups, S, S});
  Value q3 = e.addArgument({groups, S, D});
  Value dq3, dk;
  if (opt) {
    Value k3 = e.addArgument({groups, S, D});
    dq3 = e.batchMatmul("bw.attn.scores.dq", ds3, k3, false, false,
                        e.getZeros("bw.attn.scores.dq", {groups, S, D}));
    dk = e.batchMatmul("bw.attn.scores.dk", ds3, q3, true, false,
                       e.getZeros("bw.attn.scores.dk", {groups, S, D}));
  } else {
    Value kT3 = e.addArgument({groups, D, S});
    dq3 = e.batchMatmul("bw.attn.scores.dq", ds3, kT3, false, true,
                        e.getZeros("bw.attn.scores.dq", {groups, S, D}));
    dk = e.batchMatmul("bw.attn.scores.dk", q3, ds3, true, false,
                       e.getZeros("bw.attn.scores.dk", {groups, D, S}));
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
    Value dq = unsplit("bw.attn.heads.q", dq4, false, slotShape);
    Value dkSlot = unsplit("bw.attn.heads.k", dk4, true, slotShape);
    Value dv = unsplit("bw.attn.heads.v", dv4, false, slotShape);
    // split's backward concatenates the three gradients.
    Value dqkv = tensor::ConcatOp::create(b, loc("bw.attn.qkv.concat"), 2,
                                          ValueRange{dq, dkSlot, dv});
    return linearBackward("attn.qkv", e.reshape(dqkv, {T, 3 * inner}), x, H,
                          3 * inner);
  }
  SmallVector<int64_t> headShape = {B, S, NH, D};
  Value dq =
      e.reshape(unsplit("bw.attn.heads.q", dq4, false, headShape), {T, inner});
  Value dkProj = e.reshape(
      unsplit("bw.attn.heads.k", dk4, kTransposed, headShape), {T, inner});
  Value dvProj =
      e.reshape(unsplit("bw.attn.heads.v", dv4, false, headShape), {T, inner});
  if (opt)
    dq = e.map("bw.attn.q.scale", {dq}, {T, inner},
               scaleBy(1.0 / std::sqrt(double(D))));
  Value dxQ = linearBackward("attn.q", dq, x, H, inner);
  Value dxK = linearBackward("attn.k", dkProj, x, H, inner);
  Value dxV = linearBackward("attn.v", dvProj, x, H, inner);
  // The input's three uses meet: two accumulating adds.
  Value sum = e.map("bw.attn.grad_sum", {dxQ, dxK}, {T, H}, add);
  return e.map("bw.attn.grad_sum_1", {sum, dxV}, {T, H}, add);
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
      down = dropout("mlp.dropout", down);
    return o.fused ? layerNorm("ln_mlp", down, h)
                   : layerNorm("ln_mlp", addResidual("mlp.residual", h, down));
  }
  // Pre-LN (GPT-2, OPT): x = x + attn(LN(x)); x = x + mlp(LN(x)).
  Value h = addResidual("attn.residual", x, attention(layerNorm("ln_1", x)));
  Value up = activation("mlp", linear("mlp.fc", layerNorm("ln_2", h), H, F));
  Value down = linear("mlp.proj", up, F, H);
  if (training)
    down = dropout("mlp.dropout", down);
  return addResidual("mlp.residual", h, down);
}

Value ModelImporter::blockBackward(Value dy) {
  if (bert) {
    Value dh2 = layerNormBackward("ln_mlp", dy);
    Value dDown = training ? dropoutBackward("mlp.dropout", dh2) : dh2;
    Value up = e.addArgument({T, F});
    Value dUp = linearBackward("mlp.proj", dDown, up, F, H);
    Value dFc = activationBackward("mlp", dUp);
    Value h = e.addArgument({T, H});
    Value dh = linearBackward("mlp.fc", dFc, h, H, F);
    dh = e.map("bw.mlp.residual", {dh, dh2}, {T, H}, add);
    Value dAttnIn = layerNormBackward("ln_attn", dh);
    Value dx = attentionBackward(dAttnIn);
    return e.map("bw.attn.residual", {dx, dAttnIn}, {T, H}, add);
  }
  Value dDown = training ? dropoutBackward("mlp.dropout", dy) : dy;
  Value up = e.addArgument({T, F});
  Value dUp = linearBackward("mlp.proj", dDown, up, F, H);
  Value dFc = activationBackward("mlp", dUp);
  Value normed = e.addArgument({T, H});
  Value dNormed = linearBackward("mlp.fc", dFc, normed, H, F);
  Value dh = e.map("bw.mlp.residual", {layerNormBackward("ln_2", dNormed), dy},
                   {T, H}, add);
  Value dAttn = attentionBackward(dh);
  return e.map("bw.attn.residual", {layerNormBackward("ln_1", dAttn), dh},
               {T, H}, add);
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
    return training ? dropout("emb.dropout", h) : h;
  }
  if (opt) {
    // Positions from the attention mask: cumsum, mask, offset (three small
    // kernels on [B, S]), then the learned-position lookup.
    Value mask = e.addArgument({B, S});
    Value cumsum = e.reduce(
        "emb.positions.cumsum", {mask}, {B, S, S}, {false, false, true}, 1,
        [](OpBuilder &b, Location loc, ValueRange a) {
          Value i = linalg::IndexOp::create(b, loc, 1);
          Value j = linalg::IndexOp::create(b, loc, 2);
          Value before =
              arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ule, j, i);
          Value term = arith::SelectOp::create(b, loc, before, a[0],
                                               constant(b, loc, 0.0));
          return SmallVector<Value>{arith::AddFOp::create(b, loc, a[1], term)};
        },
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
    return training ? dropout("emb.dropout", h) : h;
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
  return training ? dropout("emb.dropout", h) : h;
}

/// Embedding gradients: dropout's and the position broadcast's backward,
/// then per table a zero-filled gradient (the memset of
/// embedding_dense_backward) accumulated into .grad. The index sort and
/// scatter kernels of embedding_dense_backward are not modelled (docs/e2e.md).
Value ModelImporter::embeddingsBackward(Value dy) {
  if (training)
    dy = dropoutBackward("emb.dropout", dy);
  if (bert)
    dy = layerNormBackward("emb.ln", dy);
  SmallVector<std::pair<StringRef, int64_t>> tables;
  if (gpt2) {
    e.reduce("bw.emb.wpe.batch_sum", {e.reshape(dy, {B, S, H})}, {B, S, H},
             {true, false, false}, 1,
             [](OpBuilder &b, Location loc, ValueRange a) {
               return SmallVector<Value>{add(b, loc, a)};
             });
    tables = {{"wte", V}, {"wpe", c.maxPositions}};
  } else if (opt) {
    tables = {{"tokens", V}, {"positions", c.maxPositions + 2}};
  } else {
    tables = {{"words", V},
              {"token_types", c.typeVocabSize},
              {"positions", c.maxPositions}};
  }
  Value last;
  for (auto [name, rows] : tables) {
    std::string base = ("bw.emb." + name).str();
    Location l = loc(base + ".zero");
    Value zero = arith::ConstantOp::create(b, l, b.getF32FloatAttr(0.0f));
    Value grad = linalg::FillOp::create(b, l, zero, e.getEmpty(base, {rows, H}))
                     .getResult(0);
    last = accumulate(base, grad);
  }
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
        "bw.pooler.tanh", {dPooled, pooled}, {B, H},
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
        "bw.pooler.select", {dFirst}, {B, S, H},
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
    return e.map("bw.pooler.grad_sum", {e.reshape(dSelect, {T, H}), dh}, {T, H},
                 add);
  }
  Value normed = e.addArgument({T, H});
  Value dNormed = linearBackward("lm_head", dLogits, normed, H, V, false);
  return layerNormBackward("ln_f", dNormed);
}

//===----------------------------------------------------------------------===//
// Entry function
//===----------------------------------------------------------------------===//

/// An scf.for over the layers calling `fn` once per layer. Every iteration
/// passes the same parameter and saved-activation tensors: their values do
/// not change any kernel's time.
Value ModelImporter::callBlocks(StringRef name, func::FuncOp fn, Value x,
                                ArrayRef<Value> extraArgs) {
  Location l = loc(name);
  Value lower = arith::ConstantIndexOp::create(b, l, 0);
  Value upper = arith::ConstantIndexOp::create(b, l, c.numLayers);
  Value step = arith::ConstantIndexOp::create(b, l, 1);
  auto loop = scf::ForOp::create(
      b, l, lower, upper, step, ValueRange{x},
      [&](OpBuilder &nested, Location bodyLoc, Value, ValueRange carried) {
        SmallVector<Value> operands = {carried[0]};
        operands.append(extraArgs.begin(), extraArgs.end());
        auto call = func::CallOp::create(nested, bodyLoc, fn, operands);
        scf::YieldOp::create(nested, bodyLoc, call.getResult(0));
      });
  return loop.getResult(0);
}

void ModelImporter::buildEntry(func::FuncOp blockFn,
                               func::FuncOp blockBackwardFn) {
  std::string name = prefix() + (training ? "_train_step" : "_forward");
  e.beginFunction(module, name);
  auto mirrorArguments = [&](func::FuncOp fn) {
    SmallVector<Value> args;
    for (Type type : fn.getArgumentTypes().drop_front())
      args.push_back(e.addArgument(cast<ShapedType>(type).getShape(),
                                   cast<ShapedType>(type).getElementType()));
    return args;
  };
  Value h = embeddings();
  h = callBlocks("layers", blockFn, h, mirrorArguments(blockFn));
  Value logits = head(h);
  if (!training) {
    e.endFunction(logits);
    return;
  }
  Value dh = headBackward();
  dh = callBlocks("layers.backward", blockBackwardFn, dh,
                  mirrorArguments(blockBackwardFn));
  e.endFunction(embeddingsBackward(dh));
}

OwningOpRef<ModuleOp> ModelImporter::build(Location moduleLoc) {
  OwningOpRef<ModuleOp> owned = ModuleOp::create(moduleLoc);
  module = *owned;
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
  if (config.family == ModelFamily::SwitchTransformers) {
    InFlightDiagnostic diag =
        emitError(loc) << "model_type 'switch_transformers' is parsed but "
                          "not yet built";
    diag.attachNote() << "the importer builds bert, gpt2 and opt models; "
                         "docs/e2e.md lists what Switch needs";
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
