//===- CalibrationBench.cpp - Few-shot calibration error curve ------------===//
//
// For each unseen GPU (L4, A100-80GB PCIe) and K in {0, 5, 10, 20}: draw K of
// its validation kernels, round-robin over the kernel classes (the protocol
// a user follows: measure a few kernels of each kind), calibrate the
// built-in hybrid model to them (calibrateHybridModel), and score it on the
// GPU's other validation kernels. Draws are seeded (SplitMix64, seed = draw
// number), so the table is reproducible.
//
//===----------------------------------------------------------------------===//

#include "CalibrationBench.h"

#include "tilecast/Cost/Measurements.h"
#include "tilecast/Cost/Training.h"
#include "tilecast/Support/Random.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

using namespace mlir;
using namespace mlir::tilecast;

/// The few-shot sizes the issue asks for.
static constexpr int64_t kShotCounts[] = {0, 5, 10, 20};

namespace {
/// MAPE per class, summed over draws.
struct ClassErrors {
  std::array<double, kNumKernelClasses> mapeSum{};
  std::array<int64_t, kNumKernelClasses> draws{};
};
} // namespace

/// Picks `k` indices of `rows`, cycling over the classes in order.
static std::vector<size_t> drawShots(ArrayRef<const Measurement *> rows,
                                     int64_t k, SplitMix64 &rng) {
  std::array<std::vector<size_t>, kNumKernelClasses> byClass;
  for (auto [i, m] : llvm::enumerate(rows))
    byClass[static_cast<unsigned>(m->kernelClass)].push_back(i);
  for (std::vector<size_t> &indices : byClass)
    for (size_t i = indices.size(); i > 1; --i)
      std::swap(indices[i - 1], indices[rng.below(i)]);
  std::vector<size_t> shots;
  for (size_t round = 0; static_cast<int64_t>(shots.size()) < k; ++round) {
    bool any = false;
    for (const std::vector<size_t> &indices : byClass)
      if (round < indices.size() && static_cast<int64_t>(shots.size()) < k) {
        shots.push_back(indices[round]);
        any = true;
      }
    if (!any)
      break;
  }
  return shots;
}

int bench::runCalibrationBench(MLIRContext &context, StringRef neusightDir,
                               int64_t draws) {
  Location loc = UnknownLoc::get(&context);
  FailureOr<std::vector<Measurement>> measurements =
      readMeasurements(neusightDir, Split::Validation, loc);
  FailureOr<std::shared_ptr<const HybridModelFile>> model =
      getBuiltinHybridModel(&context);
  if (failed(measurements) || failed(model))
    return 1;
  // Without the unseen GPUs' rows every cell would be n/a.
  for (StringRef id : getUnseenTargetIds()) {
    FailureOr<TargetSpec> target = lookupTarget(id, loc);
    if (failed(target))
      return 1;
    if (llvm::none_of(*measurements, [&](const Measurement &m) {
          return target->matches(m.device);
        })) {
      emitError(loc) << "no validation kernel of '" << id << "' under '"
                     << neusightDir << "' to calibrate with";
      return 1;
    }
  }

  raw_ostream &os = llvm::outs();
  os << "tilecast-bench calibration: hybrid model calibrated with K kernels "
        "of each unseen GPU\n(round-robin over classes), MAPE % on its other "
        "validation kernels, mean of "
     << draws << " draws\n\n";
  os << llvm::format("%-16s %3s %8s %8s %12s %8s %10s\n", "gpu", "K", "bmm",
                     "linear", "elementwise", "softmax", "layernorm");
  for (StringRef id : getUnseenTargetIds()) {
    FailureOr<TargetSpec> target = lookupTarget(id, loc);
    if (failed(target))
      return 1;
    std::vector<const Measurement *> rows;
    for (const Measurement &m : *measurements)
      if (target->matches(m.device))
        rows.push_back(&m);
    for (int64_t k : kShotCounts) {
      ClassErrors errors;
      for (int64_t draw = 0; draw < (k == 0 ? 1 : draws); ++draw) {
        SplitMix64 rng(draw);
        std::vector<size_t> shots = drawShots(rows, k, rng);
        std::vector<Measurement> measured;
        std::vector<bool> isShot(rows.size(), false);
        for (size_t i : shots) {
          measured.push_back(*rows[i]);
          isShot[i] = true;
        }
        FailureOr<HybridModelFile> calibrated =
            calibrateHybridModel(**model, *target, measured, loc);
        if (failed(calibrated))
          return 1;
        HybridModel hybrid(
            std::make_shared<const HybridModelFile>(std::move(*calibrated)));
        std::array<double, kNumKernelClasses> apeSum{};
        std::array<int64_t, kNumKernelClasses> count{};
        for (auto [i, m] : llvm::enumerate(rows)) {
          if (isShot[i])
            continue;
          FailureOr<CostEstimate> e = hybrid.estimate(m->workload, *target, loc);
          if (failed(e))
            return 1;
          unsigned c = static_cast<unsigned>(m->kernelClass);
          apeSum[c] += std::abs(e->latencyUs - m->latencyUs) / m->latencyUs;
          ++count[c];
        }
        for (unsigned c = 0; c < kNumKernelClasses; ++c)
          if (count[c]) {
            errors.mapeSum[c] += 100.0 * apeSum[c] / count[c];
            ++errors.draws[c];
          }
      }
      os << llvm::format("%-16s %3lld", target->id.c_str(), (long long)k);
      for (unsigned c = 0; c < kNumKernelClasses; ++c) {
        int width = c == 2 ? 12 : c == 4 ? 10 : 8;
        // A class without validation kernels left to score has no error.
        if (errors.draws[c] == 0)
          os << llvm::format(" %*s", width, "n/a");
        else
          os << llvm::format(" %*.1f", width,
                             errors.mapeSum[c] / errors.draws[c]);
      }
      os << "\n";
    }
  }
  return 0;
}
