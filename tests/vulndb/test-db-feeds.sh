#!/bin/sh
# Debian tracker JSON, DSA lists and NVD feeds: record counts equal what
# the upstream files hold (counted here in python, independently of
# drydock), and spot checks of specific records.
set -u
. "$DRYDOCK_SOURCE_ROOT/tests/lib.sh"
F="$D/feeds"
DB="$T/vuln.db"

"$DRYDOCK" db import -q --db "$DB" "$F/debian-tracker" "$F/nvd" ||
	fail "import: exit $?"
"$DRYDOCK" db info --db "$DB" -f json >"$T/info.json" || fail "db info"
python3 - "$F" "$T/info.json" "$DB" <<'PY' || fail "feed counts or spot checks"
import gzip, json, os, re, sqlite3, sys
F, info, dbp = sys.argv[1], json.load(open(sys.argv[2])), sys.argv[3]
src = {s["name"]: s for s in info["sources"]}
db = sqlite3.connect(dbp)
codenames = {"buzz", "rex", "bo", "hamm", "slink", "potato", "woody", "sarge",
             "etch", "lenny", "squeeze", "wheezy", "jessie", "stretch",
             "buster", "bullseye", "bookworm", "trixie", "forky", "duke", "sid"}

# --- Debian tracker JSON: one advisory per (package, CVE, known release)
n = 0
for f in ("vunnel-tracker-json-extract.json", "osvdev-tracker-json-mock.json"):
    for pkg, cves in json.load(open(os.path.join(F, "debian-tracker", f))).items():
        for cve, v in cves.items():
            rel = v.get("releases") or {}
            n += sum(1 for r in rel if r in codenames)
assert src["debian-tracker"]["advisories"] == n, (src["debian-tracker"], n)

# --- DSA lists: per "[release] - pkg version" line of a known release,
# one advisory per CVE of the entry (the DSA itself when none)
n = 0
ids = set()
for f in ("data-DSA-list-2023-04-02", "vunnel-DSA-extract"):
    cves = []
    for line in open(os.path.join(F, "debian-tracker", f)):
        if re.match(r"^\[\d\d \w{3} \d{4}\] ", line):
            cves = []
            ids.add(line.split()[3])
        elif line.strip().startswith("{"):
            cves = line.strip().strip("{}").split()
        elif re.match(r"^\s+\[(\w+)\] - \S+\s+(\S+)", line):
            r, ver = re.match(r"^\s+\[(\w+)\] - \S+\s+(\S+)", line).groups()
            if r not in codenames:
                continue
            if ver.startswith("<") and ver not in ("<not-affected>", "<unfixed>", "<end-of-life>"):
                continue
            n += max(1, len(cves))
assert src["debian-dsa"]["advisories"] == n, (src["debian-dsa"], n)
assert src["debian-dsa"]["vulnerabilities"] == len(ids), (src["debian-dsa"], len(ids))

# spot check: DSA-5365-1, curl in bullseye (debian:11), CVE-2023-23916
rows = db.execute("select status, fixed_version, advisory_id, version_type "
                  "from advisory where namespace='debian:11' and package='curl' "
                  "and vuln_id='CVE-2023-23916'").fetchall()
assert ("fixed", "7.74.0-1.3+deb11u7", "DSA-5365-1", "deb") in rows, rows
t = db.execute("select title, published from vuln where id='DSA-5365-1'").fetchall()
assert t == [("curl - security update", "2023-02-27T00:00:00Z")], t
# a <not-affected> line: "[lenny] - vlc <not-affected>"
assert db.execute("select count(*) from advisory where namespace='debian:5' "
                  "and package='vlc' and status='not_affected'").fetchone()[0] >= 1

# tracker statuses: "0" = not affected, open = affected with no version
r = db.execute("select status, fixed_version from advisory where "
               "namespace='debian:12' and package='apparmor' and "
               "vuln_id='CVE-2014-1424'").fetchall()
assert r == [("not_affected", None)], r
assert db.execute("select count(*) from advisory where status='affected' and "
                  "fixed_version is null and source_id=(select id from source "
                  "where name='debian-tracker')").fetchone()[0] >= 1
# urgency "high**" -> severity high (prototypejs CVE-2008-7220, stretch)
r = db.execute("select status, fixed_version, severity from advisory where "
               "namespace='debian:9' and package='prototypejs' and "
               "vuln_id='CVE-2008-7220'").fetchall()
assert r == [("fixed", "1.6.0.2-1", "high")], r
assert db.execute("select count(*) from advisory where namespace='debian:unstable'"
                  ).fetchone()[0] > 0

# --- NVD: one vulnerability per CVE item, no advisories
items = json.load(gzip.open(os.path.join(F, "nvd", "nvdcve-1.1-modified-2020-03-07.json.gz")))
assert src["nvd-json-1.1"]["vulnerabilities"] == len({i["cve"]["CVE_data_meta"]["ID"] for i in items["CVE_Items"]})
assert src["nvd-json-1.1"]["advisories"] == 0
assert src["nvd-json-1.1"]["feed_time"] == "2020-03-07T23:00:00Z", src["nvd-json-1.1"]
ids = set()
for f in ("claircore-cvss-feed-2025-08-07.json", "vunnel-full-page.json", "vunnel-single-entry.json"):
    ids |= {v["cve"]["id"] for v in json.load(open(os.path.join(F, "nvd", f)))["vulnerabilities"]}
assert src["nvd-api-2.0"]["vulnerabilities"] == len(ids), (src["nvd-api-2.0"], len(ids))
# CVSS spot checks (from the upstream files)
r = db.execute("select rater, version, vector, score, severity from vuln_cvss "
               "where vuln_id='CVE-2011-4661' order by version desc").fetchall()
assert r == [("nvd", "3.1", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", 7.5, "high"),
             ("nvd", "2.0", "AV:N/AC:M/Au:N/C:N/I:N/A:P", 4.3, "medium")], r
r = db.execute("select vector, score from vuln_cvss where vuln_id='CVE-2022-1576' "
               "and rater='nvd' and version='3.1'").fetchall()
assert r == [("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:H/A:N", 6.5)], r
r = db.execute("select published from vuln where id='CVE-2022-1576'").fetchall()
assert r == [("2022-07-11T13:15:08Z",)], r
assert db.execute("select count(*) from vuln_ref where vuln_id='CVE-2011-4661'").fetchone()[0] >= 1
PY

# detection: each file went to the right importer without --format
python3 - "$T/info.json" <<'PY' || fail "sources"
import json, sys
names = sorted(s["name"] for s in json.load(open(sys.argv[1]))["sources"])
assert names == ["debian-dsa", "debian-tracker", "nvd-api-2.0", "nvd-json-1.1"], names
PY

# a DSA list with a broken line: the error names the line
printf '[29 Mar 2023] DSA-5380-1 xorg-server - security update\n\t{CVE-2023-1393}\nnot an entry\n' >"$T/bad-list"
expect_exit 2 "$DRYDOCK" db import --db "$DB" --format debian-dsa "$T/bad-list"
expect_one_line_error
grep -q "'$T/bad-list': line 3: " "$T/err" || fail "dsa error: $(cat "$T/err")"
# an NVD page without its array
printf '{"format": "NVD_CVE", "vulnerabilities": {}}' >"$T/bad-nvd.json"
expect_exit 2 "$DRYDOCK" db import --db "$DB" "$T/bad-nvd.json"
grep -q "vulnerabilities: missing or not an array" "$T/err" || fail "nvd error: $(cat "$T/err")"
pass
