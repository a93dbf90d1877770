#!/usr/bin/python3
"""Peer for bench_dense: numpy's eigvalsh on an N x N real symmetric (or complex Hermitian)
matrix, median over repeats. Only the eigvalsh call is timed (the matrix is built beforehand),
so the comparison is conservative for Wignerscope, whose time includes generating H.

Run with Debian's /usr/bin/python3 (python3-numpy, linked to the same OpenBLAS as Wignerscope).
Prints the OpenBLAS thread count numpy uses (its default: all cores).

    /usr/bin/python3 bench/numpy_eigvalsh.py [--n 2000] [--repeats 5] [--complex] [--warmup 1]
"""
import argparse
import ctypes
import os
import statistics
import time

import numpy as np


def blas_threads():
    for name in ("libopenblas.so.0", "libopenblas.so"):
        try:
            lib = ctypes.CDLL(name)
            return int(lib.openblas_get_num_threads())
        except (OSError, AttributeError):
            continue
    return -1


def blas_kernels():
    for name in ("libopenblas.so.0", "libopenblas.so"):
        try:
            lib = ctypes.CDLL(name)
            lib.openblas_get_corename.restype = ctypes.c_char_p
            return lib.openblas_get_corename().decode()
        except (OSError, AttributeError):
            continue
    return "?"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--complex", action="store_true")
    ap.add_argument("--warmup", type=int, default=1, help="untimed runs first (0 at large N)")
    a = ap.parse_args()

    rng = np.random.default_rng(1)
    if a.complex:
        x = (rng.standard_normal((a.n, a.n)) + 1j * rng.standard_normal((a.n, a.n))) / np.sqrt(2)
        h = (x + x.conj().T) / np.sqrt(2 * a.n)
    else:
        x = rng.standard_normal((a.n, a.n))
        h = (x + x.T) / np.sqrt(2 * a.n)
    for _ in range(a.warmup):
        np.linalg.eigvalsh(h)
    times = []
    for _ in range(a.repeats):
        t0 = time.perf_counter()
        w = np.linalg.eigvalsh(h)
        times.append(time.perf_counter() - t0)
    assert w.shape == (a.n,)
    print("# numpy %s, OpenBLAS threads = %d, kernels %s, cpu_count = %d"
          % (np.__version__, blas_threads(), blas_kernels(), os.cpu_count()))
    print("RESULT numpy_eigvalsh n=%d noise=%s median=%.4f times=%s" % (
        a.n, "complex" if a.complex else "gaussian", statistics.median(times),
        ",".join("%.4f" % t for t in times)))


if __name__ == "__main__":
    main()
