//===- WorkloadTest.cpp - Workload extraction from IR ---------------------===//
//
// Expected values are derived by hand from the ops' definitions: a matmul
// C[M,N] += A[M,K] B[K,N] does one multiply-add (2 FLOPs) per (m, n, k) and
// reads A and B once; every tensor is f32 (4 bytes per element).
//
//===----------------------------------------------------------------------===//

#include "TestUtils.h"

#include "tilecast/Cost/WorkloadOpInterface.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace mlir::tilecast;
using mlir::tilecast::testing::TestContext;

namespace {
class WorkloadTest : public ::testing::Test {
protected:
  /// Parses `body` into a function and returns the workload of the op
  /// tagged with loc("target").
  FailureOr<OpWorkload> workloadOf(StringRef source) {
    module = parseSourceString<ModuleOp>(source, ctx.get());
    if (!module)
      return failure();
    WorkloadOpInterface target;
    module->walk([&](WorkloadOpInterface op) {
      if (auto name = dyn_cast<NameLoc>(op->getLoc()))
        if (name.getName() == "target")
          target = op;
    });
    if (!target)
      return failure();
    return target.getWorkload();
  }

  /// The kernel status of the op tagged with loc("target").
  KernelStatus statusOf(StringRef source) {
    module = parseSourceString<ModuleOp>(source, ctx.get());
    KernelStatus status = KernelStatus::NoKernel;
    module->walk([&](Operation *op) {
      if (auto name = dyn_cast<NameLoc>(op->getLoc()))
        if (name.getName() == "target")
          status = getKernelStatus(op);
    });
    return status;
  }

  TestContext ctx;
  OwningOpRef<ModuleOp> module;
};
} // namespace

// Frontend-style matmul: the fill initialises the accumulator in registers, so
// C is written but not read.
TEST_F(WorkloadTest, MatmulWithFillInitIsAContraction) {
  FailureOr<OpWorkload> w = workloadOf(R"mlir(
    func.func @f(%a: tensor<64x128xf32>, %b: tensor<128x32xf32>) -> tensor<64x32xf32> {
      %zero = arith.constant 0.0 : f32
      %e = tensor.empty() : tensor<64x32xf32>
      %c = linalg.fill ins(%zero : f32) outs(%e : tensor<64x32xf32>) -> tensor<64x32xf32>
      %r = linalg.matmul ins(%a, %b : tensor<64x128xf32>, tensor<128x32xf32>)
                         outs(%c : tensor<64x32xf32>) -> tensor<64x32xf32> loc("target")
      return %r : tensor<64x32xf32>
    })mlir");
  ASSERT_TRUE(succeeded(w)) << ctx.getDiagnostics();
  EXPECT_EQ(w->kind, WorkloadKind::Contraction);
  EXPECT_EQ(w->arithmetic, PeakKind::F32);
  EXPECT_EQ(w->m, 64);
  EXPECT_EQ(w->n, 32);
  EXPECT_EQ(w->k, 128);
  EXPECT_EQ(w->batch, 1);
  EXPECT_EQ(w->flops, 2 * 64 * 32 * 128);             // 524288
  EXPECT_EQ(w->bytesRead, (64 * 128 + 128 * 32) * 4); // 49152
  EXPECT_EQ(w->bytesWritten, 64 * 32 * 4);            // 8192
  // B[k, n] and C[m, n]: both rows along N.
  EXPECT_TRUE(w->bInnermostIsN);
  EXPECT_TRUE(w->cInnermostIsN);
  ASSERT_EQ(w->loopRoles.size(), 3u);
  EXPECT_EQ(w->loopRoles[0], LoopRole::M);
  EXPECT_EQ(w->loopRoles[1], LoopRole::N);
  EXPECT_EQ(w->loopRoles[2], LoopRole::K);
}

