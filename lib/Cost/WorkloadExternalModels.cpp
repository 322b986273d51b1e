//===- WorkloadExternalModels.cpp - WorkloadOpInterface for upstream ops --===//
//
// Attaches WorkloadOpInterface to upstream ops the way upstream attaches
// TilingInterface (mlir/lib/Dialect/Linalg/Transforms/TilingInterfaceImpl.cpp):
// every structured linalg op is costed from its indexing maps, iterator types
// and payload, so linalg.generic and every named op work without special
// code. Softmax (not a LinalgOp) and tensor data movement get models of their
// own.
//
//===----------------------------------------------------------------------===//

#include "dialects/tilecast/TilecastDialect.h"
#include "tilecast/Cost/WorkloadOpInterface.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Interfaces/CallInterfaces.h"
#include "mlir/Interfaces/CastInterfaces.h"
#include "mlir/Interfaces/LoopLikeInterface.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::tilecast;

#include "tilecast/Cost/WorkloadOpInterface.cpp.inc"

//===----------------------------------------------------------------------===//
// Shared helpers
//===----------------------------------------------------------------------===//

/// Whether `op` is a tile of a tiling TileCast applied, or a slice feeding
/// one: it, or a user of its result, carries a #tilecast.tile_decision inside
/// a loop (the tiles of an applied tiling carry their op's decision).
static bool isInAppliedTiling(Operation *op) {
  auto isTile = [](Operation *candidate) {
    return candidate->hasAttr(TilecastDialect::kTileDecisionAttrName) &&
           candidate->getParentOfType<LoopLikeOpInterface>();
  };
  return isTile(op) || llvm::any_of(op->getUsers(), isTile);
}

/// Emits the diagnostic for an op whose shapes are not all static.
static InFlightDiagnostic emitDynamicShapeError(Operation *op) {
  InFlightDiagnostic diag =
      op->emitError("cannot cost an op with dynamic shapes");
  diag.attachNote() << "TileCast needs static shapes: specialise the function "
                       "for concrete sizes (or cast to static types) "
                       "before costing";
  // The tiles of a tiling that does not divide its loops (TileCast's own on
  // a GPU) have dynamic sizes; the decision they carry priced the tiling.
  if (isInAppliedTiling(op))
    diag.attachNote() << "this op is part of an applied tiling whose last "
                         "tiles are partial: cost the op before tiling; the "
                         "#tilecast.tile_decision on its tiles holds the "
                         "tiled time";
  return diag;
}

/// Workloads whose FLOPs or bytes reach this do not fit the int64 counters
/// (with margin for the sums of several operands).
static constexpr double kMaxCountableWork = 0x1p62;

/// Checks that every shaped operand and result of `op` is static, non-empty,
/// of countable size, and has an element type TileCast can cost. A
/// tensor.concat may have empty inputs (they add nothing to its result), and
/// a tensor.pad an empty source (its result is all padding).
static LogicalResult verifyCostableTypes(Operation *op) {
  bool emptyInputsAllowed = isa<tensor::ConcatOp, tensor::PadOp>(op);
  auto check = [&](Type type, bool isOperand) -> LogicalResult {
    auto shaped = dyn_cast<ShapedType>(type);
    if (!shaped)
      return success();
    if (!shaped.hasStaticShape()) {
      emitDynamicShapeError(op);
      return failure();
    }
    if (auto tensor = dyn_cast<RankedTensorType>(type);
        tensor && tensor.getEncoding()) {
      InFlightDiagnostic diag = op->emitError("cannot cost an op on ") << type;
      diag.attachNote() << "TileCast costs dense tensors; a tensor with an "
                           "encoding (a sparse layout) stores and computes "
                           "only part of its elements";
      return failure();
    }
    double elements = 1;
    for (int64_t size : shaped.getShape())
      elements *= size;
    if (elements == 0 && !(isOperand && emptyInputsAllowed)) {
      InFlightDiagnostic diag = op->emitError("cannot cost an op on the empty ")
                                << type;
      diag.attachNote() << "an empty "
                        << (isa<MemRefType>(type) ? "memref" : "tensor")
                        << " does no work: fold it away (e.g. -canonicalize) "
                           "before costing";
      return failure();
    }
    if (elements * 8 >= kMaxCountableWork) {
      op->emitError("cannot cost an op on ")
          << type << ": its size overflows TileCast's 64-bit counters";
      return failure();
    }
    if (!shaped.getElementType().isIntOrIndexOrFloat()) {
      InFlightDiagnostic diag =
          op->emitError("cannot cost an op on elements of type ")
          << shaped.getElementType();
      diag.attachNote() << "supported element types are floats and integers";
      return failure();
    }
    return success();
  };
  for (Type type : op->getOperandTypes())
    if (failed(check(type, /*isOperand=*/true)))
      return failure();
  for (Type type : op->getResultTypes())
    if (failed(check(type, /*isOperand=*/false)))
      return failure();
  // The op's bytes sum its operands (an output counted twice, read and
  // written) and what its payload gathers (checked on its own against
  // kMaxCountableWork): the operands together stay below a quarter of it.
  double totalBytes = 0;
  for (TypeRange types : {TypeRange(op->getOperandTypes()),
                          TypeRange(op->getResultTypes())})
    for (Type type : types)
      if (auto shaped = dyn_cast<ShapedType>(type))
        totalBytes += double(shaped.getNumElements()) *
                      getElementStorageBytes(shaped.getElementType());
  if (4 * totalBytes >= kMaxCountableWork)
    return op->emitError("cannot cost this op: its operands' sizes together ")
           << "overflow TileCast's 64-bit counters";
  return success();
}

