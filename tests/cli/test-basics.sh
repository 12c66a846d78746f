#!/bin/sh
# The command's conventions: help, unknown commands, docs/cli.md in step.
set -u
. "$DRYDOCK_SOURCE_ROOT/tests/lib.sh"

"$DRYDOCK" --help >"$T/out" || fail "--help exit $?"
grep -q '^usage: drydock COMMAND' "$T/out" || fail "--help has no usage"
"$DRYDOCK" help help >"$T/out" || fail "help help"
grep -q 'markdown' "$T/out" || fail "help help lists no options"
expect_exit 2 "$DRYDOCK" no-such-command
expect_exit 2 "$DRYDOCK"
expect_exit 2 "$DRYDOCK" help --no-such-option
"$DRYDOCK" help --markdown >"$T/cli.md" || fail "help --markdown"
diff -u "$DRYDOCK_SOURCE_ROOT/docs/cli.md" "$T/cli.md" ||
	fail "docs/cli.md is out of date: run 'drydock help --markdown > docs/cli.md'"
pass
