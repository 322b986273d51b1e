//===- TargetSpec.h - Hardware target description --------------*- C++ -*-===//
//
// A TargetSpec is everything TileCast knows about a piece of hardware: the
// spec-sheet numbers the cost models read. Specs are loaded from JSON
// (`data/targets/<id>.json`, schema `tilecast.target.v1`, documented in
// docs/targets.md) either from the database built into the library or from a
// file path, and are carried in IR as `#tilecast.target`.
//
//===----------------------------------------------------------------------===//

#ifndef TILECAST_TARGET_TARGETSPEC_H
#define TILECAST_TARGET_TARGETSPEC_H

#include "mlir/IR/Location.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace mlir::tilecast {
class TargetAttr;
enum class TargetKind : uint32_t;

/// The arithmetic paths a target may give a dense peak for.
enum class PeakKind : unsigned { F64, F32, TF32, F16, BF16, I8, F32Matrix };
inline constexpr unsigned kNumPeakKinds = 7;

/// The JSON / attribute key of a peak kind ("f32", "bf16", ...).
StringRef getPeakKey(PeakKind kind);
/// The peak kind for a key, if it names one.
std::optional<PeakKind> parsePeakKey(StringRef key);

/// A hardware target. Units are in the field names.
struct TargetSpec {
  std::string id;
  std::string name;
  std::string vendor;
  TargetKind kind{};
  std::vector<std::string> aliases;
  std::vector<std::string> sources;
  std::string notes;

  /// SMs (NVIDIA), CUs (AMD) or cores (CPU).
  int64_t computeUnits = 0;
  /// FP32 lanes per unit: vector FP32 peak = units * lanes * 2 * clock.
  int64_t lanesPerUnit = 0;
  /// Lanes that share their datapath with INT32 (GA10x, Ada: 64 of 128).
  int64_t lanesSharedWithInt32 = 0;
  int64_t maxThreadsPerUnit = 0;
  double clockMhz = 0;
  double memoryBandwidthGbps = 0;
  double memoryGib = 0;
  double l2CacheMib = 0;
  double l1CacheKib = 0;
  double registersKibPerUnit = 0;
  double launchOverheadUs = 0;
  /// Dense peaks in TFLOP/s; 0 where the hardware has no such path.
  std::array<double, kNumPeakKinds> peakTflops{};

  bool isGpu() const;
  /// The dense peak for `kind` in FLOP/s, if the target has that path.
  std::optional<double> getPeakFlopsPerSecond(PeakKind kind) const;
  double getMemoryBytesPerSecond() const { return memoryBandwidthGbps * 1e9; }
  double getL2CacheBytes() const { return l2CacheMib * 1024.0 * 1024.0; }
  double getL1CacheBytes() const { return l1CacheKib * 1024.0; }
  /// True if `nameOrAlias` is this target's id or one of its aliases.
  bool matches(StringRef nameOrAlias) const;
};

/// Parses and validates a `tilecast.target.v1` JSON document. Errors are
/// reported at `bufferName`:line:col of the offending text.
FailureOr<TargetSpec> parseTargetSpec(StringRef json, StringRef bufferName,
                                      MLIRContext *context);

/// Looks a target up by id or alias in the built-in database, or, if
/// `nameOrPath` ends in `.json` or contains a path separator, loads that file.
/// `host` is the spec file named by the environment variable
/// TILECAST_HOST_SPEC when that is set and not empty (a calibrated host; it
/// must be of kind cpu), else the built-in `host`. Errors are reported at
/// `loc` (or in the spec file).
FailureOr<TargetSpec> lookupTarget(StringRef nameOrPath, Location loc);

/// Looks a target up by id or alias in the built-in database only: no spec
/// file is read, and `host` is the built-in spec whatever TILECAST_HOST_SPEC
/// names. For names that must mean the same on every machine (the devices of
/// training data, the target a model file's calibration is for).
FailureOr<TargetSpec> lookupBuiltinTarget(StringRef nameOrAlias, Location loc);

/// lookupTarget (or lookupBuiltinTarget) for many rows naming few targets
/// (measurement files): each name is resolved, and its spec parsed, once.
/// Specs stay where they are as names are added.
class TargetCache {
public:
  explicit TargetCache(bool builtinOnly = false) : builtinOnly(builtinOnly) {}

  FailureOr<const TargetSpec *> lookup(StringRef nameOrPath, Location loc);

private:
  bool builtinOnly;
  llvm::StringMap<TargetSpec> specs;
};

/// The ids of the built-in targets, sorted.
SmallVector<StringRef> getBuiltinTargetIds();

/// Converts between a spec and its IR form.
TargetAttr getTargetAttr(MLIRContext *context, const TargetSpec &spec);
TargetSpec getTargetSpec(TargetAttr attr);

/// The `tilecast.target` in scope at `op`: its own, or the nearest
/// enclosing op's. Null if none.
TargetAttr getTargetInScope(Operation *op);
/// Like getTargetInScope, but a missing target is an error at `op` with a
/// note on how to provide one.
TargetAttr getTargetInScopeOrError(Operation *op);
/// Makes `target` the only `tilecast.target` in `root`: set on `root`,
/// removed from every op nested in it, so that every op is costed for it.
void replaceTargets(Operation *root, TargetAttr target);

} // namespace mlir::tilecast

#endif // TILECAST_TARGET_TARGETSPEC_H
