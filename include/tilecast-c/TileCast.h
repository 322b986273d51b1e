/*===- TileCast.h - C API of TileCast -----------------------------*- C -*-===*\
|*                                                                            *|
|* A small, stable C API over TileCast's cost library, in the style of        *|
|* mlir-c: opaque owned handles with explicit destroy functions, errors       *|
|* returned as values (never aborts), plain structs for results. The Python   *|
|* package (python/tilecast) reaches TileCast through it with ctypes.         *|
|*                                                                            *|
|* Ownership: every handle a function returns through an out-parameter is    *|
|* owned by the caller and must be destroyed with the matching *Destroy       *|
|* function. A non-null TilecastError means the call failed and its outputs   *|
|* were not written (tilecastEstimateTiles: see there). Handles may be shared *|
|* between threads; queries on one model handle are serialised.               *|
\*===----------------------------------------------------------------------===*/

#ifndef TILECAST_C_TILECAST_H
#define TILECAST_C_TILECAST_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TILECAST_C_API_VERSION 3

/*===----------------------------------------------------------------------===
 * Errors and strings
 *===----------------------------------------------------------------------===*/

/** An error: null on success. Owned; destroy with tilecastErrorDestroy. */
typedef struct TilecastErrorImpl *TilecastError;

/** The error's message, with locations ("file:line:col: error: ..."). Valid
 *  until the error is destroyed. */
const char *tilecastErrorGetMessage(TilecastError error);
void tilecastErrorDestroy(TilecastError error);

/** A string returned by the library. Owned; destroy with tilecastStringDestroy.
 */
typedef struct {
  char *data;
  size_t length;
} TilecastString;
void tilecastStringDestroy(TilecastString string);

/** The library version, e.g. "0.1.0"; a static string. */
const char *tilecastGetVersion(void);
/** TILECAST_C_API_VERSION of the library. */
int tilecastGetApiVersion(void);

/*===----------------------------------------------------------------------===
 * Targets
 *===----------------------------------------------------------------------===*/

typedef struct TilecastTargetImpl *TilecastTarget;

/** The number of built-in targets, and the id of the i-th (sorted); the id
 *  is a static string. Out-of-range indices return null. */
size_t tilecastGetNumBuiltinTargets(void);
const char *tilecastGetBuiltinTargetId(size_t index);

/** Loads a target by id or alias, or from a spec file path (*.json). */
TilecastError tilecastTargetLoad(const char *nameOrPath, TilecastTarget *out);
void tilecastTargetDestroy(TilecastTarget target);

/** Spec-sheet numbers of a target. Strings are valid while the target lives. */
typedef struct {
  const char *id;
  const char *name;
  int isGpu;
  int64_t computeUnits;
  int64_t lanesPerUnit;
  double clockMhz;
  double memoryBandwidthGbps;
  double l2CacheMib;
  double launchOverheadUs;
  /** Dense peaks in TFLOP/s, 0 where the target has no such path. */
  double peakTflopsF64, peakTflopsF32, peakTflopsTf32, peakTflopsF16,
      peakTflopsBf16, peakTflopsI8;
} TilecastTargetInfo;
TilecastTargetInfo tilecastTargetGetInfo(TilecastTarget target);

/*===----------------------------------------------------------------------===
 * Cost models and op descriptions
 *===----------------------------------------------------------------------===*/

typedef struct TilecastModelImpl *TilecastModel;

/** Creates the cost model `name` ("hybrid", "analytical", "roofline"). */
TilecastError tilecastModelCreate(const char *name, TilecastModel *out);

/** Settings of the hybrid model. The other models have no model file and
 *  one coverage, 0.9: they refuse a modelFile or another coverage, rather
 *  than ignore a setting that would change a hybrid prediction. */
typedef struct {
  /** A tilecast.model.v1 file (tilecast-train, tilecast-calibrate), or NULL
   *  for the built-in one. */
  const char *modelFile;
  /** Coverage of the intervals, one of the file's levels (0.9 by default). */
  double coverage;
} TilecastModelOptions;

/** The defaults: the built-in model file, 90% intervals. */
TilecastModelOptions tilecastModelOptionsGetDefault(void);

/** Creates the model called `name` with `options` (API version 2). */
TilecastError tilecastModelCreateWithOptions(
    const char *name, const TilecastModelOptions *options, TilecastModel *out);
void tilecastModelDestroy(TilecastModel model);

/** Element types of op descriptions. */
typedef enum {
  TILECAST_DTYPE_F64,
  TILECAST_DTYPE_F32,
  TILECAST_DTYPE_F16,
  TILECAST_DTYPE_BF16,
  TILECAST_DTYPE_I8,
} TilecastDtype;

/** An op description (an OpWorkload). Owned; destroy with
 *  tilecastWorkloadDestroy. */
typedef struct TilecastWorkloadImpl *TilecastWorkload;

/** C[batch, m, n] = A[batch, m, k] * B[batch, k, n]; loops batch, m, n, k. */
TilecastError tilecastWorkloadCreateMatmul(int64_t batch, int64_t m, int64_t n,
                                           int64_t k, TilecastDtype dtype,
                                           TilecastWorkload *out);
