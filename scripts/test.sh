#!/usr/bin/env bash
# Builds and runs every test (this is what CI runs, .ci/run), in three stages:
#   ci    Release with -Werror: the whole suite (Qt Test executables + fuzz corpus replays)
#   package  the Debian package built from the ci build (cpack) and checked in a scratch root:
#         file list, declared dependencies, the installed programs run (scripts/check_package.sh)
#   asan  AddressSanitizer + UndefinedBehaviorSanitizer (LeakSanitizer included): the whole suite
#   tsan  ThreadSanitizer: the core (but the single-threaded numeric ones, label numeric), cli and
#         jobs (GUI controller) tests, each test process
#         pinned to a CPU of its own (WS_TEST_ONE_CPU, scripts/one_cpu.sh), so that oneTBB starts
#         no worker threads:
#         Debian's libtbb is not TSan-instrumented (see sanitizers/tsan.supp). TSan then checks
#         our own threads: runner callbacks, the CLI's theory and progress threads, the
#         controller's job threads against the GUI thread.
# The presets say what each stage builds and runs (`cmake --build --preset tsan` builds only the
# ws_thread_tests target, `ctest --preset tsan` runs the labels core, cli and jobs).
# A sanitizer report aborts the test that triggered it (halt_on_error), so it fails like any
# test. Every stage runs even after a failure; the last line is a one-line summary and the exit
# status is non-zero if anything failed. WS_TEST_STAGES="ci asan" runs only the named stages.
# Suppressions for third-party libraries live in sanitizers/ (each entry says why).
set -uo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS
jobs=$(nproc)
stages=${WS_TEST_STAGES:-ci package asan tsan}
logdir=build/test-logs
mkdir -p "$logdir"

if ! bash scripts/deps.sh; then
  echo "test.sh: FAILED -- could not install the build dependencies (scripts/deps.sh)"
  exit 1
fi

summary=()
failed=0
# run_stage NAME: configure, build and test one preset; records "NAME ok|FAILED (why) time".
run_stage() {
  local name=$1 t0=$SECONDS log="$logdir/$1.log" status=ok
  echo "=== test.sh: stage $name ==="
  if ! cmake --preset "$name" 2>&1 | tee "$log"; then
    status="FAILED (configure)"
  elif ! cmake --build --preset "$name" -j"$jobs" 2>&1 | tee -a "$log"; then
    status="FAILED (build)"
  elif ! QT_QPA_PLATFORM=offscreen ctest --preset "$name" -j"$jobs" --timeout 900 2>&1 |
      tee -a "$log"; then
    status="FAILED (tests: $(grep -Eo '[0-9]+ tests failed out of [0-9]+' "$log" | tail -n 1))"
  else
    local counts
    counts=$(grep -Eo '[0-9]+ tests failed out of [0-9]+' "$log" | tail -n 1 |
      awk '$6 > 0 {print $6-$1 "/" $6 " tests"}')
    # A preset whose filter matches nothing must not pass quietly.
    if [ -n "$counts" ]; then status="ok ($counts)"; else status="FAILED (no tests ran)"; fi
  fi
  local dt=$((SECONDS - t0))
  [ "${status%% *}" = ok ] || failed=1
  summary+=("$name $status $((dt / 60))m$((dt % 60))s")
  echo "=== test.sh: stage $name: $status ==="
}

# package_stage: the .deb from the ci build (needs the ci stage's build directory).
package_stage() {
  local t0=$SECONDS log="$logdir/package.log" status=ok
  echo "=== test.sh: stage package ==="
  if [ ! -d build/ci ]; then
    status="FAILED (no build/ci: run the ci stage first)"
  elif ! bash scripts/check_package.sh build/ci 2>&1 | tee "$log"; then
    status="FAILED (see $log)"
  fi
  local dt=$((SECONDS - t0))
  [ "${status%% *}" = ok ] || failed=1
  summary+=("package $status $((dt / 60))m$((dt % 60))s")
  echo "=== test.sh: stage package: $status ==="
}

for s in $stages; do
  case $s in
    ci | asan | tsan) run_stage "$s" ;;
    package) package_stage ;;
    *) summary+=("$s FAILED (unknown stage)"); failed=1 ;;
  esac
done

total=$((SECONDS - start))
line=$(IFS=';'; echo "${summary[*]}" | sed 's/;/; /g')
if [ "$failed" = 0 ]; then
  echo "test.sh: PASSED -- $line; total $((total / 60))m$((total % 60))s"
else
  echo "test.sh: FAILED -- $line; total $((total / 60))m$((total % 60))s (logs: $logdir/)"
fi
exit "$failed"
