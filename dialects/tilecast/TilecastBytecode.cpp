//===- TilecastBytecode.cpp - TileCast attributes in MLIR bytecode --------===//
//
// The dialect's attributes in MLIR bytecode, field by field in the order of
// their ODS parameters. Without an encoding of its own, the bytecode writer
// stores each attribute as its text, and the reader parses that text again:
// a diagnostic about it then names the attribute's text where the file
// should be, and the text is parsed by the recursive attribute parser. Read
// back, every attribute goes through its verifier (getChecked), with errors
// at the bytecode file.
//
//===----------------------------------------------------------------------===//

#include "dialects/tilecast/TilecastAttrs.h"
#include "dialects/tilecast/TilecastDialect.h"

#include "mlir/Bytecode/BytecodeImplementation.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/ADT/bit.h"

using namespace mlir;
using namespace mlir::tilecast;

namespace {
/// The code each attribute is written with. Codes are never reused or
/// renumbered: a file written with one must not read as another.
enum class AttrCode : uint64_t {
  Target = 0,
  Cost = 1,
  TileCost = 2,
  TileDecision = 3,
  Fusion = 4,
  Kernel = 5,
};

/// Reads the fields of one attribute; each returns failure (with the
/// reader's error) on malformed bytecode.
class FieldReader {
public:
  explicit FieldReader(DialectBytecodeReader &reader) : reader(reader) {}

  /// A double, written as its bit pattern: every value round-trips exactly.
  LogicalResult read(DoubleParam &value) {
    uint64_t bits;
    if (failed(reader.readVarInt(bits)))
      return failure();
    value = DoubleParam(llvm::bit_cast<double>(bits));
    return success();
  }
  LogicalResult read(int64_t &value) { return reader.readSignedVarInt(value); }
  LogicalResult read(bool &value) { return reader.readBool(value); }
  LogicalResult read(StringRef &value) { return reader.readString(value); }
  LogicalResult read(SmallVectorImpl<int64_t> &values) {
    return reader.readSignedVarInts(values);
  }
  LogicalResult read(DictionaryAttr &value) {
    return reader.readAttribute(value);
  }
  /// An enum, written as its value and checked against its cases by
  /// `symbolize`.
  template <typename Enum>
  LogicalResult read(Enum &value, std::optional<Enum> (*symbolize)(uint32_t)) {
    uint64_t raw;
    if (failed(reader.readVarInt(raw)))
      return failure();
    std::optional<Enum> symbol = raw <= std::numeric_limits<uint32_t>::max()
                                     ? symbolize(static_cast<uint32_t>(raw))
                                     : std::nullopt;
    if (!symbol)
      return reader.emitError()
             << "invalid " << llvm::getTypeName<Enum>() << " value " << raw;
    value = *symbol;
    return success();
  }

private:
  DialectBytecodeReader &reader;
};

struct TilecastBytecodeInterface : public BytecodeDialectInterface {
  explicit TilecastBytecodeInterface(Dialect *dialect)
      : BytecodeDialectInterface(dialect) {}

  Attribute readAttribute(DialectBytecodeReader &reader) const override;
  LogicalResult writeAttribute(Attribute attr,
                               DialectBytecodeWriter &writer) const override;
};
} // namespace

static void writeDouble(DialectBytecodeWriter &writer, double value) {
  writer.writeVarInt(llvm::bit_cast<uint64_t>(value));
}

Attribute
TilecastBytecodeInterface::readAttribute(DialectBytecodeReader &reader) const {
  MLIRContext *context = getContext();
  auto emitError = [&] { return reader.emitError(); };
  FieldReader in(reader);
  uint64_t code;
  if (failed(reader.readVarInt(code)))
    return {};
  switch (static_cast<AttrCode>(code)) {
  case AttrCode::Target: {
    StringRef name;
    TargetKind kind;
    int64_t computeUnits, lanesPerUnit, lanesShared, maxThreads;
    DoubleParam clockMhz, bandwidth, l2Mib, l1Kib, launchUs;
    DictionaryAttr peaks;
    if (failed(in.read(name)) || failed(in.read(kind, symbolizeTargetKind)) ||
        failed(in.read(computeUnits)) || failed(in.read(lanesPerUnit)) ||
        failed(in.read(lanesShared)) || failed(in.read(clockMhz)) ||
        failed(in.read(bandwidth)) || failed(in.read(l2Mib)) ||
        failed(in.read(l1Kib)) || failed(in.read(maxThreads)) ||
        failed(in.read(launchUs)) || failed(in.read(peaks)))
      return {};
    return TargetAttr::getChecked(
        emitError, context, name, kind, computeUnits, lanesPerUnit, lanesShared,
        clockMhz, bandwidth, l2Mib, l1Kib, maxThreads, launchUs, peaks);
  }
  case AttrCode::Cost: {
    DoubleParam latency, lower, upper, compute, memory, overhead;
    int64_t flops, bytes;
    Bound bound;
    Source source;
    if (failed(in.read(latency)) || failed(in.read(lower)) ||
        failed(in.read(upper)) || failed(in.read(compute)) ||
        failed(in.read(memory)) || failed(in.read(overhead)) ||
        failed(in.read(flops)) || failed(in.read(bytes)) ||
        failed(in.read(bound, symbolizeBound)) ||
        failed(in.read(source, symbolizeSource)))
      return {};
    return CostAttr::getChecked(emitError, context, latency, lower, upper,
                                compute, memory, overhead, flops, bytes, bound,
                                source);
  }
  case AttrCode::TileCost: {
    SmallVector<int64_t> tile;
    int64_t numTiles, waves;
    DoubleParam tileLatency, latency;
    Bound bound;
    if (failed(in.read(tile)) || failed(in.read(numTiles)) ||
        failed(in.read(waves)) || failed(in.read(tileLatency)) ||
        failed(in.read(latency)) || failed(in.read(bound, symbolizeBound)))
      return {};
    return TileCostAttr::getChecked(emitError, context, ArrayRef<int64_t>(tile),
                                    numTiles, waves, tileLatency, latency,
                                    bound);
  }
  case AttrCode::TileDecision: {
    SmallVector<int64_t> tile, runnerUp;
    DoubleParam latency, runnerUpLatency;
    int64_t candidates;
    StringRef model;
    if (failed(in.read(tile)) || failed(in.read(latency)) ||
        failed(in.read(runnerUp)) || failed(in.read(runnerUpLatency)) ||
        failed(in.read(candidates)) || failed(in.read(model)))
      return {};
    return TileDecisionAttr::getChecked(
        emitError, context, ArrayRef<int64_t>(tile), latency,
        ArrayRef<int64_t>(runnerUp), runnerUpLatency, candidates, model);
  }
  case AttrCode::Fusion: {
    int64_t operand;
    DoubleParam unfused, fused, saving;
    bool fuse;
    if (failed(in.read(operand)) || failed(in.read(unfused)) ||
        failed(in.read(fused)) || failed(in.read(saving)) ||
        failed(in.read(fuse)))
      return {};
    return FusionAttr::getChecked(emitError, context, operand, unfused, fused,
                                  saving, fuse);
  }
  case AttrCode::Kernel: {
    StringRef group;
    KernelKind kind;
    if (failed(in.read(group)) || failed(in.read(kind, symbolizeKernelKind)))
      return {};
    return KernelAttr::getChecked(emitError, context, group, kind);
  }
  }
  reader.emitError() << "unknown tilecast attribute code " << code;
  return {};
}