// An accumulator passed in as an argument must be read from memory.
TEST_F(WorkloadTest, MatmulAccumulatingIntoAnArgumentReadsIt) {
  FailureOr<OpWorkload> w = workloadOf(R"mlir(
    func.func @f(%a: tensor<64x128xf32>, %b: tensor<128x32xf32>, %c: tensor<64x32xf32>) -> tensor<64x32xf32> {
      %r = linalg.matmul ins(%a, %b : tensor<64x128xf32>, tensor<128x32xf32>)
                         outs(%c : tensor<64x32xf32>) -> tensor<64x32xf32> loc("target")
      return %r : tensor<64x32xf32>
    })mlir");
  ASSERT_TRUE(succeeded(w)) << ctx.getDiagnostics();
  EXPECT_EQ(w->bytesRead, (64 * 128 + 128 * 32 + 64 * 32) * 4); // 57344
}

// Batch matmul with a transposed B through indexing_maps, as torch-mlir
// emits q @ k^T: batch 12, m = n = 256, k = 64.
TEST_F(WorkloadTest, BatchMatmulWithTransposedOperand) {
  FailureOr<OpWorkload> w = workloadOf(R"mlir(
    func.func @f(%q: tensor<12x256x64xf32>, %k: tensor<12x256x64xf32>, %c: tensor<12x256x256xf32>) -> tensor<12x256x256xf32> {
      %r = linalg.batch_matmul
          indexing_maps = [affine_map<(b, m, n, k) -> (b, m, k)>,
                           affine_map<(b, m, n, k) -> (b, n, k)>,
                           affine_map<(b, m, n, k) -> (b, m, n)>]
          ins(%q, %k : tensor<12x256x64xf32>, tensor<12x256x64xf32>)
          outs(%c : tensor<12x256x256xf32>) -> tensor<12x256x256xf32> loc("target")
      return %r : tensor<12x256x256xf32>
    })mlir");
  ASSERT_TRUE(succeeded(w)) << ctx.getDiagnostics();
  EXPECT_EQ(w->kind, WorkloadKind::Contraction);
  EXPECT_EQ(w->batch, 12);
  EXPECT_EQ(w->m, 256);
  EXPECT_EQ(w->n, 256);
  EXPECT_EQ(w->k, 64);
  EXPECT_EQ(w->flops, 2LL * 12 * 256 * 256 * 64); // 100663296
  // B is [b, n, k]: its rows run along K. C's along N.
  EXPECT_FALSE(w->bInnermostIsN);
  EXPECT_TRUE(w->cInnermostIsN);
}

