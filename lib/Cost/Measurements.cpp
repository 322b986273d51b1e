//===- Measurements.cpp - Reading measured kernel latencies ---------------===//

#include "tilecast/Cost/Measurements.h"
#include "dialects/tilecast/TilecastAttrs.h"
#include "tilecast/Support/InputFile.h"
#include "tilecast/Support/Number.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <cmath>

using namespace mlir;
using namespace mlir::tilecast;

static constexpr double kUsPerMs = 1e3;
/// No NeuSight dimension comes near this; larger values are corrupt rows.
static constexpr double kMaxDimension = 1 << 24;
/// The measurements are FP32.
static constexpr int64_t kFloatBytes = 4;

ArrayRef<StringLiteral> tilecast::getTrainingTargetIds() {
  static constexpr StringLiteral kIds[] = {"p4", "p100", "v100", "t4",
                                           "a100-pcie-40gb"};
  return kIds;
}

ArrayRef<StringLiteral> tilecast::getUnseenTargetIds() {
  static constexpr StringLiteral kIds[] = {"l4", "a100-pcie-80gb"};
  return kIds;
}

StringRef tilecast::getKernelClassName(KernelClass kernelClass) {
  static constexpr StringLiteral kNames[] = {"bmm", "linear", "elementwise",
                                             "softmax", "layernorm"};
  return kNames[static_cast<unsigned>(kernelClass)];
}

/// Splits one CSV line, honouring double quotes.
static SmallVector<std::string> splitCsvLine(StringRef line) {
  SmallVector<std::string> fields(1);
  bool quoted = false;
  for (char c : line) {
    if (c == '"')
      quoted = !quoted;
    else if (c == ',' && !quoted)
      fields.emplace_back();
    else if (c != '\r')
      fields.back().push_back(c);
  }
  return fields;
}

namespace {
/// Element-wise ops of the data: tensors read and per-element arithmetic.
struct ElementwiseOp {
  StringLiteral name;
  int64_t numInputs;
  int64_t flops;
  int64_t transcendentals;
};
} // namespace

/// Tensor-tensor ops read two tensors, tensor-scalar ('u') and unary ops one.
/// GELU is the erf form PyTorch uses by default: x * 0.5 * (1 + erf(x/sqrt2)).
static const ElementwiseOp kElementwiseOps[] = {
    {"add", 2, 1, 0},  {"mul", 2, 1, 0},  {"div", 2, 1, 1},  {"pow", 2, 1, 1},
    {"addu", 1, 1, 0}, {"mulu", 1, 1, 0}, {"divu", 1, 1, 1}, {"powu", 1, 1, 1},
    {"relu", 1, 1, 0}, {"gelu", 1, 4, 1}, {"tanh", 1, 1, 1}};

/// The OPNames of the other classes.
static constexpr std::pair<StringLiteral, KernelClass> kOtherOps[] = {
    {"bmm", KernelClass::Bmm},
    {"linear", KernelClass::Linear},
    {"softmax", KernelClass::Softmax},
    {"ln", KernelClass::LayerNorm}};

static const ElementwiseOp *lookupElementwiseOp(StringRef name) {
  for (const ElementwiseOp &op : kElementwiseOps)
    if (op.name == name)
      return &op;
  return nullptr;
}

/// "add, mul, ...": the element-wise OPNames, after the others if
/// `withOthers`, for diagnostics.
static std::string listKnownOps(bool withOthers) {
  SmallVector<StringRef> names;
  if (withOthers)
    for (auto [name, kernelClass] : kOtherOps)
      names.push_back(name);
  for (const ElementwiseOp &op : kElementwiseOps)
    names.push_back(op.name);
  return llvm::join(names, ", ");
}

namespace {
/// One CSV file: its header and a way to read typed fields of a row.
class CsvFile {
public:
  static FailureOr<CsvFile> open(StringRef path, Location loc) {
    auto buffer = readInputFile(path);
    if (!buffer)
      return emitError(FileLineColLoc::get(loc.getContext(), path, 0, 0))
             << "cannot read '" << path
             << "': " << getReadErrorMessage(buffer.getError());
    CsvFile file;
    file.path = path.str();
    file.buffer = std::move(*buffer);
    return file;
  }

