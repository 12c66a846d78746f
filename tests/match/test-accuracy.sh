#!/bin/sh
# Accuracy of 'drydock scan' on real images and feeds (tests/match/ACCURACY.md):
# drydock's JSON findings must equal, as a set, the findings an independent
# python route (accuracy.py) derives from the same inputs by the documented
# rules. Also the exit status contract and the output formats.
#
# usage: test-accuracy.sh PART   (alpine debian ubuntu rpm rebuilds exit formats)
# Exit 77 (skipped) for a part whose importer is not built.
. "$DRYDOCK_SOURCE_ROOT/tests/lib.sh"

HERE="$DRYDOCK_SOURCE_ROOT/tests/match"
# the system python has python3-rpm and python3-jsonschema
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
acc() { "$PY" "$HERE/accuracy.py" "$@"; }
FEEDS="$D/feeds"
DSA="$FEEDS/debian-tracker/data-DSA-list-2023-04-02"
TRACKER="$FEEDS/debian-tracker/vunnel-tracker-json-extract.json"
TINY="$D/images/debian-tiny/oci-tiny"
scan() { "$DRYDOCK" scan -q "$@"; }

# A report with one finding less must be rejected: the comparison can fail.
check_can_fail() { # REPORT ACC-ARGS...: "acc ACC-ARGS... REPORT-minus-one"
	r=$1
	shift
	"$PY" - "$r" "$T/mutated.json" <<-'EOF' || fail "no finding to drop"
		import json, sys
		d = json.load(open(sys.argv[1]))
		d["findings"].pop()
		json.dump(d, open(sys.argv[2], "w"))
	EOF
	acc "$@" "$T/mutated.json" >"$T/mutated.out"
	rc=$?
	[ $rc = 3 ] || fail "a report missing a finding: exit $rc, not 3: $(cat "$T/mutated.out")"
	grep -q '^  missing ' "$T/mutated.out" || fail "no missing finding named"
}

alpine_db() {
	"$DRYDOCK" db import --db "$T/alpine.db" "$FEEDS/alpine-secdb/v3.9" \
		"$FEEDS/alpine-secdb/v3.12" "$FEEDS/alpine-secdb/v3.16" \
		"$FEEDS/alpine-secdb/v3.20" >/dev/null ||
		fail "importing the Alpine secdb"
}

alpine_root() { # VERSION: extract the minirootfs into $T/alpine-VERSION
	mkdir -p "$T/alpine-$1"
	tar -xzf "$D/images/alpine-minirootfs/alpine-minirootfs-$1-x86_64.tar.gz" \
		-C "$T/alpine-$1" 2>/dev/null || fail "extracting minirootfs $1"
}

part_alpine() {
	acc apk-vectors "$D/vectors/apk.tsv" || fail "apk comparison"
	alpine_db
	for v in 3.9.6 3.12.12 3.16.9 3.20.3; do
		alpine_root "$v"
		scan "dir:$T/alpine-$v" --db "$T/alpine.db" -f json \
			>"$T/a-$v.json" || fail "scan of minirootfs $v"
		acc alpine "$T/alpine-$v" "$FEEDS/alpine-secdb" "$T/a-$v.json" ||
			fail "Alpine $v findings differ"
	done
	check_can_fail "$T/a-3.9.6.json" alpine "$T/alpine-3.9.6" \
		"$FEEDS/alpine-secdb"
}

# Debian 10 trees: os-release written here (synthetic, ACCURACY.md)
deb10_tree() { # DIR STATUS-FILE
	mkdir -p "$1/etc" "$1/var/lib/dpkg"
	cp "$2" "$1/var/lib/dpkg/status"
	cat >"$1/etc/os-release" <<-EOF
		PRETTY_NAME="Debian GNU/Linux 10 (buster)"
		NAME="Debian GNU/Linux"
		VERSION_ID="10"
		VERSION="10 (buster)"
		VERSION_CODENAME=buster
		ID=debian
	EOF
}

