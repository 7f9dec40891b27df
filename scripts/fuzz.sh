#!/bin/sh
# fuzz.sh: builds the libFuzzer harnesses (tests/fuzz) with clang in build/fuzz and runs each
# for FUZZ_SECONDS seconds (default 10), one per core at a time, starting from its seeds in
# tests/fuzz/corpus/<name>/.
# New inputs go to <build>/corpus/<name>/ (the seed folders are only read); a crash, leak,
# sanitizer report or timeout leaves its input in <build>/artifacts/ and fails the script.
#   FUZZ_SECONDS=60 scripts/fuzz.sh            run longer
#   FUZZ_BUILD=/tmp/fz scripts/fuzz.sh csv json  another build dir, only some harnesses
# The harnesses in FUZZ_QUICK (the store-backed and route-table ones) get 3/10 of the seconds
# (at least 1), so that `make fuzz` stays short; FUZZ_QUICK= gives every one the full time.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
build=${FUZZ_BUILD:-$root/build/fuzz}
seconds=${FUZZ_SECONDS:-10}
names=${*:-"idcard phone csv json sqlparam date router body plate code import_row"}
quick=${FUZZ_QUICK-"router body plate code import_row"}

if ! command -v clang >/dev/null 2>&1; then
	echo "fuzz.sh: clang is needed (libFuzzer ships with it)" >&2
	exit 1
fi
if [ ! -f "$build/build.ninja" ]; then
	CC=clang cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
		-DCMAKE_C_FLAGS=-O1 -DFK_FUZZ=ON >/dev/null
fi
targets=
for name in $names; do
	targets="$targets fuzz_$name"
done
# shellcheck disable=SC2086 # one argument per target
cmake --build "$build" --target $targets

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
# The store-backed harnesses keep their SQLite file here (left behind only by a crash).
export TMPDIR="$build/tmp"
mkdir -p "$TMPDIR"
seconds_of() {
	case " $quick " in
	*" $1 "*) echo $((seconds * 3 / 10 > 0 ? seconds * 3 / 10 : 1)) ;;
	*) echo "$seconds" ;;
	esac
}
# One harness per core at a time: each gets a whole core for its seconds.
run_one() {
	name=$1
	work="$build/corpus/$name"
	mkdir -p "$work" "$build/artifacts"
	if ! "$build/tests/fuzz/fuzz_$name" -max_total_time="$(seconds_of "$name")" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$build/artifacts/$name-" \
		"$work" "$root/tests/fuzz/corpus/$name" >"$build/fuzz_$name.log" 2>&1; then
		echo failed >"$build/fuzz_$name.status"
	else
		echo ok >"$build/fuzz_$name.status"
	fi
}
cores=$(nproc 2>/dev/null || echo 1)
running=0
for name in $names; do
	echo "fuzz: $name for $(seconds_of "$name")s"
	rm -f "$build/fuzz_$name.status"
	run_one "$name" &
	running=$((running + 1))
	if [ "$running" -ge "$cores" ]; then
		wait
		running=0
	fi
done
wait
failed=
for name in $names; do
	if [ "$(cat "$build/fuzz_$name.status" 2>/dev/null)" != ok ]; then
		tail -n 60 "$build/fuzz_$name.log" >&2
		echo "fuzz: $name FAILED (log: $build/fuzz_$name.log)" >&2
		failed="$failed $name"
		continue
	fi
	grep -E '^stat::number_of_executed_units|^Done' "$build/fuzz_$name.log" | sed "s/^/fuzz: $name: /"
done
if [ -n "$failed" ]; then
	echo "fuzz: failed:$failed" >&2
	exit 1
fi
echo "fuzz: all harnesses ran ${seconds}s each (those in FUZZ_QUICK less) without a finding"
