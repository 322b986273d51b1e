//===- TilecastDialect.td - TileCast dialect definition ---*- tablegen -*-===//
//
// The `tilecast` dialect carries hardware targets and cost estimates as
// attributes on upstream linalg/tensor IR. It defines no operations: every
// estimate annotates an existing op, so the IR stays runnable by any pipeline.
//
//===----------------------------------------------------------------------===//

#ifndef TILECAST_DIALECT_TD
#define TILECAST_DIALECT_TD

include "mlir/IR/OpBase.td"

def Tilecast_Dialect : Dialect {
  let name = "tilecast";
  let cppNamespace = "::mlir::tilecast";
  let summary = "Hardware targets and cost estimates for tensor programs";
  let description = [{
    TileCast predicts how fast linalg/tensor programs run on a given piece of
    hardware. The dialect provides the attributes in which the analysis passes
    record what they know:

    * `#tilecast.target` describes the hardware (attached to a module and
      inherited by every op inside it);
    * `#tilecast.cost` is the estimated cost of one op;
    * `#tilecast.tile_cost` is the estimated cost of one op when tiled with
      given tile sizes;
    * `#tilecast.tile_decision` records the tile sizes chosen for an op and
      the evidence (the runner-up, the predicted times, the model);
    * `#tilecast.fusion` records whether fusing a producer into its consumer
      is predicted to pay, with both predicted times;
    * `#tilecast.kernel` marks ops of one block that run as one kernel (a
      layer norm written as several generics, a GEMM with its bias epilogue).

    The discardable attribute names are `tilecast.target`, `tilecast.cost`,
    `tilecast.tile_cost`, `tilecast.tile_decision`, `tilecast.fusion` and
    `tilecast.kernel`.
  }];
  let useDefaultAttributePrinterParser = 1;
  let hasConstantMaterializer = 0;
  let hasOperationAttrVerify = 1;
  let hasRegionArgAttrVerify = 1;
  let hasRegionResultAttrVerify = 1;
  let extraClassDeclaration = [{
    /// Discardable attribute names used on annotated IR.
    static constexpr ::llvm::StringLiteral kTargetAttrName = "tilecast.target";
    static constexpr ::llvm::StringLiteral kCostAttrName = "tilecast.cost";
    static constexpr ::llvm::StringLiteral kTileCostAttrName = "tilecast.tile_cost";
    static constexpr ::llvm::StringLiteral kTileDecisionAttrName =
        "tilecast.tile_decision";
    static constexpr ::llvm::StringLiteral kFusionAttrName = "tilecast.fusion";
    static constexpr ::llvm::StringLiteral kKernelAttrName = "tilecast.kernel";

    void registerAttributes();
    /// Gives the attributes an encoding of their own in MLIR bytecode
    /// (TilecastBytecode.cpp).
    void registerBytecodeInterface();
  }];
}

#endif // TILECAST_DIALECT_TD
