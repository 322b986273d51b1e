"""ctypes bindings of libTilecastCAPI.so (include/tilecast-c/TileCast.h)."""

import ctypes
import os
import pathlib

_LIBRARY_NAME = "libTilecastCAPI.so"
_API_VERSION = 3


class TilecastError(Exception):
    """An error reported by the TileCast library, with its diagnostics."""


def _candidate_paths():
    """Where the library is looked for, in order."""
    env = os.environ.get("TILECAST_LIBRARY")
    if env:
        yield pathlib.Path(env)
    package = pathlib.Path(__file__).resolve().parent
    # In a checkout: python/tilecast -> build/lib.
    yield package.parent.parent / "build" / "lib" / _LIBRARY_NAME
    # Installed under a prefix: PREFIX/lib/pythonX/site-packages/tilecast.
    for parent in package.parents:
        yield parent / "lib" / _LIBRARY_NAME


def _load():
    env = os.environ.get("TILECAST_LIBRARY")
    if env:
        # An explicit choice is used or reported, never silently replaced.
        if not pathlib.Path(env).is_file():
            raise TilecastError("TILECAST_LIBRARY=%s is not a file" % env)
        return ctypes.CDLL(env)
    tried = []
    for path in _candidate_paths():
        tried.append(str(path))
        if path.is_file():
            return ctypes.CDLL(str(path))
    raise TilecastError(
        "cannot find %s; build TileCast (scripts/dev build) or set "
        "TILECAST_LIBRARY to its path. Looked in:\n  %s"
        % (_LIBRARY_NAME, "\n  ".join(tried)))


class String(ctypes.Structure):
    _fields_ = [("data", ctypes.c_void_p), ("length", ctypes.c_size_t)]


class TargetInfo(ctypes.Structure):
    _fields_ = [
        ("id", ctypes.c_char_p), ("name", ctypes.c_char_p),
        ("isGpu", ctypes.c_int), ("computeUnits", ctypes.c_int64),
        ("lanesPerUnit", ctypes.c_int64), ("clockMhz", ctypes.c_double),
        ("memoryBandwidthGbps", ctypes.c_double),
        ("l2CacheMib", ctypes.c_double), ("launchOverheadUs", ctypes.c_double),
        ("peakTflopsF64", ctypes.c_double), ("peakTflopsF32", ctypes.c_double),
        ("peakTflopsTf32", ctypes.c_double), ("peakTflopsF16", ctypes.c_double),
        ("peakTflopsBf16", ctypes.c_double), ("peakTflopsI8", ctypes.c_double),
    ]


class Cost(ctypes.Structure):
    _fields_ = [
        ("latencyUs", ctypes.c_double), ("lowerUs", ctypes.c_double),
        ("upperUs", ctypes.c_double), ("computeUs", ctypes.c_double),
        ("memoryUs", ctypes.c_double), ("overheadUs", ctypes.c_double),
        ("flops", ctypes.c_int64), ("bytes", ctypes.c_int64),
        ("bound", ctypes.c_int),
    ]


class TileCost(ctypes.Structure):
    _fields_ = [
        ("numTiles", ctypes.c_int64), ("waves", ctypes.c_int64),
        ("tileLatencyUs", ctypes.c_double), ("latencyUs", ctypes.c_double),
        ("bound", ctypes.c_int),
    ]


DTYPES = {"f64": 0, "f32": 1, "f16": 2, "bf16": 3, "i8": 4}
BOUNDS = ("compute", "memory", "overhead")

_handle = ctypes.c_void_p
class ModelOptions(ctypes.Structure):
    """TilecastModelOptions: the hybrid model's file (None: built-in) and
    interval coverage."""
    _fields_ = [("model_file", ctypes.c_char_p), ("coverage", ctypes.c_double)]


def c_string(value, what):
    """`value` (a str or path) as the bytes of a C string: encoded as the
    file system does, and refused if it holds a NUL byte, which would cut it
    short."""
    if not isinstance(value, (str, bytes, os.PathLike)):
        raise TilecastError("%s must be a string, got %r" % (what, value))
    data = os.fsencode(value)
    if b"\0" in data:
        raise TilecastError("%s %r holds a NUL byte" % (what, value))
    return data