/// The arithmetic path for `elementType`, or an error at `op`.
static FailureOr<PeakKind> getArithmeticOrError(Operation *op, Type elementType,
                                                bool isContraction) {
  FailureOr<PeakKind> arithmetic = getArithmeticFor(elementType, isContraction);
  if (failed(arithmetic)) {
    InFlightDiagnostic diag = op->emitError("cannot cost ")
                              << (isContraction ? "a contraction" : "an op")
                              << " computing in " << elementType;
    diag.attachNote() << "TileCast models f64, f32, f16, bf16 and i8 "
                         "contractions, and float or integer element-wise "
                         "ops";
    return failure();
  }
  return arithmetic;
}

static int64_t product(ArrayRef<int64_t> sizes) {
  int64_t result = 1;
  for (int64_t size : sizes)
    result *= size;
  return result;
}

static int64_t productOfDims(ArrayRef<int64_t> loopSizes,
                             ArrayRef<unsigned> dims) {
  int64_t result = 1;
  for (unsigned dim : dims)
    result *= loopSizes[dim];
  return result;
}

//===----------------------------------------------------------------------===//
// Payload arithmetic
//===----------------------------------------------------------------------===//

namespace {
/// Operations per iteration of a linalg payload.
struct PayloadCounts {
  int64_t flops = 0;
  int64_t transcendentals = 0;
  int64_t exponentials = 0;
};
} // namespace

/// Exponentials, the cheapest transcendentals (OpWorkload::exponentials).
static bool isExponential(Operation *op) {
  return isa<math::ExpOp, math::Exp2Op, math::ExpM1Op>(op);
}

/// Transcendental (special-function unit) operations; each also counts as
/// one flop.
static bool isTranscendental(Operation *op) {
  return isExponential(op) ||
         isa<math::LogOp, math::Log2Op, math::Log1pOp, math::TanhOp,
             math::ErfOp, math::SqrtOp, math::RsqrtOp, math::PowFOp,
             math::FPowIOp, math::SinOp, math::CosOp, math::TanOp, math::AtanOp,
             math::Atan2Op, math::CbrtOp, arith::DivFOp>(op);
}

/// Whether every use of `op`'s results, followed through index arithmetic
/// and casts, is an index of a read (tensor.extract, memref.load): the op
/// computes where to read, as a gather's row offset does.
static bool feedsOnlyAddresses(Operation *op) {
  SmallVector<Operation *> worklist = {op};
  llvm::SmallPtrSet<Operation *, 8> seen;
  while (!worklist.empty()) {
    Operation *current = worklist.pop_back_val();
    if (!seen.insert(current).second)
      continue;
    for (OpOperand &use : current->getUses()) {
      Operation *user = use.getOwner();
      if (auto extract = dyn_cast<tensor::ExtractOp>(user)) {
        if (use.get() == extract.getTensor())
          return false;
        continue;
      }
      if (auto load = dyn_cast<memref::LoadOp>(user)) {
        if (use.get() == load.getMemRef())
          return false;
        continue;
      }
      bool indexArithmetic =
          user->getNumResults() > 0 &&
          llvm::all_of(user->getResultTypes(),
                       [](Type type) { return type.isIntOrIndex(); }) &&
          !user->hasTrait<OpTrait::IsTerminator>();
      if (!indexArithmetic)
        return false;
      worklist.push_back(user);
    }
  }
  return true;
}

/// Index arithmetic that computes addresses, not results: on loop positions
/// (from linalg.index), or on the elements only to say where to read (a
/// gather's row offset). `onData` holds the payload's ops that compute on its
/// elements (directly or through other such ops); index arithmetic among
/// them that reaches the results counts (arithmetic on index tensors).
static bool
isAddressArithmetic(Operation &op,
                    const llvm::SmallPtrSetImpl<Operation *> &onData) {
  bool allIndex = llvm::all_of(op.getResultTypes(),
                               [](Type type) { return type.isIndex(); });
  if (allIndex && !onData.contains(&op))
    return true;
  // Integer or index ops that only reach read indices, on loop positions or
  // on the elements (a gathered id wrapped into range: cmpi, addi, select on
  // i64).
  return op.getNumResults() > 0 &&
         llvm::all_of(op.getResultTypes(),
                      [](Type type) { return type.isIntOrIndex(); }) &&
         feedsOnlyAddresses(&op);
}

