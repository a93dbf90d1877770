#!/usr/bin/env bash
# Fuzzes one libFuzzer target (fuzz/fuzz_<target>.cpp) for SECONDS, starting from its committed
# corpus fuzz/corpus/<target>/. Builds the `fuzz` preset (clang, ASan + UBSan) first. New inputs
# collect in build/fuzz/work/<target>; crashes go to build/fuzz/artifacts/. With --merge, the
# committed corpus is then replaced by a minimized merge (-merge=1) of both.
# Usage: bash scripts/fuzz.sh families|session [SECONDS=600] [--merge]
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: scripts/fuzz.sh families|session [SECONDS] [--merge]}
seconds=${2:-600}
merge=${3:-}
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j"$(nproc)" --target "fuzz_$target"
bin=build/fuzz/fuzz/fuzz_$target
work=build/fuzz/work/$target
mkdir -p "$work" build/fuzz/artifacts
# Session files may be nested or long; 8 KiB leaves room for both. -jobs=1: one core only.
"$bin" -max_total_time="$seconds" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="build/fuzz/artifacts/$target-" \
  "$work" "fuzz/corpus/$target"
if [ "$merge" = "--merge" ]; then
  merged=$(mktemp -d)
  "$bin" -merge=1 -max_len=8192 "$merged" "fuzz/corpus/$target" "$work"
  rm -f "fuzz/corpus/$target"/*
  cp "$merged"/* "fuzz/corpus/$target/"
  rm -rf "$merged"
  echo "fuzz: fuzz/corpus/$target now has $(ls "fuzz/corpus/$target" | wc -l) inputs" \
       "($(du -sh "fuzz/corpus/$target" | cut -f1))"
fi
