#!/bin/sh
# Cold scans from a local registry against `curl | igzip -dc` of the same
# blobs, and a warm scan from the layer cache.
#
# usage: bench/registry/run.sh WORK [BUILD_DIR]
#   WORK holds the OCI layouts bench/sbom/run.sh builds (oci-minbase-1,
#   oci-minbase-4, oci-large-1, ...; run that first). Each layout found is
#   pushed with skopeo to a docker-registry started on 127.0.0.1, then the
#   median of 3 runs of:
#     curl|igzip seq   curl -s BLOB | igzip -dc >/dev/null, layer after layer
#     curl|igzip par   the same, all layers at once
#     drydock N        drydock_image_open + read_fs on the registry
#                      reference (tests/registry/registry-live readfs: the
#                      library path `drydock sbom` takes) with N jobs,
#                      no cache
#     warm             the same with a layer cache already filled
set -eu
WORK=$1
SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${2:-$SRC/build}
LIVE="$BUILD/tests/registry/registry-live"
REG="$SRC/tests/registry/registry.sh"
R="$WORK/registry-bench"
rm -rf "$R"
mkdir -p "$R"
trap '"$REG" stop "$R"; rm -rf "$R"' EXIT
P=$("$REG" start "$R")
printf '{"default":[{"type":"insecureAcceptAnything"}]}' >"$R/policy.json"

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
export LIVE_INSECURE=1
echo "| image | layers | gzip MB | curl\\|igzip seq | curl\\|igzip par | drydock 1 job | drydock 2 jobs | drydock 2 / curl\\|igzip seq | warm (cache) |"
echo "|---|---|---|---|---|---|---|---|---|"
for L in "$WORK"/oci-*; do
	[ -f "$L/index.json" ] || continue
	name=$(basename "$L")
	skopeo --policy "$R/policy.json" copy -q --dest-tls-verify=false "oci:$L" "docker://127.0.0.1:$P/bench/$name:x"
	ds=$(layers "$L")
	n=$(echo "$ds" | wc -l)
	gz=0
	for d in $ds; do gz=$((gz + $(stat -c %s "$L/blobs/sha256/${d#sha256:}"))); done
	# shellcheck disable=SC2086
	cs=$(median3 curl_seq "bench/$name" $ds)
	# shellcheck disable=SC2086
	cp_=$(median3 curl_par "bench/$name" $ds)
	d1=$(LIVE_JOBS=1 median3 "$LIVE" - readfs "127.0.0.1:$P/bench/$name:x")
	d2=$(LIVE_JOBS=2 median3 "$LIVE" - readfs "127.0.0.1:$P/bench/$name:x")
	rm -rf "$R/cache"
	LIVE_CACHE_DIR="$R/cache" "$LIVE" - readfs "127.0.0.1:$P/bench/$name:x" >/dev/null 2>&1
	w=$(LIVE_CACHE_DIR="$R/cache" median3 "$LIVE" - readfs "127.0.0.1:$P/bench/$name:x")
	printf '| %s | %d | %.0f | %.2f s | %.2f s | %.2f s | %.2f s | %.2f | %.0f ms |\n' \
		"$name" "$n" "$(echo "$gz / 1000000" | bc -l)" "$cs" "$cp_" "$d1" "$d2" \
		"$(echo "$d2 / $cs" | bc -l)" "$(echo "$w * 1000" | bc -l)"
done
