#!/usr/bin/env python3
"""Paired, interleaved whole-process timings, for a loaded machine or one
without hyperfine: runs the commands in turn (A B C A B C ...) N times
after two warm-ups, and prints each one's median wall time (with its
range) and, for each command after the first, the median of its pairwise
ratio to the first. Output is discarded.

usage: benches/paired.py N 'CMD A' 'CMD B' ['CMD C' ...]
"""
import shlex
import statistics
import subprocess
import sys
import time


def run(cmd):
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return (time.perf_counter() - start) * 1000


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    n = int(sys.argv[1])
    cmds = [shlex.split(c) for c in sys.argv[2:]]
    for _ in range(2):
        for c in cmds:
            run(c)
    times = [[] for _ in cmds]
    for _ in range(n):
        for j, c in enumerate(cmds):
            times[j].append(run(c))
    for j, c in enumerate(cmds):
        t = times[j]
        print(f"{statistics.median(t):8.1f} ms median ({min(t):.1f} - {max(t):.1f})  {' '.join(c)}")
    for j in range(1, len(cmds)):
        ratio = statistics.median(b / a for a, b in zip(times[0], times[j]))
        print(f"command {j + 1} / command 1, pairwise median: {ratio:.2f}")


main()
