//===- Passes.h - TileCast passes -------------------------------*- C++ -*-===//

#ifndef TILECAST_PASSES_PASSES_H
#define TILECAST_PASSES_PASSES_H

#include "dialects/tilecast/TilecastDialect.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Pass/Pass.h"

namespace mlir::tilecast {

#define GEN_PASS_DECL
#include "passes/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "passes/Passes.h.inc"

/// Registers everything a tool needs to run TileCast's passes: the tilecast
/// dialect, the dialects of the IR it costs, and the cost interface's external
/// models.
void registerTilecastDialects(DialectRegistry &registry);

/// Registers TileCast's dialects (registerTilecastDialects) and every
/// upstream dialect and dialect extension, so that the tools read any
/// upstream IR: vectorised code (vector, ub), bufferized code
/// (bufferization), sparse tensors, control flow. Ops TileCast has no model
/// for are reported as such, not refused by the parser.
void registerInputDialects(DialectRegistry &registry);

} // namespace mlir::tilecast

#endif // TILECAST_PASSES_PASSES_H
