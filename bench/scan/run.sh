#!/bin/sh
# Scan speed on real Debian images, and the matching step alone.
#
# usage: bench/scan/run.sh WORK [BUILD_DIR] [FEEDS_DIR]
#   WORK       the image cache of bench/images.sh (built there once, as
#              root, when missing): oci-minbase-1, oci-minbase-4,
#              oci-large-1, oci-large-4 and the large root filesystem
#   BUILD_DIR  the meson build (default: build)
#   FEEDS_DIR  the feed data (default /work/shared/data/feeds): its
#              debian-tracker and nvd directories are imported with
#              `drydock db import` into the database every scan uses
#
# Part 1, full scans, medians of 5 runs each of the wall time and the CPU
# time (bench/timed.py; the CPU affinity is set in the child, as taskset
# would, without a taskset process in the timing):
#   igzip -dc LAYERS >/dev/null   one core (CPU 0): the floor
#   cold, 1 core                  drydock scan --jobs 1 on CPU 0, a fresh
#                                 empty --cache-dir each run
#   cold, 2 cores                 the same, --jobs 2 on CPUs 0 and 1
#   warm                          drydock scan (CPUs 0 and 1, --jobs 2)
#                                 with the layer cache filled by a cold
#                                 scan: every layer comes from the cache
# Part 2, the matching step in-process (match.c, median of 101 runs):
#   database open, drydock_match_inventory, and both, over 1,000 real
#   Debian packages (see README.md for how the set is derived).
# IMAGES="minbase" limits part 1 to the images named.
set -eu
WORK=$1
SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${2:-$SRC/build}
FEEDS=${3:-/work/shared/data/feeds}
case $BUILD in /*) ;; *) BUILD=$PWD/$BUILD ;; esac
DRYDOCK="$BUILD/src/drydock"
. "$SRC/bench/images.sh"
W=$(mktemp -d "${TMPDIR:-/tmp}/drydock-bench-scan.XXXXXX")
trap 'rm -rf "$W"' EXIT

# the matching timer, linked against the library (libarchive, libxml2 and
# libcurl are loaded at run time: lib/util/*dl.c)
# shellcheck disable=SC2046
cc -O2 -std=gnu11 -Wall -Wextra -Werror -I"$SRC/include" -I"$SRC" \
	-I"$BUILD" "$SRC/bench/scan/match.c" -o "$W/match" \
	"$BUILD/libdrydock.a" \
	$(pkg-config --libs sqlite3 jansson libcrypto zlib libzstd yaml-0.1) \
	$(pkg-config --exists libisal && pkg-config --libs libisal) -lpthread -ldl

echo "uptime at start: $(uptime)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "drydock: $("$DRYDOCK" --version 2>/dev/null | head -1), build $BUILD"
echo

build_images

DB="$W/vuln.db"
"$DRYDOCK" db import -q --db "$DB" "$FEEDS/debian-tracker" "$FEEDS/nvd"
echo "database: $FEEDS/debian-tracker + $FEEDS/nvd, $("$DRYDOCK" db info --db "$DB" -f json |
	python3 -c 'import json,sys; i=json.load(sys.stdin); print(i["advisories"], "advisory rows,", i["vulnerabilities"], "vulnerability rows")'), $(($(stat -c %s "$DB") / 1024)) KiB"
echo

scan() { # LAYOUT JOBS CACHE_DIR
	"$DRYDOCK" scan "oci:$1" --db "$DB" --jobs "$2" --cache-dir "$3" \
		-f json -o "$W/report.json"
}
fresh_cache() { rm -rf "$W/cache"; }

echo "Each time: median wall time (median CPU time, user + system, in parentheses)."
echo
echo "| image | layers | gzip MB | packages | findings | igzip -dc 1 core | cold 1 core | cold 2 cores | warm | cold 1 core / igzip | cold 2 cores / igzip |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
FRESH="rm -rf '$W/cache'"
ratio() { echo "$1 / $2" | bc -l; }
for img in ${IMAGES:-minbase large}; do
	for n in 1 4; do
		L="$WORK/oci-$img-$n"
		files=$(layers "$L")
		# shellcheck disable=SC2086
		gz=$(cat $files | wc -c)
		# shellcheck disable=SC2086
		r=$(timed5 "" 0 igzip -dc $files) || exit 1
		# shellcheck disable=SC2086
		set -- $r
		igw=$1 igc=$2
		r=$(timed5 "$FRESH" 0 "$DRYDOCK" scan "oci:$L" --db "$DB" --jobs 1 \
			--cache-dir "$W/cache" -f json -o /dev/null) || exit 1
		# shellcheck disable=SC2086
		set -- $r
		c1w=$1 c1c=$2
		r=$(timed5 "$FRESH" 0,1 "$DRYDOCK" scan "oci:$L" --db "$DB" --jobs 2 \
			--cache-dir "$W/cache" -f json -o /dev/null) || exit 1
		# shellcheck disable=SC2086
		set -- $r
		c2w=$1 c2c=$2
		fresh_cache
		scan "$L" 2 "$W/cache"
		r=$(timed5 "" 0,1 "$DRYDOCK" scan "oci:$L" --db "$DB" \
			--jobs 2 --cache-dir "$W/cache" -f json -o "$W/report.json") || exit 1
		# shellcheck disable=SC2086
		set -- $r
		ww=$1 wc=$2
		# shellcheck disable=SC2046
		set -- $(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(len(r["packages"]), len(r["findings"]))' "$W/report.json")
		printf '| %s | %d | %.0f | %s | %s | %.2f s (%.2f) | %.2f s (%.2f) | %.2f s (%.2f) | %.0f ms (%.0f) | %.2f (%.2f) | %.2f (%.2f) |\n' \
			"$img" "$n" "$(echo "$gz / 1000000" | bc -l)" "$1" "$2" \
			"$igw" "$igc" "$c1w" "$c1c" "$c2w" "$c2c" \
			"$(echo "$ww * 1000" | bc -l)" "$(echo "$wc * 1000" | bc -l)" \
			"$(ratio "$c1w" "$igw")" "$(ratio "$c1c" "$igc")" \
			"$(ratio "$c2w" "$igw")" "$(ratio "$c2c" "$igc")"
	done
done
fresh_cache
r=$(timed5 "" "" "$DRYDOCK" --version) || exit 1
# shellcheck disable=SC2086
set -- $r
# shellcheck disable=SC2016
printf '\nprocess start and exit (`drydock --version`): %.0f ms (%.0f ms CPU)\n' \
	"$(echo "$1 * 1000" | bc -l)" "$(echo "$2 * 1000" | bc -l)"

# Part 2. The package sets: the large image's dpkg status (all its
# entries, as the library's parser reads them), then real (source
# package, version) pairs from the Debian tracker's DSA list (lines
# "[release] - SOURCE VERSION"; entries with no version, such as
# <not-affected>, skipped), in file order (newest advisory first):
#   distinct: the first version of each source name, first 681 names
#   repeated: every distinct (name, version) of the [bullseye] and
#             [buster] lines, first 681 (several versions of one source)
DSA="$FEEDS/debian-tracker/data-DSA-list-2023-04-02"
STATUS="$WORK/large/var/lib/dpkg/status"
awk '/^[ \t]+\[[a-z]+\] - [^ ]+ [^<]/ { if (!seen[$3]++) print $3, $4 }' \
	"$DSA" | head -n 681 >"$W/distinct"
awk '/^[ \t]+\[(bullseye|buster)\] - [^ ]+ [^<]/ { if (!seen[$3 " " $4]++) print $3, $4 }' \
	"$DSA" | head -n 681 >"$W/repeated"
echo
echo "matching step, in-process (median of 101 runs; wall ms, thread CPU ms in parentheses):"
echo
echo "| package set | OS | packages | findings | open | match | open + match |"
echo "|---|---|---:|---:|---:|---:|---:|"
for set in distinct repeated; do
	for v in 12 10; do
		out=$("$W/match" "$DB" debian "$v" 101 "status:$STATUS" "pairs:$W/$set")
		get() { echo "$out" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
		printf '| large status + %s DSA pairs | debian %s | %s | %s | %s (%s) | %s (%s) | %s (%s) |\n' \
			"$set" "$v" "$(get packages)" "$(get findings)" \
			"$(get open_ms)" "$(get open_cpu_ms)" "$(get match_ms)" \
			"$(get match_cpu_ms)" "$(get open_match_ms)" "$(get open_match_cpu_ms)"
	done
done
echo
echo "uptime at end: $(uptime)"
