"""Targets, op descriptions and cost queries."""

import ctypes
import functools
import os
from dataclasses import dataclass

from . import _capi
from ._capi import check, lib


def version():
    """The library's version string."""
    return lib().tilecastGetVersion().decode()


def targets():
    """The ids of the built-in targets, sorted."""
    count = lib().tilecastGetNumBuiltinTargets()
    return [lib().tilecastGetBuiltinTargetId(i).decode() for i in range(count)]


class Target:
    """A hardware target, loaded by id, alias or spec-file path."""

    def __init__(self, name_or_path):
        handle = ctypes.c_void_p()
        check(lib().tilecastTargetLoad(_capi.c_string(str(name_or_path), "target"),
                                       ctypes.byref(handle)))
        self._handle = handle
        info = lib().tilecastTargetGetInfo(handle)
        self.id = info.id.decode()
        self.name = info.name.decode()
        self.is_gpu = bool(info.isGpu)
        self.compute_units = info.computeUnits
        self.lanes_per_unit = info.lanesPerUnit
        self.clock_mhz = info.clockMhz
        self.memory_bandwidth_gbps = info.memoryBandwidthGbps
        self.l2_cache_mib = info.l2CacheMib
        self.launch_overhead_us = info.launchOverheadUs
        self.peak_tflops = {
            key: value for key, value in (
                ("f64", info.peakTflopsF64), ("f32", info.peakTflopsF32),
                ("tf32", info.peakTflopsTf32), ("f16", info.peakTflopsF16),
                ("bf16", info.peakTflopsBf16), ("i8", info.peakTflopsI8))
            if value > 0}

    def __del__(self):
        if getattr(self, "_handle", None):
            lib().tilecastTargetDestroy(self._handle)
            self._handle = None

    def __repr__(self):
        return "Target(%r)" % self.id


def target(name_or_path):
    """The target called `name_or_path`, loaded once and cached."""
    if not isinstance(name_or_path, (str, os.PathLike)):
        raise _capi.TilecastError(
            "expected a target id or a spec file, got %r" % (name_or_path,))
    return _cached_target(name_or_path)


@functools.lru_cache(maxsize=None)
def _cached_target(name_or_path):
    return Target(name_or_path)


class _Model:
    def __init__(self, name, model_file=None, coverage=0.9):
        handle = ctypes.c_void_p()
        options = _capi.model_options(model_file, coverage)
        check(lib().tilecastModelCreateWithOptions(
            _capi.c_string(name, "model"), ctypes.byref(options), ctypes.byref(handle)))
        self._handle = handle

    def __del__(self):
        if getattr(self, "_handle", None):
            lib().tilecastModelDestroy(self._handle)
            self._handle = None


def _model(name, model_file=None, coverage=0.9):
    if not isinstance(name, str):
        raise _capi.TilecastError("expected a model name, got %r" % (name,))
    if isinstance(coverage, bool) or not isinstance(coverage, (int, float)):
        raise _capi.TilecastError("coverage must be a number, got %r" % (coverage,))
    if model_file is not None and not isinstance(model_file, (str, os.PathLike)):
        raise _capi.TilecastError("model file must be a string, got %r" % (model_file,))
    return _cached_model(name, model_file and os.fspath(model_file), coverage)


@functools.lru_cache(maxsize=None)
def _cached_model(name, model_file, coverage):
    return _Model(name, model_file, coverage)


_INT64_MAX = 2 ** 63 - 1


def _int64(value, what):
    """`value` as an int64, refusing what ctypes would silently wrap."""
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):  # None, NaN, inf, "x"
        raise _capi.TilecastError("%s must be a 64-bit integer, got %r" % (what, value))
    if number != value or not -_INT64_MAX - 1 <= number <= _INT64_MAX:
        raise _capi.TilecastError("%s must be a 64-bit integer, got %r" % (what, value))
    return number


def _dtype(dtype):
    try:
        return _capi.DTYPES[dtype]
    except (KeyError, TypeError):  # TypeError: an unhashable dtype
        raise _capi.TilecastError(
            "unknown dtype %r; expected one of %s" % (dtype, ", ".join(_capi.DTYPES)))


