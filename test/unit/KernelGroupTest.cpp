//===- KernelGroupTest.cpp - Ops priced as one kernel ---------------------===//
//
// Expected values are derived by hand: every tensor is f32 (4 bytes per
// element); a group reads each tensor that enters it once and writes each
// one that leaves it once, and its FLOPs are its members' payload operations
// times their iterations.
//
//===----------------------------------------------------------------------===//

#include "TestUtils.h"

#include "tilecast/Cost/KernelGroup.h"
#include "tilecast/Cost/WorkloadOpInterface.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace mlir::tilecast;
using mlir::tilecast::testing::TestContext;

namespace {
class KernelGroupTest : public ::testing::Test {
protected:
  /// The op tagged with loc(`name`) in `source`.
  Operation *parseAndFind(StringRef source, StringRef name) {
    module = parseSourceString<ModuleOp>(source, ctx.get());
    Operation *found = nullptr;
    if (!module)
      return nullptr;
    module->walk([&](Operation *op) {
      if (auto loc = dyn_cast<NameLoc>(op->getLoc()))
        if (loc.getName() == name)
          found = op;
    });
    return found;
  }

  TestContext ctx;
  OwningOpRef<ModuleOp> module;
};
} // namespace

// A residual add followed by a row sum over [64, 32], marked as one
// reduction kernel: 64 x 32 adds + 64 x 32 accumulations = 4096 FLOPs. It
// reads x and y (2 x 8192 bytes) and writes the [64] sums (256 bytes); the
// [64, 32] sum of x and y never leaves the kernel.
static constexpr StringLiteral kAddThenSum = R"mlir(
#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
func.func @f(%x: tensor<64x32xf32>, %y: tensor<64x32xf32>) -> tensor<64xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x32xf32>
  %a = linalg.add {tilecast.kernel = #tilecast.kernel<"k", reduction>}
      ins(%x, %y : tensor<64x32xf32>, tensor<64x32xf32>)
      outs(%e : tensor<64x32xf32>) -> tensor<64x32xf32> loc("add")
  %r = tensor.empty() : tensor<64xf32>
  %z = linalg.fill ins(%zero : f32) outs(%r : tensor<64xf32>) -> tensor<64xf32>
  %s = linalg.generic {indexing_maps = [#id, #row],
                       iterator_types = ["parallel", "reduction"]}
      ins(%a : tensor<64x32xf32>) outs(%z : tensor<64xf32>)
      attrs = {tilecast.kernel = #tilecast.kernel<"k", reduction>} {
  ^bb0(%in: f32, %acc: f32):
    %t = arith.addf %in, %acc : f32
    linalg.yield %t : f32
  } -> tensor<64xf32> loc("sum")
  return %s : tensor<64xf32>
}
)mlir";

TEST_F(KernelGroupTest, ExternalTrafficAndSummedFlops) {
  Operation *sum = parseAndFind(kAddThenSum, "sum");
  ASSERT_NE(sum, nullptr);
  FailureOr<OpWorkload> w = getKernelWorkload(sum);
  ASSERT_TRUE(succeeded(w)) << ctx.getDiagnostics();
  EXPECT_EQ(w->kind, WorkloadKind::Reduction);
  EXPECT_EQ(w->flops, 4096);
  EXPECT_EQ(w->bytesRead, 2 * 8192);
  EXPECT_EQ(w->bytesWritten, 256);
  EXPECT_EQ(w->numInputs, 2);
  // The row view of the reduction: 64 rows of 32.
  EXPECT_EQ(w->rows, 64);
  EXPECT_EQ(w->rowLength, 32);
}

