#!/bin/sh
# OSV JSON importer: advisory and vulnerability counts equal what the
# upstream records hold (counted here in python, independently of
# drydock), spot checks of records against their upstream files, and
# one-line errors for bad input.
set -u
. "$DRYDOCK_SOURCE_ROOT/tests/lib.sh"
F="$D/feeds/osv"
DB="$T/vuln.db"

"$DRYDOCK" db import -q --db "$DB" "$F" || fail "import: exit $?"
"$DRYDOCK" db info --db "$DB" -f json >"$T/info.json" || fail "db info"
python3 - "$F" "$T/info.json" "$DB" <<'PY' || fail "osv counts or spot checks"
import glob, json, os, sqlite3, sys
F, info, dbp = sys.argv[1], json.load(open(sys.argv[2])), sys.argv[3]
src = {s["name"]: s for s in info["sources"]}["osv"]
db = sqlite3.connect(dbp)

# every record of every file: one file is one record, an array, or an
# osv.dev API response {"vulns": [...]}
recs = []
for f in glob.glob(os.path.join(F, "*", "*.json")):
    d = json.load(open(f))
    if isinstance(d, list):
        recs += d
    elif "vulns" in d and "id" not in d:
        recs += d["vulns"]
    else:
        recs.append(d)
live = [r for r in recs if not r.get("withdrawn")]
assert len(recs) > len(live) > 0
# one advisory per affected package that has a non-GIT range or versions
nadv = 0
for r in live:
    for a in r.get("affected", []):
        p = a.get("package") or {}
        if not p.get("ecosystem") or not p.get("name"):
            continue
        rs = [x for x in a.get("ranges", []) if x["type"] != "GIT"]
        if rs or a.get("versions"):
            nadv += 1
assert src["advisories"] == nadv, (src["advisories"], nadv)
assert src["vulnerabilities"] == len({r["id"] for r in live}), src["vulnerabilities"]
# withdrawn records leave nothing behind
for r in recs:
    if r.get("withdrawn"):
        n = db.execute("select count(*) from advisory where vuln_id=?",
                       (r["id"],)).fetchone()[0]
        n += db.execute("select count(*) from vuln where id=?",
                        (r["id"],)).fetchone()[0]
        assert n == 0, r["id"]

def rows(vid, pkg):
    return db.execute("select namespace, status, version_type, fixed_version,"
                      " ranges, severity, advisory_id from advisory where"
                      " vuln_id=? and package=?", (vid, pkg)).fetchall()

# Go: GO-2023-1512, two packages; the /v2 one has two fixed events
up = json.load(open(os.path.join(F, "go", "GO-2023-1512.json")))
for a in up["affected"]:
    (ns, st, vt, fixed, ranges, sev, adv), = rows("GO-2023-1512",
                                                  a["package"]["name"])
    assert ns == "go" and vt == "semver" and adv == "GO-2023-1512"
    fx = [e["fixed"] for r in a["ranges"] for e in r["events"] if "fixed" in e]
    assert (st, fixed) == (("fixed", fx[0]) if fx else ("affected", None))
    assert json.loads(ranges) == {"ranges": [{"type": r["type"],
        "events": r["events"]} for r in a["ranges"]], "versions": []}, ranges
al = {a for (a,) in db.execute("select alias from vuln_alias where "
                               "vuln_id='GO-2023-1512'")}
assert al == set(up["aliases"]), al

# Rocky: distro ecosystem, rpm, the fixed version as written upstream
up = json.load(open(os.path.join(F, "rocky", "vunnel-RLSA-2023_3220.json")))
a = up["affected"][0]
(ns, st, vt, fixed, _, _, _), = rows(up["id"], a["package"]["name"])
assert (ns, st, vt) == ("rocky:" + a["package"]["ecosystem"].split(":")[1],
                        "fixed", "rpm")
assert fixed == a["ranges"][0]["events"][1]["fixed"], fixed

# Ubuntu: "Ubuntu:22.04:LTS" -> ubuntu:22.04, "Ubuntu:Pro:16.04:LTS" ->
# ubuntu:pro:16.04; the Ubuntu severity
up = json.load(open(os.path.join(F, "ubuntu", "vunnel-USN-5614-1.json")))
got = {(r[0], r[1], r[3]) for r in db.execute(
    "select namespace, package, status, fixed_version from advisory "
    "where vuln_id=?", (up["id"],))}
want = set()
for a in up["affected"]:
    eco = a["package"]["ecosystem"].split(":")
    ns = "ubuntu:pro:" + eco[2] if eco[1] == "Pro" else "ubuntu:" + eco[1]
    fx = [e["fixed"] for r in a.get("ranges", []) for e in r["events"]
          if "fixed" in e]
    want.add((ns, a["package"]["name"], fx[0] if fx else None))
assert got == want, (got, want)
for f in glob.glob(os.path.join(F, "ubuntu", "*.json")):
    up = json.load(open(f))
    us = [s["score"] for s in up.get("severity", []) if s["type"] == "Ubuntu"]
    if up.get("withdrawn") or not us:
        continue
    sev = {s for (s,) in db.execute("select severity from advisory where "
                                    "vuln_id=?", (up["id"],))}
    assert sev <= {us[0].lower()}, (f, sev)

# GHSA: database_specific severity ("MODERATE" -> medium), the CVSS vector
# kept with the rater "ghsa"
norm = {"LOW": "low", "MODERATE": "medium", "HIGH": "high",
        "CRITICAL": "critical"}
n = 0
for f in glob.glob(os.path.join(F, "ghsa", "trivy-db-*.json")):
    up = json.load(open(f))
    s = up.get("database_specific", {}).get("severity")
    for (sev,) in db.execute("select severity from advisory where vuln_id=?",
                             (up["id"],)):
        assert sev == norm[s], (f, sev, s); n += 1
    for sv in up.get("severity", []):
        if sv["type"] == "CVSS_V3":
            (vec,), = db.execute("select vector from vuln_cvss where "
                                 "vuln_id=? and rater='ghsa' and vector "
                                 "like 'CVSS:3%'", (up["id"],))
            assert vec == sv["score"]
assert n > 5
# a record of an osv.dev API response
(ns, st, _, fixed, _, _, _), = rows("GHSA-3mc7-4q67-w48m", "org.yaml:snakeyaml")
assert (ns, st, fixed) == ("maven", "fixed", "1.31")
PY

# Bad input: a one-line error naming the file and the place, exit 2.
printf '{"id": "GO-1",\n "affected": [}\n' >"$T/bad.json"
expect_exit 2 "$DRYDOCK" db import --db "$DB" --format osv "$T/bad.json"
expect_one_line_error
grep -q "bad.json': invalid JSON at line 2 column" "$T/err" || fail "$(cat "$T/err")"
# Another format forced as OSV
expect_exit 2 "$DRYDOCK" db import --db "$DB" --format osv \
	"$D/feeds/nvd/vunnel-single-entry.json"
expect_one_line_error
grep -q "vunnel-single-entry.json': not an OSV record" "$T/err" ||
	fail "$(cat "$T/err")"
# An affected entry of the wrong type
printf '{"id": "GO-1", "modified": "2024-01-01T00:00:00Z", "affected": 3}' \
	>"$T/bad2.json"
expect_exit 2 "$DRYDOCK" db import --db "$DB" "$T/bad2.json"
expect_one_line_error
grep -q "bad2.json': affected: not an array" "$T/err" || fail "$(cat "$T/err")"
pass
