# Write an OCI image layout from layer files, independently of drydock
# (sha256sum and printf only). Sourced by the image tests.
#
# oci_layout DIR MODE LAYER...
#   MODE gzip: each LAYER is already gzip-compressed, stored as is
#   MODE plain: each LAYER is a plain tar, stored as is
#   MODE zstd: each LAYER is a plain tar, compressed with zstd
# The config carries the diff IDs (sha256 of the plain tars).
oci_layout() {
	dir=$1 mode=$2
	shift 2
	mkdir -p "$dir/blobs/sha256"
	layers="" diffs=""
	for f in "$@"; do
		case $mode in
		gzip)
			cp "$f" "$dir/l.tmp"
			diff=$(gzip -dc "$f" 2>/dev/null | sha256sum | cut -d' ' -f1)
			mt=application/vnd.oci.image.layer.v1.tar+gzip
			;;
		plain)
			cp "$f" "$dir/l.tmp"
			diff=$(sha256sum <"$f" | cut -d' ' -f1)
			mt=application/vnd.oci.image.layer.v1.tar
			;;
		zstd)
			zstd -q -c "$f" >"$dir/l.tmp"
			diff=$(sha256sum <"$f" | cut -d' ' -f1)
			mt=application/vnd.oci.image.layer.v1.tar+zstd
			;;
		esac
		d=$(sha256sum <"$dir/l.tmp" | cut -d' ' -f1)
		size=$(wc -c <"$dir/l.tmp")
		mv "$dir/l.tmp" "$dir/blobs/sha256/$d"
		layers="$layers${layers:+,}{\"mediaType\":\"$mt\",\"digest\":\"sha256:$d\",\"size\":$size}"
		diffs="$diffs${diffs:+,}\"sha256:$diff\""
	done
	printf '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[%s]}}' \
		"$diffs" >"$dir/c.tmp"
	cd=$(sha256sum <"$dir/c.tmp" | cut -d' ' -f1)
	cs=$(wc -c <"$dir/c.tmp")
	mv "$dir/c.tmp" "$dir/blobs/sha256/$cd"
	printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[%s]}' \
		"$cd" "$cs" "$layers" >"$dir/m.tmp"
	md=$(sha256sum <"$dir/m.tmp" | cut -d' ' -f1)
	ms=$(wc -c <"$dir/m.tmp")
	mv "$dir/m.tmp" "$dir/blobs/sha256/$md"
	printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"latest"}}]}' \
		"$md" "$ms" >"$dir/index.json"
	printf '{"imageLayoutVersion":"1.0.0"}' >"$dir/oci-layout"
	# the manifest's digest, for callers
	OCI_MANIFEST="sha256:$md"
}
