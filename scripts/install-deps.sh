#!/bin/sh
# Install every Debian package drydock needs to build, test and benchmark.
# Usage: scripts/install-deps.sh   (as root, or with sudo available)
set -eu
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
PKGS="build-essential meson ninja-build pkg-config clang clang-format
 libarchive-dev libcurl4-openssl-dev libssl-dev zlib1g-dev libzstd-dev
 libisal-dev isal libsqlite3-dev libjansson-dev libyaml-dev libxml2-dev
 libmicrohttpd-dev libcmocka-dev libpq-dev
 dpkg-dev libdpkg-dev rpm python3-rpm python3 python3-jsonschema zstd gzip tar sqlite3 curl
 docker-registry skopeo umoci apache2-utils openssl debootstrap
 python3-cryptography python3-yaml jq ca-certificates"
export DEBIAN_FRONTEND=noninteractive
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
	$SUDO apt-get update -qq
	# shellcheck disable=SC2086
	$SUDO apt-get install -y -qq --no-install-recommends $missing
fi
