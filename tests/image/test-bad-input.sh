#!/bin/sh
# Hostile and broken images: each is a one-line error naming the input and
# the problem, exit 2, never a crash or a hang.
set -u
. "$DRYDOCK_SOURCE_ROOT/tests/lib.sh"
. "$DRYDOCK_SOURCE_ROOT/tests/image/layout.sh"
TOOL="$DRYDOCK_BUILD_ROOT/tests/image/drydock-test-tool"
I="$D/images"
TGZ="$I/alpine-minirootfs/alpine-minirootfs-3.20.3-x86_64.tar.gz"

# bad REF PATTERN [TOOL ARGS...]: reading REF fails with one line
# matching PATTERN
bad() {
	ref=$1 pat=$2
	shift 2
	expect_exit 2 "$TOOL" "$@" get "$ref" etc/os-release
	expect_one_line_error
	[ -n "${SHOW_ERRORS:-}" ] && cat "$T/err" >&2
	grep -q -- "$pat" "$T/err" || fail "$ref: expected '$pat', got: $(cat "$T/err")"
}
layer_of() { # the single layer blob of layout $1
	m=$(jq -r '.manifests[0].digest' "$1/index.json" | cut -d: -f2)
	echo "$1/blobs/sha256/$(jq -r '.layers[0].digest' "$1/blobs/sha256/$m" | cut -d: -f2)"
}
manifest_of() {
	echo "$1/blobs/sha256/$(jq -r '.manifests[0].digest' "$1/index.json" | cut -d: -f2)"
}
# rewrite MANIFEST with jq FILTER, and index.json to point at the result
remanifest() {
	dir=$1 filter=$2
	m=$(manifest_of "$dir")
	jq -c "$filter" "$m" >"$dir/m.tmp"
	d=$(sha256sum <"$dir/m.tmp" | cut -d' ' -f1)
	mv "$dir/m.tmp" "$dir/blobs/sha256/$d"
	jq -c ".manifests[0].digest = \"sha256:$d\" | .manifests[0].size = $(wc -c <"$dir/blobs/sha256/$d")" \
		"$dir/index.json" >"$dir/i.tmp" && mv "$dir/i.tmp" "$dir/index.json"
}

# truncated gzip: the blob keeps its name, loses its tail
oci_layout "$T/trunc" gzip "$TGZ"
b=$(layer_of "$T/trunc")
head -c 100000 "$b" >"$T/x" && mv "$T/x" "$b"
bad "oci:$T/trunc" "truncated gzip stream"
grep -q "$(basename "$b")" "$T/err" || fail "the error does not name the blob"
bad "oci:$T/trunc" "truncated gzip stream" -z 1
gzip -dc "$TGZ" >"$T/plain.tar"
oci_layout "$T/ztrunc" zstd "$T/plain.tar"
b=$(layer_of "$T/ztrunc")
head -c 100000 "$b" >"$T/x" && mv "$T/x" "$b"
bad "oci:$T/ztrunc" "truncated zstd stream"

# one flipped byte inside the compressed data: corrupt or digest
oci_layout "$T/flip" plain "$T/plain.tar"
b=$(layer_of "$T/flip")
# change a byte of file data (not a header): the blob no longer matches
printf 'X' | dd of="$b" bs=1 seek=700000 conv=notrunc 2>/dev/null
bad "oci:$T/flip" "blob digest is"
grep -q "expected sha256:$(basename "$b")" "$T/err" || fail "digest error names no blob"

# diff ID mismatch: the config lists another diff ID
oci_layout "$T/diff" gzip "$TGZ"
c=$(jq -r '.config.digest' "$(manifest_of "$T/diff")" | cut -d: -f2)
jq -c '.rootfs.diff_ids[0] = "sha256:0000000000000000000000000000000000000000000000000000000000000000"' \
	"$T/diff/blobs/sha256/$c" >"$T/c.json"
nc=$(sha256sum <"$T/c.json" | cut -d' ' -f1)
mv "$T/c.json" "$T/diff/blobs/sha256/$nc"
remanifest "$T/diff" ".config.digest = \"sha256:$nc\""
bad "oci:$T/diff" "diff ID is sha256:"

# a missing blob
oci_layout "$T/missing" gzip "$TGZ"
rm "$(layer_of "$T/missing")"
bad "oci:$T/missing" "is missing"

# a manifest naming a blob outside the layout
oci_layout "$T/escape" gzip "$TGZ"
remanifest "$T/escape" '.layers[0].digest = "sha256:../../../../etc/passwd"'
bad "oci:$T/escape" "layer 0 has no valid digest"
oci_layout "$T/escape2" gzip "$TGZ"
jq -c '.manifests[0].digest = "sha256:../../../etc/passwd"' "$T/escape2/index.json" >"$T/i" &&
	mv "$T/i" "$T/escape2/index.json"
