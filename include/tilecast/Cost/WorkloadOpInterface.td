//===- WorkloadOpInterface.td - Ops that run as kernels ---*- tablegen -*-===//

#ifndef TILECAST_COST_WORKLOADOPINTERFACE_TD
#define TILECAST_COST_WORKLOADOPINTERFACE_TD

include "mlir/IR/OpBase.td"

def Tilecast_WorkloadOpInterface : OpInterface<"WorkloadOpInterface"> {
  let cppNamespace = "::mlir::tilecast";
  let description = [{
    An op that runs as a kernel and can say what it asks of the hardware.
    TileCast attaches this interface to upstream linalg and tensor ops as
    external models (see lib/Cost/WorkloadExternalModels.cpp), so IR needs no
    rewriting to be costed.
  }];
  let methods = [
    InterfaceMethod<
      /*desc=*/[{
        Returns the op's workload, or emits an error at the op (dynamic
        shapes, unsupported element types) and returns failure.
      }],
      /*retTy=*/"::mlir::FailureOr<::mlir::tilecast::OpWorkload>",
      /*methodName=*/"getWorkload">,
    InterfaceMethod<
      /*desc=*/[{
        Returns true if the op runs no kernel of its own because other
        kernels do its work: a fill that only initialises a matmul
        accumulator, a slice that only names where a tiled op writes, an
        insert of a tile its producer wrote in place.
      }],
      /*retTy=*/"bool",
      /*methodName=*/"isFoldedIntoConsumers",
      /*args=*/(ins),
      /*methodBody=*/"",
      /*defaultImplementation=*/"return false;">,
  ];
}

#endif // TILECAST_COST_WORKLOADOPINTERFACE_TD