/// Counts the payload's operations per iteration. The payload must be
/// straight-line scalar code: a loop, call or tensor op inside it runs a
/// number of times (or does work) that one count per op cannot describe.
static FailureOr<PayloadCounts> countPayload(Operation *linalgOp, Block &body) {
  PayloadCounts counts;
  // The ops that compute on the elements: those using a block argument (an
  // element of an operand), a gathered element, or such an op's result (its
  // producers come before it in the straight-line payload).
  llvm::SmallPtrSet<Operation *, 16> onData;
  for (Operation &op : body.without_terminator()) {
    bool readsData = isa<tensor::ExtractOp, memref::LoadOp>(op) ||
                     llvm::any_of(op.getOperands(), [&](Value value) {
                       if (auto argument = dyn_cast<BlockArgument>(value))
                         return argument.getOwner() == &body;
                       Operation *producer = value.getDefiningOp();
                       return producer && onData.contains(producer);
                     });
    if (readsData)
      onData.insert(&op);
    // Reading one element (a gather) or a size of a tensor or buffer is
    // scalar work; any other op on one is a kernel of its own.
    bool isShapedOp =
        !isa<tensor::ExtractOp, memref::LoadOp, tensor::DimOp, memref::DimOp>(
            op) &&
        (llvm::any_of(op.getOperandTypes(), llvm::IsaPred<ShapedType>) ||
         llvm::any_of(op.getResultTypes(), llvm::IsaPred<ShapedType>));
    if (op.getNumRegions() > 0 || isa<CallOpInterface>(op) || isShapedOp) {
      InFlightDiagnostic diag =
          linalgOp->emitError("cannot cost a linalg payload that contains '")
          << op.getName() << "'";
      diag.attachNote(op.getLoc())
          << "TileCast counts a payload's scalar operations once per "
             "iteration; loops, calls and tensor or buffer ops inside it "
             "are not modelled";
      return failure();
    }
    // Casts, constants and address computations move no data through an ALU
    // that matters for time.
    // Gathers (tensor.extract of a tensor from outside the payload) move
    // data; their reads are counted with the op's traffic.
    if (isa<arith::ConstantOp, CastOpInterface, linalg::IndexOp,
            tensor::ExtractOp, memref::LoadOp, tensor::DimOp, memref::DimOp>(
            op) ||
        isAddressArithmetic(op, onData))
      continue;
    if (isa<math::FmaOp>(op)) {
      counts.flops += 2;
      continue;
    }
    counts.flops += 1;
    if (isTranscendental(&op))
      counts.transcendentals += 1;
    if (isExponential(&op))
      counts.exponentials += 1;
  }
  return counts;
}

//===----------------------------------------------------------------------===//
// Structured linalg ops
//===----------------------------------------------------------------------===//

/// Bytes of `operand` that `op` reads or writes: the whole tensor, except
/// where its indexing map reaches fewer elements: constant results (a slice
/// such as `(b, s, d) -> (b, s, 0, d)`) and loops that index several of its
/// dimensions (a diagonal, `(i) -> (i, i)`) touch one element per
/// combination of the distinct loops it uses.
static int64_t getOperandBytes(linalg::LinalgOp op, OpOperand *operand) {
  int64_t bytes = getStaticShapedBytes(operand->get().getType());
  auto shaped = dyn_cast<ShapedType>(operand->get().getType());
  if (!shaped || bytes == 0)
    return bytes;
  AffineMap map = op.getMatchingIndexingMap(operand);
  SmallVector<int64_t> loopSizes = op.getStaticLoopRanges();
  llvm::SmallDenseSet<unsigned> dims;
  int64_t accessed = 1;
  for (AffineExpr result : map.getResults()) {
    if (auto dim = dyn_cast<AffineDimExpr>(result)) {
      if (dims.insert(dim.getPosition()).second)
        accessed *= loopSizes[dim.getPosition()];
    } else if (!isa<AffineConstantExpr>(result)) {
      return bytes;
    }
  }
  return std::min(bytes,
                  accessed * getElementStorageBytes(shaped.getElementType()));
}

int64_t tilecast::getAccessedBytes(OpOperand &operand) {
  return getOperandBytes(cast<linalg::LinalgOp>(operand.getOwner()), &operand);
}

/// Bytes that `tensor.extract` (or, on buffers, `memref.load`) ops in the
/// payload gather from tensors defined outside it: one element per read per
/// iteration (an embedding lookup reads one table row per token this way).
static FailureOr<int64_t> getGatheredBytes(linalg::LinalgOp op,
                                           int64_t iterations) {
  double bytes = 0;
  for (Operation &read : op.getBlock()->getOperations()) {
    Value source;
    if (auto extract = dyn_cast<tensor::ExtractOp>(read))
      source = extract.getTensor();
    else if (auto load = dyn_cast<memref::LoadOp>(read))
      source = load.getMemRef();
    else
      continue;
    if (op->isAncestor(source.getParentBlock()->getParentOp()))
      continue;
    Type elementType = read.getResult(0).getType();
    if (!elementType.isIntOrIndexOrFloat()) {
      InFlightDiagnostic diag =
          op->emitError("cannot cost an op gathering elements of type ")
          << elementType;
      diag.attachNote(read.getLoc()) << "gathered here";
      return failure();
    }
    bytes += double(iterations) * getElementStorageBytes(elementType);
  }
  if (bytes >= kMaxCountableWork)
    return op->emitError("cannot cost this op: the bytes its payload gathers ")
           << "overflow TileCast's 64-bit counters";
  return int64_t(bytes);
}

bool tilecast::isFillOp(Operation *op) {
  if (isa_and_nonnull<linalg::FillOp>(op))
    return true;
  auto generic = dyn_cast_or_null<linalg::GenericOp>(op);
  return generic && linalg::isaFillOpInterface(generic).has_value();
}

/// The ops of `block` that touch `buffer`: that use it, the buffer it views
/// or any view of that buffer, directly or in their regions; in block order.
/// Nullopt if an op makes a buffer out of one of them other than as a view
/// (arith.select, a call returning it): aliases TileCast does not follow.
static std::optional<SmallVector<Operation *>>
getBufferUsersInBlock(Value buffer, Block *block) {
  Value root = buffer;
  while (auto view = root.getDefiningOp<ViewLikeOpInterface>())
    root = view.getViewSource();
  SmallVector<Value> aliases = {root};
  SmallVector<Operation *> users;
  for (size_t i = 0; i < aliases.size(); ++i) {
    for (Operation *user : aliases[i].getUsers()) {
      auto view = dyn_cast<ViewLikeOpInterface>(user);
      if (view && view.getViewSource() == aliases[i] &&
          user->getNumResults() == 1) {
        aliases.push_back(user->getResult(0));
        continue;
      }
      if (llvm::any_of(user->getResultTypes(), llvm::IsaPred<BaseMemRefType>))
        return std::nullopt;
      if (Operation *ancestor = block->findAncestorOpInBlock(*user))
        users.push_back(ancestor);
    }
  }
  llvm::sort(users,
             [](Operation *a, Operation *b) { return a->isBeforeInBlock(b); });
  users.erase(llvm::unique(users), users.end());
  return users;
}

