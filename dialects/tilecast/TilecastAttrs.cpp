//===- TilecastAttrs.cpp - TileCast attributes ----------------------------===//

#include "dialects/tilecast/TilecastAttrs.h"
#include "dialects/tilecast/TilecastDialect.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/TypeSwitch.h"

#include <charconv>
#include <cmath>

using namespace mlir;
using namespace mlir::tilecast;

#include "dialects/tilecast/TilecastEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "dialects/tilecast/TilecastAttrs.cpp.inc"

LogicalResult TilecastDialect::verifyOperationAttribute(Operation *op,
                                                        NamedAttribute attr) {
  StringRef name = attr.getName().getValue();
  auto expect = [&](bool ok, StringRef kind) -> LogicalResult {
    if (ok)
      return success();
    return op->emitError() << "'" << name << "' must be a " << kind << ", got "
                           << attr.getValue();
  };
  if (name == kTargetAttrName)
    return expect(isa<TargetAttr>(attr.getValue()), "#tilecast.target");
  if (name == kCostAttrName)
    return expect(isa<CostAttr>(attr.getValue()), "#tilecast.cost");
  if (name == kTileCostAttrName)
    return expect(isa<TileCostAttr>(attr.getValue()), "#tilecast.tile_cost");
  if (name == kFusionAttrName)
    return expect(isa<FusionAttr>(attr.getValue()), "#tilecast.fusion");
  if (name == kTileDecisionAttrName)
    return expect(isa<TileDecisionAttr>(attr.getValue()),
                  "#tilecast.tile_decision");
  if (name == kKernelAttrName) {
    if (failed(expect(isa<KernelAttr>(attr.getValue()), "#tilecast.kernel")))
      return failure();
    // A kernel group is a set of ops of one block that compute values;
    // modules and functions compute none.
    if (!op->getBlock() || op->getNumResults() == 0)
      return op->emitError()
             << "'" << name << "' must be on an op that computes a value";
    // Its members are the ops of kernels, linalg ops and linalg.softmax: an
    // op that runs no kernel (a tensor.empty, a reshape) or moves data in
    // place (an insert) cannot be one, and would be ignored.
    if (!isa<linalg::LinalgOp, linalg::SoftmaxOp>(op)) {
      InFlightDiagnostic diag = op->emitError()
                                << "cannot put '" << op->getName()
                                << "' in a kernel group";
      diag.attachNote() << "kernel groups are made of linalg ops and "
                           "linalg.softmax";
      return diag;
    }
    return success();
  }
  return op->emitError() << "unknown tilecast attribute '" << name << "'";
}

/// TileCast's attributes describe ops (the kernels they run, the target in
/// scope); on a function's argument or result they would be read by nothing.
static LogicalResult refuseValueAttribute(Operation *op, NamedAttribute attr,
                                          StringRef what, unsigned index) {
  return op->emitError() << "'" << attr.getName().getValue() << "' on " << what
                         << " " << index
                         << ": tilecast attributes annotate ops, not values";
}

LogicalResult TilecastDialect::verifyRegionArgAttribute(Operation *op,
                                                        unsigned regionIndex,
                                                        unsigned argIndex,
                                                        NamedAttribute attr) {
  return refuseValueAttribute(op, attr, "argument", argIndex);
}

LogicalResult TilecastDialect::verifyRegionResultAttribute(
    Operation *op, unsigned regionIndex, unsigned resultIndex,
    NamedAttribute attr) {
  return refuseValueAttribute(op, attr, "result", resultIndex);
}

LogicalResult KernelAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                 StringRef group, KernelKind kind) {
  if (group.empty())
    return emitError() << "kernel group name must not be empty";
  return success();
}

void TilecastDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "dialects/tilecast/TilecastAttrs.cpp.inc"
      >();
}

FailureOr<DoubleParam> tilecast::parseDoubleParam(AsmParser &parser) {
  double value;
  if (parser.parseFloat(value))
    return failure();
  return DoubleParam(value);
}

FailureOr<bool> tilecast::parseBoolParam(AsmParser &parser) {
  SMLoc loc = parser.getCurrentLocation();
  StringRef keyword;
  if (succeeded(parser.parseOptionalKeyword(&keyword))) {
    if (keyword == "true")
      return true;
    if (keyword == "false")
      return false;
  }
  return parser.emitError(loc, "expected 'true' or 'false'");
}

std::string tilecast::formatDouble(double value) {
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), value);
  if (ec != std::errc())
    return std::to_string(value);
  return std::string(buffer, end);
}

