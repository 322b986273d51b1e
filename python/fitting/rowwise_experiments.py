#!/usr/bin/env python3
"""Experiments on the row-wise classes and the intervals that were measured and not kept, and two
limits of the data (same-spec, own-gpu).

docs/accuracy.md ("Tried and not kept") quotes this script's output. Nothing here changes a
constant of the C++ model; every fit uses the training GPUs' `kernels/train` files only, and the
validation and unseen-GPU columns are printed for the record, not used to choose.

    /usr/bin/python3 rowwise_experiments.py regime-fit ln|softmax K[,K...]
        Refit the class's DRAM efficiency `e` on the training kernels whose predicted memory time
        is at least K times the class's launch overhead (the bandwidth-dominated ones), the
        overhead and the rows-in-flight constant fixed. Prints the training MAPE, the mean
        leave-one-GPU-out MAPE (LOGO: `e` refitted without the GPU, scored on it), and the
        validation MAPE of the training GPUs' rows and of the unseen GPUs' rows.
    /usr/bin/python3 rowwise_experiments.py softmax-traffic
        Softmax with PyTorch 2.1's two kernels: `softmax_warp_forward` (rows up to 1024, held in
        registers: one read, one write) and `cunn_SoftMaxForward` (longer rows: three reads, of
        which the last two miss L1 and L2 by the share of the resident rows that overflow them).
        Same columns as regime-fit, for the current model and these traffic variants.
    /usr/bin/python3 rowwise_experiments.py l2-variants ln|softmax
        Two more traffic models of the class, fitted jointly with `e`: the rows in flight fitted
        on the class itself (layer norms share softmax's 11.606 rows per SM), and the whole
        working set (read + written) served from L2 at a fitted speed-up, in the share of it that
        fits L2, as if a repeated benchmark found its inputs there. Same columns as regime-fit;
        `p` is the second parameter (rows per SM, or the L2 speed-up).
    /usr/bin/python3 rowwise_experiments.py interval-cells TRAIN.csv VALIDATION.csv
        Split-conformal 90% intervals of the uncorrected classes (linear, softmax, layernorm)
        calibrated per interval group (the current model) and per group and analytical bound
        (overhead, memory, compute). The files are `tilecast-bench accuracy --dump` of the train
        and validation splits.
    /usr/bin/python3 rowwise_experiments.py knn-residuals TRAIN.csv VALIDATION.csv
        Batched GEMMs: correct each validation kernel by the median analytical residual of its
        nearest training kernels (any training GPU) in log2 (batch, m, n, k).
    /usr/bin/python3 rowwise_experiments.py same-spec VALIDATION.csv
        The GEMM shapes measured on both the A100 40GB PCIe and the A100 80GB PCIe, whose spec
        sheets give the same SMs, clock and FP32 peak: the median ratio of their times per class
        and decade of FLOPs. No spec-sheet model can tell the two apart on compute-bound kernels.
    /usr/bin/python3 rowwise_experiments.py own-gpu TRAIN.csv VALIDATION.csv
        The training GPUs' validation rows, per class and GPU: the median analytical residual
        log(measured/predicted) of the GPU's own training kernels and of its validation kernels,
        and the validation MAPE of the analytical model as it is, multiplied by exp(the median
        residual of the GPU's own training kernels), and multiplied by exp(the median residual of
        the 25 training kernels of the same GPU and class nearest in log2 of the shape). The last
        two use what no spec-sheet model has for a new GPU, its own measurements: they show how
        far the training kernels of a GPU predict its validation kernels at all.

Needs Debian's python3-numpy and python3-scipy (see README.md).
"""
import csv
import glob
import json
import math
import os
import sys

import numpy as np
from scipy.optimize import least_squares

from data import TRAIN_GPUS, UNSEEN, load_train, load_val
import model as M

POWER_LIMITED = {'p4', 't4', 'l4'}  # the interval group of include/tilecast/Cost/HybridModel.h
TARGETS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'data', 'targets')
WARP_SOFTMAX_MAX_ROW = 1024  # PyTorch 2.1 dispatches longer fp32 rows to cunn_SoftMaxForward


def mape(pred, meas):
    return float(np.mean(np.abs(pred - meas) / meas) * 100)