/// The fill that writes `buffer` just before `consumer` (in its block) uses
/// it: the op of the block that touches the buffer (or a view of the same
/// data) last before `consumer`, if it is a fill of `buffer`. Null otherwise.
static Operation *getFillJustBefore(Value buffer, Operation *consumer) {
  std::optional<SmallVector<Operation *>> users =
      getBufferUsersInBlock(buffer, consumer->getBlock());
  if (!users)
    return nullptr;
  auto it = llvm::find(*users, consumer);
  if (it == users->begin() || it == users->end())
    return nullptr;
  Operation *previous = *std::prev(it);
  bool fillsBuffer =
      isFillOp(previous) &&
      cast<DestinationStyleOpInterface>(previous).getDpsInits()[0] == buffer;
  return fillsBuffer ? previous : nullptr;
}

/// Whether `consumer`'s init `init` is an accumulator its payload reads.
static bool isReadAccumulator(Operation *consumer, OpOperand &init) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(consumer);
  return linalgOp && linalgOp.isDpsInit(&init) &&
         linalgOp.payloadUsesValueFromOperand(&init);
}

/// True if `init` of `consumer` needs no read from memory to initialise an
/// accumulator: it is an empty tensor or the result of a fill, or a buffer a
/// fill wrote just before (the fill is folded into the consumer, see
/// LinalgWorkloadModel::isFoldedIntoConsumers).
static bool isInitialisedInRegisters(Operation *consumer, OpOperand &init) {
  Value value = init.get();
  if (isa<BaseMemRefType>(value.getType()))
    return getFillJustBefore(value, consumer) != nullptr;
  Operation *def = value.getDefiningOp();
  return def && (isa<tensor::EmptyOp>(def) || isFillOp(def));
}

/// Marks `dims` with `role` and returns the product of their sizes.
static int64_t assignRole(OpWorkload &w, ArrayRef<unsigned> dims,
                          LoopRole role) {
  for (unsigned dim : dims)
    w.loopRoles[dim] = role;
  return productOfDims(w.loopSizes, dims);
}

/// Whether the innermost dimension of `operand` of `op` is indexed by one of
/// the loops `dims`.
static bool isInnermostIndexedBy(linalg::LinalgOp op, OpOperand &operand,
                                 ArrayRef<unsigned> dims) {
  AffineMap map = op.getMatchingIndexingMap(&operand);
  if (map.getNumResults() == 0)
    return false;
  auto dim = dyn_cast<AffineDimExpr>(map.getResults().back());
  return dim && llvm::is_contained(dims, dim.getPosition());
}

/// Quantized named ops: a contraction or convolution of their first two
/// inputs from which two scalar zero points (inputs 2 and 3) are subtracted.
static bool isQuantizedContraction(linalg::LinalgOp op) {
  return isa<linalg::QuantizedMatmulOp, linalg::QuantizedBatchMatmulOp>(op);
}
static bool isQuantizedConvolution(linalg::LinalgOp op) {
  return isa<linalg::Conv2DNchwFchwQOp, linalg::Conv2DNgchwGfchwQOp,
             linalg::Conv2DNhwcFhwcQOp, linalg::Conv2DNhwcHwcfQOp,
             linalg::Conv2DNhwgcGfhwcQOp, linalg::Conv3DNdhwcDhwcfQOp,
             linalg::DepthwiseConv2DNhwcHwcQOp,
             linalg::DepthwiseConv2DNhwcHwcmQOp>(op);
}

/// The indexing maps of the two operands and the result of a contraction or
/// convolution (a quantized op's zero points left out).
static SmallVector<AffineMap> getProductMaps(linalg::LinalgOp op) {
  return {op.getMatchingIndexingMap(op.getDpsInputOperand(0)),
          op.getMatchingIndexingMap(op.getDpsInputOperand(1)),
          op.getMatchingIndexingMap(op.getDpsInitOperand(0))};
}

static LogicalResult fillGemmView(OpWorkload &w, linalg::LinalgOp op) {
  FailureOr<linalg::ContractionDimensions> dims =
      isQuantizedContraction(op)
          ? linalg::inferContractionDims(getProductMaps(op))
          : linalg::inferContractionDims(op);
  if (failed(dims))
    return op->emitError("cannot infer the GEMM dimensions of this "
                         "contraction");
  w.batch = assignRole(w, dims->batch, LoopRole::Batch);
  w.m = assignRole(w, dims->m, LoopRole::M);
  w.n = assignRole(w, dims->n, LoopRole::N);
  w.k = assignRole(w, dims->k, LoopRole::K);
  // Loops inferContractionDims leaves out still run: a parallel one (an
  // output loop that an input broadcast along it does not index) adds rows
  // of C, each a dot product over K like the others, and a reduction one
  // that only one input has extends K. Without this the GEMM view priced a
  // fraction of the op's multiply-adds.
  for (auto [size, role] : llvm::zip(w.loopSizes, w.loopRoles)) {
    if (role == LoopRole::Parallel) {
      role = LoopRole::M;
      w.m *= size;
    } else if (role == LoopRole::Reduction) {
      role = LoopRole::K;
      w.k *= size;
    }
  }
  // inferContractionDims has matched two inputs and one init.
  w.bInnermostIsN =
      isInnermostIndexedBy(op, *op.getDpsInputOperand(1), dims->n);
  w.cInnermostIsN = isInnermostIndexedBy(op, *op.getDpsInitOperand(0), dims->n);
  return success();
}

