#!/bin/sh
# drydock scan end to end on real data: the Alpine 3.20.3 minirootfs
# against the Alpine secdb snapshot. Checks the sbom: source gives the
# same findings as the image, output is deterministic, --fail-on and the
# ignore file work, and the table/SARIF/CycloneDX writers run.
set -u
. "$DRYDOCK_SOURCE_ROOT/tests/lib.sh"

"$DRYDOCK" db import --db "$T/db" "$D/feeds/alpine-secdb" >/dev/null 2>"$T/err" ||
	fail "db import: $(cat "$T/err")"
mkdir "$T/root"
tar -xzf "$D/images/alpine-minirootfs/alpine-minirootfs-3.20.3-x86_64.tar.gz" \
	-C "$T/root" 2>/dev/null || fail "extract minirootfs"

"$DRYDOCK" scan --db "$T/db" -f json "dir:$T/root" >"$T/a.json" ||
	fail "scan exit $?"
"$DRYDOCK" scan --db "$T/db" -f json "dir:$T/root" >"$T/b.json"
cmp -s "$T/a.json" "$T/b.json" || fail "two runs differ"

# the findings as "package id fixed" lines
findings() {
	python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
for f in d["findings"]:
    print(f["package"], f["id"], f["fixed_version"])' "$1" | sort
}
findings "$T/a.json" >"$T/a.txt"
[ -s "$T/a.txt" ] || fail "no findings in the 3.20.3 minirootfs"
grep -q '^libssl3 CVE-2024-9143 3.3.2-r1$' "$T/a.txt" ||
	fail "missing the openssl fix of 3.3.2-r1: $(cat "$T/a.txt")"

# the SBOM of the same tree, scanned as sbom:, gives the same findings
"$DRYDOCK" sbom -f cyclonedx -o "$T/bom.json" "dir:$T/root" || fail "sbom"
"$DRYDOCK" scan --db "$T/db" -f json "sbom:$T/bom.json" >"$T/s.json" ||
	fail "scan sbom: exit $?"
findings "$T/s.json" >"$T/s.txt"
diff -u "$T/a.txt" "$T/s.txt" || fail "sbom: findings differ from the image's"
"$DRYDOCK" sbom -f spdx-json -o "$T/spdx.json" "dir:$T/root" || fail "sbom spdx"
"$DRYDOCK" scan --db "$T/db" -f json "sbom:$T/spdx.json" >"$T/p.json" ||
	fail "scan sbom:spdx exit $?"
findings "$T/p.json" | diff -u "$T/a.txt" - || fail "SPDX sbom: findings differ"

# the gate: findings here have no vendor severity (unknown)
expect_exit 1 "$DRYDOCK" scan --db "$T/db" --fail-on unknown "dir:$T/root"
expect_exit 0 "$DRYDOCK" scan --db "$T/db" --fail-on critical "dir:$T/root"
# suppressing the id passes the gate; an expired rule does not
printf 'CVE-2024-9143 # fixed upstream, waiting\n' >"$T/ign"
expect_exit 0 "$DRYDOCK" scan --db "$T/db" --fail-on unknown \
	--ignore-file "$T/ign" "dir:$T/root"
printf 'CVE-2024-9143 exp:2020-01-01\n' >"$T/ign2"
expect_exit 1 "$DRYDOCK" scan --db "$T/db" --fail-on unknown \
	--ignore-file "$T/ign2" "dir:$T/root"
"$DRYDOCK" scan --db "$T/db" --ignore-file "$T/ign" --show-suppressed \
	-f json "dir:$T/root" >"$T/sup.json"
python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
assert d["summary"]["suppressed"] >= 1, d["summary"]
assert all("suppressed" in f for f in d["findings"] if f["id"] == "CVE-2024-9143")' \
	"$T/sup.json" || fail "--show-suppressed"
# --ignore-unfixed keeps these (they have a fix)
"$DRYDOCK" scan --db "$T/db" --ignore-unfixed -f json "dir:$T/root" >"$T/u.json"
findings "$T/u.json" | cmp -s - "$T/a.txt" || fail "--ignore-unfixed dropped fixed findings"

# other formats run and are JSON where they should be
for f in sarif cyclonedx; do
	"$DRYDOCK" scan --db "$T/db" -f $f "dir:$T/root" >"$T/out.$f" ||
		fail "-f $f"
	python3 -m json.tool "$T/out.$f" >/dev/null || fail "-f $f is not JSON"
