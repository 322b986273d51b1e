//===- TargetSpec.cpp - Target database and spec parsing ------------------===//

#include "tilecast/Target/TargetSpec.h"
#include "tilecast/Support/InputFile.h"
#include "tilecast/Support/Json.h"

#include "dialects/tilecast/TilecastAttrs.h"
#include "dialects/tilecast/TilecastDialect.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Operation.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdlib>

using namespace mlir;
using namespace mlir::tilecast;
using json = nlohmann::json;

#include "BuiltinTargets.inc"

static constexpr StringLiteral kSchemaVersion = "tilecast.target.v1";

// PeakKind enumerates the dialect's peak keys in order.
static_assert(kNumPeakKinds == std::size(kTargetPeakKeys));

StringRef tilecast::getPeakKey(PeakKind kind) {
  return kTargetPeakKeys[static_cast<unsigned>(kind)];
}

std::optional<PeakKind> tilecast::parsePeakKey(StringRef key) {
  for (unsigned i = 0; i < kNumPeakKinds; ++i)
    if (kTargetPeakKeys[i] == key)
      return static_cast<PeakKind>(i);
  return std::nullopt;
}

bool TargetSpec::isGpu() const { return kind == TargetKind::gpu; }

std::optional<double>
TargetSpec::getPeakFlopsPerSecond(PeakKind peakKind) const {
  double tflops = peakTflops[static_cast<unsigned>(peakKind)];
  if (tflops <= 0.0)
    return std::nullopt;
  return tflops * 1e12;
}

bool TargetSpec::matches(StringRef nameOrAlias) const {
  return id == nameOrAlias || llvm::is_contained(aliases, nameOrAlias);
}

//===----------------------------------------------------------------------===//
// JSON parsing
//===----------------------------------------------------------------------===//

namespace {
/// Reads the fields of one spec document, reporting errors at the line of the
/// offending key.
class SpecReader {
public:
  SpecReader(StringRef text, StringRef bufferName, MLIRContext *context,
             const json &doc)
      : text(text), bufferName(bufferName), context(context), doc(doc) {}

  FailureOr<TargetSpec> read();

private:
  InFlightDiagnostic emitErrorAt(size_t offset) {
    return emitError(locationOf(offset));
  }
  InFlightDiagnostic emitErrorAtKey(StringRef key) {
    return emitError(getLocationOfKey(text, bufferName, context, key));
  }
  Location locationOf(size_t offset) {
    return getLocationOfOffset(text, bufferName, context, offset);
  }

  LogicalResult readString(StringRef key, std::string &out);
  LogicalResult readStringList(StringRef key, std::vector<std::string> &out,
                               bool required);
  /// The field `key` as a number, before any range check.
  FailureOr<double> readAnyNumber(StringRef key);
  LogicalResult readNumber(StringRef key, double &out, bool allowZero);
  LogicalResult readInteger(StringRef key, int64_t &out, bool allowZero);
  LogicalResult readPeaks(TargetSpec &spec);

  StringRef text;
  StringRef bufferName;
  MLIRContext *context;
  const json &doc;
};
} // namespace

LogicalResult SpecReader::readString(StringRef key, std::string &out) {
  auto it = doc.find(key.str());
  if (it == doc.end())
    return emitErrorAt(0) << "target spec is missing the field '" << key << "'";
  if (!it->is_string() || it->get_ref<const std::string &>().empty())
    return emitErrorAtKey(key)
           << "field '" << key << "' must be a non-empty string";
  out = it->get<std::string>();
  return success();
}

LogicalResult SpecReader::readStringList(StringRef key,
                                         std::vector<std::string> &out,
                                         bool required) {
  auto it = doc.find(key.str());
  if (it == doc.end()) {
    if (!required)
      return success();
    return emitErrorAt(0) << "target spec is missing the field '" << key << "'";
  }
  if (!it->is_array())
    return emitErrorAtKey(key)
           << "field '" << key << "' must be an array of strings";
  for (const json &entry : *it) {
    if (!entry.is_string())
      return emitErrorAtKey(key)
             << "field '" << key << "' must be an array of strings";
    out.push_back(entry.get<std::string>());
  }
  return success();
}

