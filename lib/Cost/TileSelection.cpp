//===- TileSelection.cpp - Choosing tile sizes by predicted cost ----------===//

#include "tilecast/Cost/TileSelection.h"
#include "tilecast/Cost/AnalyticalModel.h"

#include "mlir/IR/Diagnostics.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::tilecast;

/// Candidate tile sizes: powers of two in this range (and 0, the whole loop).
static constexpr int64_t kMinTileSize = 8;
static constexpr int64_t kMaxTileSize = 256;

/// Loops that must stay whole.
static bool mustStayWhole(LoopRole role, const TargetSpec &target) {
  if (role == LoopRole::K)
    return target.isGpu();
  return role == LoopRole::Reduction;
}

SmallVector<SmallVector<int64_t>>
tilecast::getTileSizeCandidates(const OpWorkload &w, const TargetSpec &target) {
  SmallVector<SmallVector<int64_t>> candidates;
  unsigned numLoops = w.loopSizes.size();
  for (unsigned loop = 0; loop < numLoops; ++loop) {
    SmallVector<int64_t> &sizes = candidates.emplace_back();
    sizes.push_back(0);
    if (mustStayWhole(w.loopRoles[loop], target))
      continue;
    bool innermost = loop + 1 == numLoops;
    // A batch loop splits into single matrices and small groups of them: on
    // a CPU, which its cores can share; on a GPU, one matrix per block is a
    // batched kernel's grid (a block of several would have to fit all of
    // their accumulators). On a GPU, a loop that shares its role with others
    // (a convolution's M: images and output rows and columns) also takes
    // sizes from 1, so that their product can fit one block.
    LoopRole role = w.loopRoles[loop];
    bool sharesRole = llvm::count(w.loopRoles, role) > 1 &&
                      (role == LoopRole::M || role == LoopRole::N);
    int64_t smallest = role == LoopRole::Batch || (target.isGpu() && sharesRole)
                           ? 1
                           : kMinTileSize;
    for (int64_t size = smallest; size <= kMaxTileSize; size *= 2) {
      if (size >= w.loopSizes[loop])
        continue;
      // A GPU kernel guards its last, partial blocks (the model prices them
      // as whole ones); a CPU tiling keeps every tile whole, so that its
      // vector loops need no remainder.
      if (!target.isGpu() && w.loopSizes[loop] % size != 0)
        continue;
      if (!target.isGpu() && innermost && size % target.lanesPerUnit != 0)
        continue;
      sizes.push_back(size);
    }
    // A GPU block holds all of a whole batch's accumulators, which rarely
    // fit: blocks of single matrices come first, so that an op with more
    // tilings than selectTileSizes prices (several batch loops) has them
    // priced.
    if (target.isGpu() && role == LoopRole::Batch)
      std::rotate(sizes.begin(), sizes.begin() + 1, sizes.end());
  }
  return candidates;
}

/// The most accumulators (M x N elements) a GPU GEMM block tile holds: the
/// largest sgemm block of the measurements, 128 x 256
/// (cutlass_80_simt_sgemm_128x256_8x4 on the L4, ../shared/data/neusight).
static constexpr int64_t kMaxGpuBlockAccumulators = 128 * 256;

/// Whether a tile's working set fits where it should live: on a CPU, a
/// core's share of the last-level cache; on a GPU, a GEMM block's
/// accumulators, at most kMaxTileSize along M and along N (each the product
/// of its loops) and kMaxGpuBlockAccumulators in all, over its batch (a whole
/// loop of 16384 as a block would need megabytes of registers), while other
/// ops' blocks stream their share whatever its size. Every loop whole is no
/// block tiling on a GPU (the op as a library tiles it): not a candidate, only
/// what selectTileSizes decides when no block tiling is legal.
static bool fitsCache(const OpWorkload &w, ArrayRef<int64_t> tile,
                      const TargetSpec &target) {
  if (!target.isGpu()) {
    double perCore = target.getL2CacheBytes() / target.computeUnits;
    return getTileWorkingSetBytes(w, tile) <= perCore;
  }
  if (isUntiled(tile))
    return false;
  // Extents per role: a convolution's M spans several loops (batch and
  // output pixels), and a block of a batched GEMM holds each of its
  // matrices' accumulators.
  int64_t m = 1, n = 1, batch = 1;
  bool isGemm = false;
  for (auto [loop, role] : llvm::enumerate(w.loopRoles)) {
    int64_t extent = getTileExtent(w, tile, loop);
    if (role == LoopRole::M || role == LoopRole::N)
      isGemm = true;
    if (role == LoopRole::M)
      m *= extent;
    else if (role == LoopRole::N)
      n *= extent;
    else if (role == LoopRole::Batch)
      batch *= extent;
  }
  if (!isGemm)
    return true;
  return m <= kMaxTileSize && n <= kMaxTileSize &&
         double(batch) * m * n <= kMaxGpuBlockAccumulators;
}