  /// Calls `fn(fields, line)` for each data row; `number(fields, name)` and
  /// `text(fields, name)` look a field up by header name. The header must
  /// name every column of `required`.
  template <typename Fn>
  LogicalResult forEachRow(Location loc, ArrayRef<StringRef> required, Fn fn) {
    SmallVector<StringRef> lines;
    buffer->getBuffer().split(lines, '\n', -1, /*KeepEmpty=*/true);
    if (lines.empty() || lines.front().trim().empty())
      return emitError(FileLineColLoc::get(loc.getContext(), path, 1, 1))
             << "'" << path << "' has no header";
    // A byte-order mark (spreadsheet exports write one) is not part of the
    // first column's name.
    StringRef headerLine = lines.front();
    headerLine.consume_front("\xEF\xBB\xBF");
    SmallVector<std::string> header = splitCsvLine(headerLine);
    for (auto [index, name] : llvm::enumerate(header))
      if (!columns.try_emplace(name, index).second)
        return emitError(FileLineColLoc::get(loc.getContext(), path, 1, 1))
               << "the column '" << name
               << "' appears twice in the header; which one holds the value "
                  "is ambiguous";
    for (StringRef name : required)
      if (!columns.contains(name))
        return emitError(FileLineColLoc::get(loc.getContext(), path, 1, 1))
               << "the header has no column '" << name
               << "' (a NeuSight kernel table's header names OPName, "
                  "Latency, Device and the shape columns)";
    for (auto [number, line] : llvm::enumerate(ArrayRef(lines).drop_front())) {
      if (line.trim().empty())
        continue;
      SmallVector<std::string> fields = splitCsvLine(line);
      problem.clear();
      if (fields.size() > header.size())
        (void)reject(Twine("the row has ") + Twine(fields.size()) +
                     " fields, the header " + Twine(header.size()));
      else if (succeeded(fn(fields, static_cast<int64_t>(number + 2))))
        continue;
      return emitError(
                 FileLineColLoc::get(loc.getContext(), path, number + 2, 1))
             << "malformed row: " << problem;
    }
    return success();
  }

  /// Fails the row being read, saying why (the first reason given wins).
  LogicalResult reject(const Twine &why) {
    if (problem.empty())
      problem = why.str();
    return failure();
  }

  FailureOr<double> number(ArrayRef<std::string> fields, StringRef name) {
    FailureOr<std::string> field = text(fields, name);
    if (failed(field))
      return failure();
    std::optional<double> value = parseDecimal(*field);
    if (!value)
      return reject("the field '" + name + "' is not a number: '" + *field +
                    "'");
    return *value;
  }
  FailureOr<std::string> text(ArrayRef<std::string> fields, StringRef name) {
    auto it = columns.find(name);
    if (it == columns.end())
      return reject("the header has no column '" + name +
                    "', which a row of its op needs");
    if (it->second >= fields.size())
      return reject("the field '" + name + "' is missing");
    return fields[it->second];
  }

private:
  std::string path;
  std::unique_ptr<llvm::MemoryBuffer> buffer;
  llvm::StringMap<size_t> columns;
  /// Why the row being read is malformed.
  std::string problem;
};
} // namespace