FailureOr<double> SpecReader::readAnyNumber(StringRef key) {
  auto it = doc.find(key.str());
  if (it == doc.end())
    return emitErrorAt(0) << "target spec is missing the field '" << key << "'";
  if (!it->is_number())
    return emitErrorAtKey(key)
           << "field '" << key << "' must be a number, got " << it->type_name();
  // JSON's -0.0 is the number 0; read it as +0.0, which prints as "0".
  double value = it->get<double>();
  return value == 0.0 ? 0.0 : value;
}

LogicalResult SpecReader::readNumber(StringRef key, double &out,
                                     bool allowZero) {
  FailureOr<double> value = readAnyNumber(key);
  if (failed(value))
    return failure();
  out = *value;
  if (!isTargetNumber(out, allowZero))
    return emitErrorAtKey(key)
           << "field '" << key << "' must be "
           << (allowZero ? "0 or a number" : "a number") << " from "
           << formatDouble(kMinPositiveTargetValue) << " to "
           << formatDouble(kMaxTargetValue) << ", got " << formatDouble(out);
  return success();
}

LogicalResult SpecReader::readInteger(StringRef key, int64_t &out,
                                      bool allowZero) {
  FailureOr<double> read = readAnyNumber(key);
  if (failed(read))
    return failure();
  double value = *read;
  int64_t least = allowZero ? 0 : 1;
  if (!(value >= double(least) && value <= kMaxTargetValue) ||
      value != std::floor(value))
    return emitErrorAtKey(key)
           << "field '" << key << "' must be an integer from " << least
           << " to " << int64_t(kMaxTargetValue) << ", got "
           << formatDouble(value);
  out = static_cast<int64_t>(value);
  return success();
}

LogicalResult SpecReader::readPeaks(TargetSpec &spec) {
  auto it = doc.find("peak_tflops");
  if (it == doc.end())
    return emitErrorAt(0) << "target spec is missing the field 'peak_tflops'";
  if (!it->is_object())
    return emitErrorAtKey("peak_tflops")
           << "field 'peak_tflops' must be an object of TFLOP/s by type";
  for (auto &[key, value] : it->items()) {
    std::optional<PeakKind> kind = parsePeakKey(key);
    if (!kind)
      return emitErrorAtKey(key)
             << "unknown peak_tflops key '" << key << "'; expected one of "
             << llvm::join(ArrayRef(kTargetPeakKeys), ", ");
    if (!value.is_number())
      return emitErrorAtKey(key) << "peak_tflops '" << key
                                 << "' must be a number, got "
                                 << value.type_name();
    if (!isTargetNumber(value.get<double>(), false))
      return emitErrorAtKey(key)
             << "peak_tflops '" << key << "' must be a number from "
             << formatDouble(kMinPositiveTargetValue) << " to "
             << formatDouble(kMaxTargetValue) << ", got "
             << formatDouble(value.get<double>());
    spec.peakTflops[static_cast<unsigned>(*kind)] = value.get<double>();
  }
  if (!spec.getPeakFlopsPerSecond(PeakKind::F32))
    return emitErrorAtKey("peak_tflops")
           << "'peak_tflops' must give the f32 peak";
  return success();
}

/// Every field of `tilecast.target.v1`.
static constexpr StringLiteral kSpecFields[] = {"schema",
                                                "id",
                                                "name",
                                                "aliases",
                                                "vendor",
                                                "kind",
                                                "sources",
                                                "notes",
                                                "compute_units",
                                                "lanes_per_unit",
                                                "lanes_shared_with_int32",
                                                "clock_mhz",
                                                "peak_tflops",
                                                "memory_bandwidth_gbps",
                                                "memory_gib",
                                                "l2_cache_mib",
                                                "l1_cache_kib",
                                                "registers_kib_per_unit",
                                                "max_threads_per_unit",
                                                "launch_overhead_us"};