done
"$DRYDOCK" scan --db "$T/db" "dir:$T/root" >"$T/table" || fail "table"
grep -q '^Total: ' "$T/table" || fail "table has no summary line"

# could not run: missing database, bad option, missing image: exit 2
expect_exit 2 "$DRYDOCK" scan --db "$T/nope.db" "dir:$T/root"
expect_one_line_error
expect_exit 2 "$DRYDOCK" scan --db "$T/db" --fail-on severe "dir:$T/root"
expect_exit 2 "$DRYDOCK" scan --db "$T/db" "oci:$T/missing"
expect_one_line_error

# another tool's SBOM (Trivy's CycloneDX and SPDX of the bookworm minbase
# skeleton, tests/data/report/NOTICE.md): the report's packages are the
# 88 that Debian's own dpkg-query printed for that tree, with their source
# names and versions, matched in debian:12
"$DRYDOCK" db import --db "$T/deb.db" \
	"$D/feeds/debian-tracker/vunnel-tracker-json-extract.json" >/dev/null ||
	fail "db import debian"
for doc in trivy-minbase.cdx.json trivy-minbase.spdx.json; do
	"$DRYDOCK" scan --db "$T/deb.db" -f json "sbom:$D/report/peer/$doc" \
		>"$T/peer.json" 2>"$T/err" || fail "scan sbom:$doc: $(cat "$T/err")"
	python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
assert d["os"]["namespace"] == "debian:12", d["os"]
got = sorted((p["name"], p["version"], p["source_name"] or p["name"],
              p["source_version"] or p["version"]) for p in d["packages"])
want = sorted(tuple(l.split("\t")[i] for i in (0, 1, 3, 4))
              for l in open(sys.argv[2]).read().splitlines())
assert got == want, [x for x in got if x not in want][:5] + [x for x in want if x not in got][:5]' \
		"$T/peer.json" "$D/report/minbase/dpkg-query.tsv" || fail "sbom:$doc packages differ from dpkg-query"
done

# the end-of-life check follows --today (3.20 ends 2026-04-01): the same
# image and database give the same report on any day
for day in 2025-01-01:false 2026-04-02:true; do
	"$DRYDOCK" scan --db "$T/db" -f json --today "${day%%:*}" "dir:$T/root" \
		>"$T/eol.json" 2>/dev/null || fail "scan --today ${day%%:*}"
	python3 -c 'import json,sys
o = json.load(open(sys.argv[1]))["os"]
assert o["eol"] == "2026-04-01" and str(o["eol_passed"]).lower() == sys.argv[2], o' \
		"$T/eol.json" "${day##*:}" || fail "eol_passed with --today ${day%%:*}"
done

# base attribution on the debian-tiny images: only the app layer's
# packages (openssl, libssl3) are outside the base
O="$D/images/debian-tiny/oci-tiny"
"$DRYDOCK" scan --db "$T/db" -f json --base "oci:$O:base" "oci:$O:app" \
	>"$T/app.json" || fail "scan app with --base"
python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
notbase = sorted(p["name"] for p in d["packages"] if p["in_base"] is False)
assert notbase == ["libssl3", "openssl"], notbase
assert all(p["in_base"] is True for p in d["packages"] if p["name"] not in notbase)
assert [l["in_base"] for l in d["artifact"]["layers"]] == [True, False]
# the base named by --base, with the digest its index.json gives the tag
idx = json.load(open(sys.argv[2] + "/index.json"))
want = [m["digest"] for m in idx["manifests"]
        if m.get("annotations", {}).get("org.opencontainers.image.ref.name") == "base"]
assert d["artifact"]["base_image"]["digest"] == want[0], (d["artifact"]["base_image"], want)' \
	"$T/app.json" "$O" || fail "in_base attribution"
# without --base and no history boundary: unknown
"$DRYDOCK" scan --db "$T/db" -f json "oci:$O:app" >"$T/app2.json"
python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
assert all(p["in_base"] is None for p in d["packages"])' "$T/app2.json" ||
	fail "in_base should be unknown without --base"
# base-v2 is not the base of app: its second layer differs
expect_exit 2 "$DRYDOCK" scan --db "$T/db" --base "oci:$O:base-v2" "oci:$O:app"
pass
