#!/usr/bin/env python3
"""Per-tile-size medians of a tiling measurement file (docs/tiling.md, "Measurement files").

    python3 tiling_groups.py FILE.csv SHAPE [SHAPE ...]

FILE.csv is a `tilecast-bench tiling --dump` file; SHAPE is a matmul shape as the reports name it
(batch x m x n x k, e.g. 1x512x512x128). For each loop (b, m, n, k) and each of its tile sizes
(0: the whole loop), prints over the ranked tilings of the shape that have that size: the median
of measured_us over the shape's fastest tiling, the median predicted_us (the model's when the file
was written) and how many tilings there are. Standard library only.
"""
import csv
import statistics
import sys


def read_rows(path):
    with open(path, newline='') as f:
        return [row for row in csv.DictReader(line for line in f if not line.startswith('#'))
                if row['in_sample'] == '1' and row['conv'] == '0']


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    rows = read_rows(argv[1])
    for shape in argv[2:]:
        tilings = [r for r in rows if 'x'.join((r['batch'], r['m'], r['n'], r['k'])) == shape]
        if not tilings:
            sys.exit(f'tiling_groups.py: no ranked tiling of {shape} in {argv[1]}')
        fastest = min(float(r['measured_us']) for r in tilings)
        print(f'== {shape}: {len(tilings)} tilings, fastest {fastest:.1f} us')
        for loop, name in enumerate(('b', 'm', 'n', 'k')):
            groups = {}
            for r in tilings:
                size = int(r['tile'].split('x')[loop])
                groups.setdefault(size, []).append(r)
            cells = []
            for size, group in sorted(groups.items()):
                measured = statistics.median(float(r['measured_us']) / fastest for r in group)
                predicted = statistics.median(float(r['predicted_us']) for r in group)
                cells.append(f'{size}: {measured:.2f} / {predicted:.0f} us (n {len(group)})')
            print(f'  {name}  ' + '   '.join(cells))


if __name__ == '__main__':
    main(sys.argv)
