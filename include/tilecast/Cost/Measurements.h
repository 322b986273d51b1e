//===- Measurements.h - Measured kernel latencies ----------------*- C++ -*-===//
//
// Ground truth in the NeuSight CSV format (../shared/data/neusight, see its
// README): kernel latencies measured on GPUs, FP32, in milliseconds. Each row
// becomes an OpWorkload built through the cost library's constructors and the
// device it was measured on. The learned model trains on these files
// (tilecast-train), few-shot calibration reads a user's file in the same
// format (tilecast-calibrate) and tilecast-bench scores the models on them.
//
//===----------------------------------------------------------------------===//

#ifndef TILECAST_COST_MEASUREMENTS_H
#define TILECAST_COST_MEASUREMENTS_H

#include "tilecast/Cost/Workload.h"

#include <memory>
#include <string>
#include <vector>

namespace mlir::tilecast {

/// The op classes of the measurements; the learned model has one network per
/// class and accuracy is reported per class.
enum class KernelClass : unsigned { Bmm, Linear, Elementwise, Softmax, LayerNorm };
inline constexpr unsigned kNumKernelClasses = 5;
StringRef getKernelClassName(KernelClass kernelClass);

struct Measurement {
  KernelClass kernelClass;
  /// The device string of the CSV ("NVIDIA L4"), an alias of a target.
  std::string device;
  OpWorkload workload;
  double latencyUs;
  /// The row's line in its CSV file (1 is the header).
  int64_t line = 0;
  /// The row's OPName ("bmm", "gelu", "ln", ...).
  std::string opName;
  /// The CSV file the row was read from (shared by its rows: a training
  /// split has 231,847 of them); null for rows made otherwise.
  std::shared_ptr<const std::string> file;

  /// The row's location, for diagnostics about it: its file and line (an
  /// unknown location for a row not read from a file).
  Location getLoc(MLIRContext *context) const {
    if (!file)
      return UnknownLoc::get(context);
    return FileLineColLoc::get(context, *file, line, 1);
  }
};

/// The target ids of the NeuSight training GPUs, whose kernels
/// kernels/train holds (everything TileCast fits is fitted to these), and of
/// the validation GPUs no kernel of which is ever trained on (the data's
/// README: "never seen in training").
ArrayRef<StringLiteral> getTrainingTargetIds();
ArrayRef<StringLiteral> getUnseenTargetIds();

/// Which files to read: the training GPUs' training kernels, or the
/// validation rows (held-out shapes and the unseen GPUs).
enum class Split { Train, Validation };

/// Reads every measurement of `split` under `neusightDir`, appending the
/// paths of the files read, in reading order, to `filesRead` if given. Errors
/// (a missing file, a malformed row) are reported at `loc`.
FailureOr<std::vector<Measurement>>
readMeasurements(StringRef neusightDir, Split split, Location loc,
                 std::vector<std::string> *filesRead = nullptr);

/// Reads one CSV file in the NeuSight column format whose rows may mix op
/// classes; each row's class comes from its `OPName` column (bmm, linear,
/// softmax, ln, or an element-wise op name). Errors name the file and line.
FailureOr<std::vector<Measurement>> readMeasurementFile(StringRef path,
                                                        Location loc);

} // namespace mlir::tilecast

#endif // TILECAST_COST_MEASUREMENTS_H
