#!/bin/sh
# Differential benchmark of drydock's version ordering against the real
# tools: COUNT (default 1,000,000) generated pairs each for deb (dpkg's
# libdpkg through tests/version/dpkg-oracle, a sample re-checked with
# `dpkg --compare-versions`) and rpm (python3-rpm rpm.labelCompare),
# reporting agreement and comparisons per second of each side, and
# drydock's apk rate on the apk vectors repeated to COUNT; then the
# library's in-process rate (bench-lib.c) on each vector file.
# Usage: bench/version/run.sh [BUILD_DIR] [COUNT]    (BUILD_DIR: build)
set -eu
cd "$(dirname "$0")/../.."
build=${1:-build}
count=${2:-1000000}
export DRYDOCK="$PWD/$build/src/drydock"
export DRYDOCK_TEST_DATA="$PWD/tests/data"
py=/usr/bin/python3
[ -x "$py" ] || py=python3
oracle="$PWD/$build/tests/version/dpkg-oracle"
[ -x "$oracle" ] || { echo "no $oracle: install libdpkg-dev and rebuild" >&2; exit 2; }
echo "== deb"
"$py" tests/version/diff_oracle.py deb "$count" 1 --bench \
	--dpkg-oracle="$oracle" || true
echo "== rpm"
"$py" tests/version/diff_oracle.py rpm "$count" 1 --bench || true
echo "== apk (drydock only: no apk-tools on Debian)"
tmp=$(mktemp)
trap 'rm -f "$tmp" "$tmp.lib"' EXIT
n=$(wc -l <tests/data/vectors/apk.tsv)
i=0
while [ $((i * n)) -lt "$count" ]; do
	cut -f1,2 tests/data/vectors/apk.tsv
	i=$((i + 1))
done | head -n "$count" >"$tmp"
start=$(date +%s.%N)
"$DRYDOCK" version compare --type apk --quiet <"$tmp" >/dev/null
end=$(date +%s.%N)
echo "$count $start $end" | awk '{ printf "drydock: %.3f s, %.0f comparisons/s (one process, stdin)\n", $3 - $2, $1 / ($3 - $2) }'
echo "== library, in-process (bench-lib.c on the vector pairs)"
cc -O2 -Iinclude -I. -o "$tmp.lib" bench/version/bench-lib.c \
	lib/version/*.c lib/util/error.c
for t in deb apk rpm; do
	"$tmp.lib" "$t" "tests/data/vectors/$t.tsv"
done
rm -f "$tmp.lib"
