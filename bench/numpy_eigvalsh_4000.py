#!/usr/bin/python3
"""Peer for bench_banded: numpy's dense eigvalsh on an N x N GOE matrix with rank-r spikes.

Prints one JSON line: {"n": N, "repeats": R, "median_s": ..., "cpu_median_s": ..., "times_s": [...]}
(wall and process CPU seconds; on a shared machine the CPU time of a 1-thread run is the
fairer figure). The spectrum
content does not change the dense cost (tridiagonalization is O(N^3) regardless), but the matrix
is the same model as the banded benchmark: (sigma/sqrt(N)) GOE + 3 on r spike coordinates.
Run with /usr/bin/python3 (Debian's numpy on OpenBLAS); OPENBLAS_NUM_THREADS sets the threads.
"""
import json
import math
import statistics
import sys
import time

import numpy as np


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 4000
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    r = math.ceil(n ** 0.3 * (1 - 1e-12))
    rng = np.random.default_rng(1)
    times = []
    cpu = []
    for _ in range(repeats):
        x = rng.standard_normal((n, n))
        h = (x + x.T) / math.sqrt(2.0 * n)  # off-diagonal N(0,1)/sqrt(N), diagonal N(0,2)/sqrt(N)
        h[np.arange(r), np.arange(r)] += 3.0
        t0 = time.perf_counter()
        c0 = time.process_time()
        w = np.linalg.eigvalsh(h)
        cpu.append(time.process_time() - c0)
        times.append(time.perf_counter() - t0)
        assert w.shape == (n,)
    print(json.dumps({"n": n, "r": r, "repeats": repeats,
                      "median_s": statistics.median(times),
                      "cpu_median_s": statistics.median(cpu), "times_s": times}))


if __name__ == "__main__":
    main()
