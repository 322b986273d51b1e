//===- TileCast.cpp - C API of TileCast -----------------------------------===//

#include "tilecast-c/TileCast.h"

#include "passes/Passes.h"
#include "tilecast/Compose/Prediction.h"
#include "tilecast/Cost/CostModel.h"
#include "tilecast/Support/InputFile.h"
#include "tilecast/Support/ToolDiagnostics.h"
#include "tilecast/Target/TargetSpec.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

#include <cstdlib>
#include <cstring>
#include <mutex>

using namespace mlir;
using namespace mlir::tilecast;

#ifndef TILECAST_VERSION
#error "TILECAST_VERSION must be defined by the build"
#endif

struct TilecastErrorImpl {
  std::string message;
};

static StringRef getSeverityPrefix(DiagnosticSeverity severity) {
  switch (severity) {
  case DiagnosticSeverity::Note:
    return "note: ";
  case DiagnosticSeverity::Warning:
    return "warning: ";
  case DiagnosticSeverity::Remark:
    return "remark: ";
  case DiagnosticSeverity::Error:
    return "error: ";
  }
  llvm_unreachable("unknown severity");
}

namespace {
/// An MLIRContext that records diagnostics as text instead of printing them.
class CapturingContext {
public:
  CapturingContext()
      : handler(&context, [this](Diagnostic &diag) {
          record(diag);
          return success();
        }) {}

  MLIRContext *get() { return &context; }
  Location loc() { return UnknownLoc::get(&context); }

  /// Forgets what was recorded: a query's error holds only its own text (a
  /// warning of an earlier query that succeeded is dropped).
  void clear() { text.clear(); }

  /// Returns the recorded text, after `prefix`, as an error, and forgets it.
  TilecastError takeError(StringRef fallback, const Twine &prefix = "") {
    std::string message =
        (prefix + (text.empty() ? fallback : StringRef(text))).str();
    text.clear();
    return new TilecastErrorImpl{std::move(message)};
  }

private:
  /// The location as the tools print it: file:line:col when it has one (a
  /// spec or model file's JSON error), else its name.
  static void printLocation(Location loc, raw_ostream &os) {
    if (auto file = loc->findInstanceOf<FileLineColLoc>())
      os << file.getFilename().getValue() << ':' << file.getLine() << ':'
         << file.getColumn();
    else if (auto name = dyn_cast<NameLoc>(loc))
      os << name.getName().getValue();
    else
      os << loc;
  }

  void record(Diagnostic &diag) {
    llvm::raw_string_ostream os(text);
    if (!isa<UnknownLoc>(diag.getLocation())) {
      printLocation(diag.getLocation(), os);
      os << ": ";
    }
    os << getSeverityPrefix(diag.getSeverity()) << diag.str() << '\n';
    for (Diagnostic &note : diag.getNotes())
      os << "note: " << note.str() << '\n';
  }

  MLIRContext context;
  std::string text;
  ScopedDiagnosticHandler handler;
};
} // namespace

struct TilecastTargetImpl {
  TargetSpec spec;
};

struct TilecastModelImpl {
  std::unique_ptr<CostModel> model;
  /// Serialises queries: their diagnostics are captured in one buffer.
  std::mutex mutex;
  CapturingContext diagnostics;
};

struct TilecastWorkloadImpl {
  OpWorkload workload;
};

static TilecastError makeError(const Twine &message) {
  return new TilecastErrorImpl{message.str()};
}

//===----------------------------------------------------------------------===//
// Errors, strings, version
//===----------------------------------------------------------------------===//

const char *tilecastErrorGetMessage(TilecastError error) {
  return error ? error->message.c_str() : "";
}

void tilecastErrorDestroy(TilecastError error) { delete error; }

void tilecastStringDestroy(TilecastString string) { std::free(string.data); }

const char *tilecastGetVersion(void) { return TILECAST_VERSION; }

int tilecastGetApiVersion(void) { return TILECAST_C_API_VERSION; }