def load_arrays(op, rows):
    """Columns of one class's rows, with the spec-sheet values the variants read."""
    targets = {}
    for path in glob.glob(os.path.join(TARGETS_DIR, '*.json')):
        with open(path) as f:
            spec = json.load(f)
        for alias in spec.get('aliases', []) + [spec['name']]:
            targets[alias] = spec
    rows = [r for r in rows if r['op'] == op]
    sp = M.specs(rows)
    return dict(B=M.col(rows, 'B'), H=M.col(rows, 'H'), SM=sp['Num_Sm'], BW=sp['Mem_Bw'] * 1e9,
                L2=sp['L2Cache'] * 1e6,
                L1=np.array([targets[r['dev']]['l1_cache_kib'] * 1024.0 for r in rows]),
                threads=np.array([float(targets[r['dev']]['max_threads_per_unit']) for r in rows]),
                y=np.array([r['lat'] for r in rows]), dev=np.array([r['dev'] for r in rows]))


def rowwise_ms(a, op, e, mask, variant='current', extra=None):
    """Predicted ms of the rows in `mask`: the prototype's row-wise model (model.py mem_ms).

    `extra` is the second fitted parameter of the 'rows-in-flight' and 'l2-resident' variants."""
    H = a['H'][mask]
    n = a['B'][mask] * H
    if variant in ('current', 'rows-in-flight', 'l2-resident'):
        rows_per_sm = extra if variant == 'rows-in-flight' else M.MEM['r_sm']
        miss = np.minimum(1.0, rows_per_sm * a['SM'][mask] * H * 4 / a['L2'][mask])
        passes = 2 + miss
        if variant == 'l2-resident':
            # The share of the read + written bytes that fits L2 moves `extra` times faster.
            resident = np.clip(a['L2'][mask] / (2 * 4 * n), 0, 1)
            passes = passes * ((1 - resident) + resident / extra)
    elif variant == 'two-pass':
        passes = np.full_like(H, 2.0)
    elif variant == 'pytorch-kernels':
        # cunn_SoftMaxForward's block: 8 elements per thread, 32-512 threads (the block sizes in
        # the data); its resident rows per SM are the SM's thread limit over the block size.
        threads = np.clip(2 ** np.ceil(np.log2(np.maximum(H / 8, 1))), 32, 512)
        resident = a['threads'][mask] / threads
        row_bytes = resident * H * 4
        l1_miss = np.clip((row_bytes - a['L1'][mask]) / row_bytes, 0, 1)
        l2_miss = np.minimum(1.0, row_bytes * a['SM'][mask] / a['L2'][mask])
        passes = 2 + np.where(H > WARP_SOFTMAX_MAX_ROW, 2 * l1_miss * l2_miss, 0)
    return M.MEM['t0_' + op] + 4 * n * passes / (e * a['BW'][mask]) * 1e3


# Start and bounds of the second parameter of the two-parameter variants.
EXTRA_PARAMETER = {'rows-in-flight': (10.0, 0.1, 1000.0), 'l2-resident': (2.0, 1.0, 10.0)}


def fit_efficiency(a, op, mask, variant='current'):
    """The fitted `e` (and the variant's second parameter, or None)."""
    y = a['y'][mask]
    if variant not in EXTRA_PARAMETER:
        fit = least_squares(lambda q: np.log(rowwise_ms(a, op, q[0], mask, variant) / y), [0.8],
                            bounds=([0.1], [1.5]), loss='soft_l1', f_scale=0.1)
        return float(fit.x[0]), None
    start, low, high = EXTRA_PARAMETER[variant]
    fit = least_squares(lambda q: np.log(rowwise_ms(a, op, q[0], mask, variant, q[1]) / y),
                        [0.8, start], bounds=([0.1, low], [1.5, high]), loss='soft_l1',
                        f_scale=0.1)
    return float(fit.x[0]), float(fit.x[1])


def report(label, a, va, op, select, variant='current'):
    everything = np.ones(len(a['y']), bool)
    e, extra = fit_efficiency(a, op, select, variant)
    logo = []
    for gpu in TRAIN_GPUS:
        held = a['dev'] == gpu
        e_without, extra_without = fit_efficiency(a, op, select & ~held, variant)
        logo.append(mape(rowwise_ms(a, op, e_without, held, variant, extra_without), a['y'][held]))
    unseen = np.isin(va['dev'], UNSEEN)
    pv = rowwise_ms(va, op, e, np.ones(len(va['y']), bool), variant, extra)
    fitted = f'e={e:.4f}' + (f' p={extra:.4f}' if extra is not None else '')
    train = mape(rowwise_ms(a, op, e, everything, variant, extra), a['y'])
    print(f'{label:28s} {fitted}  train {train:5.2f}'
          f'  LOGO {np.mean(logo):5.2f}  validation: training GPUs {mape(pv[~unseen], va["y"][~unseen]):5.1f}'
          f'  unseen {mape(pv[unseen], va["y"][unseen]):5.1f}')


