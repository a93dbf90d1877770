#!/usr/bin/env bash
# Builds everything with warnings as errors and runs every test (CTest, Qt Test executables).
# Exits non-zero on any build error or test failure.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
cmake --preset ci
cmake --build --preset ci -j"$(nproc)"
QT_QPA_PLATFORM=offscreen ctest --preset ci -j"$(nproc)" --timeout 900
