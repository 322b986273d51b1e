#!/usr/bin/env python3
"""Per-tile-size medians of a tiling measurement file (docs/tiling.md, "Measurement files").

    python3 tiling_groups.py FILE.csv SHAPE [SHAPE ...]
    python3 tiling_groups.py --batch-split FILE.csv
    python3 tiling_groups.py --k-reloads CLOCK_MHZ FILE.csv
    python3 tiling_groups.py --b-misses CLOCK_MHZ L1_KIB FILE.csv

FILE.csv is a `tilecast-bench tiling --dump` file; SHAPE is a matmul shape as the reports name it
(batch x m x n x k, e.g. 1x512x512x128). For each loop (b, m, n, k) and each of its tile sizes
(0: the whole loop), prints over the ranked tilings of the shape that have that size: the median
of measured_us over the shape's fastest tiling, the median predicted_us (the model's when the file
was written) and how many tilings there are.

With --batch-split, prints for every batched matmul shape of FILE.csv the median measured time of
the tilings whose tiles hold the whole batch over that of the tilings that split it, and the same
ratio of measured over predicted times (predicted_us: the model that wrote the file), then the
medians of those ratios (docs/tiling.md, "Cores that split a matrix").

With --k-reloads, prints for every matmul shape of FILE.csv whose rows spread over more than 2 of
a 64-set L1's sets (the accumulators stay in L1) the median, over the tilings whose K steps are
smaller than K and that are at least 16 columns wide (8-column tiles use half of each line of C),
of the time they take beyond the same tiling
with K whole, per extra reload of an 8 x 8 block of accumulators and per core that runs tiles, in
cycles at CLOCK_MHZ (docs/tiling.md, "K steps: the accumulator reloads measured"); then the median
over the shapes.

With --b-misses, the same for the matmul shapes whose B rows crowd at most 2 L1 sets: the time each
whole-K tiling at least 16 columns wide takes beyond the same tiling in K steps of 16, per core
that runs tiles, plus the 4.5 cycles of each extra accumulator reload of the K steps, per extra
miss of a B row the CPU model counts for an L1 of L1_KIB (docs/tiling.md, "B rows that miss L1,
measured"). Standard library only.
"""
import csv
import math
import statistics
import sys

L1_SETS, LINE_BYTES = 64, 64  # the CPU model's L1 geometry (docs/cost-model.md)


def read_rows(path):
    with open(path, newline='') as f:
        return [row for row in csv.DictReader(line for line in f if not line.startswith('#'))
                if row['in_sample'] == '1' and row['conv'] == '0']


def print_batch_split(path):
    """Whole-batch over batch-split median times, per batched shape of `path`."""
    groups = {}
    for r in read_rows(path):
        batch = int(r['batch'])
        batch_tile = int(r['tile'].split('x')[0])
        if batch == 1 or r['tile'] == '0x0x0x0':
            continue
        shape = 'x'.join((r['batch'], r['m'], r['n'], r['k']))
        whole = batch_tile in (0, batch)
        measured, predicted = float(r['measured_us']), float(r['predicted_us'])
        groups.setdefault(shape, ([], []))[0 if whole else 1].append((measured, predicted))
    ratios, residuals = [], []
    for shape, (whole, split) in groups.items():
        if not whole or not split:
            continue
        ratios.append(statistics.median(m for m, _ in whole) / statistics.median(m for m, _ in split))
        residuals.append(statistics.median(m / p for m, p in whole)
                         / statistics.median(m / p for m, p in split))
        print(f'{shape}: whole batch / split batch {ratios[-1]:.3f}, '
              f'over the prediction {residuals[-1]:.3f} (n {len(whole)} / {len(split)})')
    if not ratios:
        sys.exit(f'tiling_groups.py: no batched shape with both kinds of tiling in {path}')
    print(f'median {statistics.median(ratios):.3f}, over the prediction '
          f'{statistics.median(residuals):.3f}, over {len(ratios)} shapes')


def sets_cycled(stride_bytes):
    """L1 sets that rows `stride_bytes` apart fall in (lib/Cost/AnalyticalModel.cpp)."""
    if stride_bytes % LINE_BYTES:
        return L1_SETS
    return L1_SETS // math.gcd(stride_bytes // LINE_BYTES, L1_SETS)


