#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL 15 cluster:
#   scripts/with-postgres.sh CMD [ARGS...]
# initdb's a cluster (C locale, UTF8) in a temp dir, starts it on a free loopback port, exports
# FK_PG_URL=postgres://postgres@127.0.0.1:PORT/postgres, runs CMD, then stops and deletes the
# cluster and exits with CMD's status. When FK_PG_URL is already set it just runs CMD.
# initdb refuses to run as root, so as root the server runs as the `postgres` OS user.
set -euo pipefail

if [ $# -eq 0 ]; then
	echo "usage: $0 CMD [ARGS...]" >&2
	exit 2
fi
if [ -n "${FK_PG_URL:-}" ]; then
	exec "$@"
fi

. "$(dirname "$0")/pg-lib.sh"
if ! bindir=$(pg_bindir); then
	echo "with-postgres: no PostgreSQL server found (apt-get install postgresql)" >&2
	exit 1
fi

port_free() {
	! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

dir=$(mktemp -d /tmp/fk-pg.XXXXXX)
if [ "$(id -u)" -eq 0 ]; then
	chown postgres:postgres "$dir"
fi
chmod 700 "$dir"

started=0
cleanup() {
	if [ "$started" -eq 1 ]; then
		as_pg "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
	fi
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

as_pg "$bindir/initdb" -D "$dir/data" -U postgres --locale=C -E UTF8 -A trust --no-sync \
	>"$dir/initdb.log" 2>&1 || {
	cat "$dir/initdb.log" >&2
	exit 1
}

# Another run may take the same port between the check and the start: try the next one.
port=55432
for _ in $(seq 1 50); do
	while ! port_free "$port"; do
		port=$((port + 1))
	done
	if as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
		-o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir \
-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
		start >/dev/null; then
		started=1
		break
	fi
	port=$((port + 1))
done
if [ "$started" -ne 1 ]; then
	echo "with-postgres: the server did not start; its log:" >&2
	cat "$dir/server.log" >&2 || true
	exit 1
fi
for _ in $(seq 1 100); do
	"$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" && break
	sleep 0.1
done

export FK_PG_URL="postgres://postgres@127.0.0.1:$port/postgres"
set +e
"$@"
status=$?
set -e
exit $status
