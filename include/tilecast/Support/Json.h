//===- Json.h - JSON documents with located diagnostics ----------*- C++ -*-===//
//
// TileCast's JSON inputs (target specs, model files) are parsed with
// nlohmann_json without exceptions; these helpers turn its failures into MLIR
// diagnostics at the file:line:col of the offending text.
//
//===----------------------------------------------------------------------===//

#ifndef TILECAST_SUPPORT_JSON_H
#define TILECAST_SUPPORT_JSON_H

#include "mlir/IR/Location.h"
#include "mlir/Support/LLVM.h"

#include <nlohmann/json.hpp>

namespace mlir::tilecast {

/// The file:line:col location of byte `offset` of `text`.
Location getLocationOfOffset(StringRef text, StringRef bufferName,
                             MLIRContext *context, size_t offset);

/// The location of the first occurrence of `"key"` in `text` (of the
/// document's start if there is none): where a diagnostic about that field
/// points.
Location getLocationOfKey(StringRef text, StringRef bufferName,
                          MLIRContext *context, StringRef key);

/// Deepest nesting of arrays and objects (the top-level value counts as 1)
/// a TileCast JSON input may have. The deepest schema (model files) nests 8;
/// the limit keeps recursive consumers of a document off a stack overflow.
inline constexpr int kMaxJsonDepth = 32;

/// Parses `text`; a syntax error is reported as "malformed JSON in <what>"
/// at the position nlohmann_json stopped at; a document nested deeper than
/// kMaxJsonDepth, or with a key repeated within one object, is refused as
/// "invalid JSON in <what>" before any of it is built.
FailureOr<nlohmann::json> parseJson(StringRef text, StringRef bufferName,
                                    MLIRContext *context, StringRef what);

/// `value` as a diagnostic shows it: a scalar as JSON text (a long string
/// cut to its first 64 characters), an array or object by its kind and size,
/// never the whole nested value.
std::string describeJson(const nlohmann::json &value);

} // namespace mlir::tilecast

#endif // TILECAST_SUPPORT_JSON_H
