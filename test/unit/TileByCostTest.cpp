//===- TileByCostTest.cpp - Tiling with given sizes -----------------------===//
//
// tileWithSizes on a 64x64x64 matmul (loops m, n parallel; k a reduction).
// Expected loop nests follow from scf::tileUsingSCF: one loop per tiled loop
// dimension, the scf.forall over the parallel ones first.
//
//===----------------------------------------------------------------------===//

#include "TestUtils.h"

#include "tilecast/Transforms/TileByCost.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace mlir::tilecast;
using mlir::tilecast::testing::TestContext;

namespace {
class TileByCostTest : public ::testing::Test {
protected:
  void SetUp() override {
    module = parseSourceString<ModuleOp>(R"mlir(
      func.func @f(%a: tensor<64x64xf32>, %b: tensor<64x64xf32>,
                   %c: tensor<64x64xf32>) -> tensor<64x64xf32> {
        %0 = linalg.matmul ins(%a, %b : tensor<64x64xf32>, tensor<64x64xf32>)
                           outs(%c : tensor<64x64xf32>) -> tensor<64x64xf32>
        return %0 : tensor<64x64xf32>
      })mlir",
                                         ctx.get());
    ASSERT_TRUE(module);
    module->walk([&](linalg::MatmulOp op) { matmul = op; });
    ASSERT_TRUE(matmul);
  }

  FailureOr<TileByCostResult> tile(ArrayRef<int64_t> sizes, LoopNest nest) {
    IRRewriter rewriter(ctx.get());
    return tileWithSizes(rewriter, cast<TilingInterface>(matmul), sizes, nest);
  }

  TestContext ctx;
  OwningOpRef<ModuleOp> module;
  Operation *matmul = nullptr;
};
} // namespace

TEST_F(TileByCostTest, SizesMustMatchTheLoops) {
  // Two sizes for three loops: refused before any rewrite, at the op.
  EXPECT_TRUE(failed(tile({16, 16}, LoopNest::ForallOverParallel)));
  EXPECT_NE(
      ctx.getDiagnostics().find("expected 3 tile sizes, one per loop; got 2"),
      std::string::npos)
      << ctx.getDiagnostics();
  EXPECT_TRUE(failed(tile({16, 16, 16, 16}, LoopNest::For)));
  EXPECT_NE(
      ctx.getDiagnostics().find("expected 3 tile sizes, one per loop; got 4"),
      std::string::npos)
      << ctx.getDiagnostics();
  int loops = 0;
  module->walk([&](LoopLikeOpInterface) { ++loops; });
  EXPECT_EQ(loops, 0); // The matmul is untouched.
}

TEST_F(TileByCostTest, ParallelLoopsBecomeOneForallAroundTheReductions) {
  // m and n in 16 x 32 tiles: one scf.forall of 4 x 2 iterations; k in
  // steps of 8: one scf.for inside it.
  FailureOr<TileByCostResult> result =
      tile({16, 32, 8}, LoopNest::ForallOverParallel);
  ASSERT_TRUE(succeeded(result)) << ctx.getDiagnostics();
  ASSERT_EQ(result->loops.size(), 2u);
  auto forall = dyn_cast<scf::ForallOp>(result->loops[0].getOperation());
  ASSERT_TRUE(forall);
  EXPECT_EQ(forall.getStaticUpperBound(), ArrayRef<int64_t>({64, 64}));
  EXPECT_EQ(forall.getStaticStep(), ArrayRef<int64_t>({16, 32}));
  auto kLoop = dyn_cast<scf::ForOp>(result->loops[1].getOperation());
  ASSERT_TRUE(kLoop);
  EXPECT_EQ(kLoop->getParentOp(), forall.getOperation());
  ASSERT_EQ(result->tiledOps.size(), 1u);
  EXPECT_EQ(result->tiledOps[0]->getParentOp(), kLoop.getOperation());
}

TEST_F(TileByCostTest, OnlyTheReductionTiledBuildsNoForall) {
  // k alone in steps of 8: no parallel loop is tiled, so no scf.forall.
  FailureOr<TileByCostResult> result =
      tile({0, 0, 8}, LoopNest::ForallOverParallel);
  ASSERT_TRUE(succeeded(result)) << ctx.getDiagnostics();
  ASSERT_EQ(result->loops.size(), 1u);
  EXPECT_TRUE(isa<scf::ForOp>(result->loops[0].getOperation()));
}
