#!/bin/sh
# Image sources on real images: every expected value comes from an
# independent route (tar, sha256sum, jq on the manifests), never from
# drydock itself.
set -u
. "$DRYDOCK_SOURCE_ROOT/tests/lib.sh"
. "$DRYDOCK_SOURCE_ROOT/tests/image/layout.sh"
TOOL="$DRYDOCK_BUILD_ROOT/tests/image/drydock-test-tool"
I="$D/images"

# expect_file REF PATH SHA256 [JOBS]: the visible PATH has content SHA256
expect_file() {
	"$TOOL" -z "${ZLIB:-0}" -j "${4:-0}" get "$1" "$2" >"$T/get" 2>"$T/err" ||
		fail "get $1 $2: $(cat "$T/err")"
	got=$(cut -d' ' -f5 "$T/get")
	[ "$got" = "$3" ] || fail "$1 $2: sha256 $got, expected $3 ($(cat "$T/get"))"
}
# expect_absent REF PATH
expect_absent() {
	"$TOOL" get "$1" "$2" >"$T/get" 2>"$T/err" || fail "get $1: $(cat "$T/err")"
	[ "$(cat "$T/get")" = "$2 -" ] || fail "$1 $2: expected absent, got $(cat "$T/get")"
}
# expect_layer REF PATH LAYER: the visible PATH comes from layer LAYER
expect_layer() {
	"$TOOL" get "$1" "$2" >"$T/get" 2>"$T/err" || fail "get $1: $(cat "$T/err")"
	[ "$(cut -d' ' -f2 "$T/get")" = "$3" ] || fail "$1 $2: layer $(cat "$T/get"), expected $3"
}
sha() { sha256sum | cut -d' ' -f1; }

# Alpine minirootfs: as dir:, and repacked as OCI layouts (gzip as
# published, plain, zstd, multi-member gzip).
for v in 3.9.6 3.12.12 3.16.9 3.20.3; do
	tgz="$I/alpine-minirootfs/alpine-minirootfs-$v-x86_64.tar.gz"
	r="$T/root-$v"
	mkdir -p "$r" && tar -xzf "$tgz" -C "$r" || fail "extract $v"
	os=$(sha <"$r/etc/os-release")
	db=$(sha <"$r/lib/apk/db/installed")
	expect_file "dir:$r" etc/os-release "$os"
	expect_file "dir:$r" lib/apk/db/installed "$db"
	expect_file "$r" lib/apk/db/installed "$db"
	oci_layout "$T/oci-$v" gzip "$tgz"
	expect_file "oci:$T/oci-$v" etc/os-release "$os"
	expect_file "oci:$T/oci-$v" lib/apk/db/installed "$db"
	expect_file "$T/oci-$v" lib/apk/db/installed "$db"
done
v=3.20.3
tgz="$I/alpine-minirootfs/alpine-minirootfs-$v-x86_64.tar.gz"
db=$(sha <"$T/root-$v/lib/apk/db/installed")
# symlink in the root: etc/os-release -> ../usr/lib/os-release (3.20)
[ -L "$T/root-$v/etc/os-release" ] &&
	expect_layer "dir:$T/root-$v" etc/os-release 0
gzip -dc "$tgz" >"$T/plain.tar"
oci_layout "$T/oci-plain" plain "$T/plain.tar"
expect_file "oci:$T/oci-plain" lib/apk/db/installed "$db"
oci_layout "$T/oci-zstd" zstd "$T/plain.tar"
expect_file "oci:$T/oci-zstd" lib/apk/db/installed "$db"
head -c 1048576 "$T/plain.tar" | gzip -c >"$T/multi.gz"
tail -c +1048577 "$T/plain.tar" | gzip -c >>"$T/multi.gz"
oci_layout "$T/oci-multi" gzip "$T/multi.gz"
expect_file "oci:$T/oci-multi" lib/apk/db/installed "$db"
# the same with zlib instead of ISA-L
ZLIB=1 expect_file "oci:$T/oci-multi" lib/apk/db/installed "$db"
ZLIB=1 expect_file "oci:$T/oci-3.9.6" lib/apk/db/installed \
	"$(sha <"$T/root-3.9.6/lib/apk/db/installed")"
# two layers: 3.9.6 below 3.20.3; the top one wins, read with 1 and 2 jobs
oci_layout "$T/oci-two" gzip \
	"$I/alpine-minirootfs/alpine-minirootfs-3.9.6-x86_64.tar.gz" "$tgz"
