#!/bin/sh
# Red Hat CSAF importer: every RHEL component of every product status
# becomes the advisory python derives here from the upstream document
# (independently of drydock), spot checks of CVE-2024-0727, and one-line
# errors for bad input.
set -u
. "$DRYDOCK_SOURCE_ROOT/tests/lib.sh"
F="$D/feeds/redhat-csaf"
DB="$T/vuln.db"

"$DRYDOCK" db import -q --db "$DB" "$F" || fail "import: exit $?"
"$DRYDOCK" db info --db "$DB" -f json >"$T/info.json" || fail "db info"
python3 - "$F" "$T/info.json" "$DB" <<'PY' || fail "csaf counts or spot checks"
import glob, json, os, re, sqlite3, sys
from urllib.parse import unquote
F, info, dbp = sys.argv[1], json.load(open(sys.argv[2])), sys.argv[3]
src = {s["name"]: s for s in info["sources"]}["redhat-csaf"]
db = sqlite3.connect(dbp)

def products(branches, out):
    for b in branches:
        p = b.get("product")
        if p:
            out[p["product_id"]] = p.get("product_identification_helper", {})
        products(b.get("branches", []), out)
    return out

STATUS = {"fixed": "fixed", "first_fixed": "fixed", "known_affected": "affected",
          "under_investigation": "affected", "known_not_affected": "not_affected"}
want, cves = set(), set()
for f in glob.glob(os.path.join(F, "*.json")):
    d = json.load(open(f))
    prods = products(d["product_tree"]["branches"], {})
    rels = {r["full_product_name"]["product_id"]: r
            for r in d["product_tree"].get("relationships", [])}
    for v in d["vulnerabilities"]:
        cves.add(v["cve"])
        rem = {}
        for r in v.get("remediations", []):
            st = None
            if r["category"] == "no_fix_planned":
                st = "end_of_life" if r["details"] == "Out of support scope" else "will_not_fix"
            elif r["category"] == "none_available":
                st = "fix_deferred" if "eferred" in r["details"] else "affected"
            for p in r.get("product_ids", []):
                if st:
                    rem.setdefault(p, st)
        cand = []
        for key, st0 in STATUS.items():
            for pid in v["product_status"].get(key, []):
                r = rels.get(pid)
                if not r:
                    continue
                cpe = prods.get(r["relates_to_product_reference"], {}).get("cpe", "")
                m = re.match(r"cpe:/[aoh]:redhat:enterprise_linux:(\d+)([:.]|$)", cpe)
                purl = prods.get(r["product_reference"], {}).get("purl", "")
                if not m or not purl.startswith("pkg:rpm/"):
                    continue
                path, _, q = purl.partition("?")
                qs = dict(x.split("=", 1) for x in q.split("&") if "=" in x)
                name, _, ver = path.rpartition("/")[2].partition("@")
                ver = unquote(ver)
                if st0 == "fixed":
                    if not ver:
                        continue
                    if qs.get("epoch", "0") != "0":
                        ver = qs["epoch"] + ":" + ver
                else:
                    ver = ""
                st = rem.get(pid, st0) if st0 == "affected" else st0
                cand.append(("rhel:" + m.group(1), unquote(name), st, ver,
                             qs.get("arch") == "src", v["cve"]))
        srcns = {c[0] for c in cand if c[4]}
        for c in cand:
            if c[0] in srcns and not any(x[:4] == c[:4] and x[4] for x in cand):
                continue
            want.add((c[0], c[1], c[5], c[2], c[3] or None))
got = set(db.execute("select namespace, package, vuln_id, status, "
                     "fixed_version from advisory"))
assert got == want, (sorted(got - want)[:5], sorted(want - got)[:5])
assert src["advisories"] == len(want), (src["advisories"], len(want))
assert src["vulnerabilities"] == len(cves)

# CVE-2024-0727 (openssl), statuses as the upstream document states them
rows = {(r[0], r[1]): r[2:] for r in db.execute(
    "select namespace, package, status, fixed_version, severity, advisory_id"
    " from advisory where vuln_id='CVE-2024-0727'")}
assert rows[("rhel:9", "openssl")] == ("fixed", "1:3.0.7-27.el9", "low",
                                       "RHSA-2024:2447"), rows[("rhel:9", "openssl")]
assert rows[("rhel:8", "openssl")][0] == "fix_deferred"
assert rows[("rhel:7", "openssl")][0] == "end_of_life"
assert rows[("rhel:8", "edk2")][0] == "will_not_fix"
assert rows[("rhel:9", "shim")][0] == "not_affected"
(vec, score), = db.execute("select vector, score from vuln_cvss where "
                           "vuln_id='CVE-2024-0727' and rater='redhat'")
assert (vec, score) == ("CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H", 5.5)
PY

# Bad input: one-line errors naming the file.
printf '{"document": {"category": "csaf_vex"},\n "product_tree": {]}\n' >"$T/bad.json"
expect_exit 2 "$DRYDOCK" db import --db "$DB" --format redhat-csaf "$T/bad.json"
expect_one_line_error
grep -q "bad.json': invalid JSON at line 2 column" "$T/err" || fail "$(cat "$T/err")"
expect_exit 2 "$DRYDOCK" db import --db "$DB" --format redhat-csaf \
	"$D/feeds/osv/go/GO-2020-0001.json"
expect_one_line_error
grep -q "GO-2020-0001.json': not a CSAF document" "$T/err" || fail "$(cat "$T/err")"
printf '{"document": {"category": "csaf_vex"}, "product_tree": {},\n "vulnerabilities": [{"cve": "CVE-1", "product_status": []}]}' >"$T/bad2.json"
expect_exit 2 "$DRYDOCK" db import --db "$DB" "$T/bad2.json"
expect_one_line_error
grep -q "bad2.json': vulnerabilities\[0\] (CVE-1): product_status: not an object" \
	"$T/err" || fail "$(cat "$T/err")"
pass
