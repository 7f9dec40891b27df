/* test_trace: the trace module's calls for other modules on a real store (both stores) — a
 * person found positive becomes one case; a close contact found positive gets its case as
 * source, one generation on, its contact row "became_case"; a contact is read in scope only
 * and marked placed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#define FK_TEST_NAME "test_trace"
#include "people_env.h"
#include "base/clock.h"
#include "base/id.h"
#include "trace/internal.h"

static int64_t pa, pb, pc; /* two in grid A, one in grid B */

static int64_t person(struct fk_db *db, const char *name, int seq, int64_t area)
{
	struct fk_person p;
	struct fk_err err = {0};
	char id[19], outcome;

	memset(&p, 0, sizeof(p));
	snprintf(p.name, sizeof(p.name), "%s", name);
	snprintf(p.id_number, sizeof(p.id_number), "%s", valid_id("19800101", seq, id));
	p.area_id = area;
	area_must(fk_person_upsert(db, &p, &outcome, &err), &err);
	return p.id;
}

static int setup(void **state)
{
	struct fk_err err = {0};
	struct fk_db *db = area_env_db(state);

	area_must(fk_db_exec(db, "DELETE FROM contacts", &err), &err);
	area_must(fk_db_exec(db, "DELETE FROM cases", &err), &err);
	people_case_setup(state);
	pa = person(db, "甲", 1, T.a1);
	pb = person(db, "乙", 3, T.a2);
	pc = person(db, "丙", 5, T.b1);
	return 0;
}

/* A contact of case_id for person_id (secondary through via when via != 0), listed by the
 * system. */
static int64_t contact(struct fk_db *db, int64_t case_id, int64_t person_id, int64_t via)
{
	struct tc_contact c = {.case_id = case_id,
			       .person_id = person_id,
			       .kind = via ? "secondary" : "close",
			       .via_contact_id = via,
			       .place = "菜市场",
			       .met_at = fk_now_ms() - 3600000,
			       .exposure = "shared_space",
			       .certainty = "confirmed",
			       .source = "named_by_case"};
	struct fk_err err = {0};
	struct fk_trace_contact got;
	struct fk_q *q;

	area_must(fk_db_query(db, &q, "SELECT area_path FROM people WHERE id = ?", &err), &err);
	fk_q_bind_i64(q, 1, person_id);
	assert_int_equal(fk_q_step(q, &err), 1);
	snprintf(c.area_path, sizeof(c.area_path), "%s", fk_q_text(q, 0));
	fk_q_done(q);
	area_must(tc_contact_insert(db, NULL, &c, &err), &err);
	area_must(fk_trace_contact_get(db, NULL, c.id, "contact_id", &got, &err), &err);
	assert_string_equal(got.status, "listed");
	return c.id;
}

static int64_t close_contact(struct fk_db *db, int64_t case_id, int64_t person_id)
{
	return contact(db, case_id, person_id, 0);
}

static int64_t one(struct fk_db *db, const char *sql, int64_t id)
{
	struct fk_err err = {0};
	int64_t v = -1;

	area_must(fk_db_one_i64(db, &err, &v, sql, "i", id), &err);
	return v;
}

static void found_once(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_err err = {0};
	int64_t id = 0, again = 0;
	bool created = false;

	area_must(tc_case_found_retest(db, pa, 77, &id, &created, &err), &err);
	assert_true(created);
	assert_int_equal(one(db, "SELECT generation FROM cases WHERE id = ?", id), 1);
	assert_int_equal(one(db, "SELECT retest_id FROM cases WHERE id = ?", id), 77);
	assert_int_equal(
	    one(db, "SELECT COUNT(*) FROM cases WHERE source_case_id IS NULL AND id = ?", id), 1);
	area_must(fk_trace_case_found(db, pa, "isolation_test", &again, &created, &err), &err);
	assert_false(created);
	assert_int_equal(again, id);
	assert_int_equal(one(db, "SELECT COUNT(*) FROM cases WHERE person_id = ?", pa), 1);
	assert_int_equal(fk_trace_case_found(db, 999999, "retest", &id, &created, &err),
			 FK_ENOTFOUND);
	assert_string_equal(err.key, "person_not_found");
}

