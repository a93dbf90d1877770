#!/usr/bin/env bash
# Records the outputs of representative wignerscope-cli commands into a directory, so that a
# refactoring can be checked byte for byte against the outputs before it:
#   scripts/golden_outputs.sh OLD_CLI /tmp/before; scripts/golden_outputs.sh NEW_CLI /tmp/after
#   diff -r /tmp/before /tmp/after
# Timings are the only fields that vary between runs: they are blanked ("timing" objects in the
# JSON, the "timing" line of summaries).
set -euo pipefail
cli=$1 out=$2
root="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$out"
strip() { sed -E -e 's/"([a-z_]*_s|seconds)": *[0-9.eE+-]+/"\1": T/g' \
  -e 's/^timing .*/timing T/' -e 's/^(n,.*),[0-9.eE+-]+$/\1,T/'; }
run() {
  local name=$1; shift
  { "$cli" "$@" 2>"$out/$name.stderr" || echo "exit $?" >>"$out/$name.stderr"; } | strip >"$out/$name.out"
  strip <"$out/$name.stderr" >"$out/$name.stderr.tmp" && mv "$out/$name.stderr.tmp" "$out/$name.stderr"
}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
run sample_dense sample --n 300 --bulk uniform:-1,1 --spikes list:4,2.5,1.6 --samples 3 --seed 7 --json -
run sample_banded sample --n 2000 --alpha 0.3 --spikes linear:1.5,4 --samples 2 --seed 3 --json -
run sample_banded_eig sample --n 200 --rank 3 --spikes equal:3 --samples 2 --sampler banded --eigenvalues -
run sample_complex sample --n 200 --noise complex --eigvecs haar --spikes power:4,0.5 --alpha 0.4 --samples 2 --seed 5 --json -
run sample_summary sample --n 400 --noise rademacher --bulk twopoint:-2,2,0.5 --spikes list:3,0.5,-3 --samples 2
run sample_t sample --n 300 --noise student-t:3 --samples 2 --bins 20 --range=-4:5 --json -
run sample_sparse_eig sample --n 100 --noise sparse:0.3 --samples 2 --sampler dense --eigenvalues -
run theory_full theory --n 2000 --bulk uniform:-1,1 --spikes list:4,2.5,1.6 --points 200 --json -
run theory_summary theory --n 1000 --sigma 0.5 --bulk twopoint:-2,2,0.5 --spikes list:0.5
run theory_semi theory --n 500 --bulk semicircle:1 --alpha 0.5 --spikes power:3,1 --points 100 --json -
run sweep_theta sweep --n 300 --param theta --from 0.5 --to 3 --steps 4 --samples 3 --rank-one --json -
run sweep_theta_ov sweep --n 300 --bulk uniform:-1,1 --spikes list:4,2.5,2 --param theta --from 2 --to 4 --steps 3 --samples 2 --overlaps --json -
run sweep_n sweep --param n --from 100 --to 400 --steps 3 --log --samples 2 --spikes equal:2 --csv -
run sweep_alpha sweep --n 400 --spikes linear:1.5,4 --param alpha --from 0.2 --to 0.8 --steps 3 --samples 2 --json -
run sweep_alpha_summary sweep --n 300 --spikes linear:1.5,4 --param alpha --from 0.2 --to 0.8 --steps 3 --samples 2
run rect_sample rect sample --n 200 --c 0.5 --spikes list:4,3,2 --samples 2 --seed 2 --json -
run rect_theory rect theory --n 300 --m 600 --spikes equal:3 --alpha 0.3 --points 100 --squared --json -
run rect_summary rect sample --n 150 --c 2 --spikes list:4,3,2,1.5 --bulk uniform:0,1 --samples 2
run weights_npy weights "$root/resources/weights/digits_mlp_hidden.npy" --json -
run weights_list weights "$root/resources/weights/digits_mlp.safetensors" --list --json -
run weights_summary weights "$root/resources/weights/digits_mlp_hidden.npy"
"$cli" weights "$root/resources/weights/digits_mlp_hidden.npy" --prune auto --out "$tmp/p.npy" >/dev/null 2>&1 || true
sha256sum <"$tmp/p.npy" >"$out/weights_prune.sha256"
run err_n sample --n 1
run err_budget sample --n 5000 --sampler dense --memory-budget 1M
run help --help
