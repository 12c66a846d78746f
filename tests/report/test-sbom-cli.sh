#!/bin/sh
# drydock sbom end to end on the bundled images. Expected values were
# derived without drydock: package counts and versions with dpkg-query on
# each layer's dpkg status (and grep on the Alpine minirootfs's
# lib/apk/db/installed), digests and diff IDs from the OCI layout's
# index, manifests and configs (see tests/data/report/NOTICE.md).
set -u
. "$DRYDOCK_SOURCE_ROOT/tests/lib.sh"
TINY="oci:$D/images/debian-tiny/oci-tiny:app"
ALPINE="oci-archive:$D/images/oci-layout/alpine-3.20.3-minirootfs.oci-layout.tar"
BASE_DIFF=sha256:c208c78c51aa535a599fede89703a610313dd0ddf0364479b13c10ef526d9b65
APP_DIFF=sha256:9544844fc59e89ff5f3c6e98578c7739a20dbbf6cc409a905bfdab231b742a1e
APP_DIGEST=sha256:396172b01279fa5b54d6b9eaa7619f306659357f2c6515d733f214c1a3c44446

# check FILE PYTHON-EXPRESSIONS...: each expression, with d the document,
# must be true
check() {
	f=$1
	shift
	python3 - "$f" "$@" <<'PY' || fail "check on $f"
import json, sys
d = json.load(open(sys.argv[1]))
def comp(name):
    return [c for c in d["components"] if c["name"] == name][0]
def prop(c, n):
    return [p["value"] for p in c.get("properties", []) if p["name"] == n]
def pkg(name):
    return [p for p in d["packages"] if p["name"] == name][0]
bad = 0
for e in sys.argv[2:]:
    if not eval(e):
        print("false: " + e, file=sys.stderr)
        bad = 1
sys.exit(bad)
PY
}

# CycloneDX of the Debian app image: base (88 packages) + openssl, libssl3
expect_exit 0 "$DRYDOCK" sbom "$TINY"
cp "$T/stdout" "$T/tiny.cdx.json"
check "$T/tiny.cdx.json" \
	'len(d["components"]) == 90 + 1' \
	'd["components"][0]["type"] == "operating-system"' \
	'd["components"][0]["name"] == "debian" and d["components"][0]["version"] == "12"' \
	'comp("openssl")["purl"] == "pkg:deb/debian/openssl@3.0.22-1~deb12u2?arch=amd64&distro=debian-12"' \
	'comp("bsdutils")["purl"] == "pkg:deb/debian/bsdutils@1:2.38.1-5%2Bdeb12u3?arch=amd64&distro=debian-12"' \
	'prop(comp("libssl3"), "drydock:src_name") == ["openssl"]' \
	'prop(comp("bsdutils"), "drydock:src_name") == ["util-linux"]' \
	"prop(comp('openssl'), 'drydock:layer_diff_id') == ['$APP_DIFF']" \
	"prop(comp('libssl3'), 'drydock:layer_diff_id') == ['$APP_DIFF']" \
	"prop(comp('bsdutils'), 'drydock:layer_diff_id') == ['$BASE_DIFF']" \
	"prop(d['metadata']['component'], 'drydock:image:digest') == ['$APP_DIGEST']" \
	"prop(d['metadata']['component'], 'drydock:image:layer_diff_id') == ['$BASE_DIFF', '$APP_DIFF']" \
	'"timestamp" not in d["metadata"]'

# byte-identical run after run, and through -o
expect_exit 0 "$DRYDOCK" sbom "$TINY" -o "$T/again.cdx.json"
[ -s "$T/stdout" ] && fail "-o also wrote to stdout"
cmp "$T/tiny.cdx.json" "$T/again.cdx.json" || fail "two runs differ"

# SPDX: the config's created time, no clock
expect_exit 0 "$DRYDOCK" sbom -f spdx-json "$TINY"
cp "$T/stdout" "$T/tiny.spdx.json"
check "$T/tiny.spdx.json" \
	'd["creationInfo"]["created"] == "2026-11-28T13:57:50Z"' \
	'len(d["packages"]) == 2 + 90'