expect_file "oci:$T/oci-two" lib/apk/db/installed "$db" 1
expect_file "oci:$T/oci-two" lib/apk/db/installed "$db" 2
expect_layer "oci:$T/oci-two" lib/apk/db/installed 1
# empty layers: zero bytes, and a tar of nothing (both occur in the wild)
: >"$T/empty"
(mkdir "$T/nothing" && tar -C "$T/nothing" -cf "$T/nothing.tar" .) || fail "tar"
oci_layout "$T/oci-empty" plain "$T/empty" "$T/plain.tar" "$T/nothing.tar"
expect_file "oci:$T/oci-empty" lib/apk/db/installed "$db"
# as an oci-archive (a tar of the layout), plain and by content
(cd "$T/oci-two" && tar -cf "$T/two.tar" .) || fail "tar layout"
expect_file "oci-archive:$T/two.tar" lib/apk/db/installed "$db" 2
expect_file "$T/two.tar" lib/apk/db/installed "$db"

# The alpine OCI layout tar (umoci): layer digest from index -> manifest
L="$I/oci-layout/alpine-3.20.3-minirootfs.oci-layout.tar"
m=$(tar -xOf "$L" ./index.json | jq -r '.manifests[0].digest' | cut -d: -f2)
l=$(tar -xOf "$L" "./blobs/sha256/$m" | jq -r '.layers[0].digest' | cut -d: -f2)
want=$(tar -xOf "$L" "./blobs/sha256/$l" | tar -xzO lib/apk/db/installed | sha)
expect_file "oci-archive:$L" lib/apk/db/installed "$want"
expect_file "$L" lib/apk/db/installed "$want"
"$TOOL" info "$L" >"$T/info" || fail "info $L"
grep -q "^digest sha256:$m\$" "$T/info" || fail "$L: manifest digest"

# docker-archive, gzip-compressed as a whole (trivy's alpine 3.11)
A="$I/docker-archive/trivy-fanal-alpine-311.tar.gz"
lp=$(tar -xzOf "$A" manifest.json | jq -r '.[0].Layers[0]')
want=$(tar -xzOf "$A" "$lp" | tar -xO etc/alpine-release | sha)
expect_file "docker-archive:$A" etc/alpine-release "$want"
expect_file "$A" etc/alpine-release "$want"
cfg=$(tar -xzOf "$A" manifest.json | jq -r '.[0].Config')
"$TOOL" info "$A" >"$T/info" || fail "info $A"
grep -q "^config sha256:$(tar -xzOf "$A" "$cfg" | sha)\$" "$T/info" ||
	fail "$A: config digest"

# debian-tiny: base, app (its dpkg status supersedes the base's),
# base-v2 (whiteout of etc/issue.net)
O="$I/debian-tiny/oci-tiny"
blob() { # TAG N: layer N's blob path of the image tagged TAG
	md=$(jq -r ".manifests[] | select(.annotations[\"org.opencontainers.image.ref.name\"]==\"$1\") | .digest" "$O/index.json" | cut -d: -f2)
	echo "$O/blobs/sha256/$(jq -r ".layers[$2].digest" "$O/blobs/sha256/$md" | cut -d: -f2)"
}
issue=$(tar -xzOf "$(blob base 0)" etc/issue.net | sha)
expect_file "oci:$O:base" etc/issue.net "$issue"
expect_absent "oci:$O:base-v2" etc/issue.net
tar -tzf "$(blob base-v2 1)" | grep -qx 'etc/.wh.issue.net' || fail "base-v2: no whiteout in the data"
st=$(tar -xzOf "$(blob app 1)" var/lib/dpkg/status | sha)
expect_file "oci:$O:app" var/lib/dpkg/status "$st"
expect_layer "oci:$O:app" var/lib/dpkg/status 1
expect_file "$I/debian-tiny/tiny-app.docker.tar" var/lib/dpkg/status "$st"
st0=$(tar -xzOf "$(blob base 0)" var/lib/dpkg/status | sha)
expect_file "oci:$O:base" var/lib/dpkg/status "$st0"
expect_file "oci:$O@sha256:$(jq -r '.manifests[0].digest' "$O/index.json" | cut -d: -f2)" \
	var/lib/dpkg/status "$st0"
