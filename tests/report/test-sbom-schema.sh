#!/bin/sh
# drydock's CycloneDX output validates against the CycloneDX 1.5 JSON
# schema and its SPDX output against the SPDX 2.3 JSON schema
# (tests/data/schemas, see NOTICE.md there), for every fixture, with and
# without a timestamp. A broken validator is caught by documents that
# must fail.
set -u
. "$DRYDOCK_SOURCE_ROOT/tests/lib.sh"
V="$DRYDOCK_SOURCE_ROOT/tests/report/validate-schema.py"
S="$D/schemas"
python3 "$V" "$S" bom-1.5.SNAPSHOT.schema.json /dev/null 2>/dev/null
[ $? = 77 ] && { echo "skip: python3-jsonschema missing"; exit 77; }
n=0
for fx in minbase alpine rhel; do
	for ts in "" timestamp; do
		"$SBOM_FIXTURE" $fx cyclonedx $ts >"$T/cdx.json" || fail "fixture $fx"
		python3 "$V" "$S" bom-1.5.SNAPSHOT.schema.json "$T/cdx.json" ||
			fail "$fx: CycloneDX output does not validate"
		"$SBOM_FIXTURE" $fx spdx-json $ts >"$T/spdx.json" || fail "fixture $fx"
		python3 "$V" "$S" spdx-2.3.schema.json "$T/spdx.json" ||
			fail "$fx: SPDX output does not validate"
		n=$((n + 2))
	done
done
# the validators reject what they should
sed 's/"specVersion": "1.5"/"specVersion": 15/' "$T/cdx.json" >"$T/bad.json"
python3 "$V" "$S" bom-1.5.SNAPSHOT.schema.json "$T/bad.json" 2>/dev/null &&
	fail "a CycloneDX document with a numeric specVersion validated"
sed 's/"type": "library"/"type": "lib"/' "$T/cdx.json" >"$T/bad.json"
cmp -s "$T/bad.json" "$T/cdx.json" && fail "no component to break"
python3 "$V" "$S" bom-1.5.SNAPSHOT.schema.json "$T/bad.json" 2>/dev/null &&
	fail "a CycloneDX component of type 'lib' validated"
sed 's/"SPDXID": "SPDXRef-DOCUMENT"/"SPDXID": ["x"]/' "$T/spdx.json" >"$T/bad.json"
python3 "$V" "$S" spdx-2.3.schema.json "$T/bad.json" 2>/dev/null &&
	fail "an SPDX document with an array SPDXID validated"
# the peer's documents validate too (the schemas are not too strict)
python3 "$V" "$S" bom-1.5.SNAPSHOT.schema.json "$D/report/peer/trivy-minbase.cdx.json" ||
	fail "Trivy's CycloneDX does not validate"
echo "$n documents valid"
pass
