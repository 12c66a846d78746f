#!/bin/sh
# Cold scans from a local registry against `curl | igzip -dc` of the same
# blobs, and warm scans of a second image on the same base.
#
# usage: bench/registry/run.sh WORK [BUILD_DIR]
#   WORK holds the OCI layouts bench/sbom/run.sh builds (oci-minbase-1,
#   oci-minbase-4, oci-large-1, ...; run that first). Each layout found is
#   pushed with skopeo to a docker-registry started on 127.0.0.1, with an
#   "app" image on it (its layers plus one of about 3 MB: a rewritten
#   var/lib/dpkg/status and /usr/share/doc, as a package install leaves),
#   then the median of 3 runs of:
#     curl|igzip seq   curl -s BLOB | igzip -dc >/dev/null, layer after layer
#     curl|igzip par   the same, all layers at once
#     drydock N        `drydock scan --no-cache --jobs N` of the registry
#                      reference (database: the bundled Debian feeds)
#     warm app         `drydock scan` of the app image with the layer cache
#                      holding the base image's layers (filled by one scan
#                      of the base): the app layer is read, the rest comes
#                      from the cache
#     warm again       the app image again, every layer in the cache
set -eu
WORK=$1
SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${2:-$SRC/build}
DRYDOCK="$BUILD/src/drydock"
REG="$SRC/tests/registry/registry.sh"
. "$SRC/tests/image/layout.sh"
R="$WORK/registry-bench"
rm -rf "$R"
mkdir -p "$R"
trap '"$REG" stop "$R"; rm -rf "$R"' EXIT
P=$("$REG" start "$R")
printf '{"default":[{"type":"insecureAcceptAnything"}]}' >"$R/policy.json"
FEEDS="$SRC/tests/data/feeds/debian-tracker"
"$DRYDOCK" db import --db "$R/deb.db" "$FEEDS/vunnel-tracker-json-extract.json" \
	"$FEEDS/data-DSA-list-2023-04-02" >/dev/null

now() { date +%s.%N; }
median3() {
	for k in 1 2 3; do
		t0=$(now)
		"$@" >/dev/null 2>&1 || { echo "FAILED: $*" >&2; exit 1; }
		t1=$(now)
		echo "$t1 - $t0" | bc
	done | sort -n | sed -n 2p
}
layers() { # LAYOUT: layer digests in order
	m=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["manifests"][0]["digest"].split(":")[1])' "$1/index.json")
	python3 -c 'import json,sys; [print(l["digest"]) for l in json.load(open(sys.argv[1]))["layers"]]' "$1/blobs/sha256/$m"
}
curl_seq() { # REPO DIGEST...
	repo=$1
	shift
	for d in "$@"; do
		curl -sf "http://127.0.0.1:$P/v2/$repo/blobs/$d" | igzip -dc >/dev/null
	done
}
curl_par() {
	repo=$1
	shift
	for d in "$@"; do
		curl -sf "http://127.0.0.1:$P/v2/$repo/blobs/$d" | igzip -dc >/dev/null &
	done
	wait
}
scan() { # REF [options]
	ref=$1
	shift
	"$DRYDOCK" scan "$ref" --insecure --db "$R/deb.db" -f json "$@"
}
# the app layer: what installing a package rewrites
mkdir -p "$R/app/var/lib/dpkg" "$R/app/usr/share"
if [ -f "$WORK/minbase/var/lib/dpkg/status" ]; then
	cp "$WORK/minbase/var/lib/dpkg/status" "$R/app/var/lib/dpkg/status"
	cp -r "$WORK/minbase/usr/share/doc" "$R/app/usr/share/doc"
fi
tar -C "$R/app" --numeric-owner -cf - . | gzip -6 >"$R/app.tgz"
echo "uptime at start: $(uptime)"
echo
echo "| image | layers | gzip MB | curl\\|igzip seq | curl\\|igzip par | drydock 1 job | drydock 2 jobs | drydock 2 / curl\\|igzip seq | warm app | warm again |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for L in "$WORK"/oci-*; do
	[ -f "$L/index.json" ] || continue
	name=$(basename "$L")
	ds=$(layers "$L")
	# the app image: the base's layer blobs, then the app layer
	rm -rf "$R/oci-app"
	files=""
	for d in $ds; do files="$files $L/blobs/sha256/${d#sha256:}"; done
	# shellcheck disable=SC2086
	(oci_layout "$R/oci-app" gzip $files "$R/app.tgz")
	skopeo --policy "$R/policy.json" copy -q --dest-tls-verify=false "oci:$L" "docker://127.0.0.1:$P/bench/$name:base"
	skopeo --policy "$R/policy.json" copy -q --dest-tls-verify=false "oci:$R/oci-app" "docker://127.0.0.1:$P/bench/$name:app"
	n=$(echo "$ds" | wc -l)
	gz=0
	for d in $ds; do gz=$((gz + $(stat -c %s "$L/blobs/sha256/${d#sha256:}"))); done
	# shellcheck disable=SC2086
	cs=$(median3 curl_seq "bench/$name" $ds)
	# shellcheck disable=SC2086
	cp_=$(median3 curl_par "bench/$name" $ds)
	d1=$(median3 scan "127.0.0.1:$P/bench/$name:base" --no-cache --jobs 1)
	d2=$(median3 scan "127.0.0.1:$P/bench/$name:base" --no-cache --jobs 2)
	w1=0
	for k in 1 2 3; do
		rm -rf "$R/cache"
		scan "127.0.0.1:$P/bench/$name:base" --cache-dir "$R/cache" >/dev/null
		t0=$(now)
		scan "127.0.0.1:$P/bench/$name:app" --cache-dir "$R/cache" >/dev/null
		t1=$(now)
		echo "$t1 - $t0" | bc
	done | sort -n | sed -n 2p >"$R/w1"
	w1=$(cat "$R/w1")
	w2=$(median3 scan "127.0.0.1:$P/bench/$name:app" --cache-dir "$R/cache")
	printf '| %s | %d | %.0f | %.2f s | %.2f s | %.2f s | %.2f s | %.2f | %.0f ms | %.0f ms |\n' \
		"$name" "$n" "$(echo "$gz / 1000000" | bc -l)" "$cs" "$cp_" "$d1" "$d2" \
		"$(echo "$d2 / $cs" | bc -l)" "$(echo "$w1 * 1000" | bc -l)" "$(echo "$w2 * 1000" | bc -l)"
done
echo
echo "uptime at end: $(uptime)"