/// Builds the workload of one row of class `kernelClass`.
static FailureOr<OpWorkload> getWorkload(CsvFile &file, KernelClass kernelClass,
                                         StringRef opName,
                                         ArrayRef<std::string> f) {
  // Shapes are whole numbers from 1 up to far below int64 overflow.
  auto get = [&](StringRef name) -> FailureOr<int64_t> {
    FailureOr<double> value = file.number(f, name);
    if (failed(value))
      return failure();
    if (!(*value >= 1 && *value <= kMaxDimension) ||
        *value != std::floor(*value))
      return file.reject("the field '" + name +
                         "' must be a whole number from 1 to " +
                         Twine(static_cast<int64_t>(kMaxDimension)) + ", got " +
                         formatDouble(*value));
    return static_cast<int64_t>(*value);
  };
  auto rejectProduct = [&] {
    return file.reject("the shape's elements or FLOPs overflow 64 bits");
  };
  switch (kernelClass) {
  case KernelClass::Bmm:
  case KernelClass::Linear: {
    // NeuSight's N is the reduction: x[B,M,N] @ y[B,N,K] -> [B,M,K]. In
    // TileCast's GEMM view that is m = M, n = K, k = N.
    // A linear layer's B leading rows (nn.Linear on [B, M, N]) are one GEMM
    // of B * M rows; NeuSight's linear tables all have B = 1.
    FailureOr<int64_t> b = get("B"), m = get("M"), n = get("N"), k = get("K");
    if (failed(b) || failed(m) || failed(n) || failed(k))
      return failure();
    if (failed(getBoundedProduct({*b, *m, *n, *k})))
      return rejectProduct();
    if (kernelClass == KernelClass::Linear)
      return OpWorkload::getMatmul(1, *b * *m, *k, *n, PeakKind::F32,
                                   kFloatBytes);
    return OpWorkload::getMatmul(*b, *m, *k, *n, PeakKind::F32, kFloatBytes);
  }
  case KernelClass::Elementwise: {
    const ElementwiseOp *op = lookupElementwiseOp(opName);
    if (!op)
      return file.reject("OPName '" + opName +
                         "' is not an element-wise op TileCast knows (" +
                         listKnownOps(/*withOthers=*/false) + ")");
    FailureOr<int64_t> b = get("B"), h = get("H");
    if (failed(b) || failed(h))
      return failure();
    if (failed(getBoundedProduct({*b, *h})))
      return rejectProduct();
    return OpWorkload::getElementwise(*b, *h, op->numInputs, op->flops,
                                      op->transcendentals, kFloatBytes);
  }
  case KernelClass::Softmax:
  case KernelClass::LayerNorm: {
    FailureOr<int64_t> b = get("B"), h = get("H");
    if (failed(b) || failed(h))
      return failure();
    if (failed(getBoundedProduct({*b, *h})))
      return rejectProduct();
    return kernelClass == KernelClass::Softmax
               ? OpWorkload::getSoftmax(*b, *h, kFloatBytes)
               : OpWorkload::getLayerNorm(*b, *h, kFloatBytes);
  }
  }
  llvm_unreachable("unknown kernel class");
}

/// The class of a row from its OPName, or nullopt for an unknown op.
static std::optional<KernelClass> inferKernelClass(StringRef opName) {
  for (auto [name, kernelClass] : kOtherOps)
    if (opName == name)
      return kernelClass;
  if (lookupElementwiseOp(opName))
    return KernelClass::Elementwise;
  return std::nullopt;
}

/// Longest kernel latency a row may give (a day): the longest NeuSight
/// kernel takes 12.3 s; beyond this a value is a unit or typing error, and a
/// huge one would make the calibration's log factors infinite.
static constexpr double kMaxLatencyMs = 24 * 3600 * 1e3;
/// Shortest (0.1 us): no kernel launched from the host ends sooner (the
/// shortest NeuSight kernel takes 24 us); a tinier value is an error, and
/// would dominate every percentage error it enters.
static constexpr double kMinLatencyMs = 1e-4;

/// Reads the rows of `path` into `out`; rows are of `kernelClass`, or of the
/// class their OPName says when it is nullopt.
static LogicalResult readFile(StringRef path,
                              std::optional<KernelClass> kernelClass,
                              std::vector<Measurement> &out, Location loc) {
  FailureOr<CsvFile> file = CsvFile::open(path, loc);
  if (failed(file))
    return failure();
  static constexpr StringRef kRequired[] = {"OPName", "Device", "Latency"};
  auto sharedPath = std::make_shared<const std::string>(path.str());
  return file->forEachRow(
      loc, kRequired, [&](ArrayRef<std::string> fields, int64_t line) {
        FailureOr<std::string> opName = file->text(fields, "OPName");
        FailureOr<std::string> device = file->text(fields, "Device");
        FailureOr<double> latencyMs = file->number(fields, "Latency");
        if (failed(opName) || failed(device) || failed(latencyMs))
          return failure();
        if (!(*latencyMs >= kMinLatencyMs && *latencyMs <= kMaxLatencyMs))
          return file->reject("the field 'Latency' must be from " +
                              formatDouble(kMinLatencyMs) + " to " +
                              formatDouble(kMaxLatencyMs) + " ms, got " +
                              formatDouble(*latencyMs));
        std::optional<KernelClass> rowClass =
            kernelClass ? kernelClass : inferKernelClass(*opName);
        if (!rowClass)
          return file->reject("OPName '" + *opName +
                              "' is not an op TileCast knows (" +
                              listKnownOps(/*withOthers=*/true) + ")");
        FailureOr<OpWorkload> workload =
            getWorkload(*file, *rowClass, *opName, fields);
        if (failed(workload))
          return failure();
        out.push_back({*rowClass, *device, std::move(*workload),
                       *latencyMs * kUsPerMs, line, *opName, sharedPath});
        return success();
      });
}

