"""Whole-module predictions (tilecast.prediction.v1)."""

import json
import os
import pathlib
from dataclasses import dataclass, field
from typing import List

from . import _capi
from .api import Target, target as _target
from ._capi import check, lib

SCHEMA = "tilecast.prediction.v1"


@dataclass(frozen=True)
class OpPrediction:
    function: str
    name: str
    op: str
    shape: str
    latency_us: float
    lower_us: float
    upper_us: float
    compute_us: float
    memory_us: float
    overhead_us: float
    bound: str
    source: str
    flops: int
    bytes: int
    executions: int = 1


@dataclass(frozen=True)
class FunctionPrediction:
    name: str
    total_us: float
    total_lower_us: float
    total_upper_us: float
    self_us: float = 0.0
    calls: int = 0


@dataclass(frozen=True)
class UncostedOp:
    function: str
    name: str
    op: str
    reason: str


@dataclass(frozen=True)
class Prediction:
    target: str
    model: str
    total_us: float
    total_lower_us: float
    total_upper_us: float
    functions: List[FunctionPrediction] = field(default_factory=list)
    ops: List[OpPrediction] = field(default_factory=list)
    uncosted: List[UncostedOp] = field(default_factory=list)
    target_info: dict = field(default_factory=dict)
    raw: dict = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, document):
        """Reads a tilecast.prediction.v1 document (a dict, JSON text or path)."""
        if isinstance(document, (str, os.PathLike)) and not str(document).lstrip().startswith("{"):
            document = pathlib.Path(document).read_text()
        if isinstance(document, str):
            document = json.loads(document)
        if document.get("schema") != SCHEMA:
            raise _capi.TilecastError(
                "not a %s document (schema %r)" % (SCHEMA, document.get("schema")))

        def pick(kind, entry):
            names = kind.__dataclass_fields__
            return kind(**{k: v for k, v in entry.items() if k in names})

        return cls(
            target=document["target"], model=document["model"],
            total_us=document["total_us"],
            total_lower_us=document["total_lower_us"],
            total_upper_us=document["total_upper_us"],
            functions=[pick(FunctionPrediction, f) for f in document["functions"]],
            ops=[pick(OpPrediction, o) for o in document["ops"]],
            uncosted=[pick(UncostedOp, u) for u in document["uncosted"]],
            target_info=document.get("target_info", {}),
            raw=document)


def predict(mlir, target="h100-sxm", model="analytical"):
    """Predicts a module given as MLIR text or as a path to a .mlir file."""
    if isinstance(mlir, os.PathLike) or (
            isinstance(mlir, str) and "\n" not in mlir and mlir.endswith(".mlir")):
        path = pathlib.Path(mlir)
        text, source = path.read_text(), str(path)
    else:
        text, source = mlir, "<string>"
    resolved = target if isinstance(target, Target) else _target(target)
    data = text.encode()
    out = _capi.String()
    check(lib().tilecastPredictModule(data, len(data), source.encode(),
                                      resolved._handle, model.encode(), out))
    return Prediction.from_json(_capi.take_string(out))
