#!/bin/sh
# drydock_inventory_scan on real images and on layered images built here
# from real databases. Expected layers come from an independent route:
# each layer's view of a database is read by dpkg-query (dpkg) or awk
# (apk), and a package belongs to the lowest layer from which every view
# up to the top holds its identical (name, version, arch, source name,
# source version) row.
set -u
. "$DRYDOCK_SOURCE_ROOT/tests/lib.sh"
. "$DRYDOCK_SOURCE_ROOT/tests/image/layout.sh"
TOOL="$DRYDOCK_BUILD_ROOT/tests/inventory/drydock-inventory-tool"
command -v dpkg-query >/dev/null || {
	echo "skip: dpkg-query not installed"
	exit 77
}
ON_DISK='^(installed|half-configured|unpacked|half-installed|triggers-awaited|triggers-pending)$'

dpkg_rows() { # STATUS [statusd] -> name ver arch src srcver, sorted
	rm -rf "$T/adm"
	mkdir -p "$T/adm/updates" "$T/adm/info"
	if [ "${2:-}" = statusd ]; then
		awk 'BEGIN { RS = ""; ORS = "\n\n" }
			{ if ($0 !~ /(^|\n)Status:/) $0 = $0 "\nStatus: install ok installed"; print }' \
			"$1" >"$T/adm/status"
	else
		cp "$1" "$T/adm/status"
	fi
	dpkg-query --admindir="$T/adm" -W \
		-f='${Package}\t${Version}\t${Architecture}\t${source:Package}\t${source:Version}\t${db:Status-Status}\n' |
		awk -F'\t' -v re="$ON_DISK" '$6 ~ re' | cut -f1-5 | LC_ALL=C sort
}
apk_rows() { # INSTALLED
	awk 'function flush() {
			if (p != "" && v != "")
				printf "%s\t%s\t%s\t%s\t%s\n", p, v, a, (o == "" ? p : o), v
			p = v = a = o = ""
		}
		/^$/ { flush(); next }
		/^P:/ { p = substr($0, 3) } /^V:/ { v = substr($0, 3) }
		/^A:/ { a = substr($0, 3) } /^o:/ { o = substr($0, 3) }
		END { flush() }' "$1" | LC_ALL=C sort
}
# attribute VIEW0 VIEW1 ... (row files of each layer's view, bottom up; a
# missing file is an absent database): "rows TAB layer" for the top's rows
attribute() {
	n=$#
	top=$(eval "echo \${$n}")
	while IFS= read -r row; do
		l=$((n - 1))
		i=$((n - 1))
		while [ "$i" -ge 1 ]; do
			f=$(eval "echo \${$i}")
			[ -f "$f" ] && grep -qxF "$row" "$f" || break
			l=$((i - 1))
			i=$((i - 1))
		done
		printf '%s\t%s\n' "$row" "$l"
	done <"$top"
}
# scan REF: the tool's package rows without diff ID and db_path, sorted;
# the os lines in $T/os
scan() {
	"$TOOL" scan "$1" >"$T/scan" 2>"$T/err" || fail "scan $1: $(cat "$T/err")"
	grep '=' "$T/scan" >"$T/os"
	grep -v '=' "$T/scan" >"$T/pkgs"
	cut -f2-7 "$T/pkgs" | LC_ALL=C sort
}
expect_os() {
	grep -qx "$1=$2" "$T/os" || fail "expected $1=$2, got $(tr '\n' ' ' <"$T/os")"
}
compare() { # WANT GOT
	LC_ALL=C sort "$1" >"$1.s"
	diff -u "$1.s" "$2" >"$T/diff" || fail "$3: $(head -30 "$T/diff")"
	echo "ok $3: $(wc -l <"$2") packages"
}

