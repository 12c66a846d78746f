#!/bin/sh
# Install what drydock needs, build it, and run the main job on bundled
# real data: the SBOM of a bundled real image.
set -eu
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
[ -d build ] || meson setup build -Dtests=false
ninja -C build
echo "== drydock sbom of the bundled Debian image (oci-tiny:app)"
./build/src/drydock sbom oci:tests/data/images/debian-tiny/oci-tiny:app -f table
