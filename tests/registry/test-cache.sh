#!/bin/sh
# The layer cache: four processes at once on images sharing a base, hits
# on the second round, the size bound (LRU eviction), damaged entries,
# and `drydock cache info|clean`.
set -u
. "$DRYDOCK_SOURCE_ROOT/tests/lib.sh"
LIVE="$DRYDOCK_BUILD_ROOT/tests/registry/registry-live"
OCI="$D/registry/oci-tiny"
C="$T/cache"

# references without a cache
for t in base app base-v2; do
	"$LIVE" - readfs "oci:$OCI:$t" >"$T/want-$t" 2>"$T/err" || fail "readfs $t: $(cat "$T/err")"
done
cmp -s "$T/want-base" "$T/want-app" && fail "base and app read the same"

round() { # N: four processes at once, sharing the cache
	pids=""
	i=0
	for t in app base-v2 app base; do
		i=$((i + 1))
		LIVE_CACHE_DIR="$C" "$LIVE" - readfs "oci:$OCI:$t" >"$T/out-$1-$i" 2>"$T/err-$1-$i" &
		pids="$pids $!"
		eval "tag_$i=$t"
	done
	i=0
	for p in $pids; do
		i=$((i + 1))
		wait "$p" || fail "round $1 process $i: $(cat "$T/err-$1-$i")"
		eval "t=\$tag_$i"
		cmp -s "$T/out-$1-$i" "$T/want-$t" || fail "round $1: $t read through the cache differs"
	done
}
round 1
"$DRYDOCK" cache info --cache-dir "$C" >"$T/info" || fail "cache info"
# three distinct layers (base, app, updated base) under one analyser key
grep -q '^layers     3$' "$T/info" || fail "cache info: $(cat "$T/info")"
round 2
# second round: every layer from the cache
for i in 1 2 3 4; do
	grep -q "misses 0" "$T/err-2-$i" || fail "round 2 missed: $(cat "$T/err-2-$i")"
done

# a damaged entry is dropped and the layer read again, correctly
f=$(ls "$C/entries" | head -1)
printf 'garbage' >"$C/entries/$f"
LIVE_CACHE_DIR="$C" "$LIVE" - readfs "oci:$OCI:app" >"$T/out" 2>"$T/err" || fail "after damage: $(cat "$T/err")"
cmp -s "$T/out" "$T/want-app" || fail "damaged entry changed the result"

# bounded: at most the limit after each insert (entries are ~80 KB)
"$DRYDOCK" cache clean --cache-dir "$C" >"$T/out" || fail "cache clean"
grep -q "removed" "$T/out" || fail "cache clean said: $(cat "$T/out")"
"$DRYDOCK" cache info --cache-dir "$C" | grep -q '^entries    0$' || fail "clean left entries"
[ -z "$(ls "$C/entries")" ] || fail "clean left files"
for t in base app base-v2 app; do
	LIVE_CACHE_DIR="$C" LIVE_CACHE_SIZE=170K "$LIVE" - readfs "oci:$OCI:$t" >"$T/out" 2>"$T/err" || fail "bounded: $(cat "$T/err")"
	cmp -s "$T/out" "$T/want-$t" || fail "bounded cache changed $t"
	b=$("$DRYDOCK" cache info --cache-dir "$C" | awk '/^bytes/ {print $2}')
	[ "$b" -le $((170 * 1024)) ] || fail "cache holds $b bytes, limit 170K"
done
[ "$(ls "$C/entries" | wc -l)" -le 2 ] || fail "evicted files remain: $(ls "$C/entries")"
expect_exit 2 "$DRYDOCK" cache info --cache-dir "$C" extra
expect_exit 2 "$DRYDOCK" cache info --cache-dir /proc/none/x
expect_one_line_error
pass