void tilecast::printDoubleParam(AsmPrinter &printer, DoubleParam param) {
  // Shortest round-tripping digits (std::to_chars is an order of magnitude
  // faster than APFloat::toString, which matters when a module carries tens
  // of thousands of costs). MLIR float literals need a '.' before any
  // exponent ("1.0e+20", not "1e+20").
  if (!std::isfinite(param.value)) {
    printer.printFloat(llvm::APFloat(param.value));
    return;
  }
  std::string text = formatDouble(param.value);
  StringRef digits(text);
  size_t exponent = digits.find('e');
  StringRef mantissa = digits.take_front(exponent);
  printer.getStream() << mantissa;
  if (!mantissa.contains('.'))
    printer.getStream() << ".0";
  if (exponent != StringRef::npos)
    printer.getStream() << digits.drop_front(exponent);
}

FailureOr<SmallVector<int64_t>> tilecast::parseTileSizes(AsmParser &parser) {
  SmallVector<int64_t> sizes;
  if (parser.parseCommaSeparatedList(AsmParser::Delimiter::Square, [&] {
        return parser.parseInteger(sizes.emplace_back());
      }))
    return failure();
  return sizes;
}

void tilecast::printTileSizes(AsmPrinter &printer, ArrayRef<int64_t> sizes) {
  printer << '[';
  llvm::interleaveComma(sizes, printer);
  printer << ']';
}

/// Emits "'<name>' must be ..." unless `value` is finite, in
/// [0, kMaxTargetValue], and (when positive) at least kMinPositiveTargetValue;
/// with `allowZero` false also unless it is positive.
/// A negative zero compares equal to 0 but prints as "-0.0" in every table
/// and JSON document a number reaches; times and target numbers in IR refuse
/// it (spec files read JSON's -0.0 as 0).
static bool isNegativeZero(double value) {
  return value == 0.0 && std::signbit(value);
}

static LogicalResult
refuseNegativeZero(function_ref<InFlightDiagnostic()> emitError,
                   StringRef name) {
  return emitError() << "'" << name << "' must not be a negative zero (-0.0)";
}

static LogicalResult verifyTargetNumber(
    function_ref<InFlightDiagnostic()> emitError, StringRef name, double value,
    bool allowZero) {
  if (isTargetNumber(value, allowZero))
    return success();
  if (isNegativeZero(value))
    return refuseNegativeZero(emitError, name);
  return emitError() << "'" << name << "' must be "
                     << (allowZero ? "0 or a number" : "a number") << " from "
                     << formatDouble(kMinPositiveTargetValue) << " to "
                     << formatDouble(kMaxTargetValue) << ", got "
                     << formatDouble(value);
}

/// Emits "'<name>' must be a finite non-negative number" unless `value` is
/// (a negative zero is refused too, isNegativeZero).
static LogicalResult
verifyNonNegative(function_ref<InFlightDiagnostic()> emitError, StringRef name,
                  double value) {
  if (std::isfinite(value) && !std::signbit(value))
    return success();
  if (isNegativeZero(value))
    return refuseNegativeZero(emitError, name);
  return emitError() << "'" << name
                     << "' must be a finite non-negative number, got "
                     << formatDouble(value);
}

//===----------------------------------------------------------------------===//
// TargetAttr
//===----------------------------------------------------------------------===//

