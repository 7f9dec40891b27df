#!/usr/bin/env bash
# demo-run: what `make run` does after the build. Creates the demo district in DB the first
# time (its logins are kept beside it in DB.logins, since random passwords cannot be shown
# again), prints the logins, then serves the store on 127.0.0.1:PORT.
#   scripts/demo-run.sh BIN DB PORT
# DEMO_RESIDENTS overrides the number of residents (default 200,000).
set -euo pipefail

if [ $# -ne 3 ]; then
	echo "usage: $0 BIN DB PORT" >&2
	exit 2
fi
bin=$1 db=$2 port=$3
logins="$db.logins"
root=$(cd "$(dirname "$0")/.." && pwd)

if [ ! -e "$db" ]; then
	echo "demo: creating the demo district in $db (takes a few seconds)" >&2
	tmp="$logins.tmp"
	# umask 077: the logins, and the residents' data, are for this user's eyes only.
	if ! (umask 077 && "$bin" demo --db "$db" --residents "${DEMO_RESIDENTS:-200000}" >"$tmp"); then
		rm -f "$db" "$db-wal" "$db-shm" "$tmp"
		echo "demo: failed; nothing was kept" >&2
		exit 1
	fi
	mv "$tmp" "$logins"
fi

echo
echo "fangkong demo: http://127.0.0.1:$port"
if [ -f "$logins" ]; then
	echo "Logins (kept in $logins):"
	sed 's/^/  /' "$logins"
else
	echo "($db existed before and $logins is missing: use 'fangkong user passwd NAME --db $db')"
fi
echo

args=(serve --db "$db" --listen "127.0.0.1:$port")
if [ -d "$root/web/dist" ]; then
	args+=(--web "$root/web/dist")
fi
exec "$bin" "${args[@]}"