// Loops inferContractionDims leaves out: an output loop that the broadcast A
// does not index (here every row of C is the same vector-matrix product), and
// a reduction loop only A has. The GEMM view keeps every iteration: the first
// adds rows of C (M = 64), the second extends K (512 x 8 = 4096), so that
// batch * m * n * k equals the loop nest's 64 * 128 * 512 * 8 iterations.
TEST_F(WorkloadTest, ContractionLoopsOutsideTheGemmDimsStillCount) {
  FailureOr<OpWorkload> w = workloadOf(R"mlir(
    func.func @f(%a: tensor<512x8xf32>, %b: tensor<512x128xf32>, %c: tensor<64x128xf32>) -> tensor<64x128xf32> {
      %r = linalg.generic {indexing_maps = [affine_map<(m, n, k, r) -> (k, r)>,
                                            affine_map<(m, n, k, r) -> (k, n)>,
                                            affine_map<(m, n, k, r) -> (m, n)>],
                           iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
          ins(%a, %b : tensor<512x8xf32>, tensor<512x128xf32>) outs(%c : tensor<64x128xf32>) {
      ^bb0(%x: f32, %y: f32, %o: f32):
        %m = arith.mulf %x, %y : f32
        %s = arith.addf %o, %m : f32
        linalg.yield %s : f32
      } -> tensor<64x128xf32> loc("target")
      return %r : tensor<64x128xf32>
    })mlir");
  ASSERT_TRUE(succeeded(w)) << ctx.getDiagnostics();
  EXPECT_EQ(w->kind, WorkloadKind::Contraction);
  EXPECT_EQ(w->batch, 1);
  EXPECT_EQ(w->m, 64);
  EXPECT_EQ(w->n, 128);
  EXPECT_EQ(w->k, 4096);
  EXPECT_EQ(w->batch * w->m * w->n * w->k, 64LL * 128 * 512 * 8);
}

// Mixed precision computes in the widest float type, whichever operand has
// it: an f16 x f32 matmul multiplies in f32 either way round (the f16 peak
// would price it 11x faster on an H100 when A was the f16 one), and an f64
// payload storing f32 computes in f64.
TEST_F(WorkloadTest, MixedPrecisionComputesInTheWidestFloat) {
  for (StringRef types : {"f16, f32", "f32, f16"}) {
    auto [a, b] = types.split(", ");
    std::string source =
        (R"mlir(
    func.func @f(%a: tensor<64x32x)mlir" +
         a + R"mlir(>, %b: tensor<32x16x)mlir" + b +
         R"mlir(>, %c: tensor<64x16xf32>) -> tensor<64x16xf32> {
      %r = linalg.matmul ins(%a, %b : tensor<64x32x)mlir" +
         a + R"mlir(>, tensor<32x16x)mlir" + b + R"mlir(>)
          outs(%c : tensor<64x16xf32>) -> tensor<64x16xf32> loc("target")
      return %r : tensor<64x16xf32>
    })mlir")
            .str();
    FailureOr<OpWorkload> w = workloadOf(source);
    ASSERT_TRUE(succeeded(w)) << ctx.getDiagnostics();
    EXPECT_EQ(w->arithmetic, PeakKind::F32) << types.str();
    EXPECT_EQ(w->elementBytes, 4) << types.str();
  }
  FailureOr<OpWorkload> w = workloadOf(R"mlir(
    func.func @f(%x: tensor<1024xf64>, %o: tensor<1024xf32>) -> tensor<1024xf32> {
      %r = linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>],
                           iterator_types = ["parallel"]}
          ins(%x : tensor<1024xf64>) outs(%o : tensor<1024xf32>) {
      ^bb0(%v: f64, %unused: f32):
        %s = arith.mulf %v, %v : f64
        %t = arith.truncf %s : f64 to f32
        linalg.yield %t : f32
      } -> tensor<1024xf32> loc("target")
      return %r : tensor<1024xf32>
    })mlir");
  ASSERT_TRUE(succeeded(w)) << ctx.getDiagnostics();
  EXPECT_EQ(w->arithmetic, PeakKind::F64);
  // Truncated first, the arithmetic is f32: the payload decides, not the
  // operands' types.
  w = workloadOf(R"mlir(
    func.func @f(%x: tensor<1024xf64>, %o: tensor<1024xf32>) -> tensor<1024xf32> {
      %r = linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>],
                           iterator_types = ["parallel"]}
          ins(%x : tensor<1024xf64>) outs(%o : tensor<1024xf32>) {
      ^bb0(%v: f64, %unused: f32):
        %t = arith.truncf %v : f64 to f32
        %s = arith.mulf %t, %t : f32
        linalg.yield %s : f32
      } -> tensor<1024xf32> loc("target")
      return %r : tensor<1024xf32>
    })mlir");
  ASSERT_TRUE(succeeded(w)) << ctx.getDiagnostics();
  EXPECT_EQ(w->arithmetic, PeakKind::F32);
  // Stored as its largest tensor, the first of equal ones: the f64 input.
  EXPECT_EQ(w->elementBytes, 8);
  // f16 stored, f32 computed (a mixed-precision row op): the arithmetic is
  // f32, the elements moved are 2 bytes.
  w = workloadOf(R"mlir(
    func.func @f(%x: tensor<1024xf16>, %o: tensor<1024xf16>) -> tensor<1024xf16> {
      %r = linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>],
                           iterator_types = ["parallel"]}
          ins(%x : tensor<1024xf16>) outs(%o : tensor<1024xf16>) {
      ^bb0(%v: f16, %unused: f16):
        %e = arith.extf %v : f16 to f32
        %s = math.exp %e : f32
        %t = arith.truncf %s : f32 to f16
        linalg.yield %t : f16
      } -> tensor<1024xf16> loc("target")
      return %r : tensor<1024xf16>
    })mlir");
  ASSERT_TRUE(succeeded(w)) << ctx.getDiagnostics();
  EXPECT_EQ(w->arithmetic, PeakKind::F32);
  EXPECT_EQ(w->elementBytes, 2);
}

