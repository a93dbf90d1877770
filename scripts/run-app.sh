#!/usr/bin/env bash
# Builds (Release) and starts the Wignerscope app. Extra arguments go to the app.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j"$(nproc)" --target wignerscope wignerscope-cli
exec ./build/release/app/wignerscope "$@"
