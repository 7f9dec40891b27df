#!/usr/bin/env bash
# both-stores.sh: runs one test command on SQLite and on PostgreSQL at the same time (the
# PostgreSQL run inside scripts/with-postgres.sh), each run's output into its own log
# (test-results/<name>-<store>.log), and prints the two logs when both have ended. Exits 0
# only when both runs passed.
#   scripts/both-stores.sh browser node --test tests/browser/
# The browser tests wait on pages as much as they compute: two runs side by side keep both
# cores busy where one run leaves one idle a third of the time.
set -uo pipefail

if [ $# -lt 2 ]; then
	echo "usage: $0 NAME CMD [ARGS...]" >&2
	exit 2
fi
name=$1
shift
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$root/test-results"
lite="$root/test-results/$name-sqlite.log"
pg="$root/test-results/$name-postgres.log"

FK_STORE=sqlite "$@" >"$lite" 2>&1 &
lite_pid=$!
FK_STORE=postgres "$root/scripts/with-postgres.sh" "$@" >"$pg" 2>&1 &
pg_pid=$!
wait "$lite_pid"
lite_rc=$?
wait "$pg_pid"
pg_rc=$?

for store in sqlite postgres; do
	echo "==== $name on $store ===="
	cat "$root/test-results/$name-$store.log"
done
echo "$name: sqlite exit $lite_rc, postgres exit $pg_rc"
[ "$lite_rc" -eq 0 ] && [ "$pg_rc" -eq 0 ]
