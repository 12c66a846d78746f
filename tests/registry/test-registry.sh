#!/bin/sh
# lib/registry and `drydock image digest|copy` against real registries
# (Debian docker-registry = distribution 2.8) on 127.0.0.1: plain HTTP,
# TLS with a test CA + htpasswd Basic auth, Bearer tokens from
# token-server.py, a multi-arch index, 429 + Retry-After and a corrupted
# blob through fault-proxy.py. skopeo is the independent client.
set -u
. "$DRYDOCK_SOURCE_ROOT/tests/lib.sh"
command -v docker-registry >/dev/null && command -v skopeo >/dev/null || {
	echo "docker-registry or skopeo missing (scripts/install-deps.sh)"
	exit 77
}
H="$DRYDOCK_SOURCE_ROOT/tests/registry"
LIVE="$DRYDOCK_BUILD_ROOT/tests/registry/registry-live"
OCI="$D/registry/oci-tiny"
# digests of oci-tiny's manifests, from its index.json
BASE=sha256:0516971f0f2574ea1ee87197061fb9c3fab13f6fb0a80906a7b26a8d36182ef1
APP=sha256:396172b01279fa5b54d6b9eaa7619f306659357f2c6515d733f214c1a3c44446
BASE2=sha256:6465dd31d7c80e1824fe2d0766e84b239c3551ea6f30ad60145414a23a454bf2
cleanup() {
	for r in "$T"/r*; do [ -d "$r" ] && "$H/registry.sh" stop "$r"; done
	rm -rf "$T"
}
trap cleanup EXIT
export HOME="$T/home" DOCKER_CONFIG="$T/nodocker"
unset DRYDOCK_REGISTRY_USERNAME DRYDOCK_REGISTRY_PASSWORD || true
mkdir -p "$HOME"
# skopeo needs a policy; the tests use a private one
printf '{"default":[{"type":"insecureAcceptAnything"}]}' >"$T/policy.json"
SK="skopeo --policy $T/policy.json"

## 1. plain HTTP --------------------------------------------------------
P=$("$H/registry.sh" start "$T/r1") || fail "registry start"
R=127.0.0.1:$P
$SK copy -q --dest-tls-verify=false "oci:$OCI:base" "docker://$R/tiny:base" || fail "skopeo push base"
$SK copy -q --dest-tls-verify=false "oci:$OCI:app" "docker://$R/tiny:app" || fail "skopeo push app"
$SK copy -q --dest-tls-verify=false "oci:$OCI:base-v2" "docker://$R/tiny:base-v2" || fail "skopeo push base-v2"

# tag -> digest by HEAD; the registry keeps the OCI manifest bytes
"$DRYDOCK" image digest --insecure "$R/tiny:base" >"$T/out" || fail "image digest: $(cat "$T/out")"
[ "$(cat "$T/out")" = "$BASE" ] || fail "digest of tiny:base: $(cat "$T/out")"
"$DRYDOCK" image digest --insecure "$R/tiny@$APP" >"$T/out" || fail "digest by digest"
[ "$(cat "$T/out")" = "$APP" ] || fail "digest of tiny@app"
expect_exit 2 "$DRYDOCK" image digest --insecure "$R/tiny:nosuchtag"
expect_one_line_error
grep -q "tiny:nosuchtag" "$T/err" || fail "error does not name the ref: $(cat "$T/err")"
expect_exit 2 "$DRYDOCK" image digest --insecure "$R/Tiny:base"
expect_one_line_error
# https to a plain-HTTP registry fails cleanly
expect_exit 2 "$DRYDOCK" image digest "$R/tiny:base"
expect_one_line_error

# a multi-arch index pushed by hand (its bytes are ours; its entries are
# oci-tiny's manifests)
curl -sf -X PUT -H "Content-Type: application/vnd.oci.image.index.v1+json" \
	--data-binary "@$D/registry/index-multiarch.json" \
	"http://$R/v2/tiny/manifests/multi" >/dev/null || fail "push index"
