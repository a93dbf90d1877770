#!/usr/bin/env bash
# Installs the Debian 12 packages Wignerscope needs to build, test and run (only the missing
# ones). Run as root (or with sudo available). GCC's sanitizer runtimes (ASan, UBSan, TSan) come
# with build-essential; the presets build with Ninja (ninja-build). giflib and FFmpeg's libraries
# export animations; Open MPI runs the CLI on a cluster; zlib reads compressed .npz files;
# dpkg-dev computes the .deb's dependencies (CPack). `--fuzz` adds clang and its libFuzzer
# runtime (scripts/fuzz.sh). Real package names only (a virtual one, e.g. libqt6svg6-dev, never
# shows as installed).
set -euo pipefail
PKGS=(build-essential cmake ninja-build pkg-config
      qt6-base-dev qt6-base-dev-tools qt6-svg-dev libgl-dev libqcustomplot-dev
      libeigen3-dev libtbb-dev libopenblas-dev liblapacke-dev nlohmann-json3-dev
      python3-numpy xvfb xauth
      libgif-dev libavcodec-dev libavformat-dev libavutil-dev libswscale-dev
      libopenmpi-dev openmpi-bin dpkg-dev zlib1g-dev)
if [ "${1:-}" = "--fuzz" ]; then
  PKGS+=(clang libclang-rt-14-dev)
fi
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "deps: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