static void contact_becomes_case(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_err err = {0};
	struct fk_trace_contact got;
	int64_t first = 0, second = 0, k;
	bool created = false;

	area_must(fk_trace_case_found(db, pa, "retest", &first, &created, &err), &err);
	k = close_contact(db, first, pb);
	area_must(fk_trace_case_found(db, pb, "isolation_test", &second, &created, &err), &err);
	assert_true(created);
	assert_int_equal(one(db, "SELECT source_case_id FROM cases WHERE id = ?", second), first);
	assert_int_equal(one(db, "SELECT generation FROM cases WHERE id = ?", second), 2);
	area_must(fk_trace_contact_get(db, NULL, k, "contact_id", &got, &err), &err);
	assert_string_equal(got.status, "became_case");
	assert_int_equal(got.person_id, pb);
	assert_int_equal(got.case_id, first);
}

static void contact_scope_and_placed(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_err err = {0};
	struct fk_trace_contact got;
	struct fk_principal grid_a = who_over(db, FK_ROLE_GRID, T.grid_a);
	struct fk_principal grid_b = who_over(db, FK_ROLE_GRID, T.grid_b);
	int64_t cid = 0, k;
	bool created;

	area_must(fk_trace_case_found(db, pc, "retest", &cid, &created, &err), &err);
	k = close_contact(db, cid, pa);
	assert_int_equal(fk_trace_contact_get(db, &grid_b, k, "contact_id", &got, &err),
			 FK_ENOTFOUND);
	assert_string_equal(err.key, "contact_not_found");
	assert_string_equal(err.field, "contact_id");
	area_must(fk_trace_contact_get(db, &grid_a, k, "contact_id", &got, &err), &err);
	assert_string_equal(got.kind, "close");
	area_must(fk_trace_contact_placed(db, k, 4242, &err), &err);
	area_must(fk_trace_contact_get(db, NULL, k, "contact_id", &got, &err), &err);
	assert_string_equal(got.status, "placed");
	assert_int_equal(one(db, "SELECT placement_id FROM contacts WHERE id = ?", k), 4242);
	assert_int_equal(fk_trace_contact_placed(db, 1234567, 1, &err), FK_ENOTFOUND);
	assert_int_equal(fk_trace_contact_get(db, NULL, 1234567, "x", &got, &err), FK_ENOTFOUND);
}

static void contact_rules(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_err err = {0};
	int64_t cid = 0, k, s;
	bool created;
	struct tc_contact c = {.kind = "close",
			       .place = "楼道",
			       .exposure = "household",
			       .certainty = "possible",
			       .source = "other"};

	area_must(fk_trace_case_found(db, pa, "retest", &cid, &created, &err), &err);
	k = close_contact(db, cid, pb);
	s = contact(db, cid, pc, k);
	c.case_id = cid;
	c.met_at = fk_now_ms() - 1000;
	c.person_id = pa; /* the case's own person */
	assert_int_equal(tc_contact_insert(db, NULL, &c, &err), FK_EUNPROC);
	assert_string_equal(err.key, "contact_is_case");
	assert_string_equal(err.field, "person_id");
	c.person_id = person(db, "丁", 7, T.a2);
	c.kind = "secondary";
	c.via_contact_id = s; /* a secondary contact is no way through */
	assert_int_equal(tc_contact_insert(db, NULL, &c, &err), FK_EUNPROC);
	assert_string_equal(err.field, "via_contact_id");
	c.kind = "close";
	c.via_contact_id = 0;
	c.met_at = fk_now_ms() + 60000;
	assert_int_equal(tc_contact_insert(db, NULL, &c, &err), FK_EUNPROC);
	assert_string_equal(err.field, "met_at");
	c.met_at = fk_now_ms() - 1000;
	c.person_id = pb;
	assert_int_equal(tc_contact_insert(db, NULL, &c, &err), FK_ECONFLICT);
	assert_string_equal(err.key, "contact_exists");
	assert_int_equal(one(db, "SELECT COUNT(*) FROM contacts WHERE case_id = ?", cid), 2);
}

