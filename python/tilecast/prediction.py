"""Whole-module predictions (tilecast.prediction.v1)."""

import codecs
import ctypes
import dataclasses
import json
import math
import os
import pathlib
import sys
from dataclasses import dataclass, field
from typing import List

from . import _capi

# The size limits of the C++ tools' inputs (kMaxIRFileBytes and
# kMaxDataFileBytes, include/tilecast/Support/InputFile.h): a file that never
# ends (/dev/zero, a pipe left open) is refused instead of filling memory.
_MAX_IR_FILE_BYTES = 1 << 30
_MAX_DATA_FILE_BYTES = 256 << 20


_READ_CHUNK_BYTES = 1 << 20


def _read_bounded(path, limit):
    """The bytes of `path`, refusing more than `limit` of them: a regular
    file by its size (then read at once), anything else, such as a pipe or a
    device, once more than `limit` bytes have been read, in chunks."""
    try:
        path = pathlib.Path(path)
        with open(path, "rb") as f:
            if path.is_file():
                if os.fstat(f.fileno()).st_size > limit:
                    data = None
                else:
                    data = f.read(limit + 1)
            else:
                chunks, size = [], 0
                while size <= limit:
                    chunk = f.read(min(_READ_CHUNK_BYTES, limit + 1 - size))
                    if not chunk:
                        break
                    chunks.append(chunk)
                    size += len(chunk)
                data = b"".join(chunks)
            if data is not None and len(data) > limit:
                data = None
    except OSError as error:
        raise _capi.TilecastError("cannot read %s: %s" % (path, error.strerror or error))
    except ValueError as error:  # A NUL byte in the path, say.
        raise _capi.TilecastError("cannot read %r: %s" % (str(path), error))
    if data is None:
        raise _capi.TilecastError("cannot read %s: larger than the %d MiB an input file "
                                  "may have" % (path, limit >> 20))
    return data


def _refuse_json_constant(name):
    """NaN and the infinities are not JSON; the C++ reader refuses them too."""
    raise ValueError("%s is not a JSON number" % name)


def _parse_finite_float(text):
    """A JSON number as a float; one past a double's range (1e999), which
    Python would read as an infinity, is refused as the C++ reader does."""
    value = float(text)
    if math.isinf(value):
        raise ValueError("%s is out of the range of a double" % text)
    return value


def _parse_bounded_int(text):
    """A JSON integer as an int; one past a double's range (about 1.8e308,
    309 digits), which the C++ reader cannot hold either, is refused."""
    value = int(text)
    if abs(value) > sys.float_info.max:
        raise ValueError("%s... (%d digits) is out of the range of a double"
                         % (text[:12], len(text.lstrip("-"))))
    return value


def _decode_json_text(data, source):
    """`data` as UTF-8 text, without a leading byte-order mark; text that is
    not UTF-8 is a TilecastError naming `source` and the offending byte's
    offset in `data`."""
    offset = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return bytes(data[offset:]).decode("utf-8")
    except UnicodeDecodeError as error:
        raise _capi.TilecastError("cannot read %s: not UTF-8 text (byte %d: %s)"
                                  % (source, offset + error.start, error.reason))


from .api import Target, target as _target
from ._capi import check, lib