/// The convolution dimensions of a quantized convolution, from where each
/// loop appears in the maps of the input, the filter and the output
/// (upstream's inferConvolutionDims takes ops with two inputs only): in all
/// three, depth; in the input and the output, batch, or an output image
/// dimension where the input indexes it in a sum (with a filter loop); in the
/// filter and the output, an output channel; in the input and the filter, an
/// input channel, or a filter loop where the input indexes it in a sum.
static linalg::ConvolutionDimensions
getQuantizedConvolutionDims(linalg::LinalgOp op) {
  SmallVector<AffineMap> maps = getProductMaps(op);
  auto appears = [](AffineMap map, unsigned dim) {
    return map.isFunctionOfDim(dim);
  };
  auto inSum = [&](unsigned dim) {
    return llvm::any_of(maps[0].getResults(), [&](AffineExpr expr) {
      return !isa<AffineDimExpr>(expr) && expr.isFunctionOfDim(dim);
    });
  };
  linalg::ConvolutionDimensions dims;
  for (unsigned dim = 0; dim < op.getNumLoops(); ++dim) {
    bool input = appears(maps[0], dim), filter = appears(maps[1], dim),
         output = appears(maps[2], dim);
    if (input && filter && output)
      dims.depth.push_back(dim);
    else if (input && output)
      (inSum(dim) ? dims.outputImage : dims.batch).push_back(dim);
    else if (filter && output)
      dims.outputChannel.push_back(dim);
    else if (input && filter)
      (inSum(dim) ? dims.filterLoop : dims.inputChannel).push_back(dim);
  }
  return dims;
}

static LogicalResult fillConvolutionView(OpWorkload &w, linalg::LinalgOp op) {
  FailureOr<linalg::ConvolutionDimensions> dims =
      isQuantizedConvolution(op) ? getQuantizedConvolutionDims(op)
                                 : linalg::inferConvolutionDims(op);
  if (failed(dims))
    return op->emitError("cannot infer the dimensions of this convolution");
  // Implicit GEMM: one output pixel per row, one output channel per column,
  // the filter window and input channels reduced.
  w.batch = assignRole(w, dims->depth, LoopRole::Batch);
  w.m = assignRole(w, dims->batch, LoopRole::M) *
        assignRole(w, dims->outputImage, LoopRole::M);
  w.n = assignRole(w, dims->outputChannel, LoopRole::N);
  w.k = assignRole(w, dims->inputChannel, LoopRole::K) *
        assignRole(w, dims->filterLoop, LoopRole::K);
  return success();
}

/// A contraction with an M or N dimension. Multiply-accumulate ops with
/// neither (row-wise dot products, such as the sum of dy * x of a layer
/// norm's backward) are reductions: they run as streaming kernels, not GEMMs.
static bool isGemmLikeContraction(linalg::LinalgOp op) {
  if (isQuantizedContraction(op))
    return true;
  if (!linalg::isaContractionOpInterface(op))
    return false;
  FailureOr<linalg::ContractionDimensions> dims =
      linalg::inferContractionDims(op);
  return failed(dims) || !dims->m.empty() || !dims->n.empty();
}

/// The element type `op` computes in: for a product (a contraction or a
/// convolution), the widest float type of its two multiplied inputs (f16 x
/// f32 multiplies in f32); for other ops, the widest float type its payload's
/// arithmetic produces (an f64 input truncated before f32 arithmetic computes
/// in f32), else, for a payload without float arithmetic (a copy), the widest
/// of its tensors' float types. Without floats, the first multiplied input's
/// type for a product (i8 of a quantized one) and the first output's for
/// other ops.
static Type getComputeType(linalg::LinalgOp op, bool isProduct) {
  FloatType widest;
  auto consider = [&](Type type) {
    if (auto floatType = dyn_cast<FloatType>(getElementTypeOrSelf(type)))
      if (!widest || floatType.getWidth() > widest.getWidth())
        widest = floatType;
  };
  if (isProduct) {
    for (Value input : op->getOperands().take_front(2))
      consider(input.getType());
  } else {
    for (Operation &payloadOp : op.getBlock()->without_terminator())
      if (!isa<arith::ConstantOp, CastOpInterface>(payloadOp))
        for (Type type : payloadOp.getResultTypes())
          consider(type);
    if (!widest)
      for (Value operand : op->getOperands())
        if (isa<ShapedType>(operand.getType()))
          consider(operand.getType());
  }
  if (widest)
    return widest;
  return getElementTypeOrSelf(isProduct ? op.getDpsInputs()[0]
                                        : op.getDpsInits()[0]);
}

/// The element type of `op`'s tensor operand with the most elements, the
/// first of equal ones (inputs before outputs).
static Type getLargestTensorElementType(linalg::LinalgOp op) {
  Type largest = getElementTypeOrSelf(op.getDpsInits()[0].getType());
  int64_t mostElements = -1;
  for (Value operand : op->getOperands()) {
    auto shaped = dyn_cast<ShapedType>(operand.getType());
    if (!shaped || !shaped.hasStaticShape() ||
        shaped.getNumElements() <= mostElements)
      continue;
    mostElements = shaped.getNumElements();
    largest = shaped.getElementType();
  }
  return largest;
}