def regime_fit(op, factors):
    a = load_arrays(op, load_train())
    va = load_arrays(op, load_val())
    everything = np.ones(len(a['y']), bool)
    memory_ms = rowwise_ms(a, op, M.MEM['e_' + op], everything) - M.MEM['t0_' + op]
    for k in factors:
        select = memory_ms >= k * M.MEM['t0_' + op]
        report(f'memory >= {k:g} x overhead ({select.sum()})', a, va, op, select)


def softmax_traffic():
    a = load_arrays('softmax', load_train())
    va = load_arrays('softmax', load_val())
    everything = np.ones(len(a['y']), bool)
    for variant in ('current', 'two-pass', 'pytorch-kernels'):
        report(variant, a, va, 'softmax', everything, variant)


def l2_variants(op):
    a = load_arrays(op, load_train())
    va = load_arrays(op, load_val())
    everything = np.ones(len(a['y']), bool)
    for variant in ('current', 'rows-in-flight', 'l2-resident'):
        report(variant, a, va, op, everything, variant)


def conformal(values, coverage=0.9):
    """The order statistics of lib/Cost/Training.cpp getConformalInterval."""
    v = np.sort(values)
    n = len(v)
    alpha = (1 - coverage) / 2
    return (v[max(0, int(math.floor((n + 1) * alpha)) - 1)],
            v[min(n - 1, int(math.ceil((n + 1) * (1 - alpha))) - 1)])


def read_dump(path):
    with open(path) as f:
        return list(csv.DictReader(f))


def interval_cells(train_path, val_path, min_rows=100):
    train, val = read_dump(train_path), read_dump(val_path)
    residual = lambda r: math.log(float(r['measured_us']) / float(r['analytical_us']))
    for cls in ('linear', 'softmax', 'layernorm'):
        for by_bound in (False, True):
            cells = {}
            for r in train:
                if r['class'] != cls:
                    continue
                bound = r['analytical_bound'] if by_bound else '-'
                cells.setdefault(('all', bound), []).append(residual(r))
                if r['gpu'] in POWER_LIMITED:
                    cells.setdefault(('power_limited', bound), []).append(residual(r))
            intervals = {k: conformal(np.array(v)) for k, v in cells.items() if len(v) >= min_rows}
            out = []
            for name, gpus in (('l4', {'l4'}), ('a100-pcie-80gb', {'a100-pcie-80gb'}),
                               ('training GPUs', {'p4', 'p100', 't4', 'v100', 'a100-pcie-40gb'})):
                inside, widths = [], []
                for r in val:
                    if r['class'] != cls or r['gpu'] not in gpus:
                        continue
                    group = 'power_limited' if r['gpu'] in POWER_LIMITED else 'all'
                    bound = r['analytical_bound'] if by_bound else '-'
                    key = next(k for k in ((group, bound), ('all', bound), (group, '-'), ('all', '-'))
                               if k in intervals)
                    lo, hi = intervals[key]
                    inside.append(lo <= residual(r) <= hi)
                    widths.append(math.exp(hi) - math.exp(lo))
                out.append(f'{name} {100 * np.mean(inside):.1f}% width {np.median(widths):.2f}')
            print(f'{cls:10s} {"group+bound" if by_bound else "group":12s}', '; '.join(out))


def knn_residuals(train_path, val_path):
    train = [r for r in read_dump(train_path) if r['class'] == 'bmm']
    val = [r for r in read_dump(val_path) if r['class'] == 'bmm']
    shape = lambda r: np.array([math.log2(float(r[k])) for k in ('batch', 'm', 'n', 'k')])
    X = np.array([shape(r) for r in train])
    R = np.array([math.log(float(r['measured_us']) / float(r['analytical_us'])) for r in train])
    for neighbours in (5, 25, 100):
        for name, gpus in (('unseen', {'l4', 'a100-pcie-80gb'}),
                           ('training GPUs', {'p4', 'p100', 't4', 'v100', 'a100-pcie-40gb'})):
            before, after = [], []
            for r in val:
                if r['gpu'] not in gpus:
                    continue
                nearest = np.argsort(np.sum((X - shape(r)) ** 2, axis=1))[:neighbours]
                meas, pred = float(r['measured_us']), float(r['analytical_us'])
                before.append(abs(pred - meas) / meas)
                after.append(abs(pred * math.exp(np.median(R[nearest])) - meas) / meas)
            print(f'{neighbours:3d} neighbours, {name:13s}: analytical {100 * np.mean(before):.1f}%'
                  f'  corrected {100 * np.mean(after):.1f}%')


# The shape coordinates of each class's nearest-neighbour correction (own-gpu), in log2.
SHAPE_COLUMNS = {'bmm': ('batch', 'm', 'n', 'k'), 'linear': ('batch', 'm', 'n', 'k'),
                 'softmax': ('rows', 'row_length'), 'layernorm': ('rows', 'row_length')}


