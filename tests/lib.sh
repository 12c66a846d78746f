# Helpers for the shell tests. Sourced; sets T to a fresh temporary dir.
T=$(mktemp -d "${TMPDIR:-/tmp}/drydock-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
D="$DRYDOCK_TEST_DATA"
fail() {
	echo "FAIL: $*" >&2
	exit 1
}
pass() {
	echo "ok"
	exit 0
}
# expect_exit CODE CMD...: run CMD, its stderr to $T/err; check the status.
expect_exit() {
	want=$1
	shift
	"$@" >"$T/stdout" 2>"$T/err"
	got=$?
	[ "$got" = "$want" ] || fail "'$*' exited $got, wanted $want: $(head -c 400 "$T/err")"
}
# expect_one_line_error: the last command's stderr is exactly one line.
expect_one_line_error() {
	n=$(wc -l <"$T/err")
	[ "$n" = 1 ] || fail "expected a one-line error, got $n lines: $(cat "$T/err")"
}
