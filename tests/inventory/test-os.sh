#!/bin/sh
# OS detection on real identification files. os-release is shell-
# compatible (os-release(5)), so the expected values come from sourcing
# the file with sh; the Alpine branch from an awk reading of
# etc/apk/repositories.
set -u
. "$DRYDOCK_SOURCE_ROOT/tests/lib.sh"
TOOL="$DRYDOCK_BUILD_ROOT/tests/inventory/drydock-inventory-tool"

# expect KEY VALUE: the last "os" output has key=value
expect() {
	grep -qx "$1=$2" "$T/os" || fail "expected $1=$2, got: $(tr '\n' ' ' <"$T/os")"
}
os() {
	"$TOOL" os "$@" >"$T/os" 2>"$T/err" || fail "os $*: $(cat "$T/err")"
}
field() { # FILE VAR: the variable's value when FILE is sourced
	(. "$1" && eval "printf '%s' \"\${$2:-}\"")
}

# Debian 12 (debootstrap minbase): etc/os-release
f="$D/os/debian-bookworm/os-release"
os etc/os-release="$f" etc/debian_version="$D/os/debian-bookworm/debian_version"
expect family "$(field "$f" ID)"
expect version "$(field "$f" VERSION_ID)"
expect codename "$(field "$f" VERSION_CODENAME)"
expect pretty_name "$(field "$f" PRETTY_NAME)"
expect source etc/os-release
expect family debian
expect version 12

# Ubuntu 20.04 armhf: only usr/lib/os-release
f="$D/pkgdb/dpkg/ubuntu-20.04-armhf/usr-lib-os-release"
os usr/lib/os-release="$f"
expect family ubuntu
expect version "$(field "$f" VERSION_ID)"
expect codename focal
expect source usr/lib/os-release
# etc/os-release wins over usr/lib/os-release
os usr/lib/os-release="$f" etc/os-release="$D/os/debian-bookworm/os-release"
expect family debian
# lsb-release alone
f="$D/pkgdb/dpkg/ubuntu-20.04-armhf/etc-lsb-release"
os etc/lsb-release="$f"
expect family ubuntu
expect version "$(field "$f" DISTRIB_RELEASE)"
expect codename "$(field "$f" DISTRIB_CODENAME)"
expect pretty_name "$(field "$f" DISTRIB_DESCRIPTION)"

# Debian testing/sid: the real bookworm os-release as testing ships it
# (no VERSION_ID, VERSION_CODENAME of the next release) with
# debian_version "trixie/sid": reported as trixie
grep -v -e '^VERSION_ID=' -e '^VERSION=' -e '^VERSION_CODENAME=' \
	"$D/os/debian-bookworm/os-release" >"$T/sid-os-release"
echo 'VERSION_CODENAME=trixie' >>"$T/sid-os-release"
echo 'trixie/sid' >"$T/debian_version"
os etc/os-release="$T/sid-os-release" etc/debian_version="$T/debian_version"
expect family debian
expect version trixie
expect codename trixie
# without a codename anywhere but debian_version "sid"
grep -v '^VERSION_CODENAME=' "$T/sid-os-release" >"$T/sid2"
echo 'sid' >"$T/debian_version"
os etc/os-release="$T/sid2" etc/debian_version="$T/debian_version"
expect version sid
# no os-release: debian_version alone
os etc/debian_version="$D/os/debian-bookworm/debian_version"
expect family debian
expect version 12
expect source etc/debian_version

# Alpine minirootfs: os-release, alpine-release, apk/repositories
for v in 3.9.6 3.12.12 3.16.9 3.20.3; do
	r="$T/root-$v"
	mkdir -p "$r"
	tar -xzf "$D/images/alpine-minirootfs/alpine-minirootfs-$v-x86_64.tar.gz" -C "$r" ||
		fail "extract $v"
	f="$r/etc/os-release"
	branch=$(awk -F/ '/^[^#@]/ { for (i = 1; i < NF; i++) if ($(i + 1) == "main") { print $i; exit } }' \
		"$r/etc/apk/repositories")
	[ -n "$branch" ] || fail "$v: no branch in the test data"
	os etc/os-release="$f" etc/alpine-release="$r/etc/alpine-release" \
		etc/apk/repositories="$r/etc/apk/repositories"
	expect family alpine
	expect version "$(field "$f" VERSION_ID)"
	expect apk_branch "$branch"
	# without os-release: alpine-release
	os etc/alpine-release="$r/etc/alpine-release" \
		etc/apk/repositories="$r/etc/apk/repositories"
	expect family alpine
	expect version "$(cat "$r/etc/alpine-release")"
	expect apk_branch "$branch"
done
# mixed repositories: an edge community line first; main decides
r="$T/root-3.20.3"
{
	echo 'https://dl-cdn.alpinelinux.org/alpine/edge/community'
	echo '@testing https://dl-cdn.alpinelinux.org/alpine/edge/testing'
	cat "$r/etc/apk/repositories"
} >"$T/mixed"
os etc/os-release="$r/etc/os-release" etc/apk/repositories="$T/mixed"
expect apk_branch v3.20
# edge main
sed 's#/v3\.20/#/edge/#' "$r/etc/apk/repositories" >"$T/edge"
os etc/os-release="$r/etc/os-release" etc/apk/repositories="$T/edge"
expect apk_branch edge

# release files without os-release (first lines as the distributions
# write them)
rel() { # PATH LINE FAMILY VERSION
	printf '%s\n' "$2" >"$T/rel"
	os "$1=$T/rel"
	expect family "$3"
	expect version "$4"
	expect source "$1"
}
rel etc/redhat-release 'Red Hat Enterprise Linux Server release 7.9 (Maipo)' rhel 7.9
rel etc/centos-release 'CentOS Linux release 7.9.2009 (Core)' centos 7.9.2009
rel etc/rocky-release 'Rocky Linux release 8.9 (Green Obsidian)' rocky 8.9
rel etc/almalinux-release 'AlmaLinux release 9.3 (Shamrock Pearl Kitten)' almalinux 9.3
rel etc/oracle-release 'Oracle Linux Server release 7.9' ol 7.9
rel etc/fedora-release 'Fedora release 39 (Thirty Nine)' fedora 39
rel etc/system-release 'Amazon Linux release 2 (Karoo)' amzn 2
rel etc/system-release 'Amazon Linux AMI release 2018.03' amzn 2018.03
printf 'SUSE Linux Enterprise Server 11 (x86_64)\nVERSION = 11\nPATCHLEVEL = 4\n' >"$T/suse"
os etc/SuSE-release="$T/suse"
expect family sles
expect version 11.4

# nothing known
os
expect family ''

# an oversized os-release: one-line limit error
head -c 70000 /dev/zero | tr '\0' '#' >"$T/big"
expect_exit 2 "$TOOL" os etc/os-release="$T/big"
expect_one_line_error
grep -q "'etc/os-release'.*DRYDOCK_MAX_OSRELEASE_BYTES" "$T/err" || fail "big: $(cat "$T/err")"
pass