bad "oci:$T/escape2" "sha256:../../../etc/passwd"
# a manifest whose content does not match its name
oci_layout "$T/badman" gzip "$TGZ"
m=$(manifest_of "$T/badman")
printf ' ' >>"$m"
bad "oci:$T/badman" "does not match its digest"
# malformed JSON in index.json
oci_layout "$T/json" gzip "$TGZ"
printf '{"manifests": [' >"$T/json/index.json"
bad "oci:$T/json" "index.json"

# not a tar at all, and garbage after the gzip stream
head -c 5000 /dev/urandom >"$T/garbage"
oci_layout "$T/notar" plain "$T/garbage"
bad "oci:$T/notar" "tar"
cp "$TGZ" "$T/trail.gz" && printf 'garbage' >>"$T/trail.gz"
oci_layout "$T/trail" gzip "$T/trail.gz"
bad "oci:$T/trail" "garbage after gzip stream"

# an inflate bomb: zeros compress beyond DRYDOCK_MAX_INFLATE_RATIO
head -c 100000000 /dev/zero >"$T/zeros"
oci_layout "$T/bomb" zstd "$T/zeros"
rm "$T/zeros"
bad "oci:$T/bomb" "DRYDOCK_MAX_INFLATE_RATIO"

# layers built here with GNU tar
mkdir -p "$T/l/etc" "$T/l/var/lib/dpkg"
echo 'ID=test' >"$T/l/etc/os-release"
ln -s b "$T/l/a" && ln -s a "$T/l/b"
ln -s self "$T/l/self"
truncate -s 100G "$T/l/sparse"
(cd "$T/l" && tar --sparse -cf "$T/sym.tar" .) || fail "tar"
oci_layout "$T/sym" plain "$T/sym.tar"
# symlink loops resolve to nothing; a 100 GB sparse file not asked for is
# skipped cheaply
"$TOOL" -w 'etc/*' get "oci:$T/sym" a self etc/os-release >"$T/out" 2>"$T/err" ||
	fail "symlink loops: $(cat "$T/err")"
grep -qx 'a -' "$T/out" || fail "loop a: $(cat "$T/out")"
grep -qx 'self -' "$T/out" || fail "loop self"
grep -q '^etc/os-release 0 1 8 ' "$T/out" || fail "os-release beside loops"
# the sparse file asked for is over DRYDOCK_MAX_KEPT_FILE_BYTES
bad "oci:$T/sym" "DRYDOCK_MAX_KEPT_FILE_BYTES" -w '*'

# an oversized kept file, not sparse
mkdir -p "$T/big/var/lib/rpm"
head -c 70000000 /dev/zero >"$T/big/var/lib/rpm/Packages"
(cd "$T/big" && tar -cf - . | gzip -1 >"$T/big.tgz") || fail "tar big"
rm -rf "$T/big"
oci_layout "$T/bigl" gzip "$T/big.tgz"
expect_exit 2 "$TOOL" get "oci:$T/bigl" var/lib/rpm/Packages
expect_one_line_error
grep -q "'var/lib/rpm/Packages'.*DRYDOCK_MAX_KEPT_FILE_BYTES" "$T/err" ||
	fail "oversized: $(cat "$T/err")"

# a path leaving the root, and a whiteout without a name
mkdir -p "$T/esc" && echo x >"$T/esc/x"
(cd "$T/esc" && tar --transform 's,^x$,../../x,' -P -cf "$T/esc.tar" x) || fail "tar esc"
oci_layout "$T/escl" plain "$T/esc.tar"
bad "oci:$T/escl" "leaves the root"
mkdir -p "$T/wh/etc" && : >"$T/wh/etc/.wh."
(cd "$T/wh" && tar -cf "$T/wh.tar" .) || fail "tar wh"
oci_layout "$T/whl" plain "$T/wh.tar"
bad "oci:$T/whl" "whiteout without a name"

# archives: truncated, and a manifest naming a layer that is not there
(cd "$T/trunc" && tar -cf "$T/layout.tar" .)
oci_layout "$T/good" gzip "$TGZ"
(cd "$T/good" && tar -cf "$T/good.tar" .)
head -c 300000 "$T/good.tar" >"$T/cut.tar"
bad "$T/cut.tar" "truncated tar"
mkdir -p "$T/da" && printf '[{"Config":"c.json","Layers":["nope/layer.tar"]}]' >"$T/da/manifest.json"
echo '{}' >"$T/da/c.json"
(cd "$T/da" && tar -cf "$T/da.tar" manifest.json c.json)
bad "docker-archive:$T/da.tar" "layer 'nope/layer.tar' is missing"
gzip -c "$T/da.tar" >"$T/da.tar.gz"
bad "$T/da.tar.gz" "layer 'nope/layer.tar' is missing"
# not an image at all
bad "$TGZ" "not an image archive"
bad "oci:$T/nowhere" "no such directory"
pass
