#!/bin/sh
# Atomic database builds: kill -9 during an import leaves the previous
# database intact and queryable; readers during imports always see a
# complete database (the old one or the new one).
set -u
. "$DRYDOCK_SOURCE_ROOT/tests/lib.sh"
A="$D/feeds/alpine-secdb"
DB="$T/vuln.db"
count() { "$DRYDOCK" db info --db "$1" -f json |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["advisories"])'; }

# a big input: the Alpine set 20 times over (file symlinks)
for i in $(seq 1 20); do
	for r in "$A"/*; do
		mkdir -p "$T/big/c$i/${r##*/}"
		for f in "$r"/*; do ln -s "$f" "$T/big/c$i/${r##*/}/${f##*/}"; done
	done
done

"$DRYDOCK" db import -q --db "$DB" "$A/v3.20/main.json" || fail "baseline"
nA=$(count "$DB")
sum0=$(sha256sum <"$DB")

# --- kill -9 in the middle of an import
"$DRYDOCK" db import -q --db "$DB" "$T/big" &
pid=$!
i=0
while ! ls "$T" | grep -q 'vuln.db.tmp-'; do
	i=$((i + 1))
	[ $i -gt 500 ] && fail "the import never started its temporary file"
	sleep 0.01
done
sleep 0.3
kill -9 $pid 2>/dev/null || fail "import finished before the kill"
wait $pid
[ "$(sha256sum <"$DB")" = "$sum0" ] || fail "database changed by a killed import"
[ "$(count "$DB")" = "$nA" ] || fail "database not queryable after kill"
ls "$T" | grep -q 'vuln.db.tmp-' || fail "expected the killed import's temporary file"
# the next import removes the dead writer's file
"$DRYDOCK" db import -q --db "$DB" "$A/v3.20/main.json" || fail "import after kill"
ls "$T" | grep -q 'vuln.db.tmp-' && fail "stale temporary file not removed"

# --- readers during imports: every read sees nA or nB advisories
"$DRYDOCK" db import -q --db "$T/b.db" "$A" || fail "import all"
nB=$(count "$T/b.db")
[ "$nA" != "$nB" ] || fail "sets A and B must differ"
(
	for i in 1 2 3 4 5 6; do
		"$DRYDOCK" db import -q --db "$DB" "$A" || exit 1
		"$DRYDOCK" db import -q --db "$DB" "$A/v3.20/main.json" || exit 1
	done
	touch "$T/writer-done"
) &
wpid=$!
python3 - "$DRYDOCK" "$DB" "$nA" "$nB" "$T/writer-done" <<'PY' || fail "a reader saw a partial database"
import json, os, sqlite3, subprocess, sys
drydock, db, na, nb, done = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
reads = 0
while not os.path.exists(done):
    out = subprocess.run([drydock, "db", "info", "--db", db, "-f", "json"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    n = json.loads(out.stdout)["advisories"]
    assert n in (na, nb), n
    # and the rows themselves, read directly
    c = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    rows = c.execute("select count(*) from advisory").fetchone()[0]
    meta = c.execute("select sum(advisories) from source").fetchone()[0]
    c.close()
    assert rows == meta and rows in (na, nb), (rows, meta)
    reads += 1
assert reads >= 3, reads
print("reads", reads)
PY
wait $wpid || fail "writer failed"
pass