// A generic with two arithmetic ops per element (add, then multiply by a
// scalar) and a broadcast bias: 2 FLOPs per element, bias read once.
TEST_F(WorkloadTest, ElementwiseGenericCountsPayloadAndBroadcastBytes) {
  FailureOr<OpWorkload> w = workloadOf(R"mlir(
    func.func @f(%x: tensor<8x16xf32>, %b: tensor<16xf32>) -> tensor<8x16xf32> {
      %two = arith.constant 2.0 : f32
      %e = tensor.empty() : tensor<8x16xf32>
      %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j)>,
                                            affine_map<(i, j) -> (i, j)>],
                           iterator_types = ["parallel", "parallel"]}
          ins(%x, %b : tensor<8x16xf32>, tensor<16xf32>) outs(%e : tensor<8x16xf32>) {
      ^bb0(%a: f32, %c: f32, %o: f32):
        %s = arith.addf %a, %c : f32
        %m = arith.mulf %s, %two : f32
        linalg.yield %m : f32
      } -> tensor<8x16xf32> loc("target")
      return %r : tensor<8x16xf32>
    })mlir");
  ASSERT_TRUE(succeeded(w)) << ctx.getDiagnostics();
  EXPECT_EQ(w->kind, WorkloadKind::Elementwise);
  EXPECT_EQ(w->flops, 2 * 8 * 16);            // 256
  EXPECT_EQ(w->bytesRead, (8 * 16 + 16) * 4); // 576
  EXPECT_EQ(w->bytesWritten, 8 * 16 * 4);     // 512
  EXPECT_EQ(w->numInputs, 2);
}

// A row sum: 1 FLOP per input element, 8 rows of 16.
TEST_F(WorkloadTest, RowSumIsAReduction) {
  FailureOr<OpWorkload> w = workloadOf(R"mlir(
    func.func @f(%x: tensor<8x16xf32>, %acc: tensor<8xf32>) -> tensor<8xf32> {
      %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i)>],
                           iterator_types = ["parallel", "reduction"]}
          ins(%x : tensor<8x16xf32>) outs(%acc : tensor<8xf32>) {
      ^bb0(%a: f32, %s: f32):
        %t = arith.addf %a, %s : f32
        linalg.yield %t : f32
      } -> tensor<8xf32> loc("target")
      return %r : tensor<8xf32>
    })mlir");
  ASSERT_TRUE(succeeded(w)) << ctx.getDiagnostics();
  EXPECT_EQ(w->kind, WorkloadKind::Reduction);
  EXPECT_EQ(w->rows, 8);
  EXPECT_EQ(w->rowLength, 16);
  EXPECT_EQ(w->flops, 8 * 16);
  EXPECT_EQ(w->loopRoles[1], LoopRole::Reduction);
}

// Softmax over dim 1 of [4, 1000]: 4 FLOPs and 2 special-function
// evaluations per element (OpWorkload::getSoftmax: an exp and a divide),
// input read once.
TEST_F(WorkloadTest, SoftmaxRowsAndTraffic) {
  FailureOr<OpWorkload> w = workloadOf(R"mlir(
    func.func @f(%x: tensor<4x1000xf32>) -> tensor<4x1000xf32> {
      %e = tensor.empty() : tensor<4x1000xf32>
      %r = linalg.softmax dimension(1) ins(%x : tensor<4x1000xf32>)
          outs(%e : tensor<4x1000xf32>) -> tensor<4x1000xf32> loc("target")
      return %r : tensor<4x1000xf32>
    })mlir");
  ASSERT_TRUE(succeeded(w)) << ctx.getDiagnostics();
  EXPECT_EQ(w->kind, WorkloadKind::Softmax);
  EXPECT_EQ(w->rows, 4);
  EXPECT_EQ(w->rowLength, 1000);
  EXPECT_EQ(w->flops, 4 * 4000);
  EXPECT_EQ(w->transcendentals, 2 * 4000);
  EXPECT_EQ(w->exponentials, 4000);
  EXPECT_EQ(w->getBytes(), 2 * 4000 * 4);
}