LogicalResult
TargetAttr::verify(function_ref<InFlightDiagnostic()> emitError, StringRef name,
                   TargetKind kind, int64_t computeUnits, int64_t lanesPerUnit,
                   int64_t lanesSharedWithInt32, DoubleParam clockMhz,
                   DoubleParam memoryBandwidthGbps, DoubleParam l2CacheMib,
                   DoubleParam l1CacheKib, int64_t maxThreadsPerUnit,
                   DoubleParam launchOverheadUs, DictionaryAttr peakTflops) {
  if (name.empty())
    return emitError() << "target name must not be empty";
  if (hasControlCharacter(name))
    return emitError() << "target name must not contain control characters";
  auto check = [&](StringRef field, double value, bool allowZero) {
    return verifyTargetNumber(emitError, field, value, allowZero);
  };
  auto checkCount = [&](StringRef field, int64_t value, bool allowZero) {
    if (value >= (allowZero ? 0 : 1) && value <= int64_t(kMaxTargetValue))
      return success();
    return LogicalResult(emitError()
                         << "'" << field << "' must be an integer from "
                         << (allowZero ? 0 : 1) << " to "
                         << int64_t(kMaxTargetValue) << ", got " << value);
  };
  if (failed(checkCount("compute_units", computeUnits, false)) ||
      failed(checkCount("lanes_per_unit", lanesPerUnit, false)) ||
      failed(checkCount("lanes_shared_with_int32", lanesSharedWithInt32,
                        true)) ||
      failed(check("clock_mhz", clockMhz, false)) ||
      failed(check("memory_bandwidth_gbps", memoryBandwidthGbps, false)) ||
      failed(check("l2_cache_mib", l2CacheMib, true)) ||
      failed(check("l1_cache_kib", l1CacheKib, true)) ||
      failed(checkCount("max_threads_per_unit", maxThreadsPerUnit, false)) ||
      failed(check("launch_overhead_us", launchOverheadUs, true)))
    return failure();
  if (lanesSharedWithInt32 >= lanesPerUnit)
    return emitError() << "'lanes_shared_with_int32' (" << lanesSharedWithInt32
                       << ") must be below 'lanes_per_unit' (" << lanesPerUnit
                       << ")";
  if (!peakTflops || peakTflops.empty())
    return emitError() << "'peak_tflops' must give at least one peak";
  for (NamedAttribute entry : peakTflops) {
    if (!llvm::is_contained(kTargetPeakKeys, entry.getName().getValue()))
      return emitError() << "unknown peak_tflops key '"
                         << entry.getName().getValue() << "'; expected one of "
                         << llvm::join(ArrayRef(kTargetPeakKeys), ", ");
    auto value = dyn_cast<FloatAttr>(entry.getValue());
    if (!value)
      return emitError() << "peak_tflops '" << entry.getName().getValue()
                         << "' must be a float attribute";
    if (failed(check("peak_tflops." + entry.getName().str(),
                     value.getValueAsDouble(), false)))
      return failure();
  }
  auto f32 = dyn_cast_or_null<FloatAttr>(peakTflops.get("f32"));
  if (!f32)
    return emitError() << "'peak_tflops' must give the f32 peak";
  if (kind == TargetKind::gpu) {
    std::string mismatch = getGpuPeakMismatch(computeUnits, lanesPerUnit,
                                              clockMhz, f32.getValueAsDouble());
    if (!mismatch.empty())
      return emitError() << mismatch;
  }
  return success();
}

std::string tilecast::getGpuPeakMismatch(int64_t computeUnits,
                                         int64_t lanesPerUnit, double clockMhz,
                                         double f32Tflops) {
  // MHz x FLOPs per cycle / 1e6 = TFLOP/s.
  double lanesTflops =
      double(computeUnits) * lanesPerUnit * 2.0 * clockMhz / 1e6;
  if (std::abs(f32Tflops - lanesTflops) <= kMaxGpuPeakMismatch * lanesTflops)
    return "";
  return "the f32 peak (" + formatDouble(f32Tflops) +
         " TFLOP/s) is not compute_units x lanes_per_unit x 2 x clock_mhz (" +
         formatDouble(lanesTflops) + " TFLOP/s) within " +
         formatDouble(100 * kMaxGpuPeakMismatch) + "%";
}

FailureOr<double> TargetAttr::getPeakTflops(StringRef key) const {
  auto value = dyn_cast_or_null<FloatAttr>(getPeakTflops().get(key));
  if (!value)
    return failure();
  return value.getValueAsDouble();
}

//===----------------------------------------------------------------------===//
// CostAttr
//===----------------------------------------------------------------------===//

LogicalResult CostAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                               DoubleParam latencyUs, DoubleParam lowerUs,
                               DoubleParam upperUs, DoubleParam computeUs,
                               DoubleParam memoryUs, DoubleParam overheadUs,
                               int64_t flops, int64_t bytes, Bound bound,
                               Source source) {
  if (failed(verifyNonNegative(emitError, "latency_us", latencyUs)) ||
      failed(verifyNonNegative(emitError, "lower_us", lowerUs)) ||
      failed(verifyNonNegative(emitError, "upper_us", upperUs)) ||
      failed(verifyNonNegative(emitError, "compute_us", computeUs)) ||
      failed(verifyNonNegative(emitError, "memory_us", memoryUs)) ||
      failed(verifyNonNegative(emitError, "overhead_us", overheadUs)))
    return failure();
  if (flops < 0)
    return emitError() << "'flops' must be non-negative, got " << flops;
  if (bytes < 0)
    return emitError() << "'bytes' must be non-negative, got " << bytes;
  if (lowerUs > latencyUs || latencyUs > upperUs)
    return emitError() << "bounds [" << formatDouble(lowerUs) << ", "
                       << formatDouble(upperUs)
                       << "] do not enclose latency_us = "
                       << formatDouble(latencyUs);
  return success();
}

