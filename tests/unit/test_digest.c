/* test_digest: the store's fingerprint (store/digest.h) and the SQLite copies backups make
 * (store/snapshot.h). The same rows give the same checksum whatever their insertion order and
 * on both stores (PostgreSQL when FK_PG_URL is set, in a database made for the run); one
 * changed value changes it. A copy passes its integrity check and has the source's digest;
 * a file that is not a database fails the check. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>
#include "store/db.h"
#include "store/digest.h"
#include "store/snapshot.h"
#include "pg_required.h"

static char dir[64];

static void must(int rc, const struct fk_err *err)
{
	if (rc < 0)
		fail_msg("store call failed: %s [%s]", err->en, err->key);
}

static struct fk_db *open_url(const char *url)
{
	struct fk_err err = {0};
	struct fk_db *db = NULL;

	must(fk_db_open(url, &db, &err), &err);
	return db;
}

static const char schema[] = "CREATE TABLE t_keyed (id BIGINT PRIMARY KEY, name TEXT, score "
			     "DOUBLE PRECISION, note TEXT);"
			     "CREATE TABLE t_bare (a TEXT, b BIGINT);";

/* Row i of t_keyed; order gives the insertion order. */
static void fill(struct fk_db *db, const int *order, int n)
{
	static const char *const names[] = {"甲", "", "O'Brien", NULL, "x\xe2\x80\x8by"};
	struct fk_err err = {0};

	must(fk_db_exec(db, schema, &err), &err);
	for (int k = 0; k < n; k++) {
		int i = order[k];
		must(fk_db_write(db, &err, "INSERT INTO t_keyed (id, name, note) VALUES (?, ?, ?)",
				 "itt", (int64_t)(1000 + i), names[i], i == 3 ? NULL : "1.50"),
		     &err);
	}
}

static void fill_scores(struct fk_db *db)
{
	static const double scores[] = {0.1 + 0.2, 5.0, 1e20, -0.0005, 104.06};
	struct fk_err err = {0};

	for (int i = 0; i < 5; i++)
		must(fk_db_write(db, &err, "UPDATE t_keyed SET score = ? WHERE id = ?", "di",
				 scores[i], (int64_t)(1000 + i)),
		     &err);
	must(fk_db_write(db, &err, "INSERT INTO t_bare (a, b) VALUES (?, ?), (?, ?), (?, ?)",
			 "tinitn", "b", (int64_t)2, "a", "a", (int64_t)-7, "a"),
	     &err);
}

static void digest_of(struct fk_db *db, struct fk_table_digest *keyed, struct fk_table_digest *bare)
{
	struct fk_err err = {0};
	struct fk_table_digest *t = NULL;
	int n = 0;

	must(fk_store_digest(db, &t, &n, &err), &err);
	assert_int_equal(n, 2);
	assert_string_equal(t[0].name, "t_bare");
	assert_string_equal(t[1].name, "t_keyed");
	*bare = t[0];
	*keyed = t[1];
	free(t);
}

static void make(const char *url, const int *order, struct fk_table_digest *keyed,
		 struct fk_table_digest *bare)
{
	struct fk_db *db = open_url(url);

	fill(db, order, 5);
	fill_scores(db);
	digest_of(db, keyed, bare);
	fk_db_close(db);
}

static const int forward[] = {0, 1, 2, 3, 4}, backward[] = {4, 3, 2, 1, 0};
static struct fk_table_digest lite_keyed, lite_bare;

static void lite_path(const char *name, char *out, size_t size)
{
	snprintf(out, size, "%s/%s", dir, name);
}

