#!/bin/sh
# Runs the sampling benchmarks next to their peers and prints medians and ratios.
#   bench/run_benchmarks.sh [build-dir]      (default: build/release; needs bench_dense,
#                                              bench_threads and bench_weights built in Release)
# Dense: Wignerscope's whole dense sample (generate H + all eigenvalues) vs numpy's eigvalsh with
# its default threads (Debian's /usr/bin/python3 + python3-numpy, same OpenBLAS) on a real
# symmetric / complex Hermitian matrix, at each N of WS_BENCH_NS (default "2000 4000") and each
# noise of WS_BENCH_NOISES (default "gaussian complex"). Rounds alternate the two programs so
# that load from elsewhere on the machine hits both alike; the medians are taken over all
# repeats of all rounds. Ratio = Wignerscope / numpy (target <= 0.8). With three or more N the
# exponents of t ~ N^p are fitted (least squares on the logs).
#   WS_BENCH_NS="500 1000 2000 4000 8000" WS_BENCH_NOISES=gaussian WS_BENCH_ONLY_DENSE=1 \
#       bench/run_benchmarks.sh build/ci          (the README's dense table)
# Threads: 16 samples at N = 600, 1 vs 2 threads, speed-up = t(1) / t(2), against the ceiling of
# independent work measured in the same run, interleaved.
# Auto choice: bench_autochoice (the automatic sampler against the faster one, ratio <= 1.10).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build/release}
NS=${WS_BENCH_NS:-"2000 4000"}
NOISES=${WS_BENCH_NOISES:-"gaussian complex"}
ROUNDS=${WS_BENCH_ROUNDS:-3}
REPEATS=${WS_BENCH_REPEATS:-2}
PY=/usr/bin/python3 # not the pyenv python3 first on PATH: it has no numpy
out=$(mktemp)
trap 'rm -f "$out"' EXIT

echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for noise in $NOISES; do
    cplx=""
    [ "$noise" = complex ] && cplx="--complex"
    for N in $NS; do
        # Large N: one repeat per round and no warm-up run (a warm-up costs as much as a run).
        reps=$REPEATS
        warm=1
        rounds=$ROUNDS
        if [ "$N" -ge 4000 ]; then reps=1; warm=0; fi
        if [ "$N" -ge 8000 ]; then rounds=1; fi # a minute or more per program
        echo "== dense N=$N noise=$noise: $rounds rounds x $reps repeats, alternating Wignerscope / numpy"
        i=1
        while [ "$i" -le "$rounds" ]; do
            "$build/bench/bench_dense" --n "$N" --noise "$noise" --repeats "$reps" --warmup "$warm" \
                | tee -a "$out" | grep '^#' || true
            "$PY" "$here/numpy_eigvalsh.py" --n "$N" $cplx --repeats "$reps" --warmup "$warm" \
                | tee -a "$out" | grep '^#' || true
            i=$((i + 1))
        done
    done
done
echo "== load average after the dense runs: $(cut -d' ' -f1-3 /proc/loadavg)"
"$PY" - "$out" <<'PYEOF'
import math, statistics, sys
runs = {}
for line in open(sys.argv[1]):
    if line.startswith("RESULT "):
        parts = line.split()
        kv = dict(p.split("=", 1) for p in parts[2:])
        if parts[1] in ("ws_dense_sample", "numpy_eigvalsh"):
            key = (kv["noise"], int(kv["n"]), parts[1])
            runs.setdefault(key, []).extend(float(t) for t in kv["times"].split(","))
def fit(ns, ts):
    x = [math.log(n) for n in ns]; y = [math.log(t) for t in ts]
    mx, my = sum(x) / len(x), sum(y) / len(y)
    return sum((a - mx) * (b - my) for a, b in zip(x, y)) / sum((a - mx) ** 2 for a in x)
print("%-8s %6s %14s %14s %8s  %s" % ("noise", "N", "Wignerscope s", "numpy s", "ratio",
                                      "target <= 0.8 (Wignerscope: generate + eigenvalues)"))
for noise in sorted({k[0] for k in runs}):
    ns = sorted({k[1] for k in runs if k[0] == noise})
    wt, nt = [], []
    for n in ns:
        w = statistics.median(runs[(noise, n, "ws_dense_sample")])
        p = statistics.median(runs[(noise, n, "numpy_eigvalsh")])
        wt.append(w); nt.append(p)
        print("%-8s %6d %14.4f %14.4f %8.3f  %s (%d / %d runs)" % (
            noise, n, w, p, w / p, "PASS" if w <= 0.8 * p else "FAIL",
            len(runs[(noise, n, "ws_dense_sample")]), len(runs[(noise, n, "numpy_eigvalsh")])))
    if len(ns) >= 3:
        print("%-8s fitted exponent t ~ N^p: Wignerscope p = %.2f, numpy p = %.2f (N = %d..%d)"
              % (noise, fit(ns, wt), fit(ns, nt), ns[0], ns[-1]))
PYEOF
[ "${WS_BENCH_ONLY_DENSE:-0}" = 1 ] && exit 0

echo "== solvers at N=2000 (one run, for the choice of the Auto solver)"
"$build/bench/bench_dense" --n 2000 --repeats 3 --all-solvers | grep -v ws_noise_fill
echo "== threads: 16 samples N=600, 1 vs 2 threads, against the ceiling (interleaved)"
"$build/bench/bench_threads" --n 600 --samples 16 --runs 5 --threads 2
echo "== real weights: singular values and rank-32 pruning of a 1024 x 2048 matrix vs numpy's SVD"
"$build/bench/bench_weights" --rows 1024 --cols 2048 --k 32 --repeats 5
echo "== automatic sampler choice: auto / faster over N 500..8000, alpha 0..1, zero or constant bulk"
# One thread, the two samplers interleaved; exits non-zero if a point is beyond 1.10 (set -e
# stops the script there). WS_BENCH_AUTOCHOICE_ARGS shortens it, e.g. "--n 500,1000,2000".
# shellcheck disable=SC2086
"$build/bench/bench_autochoice" ${WS_BENCH_AUTOCHOICE_ARGS:-}