//===----------------------------------------------------------------------===//
// Targets
//===----------------------------------------------------------------------===//

size_t tilecastGetNumBuiltinTargets(void) {
  return getBuiltinTargetIds().size();
}

const char *tilecastGetBuiltinTargetId(size_t index) {
  SmallVector<StringRef> ids = getBuiltinTargetIds();
  // The ids point into the library's static database.
  return index < ids.size() ? ids[index].data() : nullptr;
}

TilecastError tilecastTargetLoad(const char *nameOrPath, TilecastTarget *out) {
  if (!nameOrPath || !out)
    return makeError("tilecastTargetLoad: null argument");
  CapturingContext context;
  FailureOr<TargetSpec> spec = lookupTarget(nameOrPath, context.loc());
  if (failed(spec))
    return context.takeError("cannot load target");
  *out = new TilecastTargetImpl{std::move(*spec)};
  return nullptr;
}

void tilecastTargetDestroy(TilecastTarget target) { delete target; }

TilecastTargetInfo tilecastTargetGetInfo(TilecastTarget target) {
  if (!target)
    return {};
  const TargetSpec &s = target->spec;
  auto peak = [&](PeakKind kind) {
    return s.peakTflops[static_cast<unsigned>(kind)];
  };
  return {s.id.c_str(),          s.name.c_str(),       s.isGpu(),
          s.computeUnits,        s.lanesPerUnit,       s.clockMhz,
          s.memoryBandwidthGbps, s.l2CacheMib,         s.launchOverheadUs,
          peak(PeakKind::F64),   peak(PeakKind::F32),  peak(PeakKind::TF32),
          peak(PeakKind::F16),   peak(PeakKind::BF16), peak(PeakKind::I8)};
}

//===----------------------------------------------------------------------===//
// Models and workloads
//===----------------------------------------------------------------------===//

TilecastModelOptions tilecastModelOptionsGetDefault(void) {
  return {nullptr, CostModelOptions().coverage};
}

static CostModelOptions
toCostModelOptions(const TilecastModelOptions &options) {
  CostModelOptions converted;
  if (options.modelFile)
    converted.modelFile = options.modelFile;
  converted.coverage = options.coverage;
  return converted;
}

TilecastError tilecastModelCreate(const char *name, TilecastModel *out) {
  TilecastModelOptions defaults = tilecastModelOptionsGetDefault();
  return tilecastModelCreateWithOptions(name, &defaults, out);
}

TilecastError tilecastModelCreateWithOptions(
    const char *name, const TilecastModelOptions *options, TilecastModel *out) {
  if (!name || !options || !out)
    return makeError("tilecastModelCreateWithOptions: null argument");
  auto impl = std::make_unique<TilecastModelImpl>();
  FailureOr<std::unique_ptr<CostModel>> model = createCostModel(
      name, impl->diagnostics.loc(), toCostModelOptions(*options));
  if (failed(model))
    return impl->diagnostics.takeError("cannot create model");
  impl->model = std::move(*model);
  *out = impl.release();
  return nullptr;
}

void tilecastModelDestroy(TilecastModel model) { delete model; }

namespace {
struct DtypeInfo {
  PeakKind contraction;
  PeakKind vector;
  int64_t bytes;
};
} // namespace

static std::optional<DtypeInfo> getDtypeInfo(TilecastDtype dtype) {
  switch (dtype) {
  case TILECAST_DTYPE_F64:
    return DtypeInfo{PeakKind::F64, PeakKind::F64, 8};
  case TILECAST_DTYPE_F32:
    return DtypeInfo{PeakKind::F32, PeakKind::F32, 4};
  case TILECAST_DTYPE_F16:
    return DtypeInfo{PeakKind::F16, PeakKind::F32, 2};
  case TILECAST_DTYPE_BF16:
    return DtypeInfo{PeakKind::BF16, PeakKind::F32, 2};
  case TILECAST_DTYPE_I8:
    return DtypeInfo{PeakKind::I8, PeakKind::F32, 1};
  }
  return std::nullopt;
}

