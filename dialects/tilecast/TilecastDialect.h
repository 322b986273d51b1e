//===- TilecastDialect.h - TileCast dialect ---------------------*- C++ -*-===//

#ifndef TILECAST_DIALECTS_TILECAST_TILECASTDIALECT_H
#define TILECAST_DIALECTS_TILECAST_TILECASTDIALECT_H

#include "mlir/IR/Dialect.h"

#include "dialects/tilecast/TilecastDialect.h.inc"

#endif // TILECAST_DIALECTS_TILECAST_TILECASTDIALECT_H