static void promote_moves_up(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_principal all = who_over(db, FK_ROLE_COMMUNITY, T.community);
	struct fk_err err = {0};
	int64_t first = 0, second = 0, k, s, pd = person(db, "丁", 7, T.a2);
	int moved = -1;
	bool created;
	json_t *items = json_array(), *prop = json_array();

	area_must(fk_trace_case_found(db, pa, "retest", &first, &created, &err), &err);
	k = close_contact(db, first, pb);
	s = contact(db, first, pc, k);
	contact(db, first, pd, k);
	area_must(fk_trace_case_found(db, pb, "retest", &second, &created, &err), &err);
	close_contact(db, second, pd); /* already a contact of the new case: made close */
	area_must(tc_proposed_list(db, &all, second, prop, &err), &err);
	assert_int_equal(json_array_size(prop), 2);
	area_must(tc_promote(db, &all, second, &moved, items, &err), &err);
	assert_int_equal(moved, 2);
	assert_int_equal(json_array_size(items), 2);
	assert_int_equal(one(db,
			     "SELECT COUNT(*) FROM contacts WHERE case_id = ? AND kind = "
			     "'close' AND status = 'listed'",
			     second),
			 2);
	assert_int_equal(one(db,
			     "SELECT COUNT(*) FROM contacts WHERE case_id = ? AND status = "
			     "'moved' AND moved_to_id IS NOT NULL",
			     first),
			 2);
	assert_int_equal(one(db,
			     "SELECT c.person_id FROM contacts o JOIN contacts c ON c.id = "
			     "o.moved_to_id WHERE o.id = ?",
			     s),
			 pc);
	area_must(tc_promote(db, &all, second, &moved, NULL, &err), &err);
	assert_int_equal(moved, 0);
	json_decref(items);
	json_decref(prop);
}

static json_t *node_of(json_t *g, int64_t person_id)
{
	char id[24];
	size_t i;
	json_t *n;

	fk_id_format(person_id, id);
	json_array_foreach(json_object_get(g, "nodes"), i,
			   n) if (strcmp(json_string_value(json_object_get(n, "id")), id) ==
				  0) return n;
	fail_msg("no node for person %s", id);
	return NULL;
}

static void graph_one_node_per_person(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_principal a = who_over(db, FK_ROLE_GRID, T.grid_a);
	struct fk_err err = {0};
	int64_t first = 0, second = 0;
	bool created;
	json_t *g = NULL;

	area_must(fk_trace_case_found(db, pa, "retest", &first, &created, &err), &err);
	close_contact(db, first, pb);
	contact(db, first, pc, close_contact(db, first, person(db, "丁", 7, T.a1u2)));
	area_must(fk_trace_case_found(db, pb, "retest", &second, &created, &err), &err);
	close_contact(db, second, pc); /* pc: secondary of one case, close of another */
	area_must(tc_graph_case(db, &a, second, &g, &err), &err);
	assert_int_equal(json_array_size(json_object_get(g, "nodes")), 4);
	assert_string_equal(json_string_value(json_object_get(node_of(g, pb), "role")), "case");
	assert_int_equal(json_integer_value(json_object_get(node_of(g, pb), "generation")), 2);
	assert_string_equal(json_string_value(json_object_get(node_of(g, pc), "role")), "close");
	/* pc lives in grid B: in the chain, without a name for grid A */
	assert_true(json_is_true(json_object_get(node_of(g, pc), "hidden")));
	assert_true(json_is_null(json_object_get(node_of(g, pc), "name")));
	assert_string_equal(json_string_value(json_object_get(node_of(g, pa), "name")), "甲");
	json_decref(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(found_once, setup),
	    cmocka_unit_test_setup(contact_becomes_case, setup),
	    cmocka_unit_test_setup(contact_scope_and_placed, setup),
	    cmocka_unit_test_setup(contact_rules, setup),
	    cmocka_unit_test_setup(promote_moves_up, setup),
	    cmocka_unit_test_setup(graph_one_node_per_person, setup),
	};

	return area_env_run("trace", tests, sizeof(tests) / sizeof(tests[0]));
}