// exp(x) + tanh(x) over 64 elements: three flops, two transcendentals, one
// of them an exponential (which the CPU model prices apart).
TEST_F(WorkloadTest, ExponentialsAreCountedApart) {
  FailureOr<OpWorkload> w = workloadOf(R"mlir(
    func.func @f(%x: tensor<64xf32>) -> tensor<64xf32> {
      %e = tensor.empty() : tensor<64xf32>
      %r = linalg.generic {indexing_maps = [affine_map<(i) -> (i)>,
                                            affine_map<(i) -> (i)>],
                           iterator_types = ["parallel"]}
          ins(%x : tensor<64xf32>) outs(%e : tensor<64xf32>) {
        ^bb0(%a: f32, %o: f32):
          %ex = math.exp %a : f32
          %th = math.tanh %a : f32
          %s = arith.addf %ex, %th : f32
          linalg.yield %s : f32
      } -> tensor<64xf32> loc("target")
      return %r : tensor<64xf32>
    })mlir");
  ASSERT_TRUE(succeeded(w)) << ctx.getDiagnostics();
  EXPECT_EQ(w->flops, 3 * 64);
  EXPECT_EQ(w->transcendentals, 2 * 64);
  EXPECT_EQ(w->exponentials, 64);
}

// conv_2d_nhwc_hwcf: N=1, 16x16 output, 8 -> 32 channels, 3x3 filter. As an
// implicit GEMM: m = N*OH*OW = 256, n = OC = 32, k = IC*KH*KW = 72.
TEST_F(WorkloadTest, ConvolutionIsAnImplicitGemm) {
  FailureOr<OpWorkload> w = workloadOf(R"mlir(
    func.func @f(%x: tensor<1x18x18x8xf32>, %f: tensor<3x3x8x32xf32>, %o: tensor<1x16x16x32xf32>) -> tensor<1x16x16x32xf32> {
      %r = linalg.conv_2d_nhwc_hwcf ins(%x, %f : tensor<1x18x18x8xf32>, tensor<3x3x8x32xf32>)
          outs(%o : tensor<1x16x16x32xf32>) -> tensor<1x16x16x32xf32> loc("target")
      return %r : tensor<1x16x16x32xf32>
    })mlir");
  ASSERT_TRUE(succeeded(w)) << ctx.getDiagnostics();
  EXPECT_EQ(w->kind, WorkloadKind::Convolution);
  EXPECT_EQ(w->m, 256);
  EXPECT_EQ(w->n, 32);
  EXPECT_EQ(w->k, 72);
  EXPECT_EQ(w->flops, 2 * 256 * 32 * 72); // 1179648
}

// tensor.pad reads the source once and writes the padded result.
TEST_F(WorkloadTest, PadMovesSourceAndResultBytes) {
  FailureOr<OpWorkload> w = workloadOf(R"mlir(
    func.func @f(%x: tensor<4x4xf32>) -> tensor<6x6xf32> {
      %zero = arith.constant 0.0 : f32
      %r = tensor.pad %x low[1, 1] high[1, 1] {
      ^bb0(%i: index, %j: index):
        tensor.yield %zero : f32
      } : tensor<4x4xf32> to tensor<6x6xf32> loc("target")
      return %r : tensor<6x6xf32>
    })mlir");
  ASSERT_TRUE(succeeded(w)) << ctx.getDiagnostics();
  EXPECT_EQ(w->kind, WorkloadKind::DataMovement);
  EXPECT_EQ(w->bytesRead, 16 * 4);
  EXPECT_EQ(w->bytesWritten, 36 * 4);
}

