#!/usr/bin/env bash
# cluster.sh: fangkong on more than one app server, on one machine, for a trial or a drill:
#   scripts/cluster.sh up [--servers N] [--demo]   start what is not running yet
#   scripts/cluster.sh down                        stop everything, newest first
#   scripts/cluster.sh status                      each part's state
#   scripts/cluster.sh conf DIR PORT HOST:PORT...  print the nginx.conf alone (tests)
# What runs (docs/scale-out.md):
#   a PostgreSQL primary (initdb'd once, C locale, UTF8) on FK_CLUSTER_PG_PORT (55440),
#   a streaming replica of it (pg_basebackup -R, hot_standby) on the next port,
#   N `fangkong serve` (default 2) on 127.0.0.1:8081.. with --node 1..N, the primary as the
#     store and the replica as --read-db,
#   nginx on FK_CLUSTER_PORT (8080) in front of them (its conf generated into the state dir).
# Migrations run once (`fangkong migrate`) before the servers start; --demo fills an empty
# store with the demo district first. Everything lives in the state dir, FK_CLUSTER_DIR
# (default ./cluster): data, logs, pid files, nginx.conf. The binary is FK_BIN (default
# build/release/fangkong). As root, PostgreSQL runs as the `postgres` OS user (initdb refuses
# root) and nginx's workers as nobody.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
dir=${FK_CLUSTER_DIR:-$PWD/cluster}
bin=${FK_BIN:-$root/build/release/fangkong}
pg_port=${FK_CLUSTER_PG_PORT:-55440}
rep_port=$((pg_port + 1))
http_port=${FK_CLUSTER_PORT:-8080}
first_app=$((http_port + 1))
db=fangkong
primary_url="postgres://postgres@127.0.0.1:$pg_port/$db"
replica_url="postgres://postgres@127.0.0.1:$rep_port/$db"

usage() {
	echo "usage: $0 up [--servers N] [--demo] | down | status" >&2
	exit 2
}

pg_bindir() {
	for d in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
		[ -x "$d/initdb" ] && { echo "$d"; return; }
	done
	echo "cluster: no PostgreSQL server found (scripts/deps.sh installs it)" >&2
	exit 1
}

as_pg() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# ---- PostgreSQL ----

pg_running() { as_pg "$bindir/pg_ctl" -D "$1" status >/dev/null 2>&1; }

pg_opts() { # port
	echo "-c listen_addresses=127.0.0.1 -c port=$1 -c unix_socket_directories=$dir/pg \
-c max_connections=300 -c wal_level=replica -c max_wal_senders=5 -c hot_standby=on \
-c shared_buffers=256MB -c synchronous_commit=on"
}

pg_start() { # data dir, port, log
	pg_running "$1" && return
	as_pg "$bindir/pg_ctl" -D "$1" -l "$3" -w -t 60 -o "$(pg_opts "$2")" start >/dev/null
}

primary_up() {
	if [ ! -f "$dir/pg/primary/PG_VERSION" ]; then
		echo "cluster: initdb $dir/pg/primary"
		as_pg "$bindir/initdb" -D "$dir/pg/primary" -U postgres --locale=C -E UTF8 -A trust \
			>"$dir/logs/initdb.log" 2>&1 || { cat "$dir/logs/initdb.log" >&2; exit 1; }
	fi
	pg_start "$dir/pg/primary" "$pg_port" "$dir/logs/primary.log"
	if ! psql -h 127.0.0.1 -p "$pg_port" -U postgres -Atqc \
		"SELECT 1 FROM pg_database WHERE datname = '$db'" postgres | grep -q 1; then
		psql -h 127.0.0.1 -p "$pg_port" -U postgres -qc \
			"CREATE DATABASE $db TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'" postgres
	fi
}

replica_up() {
	if [ ! -f "$dir/pg/replica/PG_VERSION" ]; then
		echo "cluster: pg_basebackup into $dir/pg/replica"
		as_pg "$bindir/pg_basebackup" -h 127.0.0.1 -p "$pg_port" -U postgres \
			-D "$dir/pg/replica" -R -X stream -c fast >"$dir/logs/basebackup.log" 2>&1 ||
			{ cat "$dir/logs/basebackup.log" >&2; exit 1; }
	fi
	pg_start "$dir/pg/replica" "$rep_port" "$dir/logs/replica.log"
}

# ---- app servers ----