part_debian() {
	"$DRYDOCK" db import --db "$T/deb.db" "$TRACKER" "$DSA" >/dev/null ||
		fail "importing the Debian feeds"
	feeds="--tracker $TRACKER --dsa $DSA"
	# real package databases
	deb10_tree "$T/deb10" "$D/pkgdb/dpkg/claircore-debian10-postgresql.status"
	scan dir:"$T/deb10" --db "$T/deb.db" -f json >"$T/deb10.json" ||
		fail "scan of the Debian 10 tree"
	acc deb --root "$T/deb10" $feeds "$T/deb10.json" ||
		fail "Debian 10 findings differ"
	for tag in base app base-v2; do
		scan "oci:$TINY:$tag" --db "$T/deb.db" -f json >"$T/$tag.json" ||
			fail "scan of debian-tiny $tag"
		acc deb --oci "$TINY" "$tag" $feeds "$T/$tag.json" ||
			fail "debian-tiny $tag findings differ"
	done
	# synthetic inventory from the real DSA list (ACCURACY.md)
	acc deb-status "$D/pkgdb/dpkg/debian-bookworm-minbase-status" "$DSA" \
		buster >"$T/synthetic.status" || fail "deb-status"
	deb10_tree "$T/deb10s" "$T/synthetic.status"
	scan dir:"$T/deb10s" --db "$T/deb.db" -f json >"$T/deb10s.json" ||
		fail "scan of the synthetic Debian 10 tree"
	acc deb --root "$T/deb10s" $feeds "$T/deb10s.json" ||
		fail "synthetic Debian 10 findings differ"
	check_can_fail "$T/deb10s.json" deb --root "$T/deb10s" $feeds

	# base images: a synthetic tracker feed over the image's own sources
	acc deb-tracker-synthetic --oci "$TINY" app >"$T/syn.json" ||
		fail "deb-tracker-synthetic"
	"$DRYDOCK" db import --db "$T/syn.db" "$T/syn.json" >/dev/null ||
		fail "importing the synthetic tracker feed"
	scan "oci:$TINY:app" --base "oci:$TINY:base" --db "$T/syn.db" -f json \
		>"$T/app-base.json" || fail "scan of app --base base"
	acc deb --oci "$TINY" app --base-layers 1 --tracker "$T/syn.json" \
		"$T/app-base.json" || fail "app --base findings differ"
	# the updated base over the old one: libexpat1 comes from layer 2
	acc deb-tracker-synthetic --oci "$TINY" base-v2 >"$T/syn2.json" ||
		fail "deb-tracker-synthetic"
	"$DRYDOCK" db import --db "$T/syn2.db" "$T/syn2.json" >/dev/null ||
		fail "importing the synthetic tracker feed"
	scan "oci:$TINY:base-v2" --base "oci:$TINY:base" --db "$T/syn2.db" \
		-f json >"$T/v2-base.json" || fail "scan of base-v2 --base base"
	acc deb --oci "$TINY" base-v2 --base-layers 1 --tracker "$T/syn2.json" \
		"$T/v2-base.json" || fail "base-v2 --base findings differ"
	# without --base: the history marks no boundary, in_base is null
	scan "oci:$TINY:app" --db "$T/syn.db" -f json >"$T/app-nobase.json" ||
		fail "scan of app"
	acc deb --oci "$TINY" app --tracker "$T/syn.json" "$T/app-nobase.json" ||
		fail "app findings differ"
	"$PY" - "$T/app-base.json" <<-'EOF' || fail "in_base not mixed"
		import json, sys
		f = json.load(open(sys.argv[1]))["findings"]
		t = sum(1 for x in f if x["in_base"] is True)
		n = sum(1 for x in f if x["in_base"] is False)
		print("app --base base: %d findings in the base, %d in the app layer" % (t, n))
		sys.exit(0 if t and n and t + n == len(f) else 1)
	EOF
	scan "oci:$TINY:app" --base "oci:$TINY:base" --exclude-base \
		--db "$T/syn.db" -f json >"$T/app-excl.json" ||
		fail "scan of app --exclude-base"
	"$PY" - "$T/app-base.json" "$T/app-excl.json" <<-'EOF' ||
		import json, sys
		key = lambda x: (x["package"], x["id"])
		a = json.load(open(sys.argv[1]))["findings"]
		b = json.load(open(sys.argv[2]))["findings"]
		want = sorted(key(x) for x in a if x["in_base"] is not True)
		got = sorted(key(x) for x in b)
		if want != got:
		    print("--exclude-base kept", sorted(set(got) - set(want)),
		          "dropped", sorted(set(want) - set(got)))
		    sys.exit(1)
		print("--exclude-base: %d findings left, the app layer's" % len(got))
	EOF
		fail "--exclude-base did not drop exactly the base findings"
}

# Usage errors (src/cmd.c, all commands): one line naming the problem and
# pointing at the help ("(see 'drydock help scan')").
expect_usage_error() { # WORD: the error line names WORD
	n=$(wc -l <"$T/err")
	head -n 1 "$T/err" | grep -q "^drydock scan: .*$1.* (see 'drydock help scan')$" ||
		fail "usage error does not name '$1': $(cat "$T/err")"
	[ "$n" = 1 ] || fail "usage error is not one line: $(cat "$T/err")"
}

