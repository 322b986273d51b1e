#!/usr/bin/env python3
"""How well two tiling measurement runs agree (docs/tiling.md, "Row strides of a multiple of 2 KiB").

    python3 tiling_runs.py FIRST.csv SECOND.csv

FIRST.csv and SECOND.csv are `tilecast-bench tiling --dump` files of the same suite. For each shape
in both, over the ranked tilings (in_sample 1) that both runs timed, prints Kendall's tau-a between
the two runs' measured_us, and the mean over the shapes: how far one measurement ranks the other,
the ceiling a model's tau against one run is judged by. Standard library only.
"""
import csv
import sys


def read_times(path):
    """{shape: {tile: measured_us}} of the ranked tilings in `path`."""
    times = {}
    with open(path, newline='') as f:
        for row in csv.DictReader(line for line in f if not line.startswith('#')):
            if row['in_sample'] != '1':
                continue
            shape = 'x'.join((row['batch'], row['m'], row['n'], row['k']))
            if row['conv'] == '1':
                shape = 'conv' + shape
            times.setdefault(shape, {})[row['tile']] = float(row['measured_us'])
    return times


def kendall_tau_a(x, y):
    """(concordant - discordant) / all pairs; a tie in either counts as neither."""
    n = len(x)
    score = 0
    for i in range(n):
        for j in range(i + 1, n):
            product = (x[i] - x[j]) * (y[i] - y[j])
            score += (product > 0) - (product < 0)
    return score / (n * (n - 1) / 2)


def main(argv):
    if len(argv) != 3:
        sys.exit(__doc__)
    first, second = read_times(argv[1]), read_times(argv[2])
    taus = []
    for shape, tilings in first.items():
        common = sorted(set(tilings) & set(second.get(shape, {})))
        if len(common) < 2:
            continue
        tau = kendall_tau_a([tilings[t] for t in common], [second[shape][t] for t in common])
        taus.append(tau)
        print(f'{shape:20} {len(common):5} tilings  tau {tau:+.3f}')
    if not taus:
        sys.exit(f'tiling_runs.py: no shape with two tilings timed in both {argv[1]} and {argv[2]}')
    print(f'mean tau between the runs {sum(taus) / len(taus):.3f} over {len(taus)} shapes')


if __name__ == '__main__':
    main(sys.argv)
