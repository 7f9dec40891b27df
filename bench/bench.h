/* bench: what the benchmark programs share — argument parsing, timing, percentiles, and
 * opening a migrated store. Header-only because every .c file in bench/ is its own executable.
 * Benchmarks print figures; they never fail on a slow result, only on a broken one. */
#ifndef FK_BENCH_H
#define FK_BENCH_H
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "base/clock.h"
#include "base/err.h"
#include "store/db.h"
#include "store/migrate.h"
#include "modules.h"

static inline _Noreturn void bench_die(const char *what, const struct fk_err *err)
{
	fprintf(stderr, "bench: %s: %s (%s)\n", what, err && err->en[0] ? err->en : "failed",
		err ? err->zh : "");
	exit(1);
}

/* Exits through bench_die when rc is an error. */
static inline void bench_must(int64_t rc, const char *what, const struct fk_err *err)
{
	if (rc < 0)
		bench_die(what, err);
}

/* "--name N" from argv, or def; exits on a malformed number. */
static inline long long bench_arg(int argc, char **argv, const char *name, long long def)
{
	for (int i = 1; i + 1 < argc; i++) {
		if (strcmp(argv[i], name) != 0)
			continue;
		char *end;
		errno = 0;
		long long v = strtoll(argv[i + 1], &end, 10);
		if (errno || end == argv[i + 1] || *end || v < 0) {
			fprintf(stderr, "bench: %s: '%s' is not a count\n", name, argv[i + 1]);
			exit(2);
		}
		return v;
	}
	return def;
}

static inline double bench_secs(uint64_t t0)
{
	return (double)(fk_mono_ns() - t0) / 1e9;
}

/* CPU time of the process: unlike wall time, it does not grow when other processes
 * share the machine, so figures from a busy machine stay comparable. */
static inline uint64_t bench_cpu_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static inline double bench_cpu_secs(uint64_t c0)
{
	return (double)(bench_cpu_ns() - c0) / 1e9;
}

static inline int bench_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

struct bench_pct {
	double p50, p90, p99, max; /* milliseconds */
};

/* Sorts ns[0..n) and reads its percentiles (nearest rank). */
static inline struct bench_pct bench_percentiles(uint64_t *ns, size_t n)
{
	struct bench_pct p = {0, 0, 0, 0};
	if (n == 0)
		return p;
	qsort(ns, n, sizeof(*ns), bench_cmp_u64);
	p.p50 = (double)ns[(n - 1) * 50 / 100] / 1e6;
	p.p90 = (double)ns[(n - 1) * 90 / 100] / 1e6;
	p.p99 = (double)ns[(n - 1) * 99 / 100] / 1e6;
	p.max = (double)ns[n - 1] / 1e6;
	return p;
}

static inline struct fk_db *bench_open_store(const char *url)
{
	struct fk_err err = {0};
	struct fk_db *db;
	if (fk_db_open(url, &db, &err) < 0)
		bench_die(url, &err);
	if (fk_modules_use(fk_modules, &err) < 0 ||
	    fk_modules_migrate(db, fk_modules, NULL, &err) < 0)
		bench_die("migrate", &err);
	return db;
}

#endif
