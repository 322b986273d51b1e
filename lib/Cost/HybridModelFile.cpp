//===- HybridModelFile.cpp - Reading and writing tilecast.model.v1 --------===//
//
// The format is documented in docs/model-files.md. Reading validates
// everything a prediction relies on (schema version, the feature list against
// the one this build computes, layer shapes, finite weights and scales,
// interval levels) and reports the path of the offending field, so a
// damaged or stale file is refused instead of producing wrong numbers.
//
//===----------------------------------------------------------------------===//

#include "tilecast/Cost/HybridModel.h"
#include "tilecast/Support/InputFile.h"
#include "tilecast/Support/Json.h"
#include "tilecast/Support/OutputFile.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/ToolOutputFile.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::tilecast;
using json = nlohmann::json;
using ordered_json = nlohmann::ordered_json;

static constexpr StringLiteral kModelSchema = "tilecast.model.v1";

/// The kernel class for a key of "classes", if it names one.
static std::optional<KernelClass> parseKernelClass(StringRef name) {
  for (unsigned i = 0; i < kNumKernelClasses; ++i)
    if (getKernelClassName(static_cast<KernelClass>(i)) == name)
      return static_cast<KernelClass>(i);
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// Reading
//===----------------------------------------------------------------------===//

/// Whether `value` is a count the file's int64 fields hold: a non-negative
/// integer up to 2^63 - 1 (a larger unsigned one would wrap negative).
static bool isCount(const json &value) {
  return value.is_number_unsigned() &&
         value.get<uint64_t>() <=
             static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
}

namespace {
/// Reads one model document. Errors name the JSON path of the field and are
/// located at the first occurrence of its innermost object key.
class ModelReader {
public:
  ModelReader(StringRef text, StringRef bufferName, MLIRContext *context)
      : text(text), bufferName(bufferName), context(context) {}

  FailureOr<HybridModelFile> read(const json &doc);

private:
  /// Refuses a key of `object` (the field at `path`) that is not in `known`:
  /// a misspelt optional field ("calibrations") would otherwise be dropped
  /// without a word.
  LogicalResult checkKeys(const json &object, StringRef path,
                          ArrayRef<StringLiteral> known) {
    if (!object.is_object())
      return success();
    for (auto it = object.begin(); it != object.end(); ++it) {
      if (llvm::is_contained(known, StringRef(it.key())))
        continue;
      std::string fieldPath =
          path.empty() ? it.key() : (path + "." + it.key()).str();
      InFlightDiagnostic diag = fieldError(fieldPath, it.key())
                                << "is not a field of " << kModelSchema;
      diag.attachNote() << "the fields there: " << llvm::join(known, ", ");
      return diag;
    }
    return success();
  }

  InFlightDiagnostic fieldError(StringRef path, StringRef anchorKey) {
    return emitError(locate(path, anchorKey))
           << "model file field '" << path << "' ";
  }

  /// Where the field at `path` ("classes.bmm.intervals[2].coverage") is:
  /// each key is searched after the previous one, and an index [n] skips to
  /// the (n+1)-th occurrence of the key after it; fields that are not there
  /// (a missing key) fall back to the last key found, or to `anchorKey`.
  Location locate(StringRef path, StringRef anchorKey) {
    size_t offset = 0;
    bool found = false;
    int64_t skip = 0;
    while (!path.empty()) {
      if (path.consume_front("[")) {
        size_t close = path.find(']');
        path.take_front(close).getAsInteger(10, skip);
        path = path.drop_front(std::min(close + 1, path.size()));
        path.consume_front(".");
        if (path.empty() && found) {
          // A trailing index names an element: the (n+1)-th object after
          // the array's key.
          size_t at = offset;
          for (int64_t i = 0; i <= skip && at != StringRef::npos; ++i)
            at = text.find('{', at + 1);
          if (at != StringRef::npos)
            offset = at;
        }
        continue;
      }
      size_t end = std::min(path.find_first_of(".["), path.size());
      StringRef token = path.take_front(end);
      path = path.drop_front(end);
      path.consume_front(".");
      std::string quoted = ("\"" + token + "\"").str();
      size_t at = offset;
      for (int64_t i = 0; i <= skip && at != StringRef::npos; ++i)
        at = text.find(quoted, i == 0 ? at : at + 1);
      skip = 0;
      if (at == StringRef::npos)
        break;
      offset = at;
      found = true;
    }
    if (!found)
      return getLocationOfKey(text, bufferName, context, anchorKey);
    return getLocationOfOffset(text, bufferName, context, offset);
  }

  /// Errs once if `value` (at `path`) is not an object, so that the lookups
  /// of its fields need not.
  LogicalResult requireObject(const json &value, StringRef path,
                              StringRef anchorKey) {
    if (value.is_object())
      return success();
    return fieldError(path, anchorKey) << "must be an object";
  }

  /// Looks up `key` of `object` (reached at `path`), erroring if absent.
  const json *get(const json &object, StringRef path, StringRef key,
                  StringRef anchorKey);
  LogicalResult readNumber(const json &object, StringRef path, StringRef key,
                           double &out);
  LogicalResult readVector(const json &value, StringRef path,
                           StringRef anchorKey, int64_t size,
                           Eigen::VectorXd &out,
                           double maxAbs = std::numeric_limits<double>::max());
  LogicalResult readTraining(const json &doc, TrainingRecord &out);
  LogicalResult readClass(const json &value, StringRef name, ClassModel &out);
  LogicalResult readInputs(const json &value, StringRef path, StringRef name,
                           std::vector<unsigned> &out);
  LogicalResult readNetwork(const json &value, StringRef path, StringRef name,
                            CorrectionNetwork &out);
  LogicalResult readIntervals(const json &value, StringRef path,
                              StringRef name, std::vector<IntervalLevel> &out);
  LogicalResult readCalibration(const json &value, Calibration &out);

  StringRef text;
  StringRef bufferName;
  MLIRContext *context;
};
} // namespace

const json *ModelReader::get(const json &object, StringRef path, StringRef key,
                             StringRef anchorKey) {
  std::string fieldPath = path.empty() ? key.str() : (path + "." + key).str();
  if (!object.is_object()) {
    fieldError(path, anchorKey) << "must be an object";
    return nullptr;
  }
  auto it = object.find(key.str());
  if (it == object.end()) {
    fieldError(fieldPath, anchorKey) << "is missing";
    return nullptr;
  }
  return &*it;
}

LogicalResult ModelReader::readNumber(const json &object, StringRef path,
                                      StringRef key, double &out) {
  const json *value = get(object, path, key, key);
  if (!value)
    return failure();
  if (!value->is_number() || !std::isfinite(value->get<double>()))
    return fieldError((path + "." + key).str(), key)
           << "must be a finite number";
  out = value->get<double>();
  return success();
}

LogicalResult ModelReader::readVector(const json &value, StringRef path,
                                      StringRef anchorKey, int64_t size,
                                      Eigen::VectorXd &out, double maxAbs) {
  if (!value.is_array() || static_cast<int64_t>(value.size()) != size)
    return fieldError(path, anchorKey)
           << "must be an array of " << size << " numbers";
  out.resize(size);
  for (auto [i, entry] : llvm::enumerate(value)) {
    if (!entry.is_number() || !std::isfinite(entry.get<double>()))
      return fieldError(path, anchorKey)
             << "has a non-finite or non-numeric entry at index " << i;
    if (std::abs(entry.get<double>()) > maxAbs)
      return fieldError(path, anchorKey)
             << "has an entry beyond +-" << formatDouble(maxAbs) << " at index "
             << i;
    out[i] = entry.get<double>();
  }
  return success();
}

LogicalResult ModelReader::readTraining(const json &doc, TrainingRecord &out) {
  const json *training = get(doc, "", "training", "training");
  if (!training || failed(requireObject(*training, "training", "training")) ||
      failed(checkKeys(*training, "training",
                       {"data_sha256", "seed", "gpus", "hidden_layers",
                        "epochs", "batch_size", "learning_rate"})))
    return failure();
  const json *sha = get(*training, "training", "data_sha256", "data_sha256");
  const json *seed = get(*training, "training", "seed", "seed");
  const json *gpus = get(*training, "training", "gpus", "gpus");
  const json *hidden = get(*training, "training", "hidden_layers", "hidden_layers");
  const json *epochs = get(*training, "training", "epochs", "epochs");
  const json *batch = get(*training, "training", "batch_size", "batch_size");
  if (!sha || !seed || !gpus || !hidden || !epochs || !batch)
    return failure();
  if (!sha->is_string() || sha->get_ref<const std::string &>().size() != 64)
    return fieldError("training.data_sha256", "data_sha256")
           << "must be a 64-digit hex SHA-256";
  if (!seed->is_number_unsigned())
    return fieldError("training.seed", "seed")
           << "must be a non-negative integer";
  if (!isCount(*epochs) || !isCount(*batch))
    return fieldError("training.epochs", "epochs")
           << "and 'training.batch_size' must be integers from 0 to 2^63 - 1";
  if (!gpus->is_array() || !llvm::all_of(*gpus, [](const json &g) {
        return g.is_string();
      }))
    return fieldError("training.gpus", "gpus") << "must be an array of strings";
  if (!hidden->is_array() || !llvm::all_of(*hidden, [](const json &h) {
        return isCount(h) && h.get<int64_t>() > 0;
      }))
    return fieldError("training.hidden_layers", "hidden_layers")
           << "must be an array of positive integers";
  out.dataSha256 = sha->get<std::string>();
  out.seed = seed->get<uint64_t>();
  for (const json &g : *gpus)
    out.gpus.push_back(g.get<std::string>());
  for (const json &h : *hidden)
    out.hiddenLayers.push_back(h.get<int64_t>());
  out.epochs = epochs->get<int64_t>();
  out.batchSize = batch->get<int64_t>();
  return readNumber(*training, "training", "learning_rate", out.learningRate);
}

LogicalResult ModelReader::readInputs(const json &value, StringRef path,
                                      StringRef name,
                                      std::vector<unsigned> &out) {
  ArrayRef<StringLiteral> known = getHybridFeatureNames();
  if (!value.is_array() || value.empty())
    return fieldError(path, name) << "must be a non-empty array of feature "
                                     "names";
  for (const json &entry : value) {
    const StringLiteral *it =
        entry.is_string() ? llvm::find(known, entry.get<std::string>())
                          : known.end();
    if (it == known.end()) {
      InFlightDiagnostic diag = fieldError(path, name)
                                << "names a feature this build does not "
                                   "compute: "
                                << describeJson(entry);
      diag.attachNote() << "the file was trained by a different TileCast "
                           "version; retrain it with tilecast-train";
      return failure();
    }
    out.push_back(it - known.begin());
  }
  return success();
}

LogicalResult ModelReader::readNetwork(const json &value, StringRef path,
                                       StringRef name, CorrectionNetwork &out) {
  if (failed(requireObject(value, path, name)) ||
      failed(checkKeys(
          value, path,
          {"inputs", "max_log_correction", "normalisation", "layers"})))
    return failure();
  const json *inputNames = get(value, path, "inputs", name);
  const json *normalisation = get(value, path, "normalisation", name);
  const json *layers = get(value, path, "layers", name);
  if (!inputNames || !normalisation || !layers ||
      failed(readInputs(*inputNames, (path + ".inputs").str(), name,
                        out.inputs)))
    return failure();
  int64_t numInputs = out.inputs.size();
  std::string normPath = (path + ".normalisation").str();
  if (failed(requireObject(*normalisation, normPath, name)) ||
      failed(checkKeys(*normalisation, normPath, {"mean", "scale"})))
    return failure();
  const json *mean = get(*normalisation, normPath, "mean", name);
  const json *scale = get(*normalisation, normPath, "scale", name);
  if (!mean || !scale ||
      failed(readVector(*mean, normPath + ".mean", name, numInputs,
                        out.featureMean, kMaxAbsFeatureMean)) ||
      failed(readVector(*scale, normPath + ".scale", name, numInputs,
                        out.featureScale)))
    return failure();
  if ((out.featureScale.array() < kMinFeatureScale).any())
    return fieldError(normPath + ".scale", name)
           << "must be at least " << formatDouble(kMinFeatureScale);
  if (!layers->is_array() || layers->empty())
    return fieldError((path + ".layers").str(), name)
           << "must be a non-empty array";
  int64_t inputs = numInputs;
  for (auto [l, layer] : llvm::enumerate(*layers)) {
    std::string layerPath = (path + ".layers[" + std::to_string(l) + "]").str();
    const json *weights = get(layer, layerPath, "weights", name);
    const json *bias = get(layer, layerPath, "bias", name);
    if (!weights || !bias ||
        failed(checkKeys(layer, layerPath, {"weights", "bias"})))
      return failure();
    bool last = l + 1 == layers->size();
    if (!weights->is_array() || weights->empty() ||
        (last && weights->size() != 1))
      return fieldError(layerPath + ".weights", name)
             << "must be a non-empty array of rows"
             << (last ? " with exactly one row (the output)" : "");
    int64_t outputs = weights->size();
    Eigen::MatrixXd matrix(outputs, inputs);
    for (auto [r, row] : llvm::enumerate(*weights)) {
      Eigen::VectorXd values;
      if (failed(readVector(row, layerPath + ".weights[" + std::to_string(r) +
                                     "]",
                            name, inputs, values, kMaxAbsWeight)))
        return failure();
      matrix.row(r) = values.transpose();
    }
    Eigen::VectorXd biasVector;
    if (failed(readVector(*bias, layerPath + ".bias", name, outputs,
                          biasVector, kMaxAbsWeight)))
      return failure();
    out.weights.push_back(std::move(matrix));
    out.biases.push_back(std::move(biasVector));
    inputs = outputs;
  }
  if (failed(readNumber(value, path, "max_log_correction",
                        out.maxLogCorrection)))
    return failure();
  if (out.maxLogCorrection <= 0 ||
      out.maxLogCorrection > kMaxLogCorrectionLimit)
    return fieldError((path + ".max_log_correction").str(), name)
           << "must be positive and at most "
           << formatDouble(kMaxLogCorrectionLimit);
  return success();
}

LogicalResult ModelReader::readIntervals(const json &value, StringRef path,
                                         StringRef name,
                                         std::vector<IntervalLevel> &out) {
  if (!value.is_array() || value.empty())
    return fieldError(path, name) << "must be a non-empty array";
  for (auto [i, level] : llvm::enumerate(value)) {
    std::string levelPath = (path + "[" + std::to_string(i) + "]").str();
    IntervalLevel parsed;
    if (failed(checkKeys(level, levelPath,
                         {"coverage", "lower_log_ratio", "upper_log_ratio"})) ||
        failed(readNumber(level, levelPath, "coverage", parsed.coverage)) ||
        failed(readNumber(level, levelPath, "lower_log_ratio",
                          parsed.lowerLogRatio)) ||
        failed(readNumber(level, levelPath, "upper_log_ratio",
                          parsed.upperLogRatio)))
      return failure();
    if (!(parsed.coverage > 0 && parsed.coverage < 1) ||
        parsed.lowerLogRatio > 0 || parsed.upperLogRatio < 0 ||
        parsed.lowerLogRatio < -kMaxAbsLogRatio ||
        parsed.upperLogRatio > kMaxAbsLogRatio ||
        (!out.empty() && parsed.coverage <= out.back().coverage))
      return fieldError(levelPath, name)
             << "must have 0 < coverage < 1 in increasing order, "
                "-10 <= lower_log_ratio <= 0 <= upper_log_ratio <= 10";
    // A higher coverage needs an interval at least as wide on both sides.
    if (!out.empty() && (parsed.lowerLogRatio > out.back().lowerLogRatio ||
                         parsed.upperLogRatio < out.back().upperLogRatio))
      return fieldError(levelPath, name)
             << "must contain the interval of the lower coverage before it "
                "(lower_log_ratio at most "
             << formatDouble(out.back().lowerLogRatio)
             << ", upper_log_ratio at least "
             << formatDouble(out.back().upperLogRatio) << ")";
    out.push_back(parsed);
  }
  if (!llvm::any_of(out, [](const IntervalLevel &level) {
        return level.coverage == kDefaultCoverage;
      }))
    return fieldError(path, name) << "must include coverage 0.9";
  return success();
}

LogicalResult ModelReader::readClass(const json &value, StringRef name,
                                     ClassModel &out) {
  std::string path = ("classes." + name).str();
  if (failed(requireObject(value, path, name)) ||
      failed(checkKeys(value, path,
                       {"training_rows", "candidates", "held_out_scores",
                        "intervals", "group_intervals", "network"})))
    return failure();
  const json *network = get(value, path, "network", name);
  const json *intervals = get(value, path, "intervals", name);
  const json *rows = get(value, path, "training_rows", name);
  const json *scores = get(value, path, "held_out_scores", name);
  const json *candidates = get(value, path, "candidates", name);
  if (!network || !intervals || !rows || !scores || !candidates ||
      failed(readIntervals(*intervals, path + ".intervals", name,
                           out.intervals)))
    return failure();
  if (auto it = value.find("group_intervals"); it != value.end()) {
    std::string groupsPath = path + ".group_intervals";
    if (!it->is_object())
      return fieldError(groupsPath, name) << "must be an object";
    for (auto group = it->begin(); group != it->end(); ++group) {
      unsigned index = 0;
      while (index < 2 && getIntervalGroupName(static_cast<IntervalGroup>(
                              index)) != group.key())
        ++index;
      if (index == 2)
        return fieldError(groupsPath + "." + group.key(), name)
               << "is not an interval group (power_limited, other)";
      std::vector<IntervalLevel> &levels = out.groupIntervals[index];
      if (failed(readIntervals(group.value(), groupsPath + "." + group.key(),
                               name, levels)))
        return failure();
      if (!llvm::equal(levels, out.intervals,
                       [](const IntervalLevel &a, const IntervalLevel &b) {
                         return a.coverage == b.coverage;
                       }))
        return fieldError(groupsPath + "." + group.key(), name)
               << "must have the same coverages as 'intervals'";
    }
  }
  if (!network->is_null()) {
    out.network.emplace();
    if (failed(readNetwork(*network, path + ".network", name, *out.network)))
      return failure();
  }
  if (!candidates->is_array())
    return fieldError(path + ".candidates", name) << "must be an array";
  for (auto [i, candidate] : llvm::enumerate(*candidates)) {
    std::string candidatePath =
        path + ".candidates[" + std::to_string(i) + "]";
    const json *features = get(candidate, candidatePath, "features", name);
    if (!features || failed(checkKeys(candidate, candidatePath,
                                      {"features", "mean_held_out_mape"})))
      return failure();
    if (!features->is_string())
      return fieldError(candidatePath + ".features", name)
             << "must be a string";
    CandidateScore parsed;
    parsed.features = features->get<std::string>();
    if (failed(readNumber(candidate, candidatePath, "mean_held_out_mape",
                          parsed.meanHeldOutMape)))
      return failure();
    out.candidates.push_back(std::move(parsed));
  }
  if (!isCount(*rows))
    return fieldError(path + ".training_rows", name)
           << "must be an integer from 0 to 2^63 - 1";
  out.trainingRows = rows->get<int64_t>();
  if (!scores->is_array())
    return fieldError(path + ".held_out_scores", name) << "must be an array";
  for (auto [i, score] : llvm::enumerate(*scores)) {
    std::string scorePath =
        path + ".held_out_scores[" + std::to_string(i) + "]";
    HeldOutScore parsed;
    const json *gpu = get(score, scorePath, "gpu", name);
    const json *count = get(score, scorePath, "rows", name);
    if (!gpu || !count ||
        failed(checkKeys(score, scorePath,
                         {"gpu", "rows", "analytical_mape", "hybrid_mape"})))
      return failure();
    if (!gpu->is_string() || !isCount(*count))
      return fieldError(scorePath, name) << "must have a string 'gpu' and an "
                                            "integer 'rows' from 0 to 2^63 - 1";
    parsed.gpu = gpu->get<std::string>();
    parsed.rows = count->get<int64_t>();
    if (failed(readNumber(score, scorePath, "analytical_mape",
                          parsed.analyticalMape)) ||
        failed(readNumber(score, scorePath, "hybrid_mape", parsed.hybridMape)))
      return failure();
    out.heldOutScores.push_back(std::move(parsed));
  }
  return success();
}

LogicalResult ModelReader::readCalibration(const json &value,
                                           Calibration &out) {
  if (failed(requireObject(value, "calibration", "calibration")))
    return failure();
  const json *target = get(value, "calibration", "target", "calibration");
  const json *count =
      get(value, "calibration", "measurements", "calibration");
  const json *bias = get(value, "calibration", "log_bias", "calibration");
  if (!target || !count || !bias ||
      failed(checkKeys(value, "calibration",
                       {"target", "measurements", "log_bias"})))
    return failure();
  if (!target->is_string() || !isCount(*count) || !bias->is_object())
    return fieldError("calibration", "calibration")
           << "must have a string 'target', an integer 'measurements' (0 to "
              "2^63 - 1) and "
              "an object 'log_bias'";
  out.target = target->get<std::string>();
  if (out.target.empty())
    return fieldError("calibration.target", "target")
           << "must name the target the calibration is for";
  // The calibration applies where the target's id equals it: an alias of a
  // built-in target (its device name) would never match.
  for (StringRef id : getBuiltinTargetIds()) {
    FailureOr<TargetSpec> builtin =
        lookupBuiltinTarget(id, UnknownLoc::get(context));
    if (succeeded(builtin) && id != out.target && builtin->matches(out.target))
      return fieldError("calibration.target", "target")
             << "'" << out.target << "' is an alias of target '" << id
             << "'; give the target's id";
  }
  out.measurements = count->get<int64_t>();
  for (auto it = bias->begin(); it != bias->end(); ++it) {
    std::optional<KernelClass> kernelClass = parseKernelClass(it.key());
    if (!kernelClass)
      return fieldError("calibration.log_bias." + it.key(), "log_bias")
             << "is not a kernel class";
    double &logBias = out.logBias[static_cast<unsigned>(*kernelClass)];
    if (failed(readNumber(*bias, "calibration.log_bias", it.key(), logBias)))
      return failure();
    if (std::abs(logBias) > kMaxAbsLogRatio)
      return fieldError("calibration.log_bias." + it.key(), "log_bias")
             << "must be within +-" << formatDouble(kMaxAbsLogRatio);
  }
  return success();
}

FailureOr<HybridModelFile> ModelReader::read(const json &doc) {
  const json *schema = get(doc, "", "schema", "schema");
  if (!schema)
    return failure();
  if (!schema->is_string() || schema->get<std::string>() != kModelSchema.str()) {
    InFlightDiagnostic diag = fieldError("schema", "schema")
                              << "must be '" << kModelSchema << "', got "
                              << describeJson(*schema);
    diag.attachNote() << "this build reads model files of schema "
                      << kModelSchema << "; retrain with tilecast-train";
    return failure();
  }
  HybridModelFile file;
  if (failed(checkKeys(doc, "",
                       {"schema", "training", "classes", "calibration"})) ||
      failed(readTraining(doc, file.training)))
    return failure();
  const json *classes = get(doc, "", "classes", "classes");
  if (!classes)
    return failure();
  if (!classes->is_object() || classes->empty())
    return fieldError("classes", "classes") << "must be a non-empty object";
  for (auto it = classes->begin(); it != classes->end(); ++it) {
    std::optional<KernelClass> kernelClass = parseKernelClass(it.key());
    if (!kernelClass) {
      InFlightDiagnostic diag = fieldError("classes." + it.key(), it.key())
                                << "is not a kernel class";
      diag.attachNote()
          << "kernel classes: bmm, linear, elementwise, softmax, layernorm";
      return failure();
    }
    ClassModel model;
    if (failed(readClass(it.value(), it.key(), model)))
      return failure();
    file.classes[static_cast<unsigned>(*kernelClass)] = std::move(model);
  }
  if (auto it = doc.find("calibration"); it != doc.end()) {
    Calibration calibration;
    if (failed(readCalibration(*it, calibration)))
      return failure();
    for (unsigned c = 0; c < kNumKernelClasses; ++c)
      if (calibration.logBias[c] != 0 && !file.classes[c])
        return fieldError(
                   ("calibration.log_bias." +
                    getKernelClassName(static_cast<KernelClass>(c)))
                       .str(),
                   "log_bias")
               << "calibrates a class the file has no model for";
    file.calibration = std::move(calibration);
  }
  return file;
}

FailureOr<HybridModelFile> tilecast::parseHybridModel(StringRef text,
                                                      StringRef bufferName,
                                                      MLIRContext *context) {
  FailureOr<json> doc = parseJson(text, bufferName, context, "model file");
  if (failed(doc))
    return failure();
  return ModelReader(text, bufferName, context).read(*doc);
}

FailureOr<HybridModelFile> tilecast::loadHybridModel(StringRef path,
                                                     MLIRContext *context) {
  auto buffer = readInputFile(path);
  if (!buffer)
    return emitError(FileLineColLoc::get(context, path, 0, 0))
           << "cannot read model file '" << path
           << "': " << getReadErrorMessage(buffer.getError());
  return parseHybridModel((*buffer)->getBuffer(), path, context);
}

//===----------------------------------------------------------------------===//
// Writing
//===----------------------------------------------------------------------===//

static ordered_json toJson(const Eigen::VectorXd &vector) {
  ordered_json array = ordered_json::array();
  for (double value : vector)
    array.push_back(value);
  return array;
}

static ordered_json toJson(const CorrectionNetwork &net) {
  ordered_json inputs = ordered_json::array();
  for (unsigned feature : net.inputs)
    inputs.push_back(getHybridFeatureNames()[feature].str());
  ordered_json layers = ordered_json::array();
  for (auto [weights, bias] : llvm::zip(net.weights, net.biases)) {
    ordered_json rows = ordered_json::array();
    for (Eigen::Index r = 0; r < weights.rows(); ++r)
      rows.push_back(toJson(Eigen::VectorXd(weights.row(r).transpose())));
    layers.push_back({{"weights", rows}, {"bias", toJson(bias)}});
  }
  return {{"inputs", inputs},
          {"max_log_correction", net.maxLogCorrection},
          {"normalisation",
           {{"mean", toJson(net.featureMean)},
            {"scale", toJson(net.featureScale)}}},
          {"layers", layers}};
}

static ordered_json toJson(const ClassModel &model) {
  ordered_json candidates = ordered_json::array();
  for (const CandidateScore &candidate : model.candidates)
    candidates.push_back({{"features", candidate.features},
                          {"mean_held_out_mape", candidate.meanHeldOutMape}});
  auto toJsonLevels = [](ArrayRef<IntervalLevel> levels) {
    ordered_json array = ordered_json::array();
    for (const IntervalLevel &level : levels)
      array.push_back({{"coverage", level.coverage},
                       {"lower_log_ratio", level.lowerLogRatio},
                       {"upper_log_ratio", level.upperLogRatio}});
    return array;
  };
  ordered_json groups = ordered_json::object();
  for (unsigned g = 0; g < model.groupIntervals.size(); ++g)
    if (!model.groupIntervals[g].empty())
      groups[getIntervalGroupName(static_cast<IntervalGroup>(g)).str()] =
          toJsonLevels(model.groupIntervals[g]);
  ordered_json scores = ordered_json::array();
  for (const HeldOutScore &score : model.heldOutScores)
    scores.push_back({{"gpu", score.gpu},
                      {"rows", score.rows},
                      {"analytical_mape", score.analyticalMape},
                      {"hybrid_mape", score.hybridMape}});
  return {{"training_rows", model.trainingRows},
          {"candidates", candidates},
          {"held_out_scores", scores},
          {"intervals", toJsonLevels(model.intervals)},
          {"group_intervals", groups},
          {"network", model.network ? toJson(*model.network) : ordered_json()}};
}

/// Pretty-prints `value` with arrays of numbers on one line, so that a
/// network row is one line of the file.
static void printJson(const ordered_json &value, unsigned indent,
                      std::string &out) {
  std::string pad(indent + 2, ' ');
  if (value.is_object() && !value.empty()) {
    out += "{\n";
    size_t i = 0;
    for (auto it = value.begin(); it != value.end(); ++it, ++i) {
      out += pad + ordered_json(it.key()).dump() + ": ";
      printJson(it.value(), indent + 2, out);
      out += i + 1 < value.size() ? ",\n" : "\n";
    }
    out += std::string(indent, ' ') + "}";
    return;
  }
  bool flat = llvm::all_of(value, [](const ordered_json &v) {
    return v.is_primitive();
  });
  if (value.is_array() && !value.empty() && !flat) {
    out += "[\n";
    for (size_t i = 0; i < value.size(); ++i) {
      out += pad;
      printJson(value[i], indent + 2, out);
      out += i + 1 < value.size() ? ",\n" : "\n";
    }
    out += std::string(indent, ' ') + "]";
    return;
  }
  if (value.is_array()) {
    out += "[";
    for (size_t i = 0; i < value.size(); ++i)
      out += (i ? ", " : "") + value[i].dump();
    out += "]";
    return;
  }
  out += value.dump();
}

std::string tilecast::printHybridModel(const HybridModelFile &file) {
  const TrainingRecord &t = file.training;
  ordered_json doc = {
      {"schema", kModelSchema.str()},
      {"training",
       {{"data_sha256", t.dataSha256},
        {"seed", t.seed},
        {"gpus", t.gpus},
        {"hidden_layers", t.hiddenLayers},
        {"epochs", t.epochs},
        {"batch_size", t.batchSize},
        {"learning_rate", t.learningRate}}}};
  ordered_json classes = ordered_json::object();
  for (unsigned i = 0; i < kNumKernelClasses; ++i)
    if (file.classes[i])
      classes[getKernelClassName(static_cast<KernelClass>(i)).str()] =
          toJson(*file.classes[i]);
  doc["classes"] = classes;
  if (file.calibration) {
    ordered_json bias = ordered_json::object();
    for (unsigned i = 0; i < kNumKernelClasses; ++i)
      if (file.calibration->logBias[i] != 0)
        bias[getKernelClassName(static_cast<KernelClass>(i)).str()] =
            file.calibration->logBias[i];
    doc["calibration"] = {{"target", file.calibration->target},
                          {"measurements", file.calibration->measurements},
                          {"log_bias", bias}};
  }
  std::string out;
  printJson(doc, 0, out);
  out += "\n";
  return out;
}

LogicalResult tilecast::writeHybridModel(const HybridModelFile &file,
                                         StringRef path, Location loc) {
  std::string text = printHybridModel(file);
  if (failed(parseHybridModel(text, path, loc.getContext())))
    return emitError(loc) << "the model file '" << path
                          << "' would not load (above); it was not written";
  std::string errorMessage;
  if (failed(writeOutputFile(path, text, errorMessage)))
    return emitError(loc) << errorMessage;
  return success();
}