FailureOr<TargetSpec> SpecReader::read() {
  if (!doc.is_object())
    return emitErrorAt(0) << "a target spec must be a JSON object";
  for (const auto &item : doc.items())
    if (!llvm::is_contained(kSpecFields, StringRef(item.key())))
      return emitErrorAtKey(item.key())
             << "unknown field '" << item.key() << "' in target spec";
  std::string schema;
  if (failed(readString("schema", schema)))
    return failure();
  if (schema != kSchemaVersion)
    return emitErrorAtKey("schema") << "unsupported target schema '" << schema
                                    << "'; expected '" << kSchemaVersion << "'";
  TargetSpec spec;
  std::string kind;
  if (failed(readString("id", spec.id)) ||
      failed(readString("name", spec.name)) ||
      failed(readString("vendor", spec.vendor)) ||
      failed(readString("kind", kind)))
    return failure();
  // Ids, names and aliases head tables and lists, one per line.
  for (auto [field, value] :
       {std::pair<StringRef, StringRef>{"id", spec.id}, {"name", spec.name}})
    if (hasControlCharacter(value))
      return emitErrorAtKey(field)
             << "field '" << field << "' must not contain control characters";
  std::optional<TargetKind> parsedKind = symbolizeTargetKind(kind);
  if (!parsedKind)
    return emitErrorAtKey("kind")
           << "field 'kind' must be \"gpu\" or \"cpu\", got \"" << kind << "\"";
  spec.kind = *parsedKind;
  if (failed(readStringList("sources", spec.sources, /*required=*/true)) ||
      failed(readStringList("aliases", spec.aliases, /*required=*/false)))
    return failure();
  if (llvm::any_of(spec.aliases, hasControlCharacter))
    return emitErrorAtKey("aliases")
           << "field 'aliases' must not contain control characters";
  if (spec.sources.empty())
    return emitErrorAtKey("sources")
           << "field 'sources' must cite at least one datasheet or measurement";
  if (auto notes = doc.find("notes"); notes != doc.end()) {
    if (!notes->is_string())
      return emitErrorAtKey("notes") << "field 'notes' must be a string";
    spec.notes = notes->get<std::string>();
  }
  if (failed(readInteger("compute_units", spec.computeUnits, false)) ||
      failed(readInteger("lanes_per_unit", spec.lanesPerUnit, false)) ||
      failed(readInteger("lanes_shared_with_int32", spec.lanesSharedWithInt32,
                         true)) ||
      failed(
          readInteger("max_threads_per_unit", spec.maxThreadsPerUnit, false)) ||
      failed(readNumber("clock_mhz", spec.clockMhz, false)) ||
      failed(readNumber("memory_bandwidth_gbps", spec.memoryBandwidthGbps,
                        false)) ||
      failed(readNumber("memory_gib", spec.memoryGib, false)) ||
      failed(readNumber("l2_cache_mib", spec.l2CacheMib, true)) ||
      failed(readNumber("l1_cache_kib", spec.l1CacheKib, true)) ||
      failed(readNumber("registers_kib_per_unit", spec.registersKibPerUnit,
                        true)) ||
      failed(readNumber("launch_overhead_us", spec.launchOverheadUs, true)) ||
      failed(readPeaks(spec)))
    return failure();
  if (spec.lanesSharedWithInt32 >= spec.lanesPerUnit)
    return emitErrorAtKey("lanes_shared_with_int32")
           << "'lanes_shared_with_int32' must be below 'lanes_per_unit'";
  if (spec.isGpu()) {
    std::string mismatch = getGpuPeakMismatch(
        spec.computeUnits, spec.lanesPerUnit, spec.clockMhz,
        spec.peakTflops[static_cast<unsigned>(PeakKind::F32)]);
    if (!mismatch.empty())
      return emitErrorAtKey("peak_tflops") << mismatch;
  }
  return spec;
}

FailureOr<TargetSpec> tilecast::parseTargetSpec(StringRef text,
                                                StringRef bufferName,
                                                MLIRContext *context) {
  FailureOr<json> doc = parseJson(text, bufferName, context, "target spec");
  if (failed(doc))
    return failure();
  return SpecReader(text, bufferName, context, *doc).read();
}

//===----------------------------------------------------------------------===//
// Database
//===----------------------------------------------------------------------===//

static bool looksLikePath(StringRef nameOrPath) {
  return nameOrPath.ends_with(".json") || nameOrPath.contains('/');
}