def model_options(model_file=None, coverage=0.9):
    # Checked here, so that every entry point reports them alike.
    if isinstance(coverage, bool) or not isinstance(coverage, (int, float)):
        raise TilecastError("coverage must be a number, got %r" % (coverage,))
    if model_file is not None and not isinstance(model_file, (str, os.PathLike)):
        raise TilecastError("model file must be a string, got %r" % (model_file,))
    return ModelOptions(c_string(os.fspath(model_file), "model file") if model_file else None,
                        coverage)


_error = ctypes.c_void_p
_i64 = ctypes.c_int64


def _declare(lib):
    signatures = {
        "tilecastErrorGetMessage": (ctypes.c_char_p, [_error]),
        "tilecastErrorDestroy": (None, [_error]),
        "tilecastStringDestroy": (None, [String]),
        "tilecastGetVersion": (ctypes.c_char_p, []),
        "tilecastGetApiVersion": (ctypes.c_int, []),
        "tilecastGetNumBuiltinTargets": (ctypes.c_size_t, []),
        "tilecastGetBuiltinTargetId": (ctypes.c_char_p, [ctypes.c_size_t]),
        "tilecastTargetLoad": (_error, [ctypes.c_char_p, ctypes.POINTER(_handle)]),
        "tilecastTargetDestroy": (None, [_handle]),
        "tilecastTargetGetInfo": (TargetInfo, [_handle]),
        "tilecastModelCreate": (_error, [ctypes.c_char_p, ctypes.POINTER(_handle)]),
        "tilecastModelCreateWithOptions": (
            _error, [ctypes.c_char_p, ctypes.POINTER(ModelOptions),
                     ctypes.POINTER(_handle)]),
        "tilecastModelDestroy": (None, [_handle]),
        "tilecastWorkloadCreateMatmul": (
            _error, [_i64, _i64, _i64, _i64, ctypes.c_int, ctypes.POINTER(_handle)]),
        "tilecastWorkloadCreateElementwise": (
            _error, [_i64, _i64, _i64, _i64, _i64, ctypes.c_int,
                     ctypes.POINTER(_handle)]),
        "tilecastWorkloadSetExponentialsPerElement": (_error, [_handle, _i64]),
        "tilecastWorkloadCreateSoftmax": (
            _error, [_i64, _i64, ctypes.c_int, ctypes.POINTER(_handle)]),
        "tilecastWorkloadCreateLayerNorm": (
            _error, [_i64, _i64, ctypes.c_int, ctypes.POINTER(_handle)]),
        "tilecastWorkloadDestroy": (None, [_handle]),
        "tilecastWorkloadGetNumLoops": (ctypes.c_size_t, [_handle]),
        "tilecastEstimate": (_error, [_handle, _handle, _handle, ctypes.POINTER(Cost)]),
        "tilecastEstimateTiles": (
            _error, [_handle, _handle, _handle, ctypes.POINTER(_i64),
                     ctypes.c_size_t, ctypes.POINTER(TileCost)]),
        "tilecastPredictModule": (
            _error, [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, _handle,
                     ctypes.c_char_p, ctypes.POINTER(String)]),
        "tilecastPredictModuleWithOptions": (
            _error, [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, _handle,
                     ctypes.c_char_p, ctypes.POINTER(ModelOptions), ctypes.c_int,
                     ctypes.POINTER(String)]),
    }
    for name, (restype, argtypes) in signatures.items():
        function = getattr(lib, name)
        function.restype = restype
        function.argtypes = argtypes
    return lib


_lib = None


def lib():
    """The loaded library (loaded on first use, so import never fails)."""
    global _lib
    if _lib is None:
        loaded = _declare(_load())
        version = loaded.tilecastGetApiVersion()
        if version != _API_VERSION:
            raise TilecastError(
                "libTilecastCAPI.so has C API version %d, this package needs %d"
                % (version, _API_VERSION))
        _lib = loaded
    return _lib


def check(error):
    """Raises TilecastError for a non-null TilecastError, destroying it."""
    if error:
        try:
            message = lib().tilecastErrorGetMessage(error).decode(errors="replace")
        finally:
            lib().tilecastErrorDestroy(error)
        raise TilecastError(message.rstrip())


def take_string(string):
    """Copies and frees a TilecastString."""
    try:
        return ctypes.string_at(string.data, string.length).decode(errors="replace")
    finally:
        lib().tilecastStringDestroy(string)
