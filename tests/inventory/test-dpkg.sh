#!/bin/sh
# dpkg status parsing, differential against the real dpkg-query: every
# status file of tests/data/pkgdb/dpkg is read by dpkg-query (from a
# temporary admin dir) and by drydock; the packages dpkg-query reports in
# a state whose files are on disk must equal ours, field by field
# (name, version, architecture, source name, source version, maintainer).
set -u
. "$DRYDOCK_SOURCE_ROOT/tests/lib.sh"
TOOL="$DRYDOCK_BUILD_ROOT/tests/inventory/drydock-inventory-tool"
P="$D/pkgdb/dpkg"
command -v dpkg-query >/dev/null || {
	echo "skip: dpkg-query not installed"
	exit 77
}

# the states drydock keeps (docs/inventory.md)
ON_DISK='^(installed|half-configured|unpacked|half-installed|triggers-awaited|triggers-pending)$'

# expected FILE [statusd]: dpkg-query's rows. For status.d files, which
# carry no Status field, a stanza without one gets "install ok
# installed" first (the documented distroless rule) when it has a
# Version (a stanza without one is no package for us, and dpkg refuses an
# installed package without a version).
expected() {
	rm -rf "$T/adm"
	mkdir -p "$T/adm/updates" "$T/adm/info"
	if [ "${2:-}" = statusd ]; then
		awk 'BEGIN { RS = ""; ORS = "\n\n" }
			/(^|\n)Package:[ \t]*(\n|$)/ { next } # dpkg refuses, we skip
			{ if ($0 !~ /(^|\n)[Ss]tatus:/ && $0 ~ /(^|\n)[Vv]ersion:/) $0 = $0 "\nStatus: install ok installed"; print }' \
			"$1" >"$T/adm/status"
	else
		cp "$1" "$T/adm/status"
	fi
	dpkg-query --admindir="$T/adm" -W -f='${Package}\t${Version}\t${Architecture}\t${source:Package}\t${source:Version}\t${Maintainer}\t${db:Status-Status}\n' \
		>"$T/dq" 2>"$T/dqerr" || return 1
	awk -F'\t' -v re="$ON_DISK" '$7 ~ re' "$T/dq" | cut -f1-6 | LC_ALL=C sort
}

ours() {
	"$TOOL" parse dpkg "$1" >"$T/ours" 2>"$T/err" || return 1
	cut -f1-5,7 "$T/ours" | LC_ALL=C sort
}

# compare FILE [statusd] [MIN]: same rows, and at least MIN of them
compare() {
	expected "$1" "${2:-}" >"$T/want" || fail "dpkg-query rejects $1: $(cat "$T/dqerr")"
	ours "$1" >"$T/got" || fail "drydock rejects $1: $(cat "$T/err")"
	diff -u "$T/want" "$T/got" >"$T/diff" || fail "$1 differs from dpkg-query: $(head -20 "$T/diff")"
	n=$(wc -l <"$T/got")
	[ "$n" -ge "${3:-1}" ] || fail "$1: only $n packages"
	echo "ok $(basename "$1"): $n packages"
}

compare "$P/claircore-debian-only.status" "" 1
compare "$P/claircore-debian10-postgresql.status" "" 1
compare "$P/claircore-ubuntu1804-texlive.status" "" 100
compare "$P/ubuntu-20.04-armhf/var-lib-dpkg-status" "" 100
compare "$P/debian-bookworm-minbase-status" "" 88

# trivy's txtar: the status file is the section after its header line
awk '/^-- / { on = ($2 == "var/lib/dpkg/status"); next } on' \
	"$P/trivy-dpkg-valid.txtar" >"$T/trivy-status"
[ -s "$T/trivy-status" ] || fail "no status in the txtar"
compare "$T/trivy-status" "" 10

# distroless status.d: every stanza file
for f in "$P"/status.d/*; do
	case $f in
	*.md5sums | *.preinst | */testdata-corrupt | */testdata-empty) continue ;;
	*/testdata-doc-examples) continue ;; # below: dpkg rejects its Depends
	esac
	compare "$f" statusd 1
done

# syft's relationship examples use source-only Depends syntax that
# dpkg-query refuses; an awk reading of the stanzas (Package and Version
# present, Source defaulting to the package) is the reference instead
awk 'BEGIN { RS = "" }
	{
		pkg = ver = src = srcv = ""; n = split($0, l, "\n")
		for (i = 1; i <= n; i++) {
			if (l[i] ~ /^Package:/) { pkg = l[i]; sub(/^Package: */, "", pkg) }
			if (l[i] ~ /^Version:/) { ver = l[i]; sub(/^Version: */, "", ver) }
			if (l[i] ~ /^Source:/) { src = l[i]; sub(/^Source: */, "", src) }
		}
		if (pkg == "" || ver == "") next
		if (src == "") src = pkg
		printf "%s\t%s\t\t%s\t%s\t\n", pkg, ver, src, ver
	}' "$P/status.d/testdata-doc-examples" | LC_ALL=C sort >"$T/want"
ours "$P/status.d/testdata-doc-examples" >"$T/got" || fail "doc-examples: $(cat "$T/err")"
diff -u "$T/want" "$T/got" || fail "doc-examples differ from the awk reading"
[ "$(wc -l <"$T/got")" = 5 ] || fail "doc-examples: expected 5 packages"

# the deinstalled entry (config-files) is not a package; its neighbour is
grep -q 'deinstall ok config-files' "$P/status.d/testdata-deinstall" ||
	fail "test data: no config-files entry"
[ "$(ours "$P/status.d/testdata-deinstall" | wc -l)" = 1 ] ||
	fail "testdata-deinstall: expected exactly the installed package"

# a corrupt file (lines that are not fields): dpkg-query rejects it, and
# so do we, with one line naming the file and the line
expected "$P/status.d/testdata-corrupt" statusd >/dev/null &&
	fail "dpkg-query accepts testdata-corrupt"
expect_exit 2 "$TOOL" parse dpkg "$P/status.d/testdata-corrupt" var/lib/dpkg/status.d/corrupt
expect_one_line_error
grep -q "'var/lib/dpkg/status.d/corrupt': line [0-9]*: " "$T/err" ||
	fail "corrupt: $(cat "$T/err")"

# "Package:" with an empty value: no package (dpkg-query lists none)
[ -z "$(ours "$P/status.d/testdata-empty")" ] || fail "testdata-empty gave packages"

# CRLF line ends read like LF ones
tr -d '\r' <"$P/claircore-debian10-postgresql.status" | sed 's/$/\r/' >"$T/crlf"
ours "$P/claircore-debian10-postgresql.status" >"$T/lf"
ours "$T/crlf" >"$T/crlf.out" || fail "crlf: $(cat "$T/err")"
cmp -s "$T/lf" "$T/crlf.out" || fail "CRLF data parsed differently"

# an oversized database: one-line limit error
head -c 67108865 /dev/zero | tr '\0' 'a' >"$T/big"
expect_exit 2 "$TOOL" parse dpkg "$T/big"
expect_one_line_error
grep -q "DRYDOCK_MAX_KEPT_FILE_BYTES" "$T/err" || fail "big: $(cat "$T/err")"
pass
