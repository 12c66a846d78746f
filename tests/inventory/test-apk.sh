#!/bin/sh
# apk installed databases, against an independent awk reading of the same
# files: P name, V version, A arch, o origin (defaulting to the name),
# L license, m maintainer, for every record that has P and V.
set -u
. "$DRYDOCK_SOURCE_ROOT/tests/lib.sh"
TOOL="$DRYDOCK_BUILD_ROOT/tests/inventory/drydock-inventory-tool"

expected() {
	awk 'function flush() {
			if (p != "" && v != "")
				printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", p, v, a,
					(o == "" ? p : o), v, l, m
			p = v = a = o = l = m = ""
		}
		{ sub(/\r$/, "") }
		/^$/ { flush(); next }
		/^P:/ { p = substr($0, 3) } /^V:/ { v = substr($0, 3) }
		/^A:/ { a = substr($0, 3) } /^o:/ { o = substr($0, 3) }
		/^L:/ { l = substr($0, 3) } /^m:/ { m = substr($0, 3) }
		END { flush() }' "$1" | LC_ALL=C sort
}

# compare FILE MIN
compare() {
	expected "$1" >"$T/want"
	"$TOOL" parse apk "$1" >"$T/ours" 2>"$T/err" || fail "$1: $(cat "$T/err")"
	LC_ALL=C sort "$T/ours" >"$T/got"
	diff -u "$T/want" "$T/got" >"$T/diff" || fail "$1 differs: $(head -20 "$T/diff")"
	n=$(wc -l <"$T/got")
	[ "$n" -ge "$2" ] || fail "$1: only $n packages"
	echo "ok $(basename "$1"): $n packages"
}

compare "$D/pkgdb/apk/osv-scalibr-apk-installed" 10
compare "$D/pkgdb/apk/trivy-apk-installed" 10
# trivy's file holds a record without V: skipped, not an error
grep -qx 'P:invalidPackageWithoutAVersion' "$D/pkgdb/apk/trivy-apk-installed" ||
	fail "test data: no version-less record"
"$TOOL" parse apk "$D/pkgdb/apk/trivy-apk-installed" | grep -q invalidPackage &&
	fail "the version-less record became a package"

for v in 3.9.6 3.12.12 3.16.9 3.20.3; do
	mkdir -p "$T/root-$v"
	tar -xzf "$D/images/alpine-minirootfs/alpine-minirootfs-$v-x86_64.tar.gz" \
		-C "$T/root-$v" || fail "extract $v"
	cp "$T/root-$v/lib/apk/db/installed" "$T/installed-$v"
	compare "$T/installed-$v" 10
	# the origins are real: musl's origin is musl, libcrypto's openssl
	grep -q "^musl	" "$T/got" || fail "$v: no musl"
done
awk -F'\t' '$1 == "libcrypto3" && $4 != "openssl" { exit 1 }' "$T/got" ||
	fail "3.20.3: libcrypto3 origin"

# CRLF line ends read like LF ones
sed 's/$/\r/' "$T/installed-3.20.3" >"$T/crlf"
"$TOOL" parse apk "$T/crlf" >"$T/crlf.out" || fail "crlf: $(cat "$T/err")"
"$TOOL" parse apk "$T/installed-3.20.3" >"$T/lf.out"
cmp -s "$T/lf.out" "$T/crlf.out" || fail "CRLF data parsed differently"

# not an apk database: one line naming the file and the line
expect_exit 2 "$TOOL" parse apk "$D/pkgdb/dpkg/claircore-debian-only.status" lib/apk/db/installed
expect_one_line_error
grep -q "'lib/apk/db/installed': line 1: not a 'K:value' line" "$T/err" ||
	fail "dpkg data as apk: $(cat "$T/err")"
pass
