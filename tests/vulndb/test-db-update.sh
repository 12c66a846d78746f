#!/bin/sh
# drydock db update against a local HTTP server serving fixture feeds:
# downloads, conditional requests (304), partial changes, retries,
# failures (database untouched), --offline.
set -u
. "$DRYDOCK_SOURCE_ROOT/tests/lib.sh"
A="$D/feeds/alpine-secdb"
DB="$T/db/vuln.db"
W="$T/www"
mkdir -p "$W/alpine" "$W/debian"
cp "$A/v3.19/main.json" "$W/alpine/v3.19-main.json"
cp "$A/v3.20/main.json" "$W/alpine/v3.20-main.json"
cp "$D/feeds/debian-tracker/vunnel-DSA-extract" "$W/debian/DSA-list"

python3 "$DRYDOCK_SOURCE_ROOT/tests/vulndb/feed-server.py" "$W" "$T/port" "$T/log" &
spid=$!
trap 'kill $spid 2>/dev/null; rm -rf "$T"' EXIT
i=0
while [ ! -f "$T/port" ]; do
	i=$((i + 1))
	[ $i -gt 200 ] && fail "feed server did not start"
	sleep 0.05
done
U="http://127.0.0.1:$(cat "$T/port")"
export XDG_CONFIG_HOME="$T/config" # no user config
upd() { "$DRYDOCK" db update --db "$DB" --retries 2 \
	--source "alpine-secdb=$U/alpine/v3.19-main.json" \
	--source "alpine-secdb=$U/alpine/v3.20-main.json" \
	--source "debian-dsa=$U/debian/DSA-list" "$@"; }