FailureOr<std::vector<Measurement>>
tilecast::readMeasurementFile(StringRef path, Location loc) {
  std::vector<Measurement> out;
  if (failed(readFile(path, std::nullopt, out, loc)))
    return failure();
  if (out.empty())
    return emitError(FileLineColLoc::get(loc.getContext(), path, 1, 1))
           << "'" << path << "' has no measurements";
  return out;
}

FailureOr<std::vector<Measurement>>
tilecast::readMeasurements(StringRef neusightDir, Split split, Location loc,
                           std::vector<std::string> *filesRead) {
  std::vector<Measurement> out;
  auto read = [&](StringRef path, KernelClass kernelClass) {
    if (filesRead)
      filesRead->push_back(path.str());
    return readFile(path, kernelClass, out, loc);
  };
  SmallString<256> dir(neusightDir);
  llvm::sys::path::append(dir, "kernels",
                          split == Split::Train ? "train" : "validation");
  if (!llvm::sys::fs::is_directory(dir))
    return emitError(loc) << "no NeuSight kernel data at '" << dir
                          << "'; pass --data=PATH/TO/shared/data/neusight";
  auto add = [&](StringRef relative, KernelClass kernelClass) {
    SmallString<256> path(dir);
    llvm::sys::path::append(path, relative);
    return read(path, kernelClass);
  };
  if (split == Split::Validation) {
    if (failed(add("bmm.csv", KernelClass::Bmm)) ||
        failed(add("linear.csv", KernelClass::Linear)) ||
        failed(add("elem.csv", KernelClass::Elementwise)) ||
        failed(add("softmax.csv", KernelClass::Softmax)) ||
        failed(add("ln.csv", KernelClass::LayerNorm)))
      return failure();
    return out;
  }
  // Training files: one folder per op, one CSV per GPU.
  static const std::pair<StringLiteral, KernelClass> kFolders[] = {
      {"bmm", KernelClass::Bmm},          {"linear", KernelClass::Linear},
      {"softmax", KernelClass::Softmax},  {"ln", KernelClass::LayerNorm},
      {"add", KernelClass::Elementwise},  {"addu", KernelClass::Elementwise},
      {"mul", KernelClass::Elementwise},  {"mulu", KernelClass::Elementwise},
      {"div", KernelClass::Elementwise},  {"divu", KernelClass::Elementwise},
      {"pow", KernelClass::Elementwise},  {"powu", KernelClass::Elementwise},
      {"relu", KernelClass::Elementwise}, {"gelu", KernelClass::Elementwise},
      {"tanh", KernelClass::Elementwise}};
  for (auto [folder, kernelClass] : kFolders) {
    SmallString<256> folderPath(dir);
    llvm::sys::path::append(folderPath, folder);
    std::error_code ec;
    std::vector<std::string> files;
    for (llvm::sys::fs::directory_iterator it(folderPath, ec), end;
         it != end && !ec; it.increment(ec))
      if (StringRef(it->path()).ends_with(".csv"))
        files.push_back(it->path());
    if (ec)
      return emitError(loc) << "cannot list '" << folderPath
                            << "': " << ec.message();
    if (files.empty())
      return emitError(loc) << "no .csv file in '" << folderPath
                            << "': every op class needs its measurements";
    llvm::sort(files);
    for (const std::string &path : files)
      if (failed(read(path, kernelClass)))
        return failure();
  }
  return out;
}
