#!/bin/sh
# Vulnerability database benchmarks: import rate (records per second) of
# every feed directory of the shared data set, the size on disk of each
# database and of one holding them all, and the time to open the database
# and answer one package lookup.
#
# usage: bench/vulndb/run.sh [FEEDS_DIR] [BUILD_DIR]
#   FEEDS_DIR defaults to /work/shared/data/feeds (see its SOURCES.md).
# Each import is run 3 times; the median is reported. Feed directories no
# built importer recognises are listed as skipped.
set -eu
SRC=$(cd "$(dirname "$0")/../.." && pwd)
FEEDS=${1:-/work/shared/data/feeds}
BUILD=${2:-$SRC/build}
DRYDOCK=$BUILD/src/drydock
W=$(mktemp -d "${TMPDIR:-/tmp}/drydock-bench-vulndb.XXXXXX")
trap 'rm -rf "$W"' EXIT

# the lookup timer, linked against the library (libarchive, libxml2 and
# libcurl are loaded at run time: lib/util/*dl.c)
cc -O2 -std=gnu11 -I"$SRC/include" -I"$SRC" -I"$BUILD" \
	"$SRC/bench/vulndb/lookup.c" -o "$W/lookup" \
	-Wl,--whole-archive "$BUILD/libdrydock.a" -Wl,--no-whole-archive \
	$(pkg-config --libs sqlite3 jansson libcrypto zlib libzstd yaml-0.1) \
	$(pkg-config --exists libisal && pkg-config --libs libisal) -lpthread -ldl

median3() { sort -n | sed -n 2p; }
now() { date +%s.%N; }

printf '| feed | files | input MB | records | import s | records/s | db MB |\n'
printf '|---|---:|---:|---:|---:|---:|---:|\n'
ok=""
for d in "$FEEDS"/*/; do
	name=$(basename "$d")
	files=$(find "$d" -type f | wc -l)
	mb=$(du -sm --apparent-size "$d" | cut -f1)
	: >"$W/times"
	failed=0
	for i in 1 2 3; do
		rm -f "$W/$name.db"
		t0=$(now)
		if ! "$DRYDOCK" db import -q --db "$W/$name.db" "$d" 2>"$W/err"; then
			failed=1
			break
		fi
		t1=$(now)
		echo "$t1 - $t0" | bc -l >>"$W/times"
	done
	if [ $failed = 1 ]; then
		printf '| %s | %s | %s | skipped: %s | | | |\n' "$name" "$files" "$mb" \
			"$(sed 's/|/\\|/g' "$W/err" | head -c 100)"
		continue
	fi
	ok="$ok $d"
	t=$(median3 <"$W/times")
	recs=$("$DRYDOCK" db info --db "$W/$name.db" -f json |
		python3 -c 'import json,sys; print(sum(s["records"] for s in json.load(sys.stdin)["sources"]))')
	size=$(stat -c %s "$W/$name.db")
	printf '| %s | %s | %s | %s | %.3f | %.0f | %.1f |\n' "$name" "$files" "$mb" \
		"$recs" "$t" "$(echo "$recs / $t" | bc -l)" "$(echo "$size / 1048576" | bc -l)"
done

# all feeds in one database
rm -f "$W/all.db"
t0=$(now)
# shellcheck disable=SC2086
"$DRYDOCK" db import -q --db "$W/all.db" $ok
t1=$(now)
recs=$("$DRYDOCK" db info --db "$W/all.db" -f json |
	python3 -c 'import json,sys; i=json.load(sys.stdin); print(sum(s["records"] for s in i["sources"]), i["advisories"], i["vulnerabilities"])')
set -- $recs
printf '\nall importable feeds in one database: %s records (%s advisory rows, %s vulnerability rows), import %.2f s, %.1f MB on disk\n' \
	"$1" "$2" "$3" "$(echo "$t1 - $t0" | bc -l)" "$(echo "$(stat -c %s "$W/all.db") / 1048576" | bc -l)"
# re-import one source into the full database (copy of the others)
t0=$(now)
"$DRYDOCK" db import -q --db "$W/all.db" "$FEEDS/alpine-secdb"
t1=$(now)
printf 're-import alpine-secdb into it (other sources copied): %.2f s\n' "$(echo "$t1 - $t0" | bc -l)"

echo
echo "lookup of (alpine:3.20, openssl) in the full database:"
"$W/lookup" "$W/all.db" alpine:3.20 openssl 201
echo "lookup of (debian:11, linux) in the full database:"
"$W/lookup" "$W/all.db" debian:11 linux 201
t0=$(now)
"$DRYDOCK" db info --db "$W/all.db" >/dev/null
t1=$(now)
printf '`drydock db info` process, start to exit: %.1f ms\n' "$(echo "($t1 - $t0) * 1000" | bc -l)"
