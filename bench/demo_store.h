/* demo_store: the demo stores of N residents that bench_search, bench_coverage and
 * bench_results share. One takes minutes to build, so it is kept as /tmp/fk-bench-10m.db
 * (other sizes: /tmp/fk-bench-N.db) with a marker file beside it naming what it holds (size,
 * seed, generator, and a hash of the schema as SQLite runs it), and reused while the marker
 * matches; a store of another schema or generator is built again. Header-only, as bench.h. */
#ifndef FK_BENCH_DEMO_STORE_H
#define FK_BENCH_DEMO_STORE_H
#include <fcntl.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <unistd.h>
#include "bench.h"
#include "cmd/demo.h"

#define BENCH_STORE_SEED 1

static inline void bench_store_path(long long n, char *out, size_t size)
{
	if (n == 10000000)
		snprintf(out, size, "/tmp/fk-bench-10m.db");
	else
		snprintf(out, size, "/tmp/fk-bench-%lld.db", n);
}

/* FNV-1a over every migration's SQL as SQLite runs it: a schema edited in place (or run
 * otherwise) still invalidates the store. */
static inline uint32_t bench_schema_hash(void)
{
	uint32_t h = 2166136261u;

	for (int m = 0; fk_modules[m]; m++)
		for (const struct fk_migration *l = fk_modules[m]->migrations; l && l->sql; l++) {
			char *sql = fk_migration_sql(l, FK_DB_SQLITE);
			for (const char *c = sql; *c; c++)
				h = (h ^ (unsigned char)*c) * 16777619u;
			free(sql);
		}
	return h;
}

static inline void bench_store_marker(long long n, char *out, size_t size)
{
	snprintf(out, size, "fk-bench-search residents=%lld seed=%d generator=%d schema=%08x\n", n,
		 BENCH_STORE_SEED, FK_DEMO_GEN_VERSION, bench_schema_hash());
}

static inline bool bench_store_current(const char *path, long long n)
{
	char marker[300], have[200] = "", want[200];
	FILE *f;

	bench_store_marker(n, want, sizeof(want));
	snprintf(marker, sizeof(marker), "%s.ok", path);
	f = fopen(marker, "r");
	if (!f)
		return false;
	if (!fgets(have, sizeof(have), f))
		have[0] = '\0';
	fclose(f);
	return strcmp(have, want) == 0 && access(path, R_OK) == 0;
}

static inline void bench_store_build(const char *path, long long n)
{
	static const char *const suffixes[] = {"", "-wal", "-shm", ".ok"};
	struct fk_demo_opts o = {
	    .residents = n, .seed = BENCH_STORE_SEED, .password = "bench-pass-1"};
	struct fk_err err = {0};
	uint64_t t0 = fk_mono_ns();
	char p[300], marker[200];
	FILE *f;

	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", path, suffixes[i]);
		unlink(p);
	}
	fprintf(stderr, "bench: building %s with %lld residents (once; kept for later runs)\n",
		path, n);
	struct fk_db *db = bench_open_store(path);
	if (fk_demo_build(db, &o, stderr, &err) < 0)
		bench_die("demo", &err);
	if (fk_db_exec(db, "ANALYZE", &err) < 0)
		bench_die("analyze", &err);
	fk_db_close(db);
	printf("built the store of %lld residents in %.1f s\n", n, bench_secs(t0));
	bench_store_marker(n, marker, sizeof(marker));
	snprintf(p, sizeof(p), "%s.ok", path);
	f = fopen(p, "w");
	if (f) {
		fputs(marker, f);
		fclose(f);
	}
}

/* The store of n residents in path, built when missing or stale. */
static inline void bench_store_ensure(long long n, char *path, size_t size)
{
	bench_store_path(n, path, size);
	if (bench_store_current(path, n))
		printf("reusing %s (%lld residents)\n", path, n);
	else
		bench_store_build(path, n);
}

/* A private copy of the shared store at from, into to (its -wal and -shm removed): for a
 * benchmark that writes (zones, passes, audit entries), so that the shared store stays as built. */
static inline void bench_store_copy(const char *from, const char *to)
{
	char p[300];
	struct stat st;
	int in = open(from, O_RDONLY), out;
	off_t left;

	snprintf(p, sizeof(p), "%s-wal", to);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", to);
	unlink(p);
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (in < 0 || out < 0 || fstat(in, &st) < 0)
		bench_die("copy the store", NULL);
	for (left = st.st_size; left > 0;) {
		ssize_t n = copy_file_range(in, NULL, out, NULL, (size_t)left, 0);
		if (n <= 0)
			bench_die("copy the store", NULL);
		left -= n;
	}
	close(in);
	close(out);
}

/* Removes a round made for a run (its stats, areas and row), so the cached store stays as
 * built. */
static inline void bench_drop_round(struct fk_db *db, int64_t id)
{
	static const char *const sql[] = {
	    "DELETE FROM round_stats WHERE round_id = ?",
	    "DELETE FROM round_areas WHERE round_id = ?",
	    "DELETE FROM rounds WHERE id = ?",
	};
	struct fk_err err = {0};

	for (size_t i = 0; i < sizeof(sql) / sizeof(sql[0]); i++)
		bench_must(fk_db_run(db, &err, sql[i], "i", id), sql[i], &err);
}

#endif
