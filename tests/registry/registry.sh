#!/bin/sh
# Start and stop a real Debian docker-registry (distribution 2.8) on
# 127.0.0.1 for the tests, on a random free port, tracked by PID files.
#
#   registry.sh start DIR [--tls] [--htpasswd USER:PASS] [--token USER:PASS]
#       prints the port; DIR/port, DIR/registry.pid (and DIR/token.pid),
#       DIR/certs/ca/ca.crt with --tls, DIR/token.port with --token
#   registry.sh stop DIR
#       stops what start started in DIR (registry and token server)
#   registry.sh proxy DIR UPSTREAM_PORT [fault-proxy options]
#       starts tests/registry/fault-proxy.py; prints its port
set -eu
here=$(cd "$(dirname "$0")" && pwd)
PY=${PYTHON3:-/usr/bin/python3}
[ -x "$PY" ] || PY=python3

free_port() {
	"$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_port() { # PORT SCHEME [CAFILE]
	i=0
	while [ $i -lt 100 ]; do
		if "$PY" -c 'import socket,sys; s=socket.create_connection(("127.0.0.1",int(sys.argv[1])),0.2); s.close()' "$1" 2>/dev/null; then
			return 0
		fi
		sleep 0.05
		i=$((i + 1))
	done
	echo "registry.sh: nothing listens on 127.0.0.1:$1" >&2
	return 1
}

cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || {
	echo "usage: registry.sh start|stop|proxy DIR ..." >&2
	exit 2
}

case "$cmd" in
start)
	shift 2
	tls=0 htpasswd="" token=""
	while [ $# -gt 0 ]; do
		case "$1" in
		--tls) tls=1 ;;
		--htpasswd) htpasswd=$2; shift ;;
		--token) token=$2; shift ;;
		*) echo "registry.sh: unknown option $1" >&2; exit 2 ;;
		esac
		shift
	done
	mkdir -p "$dir/data"
	port=$(free_port)
	cfg="$dir/config.yml"
	{
		echo "version: 0.1"
		echo "log: {level: error, accesslog: {disabled: true}}"
		echo "storage: {filesystem: {rootdirectory: $dir/data}, delete: {enabled: true}}"
		printf 'http: {addr: 127.0.0.1:%s, secret: test-only-secret' "$port"
	} >"$cfg"
	if [ "$tls" = 1 ]; then
		mkdir -p "$dir/certs/ca"
		# a CA, and a server certificate it signs for IP:127.0.0.1
		openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
			-keyout "$dir/certs/ca.key" -out "$dir/certs/ca/ca.crt" -days 2 \
			-subj "/CN=drydock test CA" >/dev/null 2>&1
		openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
			-keyout "$dir/certs/server.key" -out "$dir/certs/server.csr" \
			-subj "/CN=127.0.0.1" >/dev/null 2>&1
		printf 'subjectAltName=IP:127.0.0.1\n' >"$dir/certs/ext.cnf"
		openssl x509 -req -in "$dir/certs/server.csr" -CA "$dir/certs/ca/ca.crt" \
			-CAkey "$dir/certs/ca.key" -CAcreateserial -days 2 \
			-extfile "$dir/certs/ext.cnf" -out "$dir/certs/server.crt" >/dev/null 2>&1
		printf ', tls: {certificate: %s, key: %s}' "$dir/certs/server.crt" "$dir/certs/server.key" >>"$cfg"
	fi
	echo "}" >>"$cfg"
	if [ -n "$htpasswd" ]; then
		# distribution 2.8 accepts bcrypt only
		htpasswd -Bbn "${htpasswd%%:*}" "${htpasswd#*:}" >"$dir/htpasswd" 2>/dev/null
		echo "auth: {htpasswd: {realm: drydock-test, path: $dir/htpasswd}}" >>"$cfg"
	fi
	if [ -n "$token" ]; then
		tport=$(free_port)
		TOKEN_USER=${token%%:*} TOKEN_PASS=${token#*:} \
			"$PY" "$here/token-server.py" "$tport" "$dir" >"$dir/token.log" 2>&1 &
		echo $! >"$dir/token.pid"
		wait_port "$tport"
		i=0
		while [ ! -s "$dir/token.crt" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
		echo "$tport" >"$dir/token.port"
		echo "auth: {token: {realm: http://127.0.0.1:$tport/token, service: test-registry, issuer: test-token-issuer, rootcertbundle: $dir/token.crt}}" >>"$cfg"
	fi
	docker-registry serve "$cfg" >"$dir/registry.log" 2>&1 &
	echo $! >"$dir/registry.pid"
	echo "$port" >"$dir/port"
	wait_port "$port" || { cat "$dir/registry.log" >&2; exit 1; }
	echo "$port"
	;;
proxy)
	up=$3
	shift 3
	pport=$(free_port)
	"$PY" "$here/fault-proxy.py" "$pport" "$up" "$dir" "$@" >"$dir/proxy.log" 2>&1 &
	echo $! >"$dir/proxy.pid"
	wait_port "$pport"
	echo "$pport"
	;;
stop)
	for f in "$dir/registry.pid" "$dir/token.pid" "$dir/proxy.pid"; do
		[ -f "$f" ] || continue
		pid=$(cat "$f")
		kill "$pid" 2>/dev/null || true
		i=0
		# the registry drains connections for seconds on SIGTERM: a test
		# registry's data is thrown away, so do not wait for it
		while kill -0 "$pid" 2>/dev/null && [ $i -lt 5 ]; do sleep 0.05; i=$((i + 1)); done
		kill -9 "$pid" 2>/dev/null || true
		rm -f "$f"
	done
	;;
*)
	echo "registry.sh: unknown command $cmd" >&2
	exit 2
	;;
esac
