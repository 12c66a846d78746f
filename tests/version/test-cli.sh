#!/bin/sh
# drydock version compare|valid: operands, stdin, errors, warnings.
set -u
. "$DRYDOCK_SOURCE_ROOT/tests/lib.sh"

rel() { # rel TYPE A B WANT
	got=$("$DRYDOCK" version compare --type "$1" "$2" "$3") ||
		fail "compare $1 '$2' '$3' exited $?"
	[ "$got" = "$4" ] || fail "$1: '$2' vs '$3': got '$got', want '$4'"
}
rel deb 1.0 1.0~rc1 '>'
rel deb 1:1.0 2.0 '>'
rel deb 1.0-1 1.0-1 '='
rel apk 1.2.3_rc1-r0 1.2.3-r0 '<'
rel apk 1.0~1234-r1 1.0~2345-r0 '<'
rel rpm 1.0^git1 1.0 '>'
rel rpm 1.0~rc1-1 1.0-1 '<'
rel rpm 2.0-1 1:1.0-1 '<'

# an invalid version: a one-line error naming it, exit 2
expect_exit 2 "$DRYDOCK" version compare --type deb 1.0- 1.0
expect_one_line_error
grep -q "'1.0-'" "$T/err" || fail "error does not name the version"
expect_exit 2 "$DRYDOCK" version compare --type apk 1.0 1.0bc
grep -q "'1.0bc'" "$T/err" || fail "apk error does not name the version"

# dpkg's warning-only syntax: compared, warning on stderr
expect_exit 0 "$DRYDOCK" version compare --type deb 6.0-4.el6_x 6.0-4.el6_y
[ "$(cat "$T/stdout")" = '<' ] || fail "warn pair: $(cat "$T/stdout")"
grep -q "warning: '6.0-4.el6_x'" "$T/err" || fail "no warning on stderr"
# an apk version only apk-tools 2 accepted: compared, with a warning
expect_exit 0 "$DRYDOCK" version compare --type apk 5.7.1p1-r0 5.7.1-r0
[ "$(cat "$T/stdout")" = '>' ] || fail "5.7.1p1-r0: $(cat "$T/stdout")"
grep -q "apk-tools 2" "$T/err" || fail "no apk-tools 2 warning"

# bulk: one relation per line
printf '1.0\t1.1\n2:0\t1:9\n1.0\t1.0\n' |
	"$DRYDOCK" version compare --type deb >"$T/out" || fail "bulk exit $?"
printf '<\n>\n=\n' | cmp -s - "$T/out" || fail "bulk: $(cat "$T/out")"
# bulk with an invalid line: stops with exit 2, or goes on with -k
printf '1\t2\nx-\t1\n3\t2\n' | "$DRYDOCK" version compare -t deb \
	>"$T/out" 2>"$T/err"
[ $? = 2 ] || fail "bulk invalid: not exit 2"
grep -q "line 2: 'x-'" "$T/err" || fail "bulk error: $(cat "$T/err")"
printf '1\t2\nx-\t1\n3\t2\n' | "$DRYDOCK" version compare -t deb -k \
	>"$T/out" 2>/dev/null
[ $? = 2 ] || fail "bulk -k: not exit 2"
printf '<\nerror\n>\n' | cmp -s - "$T/out" || fail "bulk -k: $(cat "$T/out")"
printf 'no tab here\n' | "$DRYDOCK" version compare -t rpm >/dev/null \
	2>"$T/err" && fail "a line without a tab passed"

# valid: verdicts, exit 1 when any is invalid
expect_exit 0 "$DRYDOCK" version valid --type deb 1.0-1 a-1
printf 'valid\nwarn\n' | cmp -s - "$T/stdout" || fail "valid: $(cat "$T/stdout")"
expect_exit 1 "$DRYDOCK" version valid --type apk 1.2 0.1a1 1.0bc
printf 'valid\nwarn\ninvalid\n' | cmp -s - "$T/stdout" ||
	fail "apk valid: $(cat "$T/stdout")"

# usage errors
expect_exit 2 "$DRYDOCK" version compare 1 2
expect_exit 2 "$DRYDOCK" version compare --type npm 1 2
expect_exit 2 "$DRYDOCK" version compare --type deb 1
expect_exit 2 "$DRYDOCK" version frobnicate --type deb
# the program's own version is another thing
"$DRYDOCK" --version | grep -q '^drydock [0-9]' || fail "--version"
pass