/** An element-wise map over [rows, rowLength] reading `numInputs` tensors
 *  with `flopsPerElement` arithmetic and `transcendentalsPerElement`
 *  special-function evaluations per element; loops rows, rowLength. None of
 *  the evaluations is an exponential until
 *  tilecastWorkloadSetExponentialsPerElement says so. */
TilecastError
tilecastWorkloadCreateElementwise(int64_t rows, int64_t rowLength,
                                  int64_t numInputs, int64_t flopsPerElement,
                                  int64_t transcendentalsPerElement,
                                  TilecastDtype dtype, TilecastWorkload *out);
/** Marks `exponentialsPerElement` of an element-wise workload's
 *  transcendental evaluations per element as exponentials (exp, exp2,
 *  expm1), which CPU targets price lower than the other special functions,
 *  as they do for math.exp in costed IR. An error for other workloads, a
 *  negative count, or more exponentials than transcendentals; the workload
 *  is unchanged then (API version 3). */
TilecastError
tilecastWorkloadSetExponentialsPerElement(TilecastWorkload workload,
                                          int64_t exponentialsPerElement);
/** Softmax / layernorm over the last dimension of [rows, rowLength]. */
TilecastError tilecastWorkloadCreateSoftmax(int64_t rows, int64_t rowLength,
                                            TilecastDtype dtype,
                                            TilecastWorkload *out);
TilecastError tilecastWorkloadCreateLayerNorm(int64_t rows, int64_t rowLength,
                                              TilecastDtype dtype,
                                              TilecastWorkload *out);
void tilecastWorkloadDestroy(TilecastWorkload workload);
/** The number of loops of the workload's iteration domain (tile rank). */
size_t tilecastWorkloadGetNumLoops(TilecastWorkload workload);

typedef enum {
  TILECAST_BOUND_COMPUTE,
  TILECAST_BOUND_MEMORY,
  TILECAST_BOUND_OVERHEAD,
} TilecastBound;

/** The cost of one op; times in microseconds (#tilecast.cost). */
typedef struct {
  double latencyUs, lowerUs, upperUs, computeUs, memoryUs, overheadUs;
  int64_t flops, bytes;
  TilecastBound bound;
} TilecastCost;

/** The cost of one tiling (#tilecast.tile_cost). */
typedef struct {
  int64_t numTiles;
  int64_t waves;
  double tileLatencyUs;
  double latencyUs;
  TilecastBound bound;
} TilecastTileCost;

TilecastError tilecastEstimate(TilecastModel model, TilecastTarget target,
                               TilecastWorkload workload, TilecastCost *out);

/** Costs `numQueries` tilings of one workload: `tileSizes` holds numQueries
 *  rows of tilecastWorkloadGetNumLoops(workload) sizes (0 = untiled), `out`
 *  numQueries results. Stops at the first illegal row and reports it, its
 *  message starting "row N: " (N counted from 0); the results of the rows
 *  before it are written. */
TilecastError tilecastEstimateTiles(TilecastModel model, TilecastTarget target,
                                    TilecastWorkload workload,
                                    const int64_t *tileSizes, size_t numQueries,
                                    TilecastTileCost *out);

/*===----------------------------------------------------------------------===
 * Modules
 *===----------------------------------------------------------------------===*/

/** Parses `mlirText` (linalg/tensor IR; `sourceName` names it in
 *  diagnostics), replaces every #tilecast.target it carries by `target`,
 *  runs tilecast-estimate-cost with `modelName` and returns the prediction
 *  as tilecast.prediction.v1 JSON (docs/prediction-schema.md). A module
 *  with no op the cost models price is an error ("nothing to cost"), whose
 *  notes name the ops skipped and why.
 *
 *  `mlirText` may also be MLIR bytecode. MLIR's bytecode reader aborts the
 *  process on some corrupt files, so bytecode is first read in a child
 *  process (fork(); the child only reads and exits, and is waited for at
 *  most two minutes): a reader that crashes there makes the module an
 *  error. If no child can be made or waited for (fork refused, SIGCHLD
 *  ignored by the host process, a child still reading after two minutes,
 *  then killed), the bytecode is read unchecked. */
TilecastError tilecastPredictModule(const char *mlirText, size_t length,
                                    const char *sourceName,
                                    TilecastTarget target,
                                    const char *modelName,
                                    TilecastString *jsonOut);

/** tilecastPredictModule with the hybrid model's `modelOptions` and, if
 *  `overlapLaunches` is non-zero, kernels counted as max(execution,
 *  dispatch) in the totals (tilecast-predict --overlap-launches; API
 *  version 2). */
TilecastError
tilecastPredictModuleWithOptions(const char *mlirText, size_t length,
                                 const char *sourceName, TilecastTarget target,
                                 const char *modelName,
                                 const TilecastModelOptions *modelOptions,
                                 int overlapLaunches, TilecastString *jsonOut);

#ifdef __cplusplus
}
#endif

#endif /* TILECAST_C_TILECAST_H */
