#!/bin/sh
# The layer cache, through the user's commands (`drydock scan`, `drydock
# sbom`): four scans at once of images sharing a base, then a second
# round that must read every layer from the cache (the layer blobs are
# deleted first), damaged entries, the size bound (LRU eviction), and
# `drydock cache info|clean`.
set -u
. "$DRYDOCK_SOURCE_ROOT/tests/lib.sh"
FEEDS="$D/feeds/debian-tracker"
C="$T/cache"
# a copy of the layout: its layer blobs are deleted below
cp -r "$D/registry/oci-tiny" "$T/oci"
OCI="$T/oci"

"$DRYDOCK" db import --db "$T/deb.db" \
	"$FEEDS/vunnel-tracker-json-extract.json" \
	"$FEEDS/data-DSA-list-2023-04-02" >/dev/null || fail "db import"

# references without a cache
for t in base app base-v2; do
	"$DRYDOCK" scan "oci:$OCI:$t" --db "$T/deb.db" -f json --no-cache \
		--today 2026-01-01 >"$T/want-$t" 2>"$T/err" || fail "scan $t: $(cat "$T/err")"
	grep -q '"packages"' "$T/want-$t" || fail "no packages in the $t report"
done
cmp -s "$T/want-base" "$T/want-app" && fail "base and app scan the same"

round() { # N: four processes at once, sharing the cache
	pids=""
	i=0
	for t in app base-v2 app base; do
		i=$((i + 1))
		"$DRYDOCK" scan "oci:$OCI:$t" --db "$T/deb.db" -f json \
			--today 2026-01-01 --cache-dir "$C" >"$T/out-$1-$i" 2>"$T/err-$1-$i" &
		pids="$pids $!"
		eval "tag_$i=$t"
	done
	i=0
	for p in $pids; do
		i=$((i + 1))
		wait "$p" || fail "round $1 process $i: $(cat "$T/err-$1-$i")"
		eval "t=\$tag_$i"
		cmp -s "$T/out-$1-$i" "$T/want-$t" || fail "round $1: $t scanned through the cache differs"
	done
}
round 1
"$DRYDOCK" cache info --cache-dir "$C" >"$T/info" || fail "cache info"
# three distinct layers (base, app, updated base) under one analyser key
grep -q '^layers     3$' "$T/info" || fail "cache info: $(cat "$T/info")"

# second round: the layer blobs are gone, so every layer must come from
# the cache (manifests and configs stay)
for l in $(python3 -c '
import json, sys
seen = set()
for m in json.load(open(sys.argv[1] + "/index.json"))["manifests"]:
    d = m["digest"].split(":")[1]
    for layer in json.load(open(sys.argv[1] + "/blobs/sha256/" + d))["layers"]:
        seen.add(layer["digest"].split(":")[1])
print("\n".join(sorted(seen)))' "$OCI"); do
	rm "$OCI/blobs/sha256/$l" || fail "no layer blob $l"
done
expect_exit 2 "$DRYDOCK" scan "oci:$OCI:app" --db "$T/deb.db" --no-cache
round 2
"$DRYDOCK" sbom "oci:$OCI:app" -f json --cache-dir "$C" >"$T/sbom" 2>"$T/err" ||
	fail "sbom from the cache: $(cat "$T/err")"
grep -q '"diff_id"' "$T/sbom" || grep -q 'sha256:' "$T/sbom" || fail "sbom from the cache has no layers"

# a damaged entry is dropped: the image whose layer it held then cannot
# be read (its blob is gone): exit 2 with one line, never a wrong report
for f in $(ls "$C/entries"); do
	printf 'garbage' >"$C/entries/$f"
	break
done
bad=0
for t in base app base-v2; do
	if "$DRYDOCK" scan "oci:$OCI:$t" --db "$T/deb.db" -f json --today 2026-01-01 \
		--cache-dir "$C" >"$T/out" 2>"$T/err"; then
		cmp -s "$T/out" "$T/want-$t" || fail "damaged cache changed $t"
	else
		expect_one_line_error
		bad=$((bad + 1))
	fi
done
[ "$bad" -ge 1 ] || fail "a damaged entry was used"
# with the blobs back, the layer is read again and the cache refilled
rm -rf "$OCI" && cp -r "$D/registry/oci-tiny" "$OCI"
for t in base app base-v2; do
	"$DRYDOCK" scan "oci:$OCI:$t" --db "$T/deb.db" -f json --today 2026-01-01 \
		--cache-dir "$C" >"$T/out" 2>"$T/err" || fail "after damage: $(cat "$T/err")"
	cmp -s "$T/out" "$T/want-$t" || fail "after damage $t differs"
done
"$DRYDOCK" cache info --cache-dir "$C" | grep -q '^layers     3$' || fail "cache not refilled"

# bounded: at most the limit after each insert (entries are ~80 KB)
cp -r "$D/registry/oci-tiny" "$T/oci2"
"$DRYDOCK" cache clean --cache-dir "$C" >"$T/out" || fail "cache clean"
grep -q "removed" "$T/out" || fail "cache clean said: $(cat "$T/out")"
"$DRYDOCK" cache info --cache-dir "$C" | grep -q '^entries    0$' || fail "clean left entries"
[ -z "$(ls "$C/entries")" ] || fail "clean left files"
for t in base app base-v2 app; do
	"$DRYDOCK" scan "oci:$T/oci2:$t" --db "$T/deb.db" -f json --today 2026-01-01 \
		--cache-dir "$C" --cache-size 170K >"$T/out" 2>"$T/err" || fail "bounded: $(cat "$T/err")"
	sed "s|$T/oci2|$T/oci|g" "$T/out" | cmp -s - "$T/want-$t" || fail "bounded cache changed $t"
	b=$("$DRYDOCK" cache info --cache-dir "$C" | awk '/^bytes/ {print $2}')
	[ "$b" -le $((170 * 1024)) ] || fail "cache holds $b bytes, limit 170K"
done
[ "$(ls "$C/entries" | wc -l)" -le 2 ] || fail "evicted files remain: $(ls "$C/entries")"

# flags
expect_exit 2 "$DRYDOCK" scan "oci:$OCI:app" --db "$T/deb.db" --cache-size 12Q
expect_one_line_error
expect_exit 2 "$DRYDOCK" sbom "oci:$OCI:app" --jobs 0
expect_one_line_error
expect_exit 2 "$DRYDOCK" cache info --cache-dir "$C" extra
expect_exit 2 "$DRYDOCK" cache info --cache-dir /proc/none/x
expect_one_line_error
pass