/// Elements of a tile of `tileSizes` along the N loops of `w` (its output's
/// contiguous dimension, and B's for a contraction); 1 when it has none.
static int64_t getTileWidth(const OpWorkload &w, ArrayRef<int64_t> tileSizes) {
  int64_t width = 1;
  for (auto [loop, role] : llvm::enumerate(w.loopRoles))
    if (role == LoopRole::N)
      width *= getTileExtent(w, tileSizes, loop);
  return width;
}

/// True if `a` should rank before `b`, tilings of `w`. Ties in predicted
/// time go to fewer tiles, then to wider tiles along N, then to the sizes in
/// order. Wider tiles read longer runs of B's and C's rows. Measured with
/// `tilecast-bench tiling --measurements` on the Zen 5 files
/// (docs/tiling.md, "Ties"): among tilings of one predicted time, the wider
/// ones ran faster on all three matmul suites, and this rule took the median
/// regret from 12.1% to 6.0% (default), 1.8% to 1.3% (held out) and 3.3% to
/// 2.1% (large).
static bool isBetter(const OpWorkload &w, const TileCostEstimate &a,
                     const TileCostEstimate &b) {
  if (a.latencyUs != b.latencyUs)
    return a.latencyUs < b.latencyUs;
  if (a.numTiles != b.numTiles)
    return a.numTiles < b.numTiles;
  int64_t widthA = getTileWidth(w, a.tileSizes);
  int64_t widthB = getTileWidth(w, b.tileSizes);
  if (widthA != widthB)
    return widthA > widthB;
  return a.tileSizes < b.tileSizes;
}

bool tilecast::walkTileCombinations(
    ArrayRef<SmallVector<int64_t>> candidates,
    function_ref<WalkResult(ArrayRef<int64_t>)> fn) {
  if (candidates.empty())
    return false;
  SmallVector<size_t> position(candidates.size(), 0);
  SmallVector<int64_t> tile(candidates.size());
  while (true) {
    for (size_t loop = 0; loop < candidates.size(); ++loop)
      tile[loop] = candidates[loop][position[loop]];
    if (fn(tile).wasInterrupted())
      return true;
    // Next combination, the last loop fastest.
    size_t loop = candidates.size();
    while (loop-- > 0 && ++position[loop] == candidates[loop].size())
      position[loop] = 0;
    if (loop == static_cast<size_t>(-1))
      return false;
  }
}

FailureOr<SmallVector<TileCostEstimate>>
tilecast::rankTileSizes(const OpWorkload &w, const TargetSpec &target,
                        const CostModel &model, Location loc,
                        int64_t maxCandidates) {
  SmallVector<TileCostEstimate> ranked;
  bool failedEstimate = false;
  walkTileCombinations(
      getTileSizeCandidates(w, target), [&](ArrayRef<int64_t> tile) {
        if (static_cast<int64_t>(ranked.size()) == maxCandidates)
          return WalkResult::interrupt();
        if (!fitsCache(w, tile, target))
          return WalkResult::advance();
        FailureOr<TileCostEstimate> cost =
            model.estimateTile(w, tile, target, loc);
        if (failed(cost)) {
          failedEstimate = true;
          return WalkResult::interrupt();
        }
        ranked.push_back(*cost);
        return WalkResult::advance();
      });
  if (failedEstimate)
    return failure();
  std::stable_sort(ranked.begin(), ranked.end(),
                   [&](const TileCostEstimate &a, const TileCostEstimate &b) {
                     return isBetter(w, a, b);
                   });
  return ranked;
}

FailureOr<TileSelection> tilecast::selectTileSizes(const OpWorkload &w,
                                                   const TargetSpec &target,
                                                   const CostModel &model,
                                                   Location loc,
                                                   int64_t maxCandidates) {
  FailureOr<SmallVector<TileCostEstimate>> ranked =
      rankTileSizes(w, target, model, loc, maxCandidates);
  if (failed(ranked))
    return failure();
  TileSelection selection;
  if (ranked->empty()) {
    // Leaving the op whole is always legal: the one candidate when no tiling
    // fits (a reduction over every loop of a large op keeps them all whole).
    SmallVector<int64_t> whole(w.loopSizes.size(), 0);
    FailureOr<TileCostEstimate> untiled =
        model.estimateTile(w, whole, target, loc);
    if (failed(untiled))
      return failure();
    selection.numCandidates = 1;
    selection.best = std::move(*untiled);
    return selection;
  }
  selection.numCandidates = ranked->size();
  selection.best = (*ranked)[0];
  if (ranked->size() > 1)
    selection.runnerUp = (*ranked)[1];
  return selection;
}
