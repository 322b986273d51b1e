//===- TilecastDialect.cpp - TileCast dialect -----------------------------===//

#include "dialects/tilecast/TilecastDialect.h"
#include "dialects/tilecast/TilecastAttrs.h"

using namespace mlir;
using namespace mlir::tilecast;

#include "dialects/tilecast/TilecastDialect.cpp.inc"

void TilecastDialect::initialize() {
  registerAttributes();
  registerBytecodeInterface();
}