static FailureOr<OpWorkload> getLinalgWorkload(linalg::LinalgOp op) {
  Operation *operation = op.getOperation();
  if (failed(verifyCostableTypes(operation)))
    return failure();
  if (op.getNumDpsInits() == 0)
    return operation->emitError("cannot cost a linalg op without outputs");

  OpWorkload w;
  w.loopSizes.assign(op.getStaticLoopRanges());
  for (utils::IteratorType type : op.getIteratorTypesArray())
    w.loopRoles.push_back(type == utils::IteratorType::reduction
                              ? LoopRole::Reduction
                              : LoopRole::Parallel);
  int64_t iterations = product(w.loopSizes);

  bool isContraction = isGemmLikeContraction(op);
  // Pooling ops share the convolution interface but multiply nothing: they
  // are window reductions, costed as streaming kernels.
  bool isConvolution =
      !isContraction && linalg::isaConvolutionOpInterface(op) &&
      llvm::any_of(op.getBlock()->getOperations(),
                   llvm::IsaPred<arith::MulFOp, arith::MulIOp>);
  // Products multiply their first two inputs (contractions, convolutions).
  bool isProduct = isContraction || isConvolution;
  Type computeType = getComputeType(op, isProduct);
  // The bytes of an element as stored: a product's are its multiplied
  // inputs' (the compute type), another op's those of its largest tensor,
  // the first of equal ones (an f16 softmax's rows, whatever the type of the
  // statistics it reduces them into or computes in).
  w.elementBytes = getElementStorageBytes(
      isProduct ? computeType : getLargestTensorElementType(op));

  FailureOr<PayloadCounts> payload = countPayload(operation, *op.getBlock());
  if (failed(payload))
    return failure();
  PayloadCounts counts = *payload;
  // An op that only moves its elements (a copy, a transpose) needs no
  // arithmetic path: its bytes are what it costs, whatever their type (f8).
  bool movesOnly = !isProduct && counts.flops == 0;
  FailureOr<PeakKind> arithmetic =
      movesOnly &&
              failed(getArithmeticFor(computeType, /*isContraction=*/false))
          ? FailureOr<PeakKind>(PeakKind::F32)
          : getArithmeticOrError(operation, computeType, isProduct);
  if (failed(arithmetic))
    return failure();
  w.arithmetic = *arithmetic;
  double work = 1;
  for (int64_t size : w.loopSizes)
    work *= size;
  if (work * std::max<int64_t>(1, counts.flops) >= kMaxCountableWork)
    return operation->emitError("cannot cost this op: its iteration count ")
           << "overflows TileCast's 64-bit counters";
  // A quantized product's kernel multiplies and adds the raw values and
  // corrects the zero points with row and column sums: two operations per
  // multiply-add, as the unquantized op, not the four of its payload.
  bool isQuantized = isQuantizedContraction(op) || isQuantizedConvolution(op);
  w.flops = (isQuantized ? 2 : counts.flops) * iterations;
  w.transcendentals = counts.transcendentals * iterations;
  w.exponentials = counts.exponentials * iterations;

  w.numInputs = 0;
  for (OpOperand *input : op.getDpsInputOperands()) {
    int64_t bytes = getOperandBytes(op, input);
    w.bytesRead += bytes;
    w.numInputs += bytes > 0;
  }
  FailureOr<int64_t> gathered = getGatheredBytes(op, iterations);
  if (failed(gathered))
    return failure();
  w.bytesRead += *gathered;
  for (OpOperand &init : op.getDpsInitsMutable()) {
    int64_t bytes = getOperandBytes(op, &init);
    w.bytesWritten += bytes;
    if (op.payloadUsesValueFromOperand(&init) &&
        !isInitialisedInRegisters(op, init))
      w.bytesRead += bytes;
  }

  int64_t reductionSize = 1;
  for (auto [size, role] : llvm::zip(w.loopSizes, w.loopRoles))
    if (role == LoopRole::Reduction)
      reductionSize *= size;
  w.rowLength = w.loopSizes.empty() ? 1 : w.loopSizes.back();
  w.rows = std::max<int64_t>(1, iterations / std::max<int64_t>(1, w.rowLength));

  if (isContraction) {
    w.kind = WorkloadKind::Contraction;
    if (failed(fillGemmView(w, op)))
      return failure();
  } else if (isConvolution) {
    w.kind = WorkloadKind::Convolution;
    if (failed(fillConvolutionView(w, op)))
      return failure();
  } else if (counts.flops == 0) {
    w.kind = WorkloadKind::DataMovement;
  } else if (reductionSize == 1) {
    w.kind = WorkloadKind::Elementwise;
  } else {
    w.kind = WorkloadKind::Reduction;
    w.rowLength = reductionSize;
    w.rows = iterations / reductionSize;
  }
  return w;
}

namespace {
/// WorkloadOpInterface for every structured linalg op.
template <typename OpTy>
struct LinalgWorkloadModel
    : public WorkloadOpInterface::ExternalModel<LinalgWorkloadModel<OpTy>,
                                                OpTy> {
  FailureOr<OpWorkload> getWorkload(Operation *op) const {
    return getLinalgWorkload(cast<linalg::LinalgOp>(op));
  }

  /// A fill whose every use is an accumulator that a linalg payload reads
  /// (torch-mlir's `tensor.empty` + `linalg.fill` + `linalg.matmul`) is
  /// folded into the consumer's kernel, which initialises it in registers.
  /// On buffers (after bufferization), a fill is folded when the next op of
  /// its block to touch the buffer (directly, through a view of the same
  /// data, or in its regions) is such a consumer.
  bool isFoldedIntoConsumers(Operation *op) const {
    if (!isFillOp(op))
      return false;
    if (op->getNumResults() == 0) {
      // The next op to touch the buffer must read it as an accumulator, and
      // nothing else may come between them.
      Value buffer = cast<DestinationStyleOpInterface>(op).getDpsInits()[0];
      std::optional<SmallVector<Operation *>> users =
          getBufferUsersInBlock(buffer, op->getBlock());
      if (!users)
        return false;
      auto it = llvm::find(*users, op);
      if (it == users->end() || std::next(it) == users->end())
        return false;
      Operation *next = *std::next(it);
      return llvm::any_of(next->getOpOperands(), [&](OpOperand &use) {
        return use.get() == buffer && isReadAccumulator(next, use);
      });
    }
    if (op->use_empty())
      return false;
    return llvm::all_of(op->getUses(), [](OpOperand &use) {
      return isReadAccumulator(use.getOwner(), use);
    });
  }
};
} // namespace