def own_gpu(train_path, val_path, neighbours=25):
    residual = lambda r: math.log(float(r['measured_us']) / float(r['analytical_us']))
    train = {}
    for r in read_dump(train_path):
        train.setdefault((r['class'], r['gpu']), []).append(r)
    cells = {}
    for r in read_dump(val_path):
        key = (r['class'], r['gpu'])
        if key in train:
            cells.setdefault(key, []).append(r)
    pooled = {}
    for (cls, gpu), rows in sorted(cells.items()):
        own = train[(cls, gpu)]
        own_residuals = np.array([residual(t) for t in own])
        bias = float(np.median(own_residuals))
        columns = SHAPE_COLUMNS.get(cls)
        shape = lambda t: np.array([math.log2(max(1.0, float(t[c]))) for c in columns])
        X = np.array([shape(t) for t in own]) if columns else None
        errors = ([], [], [])
        for r in rows:
            meas, pred = float(r['measured_us']), float(r['analytical_us'])
            errors[0].append(abs(pred - meas) / meas)
            errors[1].append(abs(pred * math.exp(bias) - meas) / meas)
            if columns:
                nearest = np.argsort(np.sum((X - shape(r)) ** 2, axis=1))[:neighbours]
                errors[2].append(abs(pred * math.exp(np.median(own_residuals[nearest])) - meas) / meas)
        for i in range(3):
            pooled.setdefault(cls, ([], [], []))[i].extend(errors[i])
        print(f'{cls:12s} {gpu:15s} {len(rows):5d} rows  median residual: train {bias:+.3f}'
              f'  validation {np.median([residual(r) for r in rows]):+.3f};  MAPE'
              f' {100 * np.mean(errors[0]):5.1f}  own bias {100 * np.mean(errors[1]):5.1f}'
              + (f'  own {neighbours} nearest {100 * np.mean(errors[2]):5.1f}' if columns else ''))
    for cls, errors in sorted(pooled.items()):
        print(f'{cls:12s} {"training GPUs":15s} {len(errors[0]):5d} rows  MAPE {100 * np.mean(errors[0]):5.1f}'
              f'  own bias {100 * np.mean(errors[1]):5.1f}'
              + (f'  own {neighbours} nearest {100 * np.mean(errors[2]):5.1f}' if errors[2] else ''))


def same_spec(val_path):
    times = {}
    for r in read_dump(val_path):
        if r['class'] in ('bmm', 'linear') and r['gpu'] in ('a100-pcie-40gb', 'a100-pcie-80gb'):
            key = (r['class'],) + tuple(int(r[k]) for k in ('batch', 'm', 'n', 'k'))
            times.setdefault(key, {})[r['gpu']] = float(r['measured_us'])
    ratios = {}
    for key, t in times.items():
        if len(t) == 2:
            flops = 2 * key[1] * key[2] * key[3] * key[4]
            ratios.setdefault((key[0], int(math.log10(flops))), []).append(
                t['a100-pcie-40gb'] / t['a100-pcie-80gb'])
    for (cls, decade), r in sorted(ratios.items()):
        print(f'{cls:7s} 1e{decade:<2d} FLOPs  {len(r):4d} shapes  time 40GB / 80GB: median '
              f'{np.median(r):.3f}  (quartiles {np.percentile(r, 25):.3f}-{np.percentile(r, 75):.3f})')


if __name__ == '__main__':
    usage = ('usage: rowwise_experiments.py regime-fit ln|softmax K[,K...] | softmax-traffic |\n'
             '       l2-variants ln|softmax |\n'
             '       interval-cells TRAIN.csv VALIDATION.csv | knn-residuals TRAIN.csv VALIDATION.csv |\n'
             '       same-spec VALIDATION.csv | own-gpu TRAIN.csv VALIDATION.csv')
    if len(sys.argv) < 2:
        sys.exit(usage)
    command, args = sys.argv[1], sys.argv[2:]
    if command == 'regime-fit' and len(args) == 2 and args[0] in ('ln', 'softmax'):
        regime_fit(args[0], [float(k) for k in args[1].split(',')])
    elif command == 'softmax-traffic' and not args:
        softmax_traffic()
    elif command == 'l2-variants' and len(args) == 1 and args[0] in ('ln', 'softmax'):
        l2_variants(args[0])
    elif command == 'interval-cells' and len(args) == 2:
        interval_cells(*args)
    elif command == 'knn-residuals' and len(args) == 2:
        knn_residuals(*args)
    elif command == 'same-spec' and len(args) == 1:
        same_spec(*args)
    elif command == 'own-gpu' and len(args) == 2:
        own_gpu(*args)
    else:
        sys.exit(usage)
