#!/bin/sh
# Fail when a C file differs from what .clang-format makes of it.
# scripts/check-format.sh --fix rewrites the files instead.
set -eu
cd "$(dirname "$0")/.."
files=$(git ls-files --cached --others --exclude-standard '*.c' '*.h' 2>/dev/null || find include lib src tests fuzz bench -name '*.[ch]')
[ -n "$files" ] || exit 0
if [ "${1:-}" = "--fix" ]; then
	# shellcheck disable=SC2086
	clang-format -i $files
	exit 0
fi
bad=0
for f in $files; do
	if ! clang-format "$f" | cmp -s - "$f"; then
		echo "not formatted: $f (run scripts/check-format.sh --fix)" >&2
		bad=1
	fi
done
exit $bad
