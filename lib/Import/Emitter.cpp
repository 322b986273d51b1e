//===- Emitter.cpp - Building linalg/tensor IR for the importer -----------===//

#include "Emitter.h"

#include "dialects/tilecast/TilecastDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"

using namespace mlir;
using namespace mlir::tilecast;
using namespace mlir::tilecast::import;

void KernelGroupListener::notifyOperationInserted(
    Operation *op, OpBuilder::InsertPoint previous) {
  if (!current)
    return;
  if ((isa<linalg::LinalgOp>(op) && !isa<linalg::FillOp>(op)) ||
      isa<linalg::SoftmaxOp>(op))
    op->setAttr(TilecastDialect::kKernelAttrName, current);
}

Emitter::Emitter(MLIRContext *context)
    : context(context), builder(context, &listener) {}

Location Emitter::getLoc(StringRef name) {
  return NameLoc::get(builder.getStringAttr(name));
}

RankedTensorType Emitter::getTensorType(ArrayRef<int64_t> shape, Type element) {
  return RankedTensorType::get(shape, element ? element : getF32());
}

func::FuncOp Emitter::beginFunction(ModuleOp module, StringRef name) {
  builder.setInsertionPointToEnd(module.getBody());
  function = func::FuncOp::create(builder, getLoc(name), name,
                                  builder.getFunctionType({}, {}));
  body = function.addEntryBlock();
  builder.setInsertionPointToStart(body);
  groupNames.clear();
  return function;
}

Value Emitter::addArgument(ArrayRef<int64_t> shape, Type element) {
  return body->addArgument(getTensorType(shape, element), function.getLoc());
}

Value Emitter::addIndexArgument() {
  return body->addArgument(builder.getIndexType(), function.getLoc());
}

void Emitter::carry(Value argument, Value updated) {
  carried.emplace_back(cast<BlockArgument>(argument).getArgNumber(), updated);
}

void Emitter::endFunction(ValueRange results) {
  SmallVector<Value> returned(results);
  SmallVector<unsigned> &carriedNumbers = carriedArguments[function];
  for (auto [number, updated] : carried) {
    // The function's main result may be a carried value too (the step's
    // last gradient): it is returned once, and not carried, which only an
    // entry function does (no loop calls it).
    if (llvm::is_contained(returned, updated))
      continue;
    carriedNumbers.push_back(number);
    returned.push_back(updated);
  }
  carried.clear();
  // Any other tensor computed and not used is something the step produces
  // besides its main result (a saved activation). Returning it keeps its
  // kernels live, so that cleanups (-canonicalize, -cse) before costing do
  // not delete them.
  for (Operation &op : *body) {
    if (op.hasTrait<OpTrait::ConstantLike>() || isa<tensor::EmptyOp>(op))
      continue;
    for (Value result : op.getResults())
      if (isa<RankedTensorType>(result.getType()) && result.use_empty() &&
          !llvm::is_contained(returned, result))
        returned.push_back(result);
  }
  func::ReturnOp::create(builder, function.getLoc(), returned);
  function.setType(
      builder.getFunctionType(body->getArgumentTypes(), TypeRange(returned)));
}

ArrayRef<unsigned> Emitter::getCarriedArguments(func::FuncOp fn) const {
  auto it = carriedArguments.find(fn);
  return it == carriedArguments.end() ? ArrayRef<unsigned>()
                                      : ArrayRef<unsigned>(it->second);
}

Value Emitter::getEmpty(StringRef name, ArrayRef<int64_t> shape, Type element) {
  return tensor::EmptyOp::create(builder, getLoc(name), shape,
                                 element ? element : getF32());
}

Value Emitter::getZeros(StringRef name, ArrayRef<int64_t> shape) {
  Location loc = getLoc(name);
  Value zero =
      arith::ConstantOp::create(builder, loc, builder.getF32FloatAttr(0.0f));
  return linalg::FillOp::create(builder, loc, zero, getEmpty(name, shape))
      .getResult(0);
}

Value Emitter::reshape(Value value, ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getShape() == shape)
    return value;
  Location loc = value.getLoc();
  ReassociationIndices all;
  for (int64_t i = 0; i < type.getRank(); ++i)
    all.push_back(i);
  Value flat = value;
  if (type.getRank() != 1)
    flat = tensor::CollapseShapeOp::create(builder, loc, value,
                                           ArrayRef<ReassociationIndices>{all});
  if (shape.size() == 1)
    return flat;
  ReassociationIndices expanded;
  for (size_t i = 0; i < shape.size(); ++i)
    expanded.push_back(i);
  return tensor::ExpandShapeOp::create(
      builder, loc, getTensorType(shape, type.getElementType()), flat,
      ArrayRef<ReassociationIndices>{expanded});
}