/// Checks that every size is at least 1 and that their product stays within
/// kMaxWorkloadCount.
static TilecastError checkSizes(StringRef function,
                                std::initializer_list<int64_t> sizes) {
  for (int64_t size : sizes)
    if (size < 1)
      return makeError(function + ": sizes must be at least 1, got " +
                       Twine(size));
  if (failed(getBoundedProduct(sizes)))
    return makeError(function + ": more than 2^50 iterations");
  return nullptr;
}

static TilecastError wrapWorkload(OpWorkload workload, TilecastWorkload *out) {
  if (!out)
    return makeError("null output handle");
  *out = new TilecastWorkloadImpl{std::move(workload)};
  return nullptr;
}

TilecastError tilecastWorkloadCreateMatmul(int64_t batch, int64_t m, int64_t n,
                                           int64_t k, TilecastDtype dtype,
                                           TilecastWorkload *out) {
  std::optional<DtypeInfo> info = getDtypeInfo(dtype);
  if (!info)
    return makeError("tilecastWorkloadCreateMatmul: unknown dtype");
  if (TilecastError error =
          checkSizes("tilecastWorkloadCreateMatmul", {batch, m, n, k}))
    return error;
  return wrapWorkload(
      OpWorkload::getMatmul(batch, m, n, k, info->contraction, info->bytes),
      out);
}

TilecastError
tilecastWorkloadCreateElementwise(int64_t rows, int64_t rowLength,
                                  int64_t numInputs, int64_t flopsPerElement,
                                  int64_t transcendentalsPerElement,
                                  TilecastDtype dtype, TilecastWorkload *out) {
  std::optional<DtypeInfo> info = getDtypeInfo(dtype);
  if (!info)
    return makeError("tilecastWorkloadCreateElementwise: unknown dtype");
  if (TilecastError error =
          checkSizes("tilecastWorkloadCreateElementwise", {rows, rowLength}))
    return error;
  if (numInputs < 0 || flopsPerElement < 0 || transcendentalsPerElement < 0)
    return makeError("tilecastWorkloadCreateElementwise: counts must be "
                     "non-negative");
  // The op's counts (elements times each per-element count, and the bytes
  // its inputs take) must stay within kMaxWorkloadCount as well.
  int64_t elements = rows * rowLength;
  if (failed(getBoundedProduct({numInputs, elements, info->bytes})) ||
      failed(getBoundedProduct({flopsPerElement, elements})) ||
      failed(getBoundedProduct({transcendentalsPerElement, elements})))
    return makeError("tilecastWorkloadCreateElementwise: a count of the op "
                     "(elements times a per-element count) exceeds 2^50");
  OpWorkload w =
      OpWorkload::getElementwise(rows, rowLength, numInputs, flopsPerElement,
                                 transcendentalsPerElement, info->bytes);
  w.arithmetic = info->vector;
  return wrapWorkload(std::move(w), out);
}

TilecastError
tilecastWorkloadSetExponentialsPerElement(TilecastWorkload workload,
                                          int64_t exponentialsPerElement) {
  StringRef function = "tilecastWorkloadSetExponentialsPerElement";
  if (!workload)
    return makeError(function + ": null workload");
  OpWorkload &w = workload->workload;
  if (w.kind != WorkloadKind::Elementwise)
    return makeError(function + ": the workload is not element-wise");
  if (exponentialsPerElement < 0)
    return makeError(function + ": the count must be non-negative, got " +
                     Twine(exponentialsPerElement));
  // Element-wise workloads are only made by tilecastWorkloadCreateElementwise,
  // whose sizes are at least 1 and whose counts do not overflow.
  int64_t elements = w.rows * w.rowLength;
  int64_t transcendentalsPerElement = w.transcendentals / elements;
  if (exponentialsPerElement > transcendentalsPerElement)
    return makeError(function + ": " + Twine(exponentialsPerElement) +
                     " exponentials per element, but the workload has " +
                     Twine(transcendentalsPerElement) +
                     " transcendental evaluations per element");
  w.exponentials = exponentialsPerElement * elements;
  return nullptr;
}

