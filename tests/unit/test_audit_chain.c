/* test_audit_chain: the audit log's hash chain (audit/audit.h) on SQLite and, with FK_PG_URL,
 * PostgreSQL: sealing in batches and verifying a whole chain; a row's changed detail, a
 * deleted row, a deleted tail and a changed head each found and named by seq and audit id;
 * retention pruning the oldest sealed rows keeps a chain that verifies from the first kept;
 * two sealers on two connections at once make one chain, not a fork. */
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#define FK_TEST_NAME "test_audit_chain"
#pragma GCC diagnostic ignored "-Wunused-function"
#include "area_env.h"
#include "audit/audit.h"
#include "base/clock.h"

static void add_rows(struct fk_db *db, int n, const char *action)
{
	struct fk_err err = {0};

	for (int i = 0; i < n; i++) {
		struct fk_audit_entry e = {.action = action,
					   .target_kind = "person",
					   .target_id = i + 1,
					   .detail =
					       json_pack("{s:i, s:s}", "n", i, "name", "张三")};
		area_must(fk_audit_cli(db, &e, &err), &err);
	}
}

static int wipe(void **state)
{
	struct fk_err err = {0};
	struct fk_db *db = area_env_db(state);

	area_must(fk_db_exec(db,
			     "DELETE FROM audit; UPDATE audit_seal SET last_seq = 0, "
			     "last_hash = '', pruned_seq = 0, pruned_hash = ''",
			     &err),
		  &err);
	return 0;
}

static int64_t seal(struct fk_db *db)
{
	struct fk_err err = {0};
	int64_t n = -1;

	area_must(fk_audit_seal(db, &n, &err), &err);
	return n;
}

static struct fk_audit_report verify(struct fk_db *db)
{
	struct fk_audit_report r;
	struct fk_err err = {0};

	area_must(fk_audit_verify(db, &r, &err), &err);
	return r;
}

static int64_t id_at_seq(struct fk_db *db, int64_t seq)
{
	struct fk_err err = {0};
	int64_t id = 0;

	area_must(fk_db_one_i64(db, &err, &id, "SELECT id FROM audit WHERE seal_seq = ?", "i", seq),
		  &err);
	return id;
}

static void must_exec(struct fk_db *db, const char *sql)
{
	struct fk_err err = {0};

	area_must(fk_db_exec(db, sql, &err), &err);
}

/* n rows sealed, then changed by sql behind the chain's back: what verify finds. */
static struct fk_audit_report tampered(struct fk_db *db, int n, const char *sql)
{
	add_rows(db, n, "t.read");
	seal(db);
	must_exec(db, sql);
	return verify(db);
}

static void test_seal_in_batches_and_verify(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_audit_report r;

	add_rows(db, 2503, "t.read");
	r = verify(db);
	assert_int_equal(r.verified, 0);
	assert_int_equal(r.unsealed, 2503);
	assert_int_equal(seal(db), 2503);
	assert_int_equal(seal(db), 0);
	add_rows(db, 4, "t.read");
	r = verify(db);
	assert_int_equal(r.brk, FK_AUDIT_WHOLE);
	assert_int_equal(r.verified, 2503);
	assert_int_equal(r.unsealed, 4);
	assert_int_equal(r.head.seq, 2503);
	assert_int_equal(strlen(r.head.hash), 64);
	assert_int_equal(seal(db), 4);
	r = verify(db);
	assert_int_equal(r.brk, FK_AUDIT_WHOLE);
	assert_int_equal(r.verified, 2507);
	assert_int_equal(r.first_seq, 1);
	/* seq follows id order */
	assert_true(id_at_seq(db, 1) < id_at_seq(db, 2));
}

static void test_changed_detail_found(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_audit_report r;

	r = tampered(db, 20,
		     "UPDATE audit SET detail = '{\"n\":5,\"name\":\"李四\"}' WHERE seal_seq = 6");
	assert_int_equal(r.brk, FK_AUDIT_CHANGED);
	assert_int_equal(r.break_seq, 6);
	assert_int_equal(r.break_id, id_at_seq(db, 6));
	assert_int_equal(r.verified, 5);
	assert_string_equal(fk_audit_break_name(r.brk), "changed row");
	/* a NULL where there was text is a change too */
	wipe(state);
	r = tampered(db, 3, "UPDATE audit SET ip = NULL WHERE seal_seq = 2");
	assert_int_equal(r.brk, FK_AUDIT_CHANGED);
	assert_int_equal(r.break_seq, 2);
}