O="$D/images/debian-tiny/oci-tiny"
blob() { # TAG N
	md=$(jq -r ".manifests[] | select(.annotations[\"org.opencontainers.image.ref.name\"]==\"$1\") | .digest" "$O/index.json" | cut -d: -f2)
	echo "$O/blobs/sha256/$(jq -r ".layers[$2].digest" "$O/blobs/sha256/$md" | cut -d: -f2)"
}
diffid() { # TAG N
	md=$(jq -r ".manifests[] | select(.annotations[\"org.opencontainers.image.ref.name\"]==\"$1\") | .digest" "$O/index.json" | cut -d: -f2)
	cd=$(jq -r .config.digest "$O/blobs/sha256/$md" | cut -d: -f2)
	jq -r ".rootfs.diff_ids[$2]" "$O/blobs/sha256/$cd"
}
for tag in app base-v2; do
	tar -xzOf "$(blob $tag 0)" var/lib/dpkg/status >"$T/st0" || fail "extract"
	tar -xzOf "$(blob $tag 1)" var/lib/dpkg/status >"$T/st1" || fail "extract"
	dpkg_rows "$T/st0" >"$T/v0"
	dpkg_rows "$T/st1" >"$T/v1"
	attribute "$T/v0" "$T/v1" >"$T/want"
	scan "oci:$O:$tag" >"$T/got"
	compare "$T/want" "$T/got" "debian-tiny $tag"
	grep -q '	1$' "$T/got" || fail "$tag: nothing attributed to layer 1"
	grep -q '	0$' "$T/got" || fail "$tag: nothing attributed to layer 0"
	expect_os family debian
	expect_os version 12
	# diff IDs and db_path
	for l in 0 1; do
		d=$(diffid $tag $l)
		awk -F'\t' -v l=$l -v d="$d" '$7 == l && $8 != d { exit 1 }' "$T/pkgs" ||
			fail "$tag: layer $l diff id is not $d"
	done
	awk -F'\t' '$9 != "var/lib/dpkg/status" || $1 != "deb" { exit 1 }' "$T/pkgs" ||
		fail "$tag: db_path/type"
done
scan "$D/images/debian-tiny/tiny-app.docker.tar" >"$T/got-docker"
scan "oci:$O:app" >"$T/got-oci"
cmp -s "$T/got-docker" "$T/got-oci" || fail "docker-archive and OCI scans differ"

# 2. Alpine: 3.16.9 below 3.20.3 below a layer that does not touch the
# database; the OS is the top one's
I="$D/images/alpine-minirootfs"
mkdir -p "$T/r16" "$T/r20" "$T/app/etc"
tar -xzf "$I/alpine-minirootfs-3.16.9-x86_64.tar.gz" -C "$T/r16"
tar -xzf "$I/alpine-minirootfs-3.20.3-x86_64.tar.gz" -C "$T/r20"
echo hello >"$T/app/etc/motd.app"
tar -cf "$T/app.tar" -C "$T/app" etc
apk_rows "$T/r16/lib/apk/db/installed" >"$T/a0"
apk_rows "$T/r20/lib/apk/db/installed" >"$T/a1"
cp "$T/a1" "$T/a2"
attribute "$T/a0" "$T/a1" "$T/a2" >"$T/want"
gzip -c "$T/app.tar" >"$T/app.tgz"
oci_layout "$T/oci-alpine" gzip "$I/alpine-minirootfs-3.16.9-x86_64.tar.gz" \
	"$I/alpine-minirootfs-3.20.3-x86_64.tar.gz" "$T/app.tgz"
scan "oci:$T/oci-alpine" >"$T/got"
compare "$T/want" "$T/got" "alpine 3.16.9 + 3.20.3 + app"
expect_os family alpine
expect_os version 3.20.3
expect_os apk_branch v3.20
grep -q '	2$' "$T/got" && fail "alpine: a package attributed to the app layer"

# 3. distroless-style status.d across layers, no os-release: layer 0
# holds two stanza files (and control files that are not stanzas), layer
# 1 rewrites one with libc6 upgraded, layer 2 adds Debian's base-files
# stanza (from the real bookworm status)
P="$D/pkgdb/dpkg"
S="var/lib/dpkg/status.d"
mkdir -p "$T/d0/$S" "$T/d1/$S" "$T/d2/$S"
cp "$P/status.d/image-distroless-deb-libsqlite3-0" "$T/d0/$S/libsqlite3-0"
cp "$P/status.d/image-distroless-deb-libsqlite3-0.md5sums" "$T/d0/$S/libsqlite3-0.md5sums"
cp "$P/status.d/image-distroless-deb-libsqlite3-0.preinst" "$T/d0/$S/libsqlite3-0.preinst"
cp "$P/status.d/testdata-coreutils-relationships" "$T/d0/$S/coreutils"
sed 's/^Version: 2.36-9+deb12u1$/Version: 2.36-9+deb12u4/' \
	"$P/status.d/testdata-coreutils-relationships" >"$T/d1/$S/coreutils"