// Arithmetic on a gathered id that only says where to read (the row offset of
// an embedding lookup) is address arithmetic: no FLOPs, a data movement.
TEST_F(WorkloadTest, IndexArithmeticOnGatheredIdsIsAddressing) {
  FailureOr<OpWorkload> w = workloadOf(R"mlir(
    func.func @f(%tok: tensor<128xi32>, %table: tensor<50000x768xf32>) -> tensor<128x768xf32> {
      %e = tensor.empty() : tensor<128x768xf32>
      %r = linalg.generic {indexing_maps = [affine_map<(t, d) -> (t)>, affine_map<(t, d) -> (t, d)>],
                           iterator_types = ["parallel", "parallel"]}
          ins(%tok : tensor<128xi32>) outs(%e : tensor<128x768xf32>) {
      ^bb0(%id: i32, %o: f32):
        %row = arith.index_cast %id : i32 to index
        %c1 = arith.constant 1 : index
        %next = arith.addi %row, %c1 : index
        %d = linalg.index 1 : index
        %v = tensor.extract %table[%next, %d] : tensor<50000x768xf32>
        linalg.yield %v : f32
      } -> tensor<128x768xf32> loc("target")
      return %r : tensor<128x768xf32>
    })mlir");
  ASSERT_TRUE(succeeded(w)) << ctx.getDiagnostics();
  EXPECT_EQ(w->flops, 0);
  EXPECT_EQ(w->kind, WorkloadKind::DataMovement);
  // The same on i64, as torch-mlir wraps a negative id into range.
  w = workloadOf(R"mlir(
    func.func @f(%tok: tensor<128xi64>, %table: tensor<50000x768xf32>) -> tensor<128x768xf32> {
      %e = tensor.empty() : tensor<128x768xf32>
      %r = linalg.generic {indexing_maps = [affine_map<(t, d) -> (t)>, affine_map<(t, d) -> (t, d)>],
                           iterator_types = ["parallel", "parallel"]}
          ins(%tok : tensor<128xi64>) outs(%e : tensor<128x768xf32>) {
      ^bb0(%id: i64, %o: f32):
        %c0 = arith.constant 0 : i64
        %n = arith.constant 50000 : i64
        %negative = arith.cmpi slt, %id, %c0 : i64
        %wrapped = arith.addi %id, %n : i64
        %s = arith.select %negative, %wrapped, %id : i64
        %row = arith.index_cast %s : i64 to index
        %d = linalg.index 1 : index
        %v = tensor.extract %table[%row, %d] : tensor<50000x768xf32>
        linalg.yield %v : f32
      } -> tensor<128x768xf32> loc("target")
      return %r : tensor<128x768xf32>
    })mlir");
  ASSERT_TRUE(succeeded(w)) << ctx.getDiagnostics();
  EXPECT_EQ(w->flops, 0);
}

// A pad of an empty source writes padding only: 4 x 128 f32 = 2048 bytes,
// nothing read. (It was refused as an op on an empty tensor, with a note to
// fold it away that -canonicalize does not.)
TEST_F(WorkloadTest, PadOfAnEmptySourceWritesItsPadding) {
  FailureOr<OpWorkload> w = workloadOf(R"mlir(
    func.func @f(%x: tensor<0x128xf32>) -> tensor<4x128xf32> {
      %zero = arith.constant 0.0 : f32
      %r = tensor.pad %x low[2, 0] high[2, 0] {
      ^bb0(%i: index, %j: index):
        tensor.yield %zero : f32
      } : tensor<0x128xf32> to tensor<4x128xf32> loc("target")
      return %r : tensor<4x128xf32>
    })mlir");
  ASSERT_TRUE(succeeded(w)) << ctx.getDiagnostics();
  EXPECT_EQ(w->kind, WorkloadKind::DataMovement);
  EXPECT_EQ(w->bytesRead, 0);
  EXPECT_EQ(w->bytesWritten, 4 * 128 * 4);
}

// Moving elements needs no arithmetic path: an f8 copy (TileCast has no f8
// arithmetic) costs its bytes, 1024 x 1024 x 1 byte each way.
TEST_F(WorkloadTest, CopiesOfAnyFloatTypeMoveTheirBytes) {
  FailureOr<OpWorkload> w = workloadOf(R"mlir(
    func.func @f(%x: tensor<1024x1024xf8E4M3FN>, %o: tensor<1024x1024xf8E4M3FN>) -> tensor<1024x1024xf8E4M3FN> {
      %r = linalg.copy ins(%x : tensor<1024x1024xf8E4M3FN>) outs(%o : tensor<1024x1024xf8E4M3FN>) -> tensor<1024x1024xf8E4M3FN> loc("target")
      return %r : tensor<1024x1024xf8E4M3FN>
    })mlir");
  ASSERT_TRUE(succeeded(w)) << ctx.getDiagnostics();
  EXPECT_EQ(w->kind, WorkloadKind::DataMovement);
  EXPECT_EQ(w->flops, 0);
  EXPECT_EQ(w->bytesRead, 1024 * 1024);
  EXPECT_EQ(w->bytesWritten, 1024 * 1024);
}

