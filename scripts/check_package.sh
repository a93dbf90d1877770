#!/usr/bin/env bash
# Builds the Debian package from an existing build directory (cpack) and checks it without
# installing it on this system: the file list, the declared dependencies (apt resolves them
# in a simulated install), and that the installed programs run from a scratch root.
#   scripts/check_package.sh build/ci
set -euo pipefail
build=${1:?usage: check_package.sh BUILD_DIR}
cd "$build"
rm -f wignerscope_*.deb
cpack -G DEB >cpack.log 2>&1 || { cat cpack.log; echo "check_package: cpack failed"; exit 1; }
deb=$(ls wignerscope_*.deb)
root=$(mktemp -d); trap 'rm -rf "$root"' EXIT
dpkg-deb -x "$deb" "$root"
fail=0
for f in usr/bin/wignerscope usr/bin/wignerscope-cli \
    usr/share/applications/org.wignerscope.Wignerscope.desktop \
    usr/share/icons/hicolor/scalable/apps/org.wignerscope.Wignerscope.svg \
    usr/share/metainfo/org.wignerscope.Wignerscope.metainfo.xml \
    usr/share/man/man1/wignerscope.1.gz usr/share/man/man1/wignerscope-cli.1.gz \
    usr/share/bash-completion/completions/wignerscope-cli \
    usr/share/wignerscope/presets/bbp-transition.json \
    usr/share/wignerscope/examples/digits_mlp_hidden.npy \
    usr/share/doc/wignerscope/README.md usr/share/doc/wignerscope/docs/model.md; do
  [ -e "$root/$f" ] || { echo "check_package: missing /$f"; fail=1; }
done
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libqt6widgets6 libqcustomplot libtbb12 libopenblas0 liblapacke; do
  grep -q "$lib" <<<"$depends" || { echo "check_package: Depends lacks $lib: $depends"; fail=1; }
done
version=$("$root/usr/bin/wignerscope-cli" --version)
grep -q "$(dpkg-deb -f "$deb" Version)" <<<"$version" ||
  { echo "check_package: installed wignerscope-cli --version says '$version'"; fail=1; }
QT_QPA_PLATFORM=offscreen "$root/usr/bin/wignerscope" --version >/dev/null ||
  { echo "check_package: installed wignerscope --version failed"; fail=1; }
gzip -dc "$root/usr/share/man/man1/wignerscope-cli.1.gz" | grep -q '^\.TH WIGNERSCOPE-CLI' ||
  { echo "check_package: man page broken"; fail=1; }
if command -v apt-get >/dev/null; then
  apt-get install --simulate -qq "./$deb" >apt-simulate.log 2>&1 ||
    { cat apt-simulate.log; echo "check_package: apt cannot resolve the dependencies"; fail=1; }
fi
[ "$fail" = 0 ] && echo "check_package: $deb OK ($(dpkg-deb -c "$deb" | grep -vc '/$') files, Depends: $depends)"
exit "$fail"
