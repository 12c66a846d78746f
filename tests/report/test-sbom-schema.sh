#!/bin/sh
# drydock's CycloneDX output validates against the CycloneDX 1.5 JSON
# schema and its SPDX output against the SPDX 2.3 JSON schema
# (tests/data/schemas, see NOTICE.md there), for every fixture, with and
# without a timestamp. Documents broken on purpose must fail, so that a
# validator that accepts everything is caught.
set -u
. "$DRYDOCK_SOURCE_ROOT/tests/lib.sh"
V="$DRYDOCK_SOURCE_ROOT/tests/report/validate-schema.py"
CDX=bom-1.5.SNAPSHOT.schema.json
SPDX=spdx-2.3.schema.json
checks=""
for fx in minbase alpine rhel; do
	for ts in "" timestamp; do
		"$SBOM_FIXTURE" $fx cyclonedx $ts >"$T/$fx$ts.cdx.json" || fail "fixture $fx"
		"$SBOM_FIXTURE" $fx spdx-json $ts >"$T/$fx$ts.spdx.json" || fail "fixture $fx"
		checks="$checks $CDX:$T/$fx$ts.cdx.json $SPDX:$T/$fx$ts.spdx.json"
	done
done
c="$T/minbase.cdx.json"
s="$T/minbase.spdx.json"
sed 's/"specVersion": "1.5"/"specVersion": 15/' "$c" >"$T/bad1.json"
sed 's/"type": "library"/"type": "lib"/' "$c" >"$T/bad2.json"
sed 's/"SPDXID": "SPDXRef-DOCUMENT"/"SPDXID": ["x"]/' "$s" >"$T/bad3.json"
sed 's/"OPERATING_SYSTEM"/"OPERATING-SYSTEM"/' "$s" >"$T/bad4.json"
for i in 1 2 3 4; do
	cmp -s "$T/bad$i.json" "$c" && fail "bad$i.json was not changed"
	cmp -s "$T/bad$i.json" "$s" && fail "bad$i.json was not changed"
done
# the peer's CycloneDX validates too: the schemas are not too strict
checks="$checks $CDX:$D/report/peer/trivy-minbase.cdx.json"
checks="$checks !$CDX:$T/bad1.json !$CDX:$T/bad2.json !$SPDX:$T/bad3.json"
checks="$checks !$SPDX:$T/bad4.json"
# shellcheck disable=SC2086
python3 "$V" "$D/schemas" $checks
r=$?
[ $r = 77 ] && { echo "skip: python3-jsonschema missing"; exit 77; }
[ $r = 0 ] || fail "schema validation"
pass