cmp -s "$T/d0/$S/coreutils" "$T/d1/$S/coreutils" && fail "sed changed nothing"
awk 'BEGIN { RS = ""; ORS = "\n\n" } /^Package: base-files\n/' \
	"$P/debian-bookworm-minbase-status" >"$T/d2/$S/base"
[ -s "$T/d2/$S/base" ] || fail "no base-files stanza"
for i in 0 1 2; do tar -cf "$T/d$i.tar" -C "$T/d$i" var; done
oci_layout "$T/oci-distroless" plain "$T/d0.tar" "$T/d1.tar" "$T/d2.tar"
dpkg_rows "$T/d0/$S/libsqlite3-0" statusd >"$T/s"
attribute "$T/s" "$T/s" "$T/s" >"$T/want"
dpkg_rows "$T/d0/$S/coreutils" statusd >"$T/c0"
dpkg_rows "$T/d1/$S/coreutils" statusd >"$T/c1"
attribute "$T/c0" "$T/c1" "$T/c1" >>"$T/want"
dpkg_rows "$T/d2/$S/base" statusd >"$T/b2"
attribute "$T/none0" "$T/none1" "$T/b2" >>"$T/want"
scan "oci:$T/oci-distroless" >"$T/got"
compare "$T/want" "$T/got" "distroless status.d"
grep -q '^libc6	2.36-9+deb12u4	arm64	glibc	2.36-9+deb12u4	1$' "$T/got" ||
	fail "libc6 not attributed to layer 1"
grep -q "	var/lib/dpkg/status.d/libsqlite3-0\$" "$T/pkgs" || fail "status.d db_path"
# no os-release: Debian's base-files names the release
expect_os family debian
expect_os version "$(awk '/^Version:/ { split($2, a, "."); print a[1] }' "$T/d2/$S/base")"
expect_os source "$S/base"

# 4. a database removed (whiteout) then written again: its packages
# belong to the layer that wrote it again
mkdir -p "$T/w0/var/lib/dpkg" "$T/w1/var/lib/dpkg" "$T/w2/var/lib/dpkg"
cp "$P/claircore-debian10-postgresql.status" "$T/w0/var/lib/dpkg/status"
: >"$T/w1/var/lib/dpkg/.wh.status"
cp "$P/claircore-debian10-postgresql.status" "$T/w2/var/lib/dpkg/status"
for i in 0 1 2; do tar -cf "$T/w$i.tar" -C "$T/w$i" var; done
oci_layout "$T/oci-wh" plain "$T/w0.tar" "$T/w1.tar" "$T/w2.tar"
dpkg_rows "$P/claircore-debian10-postgresql.status" >"$T/p"
attribute "$T/p" "$T/nothing" "$T/p" >"$T/want"
scan "oci:$T/oci-wh" >"$T/got"
compare "$T/want" "$T/got" "whiteout in between"
grep -q '	0$' "$T/got" && fail "whiteout: a package attributed below the whiteout"

# 5. a corrupt status.d file fails the scan, naming it
mkdir -p "$T/c/$S"
cp "$P/status.d/testdata-corrupt" "$T/c/$S/corrupt"
cp "$P/status.d/testdata-single" "$T/c/$S/apt"
tar -cf "$T/c.tar" -C "$T/c" var
oci_layout "$T/oci-corrupt" plain "$T/c.tar"
expect_exit 2 "$TOOL" scan "oci:$T/oci-corrupt"
expect_one_line_error
grep -q "'$S/corrupt': line [0-9]*:" "$T/err" || fail "corrupt: $(cat "$T/err")"
pass
