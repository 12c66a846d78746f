#!/bin/sh
# Credentials from the docker config as the docker CLI finds them:
# credHelpers, credsStore (docker-credential-drydocktest, a real helper
# program speaking the helper protocol, on PATH), auths with
# identitytoken, and identity tokens traded for bearer tokens with the
# OAuth2 refresh-token POST (token-server.py), against the real Debian
# docker-registry; through `drydock image digest` and `drydock sbom`.
set -u
. "$DRYDOCK_SOURCE_ROOT/tests/lib.sh"
command -v docker-registry >/dev/null || {
	echo "docker-registry missing (scripts/install-deps.sh)"
	exit 77
}
H="$DRYDOCK_SOURCE_ROOT/tests/registry"
OCI="$D/registry/oci-tiny"
# digest of oci-tiny's "app" manifest, from its index.json
APP=sha256:396172b01279fa5b54d6b9eaa7619f306659357f2c6515d733f214c1a3c44446
REFRESH=drydock-test-refresh-0f3a9c
cleanup() {
	[ -d "$T/r" ] && "$H/registry.sh" stop "$T/r"
	rm -rf "$T"
}
trap cleanup EXIT
export HOME="$T/home" DOCKER_CONFIG="$T/dc" DRYDOCK_TEST_CREDS="$T/creds"
unset DRYDOCK_REGISTRY_USERNAME DRYDOCK_REGISTRY_PASSWORD || true
mkdir -p "$HOME" "$T/dc" "$T/creds" "$T/bin"
# the helper under three names; "drydockmissing" is on no PATH
for n in drydocktest drydockstore drydockother; do
	ln -s "$H/docker-credential-drydocktest" "$T/bin/docker-credential-$n"
done
export PATH="$T/bin:$PATH"

P=$(TOKEN_REFRESH=$REFRESH "$H/registry.sh" start "$T/r" --token bob:builder) || fail "token registry"
R=127.0.0.1:$P
DRYDOCK_REGISTRY_USERNAME=bob DRYDOCK_REGISTRY_PASSWORD=builder \
	"$DRYDOCK" image copy -q --insecure "oci:$OCI:app" "$R/team/tiny:app" >"$T/out" 2>"$T/err" ||
	fail "push: $(cat "$T/err")"
[ "$(cat "$T/out")" = "$APP" ] || fail "pushed digest $(cat "$T/out")"
# the SBOM of the pushed image, read from the layout, for comparison
"$DRYDOCK" sbom -f table "oci:$OCI:app" | sed 1d >"$T/sbom.want" || fail "sbom of the layout"

b64() { printf '%s' "$1" | base64 | tr -d '\n'; }
config() { printf '%s\n' "$1" >"$T/dc/config.json"; }
store() { printf '%s\n' "$2" >"$T/creds/$1.json"; }
reset_logs() { : >"$T/creds/calls.log"; : >"$T/r/token.count"; }
digest_ok() { # what: image digest of team/tiny:app must work
	"$DRYDOCK" image digest --insecure "$R/team/tiny:app" >"$T/out" 2>"$T/err" ||
		fail "$1: $(cat "$T/err")"
	[ "$(cat "$T/out")" = "$APP" ] || fail "$1: digest $(cat "$T/out")"
}
BAD_AUTH=$(b64 bob:wrong)

## credHelpers: the registry's helper is run, credsStore and auths are not
config "{\"auths\":{\"$R\":{\"auth\":\"$BAD_AUTH\"}},\"credHelpers\":{\"$R\":\"drydocktest\"},\"credsStore\":\"drydockstore\"}"
store drydocktest "{\"$R\":{\"Username\":\"bob\",\"Secret\":\"builder\"}}"
store drydockstore "{\"$R\":{\"Username\":\"bob\",\"Secret\":\"wrong\"}}"
reset_logs
digest_ok "credHelpers"
[ "$(cat "$T/creds/calls.log")" = "drydocktest get $R" ] || fail "helper calls: $(cat "$T/creds/calls.log")"
grep -q "^GET bob repository:team/tiny:pull" "$T/r/token.count" || fail "token not for bob: $(cat "$T/r/token.count")"

