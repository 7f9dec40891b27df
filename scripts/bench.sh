#!/usr/bin/env bash
# bench: runs every benchmark built in BUILD_DIR (bench_*) with its default sizes and prints
# its figures under a header. BENCH_QUICK=1 runs small sizes instead, as a smoke test.
# Figures are printed, never judged: a benchmark fails only when it breaks.
#   scripts/bench.sh BUILD_DIR [bench_NAME...]   (names: only those)
set -euo pipefail

if [ $# -lt 1 ]; then
	echo "usage: $0 BUILD_DIR [bench_NAME...]" >&2
	exit 2
fi
build=$1
shift
only=" $* "
quick=${BENCH_QUICK:-0}

# Per-benchmark arguments for a quick run; a benchmark not listed runs with its defaults.
quick_args() {
	case $1 in
	bench_import) echo "--rows 100000" ;;
	bench_search) echo "--residents 100000 --queries 2000" ;;
	bench_scans) echo "--residents 20000 --scans 10000" ;;
	bench_results) echo "--residents 100000" ;;
	bench_coverage) echo "--residents 100000 --calls 200" ;;
	bench_gates) echo "--residents 20000 --passes 5000 --clients 50" ;;
	bench_zone_people) echo "--residents 20000 --zone 500 --calls 20 --walks 3" ;;
	bench_trace_graph) echo "--residents 5000 --cases 200 --calls 5" ;;
	bench_health) echo "--residents 20000 --placed 2000 --calls 50 --district-calls 5" ;;
	bench_requests) echo "--residents 20000 --requests 100000 --clients 50 --calls 20 --rounds 2" ;;
	bench_stock) echo "--moves 100000 --calls 500" ;;
	bench_duty) echo "--residents 5000 --shifts 5000 --history 5000 --calls 20" ;;
	bench_dashboard) echo "--residents 100000 --calls 10" ;;
	bench_export) echo "--residents 20000" ;;
	bench_sse) echo "--clients 100 --events 20 --rate 20" ;;
	bench_wrk) echo "--residents 20000 --scans 20000 --seconds 2" ;;
	bench_phones) echo "--phones 200 --rate 100 --seconds 3 --over 5" ;;
	*) echo "" ;;
	esac
}

# A benchmark run again inside scripts/with-postgres.sh (FK_PG_URL set to an empty database).
pg_run() {
	echo
	echo "== ${*} (PostgreSQL)"
	sync
	if ! "$(dirname "$0")/with-postgres.sh" "$@"; then
		echo "bench: ${*} on PostgreSQL failed" >&2
		status=1
	fi
}

# Scans on PostgreSQL: 32 clients over 1 and then 2 servers (a round of 100,000 would take
# minutes at PostgreSQL's rate).
pg_scan_args() {
	if [ "$quick" = 1 ]; then
		echo "--residents 5000 --scans 2000 --clients 8"
	else
		echo "--residents 50000 --scans 20000 --clients 32"
	fi
}

shopt -s nullglob
benches=("$build"/bench_*)
if [ ${#benches[@]} -eq 0 ]; then
	echo "bench: no bench_* programs in $build; build first" >&2
	exit 1
fi

echo "fangkong benchmarks — $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $(uname -sr)"
[ "$quick" = 1 ] && echo "(BENCH_QUICK=1: small sizes)"
status=0
for b in "${benches[@]}"; do
	[ -x "$b" ] || continue
	name=$(basename "$b")
	[ "$only" = "  " ] || [[ "$only" == *" $name "* ]] || continue
	args=()
	if [ "$quick" = 1 ]; then
		read -r -a args <<<"$(quick_args "$name")"
	fi
	echo
	echo "== $name ${args[*]}"
	# What the last benchmark wrote goes to disk now, not while this one is timed.
	sync
	start=$(date +%s.%N)
	if ! "$b" "${args[@]}"; then
		echo "bench: $name failed" >&2
		status=1
	fi
	awk -v n="$name" -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "-- %s took %.1f s\n", n, e - s }'
	# Those that measure both stores run again, each time on a throwaway PostgreSQL.
	case $name in
	bench_wrk) pg_run "$b" "${args[@]}" --store postgres ;;
	bench_scans)
		for n in 1 2; do
			# shellcheck disable=SC2046
			pg_run sh -c 'exec "$0" "$@" --db "$FK_PG_URL"' "$b" $(pg_scan_args) --servers "$n"
		done
		;;
	esac
done
exit $status