static void test_deleted_rows_found(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_audit_report r;
	int64_t next_id;

	add_rows(db, 20, "t.read");
	seal(db);
	next_id = id_at_seq(db, 9);
	must_exec(db, "DELETE FROM audit WHERE seal_seq = 8");
	r = verify(db);
	assert_int_equal(r.brk, FK_AUDIT_MISSING);
	assert_int_equal(r.break_seq, 8);
	assert_int_equal(r.break_id, next_id);
	assert_string_equal(fk_audit_break_name(r.brk), "missing seq");
	/* the tail gone: the head names seq 20, the rows end at 17 */
	wipe(state);
	r = tampered(db, 20, "DELETE FROM audit WHERE seal_seq > 17");
	assert_int_equal(r.brk, FK_AUDIT_MISSING);
	assert_int_equal(r.break_seq, 18);
	assert_int_equal(r.break_id, 0);
}

static void test_changed_head_found(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_audit_report r;

	r = tampered(db, 10, "UPDATE audit_seal SET last_hash = 'ff' || substr(last_hash, 3)");
	assert_int_equal(r.brk, FK_AUDIT_HEAD);
	assert_int_equal(r.break_seq, 10);
	assert_int_equal(r.break_id, id_at_seq(db, 10));
	assert_string_equal(fk_audit_break_name(r.brk), "head mismatch");
	/* a head moved back leaves rows past it */
	wipe(state);
	r = tampered(db, 10, "UPDATE audit_seal SET last_seq = 7");
	assert_int_equal(r.brk, FK_AUDIT_HEAD);
	assert_int_equal(r.break_seq, 8);
	assert_int_equal(r.break_id, id_at_seq(db, 8));
}

static void test_prune_keeps_a_whole_chain(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_audit_report r;
	struct fk_err err = {0};
	/* 2026-01-01; the test clock runs on from where it is set: before is half a day later */
	int64_t t0 = 1767225600000LL, pruned = -1, left = 0;

	fk_clock_set_ms(t0);
	add_rows(db, 1205, "t.old");
	fk_clock_set_ms(t0 + 86400000LL);
	add_rows(db, 5, "t.new");
	area_must(fk_audit_prune(db, t0 + 43200000LL, &pruned, &err), &err);
	assert_int_equal(pruned, 1205);
	area_must(fk_db_one_i64(db, &err, &left, "SELECT COUNT(*) FROM audit WHERE action = ?", "t",
				"t.new"),
		  &err);
	assert_int_equal(left, 5);
	r = verify(db);
	assert_int_equal(r.brk, FK_AUDIT_WHOLE);
	assert_int_equal(r.first_seq, 1206);
	assert_int_equal(r.verified, 5);
	/* nothing more to prune; a change after the pruned end is still found */
	area_must(fk_audit_prune(db, t0 + 43200000LL, &pruned, &err), &err);
	assert_int_equal(pruned, 0);
	must_exec(db, "UPDATE audit SET action = 't.other' WHERE seal_seq = 1206");
	r = verify(db);
	assert_int_equal(r.brk, FK_AUDIT_CHANGED);
	assert_int_equal(r.break_seq, 1206);
}

struct sealer {
	const char *url;
	int64_t sealed;
	int rc;
};

static void *sealer_run(void *arg)
{
	struct sealer *s = arg;
	struct fk_err err = {0};
	struct fk_db *db = NULL;

	s->rc = fk_db_open(s->url, &db, &err);
	for (int i = 0; i < 20 && s->rc == 0; i++) {
		int64_t n = 0;
		s->rc = fk_audit_seal(db, &n, &err);
		s->sealed += n;
	}
	if (s->rc < 0)
		fprintf(stderr, "sealer: %s\n", err.en);
	fk_db_close(db);
	return NULL;
}

static void test_two_sealers_make_one_chain(void **state)
{
	struct area_env *e = *state;
	struct fk_db *db = area_env_db(state);
	struct sealer s[2] = {{.url = e->url}, {.url = e->url}};
	pthread_t t[2];
	struct fk_audit_report r;

	add_rows(db, 3000, "t.read");
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&t[i], NULL, sealer_run, &s[i]), 0);
	add_rows(db, 500, "t.read"); /* writes go on while they seal */
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	assert_int_equal(s[0].rc, 0);
	assert_int_equal(s[1].rc, 0);
	seal(db);
	r = verify(db);
	assert_int_equal(r.brk, FK_AUDIT_WHOLE);
	assert_int_equal(r.verified, 3500);
	assert_int_equal(r.head.seq, 3500);
	assert_true(s[0].sealed + s[1].sealed >= 3000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_seal_in_batches_and_verify, wipe),
	    cmocka_unit_test_setup(test_changed_detail_found, wipe),
	    cmocka_unit_test_setup(test_deleted_rows_found, wipe),
	    cmocka_unit_test_setup(test_changed_head_found, wipe),
	    cmocka_unit_test_setup(test_prune_keeps_a_whole_chain, wipe),
	    cmocka_unit_test_setup(test_two_sealers_make_one_chain, wipe),
	};

	fk_clock_test_enable();
	return area_env_run("test_audit_chain", tests, sizeof(tests) / sizeof(tests[0]));
}