//===----------------------------------------------------------------------===//
// TileCostAttr
//===----------------------------------------------------------------------===//

LogicalResult TileCostAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                   ArrayRef<int64_t> tile, int64_t numTiles,
                                   int64_t waves, DoubleParam tileLatencyUs,
                                   DoubleParam latencyUs, Bound bound) {
  if (tile.empty())
    return emitError() << "'tile' is empty: it gives one size per loop, and "
                          "an op without loops (0-d) has nothing to tile";
  for (int64_t size : tile)
    if (size < 0)
      return emitError() << "tile sizes must be non-negative (0 leaves a loop "
                            "untiled), got "
                         << size;
  if (numTiles < 1)
    return emitError() << "'num_tiles' must be at least 1, got " << numTiles;
  if (waves < 1)
    return emitError() << "'waves' must be at least 1, got " << waves;
  if (waves > numTiles)
    return emitError() << "'waves' (" << waves << ") exceeds 'num_tiles' ("
                       << numTiles << "): a wave runs at least one tile";
  if (failed(verifyNonNegative(emitError, "tile_latency_us", tileLatencyUs)) ||
      failed(verifyNonNegative(emitError, "latency_us", latencyUs)))
    return failure();
  if (tileLatencyUs > latencyUs)
    return emitError() << "tile_latency_us (" << formatDouble(tileLatencyUs)
                       << ") exceeds the op's latency_us ("
                       << formatDouble(latencyUs) << ")";
  return success();
}

//===----------------------------------------------------------------------===//
// TileDecisionAttr
//===----------------------------------------------------------------------===//

LogicalResult TileDecisionAttr::verify(
    function_ref<InFlightDiagnostic()> emitError, ArrayRef<int64_t> tile,
    DoubleParam latencyUs, ArrayRef<int64_t> runnerUp,
    DoubleParam runnerUpLatencyUs, int64_t candidates, StringRef model) {
  if (tile.empty())
    return emitError() << "'tile' is empty: it gives one size per loop, and "
                          "an op without loops (0-d) has nothing to tile";
  if (!runnerUp.empty() && runnerUp.size() != tile.size())
    return emitError() << "'runner_up' must give as many sizes as 'tile'";
  for (int64_t size : llvm::concat<const int64_t>(tile, runnerUp))
    if (size < 0)
      return emitError() << "tile sizes must be non-negative (0 leaves a loop "
                            "untiled), got "
                         << size;
  if (failed(verifyNonNegative(emitError, "latency_us", latencyUs)) ||
      failed(verifyNonNegative(emitError, "runner_up_latency_us",
                               runnerUpLatencyUs)))
    return failure();
  if (runnerUpLatencyUs < latencyUs)
    return emitError() << "the runner-up (" << formatDouble(runnerUpLatencyUs)
                       << " us) is faster than the chosen tiles ("
                       << formatDouble(latencyUs) << " us)";
  if (candidates < 1)
    return emitError() << "'candidates' must be at least 1, got " << candidates;
  if (model.empty())
    return emitError() << "'model' must name the cost model";
  return success();
}

//===----------------------------------------------------------------------===//
// FusionAttr
//===----------------------------------------------------------------------===//

LogicalResult FusionAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                 int64_t operand, DoubleParam unfusedUs,
                                 DoubleParam fusedUs, DoubleParam savingUs,
                                 bool fuse) {
  if (operand < 0)
    return emitError() << "'operand' must be non-negative, got " << operand;
  if (failed(verifyNonNegative(emitError, "unfused_us", unfusedUs)) ||
      failed(verifyNonNegative(emitError, "fused_us", fusedUs)))
    return failure();
  if (isNegativeZero(savingUs))
    return refuseNegativeZero(emitError, "saving_us");
  // The saving is derived: it must match its inputs to rounding.
  double expected = unfusedUs - fusedUs;
  if (!std::isfinite(savingUs.value) ||
      std::abs(savingUs - expected) > 1e-9 * std::max(1.0, std::abs(expected)))
    return emitError() << "'saving_us' (" << formatDouble(savingUs)
                       << ") must equal unfused_us - fused_us ("
                       << formatDouble(expected) << ")";
  if (fuse && expected <= 0)
    return emitError() << "'fuse = true' but fusing saves nothing ("
                       << formatDouble(expected) << " us)";
  return success();
}
