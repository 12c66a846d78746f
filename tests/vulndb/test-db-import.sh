#!/bin/sh
# drydock db import / db info on real feeds, and bad feeds: a one-line
# error naming the file and the place, exit 2, the database untouched.
set -u
. "$DRYDOCK_SOURCE_ROOT/tests/lib.sh"
A="$D/feeds/alpine-secdb"
DB="$T/db/vuln.db"

# --- Alpine: every secfixes entry of the 41 files is one advisory
"$DRYDOCK" db import -q --db "$DB" "$A" || fail "import alpine: exit $?"
"$DRYDOCK" db info --db "$DB" -f json >"$T/info.json" || fail "db info"
python3 - "$A" "$T/info.json" <<'PY' || fail "alpine counts differ"
import json, os, sys
n = 0
files = 0
for root, _, names in os.walk(sys.argv[1]):
    for f in names:
        if f.endswith(".json"):
            files += 1
            for p in json.load(open(os.path.join(root, f)))["packages"]:
                for ids in p["pkg"].get("secfixes", {}).values():
                    n += len(ids)
info = json.load(open(sys.argv[2]))
src = {s["name"]: s for s in info["sources"]}["alpine-secdb"]
assert files == 41, files
assert info["advisories"] == n, (info["advisories"], n)
assert src["advisories"] == n, (src, n)
assert info["schema_version"] == 1
assert len(src["locations"]) == 1
PY
# spot check, straight from SQLite: openssl in Alpine 3.20 (main.json:
# "3.3.2-r0": ["CVE-2024-6119"]) and a "0" entry (not affected)
python3 - "$DB" "$A/v3.20/main.json" <<'PY' || fail "alpine spot check"
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute("select status, fixed_version, version_type from advisory "
                  "where namespace='alpine:3.20' and package='openssl' "
                  "and vuln_id='CVE-2024-6119'").fetchall()
assert rows == [("fixed", "3.3.2-r0", "apk")], rows
# every "0" entry of the file is not_affected with no fixed version
zero = [(p["pkg"]["name"], i) for p in json.load(open(sys.argv[2]))["packages"]
        for v, ids in p["pkg"].get("secfixes", {}).items() if v == "0"
        for i in ids]
assert zero, "no '0' entries in the file"
for name, i in zero:
    r = db.execute("select status, fixed_version from advisory where "
                   "namespace='alpine:3.20' and package=? and vuln_id=? "
                   "and status='not_affected'", (name, i.split()[0])).fetchall()
    assert r and r[0][1] is None, (name, i, r)
# edge is its own namespace
assert db.execute("select count(*) from advisory where "
                  "namespace='alpine:edge'").fetchone()[0] > 1000
# the lookup index exists
assert db.execute("select count(*) from sqlite_master where type='index' "
                  "and name='advisory_by_package'").fetchone()[0] == 1
PY
"$DRYDOCK" db info --db "$DB" >"$T/info.txt" || fail "db info table"
grep -q '^schema version: *1$' "$T/info.txt" || fail "info: no schema"
grep -q '^alpine-secdb ' "$T/info.txt" || fail "info: no source line"

# --- the default path: $DRYDOCK_DB, else $XDG_CACHE_HOME/drydock/vuln.db
XDG_CACHE_HOME="$T/cache" "$DRYDOCK" db import -q "$A/v3.20/main.json" ||
	fail "import to default path"
[ -f "$T/cache/drydock/vuln.db" ] || fail "no db under XDG_CACHE_HOME"
DRYDOCK_DB="$T/env.db" "$DRYDOCK" db import -q "$A/v3.20/main.json" ||
	fail "import to DRYDOCK_DB"
[ -f "$T/env.db" ] || fail "DRYDOCK_DB not used"

# --- archives: .tar.gz and .zip of the same files give the same counts
(cd "$A" && tar czf "$T/alpine.tar.gz" v3.19 v3.20) || fail "tar"
python3 -c "
import zipfile, os, sys
z = zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED)
for r in ('v3.19', 'v3.20'):
    for f in sorted(os.listdir(os.path.join(sys.argv[2], r))):
        z.write(os.path.join(sys.argv[2], r, f), r + '/' + f)