/// `host` resolves to the spec file this variable names, when it is set and
/// not empty (a calibrated host, written by `tilecast-calibrate --host`).
static constexpr StringLiteral kHostTargetId = "host";
static constexpr StringLiteral kHostSpecVariable = "TILECAST_HOST_SPEC";

static void attachHostSpecNote(InFlightDiagnostic &diag) {
  diag.attachNote() << "unset " << kHostSpecVariable
                    << " to use the built-in 'host' spec, or point it at a "
                       "spec written by 'tilecast-calibrate --host -o FILE'";
}

/// The calibrated host spec at `path` (the value of TILECAST_HOST_SPEC).
static FailureOr<TargetSpec> lookupCalibratedHost(StringRef path,
                                                  Location loc) {
  auto buffer = readInputFile(path);
  if (!buffer) {
    InFlightDiagnostic diag = emitError(loc)
                              << "cannot read target spec '" << path
                              << "' named by " << kHostSpecVariable << ": "
                              << getReadErrorMessage(buffer.getError());
    attachHostSpecNote(diag);
    return diag;
  }
  FailureOr<TargetSpec> spec =
      parseTargetSpec((*buffer)->getBuffer(), path, loc.getContext());
  if (failed(spec)) {
    InFlightDiagnostic diag = emitError(loc) << "'" << path << "', named by "
                                             << kHostSpecVariable
                                             << ", is not a valid target spec";
    attachHostSpecNote(diag);
    return diag;
  }
  if (spec->isGpu()) {
    InFlightDiagnostic diag =
        emitError(loc) << "'" << path << "', named by " << kHostSpecVariable
                       << ", is a gpu target; 'host' must be a cpu";
    attachHostSpecNote(diag);
    return diag;
  }
  return spec;
}

/// The built-in target whose id or alias is `nameOrAlias`, std::nullopt if
/// none; failure only if a built-in spec does not parse.
static FailureOr<std::optional<TargetSpec>>
findBuiltinTarget(StringRef nameOrAlias, MLIRContext *context) {
  for (const BuiltinTarget &entry : kBuiltinTargets) {
    std::string bufferName = ("<builtin>/" + Twine(entry.id) + ".json").str();
    FailureOr<TargetSpec> spec =
        parseTargetSpec(entry.json, bufferName, context);
    if (failed(spec))
      return failure();
    if (spec->matches(nameOrAlias))
      return std::optional<TargetSpec>(std::move(*spec));
  }
  return std::optional<TargetSpec>();
}

/// The built-in target `nameOrAlias`, or an error at `loc` that lists the
/// known ones, followed by `hint`.
static FailureOr<TargetSpec>
lookupBuiltinOrError(StringRef nameOrAlias, Location loc, StringRef hint) {
  FailureOr<std::optional<TargetSpec>> builtin =
      findBuiltinTarget(nameOrAlias, loc.getContext());
  if (failed(builtin))
    return failure();
  if (*builtin)
    return std::move(**builtin);
  InFlightDiagnostic diag = emitError(loc)
                            << "unknown target '" << nameOrAlias << "'";
  diag.attachNote() << "known targets: "
                    << llvm::join(getBuiltinTargetIds(), ", ") << hint;
  return failure();
}

FailureOr<TargetSpec> tilecast::lookupTarget(StringRef nameOrPath,
                                             Location loc) {
  MLIRContext *context = loc.getContext();
  if (looksLikePath(nameOrPath)) {
    auto buffer = readInputFile(nameOrPath);
    if (!buffer)
      return emitError(loc) << "cannot read target spec '" << nameOrPath
                            << "': " << getReadErrorMessage(buffer.getError());
    return parseTargetSpec((*buffer)->getBuffer(), nameOrPath, context);
  }
  if (nameOrPath == kHostTargetId)
    if (const char *path = std::getenv(kHostSpecVariable.data()); path && *path)
      return lookupCalibratedHost(path, loc);
  return lookupBuiltinOrError(nameOrPath, loc,
                              "; or give the path of a spec file (*.json)");
}