SCHEMA = "tilecast.prediction.v1"
# Schema field -> Python field, where the schema's name is a Python keyword.
_FIELD_NAMES = {"class": "op_class"}
_SCHEMA_NAMES = {v: k for k, v in _FIELD_NAMES.items()}


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
    # What one execution adds to the totals (latency_us, or less with
    # overlap_launches); None only where a document lacks it, read as latency_us.
    counted_us: float = None
    # The schema's "class" (a Python keyword) and "kernel_group".
    op_class: str = ""
    kernel_group: str = ""

    def __post_init__(self):
        if self.counted_us is None:
            object.__setattr__(self, "counted_us", self.latency_us)


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
        """Reads a tilecast.prediction.v1 document: a dict, JSON text, or the
        path of a JSON file."""
        # Bytes are JSON text; a str is a path unless it looks like JSON (or
        # is empty, which is malformed JSON rather than the current folder).
        source = ""  # " in PATH" for a document read from a file
        if isinstance(document, (bytes, bytearray)):
            document = _decode_json_text(document, "the JSON bytes")
        elif isinstance(document, os.PathLike) or (
                isinstance(document, str)
                and document.strip("\ufeff \t\r\n")
                and not document.lstrip("\ufeff \t\r\n").startswith(("{", "["))):
            source = " in %s" % os.fspath(document)
            document = _decode_json_text(_read_bounded(document, _MAX_DATA_FILE_BYTES),
                                         document)
        try:
            if isinstance(document, str):
                document = json.loads(document.lstrip("\ufeff"),
                                      parse_constant=_refuse_json_constant,
                                      parse_float=_parse_finite_float,
                                      parse_int=_parse_bounded_int)
            if not isinstance(document, dict) or document.get("schema") != SCHEMA:
                found = document.get("schema") if isinstance(document, dict) else type(document).__name__
                raise _capi.TilecastError(
                    "not a %s document%s (found %r)" % (SCHEMA, source, found))

            def pick(kind, entry):
                names = kind.__dataclass_fields__
                renamed = {_FIELD_NAMES.get(k, k): v for k, v in entry.items()}
                return kind(**{k: v for k, v in renamed.items() if k in names})

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
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as error:
            raise _capi.TilecastError("malformed %s document%s: %s: %s"
                                      % (SCHEMA, source, type(error).__name__, error))

    def document(self):
        """The tilecast.prediction.v1 document: the one it was read from, or
        one built from the fields."""
        if self.raw:
            return self.raw
        document = {"schema": SCHEMA}
        document.update({f.name: getattr(self, f.name) for f in dataclasses.fields(self)
                         if f.name != "raw"})
        for key in ("functions", "ops", "uncosted"):
            document[key] = [{_SCHEMA_NAMES.get(k, k): v
                              for k, v in dataclasses.asdict(item).items()}
                             for item in document[key]]
        return document


def predict(mlir, target="h100-sxm", model="hybrid", model_file=None, coverage=0.9,
            overlap_launches=False):
    """Predicts a module given as MLIR text (str or bytes) or as a path (a
    pathlib.Path, or a str naming an existing file or folder, or ending in
    .mlir).
    `model_file` (from tilecast-train or tilecast-calibrate) and `coverage`
    apply to the hybrid model; `overlap_launches` counts each kernel as
    max(execution, dispatch) in the totals (tilecast-predict
    --overlap-launches)."""
    # The IR goes to the parser as bytes, as tilecast-predict reads a file.
    if not isinstance(mlir, (str, bytes, bytearray, os.PathLike)):
        raise _capi.TilecastError(
            "expected MLIR text (str or bytes) or a path, got %r" % (mlir,))
    if isinstance(mlir, (bytes, bytearray)):
        data, source = bytes(mlir), "<string>"
    elif isinstance(mlir, os.PathLike) or (
            isinstance(mlir, str) and "\n" not in mlir
            and (os.path.exists(mlir) or mlir.endswith(".mlir"))):
        data, source = _read_bounded(mlir, _MAX_IR_FILE_BYTES), str(mlir)
    else:
        try:
            data, source = mlir.encode(), "<string>"
        except UnicodeEncodeError as error:
            raise _capi.TilecastError("the MLIR text is not UTF-8 (character %d: %s)"
                                      % (error.start, error.reason))
    resolved = target if isinstance(target, Target) else _target(target)
    out = _capi.String()
    options = _capi.model_options(model_file, coverage)
    check(lib().tilecastPredictModuleWithOptions(
        data, len(data), _capi.c_string(source, "source name"), resolved._handle,
        _capi.c_string(model, "model"),
        ctypes.byref(options), 1 if overlap_launches else 0, out))
    return Prediction.from_json(_capi.take_string(out))