part_exit() {
	alpine_db
	alpine_root 3.9.6
	"$DRYDOCK" db import --db "$T/syn.db" \
		"$(acc deb-tracker-synthetic --oci "$TINY" app >"$T/syn.json" &&
			echo "$T/syn.json")" >/dev/null || fail "synthetic feed"
	app="oci:$TINY:app"
	# 0: findings, no gate; a gate above every finding's severity
	expect_exit 0 scan "dir:$T/alpine-3.9.6" --db "$T/alpine.db"
	[ -s "$T/stdout" ] || fail "no table written"
	expect_exit 0 scan "$app" --db "$T/syn.db" --fail-on high
	expect_exit 0 scan "$app" --db "$T/syn.db" --fail-on critical -f json
	# 1: the gate fails (the synthetic feed rates medium and low)
	expect_exit 1 scan "$app" --db "$T/syn.db" --fail-on medium
	expect_exit 1 scan "$app" --db "$T/syn.db" --fail-on low -f json
	"$PY" -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/stdout" ||
		fail "no JSON report with a failed gate"
	# filters apply before the gate: only low findings left -> medium passes
	expect_exit 0 scan "$app" --db "$T/syn.db" --fail-on medium \
		--severity low
	# 2: cannot run, each with a one-line error, even for a vulnerable image
	expect_exit 2 scan "$app" --db "$T/missing.db" --fail-on low
	expect_one_line_error
	printf 'not a database\n' >"$T/corrupt.db"
	expect_exit 2 scan "$app" --db "$T/corrupt.db" --fail-on low
	expect_one_line_error
	head -c 3000 "$D/images/debian-tiny/tiny-app.docker.tar" >"$T/cut.tar"
	expect_exit 2 scan "docker-archive:$T/cut.tar" --db "$T/syn.db"
	expect_one_line_error
	printf 'garbage' >"$T/garbage.tar"
	expect_exit 2 scan "oci-archive:$T/garbage.tar" --db "$T/syn.db"
	expect_one_line_error
	expect_exit 2 scan "oci:$T/nowhere:app" --db "$T/syn.db"
	expect_one_line_error
	expect_exit 2 scan "$app" --db "$T/syn.db" --fail-on severe
	expect_usage_error severe
	expect_exit 2 scan "$app" --db "$T/syn.db" -f xml
	expect_usage_error xml
	expect_exit 2 scan "$app" --db "$T/syn.db" --no-such-option
	expect_usage_error no-such-option
	expect_exit 2 scan --db "$T/syn.db"
	expect_usage_error "no image"
	expect_exit 2 scan "$app" --db "$T/syn.db" --severity high,urgent
	expect_usage_error urgent
	# --base whose layers are not a prefix of the image's
	expect_exit 2 scan "$app" --base "oci:$TINY:base-v2" --db "$T/syn.db"
	expect_one_line_error
}

part_formats() {
	alpine_db
	alpine_root 3.9.6
	acc deb-tracker-synthetic --oci "$TINY" app >"$T/syn.json" || fail synth
	"$DRYDOCK" db import --db "$T/syn.db" "$T/syn.json" >/dev/null ||
		fail "synthetic feed"
	for img in "dir:$T/alpine-3.9.6 alpine.db" "oci:$TINY:app syn.db"; do
		set -- $img
		for f in json sarif cyclonedx table; do
			scan "$1" --db "$T/$2" -f "$f" -o "$T/r1.$f" ||
				fail "$1 -f $f"
			scan "$1" --db "$T/$2" -f "$f" >"$T/r2.$f" ||
				fail "$1 -f $f"
			cmp -s "$T/r1.$f" "$T/r2.$f" ||
				fail "$1 -f $f: two runs differ"
		done
		"$PY" "$HERE/validate-report.py" "$D/schemas" "$T/r1.sarif" \
			"$T/r1.cyclonedx" "$T/r1.json" ||
			fail "$1: a report does not validate"
	done
}

# Import FEEDS... with --format FORMAT into DB; exit 77 (skipped) when
# this build has no such importer.
import_or_skip() { # DB FORMAT PATH...
	db=$1
	fmt=$2
	shift 2
	if ! "$DRYDOCK" db import --db "$db" --format "$fmt" "$@" \
		>/dev/null 2>"$T/import.err"; then
		if grep -q "unknown format '$fmt'" "$T/import.err"; then
			echo "SKIP: no $fmt importer in this build"
			exit 77
		fi
		fail "importing $fmt: $(cat "$T/import.err")"
	fi
}

