#!/bin/sh
# Layer reading speed on real Debian images, against the decompressors
# alone. Builds (once, cached in WORK) a debootstrap minbase bookworm and a
# large one (debootstrap --include=...), packs each as an OCI layout with
# gzip layers (one layer, and four layers split by directory), then
# reports the median of 5 runs of:
#   igzip -dc LAYERS >/dev/null      ISA-L's own command, one core
#   zcat LAYERS >/dev/null           zlib (gzip), one core
#   drydock, one core and two        `drydock sbom` once it exists;
#                                    until then drydock-test-tool reading
#                                    the kept fs (same library path)
#
# usage: bench/sbom/run.sh WORK [BUILD_DIR]   (as root: debootstrap)
set -eu
WORK=$1
SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${2:-$SRC/build}
. "$SRC/tests/image/layout.sh"
MIRROR=${MIRROR:-http://deb.debian.org/debian}
LARGE_PKGS=build-essential,python3,python3-dev,perl,git,curl,wget,vim,gdb,cmake,clang,llvm,default-jdk-headless,libboost-dev,golang-go,ruby,nodejs,postgresql-client,imagemagick

mkdir -p "$WORK"

rootfs() { # NAME [INCLUDE]
	[ -f "$WORK/$1/etc/os-release" ] && return 0
	rm -rf "$WORK/$1"
	debootstrap --variant=minbase ${2:+--include=$2} bookworm "$WORK/$1" \
		"$MIRROR" >"$WORK/$1.log" 2>&1
	# clean like the official images
	rm -rf "$WORK/$1/var/cache/apt/"* "$WORK/$1/var/lib/apt/lists/"* \
		"$WORK/$1/var/log/"*
}

pack() { # NAME: oci-NAME-1 (one layer) and oci-NAME-4 (four layers)
	r="$WORK/$1"
	if [ ! -f "$WORK/oci-$1-1/index.json" ]; then
		tar -C "$r" --numeric-owner -cf - . | gzip -6 >"$WORK/$1-all.tgz"
		oci_layout "$WORK/oci-$1-1" gzip "$WORK/$1-all.tgz"
		rm "$WORK/$1-all.tgz"
	fi
	if [ ! -f "$WORK/oci-$1-4/index.json" ]; then
		tar -C "$r" --numeric-owner -cf - ./usr/lib | gzip -6 >"$WORK/$1-l1.tgz"
		tar -C "$r" --numeric-owner -cf - ./usr/share | gzip -6 >"$WORK/$1-l2.tgz"
		tar -C "$r" --numeric-owner --exclude=./usr/lib --exclude=./usr/share \
			-cf - ./usr | gzip -6 >"$WORK/$1-l3.tgz"
		tar -C "$r" --numeric-owner --exclude=./usr -cf - . | gzip -6 >"$WORK/$1-l4.tgz"
		oci_layout "$WORK/oci-$1-4" gzip "$WORK/$1-l1.tgz" "$WORK/$1-l2.tgz" \
			"$WORK/$1-l3.tgz" "$WORK/$1-l4.tgz"
		rm "$WORK/$1"-l?.tgz
	fi
}

layers() { # LAYOUT: the layer blob paths in order
	m=$(jq -r '.manifests[0].digest' "$1/index.json" | cut -d: -f2)
	jq -r '.layers[].digest' "$1/blobs/sha256/$m" | cut -d: -f2 |
		sed "s|^|$1/blobs/sha256/|"
}

now() { date +%s.%N; }
median5() { # CMD...: median wall time of 5 runs, in seconds
	for k in 1 2 3 4 5; do
		t0=$(now)
		"$@" >/dev/null 2>&1 || { echo "FAILED: $*" >&2; exit 1; }
		t1=$(now)
		echo "$t1 - $t0" | bc
	done | sort -n | sed -n 3p
}

DRYDOCK="$BUILD/src/drydock"
TOOL="$BUILD/tests/image/drydock-test-tool"
WANT="-w var/lib/dpkg/status -w var/lib/dpkg/status.d/* -w etc/os-release -w usr/lib/os-release -w lib/apk/db/installed -w var/lib/rpm/*"
# the drydock command for JOBS and LAYOUT, as one shell string
drydock_cmd() {
	if "$DRYDOCK" help sbom >/dev/null 2>&1; then
		echo "'$DRYDOCK' sbom --no-cache --jobs $1 'oci:$2'"
	else
		echo "'$TOOL' -j $1 $WANT get 'oci:$2' var/lib/dpkg/status"
	fi
}

rootfs minbase
rootfs large "$LARGE_PKGS"
pack minbase
pack large

echo "| image | layers | tar MB | gzip MB | igzip -dc 1 core | zcat 1 core | drydock 1 core | drydock 2 cores | drydock/igzip (1 core) |"
echo "|---|---|---|---|---|---|---|---|---|"
for img in minbase large; do
	for n in 1 4; do
		L="$WORK/oci-$img-$n"
		files=$(layers "$L")
		# shellcheck disable=SC2086
		gz=$(cat $files | wc -c)
		# shellcheck disable=SC2086
		tarb=$(igzip -dc $files | wc -c)
		# shellcheck disable=SC2086
		ig=$(median5 taskset -c 0 igzip -dc $files)
		# shellcheck disable=SC2086
		zc=$(median5 taskset -c 0 zcat $files)
		d1=$(median5 taskset -c 0 sh -c "$(drydock_cmd 1 "$L")")
		d2=$(median5 taskset -c 0,1 sh -c "$(drydock_cmd 2 "$L")")
		printf '| %s | %d | %.0f | %.0f | %.2f s | %.2f s | %.2f s | %.2f s | %.2f |\n' \
			"$img" "$n" "$(echo "$tarb / 1000000" | bc -l)" \
			"$(echo "$gz / 1000000" | bc -l)" "$ig" "$zc" "$d1" "$d2" \
			"$(echo "$d1 / $ig" | bc -l)"
	done
done
