#!/bin/sh
# Ubuntu USN OVAL and Red Hat OVAL v2 importers: advisory and
# vulnerability counts equal what python's own XML parser derives from
# the upstream definitions (independently of drydock), spot checks of
# USN-6100-1 and RHSA-2019:0972, and one-line errors for bad input.
set -u
. "$DRYDOCK_SOURCE_ROOT/tests/lib.sh"
F="$D/feeds"
DB="$T/vuln.db"

"$DRYDOCK" db import -q --db "$DB" "$F/ubuntu-oval" "$F/redhat-oval" ||
	fail "import: exit $?"
"$DRYDOCK" db info --db "$DB" -f json >"$T/info.json" || fail "db info"
python3 - "$F" "$T/info.json" "$DB" <<'PY' || fail "oval counts or spot checks"
import glob, json, os, sqlite3, sys
import xml.etree.ElementTree as ET
F, info, dbp = sys.argv[1], json.load(open(sys.argv[2])), sys.argv[3]
srcs = {s["name"]: s for s in info["sources"]}
db = sqlite3.connect(dbp)
D = "{http://oval.mitre.org/XMLSchema/oval-definitions-5}"

def expect(path, test_tag, adv_src):
    """(advisories, vulnerability ids, feed timestamp) of one file."""
    root = ET.parse(path).getroot()
    items = {}
    for sec in ("tests", "objects", "states", "variables"):
        for e in root.find(D + sec):
            items[e.get("id")] = e
    nadv, ids = 0, set()
    for d in root.find(D + "definitions"):
        if d.get("class") != "patch":
            continue
        md = d.find(D + "metadata")
        refs = md.findall(D + "reference")
        cves = [r.get("ref_id") for r in refs if r.get("source") == "CVE"]
        adv = [r.get("ref_id") for r in refs if r.get("source") == adv_src]
        if not cves and not (adv and adv[0].startswith(adv_src)):
            continue
        ids.update(adv[:1])
        a = md.find(D + "advisory")
        ids.update(c.text for c in a.findall(D + "cve"))
        pairs = set()
        for c in d.iter(D + "criterion"):
            t = items.get(c.get("test_ref"))
            if t is None or not t.tag.endswith("}" + test_tag):
                continue
            o = s = None
            for ch in t:
                o = items.get(ch.get("object_ref")) if ch.get("object_ref") else o
                s = items.get(ch.get("state_ref")) if ch.get("state_ref") else s
            if o is None or s is None:
                continue
            evr = [e for e in s if e.tag.endswith("}evr") and
                   e.get("operation") == "less than"]
            if not evr:
                continue
            nm = [e for e in o if e.tag.endswith("}name")][0]
            if nm.get("var_ref"):
                names = [v.text for v in items[nm.get("var_ref")]]
            else:
                names = [nm.text]
            pairs.update((n, evr[0].text) for n in names)
        nadv += len(pairs) * (len(cves) or 1)
    ts = root.find(D + "generator").find(
        "{http://oval.mitre.org/XMLSchema/oval-common-5}timestamp").text
    return nadv, ids, ts

for name, pattern, tag, ref in (
        ("ubuntu-oval", "ubuntu-oval/*.xml", "dpkginfo_test", "USN"),
        ("redhat-oval", "redhat-oval/*.xml", "rpminfo_test", "RHSA")):
    (path,) = glob.glob(os.path.join(F, pattern))
    nadv, ids, ts = expect(path, tag, ref)
    s = srcs[name]
    assert s["advisories"] == nadv > 0, (name, s["advisories"], nadv)
    assert s["vulnerabilities"] == len(ids), (name, s["vulnerabilities"], len(ids))
    assert s["feed_time"] == ts + "Z", (s["feed_time"], ts)

# USN-6100-1: one binary, the state's evr without its 0: epoch, medium
(ns, pkg, vid, st, vt, fixed, sev), = db.execute(
    "select namespace, package, vuln_id, status, version_type, fixed_version,"
    " severity from advisory where advisory_id='USN-6100-1'")
assert (ns, pkg, vid, st, vt, fixed, sev) == ("ubuntu:22.04",
    "libhtml-stripscripts-perl", "CVE-2023-24038", "fixed", "deb",
    "1.06-1ubuntu0.22.04.1", "medium")
(vec, score), = db.execute("select vector, score from vuln_cvss where "
                           "vuln_id='CVE-2023-24038' and rater='ubuntu'")
assert (vec, score) == ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", 7.5)
(title,), = db.execute("select title from vuln where id='USN-6100-1'")
assert title == "USN-6100-1 -- HTML::StripScripts vulnerability"

# RHSA-2019:0972: six binaries of openwsman, evr kept as written, Important
rows = set(db.execute("select namespace, package, vuln_id, fixed_version, "
                      "severity from advisory where advisory_id='RHSA-2019:0972'"))
assert rows == {("rhel:8", p, "CVE-2019-3816", "0:2.6.5-5.el8", "high") for p in
                ("openwsman-debugsource", "libwsman1", "openwsman-python3",
                 "openwsman-server", "openwsman-client", "libwsman-devel")}, rows
# a bug fix advisory that fixes CVEs counts, under those CVEs
(path,) = glob.glob(os.path.join(F, "redhat-oval", "*.xml"))
for d in ET.parse(path).getroot().find(D + "definitions"):
    refs = d.find(D + "metadata").findall(D + "reference")
    if refs[0].get("ref_id") == "RHBA-2019:4268":
        want = {r.get("ref_id") for r in refs if r.get("source") == "CVE"}
got = {v for (v,) in db.execute("select vuln_id from advisory where "
                                "advisory_id='RHBA-2019:4268'")}
assert got == want and want, (got, want)
PY

# Bad input: one-line errors naming the file and the place.
printf '<?xml version="1.0"?>\n<oval_definitions>\n<definitions>\n</oval_definitions>\n' >"$T/bad.xml"
expect_exit 2 "$DRYDOCK" db import --db "$DB" --format ubuntu-oval "$T/bad.xml"
expect_one_line_error
grep -q "bad.xml': invalid XML at line 4 column" "$T/err" || fail "$(cat "$T/err")"
printf '<?xml version="1.0"?>\n<feed/>\n' >"$T/other.xml"
expect_exit 2 "$DRYDOCK" db import --db "$DB" --format redhat-oval "$T/other.xml"
expect_one_line_error
grep -q "other.xml': line 2: not an OVAL definitions document" "$T/err" ||
	fail "$(cat "$T/err")"
expect_exit 2 "$DRYDOCK" db import --db "$DB" --format redhat-oval \
	"$D/feeds/osv/go/GO-2020-0001.json"
expect_one_line_error
grep -q "GO-2020-0001.json': invalid XML at line 1 column 1" "$T/err" ||
	fail "$(cat "$T/err")"
pass