# Ubuntu 18.04 trees: os-release written here (synthetic, ACCURACY.md)
u1804_tree() { # DIR STATUS-FILE
	mkdir -p "$1/etc" "$1/var/lib/dpkg"
	cp "$2" "$1/var/lib/dpkg/status"
	cat >"$1/etc/os-release" <<-EOF
		NAME="Ubuntu"
		VERSION="18.04.6 LTS (Bionic Beaver)"
		ID=ubuntu
		ID_LIKE=debian
		PRETTY_NAME="Ubuntu 18.04.6 LTS"
		VERSION_ID="18.04"
		VERSION_CODENAME=bionic
		UBUNTU_CODENAME=bionic
	EOF
}

part_ubuntu() {
	osv="$FEEDS/osv/ubuntu"
	import_or_skip "$T/u.db" osv "$osv"
	# real: texlive's Ubuntu 18.04 status
	u1804_tree "$T/u18" "$D/pkgdb/dpkg/claircore-ubuntu1804-texlive.status"
	scan "dir:$T/u18" --db "$T/u.db" -f json >"$T/u18.json" ||
		fail "scan of the Ubuntu 18.04 tree"
	acc deb --root "$T/u18" --osv "$osv" "$T/u18.json" ||
		fail "Ubuntu 18.04 findings differ"
	# real: an Ubuntu 20.04 image's status and os-release
	mkdir -p "$T/u20/usr/lib" "$T/u20/var/lib/dpkg"
	cp "$D/pkgdb/dpkg/ubuntu-20.04-armhf/var-lib-dpkg-status" \
		"$T/u20/var/lib/dpkg/status"
	cp "$D/pkgdb/dpkg/ubuntu-20.04-armhf/usr-lib-os-release" \
		"$T/u20/usr/lib/os-release"
	scan "dir:$T/u20" --db "$T/u.db" -f json >"$T/u20.json" ||
		fail "scan of the Ubuntu 20.04 tree"
	acc deb --root "$T/u20" --osv "$osv" "$T/u20.json" ||
		fail "Ubuntu 20.04 findings differ"
	# synthetic inventory from the OSV records' own packages
	acc osv-status "$osv" Ubuntu:18.04:LTS >"$T/u18s.status" ||
		fail "osv-status"
	u1804_tree "$T/u18s" "$T/u18s.status"
	scan "dir:$T/u18s" --db "$T/u.db" -f json >"$T/u18s.json" ||
		fail "scan of the synthetic Ubuntu 18.04 tree"
	acc deb --root "$T/u18s" --osv "$osv" "$T/u18s.json" ||
		fail "synthetic Ubuntu 18.04 findings differ"
	check_can_fail "$T/u18s.json" deb --root "$T/u18s" --osv "$osv"
}

# AlmaLinux and Rocky: their own OSV advisories, keyed by binary RPM, over
# synthetic SBOM inventories of the packages they name (ACCURACY.md)
part_rebuilds() {
	"$PY" -c 'import rpm' 2>/dev/null || {
		echo "SKIP: no python3-rpm"
		exit 77
	}
	osv="$FEEDS/osv/almalinux $FEEDS/osv/rocky"
	# shellcheck disable=SC2086
	import_or_skip "$T/r.db" osv $osv
	for d in almalinux-8 almalinux-9 rocky-8 rocky-9; do
		# shellcheck disable=SC2086
		acc rpm-sbom "$d" $osv >"$T/$d.cdx.json" || fail "rpm-sbom $d"
		scan "sbom:$T/$d.cdx.json" --db "$T/r.db" -f json >"$T/$d.json" ||
			fail "scan of the $d SBOM"
		# shellcheck disable=SC2086
		acc rpm-rebuilds "$T/$d.cdx.json" $osv "$T/$d.json" ||
			fail "$d findings differ"
	done
	# shellcheck disable=SC2086
	check_can_fail "$T/almalinux-8.json" rpm-rebuilds \
		"$T/almalinux-8.cdx.json" $osv
}

# RHEL 8 trees: os-release written here (synthetic, ACCURACY.md)
rhel8_tree() { # DIR RPMDB-FILE NAME-IN-var/lib/rpm
	mkdir -p "$1/etc" "$1/var/lib/rpm"
	cp "$2" "$1/var/lib/rpm/$3"
	cat >"$1/etc/os-release" <<-EOF
		NAME="Red Hat Enterprise Linux"
		VERSION="8.1 (Ootpa)"
		ID="rhel"
		ID_LIKE="fedora"
		VERSION_ID="8.1"
		PLATFORM_ID="platform:el8"
		PRETTY_NAME="Red Hat Enterprise Linux 8.1 (Ootpa)"
	EOF
}

