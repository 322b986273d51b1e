#!/usr/bin/env python3
"""Linear corrections of the CPU tile model over tile-geometry features, measured and not kept
(docs/tiling.md, "A third machine: an Intel Emerald Rapids guest").

    /usr/bin/python3 tiling_linear.py [--bench=build/bin/tilecast-bench] [--data=data/measurements]

Ranks every matmul tiling of the Zen 5 and Emerald Rapids measurement files with the current model
(`tilecast-bench tiling --measurements=FILE --verbose`, with the file's machine's `host.json`;
nothing is run), computes 16 features of each tiling's geometry (`features` below), and fits a
correction exp(w . features) of the predicted time two ways:

- least squares on the measured log time over the predicted one, less its shape's median (ridge
  1.0);
- a pairwise ranking loss: the logistic loss of the sign of each pair of a shape's tilings'
  measured order against their corrected predicted order (up to 300 pairs per shape, seeded).

Each is scored as the mean Kendall tau-b over a file's shapes (as `tilecast-bench tiling
--measurements` computes it, but over the tilings `--verbose` prints, whose times are rounded to
0.1 us), fitted on the other machine's files (leave one machine out) and on every file (in
sample, the most any such correction can give). Convolutions are left out.

Needs Debian's python3-numpy and python3-scipy.
"""
import argparse
import collections
import json
import math
import os
import re
import subprocess

import numpy as np
from scipy.optimize import minimize
from scipy.stats import kendalltau

FILES = {
    'zen5': ['tiling-default-op-timed.csv', 'tiling-batched-op-timed.csv', 'tiling-default.csv',
             'tiling-default-run2.csv', 'tiling-heldout.csv', 'tiling-large.csv',
             'tiling-large-run2.csv', 'tiling-strides.csv', 'tiling-batched.csv'],
    'emr': ['tiling-default.csv', 'tiling-batched.csv', 'tiling-heldout.csv', 'tiling-large.csv',
            'tiling-strides.csv', 'tiling-default-243runs.csv'],
}
SHAPE_LINE = re.compile(r'^(\d+)x(\d+)x(\d+)x(\d+)\s')
TILE_LINE = re.compile(r'^\s+tile (\S+)\s+predicted_us\s+(\S+)\s+measured_us\s+(\S+)')
# The CPU model's L1 geometry (docs/cost-model.md): 64-byte lines, 64 sets; ways from the size.
LINE_BYTES, L1_SETS, L1_INDEX_BYTES, F32_BYTES = 64, 64, 4096, 4
FEATURES = ['one thread', 'log2 parallel tiles', 'log2 K steps', 'N tile 8', 'N tile 16',
            'log2 M tile', 'log2 N tile', 'log2 K tile', 'log2 C block/L1', 'log2 A block/L1',
            'log2 B block/L1', 'C lines per set/ways', 'whole batch', 'rounds/ideal on 2 cores',
            'C row not whole lines', 'log2 working set/L1']
PAIRS_PER_SHAPE = 300
RIDGE = 1.0
PAIRWISE_SCALE = 10.0  # logistic slope per unit of log time difference
PAIRWISE_RIDGE = 1e-3


def rank_file(bench, directory, name):
    """(shape, tile, predicted_us, measured_us) of every tiling of the file, with its spec."""
    spec_path = os.path.join(directory, 'host.json')
    out = subprocess.run([bench, 'tiling', f'--measurements={os.path.join(directory, name)}',
                          '--verbose'], env={'TILECAST_HOST_SPEC': spec_path},
                         capture_output=True, text=True, check=True).stdout
    with open(spec_path) as f:
        spec = json.load(f)
    rows, shape = [], None
    for line in out.splitlines():
        m = SHAPE_LINE.match(line)
        if m:
            shape = tuple(map(int, m.groups()))
            continue
        m = TILE_LINE.match(line)
        if m and shape:
            rows.append((shape, m.group(1), float(m.group(2)), float(m.group(3))))
    return rows, spec


def extent(tile, size):
    return size if tile == 0 else min(tile, size)


