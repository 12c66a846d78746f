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
. "$SRC/bench/images.sh"

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

build_images

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