serve_up() { # k
	local k=$1 port=$((first_app + $1 - 1))
	alive "$dir/run/serve-$k.pid" && return
	FANGKONG_NODE=$k FANGKONG_READ_DB=$replica_url setsid "$bin" serve --db "$primary_url" \
		--listen "127.0.0.1:$port" --max-conns-per-ip 0 \
		</dev/null >>"$dir/logs/serve-$k.log" 2>&1 &
	echo $! >"$dir/run/serve-$k.pid"
	for _ in $(seq 1 100); do
		curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && return
		alive "$dir/run/serve-$k.pid" || break
		sleep 0.1
	done
	echo "cluster: server $k did not come up; the end of $dir/logs/serve-$k.log:" >&2
	tail -20 "$dir/logs/serve-$k.log" >&2
	exit 1
}

# ---- nginx ----

# The keyed writes (a client_key in the body, its reply stored): safe to send again to another
# server when the first one failed before answering, so nginx may retry them. Other writes
# (a login, a person created) are never retried by nginx: the client decides.
KEYED='^/api/v1/(tubes/[^/]+/(scans|visitors|result)|rounds/[^/]+/tubes|checkpoints/[^/]+/passes|health/reports|calls|requests|stock/moves|deliveries/runs/[^/]+/households/[^/]+|screening/campaigns/[^/]+/registrations|public/(screening|callouts)/[^/]+)$'

# An nginx.conf in front of the given servers, listening on port, with its pid, logs and
# temporary files under d (made by the caller): `cluster.sh conf D PORT HOST:PORT...` prints it.
nginx_conf() { # d port host:port...
	local d=$1 port=$2 user="" upstreams=""
	shift 2
	[ "$(id -u)" -eq 0 ] && user="user nobody nogroup;"
	for s in "$@"; do
		upstreams+="		server $s max_fails=1 fail_timeout=5s;
"
	done
	cat <<EOF
# Generated by scripts/cluster.sh; edited copies are overwritten at the next 'up'.
$user
worker_processes auto;
worker_rlimit_nofile 20000;
pid $d/nginx.pid;
error_log $d/error.log warn;
events { worker_connections 8192; }
http {
	access_log $d/access.log combined buffer=64k flush=1s;
	client_body_temp_path $d/tmp/body;
	proxy_temp_path $d/tmp/proxy;
	fastcgi_temp_path $d/tmp/fastcgi;
	uwsgi_temp_path $d/tmp/uwsgi;
	scgi_temp_path $d/tmp/scgi;
	client_max_body_size 64m;
	upstream fangkong {
$upstreams		keepalive 64;
	}
	server {
		listen 127.0.0.1:$port;
		proxy_http_version 1.1;
		proxy_set_header Connection "";
		proxy_set_header Host \$http_host;
		proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
		proxy_set_header X-Forwarded-Proto \$scheme;
		proxy_connect_timeout 2s;
		proxy_read_timeout 60s;
		proxy_next_upstream error timeout http_502 http_503;
		proxy_next_upstream_tries 2;
		location / {
			proxy_pass http://fangkong;
		}
		location ~ $KEYED {
			proxy_pass http://fangkong;
			proxy_next_upstream error timeout http_502 http_503 non_idempotent;
		}
		# Live events (SSE): nothing buffered, held open for hours; a stream cut by a
		# server's end is resumed by the browser with Last-Event-ID on another server.
		location = /api/v1/events {
			proxy_pass http://fangkong;
			proxy_buffering off;
			proxy_cache off;
			proxy_read_timeout 24h;
			proxy_send_timeout 24h;
		}
	}
}
EOF
}

nginx_up() { # servers
	local apps=()
	for k in $(seq 1 "$1"); do
		apps+=("127.0.0.1:$((first_app + k - 1))")
	done
	mkdir -p "$dir/nginx/tmp"
	nginx_conf "$dir/nginx" "$http_port" "${apps[@]}" >"$dir/nginx/nginx.conf"
	[ "$(id -u)" -eq 0 ] && chown -R nobody "$dir/nginx/tmp"
	if alive "$dir/nginx/nginx.pid"; then
		nginx -c "$dir/nginx/nginx.conf" -p "$dir/nginx" -s reload 2>>"$dir/nginx/error.log"
		return
	fi
	nginx -t -q -c "$dir/nginx/nginx.conf" -p "$dir/nginx"
	nginx -c "$dir/nginx/nginx.conf" -p "$dir/nginx"
}

# ---- commands ----

