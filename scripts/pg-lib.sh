# pg-lib: what the scripts that start a PostgreSQL server share; sourced, never run.
#   . "$(dirname "$0")/pg-lib.sh"
#   bindir=$(pg_bindir) || { echo "no PostgreSQL server found" >&2; exit 1; }
#   as_pg "$bindir/initdb" -D DIR ...

# Prints the folder of PostgreSQL's server programs (15 first, then any other); fails when no
# server is installed.
pg_bindir() {
	local d
	for d in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
		if [ -x "$d/initdb" ]; then
			echo "$d"
			return 0
		fi
	done
	return 1
}

# Runs a command as the postgres OS user when root (initdb and the server refuse root).
as_pg() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}
