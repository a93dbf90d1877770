#!/usr/bin/env bash
# Fuzzes one libFuzzer target (fuzz/fuzz_<target>.cpp) for SECONDS, starting from its committed
# corpus fuzz/corpus/<target>/. Builds the `fuzz` preset (clang, ASan + UBSan) first. New inputs
# collect in build/fuzz/work/<target>; crashes go to build/fuzz/artifacts/. With --merge, the
# inputs that add coverage are then merged (-merge=1) into the committed corpus (the named
# hand-written seeds stay).
# Usage: bash scripts/fuzz.sh families|session|npy|safetensors|text [SECONDS=600] [--merge]
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: scripts/fuzz.sh families|session|npy|safetensors|text [SECONDS] [--merge]}
seconds=${2:-600}
merge=${3:-}
bash scripts/deps.sh --fuzz
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j"$(nproc)" --target "fuzz_$target"
bin=build/fuzz/fuzz/fuzz_$target
work=build/fuzz/work/$target
mkdir -p "$work" build/fuzz/artifacts
# Session files may be nested or long; 8 KiB leaves room for both (and for small weight files
# with a few tensors). -jobs=1: one core only.
"$bin" -max_total_time="$seconds" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="build/fuzz/artifacts/$target-" \
  "$work" "fuzz/corpus/$target"
if [ "$merge" = "--merge" ]; then
  "$bin" -merge=1 -max_len=8192 "fuzz/corpus/$target" "$work"
  echo "fuzz: fuzz/corpus/$target now has $(ls "fuzz/corpus/$target" | wc -l) inputs" \
       "($(du -sh --apparent-size "fuzz/corpus/$target" | cut -f1))"
fi
