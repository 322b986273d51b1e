"""TileCast from Python: predict how fast linalg/tensor IR runs on hardware.

    >>> import tilecast
    >>> p = tilecast.predict("data/examples/gpt2-block.mlir", target="h100-sxm")
    >>> print(p.total_us)

Everything goes through the C API (libTilecastCAPI.so) with ctypes; see
docs/python.md.
"""

from ._capi import TilecastError
from .api import (Cost, Target, TileCost, Workload, cost, cost_tile, target,
                  targets, version)
from .prediction import FunctionPrediction, OpPrediction, Prediction, UncostedOp, predict
from . import report

__all__ = [
    "Cost", "FunctionPrediction", "OpPrediction", "Prediction", "Target",
    "TileCost", "TilecastError", "UncostedOp", "Workload", "cost", "cost_tile",
    "predict", "target", "targets", "version",
]