//===----------------------------------------------------------------------===//
// linalg.softmax
//===----------------------------------------------------------------------===//

namespace {
struct SoftmaxWorkloadModel
    : public WorkloadOpInterface::ExternalModel<SoftmaxWorkloadModel,
                                                linalg::SoftmaxOp> {
  FailureOr<OpWorkload> getWorkload(Operation *op) const {
    auto softmax = cast<linalg::SoftmaxOp>(op);
    if (failed(verifyCostableTypes(op)))
      return failure();
    ShapedType inputType = softmax.getInputOperandType();
    if (failed(getArithmeticOrError(op, inputType.getElementType(), false)))
      return failure();
    int64_t rowLength = inputType.getDimSize(softmax.getDimension());
    int64_t rows = inputType.getNumElements() / std::max<int64_t>(1, rowLength);
    OpWorkload w = OpWorkload::getSoftmax(
        rows, rowLength, getElementStorageBytes(inputType.getElementType()));
    w.loopSizes.assign(inputType.getShape().begin(),
                       inputType.getShape().end());
    w.loopRoles.assign(inputType.getRank(), LoopRole::Parallel);
    w.loopRoles[softmax.getDimension()] = LoopRole::Reduction;
    return w;
  }
};
} // namespace

//===----------------------------------------------------------------------===//
// Tensor data movement
//===----------------------------------------------------------------------===//

/// A copy-like op: reads `bytesRead`, writes `bytesWritten`, iterates over
/// `shape` (the shape it produces).
static FailureOr<OpWorkload> getDataMovementWorkload(Operation *op,
                                                     ShapedType shape,
                                                     int64_t bytesRead,
                                                     int64_t bytesWritten) {
  if (failed(verifyCostableTypes(op)))
    return failure();
  OpWorkload w;
  w.kind = WorkloadKind::DataMovement;
  w.elementBytes = getElementStorageBytes(shape.getElementType());
  w.loopSizes.assign(shape.getShape().begin(), shape.getShape().end());
  w.loopRoles.assign(shape.getRank(), LoopRole::Parallel);
  w.rowLength = shape.getRank() ? shape.getShape().back() : 1;
  w.rows = shape.getNumElements() / std::max<int64_t>(1, w.rowLength);
  w.bytesRead = bytesRead;
  w.bytesWritten = bytesWritten;
  return w;
}

/// Whether `op` is an insert (tensor.insert_slice, parallel_insert_slice)
/// whose source is the result of a destination-style op whose init is the
/// same slice (offsets, sizes, strides) of the same destination: the
/// producer wrote the tile in place.
static bool isInsertWrittenInPlace(Operation *op) {
  Value source, dest;
  if (auto insert = dyn_cast<tensor::InsertSliceOp>(op)) {
    source = insert.getSource();
    dest = insert.getDest();
  } else if (auto insert = dyn_cast<tensor::ParallelInsertSliceOp>(op)) {
    source = insert.getSource();
    dest = insert.getDest();
  } else {
    return false;
  }
  auto result = dyn_cast<OpResult>(source);
  auto producer = result
                      ? dyn_cast<DestinationStyleOpInterface>(result.getOwner())
                      : DestinationStyleOpInterface();
  if (!producer)
    return false;
  auto slice = producer.getTiedOpOperand(result)
                   ->get()
                   .getDefiningOp<tensor::ExtractSliceOp>();
  auto insert = cast<OffsetSizeAndStrideOpInterface>(op);
  return slice && slice.getSource() == dest &&
         isEqualConstantIntOrValueArray(slice.getMixedOffsets(),
                                        insert.getMixedOffsets()) &&
         isEqualConstantIntOrValueArray(slice.getMixedSizes(),
                                        insert.getMixedSizes()) &&
         isEqualConstantIntOrValueArray(slice.getMixedStrides(),
                                        insert.getMixedStrides());
}