// An operand's bytes are those its map reaches: a diagonal `(i) -> (i, i)`
// of a 1024 x 1024 f32 tensor reads 1024 elements (it counted all 1M), and
// an output written at `(b) -> (0, b)` only its first row, 512 of 64 x 512.
TEST_F(WorkloadTest, OperandsCountTheElementsTheirMapsReach) {
  FailureOr<OpWorkload> w = workloadOf(R"mlir(
    func.func @f(%x: tensor<1024x1024xf32>, %o: tensor<64x1024xf32>) -> tensor<64x1024xf32> {
      %r = linalg.generic {indexing_maps = [affine_map<(i) -> (i, i)>, affine_map<(i) -> (0, i)>],
                           iterator_types = ["parallel"]}
          ins(%x : tensor<1024x1024xf32>) outs(%o : tensor<64x1024xf32>) {
      ^bb0(%v: f32, %unused: f32):
        %s = arith.mulf %v, %v : f32
        linalg.yield %s : f32
      } -> tensor<64x1024xf32> loc("target")
      return %r : tensor<64x1024xf32>
    })mlir");
  ASSERT_TRUE(succeeded(w)) << ctx.getDiagnostics();
  EXPECT_EQ(w->bytesRead, 1024 * 4);
  EXPECT_EQ(w->bytesWritten, 1024 * 4);
}

// Arithmetic on index elements is arithmetic: all four payload ops count,
// as for i64 (only the first, which reads the block arguments, did), while
// arithmetic on loop positions (linalg.index) stays uncounted.
TEST_F(WorkloadTest, ArithmeticOnIndexElementsCounts) {
  FailureOr<OpWorkload> w = workloadOf(R"mlir(
    func.func @f(%x: tensor<1024xindex>, %y: tensor<1024xindex>) -> tensor<1024xindex> {
      %e = tensor.empty() : tensor<1024xindex>
      %r = linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>, affine_map<(i) -> (i)>],
                           iterator_types = ["parallel"]}
          ins(%x, %y : tensor<1024xindex>, tensor<1024xindex>) outs(%e : tensor<1024xindex>) {
      ^bb0(%a: index, %b: index, %o: index):
        %i = linalg.index 0 : index
        %c2 = arith.constant 2 : index
        %twice = arith.muli %i, %c2 : index
        %s = arith.addi %a, %b : index
        %m = arith.muli %s, %s : index
        %n = arith.muli %m, %m : index
        %q = arith.divsi %n, %s : index
        linalg.yield %q : index
      } -> tensor<1024xindex> loc("target")
      return %r : tensor<1024xindex>
    })mlir");
  ASSERT_TRUE(succeeded(w)) << ctx.getDiagnostics();
  EXPECT_EQ(w->flops, 4 * 1024);
}

// linalg.pack reads its source and writes the packed result, padding
// included: 10x16 f32 in (640 B), 3x2 tiles of 4x8 out (192 elements, 768 B).
// Its loops are the result's outer (tile) dimensions, the iteration domain of
// its TilingInterface, so that tile sizes chosen for them can be applied.
TEST_F(WorkloadTest, PackLoopsOverItsTiles) {
  FailureOr<OpWorkload> w = workloadOf(R"mlir(
    func.func @f(%x: tensor<10x16xf32>, %e: tensor<3x2x4x8xf32>) -> tensor<3x2x4x8xf32> {
      %zero = arith.constant 0.0 : f32
      %r = linalg.pack %x padding_value(%zero : f32) inner_dims_pos = [0, 1]
          inner_tiles = [4, 8] into %e : tensor<10x16xf32> -> tensor<3x2x4x8xf32> loc("target")
      return %r : tensor<3x2x4x8xf32>
    })mlir");
  ASSERT_TRUE(succeeded(w)) << ctx.getDiagnostics();
  EXPECT_EQ(w->kind, WorkloadKind::DataMovement);
  EXPECT_EQ(w->bytesRead, 10 * 16 * 4);
  EXPECT_EQ(w->bytesWritten, 3 * 2 * 4 * 8 * 4);
  EXPECT_EQ(w->loopSizes, (SmallVector<int64_t>{3, 2}));
  EXPECT_EQ(w->loopRoles.size(), 2u);
}

