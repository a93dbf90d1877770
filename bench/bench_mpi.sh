#!/bin/bash
# Cluster scaling of a dense n-sweep (docs/cluster.md): `mpirun -np P wignerscope-cli sweep` with
# P = 1 and 2 processes of one thread each, against the one-process run (the peer), plus the
# one-process run with 2 threads (the same cores used by threads instead of processes).
#   bench/bench_mpi.sh [build-dir]     (default: build/ci; needs wignerscope-cli with WS_MPI)
# Rounds alternate the configurations so that load from elsewhere on the machine hits them
# alike; figures are medians over the rounds. speed-up = t(P = 1) / t(P = 2), efficiency =
# speed-up / 2. It also prints the per-eigensolve time of one dense sample at N = 2000 (one
# thread), the figure the cost projections of docs/cluster.md scale by (N / 2000)^3.
# Every run's CSV is compared with the one-process run's (the seconds column masked): a
# cluster run that changed a number would be a bug, not a speed-up.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build/ci}
cli=$build/app/wignerscope-cli
ROUNDS=${WS_BENCH_ROUNDS:-3}
# A dense sweep: a uniform bulk makes S full rank (no banded sampler), N from 600 to 1800.
SWEEP=(sweep --param n --from 600 --to 1800 --steps 4 --samples 4 --seed 1 --bulk uniform:-1,1
    --sampler dense)
# Open MPI as root in a container (docs/cluster.md); harmless elsewhere.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# The CSVs' "# date:" line from a fixed time, so that runs seconds apart compare (as tst_cli_mpi).
export SOURCE_DATE_EPOCH=1767225600
MPIRUN=(mpirun -q --oversubscribe --bind-to none)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

seconds() { # seconds COMMAND...: "wall cpu" of one run (cpu: user + system of every process)
    /usr/bin/time -f '%e %U %S' -o "$work/time" "$@" >/dev/null
    awk '{print $1, $2 + $3}' "$work/time"
}
median() { sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
masked() { sed -E 's/,[^,]*$/,T/' "$1"; }

echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)" \
    "(shared with other jobs: figures are medians of $ROUNDS rounds)"
echo "== dense n-sweep: ${SWEEP[*]}"
: >"$work/p1t1" && : >"$work/p2t1" && : >"$work/p1t2"
for ((i = 1; i <= ROUNDS; ++i)); do
    seconds "$cli" "${SWEEP[@]}" --threads 1 --csv "$work/ref.csv" >>"$work/p1t1"
    seconds "${MPIRUN[@]}" -np 2 "$cli" "${SWEEP[@]}" --threads 1 --csv "$work/p2.csv" >>"$work/p2t1"
    seconds "$cli" "${SWEEP[@]}" --threads 2 --csv "$work/t2.csv" >>"$work/p1t2"
    for f in p2 t2; do
        if ! cmp -s <(masked "$work/ref.csv") <(masked "$work/$f.csv"); then
            echo "FAILED: the $f run's CSV differs from the one-process run's" >&2
            exit 1
        fi
    done
done
wall() { cut -d' ' -f1 "$1" | median; }
cpu() { cut -d' ' -f2 "$1" | median; }
t11=$(wall "$work/p1t1") c11=$(cpu "$work/p1t1")
t21=$(wall "$work/p2t1") c21=$(cpu "$work/p2t1")
t12=$(wall "$work/p1t2") c12=$(cpu "$work/p1t2")
printf 'RESULT P=1 threads=1   %.2f s wall, %.2f s cpu (the peer)\n' "$t11" "$c11"
printf 'RESULT P=2 threads=1   %.2f s wall, %.2f s cpu  speed-up %.2f  efficiency %.0f%%  cpu ratio %.2f\n' \
    "$t21" "$c21" "$(echo "$t11 / $t21" | bc -l)" "$(echo "50 * $t11 / $t21" | bc -l)" \
    "$(echo "$c21 / $c11" | bc -l)"
printf 'RESULT P=1 threads=2   %.2f s wall, %.2f s cpu  speed-up %.2f (threads instead of processes)\n' \
    "$t12" "$c12" "$(echo "$t11 / $t12" | bc -l)"
echo "(cpu ratio = the cluster run's CPU time / the peer's: its overhead whatever the load;"
echo " on a loaded machine the wall-clock speed-up is bounded by the CPU share the processes get)"

# Per-eigensolve time at N = 2000 (dense, one thread): generate H and all its eigenvalues.
: >"$work/solve"
for ((i = 1; i <= ROUNDS; ++i)); do
    "$cli" sample --n 2000 --bulk uniform:-1,1 --sampler dense --samples 2 --threads 1 \
        --json - | python3 -c 'import json, sys; print(json.load(sys.stdin)["timing"]["per_sample_s"])' \
        >>"$work/solve"
done
printf 'RESULT dense sample N=2000 one thread  %.2f s per sample (median)\n' "$(median <"$work/solve")"
