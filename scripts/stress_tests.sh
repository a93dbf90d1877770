#!/usr/bin/env bash
# Runs the whole test suite RUNS times in a row (default 20) with every core kept busy by
# spinning processes, and counts the failures per test: the check that no test depends on
# timing or load. Uses an existing build directory (default build/release, `cmake --preset
# release && cmake --build --preset release` first).
#   scripts/stress_tests.sh [RUNS] [BUILD_DIR]
# SPIN_NICE=N runs the spinners at that niceness (default 0: full competition; 19 on a shared
# machine whose other work already keeps the cores busy).
# Prints one line per run and a summary; exit status 1 if any run failed.
set -uo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20}
dir=${2:-build/release}
[ -f "$dir/CTestTestfile.cmake" ] || { echo "error: $dir has no tests (build it first)"; exit 2; }
logdir=$dir/stress-logs
mkdir -p "$logdir"
spinners=()
for _ in $(seq "$(nproc)"); do
  nice -n "${SPIN_NICE:-0}" bash -c 'while :; do :; done' &
  spinners+=($!)
done
trap 'kill "${spinners[@]}" 2>/dev/null' EXIT
failures=0
for i in $(seq "$runs"); do
  t0=$SECONDS
  if QT_QPA_PLATFORM=offscreen ctest --test-dir "$dir" -j"$(nproc)" --timeout 900 \
      >"$logdir/run$i.log" 2>&1; then
    echo "run $i: ok ($((SECONDS - t0)) s)"
  else
    failures=$((failures + 1))
    # ctest's summary does not say why; its full log is overwritten by the next run: keep it.
    cp "$dir/Testing/Temporary/LastTest.log" "$logdir/run$i.full.log" 2>/dev/null
    echo "run $i: FAILED ($((SECONDS - t0)) s): $(grep -E '\*\*\*Failed|\(Failed\)|Timeout|SEGFAULT|Exception' "$logdir/run$i.log" | tr -s ' ' | tr '\n' ';')"
  fi
done
echo "stress: $failures of $runs runs failed (logs: $logdir)"
[ "$failures" -eq 0 ]