## credsStore when credHelpers has no entry for the registry; it wins
## over the auths entry (the docker CLI's order)
config "{\"auths\":{\"$R\":{\"auth\":\"$BAD_AUTH\"}},\"credHelpers\":{\"other.example:5000\":\"drydockother\"},\"credsStore\":\"drydockstore\"}"
store drydockstore "{\"$R\":{\"Username\":\"bob\",\"Secret\":\"builder\"}}"
reset_logs
"$DRYDOCK" sbom -f table --insecure "$R/team/tiny:app" >"$T/sbom" 2>"$T/err" || fail "sbom with credsStore: $(cat "$T/err")"
sed 1d "$T/sbom" | cmp -s - "$T/sbom.want" || fail "registry sbom differs from the layout's: $(head -3 "$T/sbom")"
grep -q "^digest: *$APP" "$T/sbom" || fail "sbom digest: $(head -3 "$T/sbom")"
grep -q "drydockstore get $R" "$T/creds/calls.log" || fail "credsStore not asked: $(cat "$T/creds/calls.log")"
grep -q drydockother "$T/creds/calls.log" && fail "another registry's helper was run"
# without a credsStore the auths entry is used (here: a wrong password)
config "{\"auths\":{\"$R\":{\"auth\":\"$BAD_AUTH\"}},\"credHelpers\":{\"other.example:5000\":\"drydockother\"}}"
expect_exit 2 "$DRYDOCK" image digest --insecure "$R/team/tiny:app"
expect_one_line_error
grep -q "refused the credentials" "$T/err" || fail "auths entry not used: $(cat "$T/err")"
# flags and variables come before the docker config: no helper runs
config "{\"credsStore\":\"drydockmissing\"}"
reset_logs
"$DRYDOCK" image digest --insecure --username bob --password builder "$R/team/tiny:app" >"$T/out" 2>"$T/err" ||
	fail "flags with a broken credsStore: $(cat "$T/err")"
DRYDOCK_REGISTRY_USERNAME=bob DRYDOCK_REGISTRY_PASSWORD=builder \
	"$DRYDOCK" image digest --insecure "$R/team/tiny:app" >"$T/out" 2>"$T/err" ||
	fail "variables with a broken credsStore: $(cat "$T/err")"
[ ! -s "$T/creds/calls.log" ] || fail "a helper ran: $(cat "$T/creds/calls.log")"

## identity tokens: a helper's "<token>" Secret, traded with an OAuth2 POST
config "{\"credsStore\":\"drydockstore\"}"
store drydockstore "{\"$R\":{\"Username\":\"<token>\",\"Secret\":\"$REFRESH\"}}"
reset_logs
digest_ok "identity token from a helper"
grep -q "^POST bob repository:team/tiny:pull" "$T/r/token.count" || fail "no OAuth2 grant: $(cat "$T/r/token.count")"
grep -q "^GET" "$T/r/token.count" && fail "GET used with an identity token: $(cat "$T/r/token.count")"
# identitytoken in an auths entry (what docker login stores); DOCKER_CONFIG
# unset: ~/.docker/config.json
mkdir -p "$HOME/.docker"
printf '{"auths":{"http://%s":{"auth":"%s","identitytoken":"%s"}}}\n' "$R" "$(b64 bob:)" "$REFRESH" >"$HOME/.docker/config.json"
reset_logs
(
	unset DOCKER_CONFIG
	digest_ok "identitytoken in ~/.docker/config.json"
) || exit 1
grep -q "^POST bob" "$T/r/token.count" || fail "no OAuth2 grant: $(cat "$T/r/token.count")"