/// Softmax and layernorm: row-wise ops on the vector path.
static TilecastError createRowWise(
    StringRef function, int64_t rows, int64_t rowLength, TilecastDtype dtype,
    OpWorkload (*build)(int64_t, int64_t, int64_t), TilecastWorkload *out) {
  std::optional<DtypeInfo> info = getDtypeInfo(dtype);
  if (!info)
    return makeError(function + ": unknown dtype");
  if (TilecastError error = checkSizes(function, {rows, rowLength}))
    return error;
  OpWorkload w = build(rows, rowLength, info->bytes);
  w.arithmetic = info->vector;
  return wrapWorkload(std::move(w), out);
}

TilecastError tilecastWorkloadCreateSoftmax(int64_t rows, int64_t rowLength,
                                            TilecastDtype dtype,
                                            TilecastWorkload *out) {
  return createRowWise("tilecastWorkloadCreateSoftmax", rows, rowLength, dtype,
                       &OpWorkload::getSoftmax, out);
}

TilecastError tilecastWorkloadCreateLayerNorm(int64_t rows, int64_t rowLength,
                                              TilecastDtype dtype,
                                              TilecastWorkload *out) {
  return createRowWise("tilecastWorkloadCreateLayerNorm", rows, rowLength,
                       dtype, &OpWorkload::getLayerNorm, out);
}

void tilecastWorkloadDestroy(TilecastWorkload workload) { delete workload; }

size_t tilecastWorkloadGetNumLoops(TilecastWorkload workload) {
  return workload ? workload->workload.loopSizes.size() : 0;
}

//===----------------------------------------------------------------------===//
// Estimates
//===----------------------------------------------------------------------===//

static TilecastBound wrapBound(Bound bound) {
  switch (bound) {
  case Bound::compute:
    return TILECAST_BOUND_COMPUTE;
  case Bound::memory:
    return TILECAST_BOUND_MEMORY;
  case Bound::overhead:
    return TILECAST_BOUND_OVERHEAD;
  }
  llvm_unreachable("unknown bound");
}

TilecastError tilecastEstimate(TilecastModel model, TilecastTarget target,
                               TilecastWorkload workload, TilecastCost *out) {
  if (!model || !target || !workload || !out)
    return makeError("tilecastEstimate: null argument");
  std::lock_guard<std::mutex> lock(model->mutex);
  model->diagnostics.clear();
  FailureOr<CostEstimate> e = model->model->estimate(
      workload->workload, target->spec, model->diagnostics.loc());
  if (failed(e))
    return model->diagnostics.takeError("estimate failed");
  *out = {e->latencyUs, e->lowerUs,  e->upperUs,
          e->computeUs, e->memoryUs, e->overheadUs,
          e->flops,     e->bytes,    wrapBound(e->bound)};
  return nullptr;
}

TilecastError tilecastEstimateTiles(TilecastModel model, TilecastTarget target,
                                    TilecastWorkload workload,
                                    const int64_t *tileSizes, size_t numQueries,
                                    TilecastTileCost *out) {
  if (!model || !target || !workload || (numQueries && (!tileSizes || !out)))
    return makeError("tilecastEstimateTiles: null argument");
  std::lock_guard<std::mutex> lock(model->mutex);
  size_t rank = workload->workload.loopSizes.size();
  for (size_t i = 0; i < numQueries; ++i) {
    model->diagnostics.clear();
    ArrayRef<int64_t> tiles(tileSizes + i * rank, rank);
    FailureOr<TileCostEstimate> e = model->model->estimateTile(
        workload->workload, tiles, target->spec, model->diagnostics.loc());
    if (failed(e))
      return model->diagnostics.takeError("tile estimate failed",
                                          "row " + Twine(i) + ": ");
    out[i] = {e->numTiles, e->waves, e->tileLatencyUs, e->latencyUs,
              wrapBound(e->bound)};
  }
  return nullptr;
}