" "$T/alpine.zip" "$A" || fail "zip"
"$DRYDOCK" db import -q --db "$T/d.db" "$A/v3.19" "$A/v3.20" || fail "dirs"
"$DRYDOCK" db import -q --db "$T/t.db" "$T/alpine.tar.gz" || fail "tar.gz"
"$DRYDOCK" db import -q --db "$T/z.db" "$T/alpine.zip" || fail "zip"
gzip -c "$A/v3.20/main.json" >"$T/main.json.gz"
"$DRYDOCK" db import -q --db "$T/g.db" "$T/main.json.gz" || fail "json.gz"
count() { "$DRYDOCK" db info --db "$1" -f json |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["advisories"])'; }
[ "$(count "$T/d.db")" = "$(count "$T/t.db")" ] || fail "tar.gz count"
[ "$(count "$T/d.db")" = "$(count "$T/z.db")" ] || fail "zip count"
g=$(count "$T/g.db")
w=$(python3 -c 'import json,sys
print(sum(len(i) for p in json.load(open(sys.argv[1]))["packages"]
          for i in p["pkg"].get("secfixes", {}).values()))' "$A/v3.20/main.json")
[ "$g" = "$w" ] || fail "json.gz: $g advisories, file has $w"

# --- bad feeds: exit 2, one line naming the file and the place, db intact
sum0=$(sha256sum "$DB")
bad() { # NAME FILE EXPECTED-TEXT [--format F]
	b_name=$1 b_file=$2 b_want=$3
	shift 3
	expect_exit 2 "$DRYDOCK" db import --db "$DB" "$@" "$b_file"
	expect_one_line_error
	grep -q "$b_want" "$T/err" || fail "$b_name: error lacks '$b_want': $(cat "$T/err")"
	[ "$(sha256sum "$DB")" = "$sum0" ] || fail "$b_name: database changed"
	ls "$T/db" | grep -q 'tmp-' && fail "$b_name: temporary file left"
	return 0
}
# malformed JSON: cut the file in the middle
head -c 40000 "$A/v3.20/main.json" >"$T/cut.json"
bad malformed "$T/cut.json" "'$T/cut.json': invalid JSON at line [0-9]* column" --format alpine-secdb
bad malformed-detected "$T/cut.json" "cut.json': invalid JSON at line"
# wrong format: a text file, and a JSON document of another shape
printf 'hello\n' >"$T/hello.txt"
bad unknown "$T/hello.txt" "'$T/hello.txt': not a feed format"
printf '{"distroversion": "v3.20", "packages": {"x": 1}}\n' >"$T/shape.json"
bad shape "$T/shape.json" "'$T/shape.json': packages: missing or not an array"
printf '{"distroversion":"v3.20","packages":[{"pkg":{"name":"x","secfixes":{"1-r0":[3]}}}]}' >"$T/item.json"
bad item "$T/item.json" "packages\[0\] ('x'): secfixes '1-r0'\[0\]: not a string"
# truncated archive
head -c 30000 "$T/alpine.tar.gz" >"$T/cut.tar.gz"
bad truncated "$T/cut.tar.gz" "'$T/cut.tar.gz'"
head -c 30000 "$T/alpine.zip" >"$T/cut.zip"
bad truncated-zip "$T/cut.zip" "'$T/cut.zip'"
# over the limits: JSON nested deeper than 64 levels; an archive member
# over 64 MiB (zeros compress to a few KiB)
python3 -c 'print("{\"distroversion\":\"v3.20\",\"packages\":" + "[" * 100 + "]" * 100 + "}")' >"$T/deep.json"
bad deep "$T/deep.json" "'$T/deep.json': JSON nested deeper than 64 levels"
python3 - "$T/big.tar.gz" <<'PY'
import io, sys, tarfile
class Z(io.RawIOBase):
    def __init__(self, n): self.n = n
    def readable(self): return True
    def readinto(self, b):
        k = min(len(b), self.n); b[:k] = bytes(k); self.n -= k; return k
with tarfile.open(sys.argv[1], "w:gz") as t:
    ti = tarfile.TarInfo("big.json"); ti.size = 65 * 1024 * 1024
    t.addfile(ti, io.BufferedReader(Z(ti.size)))
PY
bad limit "$T/big.tar.gz" "big.tar.gz:big.json': larger than the limit" --format alpine-secdb
# an unknown --format is a usage error
expect_exit 2 "$DRYDOCK" db import --db "$DB" --format nope "$A"
# a directory without any feed
mkdir "$T/empty"
bad empty "$T/empty" "no feed file"
pass