AffineMap Emitter::getBroadcastMap(Type inputType,
                                   ArrayRef<int64_t> loopShape) {
  auto shaped = cast<ShapedType>(inputType);
  int64_t rank = shaped.getRank();
  int64_t loops = loopShape.size();
  assert(rank <= loops && "cannot broadcast to fewer loops");
  SmallVector<AffineExpr> results;
  for (int64_t i = 0; i < rank; ++i) {
    int64_t loop = loops - rank + i;
    if (shaped.getDimSize(i) == 1 && loopShape[loop] != 1)
      results.push_back(builder.getAffineConstantExpr(0));
    else
      results.push_back(builder.getAffineDimExpr(loop));
  }
  return AffineMap::get(loops, 0, results, context);
}

SmallVector<Value> Emitter::generic(StringRef name, ValueRange inputs,
                                    ArrayRef<AffineMap> inputMaps,
                                    ArrayRef<int64_t> loopShape,
                                    ArrayRef<utils::IteratorType> iterators,
                                    ArrayRef<AffineMap> outputMaps,
                                    ValueRange inits, PayloadFn body) {
  SmallVector<AffineMap> maps;
  for (auto [index, input] : llvm::enumerate(inputs)) {
    AffineMap map = index < inputMaps.size() ? inputMaps[index] : AffineMap();
    maps.push_back(map ? map : getBroadcastMap(input.getType(), loopShape));
  }
  maps.append(outputMaps.begin(), outputMaps.end());
  auto op = linalg::GenericOp::create(
      builder, getLoc(name), TypeRange(inits), inputs, inits, maps, iterators,
      [&](OpBuilder &b, Location loc, ValueRange args) {
        linalg::YieldOp::create(b, loc, body(b, loc, args));
      });
  return SmallVector<Value>(op.getResults());
}

SmallVector<Value> Emitter::mapResults(StringRef name, ValueRange inputs,
                                       ArrayRef<int64_t> shape,
                                       ArrayRef<Type> elements, PayloadFn body,
                                       ArrayRef<AffineMap> inputMaps) {
  SmallVector<Value> inits;
  SmallVector<AffineMap> outputMaps;
  for (Type element : elements) {
    inits.push_back(getEmpty(name, shape, element));
    outputMaps.push_back(builder.getMultiDimIdentityMap(shape.size()));
  }
  SmallVector<utils::IteratorType> iterators(shape.size(),
                                             utils::IteratorType::parallel);
  return generic(name, inputs, inputMaps, shape, iterators, outputMaps, inits,
                 body);
}

Value Emitter::map(StringRef name, ValueRange inputs, ArrayRef<int64_t> shape,
                   function_ref<Value(OpBuilder &, Location, ValueRange)> body,
                   ArrayRef<AffineMap> inputMaps) {
  return mapResults(
      name, inputs, shape, {getF32()},
      [&](OpBuilder &b, Location loc, ValueRange args) {
        return SmallVector<Value>{body(b, loc, args)};
      },
      inputMaps)[0];
}

SmallVector<Value> Emitter::reduce(StringRef name, ValueRange inputs,
                                   ArrayRef<int64_t> loopShape,
                                   ArrayRef<bool> reduced, unsigned numOutputs,
                                   PayloadFn body,
                                   ArrayRef<AffineMap> inputMaps) {
  SmallVector<int64_t> outputShape;
  SmallVector<AffineExpr> outputDims;
  SmallVector<utils::IteratorType> iterators;
  for (auto [loop, size] : llvm::enumerate(loopShape)) {
    iterators.push_back(reduced[loop] ? utils::IteratorType::reduction
                                      : utils::IteratorType::parallel);
    if (reduced[loop])
      continue;
    outputShape.push_back(size);
    outputDims.push_back(builder.getAffineDimExpr(loop));
  }
  AffineMap outputMap =
      AffineMap::get(loopShape.size(), 0, outputDims, context);
  SmallVector<Value> inits;
  SmallVector<AffineMap> outputMaps;
  for (unsigned i = 0; i < numOutputs; ++i) {
    inits.push_back(getZeros(name, outputShape));
    outputMaps.push_back(outputMap);
  }
  return generic(name, inputs, inputMaps, loopShape, iterators, outputMaps,
                 inits, body);
}

Value Emitter::copy(StringRef name, Value input, AffineMap inputMap,
                    ArrayRef<int64_t> shape) {
  Type element = cast<ShapedType>(input.getType()).getElementType();
  return mapResults(name, {input}, shape, {element},
                    [](OpBuilder &, Location, ValueRange args) {
                      return SmallVector<Value>{args[0]};
                    },
                    {inputMap})[0];
}

