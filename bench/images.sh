# Shared by the benchmarks that read real Debian images (bench/sbom,
# bench/scan): builds, once and cached in $WORK, a debootstrap minbase
# bookworm root filesystem and a large one, packs each as OCI layouts with
# gzip layers (tests/image/layout.sh: tar, gzip and sha256sum, no drydock
# involved), and times commands.
#
# Sourced with SRC (the source tree) and WORK (the cache directory) set.
# rootfs and pack need debootstrap and root, the first time only.
# shellcheck shell=sh
. "$SRC/tests/image/layout.sh"
MIRROR=${MIRROR:-http://deb.debian.org/debian}
LARGE_PKGS=build-essential,python3,python3-dev,perl,git,curl,wget,vim,gdb,cmake,clang,llvm,default-jdk-headless,libboost-dev,golang-go,ruby,nodejs,postgresql-client,imagemagick

rootfs() { # NAME [INCLUDE]: $WORK/NAME, a bookworm minbase (plus INCLUDE)
	[ -f "$WORK/$1/etc/os-release" ] && return 0
	rm -rf "${WORK:?}/$1"
	debootstrap --variant=minbase ${2:+--include=$2} bookworm "$WORK/$1" \
		"$MIRROR" >"$WORK/$1.log" 2>&1
	# clean like the official images
	rm -rf "$WORK/$1/var/cache/apt/"* "$WORK/$1/var/lib/apt/lists/"* \
		"$WORK/$1/var/log/"*
}

# The two images every benchmark uses: minbase and large.
build_images() {
	mkdir -p "$WORK"
	rootfs minbase
	rootfs large "$LARGE_PKGS"
	pack minbase
	pack large
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

# median5 CMD...: the median wall time of 5 runs of CMD, in seconds
median5() {
	timed5 "" "" "$@" | cut -d' ' -f1
}

# timed5 PREP CPUS CMD...: "WALL CPU", the medians of 5 runs of CMD of
# the wall time and of the CPU time (user + system, with its threads and
# children), in seconds (bench/timed.py). PREP is a shell command run
# untimed before each run ("" for none); CPUS the CPUs CMD may use ("0",
# "0,1"; "" for any). CPU time tells more than wall time on a machine
# shared with other work.
timed5() {
	python3 "$SRC/bench/timed.py" 5 "$@"
}