class Workload:
    """One op as the cost models see it. Build with the class methods."""

    def __init__(self, create, *args):
        handle = ctypes.c_void_p()
        check(create(*args, ctypes.byref(handle)))
        self._handle = handle
        self.num_loops = lib().tilecastWorkloadGetNumLoops(handle)

    def __del__(self):
        if getattr(self, "_handle", None):
            lib().tilecastWorkloadDestroy(self._handle)
            self._handle = None

    @classmethod
    def matmul(cls, batch, m, n, k, dtype="f32"):
        """C[batch, m, n] = A[batch, m, k] B[batch, k, n]; loops batch, m, n, k."""
        sizes = [_int64(v, "matmul sizes") for v in (batch, m, n, k)]
        return cls(lib().tilecastWorkloadCreateMatmul, *sizes, _dtype(dtype))

    @classmethod
    def elementwise(cls, rows, row_length, num_inputs=1, flops_per_element=1,
                    transcendentals_per_element=0, dtype="f32",
                    exponentials_per_element=0):
        """A map over [rows, row_length]; loops rows, row_length.

        `exponentials_per_element` of the transcendental evaluations are
        exponentials, which CPU targets price lower than the others."""
        counts = [_int64(v, "element-wise sizes and counts") for v in (
            rows, row_length, num_inputs, flops_per_element, transcendentals_per_element)]
        workload = cls(lib().tilecastWorkloadCreateElementwise, *counts, _dtype(dtype))
        exponentials = _int64(exponentials_per_element, "exponentials per element")
        if exponentials:
            check(lib().tilecastWorkloadSetExponentialsPerElement(
                workload._handle, exponentials))
        return workload

    @classmethod
    def softmax(cls, rows, row_length, dtype="f32"):
        return cls(lib().tilecastWorkloadCreateSoftmax, _int64(rows, "rows"),
                   _int64(row_length, "row_length"), _dtype(dtype))

    @classmethod
    def layernorm(cls, rows, row_length, dtype="f32"):
        return cls(lib().tilecastWorkloadCreateLayerNorm, _int64(rows, "rows"),
                   _int64(row_length, "row_length"), _dtype(dtype))


@dataclass(frozen=True)
class Cost:
    latency_us: float
    lower_us: float
    upper_us: float
    compute_us: float
    memory_us: float
    overhead_us: float
    flops: int
    bytes: int
    bound: str


@dataclass(frozen=True)
class TileCost:
    num_tiles: int
    waves: int
    tile_latency_us: float
    latency_us: float
    bound: str


def _resolve(target_or_name):
    if isinstance(target_or_name, Target):
        return target_or_name
    return target(target_or_name)


def _workload(value):
    """`value`, checked to be a Workload (its handle is passed to C)."""
    if not isinstance(value, Workload):
        raise _capi.TilecastError(
            "expected a tilecast.Workload (Workload.matmul, .elementwise, ...), got %r"
            % (value,))
    return value


def cost(workload, target="h100-sxm", model="hybrid", model_file=None, coverage=0.9):
    """The cost of one op on a target. `model_file` (a tilecast.model.v1 file
    from tilecast-train or tilecast-calibrate) and `coverage` (of the
    intervals) apply to the hybrid model."""
    workload = _workload(workload)
    out = _capi.Cost()
    handle = _model(model, model_file, coverage)._handle
    check(lib().tilecastEstimate(handle, _resolve(target)._handle,
                                 workload._handle, ctypes.byref(out)))
    return Cost(out.latencyUs, out.lowerUs, out.upperUs, out.computeUs,
                out.memoryUs, out.overheadUs, out.flops, out.bytes,
                _capi.BOUNDS[out.bound])


def cost_tile(workload, tiles, target="h100-sxm", model="hybrid", model_file=None,
              coverage=0.9):
    """The cost of `workload` tiled with `tiles`: one list of sizes (one per
    loop, 0 = untiled) gives one TileCost; a list of such lists is costed in
    one batched call and gives a list. `model_file` and `coverage` as in
    cost()."""
    workload = _workload(workload)
    if not isinstance(tiles, (list, tuple)):
        raise _capi.TilecastError(
            "expected tile sizes as a list (or a list of lists), got %r" % (tiles,))
    batched = len(tiles) > 0 and isinstance(tiles[0], (list, tuple))
    rows = tiles if batched else [tiles]
    rank = workload.num_loops
    for row in rows:
        if not isinstance(row, (list, tuple)):
            raise _capi.TilecastError(
                "expected every row of tile sizes to be a list, got %r" % (row,))
        if len(row) != rank:
            raise _capi.TilecastError(
                "expected %d tile sizes (one per loop), got %d" % (rank, len(row)))
    flat = (ctypes.c_int64 * (rank * len(rows)))(
        *[_int64(s, "tile sizes") for row in rows for s in row])
    out = (_capi.TileCost * len(rows))()
    handle = _model(model, model_file, coverage)._handle
    check(lib().tilecastEstimateTiles(handle, _resolve(target)._handle,
                                      workload._handle, flat, len(rows), out))
    results = [TileCost(r.numTiles, r.waves, r.tileLatencyUs, r.latencyUs,
                        _capi.BOUNDS[r.bound]) for r in out]
    return results if batched else results[0]
