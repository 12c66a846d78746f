#!/bin/sh
# OSV YAML importer (pypa/advisory-database): counts equal what the
# upstream files hold (counted here with python's yaml module,
# independently of drydock), a spot check against its file, and
# one-line errors for bad input.
set -u
. "$DRYDOCK_SOURCE_ROOT/tests/lib.sh"
F="$D/feeds/osv-yaml"
DB="$T/vuln.db"

"$DRYDOCK" db import -q --db "$DB" "$F" || fail "import: exit $?"
"$DRYDOCK" db info --db "$DB" -f json >"$T/info.json" || fail "db info"
python3 - "$F" "$T/info.json" "$DB" <<'PY' || fail "osv-yaml counts or spot checks"
import glob, json, os, sqlite3, sys, yaml
F, info, dbp = sys.argv[1], json.load(open(sys.argv[2])), sys.argv[3]
src = {s["name"]: s for s in info["sources"]}["osv-yaml"]
db = sqlite3.connect(dbp)
recs = [yaml.safe_load(open(f)) for f in glob.glob(os.path.join(F, "*", "*.yaml"))]
live = [r for r in recs if not r.get("withdrawn")]
assert len(recs) > len(live) > 0
nadv = sum(1 for r in live for a in r.get("affected", [])
           if [x for x in a.get("ranges", []) if x["type"] != "GIT"]
           or a.get("versions"))
assert src["advisories"] == nadv, (src["advisories"], nadv)
assert src["vulnerabilities"] == len(live), src["vulnerabilities"]

# PYSEC-2021-335: a GIT range (dropped) and an ECOSYSTEM range with two
# introduced/fixed pairs; versions as strings
up = yaml.safe_load(open(os.path.join(F, "accesscontrol", "PYSEC-2021-335.yaml")))
a = up["affected"][0]
(ns, pkg, st, vt, fixed, ranges), = db.execute(
    "select namespace, package, status, version_type, fixed_version, ranges"
    " from advisory where vuln_id=?", (up["id"],))
eco = [r for r in a["ranges"] if r["type"] == "ECOSYSTEM"][0]
assert (ns, pkg, st, vt) == ("pypi", a["package"]["name"], "fixed", "ecosystem")
assert fixed == [e["fixed"] for e in eco["events"] if "fixed" in e][0]
assert json.loads(ranges) == {"ranges": [{"type": "ECOSYSTEM",
    "events": eco["events"]}], "versions": a["versions"]}, ranges
al = {x for (x,) in db.execute("select alias from vuln_alias where vuln_id=?",
                               (up["id"],))}
assert al == set(up["aliases"]), al
(pub, mod, desc), = db.execute("select published, modified, description"
                               " from vuln where id=?", (up["id"],))
assert (pub, mod, desc) == (up["published"], up["modified"], up["details"])
PY

# Bad input: one-line errors naming the file and the line.
printf 'id: PYSEC-1\nmodified: "2021"\naffected:\n- package: [\n' >"$T/bad.yaml"
expect_exit 2 "$DRYDOCK" db import --db "$DB" --format osv-yaml "$T/bad.yaml"
expect_one_line_error
grep -q "bad.yaml': invalid YAML at line 5 column" "$T/err" || fail "$(cat "$T/err")"
printf 'id: &a PYSEC-1\nmodified: *a\naffected: []\n' >"$T/alias.yaml"
expect_exit 2 "$DRYDOCK" db import --db "$DB" --format osv-yaml "$T/alias.yaml"
expect_one_line_error
grep -q "alias.yaml': line 2 column 11: YAML aliases are not supported" \
	"$T/err" || fail "$(cat "$T/err")"
# deeper than the nesting limit
python3 -c "print('id: X'); print('modified: a'); print('affected: ' + '['*100 + ']'*100)" >"$T/deep.yaml"
expect_exit 2 "$DRYDOCK" db import --db "$DB" --format osv-yaml "$T/deep.yaml"
expect_one_line_error
grep -q "deep.yaml': line 3: YAML nested deeper" "$T/err" || fail "$(cat "$T/err")"
# another format forced as OSV YAML (JSON is YAML: an Alpine secdb file
# parses, but is no OSV record)
expect_exit 2 "$DRYDOCK" db import --db "$DB" --format osv-yaml \
	"$D/feeds/alpine-secdb/v3.20/main.json"
expect_one_line_error
grep -q "main.json': not an OSV record" "$T/err" || fail "$(cat "$T/err")"
pass