nreq() { wc -l <"$T/log"; }
count() { python3 - "$DB" "$1" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(db.execute("select advisories from source where name=?", (sys.argv[2],)).fetchone()[0])
PY
}
secfixes() { python3 -c '
import json, sys
print(sum(len(i) for f in sys.argv[1:] for p in json.load(open(f))["packages"]
          for i in p["pkg"].get("secfixes", {}).values()))' "$@"; }

# --- first update: everything downloaded
upd alpine-secdb debian-dsa 2>"$T/err" || fail "first update: $(cat "$T/err")"
[ "$(grep -c ' 200 ' "$T/log")" = 3 ] || fail "expected 3 downloads: $(cat "$T/log")"
[ "$(count alpine-secdb)" = "$(secfixes "$W/alpine/v3.19-main.json" "$W/alpine/v3.20-main.json")" ] ||
	fail "alpine count after update"
"$DRYDOCK" db info --db "$DB" -f json >"$T/info.json"
python3 - "$T/info.json" "$U" <<'PY' || fail "info after update"
import json, sys
info, u = json.load(open(sys.argv[1])), sys.argv[2]
s = {x["name"]: x for x in info["sources"]}
assert sorted(s) == ["alpine-secdb", "debian-dsa"], sorted(s)
assert s["alpine-secdb"]["locations"] == [u + "/alpine/v3.19-main.json", u + "/alpine/v3.20-main.json"], s
PY
sum1=$(sha256sum <"$DB")

# --- second update: conditional requests, all 304, database untouched
n0=$(nreq)
upd alpine-secdb debian-dsa 2>"$T/err" || fail "second update: $(cat "$T/err")"
grep -q "up to date" "$T/err" || fail "not reported up to date: $(cat "$T/err")"
tail -n +$((n0 + 1)) "$T/log" >"$T/log2"
[ "$(grep -c ' 304 "' "$T/log2")" = 3 ] || fail "expected 3 x 304 with If-None-Match: $(cat "$T/log2")"
[ "$(sha256sum <"$DB")" = "$sum1" ] || fail "database rewritten although nothing changed"

# --- one file changes: its source is re-imported whole (the other file
# from the cache), the other source is kept as it was
cp "$A/v3.21/main.json" "$W/alpine/v3.20-main.json"
n0=$(nreq)
dsa=$(count debian-dsa)
upd alpine-secdb debian-dsa 2>"$T/err" || fail "third update: $(cat "$T/err")"
tail -n +$((n0 + 1)) "$T/log" >"$T/log3"
[ "$(grep -c ' 200 ' "$T/log3")" = 1 ] || fail "expected 1 download: $(cat "$T/log3")"
[ "$(count alpine-secdb)" = "$(secfixes "$A/v3.19/main.json" "$A/v3.21/main.json")" ] ||
	fail "alpine count after the change"
[ "$(count debian-dsa)" = "$dsa" ] || fail "debian-dsa changed"
python3 - "$DB" <<'PY' || fail "namespaces after the change"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
ns = {r[0] for r in db.execute("select distinct namespace from advisory a join source s on a.source_id=s.id where s.name='alpine-secdb'")}
assert ns == {"alpine:3.19", "alpine:3.21"}, ns
PY

# --- retries: two 503s, then the file
n0=$(nreq)
"$DRYDOCK" db update --db "$DB" --retries 3 \
	--source "debian-dsa=$U/flaky/2/debian/DSA-list" debian-dsa 2>"$T/err" ||
	fail "flaky update: $(cat "$T/err")"
tail -n +$((n0 + 1)) "$T/log" >"$T/log4"
[ "$(grep -c ' 503 ' "$T/log4")" = 2 ] || fail "expected two 503: $(cat "$T/log4")"
[ "$(grep -c ' 200 ' "$T/log4")" = 1 ] || fail "expected a 200 after the retries"
grep -q "retrying" "$T/err" || fail "retries not reported"

# --- failures: a 404, and 503s beyond the retries; database untouched
sum2=$(sha256sum <"$DB")
expect_exit 2 "$DRYDOCK" db update --db "$DB" --retries 1 \
	--source "debian-dsa=$U/debian/missing" debian-dsa
tail -n 1 "$T/err" | grep -q "'$U/debian/missing': source 'debian-dsa': HTTP status 404" ||
	fail "404 message: $(cat "$T/err")"
expect_exit 2 "$DRYDOCK" db update --db "$DB" --retries 1 \
	--source "debian-dsa=$U/status/503/debian/DSA-list" debian-dsa
grep -q "HTTP status 503 (after retries)" "$T/err" || fail "503 message: $(cat "$T/err")"
# a download that is not a feed
printf 'not a feed\n' >"$W/junk.txt"
expect_exit 2 "$DRYDOCK" db update --db "$DB" --source "debian-dsa=$U/junk.txt" debian-dsa
grep -q "'$U/junk.txt': line 1: not an advisory line" "$T/err" || fail "junk message: $(cat "$T/err")"
[ "$(sha256sum <"$DB")" = "$sum2" ] || fail "a failed update changed the database"

# --- offline: rebuild from the cache without any request
n0=$(nreq)
rm "$DB"
upd --offline alpine-secdb debian-dsa 2>"$T/err" || fail "offline: $(cat "$T/err")"
[ "$(nreq)" = "$n0" ] || fail "--offline made requests"
[ "$(count alpine-secdb)" = "$(secfixes "$A/v3.19/main.json" "$A/v3.21/main.json")" ] ||
	fail "offline alpine count"
expect_exit 2 "$DRYDOCK" db update --db "$DB" --offline \
	--source "other=$U/never/fetched.json" other
expect_one_line_error
grep -q "not downloaded yet" "$T/err" || fail "offline message: $(cat "$T/err")"

# --- a sources file; bad --source
cat >"$T/feeds.conf" <<CONF
# mirror
alpine-secdb $U/alpine/v3.19-main.json alpine-secdb
debian-tracker off
CONF
"$DRYDOCK" db update --db "$T/c.db" --config "$T/feeds.conf" alpine-secdb 2>"$T/err" ||
	fail "config update: $(cat "$T/err")"
[ "$(DB=$T/c.db; python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select location from source").fetchone()[0])' "$T/c.db")" = "$U/alpine/v3.19-main.json" ] ||
	fail "config URL not used"
expect_exit 2 "$DRYDOCK" db update --db "$DB" --source "nourl" alpine-secdb
expect_exit 2 "$DRYDOCK" db update --db "$DB" --config "$T/feeds.conf" debian-tracker
pass
