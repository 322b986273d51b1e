#!/usr/bin/env python3
"""A learned correction of the CPU tile model, measured and not kept (docs/tiling.md, "Ties").

    /usr/bin/python3 tiling_learned.py [--bench=build/bin/tilecast-bench] [--dir=data/measurements/host-zen5]

Ranks every matmul tiling of the Zen 5 measurement files with the current model
(`tilecast-bench tiling --measurements=FILE --verbose --target=DIR/host.json`, nothing is run),
then fits gradient-boosted regression trees (scikit-learn's HistGradientBoostingRegressor, seed 0)
to the measured log time of each tiling relative to the median of its shape, from the model's
predicted time and the tiling's sizes, and ranks the tilings of other files with the fit. Prints,
per experiment, the mean Kendall tau-b over the test file's shapes of the model alone and of the
fit (the same tau as `tilecast-bench tiling --measurements`). Convolutions are left out.

Needs Debian's python3-numpy, python3-scipy and python3-sklearn.
"""
import argparse
import collections
import math
import os
import re
import subprocess
import sys

import numpy as np
from scipy.stats import kendalltau
from sklearn.ensemble import HistGradientBoostingRegressor

# (test file, training files): first trained on the default suite alone, then on every other
# suite, so that each file is scored by a fit that never saw its shapes.
EXPERIMENTS = [
    ('tiling-heldout.csv', ['tiling-default.csv']),
    ('tiling-large.csv', ['tiling-default.csv']),
    ('tiling-strides.csv', ['tiling-default.csv']),
    ('tiling-heldout.csv', ['tiling-default.csv', 'tiling-large.csv', 'tiling-strides.csv']),
    ('tiling-default-run2.csv', ['tiling-heldout.csv', 'tiling-large.csv', 'tiling-strides.csv']),
]

SHAPE_LINE = re.compile(r'^(\d+)x(\d+)x(\d+)x(\d+)\s')
TILE_LINE = re.compile(r'^\s+tile (\S+)\s+predicted_us\s+(\S+)\s+measured_us\s+(\S+)')
L1_SETS, LINE_BYTES, F32_BYTES = 64, 64, 4  # the CPU model's L1 geometry (cost-model.md)


def ceil_div(a, b):
    return -(-a // b)


def sets_cycled(stride_bytes):
    """L1 sets that rows `stride_bytes` apart fall in (lib/Cost/AnalyticalModel.cpp)."""
    if stride_bytes % LINE_BYTES:
        return L1_SETS
    return L1_SETS // math.gcd(stride_bytes // LINE_BYTES, L1_SETS)


def rank(bench, directory, name):
    """{(batch, m, n, k): [(tile sizes, predicted_us, measured_us)]} of one file, matmuls only."""
    out = subprocess.run(
        [bench, 'tiling', '--target=' + os.path.join(directory, 'host.json'),
         '--measurements=' + os.path.join(directory, name), '--verbose'],
        check=True, capture_output=True, text=True).stdout
    shapes = collections.OrderedDict()
    shape = None
    for line in out.splitlines():
        match = SHAPE_LINE.match(line)
        if match:
            shape = tuple(int(g) for g in match.groups())
            shapes[shape] = []
            continue
        match = TILE_LINE.match(line)
        if match and shape is not None:
            tile = tuple(int(x) for x in match.group(1).split('x'))
            shapes[shape].append((tile, float(match.group(2)), float(match.group(3))))
    return shapes


def features(shape, tile, predicted_us):
    batch, m, n, k = shape
    tb, tm, tn, tk = (t if t else whole for t, whole in zip(tile, shape))
    parallel_tiles = ceil_div(batch, tb) * ceil_div(m, tm) * ceil_div(n, tn)
    return [math.log(predicted_us), math.log2(tb), math.log2(tm), math.log2(tn), math.log2(tk),
            math.log2(parallel_tiles), math.log2(ceil_div(k, tk)), math.log2(tm / m),
            math.log2(tn / n), math.log2(tk / k), math.log2(batch * m * n * k),
            sets_cycled(n * F32_BYTES)]


def table(shapes):
    """Features, log time over the shape's median, shape index and model log time per tiling."""
    x, y, group, model = [], [], [], []
    for index, tilings in enumerate(shapes.values()):
        median = float(np.median([math.log(measured) for _, _, measured in tilings]))
        for tile, predicted, measured in tilings:
            x.append(features(list(shapes)[index], tile, predicted))
            y.append(math.log(measured) - median)
            group.append(index)
            model.append(math.log(predicted))
    return np.array(x), np.array(y), np.array(group), np.array(model)


def mean_tau(predicted, measured, group):
    return float(np.mean([kendalltau(predicted[group == g], measured[group == g])[0]
                          for g in np.unique(group)]))


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--bench', default='build/bin/tilecast-bench')
    parser.add_argument('--dir', default='data/measurements/host-zen5')
    args = parser.parse_args(argv)
    names = sorted({name for test, train in EXPERIMENTS for name in [test] + train})
    tables = {name: table(rank(args.bench, args.dir, name)) for name in names}
    for test, train in EXPERIMENTS:
        fit = HistGradientBoostingRegressor(max_iter=200, learning_rate=0.05, max_leaf_nodes=15,
                                            random_state=0)
        fit.fit(np.vstack([tables[name][0] for name in train]),
                np.concatenate([tables[name][1] for name in train]))
        x, y, group, model = tables[test]
        print(f'{test:24} trained on {"+".join(n[7:-4] for n in train):22} '
              f'model {mean_tau(model, y, group):.3f}  learned {mean_tau(fit.predict(x), y, group):.3f}')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