# a regular file replacing a directory hides the lower layers' files under
# it (OCI image-spec "Changeset over existing files", overlayfs): the
# inventory's predicate records files on the way to the package databases
npkgs() { "$DRYDOCK" sbom -f json "$1" | jq '.packages | length'; }
[ "$(npkgs "oci:$O:base")" -gt 0 ] || fail "base: no packages"
for p in var/lib/dpkg var/lib var; do
	rm -rf "$T/hide" "$T/hide-l" && mkdir -p "$T/hide-l/$(dirname "$p")"
	: >"$T/hide-l/$p"
	(cd "$T/hide-l" && tar -cf - "$p") | gzip -n >"$T/hide.tgz"
	oci_layout "$T/hide" gzip "$(blob base 0)" "$T/hide.tgz"
	expect_absent "oci:$T/hide" var/lib/dpkg/status
	n=$(npkgs "oci:$T/hide") || fail "sbom of the image with file $p"
	[ "$n" = 0 ] || fail "file $p over the directory: $n packages still seen"
done
expect_exit 2 "$TOOL" info "oci:$O"
grep -q "name one with :TAG" "$T/err" || fail "untagged multi-image layout: $(cat "$T/err")"
expect_one_line_error
expect_exit 2 "$TOOL" info "oci:$O:nosuch"
grep -q "no image tagged 'nosuch'" "$T/err" || fail "$(cat "$T/err")"

# go-containerregistry fixtures
G="$I/format-fixtures/go-containerregistry"
expect_absent "$G/mutate-whiteout_image.tar" foo.txt
bar=$(tar -xOf "$G/mutate-whiteout_image.tar" 5f986a6829b24e82d482cf90b5a9bcff697b9aa9d6b57d2d229854f0e32de2b5/layer.tar | tar -xO ./bar.txt | sha)
expect_file "$G/mutate-whiteout_image.tar" bar.txt "$bar"
# overwritten: foo.txt became a symlink to bar.txt in layer 1
bar=$(tar -xOf "$G/mutate-overwritten_file.tar" 70296ca1c44f543cb7676f595b60d089f2525682912c528b59cf87af16efa57a/layer.tar | tar -xO ./bar.txt | sha)
expect_file "$G/mutate-overwritten_file.tar" foo.txt "$bar"
# a bundle of two images: by index and by RepoTag
expect_exit 2 "$TOOL" info "$G/tarball-test_bundle.tar"
expect_one_line_error
for sel in '#0' ':test_image_2'; do
	"$TOOL" info "docker-archive:$G/tarball-test_bundle.tar$sel" >"$T/info" ||
		fail "bundle $sel"
	c=$(tar -xOf "$G/tarball-test_bundle.tar" manifest.json | jq -r '.[0].Config' | cut -d. -f1)
	grep -q "^config sha256:$c\$" "$T/info" || fail "bundle $sel: config"
done
"$TOOL" info "docker-archive:$G/tarball-test_bundle.tar#1" >"$T/info" || fail "bundle #1"
c=$(tar -xOf "$G/tarball-test_bundle.tar" manifest.json | jq -r '.[1].Config' | cut -d. -f1)
grep -q "^config sha256:$c\$" "$T/info" || fail "bundle #1: config"
# Docker 25 save (index.json "manifests": null, moby#47210)
h=$(tar -xOf "$G/tarball-hello-world-v25.tar" blobs/sha256/12660636fe55438cc3ae7424da7ac56e845cdb52493ff9cf949c47a7f57f8b43 | tar -xO hello | sha)
expect_file "$G/tarball-hello-world-v25.tar" hello "$h"
gzip -c "$G/tarball-hello-world-v25.tar" >"$T/v25.tar.gz"
expect_file "docker-archive:$T/v25.tar.gz" hello "$h"
"$TOOL" info "$G/tarball-hello-world-v25.tar" >"$T/info"
grep -q '^platform linux/arm64$' "$T/info" || fail "v25 platform"
# an OCI index with a nested index and a docker manifest list
X="$G/oci-layout-test_index"
for t in 1 2 3 4; do
	d=$(jq -r ".manifests[] | select(.annotations[\"org.opencontainers.image.ref.name\"]==\"$t\") | .digest" "$X/index.json")
	case $t in 3 | 4) d=$(jq -r '.manifests[0].digest' "$X/blobs/sha256/${d#sha256:}") ;; esac
	"$TOOL" info "oci:$X:$t" >"$T/info" || fail "test_index:$t: $(cat "$T/err")"
	grep -q "^digest $d\$" "$T/info" || fail "test_index:$t: digest"
done
pass