static void test_order_and_change(void **state)
{
	struct fk_table_digest k2, b2, k3, b3;
	char a[128], b[128];
	struct fk_err err = {0};
	struct fk_db *db;

	(void)state;
	lite_path("a.db", a, sizeof(a));
	lite_path("b.db", b, sizeof(b));
	make(a, forward, &lite_keyed, &lite_bare);
	make(b, backward, &k2, &b2);
	assert_int_equal(lite_keyed.rows, 5);
	assert_int_equal(lite_bare.rows, 3);
	assert_string_equal(k2.blake2b, lite_keyed.blake2b);
	assert_string_equal(b2.blake2b, lite_bare.blake2b);
	assert_int_equal(strlen(lite_keyed.blake2b), 64);

	db = open_url(b);
	must(fk_db_write(db, &err, "UPDATE t_keyed SET note = ? WHERE id = ?", "ti", "1.5",
			 (int64_t)1000),
	     &err);
	digest_of(db, &k3, &b3);
	assert_string_not_equal(k3.blake2b, lite_keyed.blake2b);
	assert_string_equal(b3.blake2b, lite_bare.blake2b);
	fk_db_close(db);
}

static void test_snapshot(void **state)
{
	struct fk_table_digest k, b;
	char src[128], copy[128], junk[128];
	struct fk_err err = {0};
	int64_t pages = 0;
	struct fk_db *db;
	FILE *f;

	(void)state;
	lite_path("a.db", src, sizeof(src));
	lite_path("copy.db", copy, sizeof(copy));
	lite_path("junk.db", junk, sizeof(junk));
	must(fk_sqlite_snapshot(src, copy, &pages, &err), &err);
	assert_true(pages > 0);
	db = open_url(copy);
	digest_of(db, &k, &b);
	fk_db_close(db);
	assert_string_equal(k.blake2b, lite_keyed.blake2b);
	must(fk_sqlite_seal(copy, &err), &err);
	must(fk_sqlite_integrity(copy, &err), &err);

	f = fopen(junk, "wb");
	assert_non_null(f);
	for (int i = 0; i < 8192; i++)
		fputc(i * 7 % 251, f);
	fclose(f);
	assert_int_equal(fk_sqlite_integrity(junk, &err), FK_EUNPROC);
	assert_non_null(strstr(err.en, "junk.db"));
}

/* The same rows on PostgreSQL: the same checksums as on SQLite. */
static void test_postgres_agrees(void **state)
{
	char admin[512], url[600], sql[256], name[64];
	struct fk_table_digest k, b;
	struct fk_err err = {0};
	struct fk_db *db;
	const char *pg = pg_url();
	const char *slash;

	(void)state;
	if (!pg) {
		skip();
		return;
	}
	snprintf(admin, sizeof(admin), "%s", pg);
	snprintf(name, sizeof(name), "fk_digest_%d", (int)getpid());
	slash = strrchr(admin, '/');
	snprintf(url, sizeof(url), "%.*s/%s", (int)(slash - admin), admin, name);
	db = open_url(admin);
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s", name);
	must(fk_db_exec(db, sql, &err), &err);
	snprintf(sql, sizeof(sql),
		 "CREATE DATABASE %s TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' "
		 "LC_CTYPE 'C'",
		 name);
	must(fk_db_exec(db, sql, &err), &err);
	make(url, backward, &k, &b);
	snprintf(sql, sizeof(sql), "DROP DATABASE %s WITH (FORCE)", name);
	must(fk_db_exec(db, sql, &err), &err);
	fk_db_close(db);
	assert_int_equal(k.rows, lite_keyed.rows);
	assert_string_equal(k.blake2b, lite_keyed.blake2b);
	assert_int_equal(b.rows, lite_bare.rows);
	assert_string_equal(b.blake2b, lite_bare.blake2b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_order_and_change),
	    cmocka_unit_test(test_snapshot),
	    cmocka_unit_test(test_postgres_agrees),
	};
	static const char *const files[] = {"a.db", "b.db", "copy.db", "junk.db"};
	char path[128];
	int failed, missing = pg_url() ? 0 : pg_missing("test_digest");

	/* A folder of its own, whatever an earlier run cut short left behind. */
	snprintf(dir, sizeof(dir), "/tmp/fk_digest_XXXXXX");
	if (!mkdtemp(dir)) {
		perror("test_digest: mkdtemp");
		return 1;
	}
	failed = cmocka_run_group_tests(tests, NULL, NULL);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		lite_path(files[i], path, sizeof(path));
		unlink(path);
	}
	rmdir(dir);
	return failed + missing;
}