# Red Hat OVAL: real rpm databases in RHEL 8 trees, then a synthetic SBOM
# of the packages the OVAL names (ACCURACY.md)
part_rpm() {
	"$PY" -c 'import rpm' 2>/dev/null || {
		echo "SKIP: no python3-rpm"
		exit 77
	}
	oval="$FEEDS/redhat-oval/rhel-8.oval-v2-subset.xml"
	import_or_skip "$T/rh.db" redhat-oval "$oval"
	rpmdb="$D/pkgdb/rpm"
	rhel8_tree "$T/libuuid" "$rpmdb/go-rpmdb-libuuid-Packages.bdb" Packages
	rhel8_tree "$T/epoch" "$rpmdb/osv-scalibr-Packages_epoch.bdb" Packages
	rhel8_tree "$T/rpm418" "$rpmdb/debian-rpm-4.18/rpmdb.sqlite" \
		rpmdb.sqlite
	for t in libuuid epoch rpm418; do
		scan "dir:$T/$t" --db "$T/rh.db" -f json >"$T/$t.json" ||
			fail "scan of the $t tree"
		acc rpm-oval "$T/$t" "$oval" "$T/$t.json" ||
			fail "$t findings differ"
	done
	acc oval-sbom "$oval" 8.1 >"$T/oval.cdx.json" || fail "oval-sbom"
	scan "sbom:$T/oval.cdx.json" --db "$T/rh.db" -f json >"$T/oval.json" ||
		fail "scan of the OVAL SBOM"
	acc rpm-oval-sbom "$T/oval.cdx.json" "$oval" "$T/oval.json" ||
		fail "OVAL SBOM findings differ"
	check_can_fail "$T/oval.json" rpm-oval-sbom "$T/oval.cdx.json" "$oval"

	# the same packages as a real rpm database: built (empty) by rpmbuild
	# and recorded by rpm --justdb into a RHEL 8 tree's rpmdb.sqlite
	if ! command -v rpmbuild >/dev/null || ! command -v rpm >/dev/null; then
		echo "SKIP (case 3 only): no rpmbuild"
		return 0
	fi
	acc oval-specs "$oval" "$T/specs" || fail "oval-specs"
	# one rpmbuild per spec, each with its own log, so that a failure
	# names the spec and shows rpmbuild's own error lines
	# rpmbuild creates its directories without tolerating a concurrent
	# mkdir ("failed to create directory %{_builddir}: File exists"), so
	# they are made before the parallel builds start
	mkdir -p "$T/rpmlog" "$T/rpmbuild/RPMS/x86_64" "$T/rpmbuild/SRPMS"
	for d in BUILD BUILDROOT SOURCES SPECS; do
		mkdir -p "$T/rpmbuild/$d"
	done
	printf "%s\n" "$T"/specs/*.spec | xargs -P 2 -I{} sh -c '
		log="$1/rpmlog/$(basename "$2").log"
		rpmbuild -bb --quiet --target x86_64 \
			--define "_topdir $1/rpmbuild" "$2" >"$log" 2>&1 ||
			{ echo "exit $?" >>"$log"; exit 1; }' sh "$T" {} ||
		fail "rpmbuild ($(rpmbuild --version)): $(grep -v \
			-e '^Building target platforms' -e '^Building for target' \
			"$T"/rpmlog/*.log | head -n 20)"
	db="$T/built/var/lib/rpm"
	mkdir -p "$db" "$T/built/etc"
	cp "$T/libuuid/etc/os-release" "$T/built/etc/os-release"
	rpm --dbpath "$db" --initdb 2>"$T/rpm.err" ||
		fail "rpm --initdb: $(cat "$T/rpm.err")"
	rpm --dbpath "$db" -i --justdb --nodeps --noscripts --notriggers \
		--nosignature --nodigest --ignorearch --ignoreos \
		"$T"/rpmbuild/RPMS/*/*.rpm 2>"$T/rpm.err" ||
		fail "rpm --justdb: $(cat "$T/rpm.err")"
	scan "dir:$T/built" --db "$T/rh.db" -f json >"$T/built.json" ||
		fail "scan of the built rpm database"
	acc rpm-oval "$T/built" "$oval" "$T/built.json" ||
		fail "built rpm database findings differ"
}

case "${1:-}" in
alpine | debian | exit | formats | ubuntu | rpm | rebuilds) "part_$1" ;;
*) fail "usage: test-accuracy.sh alpine|debian|ubuntu|rpm|rebuilds|exit|formats" ;;
esac
pass