// tensor.gather reads only the rows it gathers, and their indices: 5 rows of
// 16 f32 (320 B) and 5 index values (8 B each, 40 B); it writes the 320 B.
TEST_F(WorkloadTest, GatherReadsOnlyTheGatheredRows) {
  FailureOr<OpWorkload> w = workloadOf(R"mlir(
    func.func @f(%t: tensor<1000x16xf32>, %i: tensor<5x1xindex>) -> tensor<5x16xf32> {
      %r = tensor.gather %t[%i] gather_dims([0]) : (tensor<1000x16xf32>, tensor<5x1xindex>) -> tensor<5x16xf32> loc("target")
      return %r : tensor<5x16xf32>
    })mlir");
  ASSERT_TRUE(succeeded(w)) << ctx.getDiagnostics();
  EXPECT_EQ(w->kind, WorkloadKind::DataMovement);
  EXPECT_EQ(w->bytesRead, 5 * 16 * 4 + 5 * 8);
  EXPECT_EQ(w->bytesWritten, 5 * 16 * 4);
}

TEST_F(WorkloadTest, DynamicShapesAreRefusedWithAHint) {
  FailureOr<OpWorkload> w = workloadOf(R"mlir(
    func.func @f(%a: tensor<?x128xf32>, %b: tensor<128x32xf32>, %c: tensor<?x32xf32>) -> tensor<?x32xf32> {
      %r = linalg.matmul ins(%a, %b : tensor<?x128xf32>, tensor<128x32xf32>)
                         outs(%c : tensor<?x32xf32>) -> tensor<?x32xf32> loc("target")
      return %r : tensor<?x32xf32>
    })mlir");
  EXPECT_TRUE(failed(w));
  EXPECT_NE(ctx.getDiagnostics().find("cannot cost an op with dynamic shapes"),
            std::string::npos);
  EXPECT_NE(ctx.getDiagnostics().find("static shapes"), std::string::npos);
}

TEST_F(WorkloadTest, FillOfAnAccumulatorIsFoldedIntoItsConsumer) {
  EXPECT_EQ(statusOf(R"mlir(
    func.func @f(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>) -> tensor<4x4xf32> {
      %zero = arith.constant 0.0 : f32
      %e = tensor.empty() : tensor<4x4xf32>
      %c = linalg.fill ins(%zero : f32) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32> loc("target")
      %r = linalg.matmul ins(%a, %b : tensor<4x4xf32>, tensor<4x4xf32>)
                         outs(%c : tensor<4x4xf32>) -> tensor<4x4xf32>
      return %r : tensor<4x4xf32>
    })mlir"),
            KernelStatus::FoldedIntoConsumers);
}

TEST_F(WorkloadTest, FillReturnedToTheCallerRunsItsOwnKernel) {
  EXPECT_EQ(statusOf(R"mlir(
    func.func @f() -> tensor<4x4xf32> {
      %zero = arith.constant 0.0 : f32
      %e = tensor.empty() : tensor<4x4xf32>
      %c = linalg.fill ins(%zero : f32) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32> loc("target")
      return %c : tensor<4x4xf32>
    })mlir"),
            KernelStatus::Costable);
}

TEST_F(WorkloadTest, ReshapesRunNoKernel) {
  EXPECT_EQ(statusOf(R"mlir(
    func.func @f(%x: tensor<4x4xf32>) -> tensor<16xf32> {
      %r = tensor.collapse_shape %x [[0, 1]] : tensor<4x4xf32> into tensor<16xf32> loc("target")
      return %r : tensor<16xf32>
    })mlir"),
            KernelStatus::NoKernel);
}
