#!/bin/sh
# libarchive and libxml2 are loaded on first use (lib/util/archivedl.c,
# xmldl.c). With a library of the right soname that lacks their functions
# first on LD_LIBRARY_PATH, every command that needs one fails with exit 2
# and a one-line error naming the input and the library, and commands that
# need neither still work.
# Usage: test-lazyload.sh DIR (the directory of the fake libraries)
. "$DRYDOCK_SOURCE_ROOT/tests/lib.sh"
FAKE=$1
for f in libarchive.so.13 libxml2.so.2; do
	[ -f "$FAKE/$f" ] || fail "no '$FAKE/$f'"
done
# meson puts the directory of the shared libraries a test depends on on
# LD_LIBRARY_PATH: take it off for the commands meant to use the real ones
real=$(printf '%s' "${LD_LIBRARY_PATH:-}" | tr ':' '\n' | grep -vxF "$FAKE" |
	paste -sd: -)
if [ -n "$real" ]; then
	export LD_LIBRARY_PATH="$real"
else
	unset LD_LIBRARY_PATH
fi

# the real libraries work: an OCI archive unpacked, then packed again
expect_exit 0 "$DRYDOCK" image copy \
	"oci-archive:$D/images/oci-layout/alpine-3.20.3-minirootfs.oci-layout.tar" \
	"oci:$T/layout"
expect_exit 0 "$DRYDOCK" image copy "oci:$T/layout" "oci-archive:$T/real.tar"
tar czf "$T/feed.tar.gz" -C "$D/feeds/alpine-secdb" v3.21/main.json

# expect_lib_error LIBRARY INPUT CMD...: CMD fails because of LIBRARY,
# naming INPUT (or a member of it)
expect_lib_error() {
	lib=$1
	input=$2
	shift 2
	expect_exit 2 env LD_LIBRARY_PATH="$FAKE" "$@"
	expect_one_line_error
	grep -qF "'$input" "$T/err" || fail "error does not name '$input': $(cat "$T/err")"
	grep -qF "$lib" "$T/err" || fail "error does not name $lib: $(cat "$T/err")"
}

# a layer read from an image (an empty cache: the layer must be parsed)
expect_lib_error "libarchive (libarchive.so.13)" \
	"$D/images/docker-archive/trivy-fanal-alpine-311.tar.gz" \
	"$DRYDOCK" sbom --cache-dir "$T/cache" \
	"docker-archive:$D/images/docker-archive/trivy-fanal-alpine-311.tar.gz"
# a compressed feed archive given to db import
expect_lib_error "libarchive (libarchive.so.13)" "$T/feed.tar.gz" \
	"$DRYDOCK" db import --db "$T/a.db" "$T/feed.tar.gz"
# an OCI archive unpacked, and one written
expect_lib_error "libarchive (libarchive.so.13)" \
	"$D/images/oci-layout/alpine-3.20.3-minirootfs.oci-layout.tar" \
	"$DRYDOCK" image copy \
	"oci-archive:$D/images/oci-layout/alpine-3.20.3-minirootfs.oci-layout.tar" \
	"oci:$T/layout2"
# (the blobs are copied, with a line each, before the archive is packed)
expect_exit 2 env LD_LIBRARY_PATH="$FAKE" "$DRYDOCK" image copy \
	"oci:$T/layout" "oci-archive:$T/out.tar"
tail -n 1 "$T/err" | grep -qF "'$T/out.tar': libarchive (libarchive.so.13)" ||
	fail "packing: $(cat "$T/err")"
[ ! -e "$T/out.tar" ] || fail "a failed copy left '$T/out.tar'"
# an OVAL feed
expect_lib_error "libxml2 (libxml2.so.2)" \
	"$D/feeds/redhat-oval/rhel-8.oval-v2-subset.xml" \
	"$DRYDOCK" db import --db "$T/x.db" \
	"$D/feeds/redhat-oval/rhel-8.oval-v2-subset.xml"

# needing neither: a JSON feed imports and a version compares
expect_exit 0 env LD_LIBRARY_PATH="$FAKE" "$DRYDOCK" db import \
	--db "$T/j.db" "$D/feeds/alpine-secdb/v3.21/main.json"
expect_exit 0 env LD_LIBRARY_PATH="$FAKE" "$DRYDOCK" version compare \
	--type deb 1.0 1.0
pass
