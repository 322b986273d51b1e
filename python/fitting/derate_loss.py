#!/usr/bin/env python3
"""Scores one value of the power-limited derating factor (docs/cost-model.md, 3.1).

    /usr/bin/python3 derate_loss.py DUMP.csv

DUMP.csv is `tilecast-bench accuracy --split=train --dump=DUMP.csv` of a build with that factor.
Prints the mean soft-L1 loss (scale 0.1) of log(analytical / measured) over the power-limited
training GPUs' (P4, T4) bmm and linear kernels: all of them, and without the P4's linear table,
whose large GEMMs run at a third of the P4's batched GEMMs of the same size (screened out).
"""
import csv
import math
import sys

F_SCALE = 0.1  # the loss scale of fitg2.py


def soft_l1(z):
    return 2 * F_SCALE**2 * (math.sqrt(1 + (z / F_SCALE) ** 2) - 1)


def main(path):
    with open(path) as f:
        rows = [r for r in csv.DictReader(f)
                if r['class'] in ('bmm', 'linear') and r['gpu'] in ('p4', 't4')]
    for name, keep in (('all', lambda r: True),
                       ('without P4 linear', lambda r: not (r['gpu'] == 'p4' and r['class'] == 'linear'))):
        kept = [r for r in rows if keep(r)]
        loss = sum(soft_l1(math.log(float(r['analytical_us']) / float(r['measured_us'])))
                   for r in kept) / len(kept)
        print(f'{name}: {len(kept)} kernels, loss {loss:.5f}')


if __name__ == '__main__':
    main(sys.argv[1])
