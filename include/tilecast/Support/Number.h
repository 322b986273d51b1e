//===- Number.h - Strict parsing of numbers ---------------------*- C++ -*-===//
//
// The CSV files TileCast reads (kernel measurements, tiling measurements)
// hold decimal numbers. llvm::StringRef::getAsDouble goes through APFloat,
// which also takes hexadecimal floats ("0x1p3") and an exponent without
// digits ("1e", read as 1); a cell like that is a damaged file, not a number.
//
//===----------------------------------------------------------------------===//

#ifndef TILECAST_SUPPORT_NUMBER_H
#define TILECAST_SUPPORT_NUMBER_H

#include "mlir/Support/LLVM.h"

#include <optional>

namespace mlir::tilecast {

/// The value of `text` if it is a finite decimal number in the usual form:
/// an optional sign, digits with an optional decimal point (at least one
/// digit in all), and an optional exponent `e`/`E`, optional sign, digits.
/// Nothing else, surrounding spaces included.
std::optional<double> parseDecimal(StringRef text);

} // namespace mlir::tilecast

#endif // TILECAST_SUPPORT_NUMBER_H
