#!/usr/bin/env python3
"""Summarises bench/ab_interleaved.sh's windows.tsv: per pair, B ÷ A of the proxy's CPU µs per
request (and of req/s); then the median, the quartiles and how many pairs favour each side.
Usage: ab_interleaved.py windows.tsv A_NAME B_NAME"""
import statistics
import sys


def quartiles(xs):
    q = statistics.quantiles(xs, n=4) if len(xs) > 1 else [xs[0]] * 3
    return q[0], q[2]


def main(path, a, b):
    rows = {}
    with open(path) as f:
        next(f)
        for line in f:
            pair, run, rps, cpu = line.rstrip("\n").split("\t")
            rows.setdefault(int(pair), {})[run] = (float(rps), float(cpu))
    ratios, rps_ratios, cpus = [], [], {a: [], b: []}
    print(f"pair\t{a} req/s\t{a} µs/req\t{b} req/s\t{b} µs/req\t{b}/{a} µs/req")
    for pair in sorted(rows):
        r = rows[pair]
        if a not in r or b not in r:
            continue
        ratio = r[b][1] / r[a][1]
        ratios.append(ratio)
        rps_ratios.append(r[b][0] / r[a][0])
        cpus[a].append(r[a][1])
        cpus[b].append(r[b][1])
        print(f"{pair}\t{r[a][0]:.0f}\t{r[a][1]:.1f}\t{r[b][0]:.0f}\t{r[b][1]:.1f}\t{ratio:.3f}")
    if not ratios:
        sys.exit("no complete pair")
    lo, hi = quartiles(ratios)
    print(f"{len(ratios)} pairs. µs/req median: {a} {statistics.median(cpus[a]):.1f}, "
          f"{b} {statistics.median(cpus[b]):.1f}")
    print(f"{b}/{a} µs/req per pair: median {statistics.median(ratios):.3f}, "
          f"quartiles {lo:.3f}..{hi:.3f}, min {min(ratios):.3f}, max {max(ratios):.3f}; "
          f"{sum(x < 1 for x in ratios)} pairs with {b} cheaper, {sum(x > 1 for x in ratios)} with {a} cheaper")
    print(f"{b}/{a} req/s per pair: median {statistics.median(rps_ratios):.3f}")


if __name__ == "__main__":
    main(*sys.argv[1:4])
