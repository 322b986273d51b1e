//===- Emitter.h - Building linalg/tensor IR for the importer ---*- C++ -*-===//
//
// The IR building blocks of the transformer importer: element-wise maps with
// NumPy broadcasting, reductions, copies through indexing maps, GEMMs with
// transposed operands, softmax, and kernel groups. Internal to lib/Import.
//
//===----------------------------------------------------------------------===//

#ifndef TILECAST_LIB_IMPORT_EMITTER_H
#define TILECAST_LIB_IMPORT_EMITTER_H

#include "dialects/tilecast/TilecastAttrs.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringMap.h"

namespace mlir::tilecast::import {

/// Builds the scalar results of a payload from its arguments (the inputs'
/// elements, then the outputs').
using PayloadFn =
    function_ref<SmallVector<Value>(OpBuilder &, Location, ValueRange)>;

/// Attaches the open kernel group's `#tilecast.kernel` to every kernel op
/// created while it is open (linalg ops other than fills, and softmax).
struct KernelGroupListener : public OpBuilder::Listener {
  KernelAttr current;
  void notifyOperationInserted(Operation *op,
                               OpBuilder::InsertPoint previous) override;
};

class Emitter {
public:
  explicit Emitter(MLIRContext *context);

  MLIRContext *getContext() { return context; }
  OpBuilder &getBuilder() { return builder; }
  Type getF32() { return builder.getF32Type(); }

  /// A location that names the op in reports (`loc("attn.qkv")`).
  Location getLoc(StringRef name);
  RankedTensorType getTensorType(ArrayRef<int64_t> shape, Type element = {});

  /// Starts a function with no arguments; `addArgument` grows it.
  func::FuncOp beginFunction(ModuleOp module, StringRef name);
  Value addArgument(ArrayRef<int64_t> shape, Type element = {});
  /// An `index` argument (a position only known at run time).
  Value addIndexArgument();
  /// Makes the function return `updated` as the new value of its argument
  /// `argument` (a parameter's gradient accumulated into its .grad): a loop
  /// that calls the function passes it back in (`getCarriedArguments`).
  void carry(Value argument, Value updated);
  /// Returns `results`, then the carried values, then every other tensor the
  /// function computed and did not use (saved activations), and fixes the
  /// function's type.
  void endFunction(ValueRange results);
  /// The argument numbers of `fn`'s carried values, in the order of its
  /// results after the first.
  ArrayRef<unsigned> getCarriedArguments(func::FuncOp fn) const;

  Value getEmpty(StringRef name, ArrayRef<int64_t> shape, Type element = {});
  /// A zero-filled tensor (an accumulator: folded into its consumer).
  Value getZeros(StringRef name, ArrayRef<int64_t> shape);
  /// Reshapes without moving data (collapse to 1-D, expand).
  Value reshape(Value value, ArrayRef<int64_t> shape);

  /// A linalg.generic over `loopShape`. A null entry of `inputMaps` means
  /// NumPy broadcasting of that input against the loops (trailing dimensions
  /// aligned, size-1 dimensions repeated). Outputs are fresh tensors of the
  /// given element types with `outputMaps` (all-parallel maps: identity).
  SmallVector<Value>
  generic(StringRef name, ValueRange inputs, ArrayRef<AffineMap> inputMaps,
          ArrayRef<int64_t> loopShape, ArrayRef<utils::IteratorType> iterators,
          ArrayRef<AffineMap> outputMaps, ValueRange inits, PayloadFn body);
  /// An element-wise map with broadcasting inputs and one f32 result.
  Value map(StringRef name, ValueRange inputs, ArrayRef<int64_t> shape,
            function_ref<Value(OpBuilder &, Location, ValueRange)> body,
            ArrayRef<AffineMap> inputMaps = {});
  /// An element-wise map with several results of the given element types.
  SmallVector<Value> mapResults(StringRef name, ValueRange inputs,
                                ArrayRef<int64_t> shape,
                                ArrayRef<Type> elements, PayloadFn body,
                                ArrayRef<AffineMap> inputMaps = {});
  /// Sums over the loops marked in `reduced`: `numOutputs` f32 results with
  /// the shape of the other loops, zero-initialised. `body` gets the inputs'
  /// elements then the accumulators and returns the new accumulators.
  SmallVector<Value> reduce(StringRef name, ValueRange inputs,
                            ArrayRef<int64_t> loopShape, ArrayRef<bool> reduced,
                            unsigned numOutputs, PayloadFn body,
                            ArrayRef<AffineMap> inputMaps = {});
  /// Copies `input` read through `inputMap` into a fresh `shape` tensor.
  Value copy(StringRef name, Value input, AffineMap inputMap,
             ArrayRef<int64_t> shape);
  /// C = op(A) op(B) accumulated into `init` (2-D), with transposes through
  /// indexing maps as cuBLAS takes them.
  Value matmul(StringRef name, Value lhs, Value rhs, bool transposeLhs,
               bool transposeRhs, Value init);
  /// Batched over the leading dimension.
  Value batchMatmul(StringRef name, Value lhs, Value rhs, bool transposeLhs,
                    bool transposeRhs, Value init);
  /// Softmax over the last dimension.
  Value softmax(StringRef name, Value input);
  /// Rows of `table` ([rows, width]) picked by the i64 `indices` ([n]): a
  /// gather through tensor.extract, one table row per index.
  Value gather(StringRef name, Value table, Value indices);
  /// `rows` ([n, width]) written over n consecutive rows of `dest` from
  /// `firstRow` (an index; the first row if null): the data movement of an
  /// index_put, whose row positions only the data knows.
  Value insertRows(StringRef name, Value rows, Value dest, Value firstRow = {});

  /// True while a kernel group is open (an enclosing fused kernel).
  bool isGroupOpen() const { return static_cast<bool>(listener.current); }

  /// Opens a kernel group for the ops created until the scope ends.
  class GroupScope {
  public:
    GroupScope(Emitter &emitter, StringRef name, KernelKind kind,
               bool enabled = true);
    ~GroupScope();

  private:
    Emitter &emitter;
    KernelAttr saved;
  };

private:
  AffineMap getBroadcastMap(Type inputType, ArrayRef<int64_t> loopShape);

  MLIRContext *context;
  KernelGroupListener listener;
  OpBuilder builder;
  func::FuncOp function;
  Block *body = nullptr;
  /// Group names used in the current function (names are made unique).
  llvm::StringMap<unsigned> groupNames;
  /// The current function's carried arguments and their new values.
  SmallVector<std::pair<unsigned, Value>> carried;
  /// Every function's carried argument numbers.
  llvm::DenseMap<Operation *, SmallVector<unsigned>> carriedArguments;
};

} // namespace mlir::tilecast::import

#endif // TILECAST_LIB_IMPORT_EMITTER_H