// exp then tanh over [64], one element-wise kernel: the group counts both
// transcendentals and, among them, the exponential.
TEST_F(KernelGroupTest, GroupsKeepExponentialsApart) {
  static constexpr StringLiteral kExpThenTanh = R"mlir(
#id = affine_map<(d0) -> (d0)>
func.func @f(%x: tensor<64xf32>) -> tensor<64xf32> {
  %e = tensor.empty() : tensor<64xf32>
  %a = linalg.exp {tilecast.kernel = #tilecast.kernel<"k", elementwise>}
      ins(%x : tensor<64xf32>) outs(%e : tensor<64xf32>) -> tensor<64xf32>
      loc("exp")
  %t = linalg.generic {indexing_maps = [#id, #id],
                       iterator_types = ["parallel"]}
      ins(%a : tensor<64xf32>) outs(%e : tensor<64xf32>)
      attrs = {tilecast.kernel = #tilecast.kernel<"k", elementwise>} {
  ^bb0(%in: f32, %o: f32):
    %r = math.tanh %in : f32
    linalg.yield %r : f32
  } -> tensor<64xf32> loc("tanh")
  return %t : tensor<64xf32>
}
)mlir";
  Operation *tanh = parseAndFind(kExpThenTanh, "tanh");
  ASSERT_NE(tanh, nullptr);
  FailureOr<OpWorkload> w = getKernelWorkload(tanh);
  ASSERT_TRUE(succeeded(w)) << ctx.getDiagnostics();
  EXPECT_EQ(w->transcendentals, 2 * 64);
  EXPECT_EQ(w->exponentials, 64);
}

TEST_F(KernelGroupTest, LastMemberLeadsAndTheOthersFold) {
  Operation *sum = parseAndFind(kAddThenSum, "sum");
  Operation *add = parseAndFind(kAddThenSum, "add");
  ASSERT_NE(sum, nullptr);
  ASSERT_NE(add, nullptr);
  EXPECT_TRUE(isKernelGroupLeader(sum));
  EXPECT_FALSE(isKernelGroupLeader(add));
  EXPECT_EQ(getKernelStatus(sum), KernelStatus::Costable);
  EXPECT_EQ(getKernelStatus(add), KernelStatus::FoldedIntoConsumers);
  EXPECT_EQ(getKernelGroupMembers(add).size(), 2u);
}

// A GEMM with a bias epilogue as one contraction kernel: the GEMM view of
// the matmul (M = 128, N = 64, K = 256), 2 x 128 x 64 x 256 = 4194304 FLOPs
// (the bias copy computes nothing), reading x (131072 bytes), W (65536) and
// the bias (256), writing y (32768).
TEST_F(KernelGroupTest, GemmWithBiasEpilogue) {
  Operation *matmul = parseAndFind(R"mlir(
func.func @f(%x: tensor<128x256xf32>, %w: tensor<256x64xf32>,
             %b: tensor<64xf32>) -> tensor<128x64xf32> {
  %e = tensor.empty() : tensor<128x64xf32>
  %init = linalg.broadcast ins(%b : tensor<64xf32>) outs(%e : tensor<128x64xf32>)
      dimensions = [0] {tilecast.kernel = #tilecast.kernel<"fc", contraction>}
  %y = linalg.matmul {tilecast.kernel = #tilecast.kernel<"fc", contraction>}
      ins(%x, %w : tensor<128x256xf32>, tensor<256x64xf32>)
      outs(%init : tensor<128x64xf32>) -> tensor<128x64xf32> loc("fc")
  return %y : tensor<128x64xf32>
}
)mlir",
                                   "fc");
  ASSERT_NE(matmul, nullptr);
  FailureOr<OpWorkload> w = getKernelWorkload(matmul);
  ASSERT_TRUE(succeeded(w)) << ctx.getDiagnostics();
  EXPECT_EQ(w->kind, WorkloadKind::Contraction);
  EXPECT_EQ(w->m, 128);
  EXPECT_EQ(w->n, 64);
  EXPECT_EQ(w->k, 256);
  EXPECT_EQ(w->flops, 4194304);
  EXPECT_EQ(w->bytesRead, 131072 + 65536 + 256);
  EXPECT_EQ(w->bytesWritten, 32768);
  EXPECT_EQ(getOpClassName(*w), "gemm");
}

// A row-wise dot product (the sum of dy * x of a layer norm's backward) is a
// multiply-accumulate without M or N dimensions: a reduction, not a GEMM.
TEST_F(KernelGroupTest, DotProductsPerRowAreReductions) {
  Operation *dot = parseAndFind(R"mlir(
#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
func.func @f(%a: tensor<64x32xf32>, %b: tensor<64x32xf32>) -> tensor<64xf32> {
  %zero = arith.constant 0.0 : f32
  %r = tensor.empty() : tensor<64xf32>
  %z = linalg.fill ins(%zero : f32) outs(%r : tensor<64xf32>) -> tensor<64xf32>
  %s = linalg.generic {indexing_maps = [#id, #id, #row],
                       iterator_types = ["parallel", "reduction"]}
      ins(%a, %b : tensor<64x32xf32>, tensor<64x32xf32>) outs(%z : tensor<64xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %m = arith.mulf %x, %y : f32
    %t = arith.addf %m, %acc : f32
    linalg.yield %t : f32
  } -> tensor<64xf32> loc("dot")
  return %s : tensor<64xf32>
}
)mlir",
                                "dot");
  ASSERT_NE(dot, nullptr);
  FailureOr<OpWorkload> w = getKernelWorkload(dot);
  ASSERT_TRUE(succeeded(w)) << ctx.getDiagnostics();
  EXPECT_EQ(w->kind, WorkloadKind::Reduction);
  EXPECT_EQ(getOpClassName(*w), "reduction");
}

// A copy that reads slot 1 of a [2, 3, 4] tensor through a constant index
// reads 2 x 4 elements (32 bytes), not the whole tensor (96 bytes); a gather
// through tensor.extract reads one table element per iteration (16 x 8 x 4 =
// 512 bytes) besides its 16 i64 indices (128 bytes).
TEST_F(KernelGroupTest, SlicedAndGatheredReads) {
  Operation *copy = parseAndFind(R"mlir(
func.func @f(%x: tensor<2x3x4xf32>) -> tensor<2x4xf32> {
  %e = tensor.empty() : tensor<2x4xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, 1, d1)>,
                                        affine_map<(d0, d1) -> (d0, d1)>],
                       iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<2x3x4xf32>) outs(%e : tensor<2x4xf32>) {
  ^bb0(%in: f32, %o: f32):
    linalg.yield %in : f32
  } -> tensor<2x4xf32> loc("copy")
  return %y : tensor<2x4xf32>
}
)mlir",
                                 "copy");
  ASSERT_NE(copy, nullptr);
  FailureOr<OpWorkload> sliced = getKernelWorkload(copy);
  ASSERT_TRUE(succeeded(sliced)) << ctx.getDiagnostics();
  EXPECT_EQ(sliced->bytesRead, 32);

  Operation *gather = parseAndFind(R"mlir(
func.func @f(%ids: tensor<16xi64>, %table: tensor<100x8xf32>) -> tensor<16x8xf32> {
  %e = tensor.empty() : tensor<16x8xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0)>,
                                        affine_map<(d0, d1) -> (d0, d1)>],
                       iterator_types = ["parallel", "parallel"]}
      ins(%ids : tensor<16xi64>) outs(%e : tensor<16x8xf32>) {
  ^bb0(%id: i64, %o: f32):
    %row = arith.index_cast %id : i64 to index
    %col = linalg.index 1 : index
    %v = tensor.extract %table[%row, %col] : tensor<100x8xf32>
    linalg.yield %v : f32
  } -> tensor<16x8xf32> loc("gather")
  return %y : tensor<16x8xf32>
}
)mlir",
                                   "gather");
  ASSERT_NE(gather, nullptr);
  FailureOr<OpWorkload> gathered = getKernelWorkload(gather);
  ASSERT_TRUE(succeeded(gathered)) << ctx.getDiagnostics();
  EXPECT_EQ(gathered->kind, WorkloadKind::DataMovement);
  EXPECT_EQ(gathered->bytesRead, 128 + 512);
  EXPECT_EQ(gathered->bytesWritten, 512);
  // The extract is part of the gather's kernel, not an op of its own.
  gather->walk([&](Operation *nested) {
    if (nested != gather) {
      EXPECT_EQ(getKernelStatus(nested), KernelStatus::NoKernel);
    }
  });
}