LogicalResult
TilecastBytecodeInterface::writeAttribute(Attribute attr,
                                          DialectBytecodeWriter &writer) const {
  auto writeCode = [&](AttrCode code) {
    writer.writeVarInt(static_cast<uint64_t>(code));
  };
  auto writeEnum = [&](auto value) {
    writer.writeVarInt(static_cast<uint64_t>(value));
  };
  return TypeSwitch<Attribute, LogicalResult>(attr)
      .Case([&](TargetAttr a) {
        writeCode(AttrCode::Target);
        writer.writeOwnedString(a.getName());
        writeEnum(a.getKind());
        writer.writeSignedVarInt(a.getComputeUnits());
        writer.writeSignedVarInt(a.getLanesPerUnit());
        writer.writeSignedVarInt(a.getLanesSharedWithInt32());
        writeDouble(writer, a.getClockMhz());
        writeDouble(writer, a.getMemoryBandwidthGbps());
        writeDouble(writer, a.getL2CacheMib());
        writeDouble(writer, a.getL1CacheKib());
        writer.writeSignedVarInt(a.getMaxThreadsPerUnit());
        writeDouble(writer, a.getLaunchOverheadUs());
        writer.writeAttribute(a.getPeakTflops());
        return success();
      })
      .Case([&](CostAttr a) {
        writeCode(AttrCode::Cost);
        for (double value :
             {double(a.getLatencyUs()), double(a.getLowerUs()),
              double(a.getUpperUs()), double(a.getComputeUs()),
              double(a.getMemoryUs()), double(a.getOverheadUs())})
          writeDouble(writer, value);
        writer.writeSignedVarInt(a.getFlops());
        writer.writeSignedVarInt(a.getBytes());
        writeEnum(a.getBound());
        writeEnum(a.getSource());
        return success();
      })
      .Case([&](TileCostAttr a) {
        writeCode(AttrCode::TileCost);
        writer.writeSignedVarInts(a.getTile());
        writer.writeSignedVarInt(a.getNumTiles());
        writer.writeSignedVarInt(a.getWaves());
        writeDouble(writer, a.getTileLatencyUs());
        writeDouble(writer, a.getLatencyUs());
        writeEnum(a.getBound());
        return success();
      })
      .Case([&](TileDecisionAttr a) {
        writeCode(AttrCode::TileDecision);
        writer.writeSignedVarInts(a.getTile());
        writeDouble(writer, a.getLatencyUs());
        writer.writeSignedVarInts(a.getRunnerUp());
        writeDouble(writer, a.getRunnerUpLatencyUs());
        writer.writeSignedVarInt(a.getCandidates());
        writer.writeOwnedString(a.getModel());
        return success();
      })
      .Case([&](FusionAttr a) {
        writeCode(AttrCode::Fusion);
        writer.writeSignedVarInt(a.getOperand());
        writeDouble(writer, a.getUnfusedUs());
        writeDouble(writer, a.getFusedUs());
        writeDouble(writer, a.getSavingUs());
        writer.writeOwnedBool(a.getFuse());
        return success();
      })
      .Case([&](KernelAttr a) {
        writeCode(AttrCode::Kernel);
        writer.writeOwnedString(a.getGroup());
        writeEnum(a.getKind());
        return success();
      })
      .Default([](Attribute) { return failure(); });
}

void TilecastDialect::registerBytecodeInterface() {
  addInterfaces<TilecastBytecodeInterface>();
}