def ceil_div(a, b):
    return -(-a // b)


def read_shapes(path):
    """{(batch, m, n, k, threads): {tile sizes: measured_us}} of the ranked tilings of `path`."""
    shapes = {}
    for r in read_rows(path):
        key = tuple(int(r[c]) for c in ('batch', 'm', 'n', 'k', 'threads'))
        tile = tuple(int(x) for x in r['tile'].split('x'))
        shapes.setdefault(key, {})[tile] = float(r['measured_us'])
    return shapes


def print_per_shape(cycles_by_shape, what, empty):
    """Prints each shape's median cycles per `what`, then their median; exits with `empty` if none."""
    medians = []
    for (batch, m, n, k), cycles in cycles_by_shape.items():
        if cycles:
            medians.append(statistics.median(cycles))
            print(f'{batch}x{m}x{n}x{k}: {medians[-1]:.2f} cycles per {what} '
                  f'({len(cycles)} tilings)')
    if not medians:
        sys.exit(empty)
    print(f'median {statistics.median(medians):.2f} over {len(medians)} shapes')


def print_k_reloads(clock_mhz, path):
    """Cycles per extra 8 x 8 accumulator reload, per uncrowded matmul shape of `path`."""
    cycles_by_shape = {}
    for (batch, m, n, k, threads), tilings in read_shapes(path).items():
        if sets_cycled(n * 4) <= 2:
            continue
        cycles = cycles_by_shape.setdefault((batch, m, n, k), [])
        for tile, us in tilings.items():
            whole_k = tile[:3] + (0,)
            if tile[3] == 0 or whole_k not in tilings:
                continue
            tb, tm, tn = (t if t else w for t, w in zip(tile[:3], (batch, m, n)))
            if tn < 16:
                continue
            cores = min(ceil_div(batch, tb) * ceil_div(m, tm) * ceil_div(n, tn), threads)
            extra_reloads = batch * m * n / 64 * (ceil_div(k, tile[3]) - 1)
            if extra_reloads <= 0:
                continue
            cycles.append((us - tilings[whole_k]) * 1e-6 * cores / extra_reloads
                          * clock_mhz * 1e6)
    print_per_shape(cycles_by_shape, 'extra reload',
                    f'tiling_groups.py: no uncrowded matmul shape with K split in {path}')


# The accumulator reload the CPU model charges, in cycles (kAccumulatorReloadExposedShare of the 8
# cycles an 8 x 8 f32 block's load and store take at 64 B/cycle).
RELOAD_CYCLES = 4.5


def b_miss_fraction(k_step, sets, ways):
    """Share of B row loads that miss L1 (getBColumnConflictMissFraction)."""
    lines = ceil_div(k_step, sets)
    return 0.0 if lines <= ways else 1.0 - ways / lines


def print_b_misses(clock_mhz, l1_kib, path):
    """Cycles per extra B-row miss, per crowded matmul shape of `path`."""
    ways = max(1, int(l1_kib * 1024) // 4096)
    cycles_by_shape = {}
    for (batch, m, n, k, threads), tilings in read_shapes(path).items():
        sets = sets_cycled(n * 4)
        if sets > 2:
            continue
        cycles = cycles_by_shape.setdefault((batch, m, n, k), [])
        for tile, us in tilings.items():
            whole_k = tile[:3] + (0,)
            if tile[3] != 16 or whole_k not in tilings:
                continue
            tb, tm, tn = (t if t else w for t, w in zip(tile[:3], (batch, m, n)))
            if tn < 16:
                continue
            blocks = batch * m * n / 64
            extra_misses = blocks * k * (b_miss_fraction(k, sets, ways)
                                         - b_miss_fraction(16, sets, ways))
            if extra_misses <= 0:
                continue
            cores = min(ceil_div(batch, tb) * ceil_div(m, tm) * ceil_div(n, tn), threads)
            extra_reloads = blocks * (ceil_div(k, 16) - 1)
            cycles.append(((tilings[whole_k] - us) * 1e-6 * cores * clock_mhz * 1e6
                           + extra_reloads * RELOAD_CYCLES) / extra_misses)
    print_per_shape(cycles_by_shape, 'extra miss',
                    f'tiling_groups.py: no crowded matmul shape with K split in {path}')


def main(argv):
    if len(argv) == 3 and argv[1] == '--batch-split':
        print_batch_split(argv[2])
        return
    if len(argv) == 4 and argv[1] == '--k-reloads':
        print_k_reloads(float(argv[2]), argv[3])
        return
    if len(argv) == 5 and argv[1] == '--b-misses':
        print_b_misses(float(argv[2]), float(argv[3]), argv[4])
        return
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
