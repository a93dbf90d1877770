#!/usr/bin/env bash
# one_cpu.sh COMMAND [ARGS...]: runs COMMAND pinned to one allowed CPU that no other one_cpu.sh
# run holds at the moment (a lock file per CPU, held by COMMAND until it exits). The tsan preset
# runs every test through it (WS_TEST_ONE_CPU): oneTBB then sees one core and starts no worker
# threads -- Debian's libtbb is not TSan-instrumented -- while `ctest -jN` still uses N cores.
# (CTest's PROCESSOR_AFFINITY would do this, but Debian 12's CMake has no CPU-affinity support.)
set -u
cpus=()
IFS=, read -ra ranges < <(awk '/^Cpus_allowed_list/ {print $2}' /proc/self/status)
for r in "${ranges[@]}"; do
  if [[ $r == *-* ]]; then
    for ((c = ${r%-*}; c <= ${r#*-}; ++c)); do cpus+=("$c"); done
  else
    cpus+=("$r")
  fi
done
dir=${TMPDIR:-/tmp}/wignerscope-cpu-locks-$(id -u)
mkdir -p "$dir"
while :; do
  for c in "${cpus[@]}"; do
    exec {fd}>"$dir/cpu$c"
    if flock -n "$fd"; then
      exec taskset -c "$c" "$@" # the lock's descriptor stays open in COMMAND
    fi
    exec {fd}>&-
  done
  sleep 0.05
done