IDX=sha256:$(sha256sum "$D/registry/index-multiarch.json" | cut -d' ' -f1)
"$DRYDOCK" image digest --insecure "$R/tiny:multi" >"$T/out" || fail "index digest"
[ "$(cat "$T/out")" = "$IDX" ] || fail "index digest $(cat "$T/out") != $IDX"
"$DRYDOCK" image digest --insecure --platform linux/arm64 "$R/tiny:multi" >"$T/out" || fail "platform digest"
[ "$(cat "$T/out")" = "$APP" ] || fail "linux/arm64 picked $(cat "$T/out")"
expect_exit 2 "$DRYDOCK" image digest --insecure --platform linux/s390x "$R/tiny:multi"
grep -q "linux/arm/v6" "$T/err" || fail "no list of platforms: $(cat "$T/err")"

# registry -> OCI layout, one platform; then compare with skopeo's copy
"$DRYDOCK" image copy -q --insecure --platform linux/amd64 "$R/tiny:multi" "oci:$T/lay:mine" >"$T/out" 2>"$T/err" ||
	fail "copy to layout: $(cat "$T/err")"
[ "$(cat "$T/out")" = "$BASE" ] || fail "copied $(cat "$T/out")"
for b in "$OCI"/blobs/sha256/*; do
	h=$(basename "$b")
	[ -f "$T/lay/blobs/sha256/$h" ] || continue
	cmp -s "$b" "$T/lay/blobs/sha256/$h" || fail "blob $h differs"
done
$SK inspect --raw "oci:$T/lay:mine" >"$T/raw" || fail "skopeo cannot read our layout"
cmp -s "$T/raw" "$OCI/blobs/sha256/${BASE#sha256:}" || fail "manifest bytes changed"
[ "$(ls "$T/lay/blobs/sha256" | wc -l)" = 3 ] || fail "layout has $(ls "$T/lay/blobs/sha256" | wc -l) blobs, wanted 3 (manifest, config, layer)"

# the whole index, registry -> registry; blobs are mounted across repos
"$DRYDOCK" image copy --insecure --all "$R/tiny:multi" "$R/copy/all:multi" >"$T/out" 2>"$T/err" ||
	fail "copy --all: $(cat "$T/err")"
[ "$(cat "$T/out")" = "$IDX" ] || fail "index digest after copy"
grep -q "mounted from tiny" "$T/err" || fail "no cross-repository mount: $(cat "$T/err")"
$SK inspect --raw --tls-verify=false "docker://$R/copy/all:multi" | cmp -s - "$D/registry/index-multiarch.json" ||
	fail "index bytes differ after copy"
$SK inspect --raw --tls-verify=false "docker://$R/copy/all@$BASE2" >/dev/null || fail "third manifest missing"

# OCI layout -> registry (our push), then OCI archive round trip
"$DRYDOCK" image copy -q --insecure "oci:$OCI:base-v2" "$R/pushed/tiny:v2" >"$T/out" 2>"$T/err" || fail "push: $(cat "$T/err")"
[ "$(cat "$T/out")" = "$BASE2" ] || fail "pushed digest $(cat "$T/out")"
$SK inspect --tls-verify=false "docker://$R/pushed/tiny:v2" >"$T/insp" || fail "skopeo cannot read our push"
grep -q "\"Digest\": \"$BASE2\"" "$T/insp" || fail "skopeo sees another digest"
"$DRYDOCK" image copy -q --insecure --chunk-size 65536 "oci:$OCI:app" "$R/chunked:app" >"$T/out" 2>"$T/err" ||
	fail "chunked push: $(cat "$T/err")"
[ "$(cat "$T/out")" = "$APP" ] || fail "chunked digest"
$SK copy -q --src-tls-verify=false "docker://$R/chunked:app" "oci:$T/back:app" || fail "skopeo pull of chunked push"
cmp -s "$T/back/blobs/sha256/${APP#sha256:}" "$OCI/blobs/sha256/${APP#sha256:}" || fail "chunked push changed bytes"
"$DRYDOCK" image copy -q "oci:$OCI:app" "oci-archive:$T/app.tar:app" >/dev/null 2>"$T/err" || fail "to archive: $(cat "$T/err")"
$SK inspect --raw "oci-archive:$T/app.tar:app" | cmp -s - "$OCI/blobs/sha256/${APP#sha256:}" || fail "archive unreadable by skopeo"
"$DRYDOCK" image digest "oci-archive:$T/app.tar:app" >"$T/out" || fail "digest of archive"
[ "$(cat "$T/out")" = "$APP" ] || fail "archive digest"
"$DRYDOCK" image copy -q --insecure "oci-archive:$T/app.tar:app" "$R/fromarchive:app" >"$T/out" 2>"$T/err" ||
	fail "archive to registry: $(cat "$T/err")"

# the library directly: streaming, chunked upload, mount, tokens, referrers
export LIVE_INSECURE=1
CFG=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["config"]["digest"])' "$OCI/blobs/sha256/${BASE#sha256:}")
"$LIVE" "$R" stream tiny "$CFG" >"$T/out" || fail "stream"
[ "$(cat "$T/out")" = "$(stat -c %s "$OCI/blobs/sha256/${CFG#sha256:}")" ] || fail "streamed size"
head -c 5000 "$OCI/blobs/sha256/${BASE2#sha256:}" "$D/registry/index-multiarch.json" "$OCI/index.json" >"$T/blob"
"$LIVE" "$R" chunked live "$T/blob" >"$T/out" || fail "chunked upload"
"$LIVE" "$R" mount other tiny "$CFG" >"$T/out" || fail "mount"
[ "$(cat "$T/out")" = 1 ] || fail "mount did not mount"
"$LIVE" "$R" referrers tiny "$BASE" >"$T/out" || fail "referrers: $(cat "$T/out")"
grep -q "subject-header 0 listed 1" "$T/out" || fail "referrers fallback: $(cat "$T/out")"
grep -q "filtered 0" "$T/out" || fail "artifactType filter: $(cat "$T/out")"
# the fallback tag exists, named by the tag schema
$SK inspect --raw --tls-verify=false "docker://$R/tiny:sha256-${BASE#sha256:}" | grep -q application/vnd.drydock.test+json ||
	fail "no referrers tag"
# a second artifact is appended, not replacing the first
"$LIVE" "$R" referrers tiny "$BASE" >"$T/out" || fail "referrers again"

# drydock_image_open on a registry reference: layers streamed in parallel
# give the same files as the OCI layout they were pushed from
"$LIVE" - readfs "oci:$OCI:app" >"$T/want" 2>&1 || fail "readfs layout: $(cat "$T/want")"
"$LIVE" - readfs "$R/tiny:app" >"$T/out" 2>&1 || fail "readfs registry: $(cat "$T/out")"
cmp -s "$T/want" "$T/out" || fail "registry read differs: $(cat "$T/out") vs $(cat "$T/want")"
"$LIVE" - readfs "$R/tiny:multi" linux/arm64 >"$T/out" 2>&1 || fail "readfs index: $(cat "$T/out")"
cmp -s "$T/want" "$T/out" || fail "platform read differs: $(cat "$T/out")"

## 2. faults: 429 with Retry-After, and a blob that lies -----------------
PP=$("$H/registry.sh" proxy "$T/r1" "$P" --throttle 2 --retry-after 1 --corrupt "$CFG") || fail "proxy"
start=$(date +%s)
"$LIVE" "127.0.0.1:$PP" retries tiny base >"$T/out" || fail "retries: $(cat "$T/out")"
end=$(date +%s)
[ "$(cat "$T/out")" = "$BASE 2" ] || fail "retries: $(cat "$T/out")"
[ "$(wc -l <"$T/r1/throttled.log")" = 2 ] || fail "proxy throttled $(wc -l <"$T/r1/throttled.log")"
[ $((end - start)) -ge 2 ] || fail "Retry-After not honoured ($((end - start)) s)"
expect_exit 2 "$LIVE" "127.0.0.1:$PP" stream tiny "$CFG"
grep -q "does not match its digest" "$T/err" || fail "corrupt blob accepted: $(cat "$T/err")"
expect_exit 2 "$DRYDOCK" image copy --insecure "127.0.0.1:$PP/tiny:base" "oci:$T/bad"
expect_one_line_error
grep -q "does not match its digest" "$T/err" || fail "copy took a corrupt blob: $(cat "$T/err")"
[ ! -e "$T/bad/blobs/sha256/${CFG#sha256:}" ] || fail "corrupt blob kept"
expect_exit 2 "$LIVE" - readfs "127.0.0.1:$PP/tiny:base"
grep -q "does not match its digest" "$T/err" || fail "image open took a corrupt config: $(cat "$T/err")"
"$H/registry.sh" stop "$T/r1"

## 3. TLS with a test CA, and htpasswd Basic auth ----------------------
P=$("$H/registry.sh" start "$T/r2" --tls --htpasswd alice:wonder) || fail "tls registry"
R=127.0.0.1:$P
CA="$T/r2/certs/ca/ca.crt"
$SK copy -q --dest-cert-dir "$T/r2/certs/ca" --dest-creds alice:wonder "oci:$OCI:base" "docker://$R/tiny:base" || fail "skopeo tls push"
"$DRYDOCK" image digest --ca-file "$CA" --username alice --password wonder "$R/tiny:base" >"$T/out" 2>"$T/err" ||
	fail "tls+basic: $(cat "$T/err")"
[ "$(cat "$T/out")" = "$BASE" ] || fail "tls digest"
expect_exit 2 "$DRYDOCK" image digest --ca-file "$CA" "$R/tiny:base"
expect_one_line_error
grep -q "401" "$T/err" || fail "no 401 without credentials: $(cat "$T/err")"
expect_exit 2 "$DRYDOCK" image digest --ca-file "$CA" --username alice --password wrong "$R/tiny:base"
expect_exit 2 "$DRYDOCK" image digest --username alice --password wonder "$R/tiny:base"
expect_one_line_error
grep -qi "certificate" "$T/err" || fail "untrusted CA not reported: $(cat "$T/err")"
# credentials from the environment, from --password-stdin, from a docker config
DRYDOCK_REGISTRY_USERNAME=alice DRYDOCK_REGISTRY_PASSWORD=wonder \
	"$DRYDOCK" image digest --ca-file "$CA" "$R/tiny:base" >"$T/out" || fail "env credentials"
echo wonder | "$DRYDOCK" image digest --ca-file "$CA" --username alice --password-stdin "$R/tiny:base" >"$T/out" ||
	fail "--password-stdin"
mkdir -p "$T/dc"
printf '{"auths":{"https://%s":{"auth":"%s"}}}' "$R" "$(printf alice:wonder | base64)" >"$T/dc/config.json"
DOCKER_CONFIG="$T/dc" "$DRYDOCK" image digest --ca-file "$CA" "$R/tiny:base" >"$T/out" 2>"$T/err" ||
	fail "docker config credentials: $(cat "$T/err")"
[ "$(cat "$T/out")" = "$BASE" ] || fail "docker config digest"
# push over TLS with Basic
"$DRYDOCK" image copy -q --ca-file "$CA" --username alice --password wonder "oci:$OCI:app" "$R/tiny:app" >"$T/out" 2>"$T/err" ||
	fail "tls push: $(cat "$T/err")"
[ "$(cat "$T/out")" = "$APP" ] || fail "tls push digest"
"$H/registry.sh" stop "$T/r2"

## 4. Bearer tokens ------------------------------------------------------
P=$("$H/registry.sh" start "$T/r3" --token bob:builder) || fail "token registry"
R=127.0.0.1:$P
export DRYDOCK_REGISTRY_USERNAME=bob DRYDOCK_REGISTRY_PASSWORD=builder
"$DRYDOCK" image copy -q --insecure "oci:$OCI:base" "$R/team/tiny:base" >"$T/out" 2>"$T/err" ||
	fail "token push: $(cat "$T/err")"
[ "$(cat "$T/out")" = "$BASE" ] || fail "token push digest"
grep -q "repository:team/tiny:pull,push" "$T/r3/token.count" || fail "no push scope asked: $(cat "$T/r3/token.count")"
$SK inspect --raw --tls-verify=false --creds bob:builder "docker://$R/team/tiny:base" | cmp -s - "$OCI/blobs/sha256/${BASE#sha256:}" ||
	fail "skopeo reads another manifest"
# a token is reused for its scope until it expires: 5 GETs, one token
: >"$T/r3/token.count"
"$LIVE" "$R" gets team/tiny base 5 >"$T/out" || fail "gets: $(cat "$T/out")"
[ "$(cat "$T/out")" = "$BASE" ] || fail "gets digest"
[ "$(wc -l <"$T/r3/token.count")" = 1 ] || fail "tokens fetched: $(wc -l <"$T/r3/token.count")"
unset DRYDOCK_REGISTRY_USERNAME DRYDOCK_REGISTRY_PASSWORD
expect_exit 2 "$DRYDOCK" image digest --insecure "$R/team/tiny:base"
expect_one_line_error
expect_exit 2 "$DRYDOCK" image digest --insecure --username bob --password nope "$R/team/tiny:base"
expect_one_line_error
grep -q "refused the credentials" "$T/err" || fail "bad credentials: $(cat "$T/err")"
pass