up() {
	local servers=2 demo=0
	while [ $# -gt 0 ]; do
		case $1 in
		--servers) servers=${2:-}; shift 2 || usage ;;
		--demo) demo=1; shift ;;
		*) usage ;;
		esac
	done
	[[ $servers =~ ^[0-9]+$ ]] && [ "$servers" -ge 1 ] && [ "$servers" -le 64 ] ||
		{ echo "cluster: --servers must be 1 to 64" >&2; exit 2; }
	[ -x "$bin" ] || { echo "cluster: no binary $bin (build it, or set FK_BIN)" >&2; exit 1; }
	command -v nginx >/dev/null || { echo "cluster: no nginx (scripts/deps.sh installs it)" >&2; exit 1; }
	mkdir -p "$dir/pg" "$dir/logs" "$dir/run" "$dir/nginx"
	chmod 755 "$dir"
	[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir/pg" "$dir/logs"
	chmod 700 "$dir/pg"
	primary_up
	replica_up
	if [ "$demo" -eq 1 ]; then
		"$bin" demo --db "$primary_url" --residents "${FK_CLUSTER_RESIDENTS:-20000}" >"$dir/logs/demo.log" 2>&1 ||
			grep -q "already holds data" "$dir/logs/demo.log" || { tail "$dir/logs/demo.log" >&2; exit 1; }
	fi
	"$bin" migrate --db "$primary_url" >>"$dir/logs/migrate.log" 2>&1 ||
		{ tail "$dir/logs/migrate.log" >&2; exit 1; }
	echo "$servers" >"$dir/run/servers"
	for k in $(seq 1 "$servers"); do
		serve_up "$k"
	done
	nginx_up "$servers"
	status
}

down() {
	if alive "$dir/nginx/nginx.pid"; then
		nginx -c "$dir/nginx/nginx.conf" -p "$dir/nginx" -s quit 2>>"$dir/nginx/error.log"
		for _ in $(seq 1 50); do alive "$dir/nginx/nginx.pid" || break; sleep 0.1; done
	fi
	for f in "$dir"/run/serve-*.pid; do
		[ -f "$f" ] || continue
		alive "$f" && kill -TERM "$(cat "$f")"
	done
	for f in "$dir"/run/serve-*.pid; do
		[ -f "$f" ] || continue
		for _ in $(seq 1 200); do alive "$f" || break; sleep 0.1; done
		rm -f "$f"
	done
	for part in replica primary; do
		if [ -f "$dir/pg/$part/PG_VERSION" ] && pg_running "$dir/pg/$part"; then
			as_pg "$bindir/pg_ctl" -D "$dir/pg/$part" -m fast -w stop >/dev/null
		fi
	done
	echo "cluster: stopped (data kept in $dir; remove it to start afresh)"
}

status() {
	local servers k port lag
	servers=$(cat "$dir/run/servers" 2>/dev/null || echo 0)
	for part in primary replica; do
		port=$pg_port
		[ $part = replica ] && port=$rep_port
		if [ -f "$dir/pg/$part/PG_VERSION" ] && pg_running "$dir/pg/$part"; then
			echo "$part: running, 127.0.0.1:$port"
		else
			echo "$part: stopped"
		fi
	done
	if lag=$(psql -h 127.0.0.1 -p "$pg_port" -U postgres -Atqc "SELECT state || ', replay lag ' ||
		COALESCE(replay_lag::text, '0') || ', ' || pg_wal_lsn_diff(sent_lsn, replay_lsn) || ' bytes behind'
		FROM pg_stat_replication" postgres 2>/dev/null) && [ -n "$lag" ]; then
		echo "replication: $lag"
	fi
	for k in $(seq 1 "$servers"); do
		port=$((first_app + k - 1))
		if alive "$dir/run/serve-$k.pid" && curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then
			echo "server $k: running, node $k, http://127.0.0.1:$port (pid $(cat "$dir/run/serve-$k.pid"))"
		elif alive "$dir/run/serve-$k.pid"; then
			echo "server $k: not answering /healthz (pid $(cat "$dir/run/serve-$k.pid"))"
		else
			echo "server $k: stopped"
		fi
	done
	if alive "$dir/nginx/nginx.pid"; then
		echo "nginx: running, http://127.0.0.1:$http_port ($dir/nginx/nginx.conf, logs beside it)"
	else
		echo "nginx: stopped"
	fi
}

[ $# -ge 1 ] || usage
cmd=$1
shift
if [ "$cmd" = conf ]; then
	[ $# -ge 3 ] || usage
	nginx_conf "$@"
	exit 0
fi
bindir=$(pg_bindir)
case $cmd in
up) up "$@" ;;
down) down ;;
status) status ;;
*) usage ;;
esac