def max_lines_per_set(rows, row_bytes, stride):
    """The most lines of a rows x row_bytes block at `stride` that fall in one L1 set."""
    count = collections.Counter()
    for r in range(min(rows, 8 * L1_SETS)):  # the pattern repeats within 8 x 64 rows
        for offset in range(0, row_bytes, LINE_BYTES):
            count[((r * stride + offset) // LINE_BYTES) % L1_SETS] += 1
    return max(count.values()) if count else 0


def features(shape, tile, spec):
    batch, m, n, k = shape
    sizes = list(map(int, tile.split('x')))
    if len(sizes) != 4:
        return None
    tb, tm, tn, tk = (extent(t, s) for t, s in zip(sizes, shape))
    l1 = spec['l1_cache_kib'] * 1024
    ways = l1 // L1_INDEX_BYTES
    parallel = math.ceil(batch / tb) * math.ceil(m / tm) * math.ceil(n / tn)
    one_thread = parallel == 1 or tile == '0x0x0x0'
    c_block, a_block, b_block = (F32_BYTES * tb * tm * tn, F32_BYTES * tb * tm * tk,
                                 F32_BYTES * tb * tk * tn)
    lines = max_lines_per_set(tm, tn * F32_BYTES, n * F32_BYTES) * tb
    return [float(one_thread), math.log2(parallel), math.log2(math.ceil(k / tk)),
            float(tn == 8), float(tn == 16), math.log2(tm), math.log2(tn), math.log2(tk),
            math.log2(c_block / l1), math.log2(a_block / l1), math.log2(b_block / l1),
            min(lines / ways, 4.0), float(batch > 1 and tb == batch),
            math.ceil(parallel / 2) * 2 / parallel if parallel > 1 else 1.0,
            float((tn * F32_BYTES) % LINE_BYTES != 0),
            math.log2((c_block + a_block + b_block) / l1)]


def mean_tau(shapes, w=None):
    taus = []
    for tilings in shapes.values():
        predicted = [p * (math.exp(np.dot(w, x)) if w is not None else 1.0) for x, p, _ in tilings]
        tau = kendalltau(predicted, [m for _, _, m in tilings]).statistic
        if not math.isnan(tau):
            taus.append(tau)
    return float(np.mean(taus))


def fit_least_squares(files):
    X, y = [], []
    for _, _, shapes in files:
        for tilings in shapes.values():
            residuals = [math.log(m / p) for _, p, m in tilings]
            median = np.median(residuals)
            for (x, _, _), r in zip(tilings, residuals):
                X.append(x + [1.0])
                y.append(r - median)
    X, y = np.array(X), np.array(y)
    return np.linalg.solve(X.T @ X + RIDGE * np.eye(X.shape[1]), X.T @ y)[:-1]


def fit_pairwise(files, seed=0):
    rng = np.random.default_rng(seed)
    diffs, offsets, signs = [], [], []
    for _, _, shapes in files:
        for tilings in shapes.values():
            pairs = [(i, j) for i in range(len(tilings)) for j in range(i + 1, len(tilings))]
            if len(pairs) > PAIRS_PER_SHAPE:
                pairs = [pairs[c] for c in rng.choice(len(pairs), PAIRS_PER_SHAPE, replace=False)]
            for i, j in pairs:
                (xi, pi, mi), (xj, pj, mj) = tilings[i], tilings[j]
                if mi != mj:
                    diffs.append(np.array(xi) - np.array(xj))
                    offsets.append(math.log(pi / pj))
                    signs.append(1.0 if mi > mj else -1.0)
    X, o, s = np.array(diffs), np.array(offsets), np.array(signs)

    def loss(w):
        return (np.mean(np.logaddexp(0.0, -s * PAIRWISE_SCALE * (o + X @ w)))
                + PAIRWISE_RIDGE * np.sum(w * w))

    return minimize(loss, np.zeros(X.shape[1]), method='L-BFGS-B').x


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--bench', default='build/bin/tilecast-bench')
    parser.add_argument('--data', default='data/measurements')
    args = parser.parse_args()
    files = []
    for machine, names in FILES.items():
        for name in names:
            rows, spec = rank_file(args.bench, os.path.join(args.data, f'host-{machine}'), name)
            shapes = collections.defaultdict(list)
            for shape, tile, predicted, measured in rows:
                x = features(shape, tile, spec)
                if x is not None:
                    shapes[shape].append((x, predicted, measured))
            files.append((machine, name, shapes))
    fits = {'least squares': fit_least_squares, 'pairwise': fit_pairwise}
    in_sample = {label: fit(files) for label, fit in fits.items()}
    out_of_sample = {(machine, label): fit([f for f in files if f[0] != machine])
                     for machine in FILES for label, fit in fits.items()}
    print(f'{"machine":8s} {"file":30s} {"model":>6s}  {"least squares":>22s}  {"pairwise":>22s}')
    print(f'{"":8s} {"":30s} {"":6s}  {"other machine / all":>22s}  {"other machine / all":>22s}')
    means = collections.defaultdict(list)
    for machine, name, shapes in files:
        taus = [mean_tau(shapes)]
        for label in fits:
            taus += [mean_tau(shapes, out_of_sample[(machine, label)]),
                     mean_tau(shapes, in_sample[label])]
        means[machine].append(taus)
        print(f'{machine:8s} {name:30s} {taus[0]:6.3f}  {taus[1]:10.3f} / {taus[2]:.3f}'
              f'  {taus[3]:10.3f} / {taus[4]:.3f}')
    for machine, rows in means.items():
        m = np.mean(rows, axis=0)
        print(f'{machine:8s} {"mean over its files":30s} {m[0]:6.3f}  {m[1]:10.3f} / {m[2]:.3f}'
              f'  {m[3]:10.3f} / {m[4]:.3f}')
    for label, w in in_sample.items():
        print(f'{label} weights, fitted on every file:',
              ', '.join(f'{n} {v:+.3f}' for n, v in zip(FEATURES, w)))


if __name__ == '__main__':
    main()
