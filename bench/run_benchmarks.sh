#!/bin/sh
# Runs the sampling benchmarks next to their peers and prints medians and ratios.
#   bench/run_benchmarks.sh [build-dir]      (default: build/release; needs bench_dense and
#                                              bench_threads built in Release)
# Dense: Wignerscope's dense sample (generate H + all eigenvalues, N = 2000) vs numpy's eigvalsh
# on an N = 2000 matrix (Debian's /usr/bin/python3 + python3-numpy, same OpenBLAS). Rounds
# alternate the two programs so that load from elsewhere on the machine hits both alike; the
# medians are taken over all repeats of all rounds. Ratio = Wignerscope / numpy (<= 1 is faster).
# Threads: 16 samples at N = 600, 1 vs 2 threads, speed-up = t(1) / t(2).
# Auto choice: bench_autochoice (the automatic sampler against the faster one, ratio <= 1.10).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build/release}
N=${WS_BENCH_N:-2000}
ROUNDS=${WS_BENCH_ROUNDS:-3}
REPEATS=${WS_BENCH_REPEATS:-3}
PY=/usr/bin/python3 # not the pyenv python3 first on PATH: it has no numpy
out=$(mktemp)
trap 'rm -f "$out"' EXIT

echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== dense N=$N: $ROUNDS rounds x $REPEATS repeats, alternating Wignerscope / numpy / numpy 1-thread"
i=1
while [ "$i" -le "$ROUNDS" ]; do
    "$build/bench/bench_dense" --n "$N" --repeats "$REPEATS" | tee -a "$out" | grep '^#' || true
    "$PY" "$here/numpy_eigvalsh.py" --n "$N" --repeats "$REPEATS" | tee -a "$out" | grep '^#' || true
    # Informational second peer: numpy restricted to one BLAS thread, like Wignerscope's solve.
    OPENBLAS_NUM_THREADS=1 "$PY" "$here/numpy_eigvalsh.py" --n "$N" --repeats "$REPEATS" \
        | sed 's/^RESULT numpy_eigvalsh/RESULT numpy_eigvalsh_1thread/' | tee -a "$out" | grep '^#' || true
    i=$((i + 1))
done
"$PY" - "$out" <<'PYEOF'
import statistics, sys
times = {"ws_dense_sample": [], "numpy_eigvalsh": [], "numpy_eigvalsh_1thread": [],
         "ws_noise_fill": []}
for line in open(sys.argv[1]):
    if line.startswith("RESULT "):
        parts = line.split()
        kv = dict(p.split("=", 1) for p in parts[2:])
        if parts[1] in times:
            times[parts[1]] += [float(t) for t in kv["times"].split(",")]
ws, npy = statistics.median(times["ws_dense_sample"]), statistics.median(times["numpy_eigvalsh"])
print("dense: Wignerscope generate+eigenvalues median %.4f s (%d runs; of which noise fill ~%.4f s)"
      % (ws, len(times["ws_dense_sample"]), statistics.median(times["ws_noise_fill"])))
print("dense: numpy eigvalsh only              median %.4f s (%d runs)" % (npy, len(times["numpy_eigvalsh"])))
np1 = statistics.median(times["numpy_eigvalsh_1thread"])
print("dense: numpy eigvalsh, 1 BLAS thread    median %.4f s (%d runs)" % (np1, len(times["numpy_eigvalsh_1thread"])))
print("dense: ratio Wignerscope / numpy (default threads) = %.3f  (target <= 1.0: %s)"
      % (ws / npy, "PASS" if ws <= npy else "FAIL"))
print("dense: ratio Wignerscope / numpy (1 BLAS thread)   = %.3f  (informational)" % (ws / np1))
PYEOF

echo "== solvers at N=$N (one run, for the choice of the Auto solver)"
"$build/bench/bench_dense" --n "$N" --repeats 3 --all-solvers | grep -v ws_noise_fill
echo "== threads: 16 samples N=600, 1 vs 2 threads"
"$build/bench/bench_threads" --n 600 --samples 16 --runs 5 --threads 2
echo "== real weights: singular values and rank-32 pruning of a 1024 x 2048 matrix vs numpy's SVD"
"$build/bench/bench_weights" --rows 1024 --cols 2048 --k 32 --repeats 5
echo "== automatic sampler choice: auto / faster over N 500..8000, alpha 0..1, zero or constant bulk"
# One thread, the two samplers interleaved; exits non-zero if a point is beyond 1.10 (set -e
# stops the script there). WS_BENCH_AUTOCHOICE_ARGS shortens it, e.g. "--n 500,1000,2000".
# shellcheck disable=SC2086
"$build/bench/bench_autochoice" ${WS_BENCH_AUTOCHOICE_ARGS:-}
