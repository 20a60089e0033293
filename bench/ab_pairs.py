#!/usr/bin/env python3
"""ab_pairs.py DIR A B : for a bench/ab.sh run of several windows per JVM (TESTS="ka_high ka_high
..."), the proxy CPU per request of A and B in each window of each round, B/A per round and the
medians, and the range of squid-bump's figures over the same runs."""
import collections
import glob
import os
import statistics
import sys

d, a_name, b_name = sys.argv[1:4]
runs = collections.defaultdict(dict)
squid = []
for path in glob.glob(os.path.join(d, '*', 'results.tsv')) + glob.glob(os.path.join(d, '*.results.tsv')):
    base = os.path.basename(os.path.dirname(path)) if path.endswith('/results.tsv') else os.path.basename(path)[:-12]
    rnd, name = base.split('-', 1)
    seq = collections.defaultdict(list)
    for line in list(open(path))[1:]:
        _, peer, _, key, val = line.rstrip('\n').split('\t')
        if key == 'proxy_cpu_us_per_req':
            seq[peer].append(float(val))
    runs[name][int(rnd)] = seq.get(name, [])
    squid += seq.get('squid-bump', [])
rounds = sorted(set(runs[a_name]) & set(runs[b_name]))
windows = max(len(v) for v in runs[a_name].values())
for w in range(windows):
    rs = [r for r in rounds if len(runs[a_name][r]) > w and len(runs[b_name][r]) > w]
    a = [runs[a_name][r][w] for r in rs]
    b = [runs[b_name][r][w] for r in rs]
    ratio = [y / x for x, y in zip(a, b)]
    print(f'window {w + 1}: {a_name} {", ".join(f"{x:.1f}" for x in a)} (median {statistics.median(a):.1f})'
          f' | {b_name} {", ".join(f"{x:.1f}" for x in b)} (median {statistics.median(b):.1f})'
          f' | {b_name}/{a_name} per round {", ".join(f"{x:.2f}" for x in ratio)}, median {statistics.median(ratio):.2f}')
if squid:
    print(f'squid-bump, every window of these runs: {min(squid):.0f}-{max(squid):.0f}')
