/* test_audit: the audited-write helpers (audit/audit.h) against a migrated store, SQLite and,
 * with FK_PG_URL, PostgreSQL: fk_audit_json stores its detail as compact JSON with sorted
 * keys and the request's principal; every call given a detail takes its reference, whether
 * it records or not; fk_audit_tx_end lands the change and its row together, or neither. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#define FK_TEST_NAME "test_audit"
#include "area_env.h"
#include "audit/audit.h"
#include "users/principal.h"

static struct fk_principal admin = {.user_id = 7, .username = "alice", .role = FK_ROLE_ADMIN};

static struct fk_req request(struct fk_db *db)
{
	return (struct fk_req){
	    .db = db, .who = &admin, .client_ip = "10.0.0.9", .request_id = "rid-1"};
}

/* The detail text of the newest row of action (NULL when none), copied into out. */
static bool last_detail(struct fk_db *db, const char *action, char *out, size_t cap)
{
	struct fk_err err = {0};
	struct fk_q *q;
	bool found = false;

	area_must(fk_db_query(db, &q,
			      "SELECT detail, username, ip, request_id, target_kind, target_id "
			      "FROM audit WHERE action = ? ORDER BY id DESC",
			      &err),
		  &err);
	fk_q_bind_text(q, 1, action);
	if (fk_q_step(q, &err) > 0) {
		found = true;
		snprintf(out, cap, "%s", fk_q_text(q, 0) ? fk_q_text(q, 0) : "(null)");
		assert_string_equal(fk_q_text(q, 1), "alice");
		assert_string_equal(fk_q_text(q, 2), "10.0.0.9");
		assert_string_equal(fk_q_text(q, 3), "rid-1");
	}
	fk_q_done(q);
	return found;
}

static int64_t rows_of(struct fk_db *db, const char *action)
{
	struct fk_err err = {0};
	int64_t n = -1;

	area_must(
	    fk_db_one_i64(db, &err, &n, "SELECT COUNT(*) FROM audit WHERE action = ?", "t", action),
	    &err);
	return n;
}

static void test_json_detail_sorted_and_taken(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_req req = request(db);
	struct fk_err err = {0};
	json_t *d = json_pack("{s:s, s:i, s:{s:b}}", "zeta", "末", "alpha", 1, "mid", "x", 1);
	char text[256];

	json_incref(d); /* to see that the call gives its reference back */
	area_must(fk_audit_json(&req, "t.sorted", "thing", 42, d, &err), &err);
	assert_int_equal(d->refcount, 1);
	json_decref(d);
	assert_true(last_detail(db, "t.sorted", text, sizeof(text)));
	assert_string_equal(text, "{\"alpha\":1,\"mid\":{\"x\":true},\"zeta\":\"末\"}");
	/* no detail: NULL stored */
	area_must(fk_audit_json(&req, "t.none", "thing", 0, NULL, &err), &err);
	assert_true(last_detail(db, "t.none", text, sizeof(text)));
	assert_string_equal(text, "(null)");
}

static void test_failing_audit_takes_detail(void **state)
{
	struct fk_req req = request(NULL); /* a route without a store: refused */
	struct fk_err err = {0};
	json_t *d = json_pack("{s:s}", "k", "v");

	json_incref(d);
	assert_int_equal(fk_audit_json(&req, "t.refused", "thing", 1, d, &err), FK_EINTERNAL);
	assert_string_equal(err.key, "audit_no_store");
	assert_int_equal(d->refcount, 1);
	req.db = area_env_db(state);
	assert_int_equal(fk_audit_json(&req, "", "thing", 1, d, &err), FK_EINTERNAL);
	assert_string_equal(err.key, "audit_action");
	assert_int_equal(rows_of(req.db, "t.refused"), 0);
}

static void test_tx_end_lands_both_or_neither(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_req req = request(db);
	struct fk_err err = {0};
	struct fk_audit_entry e = {.action = "t.tx", .target_kind = "area", .target_id = 5};
	json_t *d;
	char text[256];

	int64_t id, n = -1;

	/* the write fails: nothing lands (the area made inside joined the transaction), the
	 * detail is still taken */
	area_must(fk_audit_tx_begin(&req, &err), &err);
	area_add(db, 0, "district", "甲区", "D1");
	d = json_pack("{s:i}", "n", 1);
	json_incref(d);
	e.detail = d;
	assert_int_equal(fk_audit_tx_end(&req, FK_EUNPROC, &e, &err), FK_EUNPROC);
	assert_int_equal(d->refcount, 1);
	json_decref(d);
	assert_false(fk_db_in_tx(db));
	assert_int_equal(rows_of(db, "t.tx"), 0);
	area_must(fk_db_one_i64(db, &err, &n, "SELECT COUNT(*) FROM areas", ""), &err);
	assert_int_equal(n, 0);
	/* the write succeeds: its row is committed with it */
	area_must(fk_audit_tx_begin(&req, &err), &err);
	id = area_add(db, 0, "district", "甲区", "D1");
	e.detail = json_pack("{s:i, s:i}", "b", 2, "a", 1);
	area_must(fk_audit_tx_end(&req, 0, &e, &err), &err);
	assert_false(fk_db_in_tx(db));
	assert_true(last_detail(db, "t.tx", text, sizeof(text)));
	assert_string_equal(text, "{\"a\":1,\"b\":2}");
	area_path_of(db, id, text, sizeof(text));
	assert_true(text[0] == '/');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_json_detail_sorted_and_taken),
	    cmocka_unit_test(test_failing_audit_takes_detail),
	    cmocka_unit_test_setup(test_tx_end_lands_both_or_neither, area_env_wipe),
	};

	return area_env_run("audit", tests, sizeof(tests) / sizeof(tests[0]));
}