## the containers tools' auth files (containers-auth.json(5)), before
## ~/.docker/config.json, when DOCKER_CONFIG is not set: $REGISTRY_AUTH_FILE or $XDG_RUNTIME_DIR/containers/auth.json,
## then $XDG_CONFIG_HOME/containers/auth.json; the first file with an
## entry for the registry decides
GOOD_AUTH=$(b64 bob:builder)
printf '{"auths":{"%s":{"auth":"%s"}}}\n' "$R" "$BAD_AUTH" >"$HOME/.docker/config.json"
mkdir -p "$T/run/containers" "$T/xdg/containers"
(
	unset DOCKER_CONFIG
	export XDG_RUNTIME_DIR="$T/run" XDG_CONFIG_HOME="$T/xdg"
	printf '{"auths":{"%s":{"auth":"%s"}}}\n' "$R" "$GOOD_AUTH" >"$T/podman.json"
	REGISTRY_AUTH_FILE="$T/podman.json" digest_ok "REGISTRY_AUTH_FILE"
	printf '{"auths":{"%s":{"auth":"%s"}}}\n' "$R" "$GOOD_AUTH" >"$T/run/containers/auth.json"
	digest_ok "XDG_RUNTIME_DIR/containers/auth.json"
	# no entry for this registry in the primary file: the next file
	printf '{"auths":{"other.example:5000":{"auth":"%s"}}}\n' "$BAD_AUTH" >"$T/run/containers/auth.json"
	printf '{"auths":{"%s":{"auth":"%s"}}}\n' "$R" "$GOOD_AUTH" >"$T/xdg/containers/auth.json"
	digest_ok "XDG_CONFIG_HOME/containers/auth.json"
	# an entry in an earlier file wins, even a wrong one
	printf '{"auths":{"%s":{"auth":"%s"}}}\n' "$R" "$BAD_AUTH" >"$T/run/containers/auth.json"
	expect_exit 2 "$DRYDOCK" image digest --insecure "$R/team/tiny:app"
	grep -q "refused the credentials" "$T/err" || fail "primary auth file not first: $(cat "$T/err")"
	# only the docker config: its (wrong) entry is used
	rm "$T/run/containers/auth.json" "$T/xdg/containers/auth.json"
	expect_exit 2 "$DRYDOCK" image digest --insecure "$R/team/tiny:app"
	grep -q "refused the credentials" "$T/err" || fail "docker config not read last: $(cat "$T/err")"
	# DOCKER_CONFIG names the one file to read
	printf '{"auths":{"%s":{"auth":"%s"}}}\n' "$R" "$GOOD_AUTH" >"$T/xdg/containers/auth.json"
	expect_exit 2 env DOCKER_CONFIG="$HOME/.docker" "$DRYDOCK" image digest --insecure "$R/team/tiny:app"
	grep -q "refused the credentials" "$T/err" || fail "DOCKER_CONFIG not alone: $(cat "$T/err")"
) || exit 1
# a wrong refresh token is refused (400 invalid_grant), one line
config "{\"auths\":{\"$R\":{\"auth\":\"$(b64 bob:)\",\"identitytoken\":\"not-$REFRESH\"}}}"
expect_exit 2 "$DRYDOCK" image digest --insecure "$R/team/tiny:app"
expect_one_line_error
grep -q "refused the identity token (HTTP 400)" "$T/err" || fail "wrong identity token: $(cat "$T/err")"
# a token server without OAuth2 answers the POST with 404: GET with the
# identity token as the Basic password
config "{\"auths\":{\"$R\":{\"auth\":\"$(b64 bob:)\",\"identitytoken\":\"$REFRESH\"}}}"
touch "$T/r/no-oauth"
reset_logs
digest_ok "identity token, GET fallback"
grep -q "^GET bob repository:team/tiny:pull" "$T/r/token.count" || fail "no GET fallback: $(cat "$T/r/token.count")"
rm -f "$T/r/no-oauth"

## a failing helper: exit 2 with one line naming the helper
config "{\"credHelpers\":{\"$R\":\"drydocktest\"}}"
store drydocktest "{\"$R\":{\"fail\":\"keychain is locked\",\"exit\":3}}"
for cmd in "image digest" "sbom"; do
	# shellcheck disable=SC2086
	expect_exit 2 "$DRYDOCK" $cmd --insecure "$R/team/tiny:app"
	expect_one_line_error
	grep -q "'docker-credential-drydocktest'" "$T/err" || fail "$cmd: helper not named: $(cat "$T/err")"
	grep -q "exit status 3: keychain is locked" "$T/err" || fail "$cmd: helper error: $(cat "$T/err")"
done
# a helper that is not installed
config "{\"credsStore\":\"drydockmissing\"}"
expect_exit 2 "$DRYDOCK" image digest --insecure "$R/team/tiny:app"
expect_one_line_error
grep -q "'docker-credential-drydockmissing': .*not found in PATH" "$T/err" || fail "missing helper: $(cat "$T/err")"
# a helper answering nonsense
store drydocktest "{\"$R\":{\"Username\":\"bob\",\"Secret\":\"builder\"}}"
printf '#!/bin/sh\ncat >/dev/null\necho "{\\"Username\\": 42"\n' >"$T/bin/docker-credential-drydockjunk"
chmod +x "$T/bin/docker-credential-drydockjunk"
config "{\"credsStore\":\"drydockjunk\"}"
expect_exit 2 "$DRYDOCK" image digest --insecure "$R/team/tiny:app"
expect_one_line_error
grep -q "'docker-credential-drydockjunk'" "$T/err" || fail "junk reply: $(cat "$T/err")"

## "credentials not found": anonymous, and the protected registry's 401
config "{\"credHelpers\":{\"$R\":\"drydocktest\"}}"
store drydocktest "{}"
reset_logs
expect_exit 2 "$DRYDOCK" image digest --insecure "$R/team/tiny:app"
expect_one_line_error
grep -q "HTTP 401.*(no credentials for this registry)" "$T/err" || fail "no 401 when anonymous: $(cat "$T/err")"
grep -q "drydocktest" "$T/err" && fail "not found reported as a helper failure: $(cat "$T/err")"
[ "$(cat "$T/creds/calls.log")" = "drydocktest get $R" ] || fail "helper calls: $(cat "$T/creds/calls.log")"
grep -q "^GET - repository:team/tiny:pull" "$T/r/token.count" || fail "token request not anonymous: $(cat "$T/r/token.count")"
pass
