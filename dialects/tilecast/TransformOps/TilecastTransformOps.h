//===- TilecastTransformOps.h - Transform ops of TileCast -------*- C++ -*-===//

#ifndef TILECAST_TRANSFORMOPS_TILECASTTRANSFORMOPS_H
#define TILECAST_TRANSFORMOPS_TILECASTTRANSFORMOPS_H

#include "mlir/Dialect/Transform/IR/TransformDialect.h"
#include "mlir/Dialect/Transform/Interfaces/TransformInterfaces.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/OpDefinition.h"

#define GET_OP_CLASSES
#include "dialects/tilecast/TransformOps/TilecastTransformOps.h.inc"

namespace mlir::tilecast {
/// Registers transform.tilecast.* with the transform dialect.
void registerTransformDialectExtension(DialectRegistry &registry);
} // namespace mlir::tilecast

#endif // TILECAST_TRANSFORMOPS_TILECASTTRANSFORMOPS_H