//===----------------------------------------------------------------------===//
// Modules
//===----------------------------------------------------------------------===//

static TilecastString copyString(StringRef text) {
  char *data = static_cast<char *>(std::malloc(text.size() + 1));
  if (!data)
    llvm::report_bad_alloc_error("tilecast: out of memory");
  std::memcpy(data, text.data(), text.size());
  data[text.size()] = '\0';
  return {data, text.size()};
}

TilecastError tilecastPredictModule(const char *mlirText, size_t length,
                                    const char *sourceName,
                                    TilecastTarget target,
                                    const char *modelName,
                                    TilecastString *jsonOut) {
  TilecastModelOptions defaults = tilecastModelOptionsGetDefault();
  return tilecastPredictModuleWithOptions(mlirText, length, sourceName, target,
                                          modelName, &defaults,
                                          /*overlapLaunches=*/0, jsonOut);
}

TilecastError
tilecastPredictModuleWithOptions(const char *mlirText, size_t length,
                                 const char *sourceName, TilecastTarget target,
                                 const char *modelName,
                                 const TilecastModelOptions *modelOptions,
                                 int overlapLaunches, TilecastString *jsonOut) {
  if (!mlirText || !target || !modelName || !modelOptions || !jsonOut)
    return makeError("tilecastPredictModuleWithOptions: null argument");
  DialectRegistry registry;
  registerInputDialects(registry);
  MLIRContext context(registry);
  context.printOpOnDiagnostic(false);

  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(StringRef(mlirText, length),
                                           sourceName ? sourceName : "<input>"),
      llvm::SMLoc());
  std::string diagnostics;
  llvm::raw_string_ostream diagnosticStream(diagnostics);
  SourceDiagnosticHandler handler(sourceMgr, &context, diagnosticStream);
  // Registered last, so asked first; passes every diagnostic on.
  bool onlyRemarks = true;
  ScopedDiagnosticHandler severities(&context, [&](Diagnostic &diag) {
    onlyRemarks &= diag.getSeverity() == DiagnosticSeverity::Remark;
    return failure();
  });

  if (failed(verifyIRInput(
          *sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID()), &context)))
    return makeError(diagnostics);
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    return makeError(diagnostics.empty() ? "cannot parse the module"
                                         : diagnostics);
  ComposeOptions composeOptions;
  composeOptions.overlapLaunches = overlapLaunches != 0;
  if (failed(verifyComposeOptions(composeOptions, target->spec,
                                  UnknownLoc::get(&context))))
    return makeError(diagnostics);
  replaceTargets(*module, getTargetAttr(&context, target->spec));
  PassManager pm(&context);
  TilecastEstimateCostPassOptions options;
  options.model = modelName;
  if (modelOptions->modelFile)
    options.modelFile = modelOptions->modelFile;
  options.coverage = modelOptions->coverage;
  pm.addPass(createTilecastEstimateCostPass(options));
  if (failed(pm.run(*module)))
    return makeError(diagnostics.empty() ? "costing failed" : diagnostics);

  Prediction prediction =
      composePrediction(*module, target->spec, modelName, composeOptions);
  // The error starts with the verdict: the costing's remarks on each skipped
  // op are repeated in its notes (warnings are kept).
  if (onlyRemarks)
    diagnostics.clear();
  if (failed(verifyPrediction(
          prediction,
          FileLineColLoc::get(&context, sourceName ? sourceName : "<input>", 1,
                              1))))
    return makeError(diagnostics);
  std::string json;
  llvm::raw_string_ostream os(json);
  printPredictionJson(prediction, os);
  *jsonOut = copyString(json);
  return nullptr;
}