expect_exit 0 "$DRYDOCK" sbom -f spdx-json "$TINY"
cmp "$T/stdout" "$T/tiny.spdx.json" || fail "two SPDX runs differ"

# both validate against their schemas
python3 "$DRYDOCK_SOURCE_ROOT/tests/report/validate-schema.py" "$D/schemas" \
	"bom-1.5.SNAPSHOT.schema.json:$T/tiny.cdx.json" \
	"spdx-2.3.schema.json:$T/tiny.spdx.json"
r=$?
[ $r = 0 ] || [ $r = 77 ] || fail "the image's SBOMs do not validate"

# drydock JSON; the docker-archive of the same image lists the same
# packages
expect_exit 0 "$DRYDOCK" sbom -f json "$TINY"
cp "$T/stdout" "$T/tiny.json"
check "$T/tiny.json" \
	'd["schema"] == "drydock.sbom/v1"' \
	'd["os"]["family"] == "debian" and d["os"]["codename"] == "bookworm"' \
	'len(d["packages"]) == 90' \
	'pkg("bsdutils")["epoch"] == 1 and pkg("openssl")["epoch"] is None' \
	'pkg("openssl")["version"] == "3.0.22-1~deb12u2"' \
	"d['artifact']['digest'] == '$APP_DIGEST'" \
	'len(d["artifact"]["layers"]) == 2'
expect_exit 0 "$DRYDOCK" sbom -f json "docker-archive:$D/images/debian-tiny/tiny-app.docker.tar"
python3 - "$T/tiny.json" "$T/stdout" <<'PY' || fail "docker-archive and OCI layout differ"
import json, sys
a, b = (json.load(open(f))["packages"] for f in sys.argv[1:3])
for p in a + b:
    p.pop("db_path", None)
sys.exit(0 if a == b else 1)
PY

# table
expect_exit 0 "$DRYDOCK" sbom -f table "$TINY"
grep -q '^packages: 90$' "$T/stdout" || fail "table: no package count"
grep -q '^NAME  *VERSION  *TYPE  *SOURCE  *LAYER$' "$T/stdout" || fail "table: no header"
grep -q '^openssl  *3.0.22-1~deb12u2  *deb  *openssl 3.0.22-1~deb12u2  *9544844fc59e$' "$T/stdout" ||
	fail "table: no openssl row"

# Alpine 3.20.3 minirootfs (OCI archive): 14 packages in lib/apk/db/installed
expect_exit 0 "$DRYDOCK" sbom "$ALPINE"
check "$T/stdout" \
	'len(d["components"]) == 14 + 1' \
	'comp("busybox")["purl"] == "pkg:apk/alpine/busybox@1.36.1-r29?arch=x86_64&distro=alpine-3.20.3"' \
	'comp("busybox")["licenses"] == [{"license": {"name": "GPL-2.0-only"}}]' \
	'comp("alpine")["type"] == "operating-system"'

# --timestamp
expect_exit 0 "$DRYDOCK" sbom --timestamp "$TINY"
check "$T/stdout" 'd["metadata"]["timestamp"].endswith("Z")'

# could not run: exit 2 with a one-line error, no output file
expect_exit 2 "$DRYDOCK" sbom "oci:$T/no-such-dir"
expect_one_line_error
expect_exit 2 "$DRYDOCK" sbom -f cyclonedx-xml "$TINY"
expect_exit 2 "$DRYDOCK" sbom
expect_exit 2 "$DRYDOCK" sbom "$TINY" "$TINY"
expect_exit 2 "$DRYDOCK" sbom "oci:$T/no-such-dir" -o "$T/out.json"
[ -e "$T/out.json" ] && fail "a failed run created its output file"
expect_exit 2 "$DRYDOCK" sbom "$TINY" -o "$T/no/such/dir/out.json"
expect_one_line_error
pass
