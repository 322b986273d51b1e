//===- TilecastAttrs.h - TileCast attributes --------------------*- C++ -*-===//

#ifndef TILECAST_DIALECTS_TILECAST_TILECASTATTRS_H
#define TILECAST_DIALECTS_TILECAST_TILECASTATTRS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectImplementation.h"

#include "dialects/tilecast/TilecastEnums.h.inc"

#include "llvm/ADT/bit.h"

#include <cmath>
#include <string>

namespace mlir {
namespace tilecast {
/// A `double` attribute parameter. LLVM has no hash for doubles, so the
/// parameter hashes and compares the bit pattern; it converts to and from
/// `double` implicitly.
struct DoubleParam {
  double value = 0.0;
  DoubleParam(double value = 0.0) : value(value) {}
  operator double() const { return value; }
  bool operator==(const DoubleParam &other) const {
    return llvm::bit_cast<uint64_t>(value) ==
           llvm::bit_cast<uint64_t>(other.value);
  }
};
inline llvm::hash_code hash_value(DoubleParam param) {
  return llvm::hash_value(llvm::bit_cast<uint64_t>(param.value));
}

/// Parses a double parameter (an integer or float literal).
FailureOr<DoubleParam> parseDoubleParam(AsmParser &parser);
/// Parses a flag: the keyword `true` or `false`.
FailureOr<bool> parseBoolParam(AsmParser &parser);
/// The element-type keys a target's `peak_tflops` may give, in PeakKind
/// order (include/tilecast/Target/TargetSpec.h).
inline constexpr llvm::StringLiteral kTargetPeakKeys[] = {
    "f64", "f32", "tf32", "f16", "bf16", "i8", "f32_matrix"};

/// The range of a target's numbers (unit counts, clocks, bandwidths, cache
/// sizes, peaks, overheads), shared by spec files and #tilecast.target: none
/// above kMaxTargetValue, none positive below kMinPositiveTargetValue. Far
/// outside any hardware, and far enough inside the double range that no cost
/// formula overflows or rounds a cost to zero.
inline constexpr double kMaxTargetValue = 1e9;
inline constexpr double kMinPositiveTargetValue = 1e-6;
/// Whether `value` is in that range (0, but not -0, allowed with
/// `allowZero`).
inline bool isTargetNumber(double value, bool allowZero) {
  return value <= kMaxTargetValue &&
         (value >= kMinPositiveTargetValue ||
          (allowZero && value == 0.0 && !std::signbit(value)));
}

/// Whether `text` (a target's id, name or alias) holds an ASCII control
/// character (a newline, a tab, ...): refused by spec files and
/// #tilecast.target alike, since these head tables and lists, one per line.
inline bool hasControlCharacter(StringRef text) {
  return llvm::any_of(text, [](char c) {
    auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7f;
  });
}

/// How far a GPU's f32 peak may lie from compute_units x lanes_per_unit x 2
/// FLOPs (an FMA) x clock_mhz, relative: the GEMM model reads the lanes and
/// the clock, the streaming kernels the peak, so a spec whose two disagree
/// gets inconsistent estimates. The targets in data/targets agree within
/// 3.8% (the P100: NeuSight's 9.519 TFLOP/s against 56 x 64 x 2 x 1380 MHz =
/// 9.892); a mistyped clock or lane count is off by far more. CPUs are not
/// checked: a calibrated host's peak is measured, its clock nominal.
inline constexpr double kMaxGpuPeakMismatch = 0.10;
/// The error for a GPU whose `f32Tflops` disagrees with its lanes and clock
/// (above), or "" when they agree.
std::string getGpuPeakMismatch(int64_t computeUnits, int64_t lanesPerUnit,
                               double clockMhz, double f32Tflops);

/// The shortest decimal text that reads back as `value` ("100", "0.25").
std::string formatDouble(double value);
/// Prints the shortest float literal that parses back to the same double.
void printDoubleParam(AsmPrinter &printer, DoubleParam param);
/// Parses `[1, 2, 3]` into tile sizes.
FailureOr<SmallVector<int64_t>> parseTileSizes(AsmParser &parser);
/// Prints tile sizes as `[1, 2, 3]`.
void printTileSizes(AsmPrinter &printer, ArrayRef<int64_t> sizes);
} // namespace tilecast
} // namespace mlir

#define GET_ATTRDEF_CLASSES
#include "dialects/tilecast/TilecastAttrs.h.inc"

#endif // TILECAST_DIALECTS_TILECAST_TILECASTATTRS_H
