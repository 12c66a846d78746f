#!/bin/sh
# Install what drydock needs, build it, and run the main job on bundled
# real data: the SBOM of a bundled real image, then a vulnerability database
# built from the bundled real feeds and a scan of a bundled real image.
set -eu
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
[ -d build ] || meson setup build -Dtests=false
ninja -C build
echo "== drydock sbom of the bundled Debian image (oci-tiny:app)"
./build/src/drydock sbom oci:tests/data/images/debian-tiny/oci-tiny:app -f table
echo "== drydock db import of the bundled real feeds (Alpine secdb, Debian tracker, NVD)"
db=$(mktemp -d)/vuln.db
./build/src/drydock db import --db "$db" tests/data/feeds/alpine-secdb \
	tests/data/feeds/debian-tracker tests/data/feeds/nvd
echo "== drydock scan of the bundled Alpine 3.11 docker-archive"
./build/src/drydock scan --db "$db" \
	docker-archive:tests/data/images/docker-archive/trivy-fanal-alpine-311.tar.gz
