#!/bin/sh
# `drydock image attach` and `drydock image referrers` against a real
# Debian docker-registry (distribution 2.8: no referrers API, so the
# tag-schema fallback of distribution-spec v1.1 is what runs). What the
# registry holds is checked with curl and jq, independently of drydock.
set -u
. "$DRYDOCK_SOURCE_ROOT/tests/lib.sh"
for p in docker-registry skopeo curl jq; do
	command -v $p >/dev/null || {
		echo "$p missing (scripts/install-deps.sh)"
		exit 77
	}
done
H="$DRYDOCK_SOURCE_ROOT/tests/registry"
OCI="$D/registry/oci-tiny"
# digest of oci-tiny's "base" manifest, from its index.json
BASE=sha256:0516971f0f2574ea1ee87197061fb9c3fab13f6fb0a80906a7b26a8d36182ef1
EMPTY=sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a
SBOM=application/vnd.example.sbom.v1+json
SIG=application/vnd.example.signature.v1
cleanup() {
	[ -d "$T/r1" ] && "$H/registry.sh" stop "$T/r1"
	rm -rf "$T"
}
trap cleanup EXIT
export HOME="$T/home" DOCKER_CONFIG="$T/nodocker"
unset DRYDOCK_REGISTRY_USERNAME DRYDOCK_REGISTRY_PASSWORD || true
mkdir -p "$HOME"
printf '{"default":[{"type":"insecureAcceptAnything"}]}' >"$T/policy.json"
P=$("$H/registry.sh" start "$T/r1") || fail "registry start"
R=127.0.0.1:$P
skopeo --policy "$T/policy.json" copy -q --dest-tls-verify=false "oci:$OCI:base" "docker://$R/tiny:base" ||
	fail "skopeo push base"
ACC="application/vnd.oci.image.manifest.v1+json,application/vnd.oci.image.index.v1+json"
get() { # PATH: GET from the registry, body on stdout
	curl -sf -H "Accept: $ACC" "http://$R/v2/$1"
}

# the files: real data of the test tree (an SBOM-like JSON, a text file)
mkdir -p "$T/f"
cp "$OCI/index.json" "$T/f/sbom.json"
cp "$D/registry/NOTICE.md" "$T/f/notes.txt"

## 1. attach two files by tag ------------------------------------------
"$DRYDOCK" image attach --insecure "$R/tiny:base" --artifact-type "$SBOM" \
	--media-type application/json -a org.example.tool=drydock \
	--annotation "org.example.note=a b=c" "$T/f/sbom.json" "$T/f/notes.txt" >"$T/out" 2>"$T/err" ||
	fail "attach: $(cat "$T/err")"
A1=$(cat "$T/out")
case "$A1" in sha256:????????????????????????????????????????????????????????????????) ;; *) fail "attach printed '$A1'" ;; esac

# the artifact manifest, fetched by digest, hashes to the digest printed
get "tiny/manifests/$A1" >"$T/a1.json" || fail "artifact manifest not in the registry"
[ "sha256:$(sha256sum <"$T/a1.json" | cut -d' ' -f1)" = "$A1" ] || fail "manifest bytes do not hash to $A1"
jq -e --arg at "$SBOM" --arg base "$BASE" --arg empty "$EMPTY" '
	.schemaVersion == 2 and
	.mediaType == "application/vnd.oci.image.manifest.v1+json" and
	.artifactType == $at and
	.config == {mediaType: "application/vnd.oci.empty.v1+json", digest: $empty, size: 2} and
	.subject.digest == $base and
	.subject.mediaType == "application/vnd.oci.image.manifest.v1+json" and
	(.layers | length) == 2 and
	([.layers[].mediaType] | unique) == ["application/json"] and
	[.layers[].annotations["org.opencontainers.image.title"]] == ["sbom.json", "notes.txt"] and
	.annotations == {"org.example.tool": "drydock", "org.example.note": "a b=c"}