/// Indexing maps of a (batched) GEMM over loops (batch..., m, n, k).
static SmallVector<AffineMap> getGemmMaps(MLIRContext *context, bool batched,
                                          bool transposeLhs,
                                          bool transposeRhs) {
  unsigned numLoops = batched ? 4 : 3;
  unsigned first = batched ? 1 : 0;
  AffineExpr m = getAffineDimExpr(first, context);
  AffineExpr n = getAffineDimExpr(first + 1, context);
  AffineExpr k = getAffineDimExpr(first + 2, context);
  auto make = [&](AffineExpr a, AffineExpr b) {
    SmallVector<AffineExpr> results;
    if (batched)
      results.push_back(getAffineDimExpr(0, context));
    results.push_back(a);
    results.push_back(b);
    return AffineMap::get(numLoops, 0, results, context);
  };
  return {transposeLhs ? make(k, m) : make(m, k),
          transposeRhs ? make(n, k) : make(k, n), make(m, n)};
}

Value Emitter::matmul(StringRef name, Value lhs, Value rhs, bool transposeLhs,
                      bool transposeRhs, Value init) {
  auto op =
      linalg::MatmulOp::create(builder, getLoc(name), TypeRange{init.getType()},
                               ValueRange{lhs, rhs}, ValueRange{init});
  op.setIndexingMapsAttr(builder.getAffineMapArrayAttr(
      getGemmMaps(context, /*batched=*/false, transposeLhs, transposeRhs)));
  return op.getResult(0);
}

Value Emitter::batchMatmul(StringRef name, Value lhs, Value rhs,
                           bool transposeLhs, bool transposeRhs, Value init) {
  auto op = linalg::BatchMatmulOp::create(
      builder, getLoc(name), TypeRange{init.getType()}, ValueRange{lhs, rhs},
      ValueRange{init});
  op.setIndexingMapsAttr(builder.getAffineMapArrayAttr(
      getGemmMaps(context, /*batched=*/true, transposeLhs, transposeRhs)));
  return op.getResult(0);
}

Value Emitter::softmax(StringRef name, Value input) {
  auto type = cast<RankedTensorType>(input.getType());
  Value init = getEmpty(name, type.getShape());
  return linalg::SoftmaxOp::create(builder, getLoc(name), TypeRange{type},
                                   input, init,
                                   static_cast<uint64_t>(type.getRank() - 1))
      .getResult()[0];
}

Value Emitter::gather(StringRef name, Value table, Value indices) {
  auto tableType = cast<RankedTensorType>(table.getType());
  int64_t count = cast<RankedTensorType>(indices.getType()).getDimSize(0);
  int64_t width = tableType.getDimSize(1);
  AffineMap byRow =
      AffineMap::get(2, 0, {builder.getAffineDimExpr(0)}, context);
  return mapResults(name, {indices}, {count, width}, {getF32()},
                    [&](OpBuilder &b, Location loc, ValueRange args) {
                      Value row = arith::IndexCastOp::create(
                          b, loc, b.getIndexType(), args[0]);
                      Value column = linalg::IndexOp::create(b, loc, 1);
                      Value element = tensor::ExtractOp::create(
                          b, loc, table, ValueRange{row, column});
                      return SmallVector<Value>{element};
                    },
                    {byRow})[0];
}

Value Emitter::insertRows(StringRef name, Value rows, Value dest,
                          Value firstRow) {
  ArrayRef<int64_t> shape = cast<RankedTensorType>(rows.getType()).getShape();
  SmallVector<OpFoldResult> offsets(shape.size(), builder.getIndexAttr(0));
  SmallVector<OpFoldResult> sizes,
      strides(shape.size(), builder.getIndexAttr(1));
  for (int64_t size : shape)
    sizes.push_back(builder.getIndexAttr(size));
  if (firstRow)
    offsets[0] = firstRow;
  return tensor::InsertSliceOp::create(builder, getLoc(name), rows, dest,
                                       offsets, sizes, strides);
}

Emitter::GroupScope::GroupScope(Emitter &emitter, StringRef name,
                                KernelKind kind, bool enabled)
    : emitter(emitter), saved(emitter.listener.current) {
  if (!enabled)
    return;
  unsigned &uses = emitter.groupNames[name];
  std::string unique = name.str();
  if (uses++ > 0)
    unique += "#" + std::to_string(uses);
  emitter.listener.current = KernelAttr::get(emitter.context, unique, kind);
}

Emitter::GroupScope::~GroupScope() { emitter.listener.current = saved; }