FailureOr<TargetSpec> tilecast::lookupBuiltinTarget(StringRef nameOrAlias,
                                                    Location loc) {
  return lookupBuiltinOrError(
      nameOrAlias, loc, " (by id or alias; spec files are not read here)");
}

FailureOr<const TargetSpec *> TargetCache::lookup(StringRef nameOrPath,
                                                 Location loc) {
  auto it = specs.find(nameOrPath);
  if (it == specs.end()) {
    FailureOr<TargetSpec> spec = builtinOnly
                                     ? lookupBuiltinTarget(nameOrPath, loc)
                                     : lookupTarget(nameOrPath, loc);
    if (failed(spec))
      return failure();
    it = specs.try_emplace(nameOrPath, std::move(*spec)).first;
  }
  return &it->second;
}

SmallVector<StringRef> tilecast::getBuiltinTargetIds() {
  SmallVector<StringRef> ids;
  for (const BuiltinTarget &entry : kBuiltinTargets)
    ids.push_back(entry.id);
  llvm::sort(ids);
  return ids;
}

//===----------------------------------------------------------------------===//
// IR conversion
//===----------------------------------------------------------------------===//

TargetAttr tilecast::getTargetAttr(MLIRContext *context,
                                   const TargetSpec &spec) {
  context->getOrLoadDialect<TilecastDialect>();
  Builder builder(context);
  SmallVector<NamedAttribute> peaks;
  for (unsigned i = 0; i < kNumPeakKinds; ++i)
    if (spec.peakTflops[i] > 0.0)
      peaks.push_back(builder.getNamedAttr(
          kTargetPeakKeys[i], builder.getF64FloatAttr(spec.peakTflops[i])));
  return TargetAttr::get(
      context, spec.id, spec.kind, spec.computeUnits, spec.lanesPerUnit,
      spec.lanesSharedWithInt32, spec.clockMhz, spec.memoryBandwidthGbps,
      spec.l2CacheMib, spec.l1CacheKib, spec.maxThreadsPerUnit,
      spec.launchOverheadUs, builder.getDictionaryAttr(peaks));
}

TargetSpec tilecast::getTargetSpec(TargetAttr attr) {
  TargetSpec spec;
  spec.id = attr.getName().str();
  spec.name = spec.id;
  spec.kind = attr.getKind();
  spec.computeUnits = attr.getComputeUnits();
  spec.lanesPerUnit = attr.getLanesPerUnit();
  spec.lanesSharedWithInt32 = attr.getLanesSharedWithInt32();
  spec.clockMhz = attr.getClockMhz();
  spec.memoryBandwidthGbps = attr.getMemoryBandwidthGbps();
  spec.l2CacheMib = attr.getL2CacheMib();
  spec.l1CacheKib = attr.getL1CacheKib();
  spec.maxThreadsPerUnit = attr.getMaxThreadsPerUnit();
  spec.launchOverheadUs = attr.getLaunchOverheadUs();
  for (NamedAttribute entry : attr.getPeakTflops())
    if (std::optional<PeakKind> kind = parsePeakKey(entry.getName()))
      if (auto value = dyn_cast<FloatAttr>(entry.getValue()))
        spec.peakTflops[static_cast<unsigned>(*kind)] =
            value.getValueAsDouble();
  return spec;
}

TargetAttr tilecast::getTargetInScope(Operation *op) {
  for (; op; op = op->getParentOp())
    if (auto target =
            op->getAttrOfType<TargetAttr>(TilecastDialect::kTargetAttrName))
      return target;
  return {};
}

void tilecast::replaceTargets(Operation *root, TargetAttr target) {
  root->walk(
      [](Operation *op) { op->removeAttr(TilecastDialect::kTargetAttrName); });
  root->setAttr(TilecastDialect::kTargetAttrName, target);
}

TargetAttr tilecast::getTargetInScopeOrError(Operation *op) {
  TargetAttr target = getTargetInScope(op);
  if (!target) {
    InFlightDiagnostic diag = op->emitError("no tilecast.target in scope");
    diag.attachNote() << "run tilecast-annotate-target{target=NAME} first, "
                         "or attach a #tilecast.target to the module";
  }
  return target;
}