' "$T/a1.json" >/dev/null || fail "artifact manifest: $(cat "$T/a1.json")"
# subject size: the subject manifest's bytes
[ "$(jq .subject.size "$T/a1.json")" = "$(stat -c %s "$OCI/blobs/sha256/${BASE#sha256:}")" ] || fail "subject size"
# layer digests and sizes are the files'
for i in 0 1; do
	f=$(jq -r ".layers[$i].annotations[\"org.opencontainers.image.title\"]" "$T/a1.json")
	[ "$(jq -r ".layers[$i].digest" "$T/a1.json")" = "sha256:$(sha256sum <"$T/f/$f" | cut -d' ' -f1)" ] ||
		fail "layer $i digest is not sha256 of $f"
	[ "$(jq ".layers[$i].size" "$T/a1.json")" = "$(stat -c %s "$T/f/$f")" ] || fail "layer $i size"
	# the blob itself is there, byte for byte
	curl -sf "http://$R/v2/tiny/blobs/$(jq -r ".layers[$i].digest" "$T/a1.json")" | cmp -s - "$T/f/$f" ||
		fail "blob of $f differs"
done
[ "$(curl -sf "http://$R/v2/tiny/blobs/$EMPTY")" = "{}" ] || fail "empty config blob missing"
# no creation time unless asked: the same inputs give the same digest
jq -e '.annotations["org.opencontainers.image.created"] == null' "$T/a1.json" >/dev/null || fail "created added"

# the fallback tag sha256-<hex> holds an OCI index listing the artifact
get "tiny/manifests/sha256-${BASE#sha256:}" >"$T/idx.json" || fail "no fallback referrers tag"
jq -e --arg d "$A1" --arg at "$SBOM" --arg sz "$(stat -c %s "$T/a1.json")" '
	.schemaVersion == 2 and
	.mediaType == "application/vnd.oci.image.index.v1+json" and
	(.manifests | length) == 1 and
	.manifests[0].digest == $d and
	.manifests[0].size == ($sz | tonumber) and
	.manifests[0].mediaType == "application/vnd.oci.image.manifest.v1+json" and
	.manifests[0].artifactType == $at and
	.manifests[0].annotations == {"org.example.tool": "drydock", "org.example.note": "a b=c"}
' "$T/idx.json" >/dev/null || fail "fallback index: $(cat "$T/idx.json")"

## 2. referrers ------------------------------------------------------
"$DRYDOCK" image referrers --insecure "$R/tiny:base" >"$T/out" 2>"$T/err" || fail "referrers: $(cat "$T/err")"
[ "$(wc -l <"$T/out")" = 2 ] || fail "referrers table: $(cat "$T/out")"
head -1 "$T/out" | grep -q "^DIGEST  *ARTIFACT TYPE  *SIZE  *TITLE$" || fail "table header: $(head -1 "$T/out")"
sed -n 2p "$T/out" | grep -q "^$A1  *$SBOM  *$(stat -c %s "$T/a1.json")  *-$" || fail "table row: $(cat "$T/out")"
"$DRYDOCK" image referrers --insecure -f json "$R/tiny@$BASE" >"$T/out" 2>"$T/err" || fail "referrers json: $(cat "$T/err")"
jq -e --arg d "$A1" '[.manifests[].digest] == [$d]' "$T/out" >/dev/null || fail "referrers json: $(cat "$T/out")"

## 3. a second artifact, by digest, without files --------------------
"$DRYDOCK" image attach --insecure "$R/tiny@$BASE" --artifact-type "$SIG" >"$T/out" 2>"$T/err" ||
	fail "second attach: $(cat "$T/err")"
A2=$(cat "$T/out")
[ "$A2" != "$A1" ] || fail "second artifact has the first's digest"
get "tiny/manifests/$A2" >"$T/a2.json" || fail "second manifest missing"
# no file: the empty descriptor is the only layer; no annotations
jq -e --arg empty "$EMPTY" '.layers == [{mediaType: "application/vnd.oci.empty.v1+json", digest: $empty, size: 2}] and
	.annotations == null and .artifactType == "application/vnd.example.signature.v1"' "$T/a2.json" >/dev/null ||
	fail "file-less artifact: $(cat "$T/a2.json")"
get "tiny/manifests/sha256-${BASE#sha256:}" >"$T/idx.json" || fail "fallback tag gone"
jq -e --arg a "$A1" --arg b "$A2" '([.manifests[].digest] | sort) == ([$a, $b] | sort)' "$T/idx.json" >/dev/null ||
	fail "fallback index after two attaches: $(cat "$T/idx.json")"
"$DRYDOCK" image referrers --insecure "$R/tiny:base" >"$T/out" || fail "referrers after two"
[ "$(wc -l <"$T/out")" = 3 ] || fail "two referrers expected: $(cat "$T/out")"
grep -q "^$A2  *$SIG  " "$T/out" || fail "second not listed: $(cat "$T/out")"
# --artifact-type filters
"$DRYDOCK" image referrers --insecure --artifact-type "$SIG" -f json "$R/tiny:base" >"$T/out" || fail "filter"
jq -e --arg d "$A2" '[.manifests[].digest] == [$d]' "$T/out" >/dev/null || fail "filter $SIG: $(cat "$T/out")"
"$DRYDOCK" image referrers --insecure --artifact-type "$SBOM" "$R/tiny:base" >"$T/out" || fail "filter table"
[ "$(wc -l <"$T/out")" = 2 ] && grep -q "^$A1 " "$T/out" || fail "filter $SBOM: $(cat "$T/out")"
# attaching the same thing again adds nothing
"$DRYDOCK" image attach --insecure "$R/tiny:base" --artifact-type "$SIG" >"$T/out" || fail "re-attach"
[ "$(cat "$T/out")" = "$A2" ] || fail "same inputs, another digest"
get "tiny/manifests/sha256-${BASE#sha256:}" | jq -e '.manifests | length == 2' >/dev/null || fail "duplicate listed"

## 4. no referrers: exit 0, the header only; json an empty index ------
skopeo --policy "$T/policy.json" copy -q --dest-tls-verify=false "oci:$OCI:app" "docker://$R/tiny:app" ||
	fail "skopeo push app"
"$DRYDOCK" image referrers --insecure "$R/tiny:app" >"$T/out" 2>"$T/err" || fail "empty referrers exit"
[ "$(wc -l <"$T/out")" = 1 ] && grep -q "^DIGEST" "$T/out" || fail "empty table: $(cat "$T/out")"
"$DRYDOCK" image referrers --insecure -f json "$R/tiny:app" >"$T/out" || fail "empty json exit"
jq -e '.manifests == [] and .mediaType == "application/vnd.oci.image.index.v1+json"' "$T/out" >/dev/null ||
	fail "empty json: $(cat "$T/out")"

## 5. bad input: exit 2, one line, nothing pushed ---------------------
expect_exit 2 "$DRYDOCK" image attach --insecure "$R/tiny:base" --artifact-type "$SBOM" "$T/f/nosuchfile"
expect_one_line_error
grep -q "nosuchfile" "$T/err" || fail "missing file not named: $(cat "$T/err")"
expect_exit 2 "$DRYDOCK" image attach --insecure "$R/tiny:nosuchtag" --artifact-type "$SBOM" "$T/f/sbom.json"
expect_one_line_error
grep -q "nosuchtag" "$T/err" || fail "unknown ref not named: $(cat "$T/err")"
expect_exit 2 "$DRYDOCK" image attach --insecure "$R/tiny:base" --artifact-type "$SBOM" -a novalue "$T/f/sbom.json"
expect_one_line_error
grep -q "'novalue'" "$T/err" || fail "bad annotation not named: $(cat "$T/err")"
expect_exit 2 "$DRYDOCK" image attach --insecure "$R/tiny:base" --artifact-type "$SBOM" -a k=1 -a k=2 "$T/f/sbom.json"
expect_one_line_error
expect_exit 2 "$DRYDOCK" image attach --insecure "$R/tiny:base" --artifact-type "not a type" "$T/f/sbom.json"
expect_one_line_error
expect_exit 2 "$DRYDOCK" image attach --insecure "$R/tiny:base" "$T/f/sbom.json"
expect_one_line_error
grep -q "artifact-type" "$T/err" || fail "missing --artifact-type: $(cat "$T/err")"
mkdir -p "$T/g"
cp "$T/f/sbom.json" "$T/g/sbom.json"
expect_exit 2 "$DRYDOCK" image attach --insecure "$R/tiny:base" --artifact-type "$SBOM" "$T/f/sbom.json" "$T/g/sbom.json"
expect_one_line_error
expect_exit 2 "$DRYDOCK" image attach --insecure "$R/tiny:base" --artifact-type "$SBOM" "$T/f"
expect_one_line_error
expect_exit 2 "$DRYDOCK" image attach --insecure "oci:$OCI:base" --artifact-type "$SBOM" "$T/f/sbom.json"
expect_one_line_error
expect_exit 2 "$DRYDOCK" image referrers --insecure "$R/tiny:nosuchtag"
expect_one_line_error
grep -q "nosuchtag" "$T/err" || fail "referrers of unknown ref: $(cat "$T/err")"
expect_exit 2 "$DRYDOCK" image referrers --insecure -f yaml "$R/tiny:base"
expect_one_line_error
# none of the failures reached the index
get "tiny/manifests/sha256-${BASE#sha256:}" | jq -e '.manifests | length == 2' >/dev/null || fail "a failed attach changed the index"
pass