namespace {
template <typename OpTy>
struct DataMovementWorkloadModel
    : public WorkloadOpInterface::ExternalModel<DataMovementWorkloadModel<OpTy>,
                                                OpTy> {
  FailureOr<OpWorkload> getWorkload(Operation *op) const {
    // Every op here is checked static before its shapes are read.
    if (failed(verifyCostableTypes(op)))
      return failure();
    return llvm::TypeSwitch<Operation *, FailureOr<OpWorkload>>(op)
        .Case([](tensor::PadOp pad) {
          // The source is read once; the whole padded result is written.
          return getDataMovementWorkload(
              pad, pad.getResultType(),
              getStaticShapedBytes(pad.getSourceType()),
              getStaticShapedBytes(pad.getResultType()));
        })
        .Case([](tensor::ConcatOp concat) {
          int64_t read = 0;
          for (Type type : concat.getInputs().getTypes())
            read += getStaticShapedBytes(type);
          return getDataMovementWorkload(
              concat, concat.getResultType(), read,
              getStaticShapedBytes(concat.getType()));
        })
        .Case([](tensor::ExtractSliceOp slice) {
          int64_t bytes = getStaticShapedBytes(slice.getResultType());
          return getDataMovementWorkload(slice, slice.getResultType(), bytes,
                                         bytes);
        })
        .template Case<tensor::InsertSliceOp, tensor::ParallelInsertSliceOp>(
            [](auto slice) {
              // Only the inserted slice moves; the destination is updated in
              // place (from the tile of an scf.forall, for the parallel one).
              int64_t bytes = getStaticShapedBytes(slice.getSourceType());
              return getDataMovementWorkload(slice, slice.getSourceType(),
                                             bytes, bytes);
            })
        .Case([](tensor::GatherOp gather) {
          // Each gathered element is read once, with its indices, and written
          // once; the rest of the source is not touched.
          int64_t bytes = getStaticShapedBytes(gather.getResultType());
          return getDataMovementWorkload(
              gather, gather.getResultType(),
              bytes + getStaticShapedBytes(gather.getIndicesType()), bytes);
        })
        .Case([](linalg::PackOp pack) {
          // The source is read once; the packed result, padding included, is
          // written. Its loops are the outer (tile) dimensions of the result,
          // as in the op's TilingInterface.
          FailureOr<OpWorkload> movement = getDataMovementWorkload(
              pack, pack.getDestType(),
              getStaticShapedBytes(pack.getSourceType()),
              getStaticShapedBytes(pack.getDestType()));
          if (succeeded(movement)) {
            movement->loopSizes.resize(pack.getSourceRank());
            movement->loopRoles.resize(pack.getSourceRank());
          }
          return movement;
        })
        .Case([](linalg::UnPackOp unpack) {
          // The packed source is read, padding included; the unpacked result
          // is written. Its loops are the result's, as in its TilingInterface.
          return getDataMovementWorkload(
              unpack, unpack.getDestType(),
              getStaticShapedBytes(unpack.getSourceType()),
              getStaticShapedBytes(unpack.getDestType()));
        })
        .Case([](memref::CopyOp copy) {
          int64_t bytes = getStaticShapedBytes(copy.getSource().getType());
          return getDataMovementWorkload(
              copy, cast<ShapedType>(copy.getTarget().getType()), bytes, bytes);
        })
        .Default([](Operation *other) -> FailureOr<OpWorkload> {
          return other->emitError("no data-movement model for this op");
        });
  }

  /// A slice that only names where its users write (the tile of a tiled
  /// op's output, an init its payload does not read) moves no data: the
  /// users write into the tensor it is a slice of. An insert of a tile that
  /// its producer computed into that very slice of the destination (tiled
  /// code, scf.for or scf.forall) moves none either: the producer wrote it
  /// in place, as bufferization makes it (one that must copy the destination
  /// because it is read after the insert is not modelled).
  bool isFoldedIntoConsumers(Operation *op) const {
    if (isa<tensor::InsertSliceOp, tensor::ParallelInsertSliceOp>(op))
      return isInsertWrittenInPlace(op);
    if (!isa<tensor::ExtractSliceOp>(op) || op->use_empty())
      return false;
    // Each use is an init that its payload does not read, or whose result
    // goes back in place (an accumulator tile: the consumer reads it where
    // it lies, and its kernel counts that read).
    return llvm::all_of(op->getUses(), [](OpOperand &use) {
      auto consumer = dyn_cast<linalg::LinalgOp>(use.getOwner());
      if (!consumer || !consumer.isDpsInit(&use))
        return false;
      if (!consumer.payloadUsesValueFromOperand(&use))
        return true;
      return llvm::any_of(consumer.getTiedOpResult(&use).getUsers(),
                          isInsertWrittenInPlace);
    });
  }
};
} // namespace

//===----------------------------------------------------------------------===//
// Registration
//===----------------------------------------------------------------------===//

template <typename... OpTys>
static void attachLinalgModels(MLIRContext *context) {
  (OpTys::template attachInterface<LinalgWorkloadModel<OpTys>>(*context), ...);
}

void tilecast::registerWorkloadExternalModels(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *context, linalg::LinalgDialect *) {
    attachLinalgModels<
#define GET_OP_LIST
#include "mlir/Dialect/Linalg/IR/LinalgStructuredOps.cpp.inc"
        >(context);
    linalg::SoftmaxOp::attachInterface<SoftmaxWorkloadModel>(*context);
    linalg::PackOp::attachInterface<DataMovementWorkloadModel<linalg::PackOp>>(
        *context);
    linalg::UnPackOp::attachInterface<
        DataMovementWorkloadModel<linalg::UnPackOp>>(*context);
  });
  registry.addExtension(+[](MLIRContext *context, tensor::TensorDialect *) {
    tensor::PadOp::attachInterface<DataMovementWorkloadModel<tensor::PadOp>>(
        *context);
    tensor::ConcatOp::attachInterface<
        DataMovementWorkloadModel<tensor::ConcatOp>>(*context);
    tensor::ExtractSliceOp::attachInterface<
        DataMovementWorkloadModel<tensor::ExtractSliceOp>>(*context);
    tensor::InsertSliceOp::attachInterface<
        DataMovementWorkloadModel<tensor::InsertSliceOp>>(*context);
    tensor::ParallelInsertSliceOp::attachInterface<
        DataMovementWorkloadModel<tensor::ParallelInsertSliceOp>>(*context);
    tensor::GatherOp::attachInterface<
        DataMovementWorkloadModel<tensor::GatherOp>>(*context);
  });
  registry.addExtension(+[](MLIRContext *context, memref::MemRefDialect *) {
    memref::CopyOp::attachInterface<DataMovementWorkloadModel<memref::CopyOp>>(
        *context);
  });
}
