/* test_scope: the scope filter — fk_scope_covers (and the overlap rule of wide hints,
 * fk_scope_overlaps), the SQL fk_scope_sql writes and the values fk_scope_bind gives it —
 * against real rows in a store: a grid worker's scope returns only its grid's rows, no scope
 * returns none, two scopes return both. Also the area list and the area import seen through
 * a scope. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#define FK_TEST_NAME "test_scope"
#include "area_env.h"

static struct principal_paths {
	const char *paths[4];
} none = {{NULL}};

static struct fk_principal who_of(enum fk_role role, struct principal_paths p)
{
	struct fk_principal w;

	memset(&w, 0, sizeof(w));
	w.role = role;
	w.user_id = 9;
	for (int i = 0; i < 4 && p.paths[i]; i++)
		snprintf(w.scope_paths[w.nscopes++], sizeof(w.scope_paths[0]), "%s", p.paths[i]);
	return w;
}

/* ---- covers and SQL text, no store needed ---- */

static void test_covers(void **state)
{
	struct fk_principal w = who_of(FK_ROLE_GRID, (struct principal_paths){{"/1/12/"}});
	struct fk_principal n = who_of(FK_ROLE_GRID, none);
	struct fk_principal empty = who_of(FK_ROLE_GRID, (struct principal_paths){{""}});

	(void)state;
	assert_true(fk_scope_covers(&w, "/1/12/"));
	assert_true(fk_scope_covers(&w, "/1/12/305/"));
	assert_false(fk_scope_covers(&w, "/1/123/")); /* a longer id is not a child */
	assert_false(fk_scope_covers(&w, "/1/"));
	assert_false(fk_scope_covers(&w, NULL));
	assert_false(fk_scope_covers(&n, "/1/12/"));
	assert_false(fk_scope_covers(&empty, "/1/12/"));
	assert_false(fk_scope_covers(NULL, "/1/12/"));
}

static void test_overlaps(void **state)
{
	struct fk_principal w = who_of(FK_ROLE_GRID, (struct principal_paths){{"/1/12/"}});
	struct fk_principal two =
	    who_of(FK_ROLE_GRID, (struct principal_paths){{"/2/", "/1/13/305/"}});
	struct fk_principal n = who_of(FK_ROLE_GRID, none);
	struct fk_principal empty = who_of(FK_ROLE_GRID, (struct principal_paths){{""}});

	(void)state;
	/* Inside the scope, as covers. */
	assert_true(fk_scope_overlaps(&w, "/1/12/"));
	assert_true(fk_scope_overlaps(&w, "/1/12/305/"));
	/* The scope inside the path: the grid overlaps its community and the district. */
	assert_true(fk_scope_overlaps(&w, "/1/"));
	/* Siblings, and ids that only share leading digits, do not. */
	assert_false(fk_scope_overlaps(&w, "/1/13/"));
	assert_false(fk_scope_overlaps(&w, "/1/123/"));
	assert_false(fk_scope_overlaps(&w, "/1/1/"));
	assert_false(fk_scope_overlaps(&w, "/2/"));
	/* Any of several scopes. */
	assert_true(fk_scope_overlaps(&two, "/2/7/"));
	assert_true(fk_scope_overlaps(&two, "/1/13/"));
	assert_false(fk_scope_overlaps(&two, "/1/13/306/"));
	assert_false(fk_scope_overlaps(&two, "/1/12/"));
	/* No scope, an empty one, no path, no principal: never. */
	assert_false(fk_scope_overlaps(&n, "/1/"));
	assert_false(fk_scope_overlaps(&empty, "/1/"));
	assert_false(fk_scope_overlaps(&w, ""));
	assert_false(fk_scope_overlaps(&w, NULL));
	assert_false(fk_scope_overlaps(NULL, "/1/"));
}

static void test_sql_text(void **state)
{
	struct fk_principal one = who_of(FK_ROLE_GRID, (struct principal_paths){{"/1/12/"}});
	struct fk_principal two =
	    who_of(FK_ROLE_GRID, (struct principal_paths){{"/1/12/", "/1/13/"}});
	struct fk_principal n = who_of(FK_ROLE_GRID, none);
	struct fk_buf b;

	(void)state;
	fk_buf_init(&b, FK_BUF_SQL_MAX);
	assert_int_equal(fk_scope_sql(&one, "p.area_path", &b), 2);
	assert_string_equal(b.data, "((p.area_path >= ? AND p.area_path < ?))");
	fk_buf_reset(&b);
	assert_int_equal(fk_scope_sql(&two, "path", &b), 4);
	assert_string_equal(b.data, "((path >= ? AND path < ?) OR (path >= ? AND path < ?))");
	fk_buf_reset(&b);
	assert_int_equal(fk_scope_sql(&n, "path", &b), 0);
	assert_string_equal(b.data, "(1 = 0)");
	fk_buf_reset(&b);
	assert_int_equal(fk_scope_sql(NULL, "path", &b), 0);
	assert_string_equal(b.data, "(1 = 0)");
	fk_buf_release(&b);
}

/* ---- against a store ---- */

struct tree {
	int64_t d, c1, c2, g1, g2, g3, b1;
	char gp1[FK_AREA_PATH_MAX], gp2[FK_AREA_PATH_MAX], gp3[FK_AREA_PATH_MAX];
	char cp1[FK_AREA_PATH_MAX], dp[FK_AREA_PATH_MAX];
};

/* A district with two communities; grids 1 and 2 in community 1, grid 3 in community 2;
 * rows of t_rows filed under each grid (two in grid 1, one each elsewhere), plus one row
 * whose path only shares a textual prefix with grid 1's. */
static void build(void **state, struct tree *t)
{
	struct fk_db *db = area_env_db(state);
	struct fk_err err = {0};
	char p[FK_AREA_PATH_MAX + 32];

	area_env_wipe(state);
	area_must(fk_db_exec(db, "DROP TABLE IF EXISTS t_rows", &err), &err);
	area_must(
	    fk_db_exec(db, "CREATE TABLE t_rows (id BIGINT PRIMARY KEY, area_path TEXT)", &err),
	    &err);
	t->d = area_add(db, 0, "district", "区", "D");
	t->c1 = area_add(db, t->d, "community", "社区一", "C1");
	t->c2 = area_add(db, t->d, "community", "社区二", "C2");
	t->g1 = area_add(db, t->c1, "grid", "网格一", "C1G1");
	t->g2 = area_add(db, t->c1, "grid", "网格二", "C1G2");
	t->g3 = area_add(db, t->c2, "grid", "网格三", "C2G1");
	t->b1 = area_add(db, t->g1, "building", "1号楼", "C1G1B1");
	area_path_of(db, t->g1, t->gp1, sizeof(t->gp1));
	area_path_of(db, t->g2, t->gp2, sizeof(t->gp2));
	area_path_of(db, t->g3, t->gp3, sizeof(t->gp3));
	area_path_of(db, t->c1, t->cp1, sizeof(t->cp1));
	area_path_of(db, t->d, t->dp, sizeof(t->dp));
	area_path_of(db, t->b1, p, sizeof(p));
	area_must(fk_db_run(db, &err,
			    "INSERT INTO t_rows (id, area_path) VALUES (1, ?), (2, ?), (3, ?), "
			    "(4, ?)",
			    "tttt", t->gp1, p, t->gp2, t->gp3),
		  &err);
	/* grid 1's path without its last '/', then a digit: a different area. */
	snprintf(p, sizeof(p), "%.*s9/", (int)strlen(t->gp1) - 1, t->gp1);
	area_must(fk_db_run(db, &err, "INSERT INTO t_rows (id, area_path) VALUES (5, ?)", "t", p),
		  &err);
}

/* The ids of t_rows inside who's scope, as a sum of bits (1 << id). */
static int64_t visible(struct fk_db *db, const struct fk_principal *who)
{
	struct fk_buf sql;
	struct fk_err err = {0};
	struct fk_q *q;
	int64_t bits = 0;
	int rc, n;

	fk_buf_init(&sql, FK_BUF_SQL_MAX);
	fk_buf_puts(&sql, "SELECT id FROM t_rows WHERE ");
	n = fk_scope_sql(who, "area_path", &sql);
	fk_buf_puts(&sql, " ORDER BY id");
	area_must(fk_db_query(db, &q, sql.data, &err), &err);
	assert_int_equal(fk_scope_bind(who, q, 1), n + 1);
	while ((rc = fk_q_step(q, &err)) > 0)
		bits |= (int64_t)1 << fk_q_i64(q, 0);
	fk_q_done(q);
	fk_buf_release(&sql);
	area_must(rc, &err);
	return bits;
}

#define BIT(i) ((int64_t)1 << (i))

static void test_rows_by_scope(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct tree t;
	struct fk_principal w;

	build(state, &t);
	w = who_of(FK_ROLE_GRID, (struct principal_paths){{t.gp1}});
	assert_int_equal(visible(db, &w), BIT(1) | BIT(2));
	w = who_of(FK_ROLE_GRID, (struct principal_paths){{t.gp3}});
	assert_int_equal(visible(db, &w), BIT(4));
	w = who_of(FK_ROLE_GRID, none);
	assert_int_equal(visible(db, &w), 0);
	assert_int_equal(visible(db, NULL), 0);
	w = who_of(FK_ROLE_GRID, (struct principal_paths){{t.gp1, t.gp3}});
	assert_int_equal(visible(db, &w), BIT(1) | BIT(2) | BIT(4));
	w = who_of(FK_ROLE_COMMUNITY, (struct principal_paths){{t.cp1}});
	assert_int_equal(visible(db, &w), BIT(1) | BIT(2) | BIT(3) | BIT(5));
	w = who_of(FK_ROLE_COMMANDER, (struct principal_paths){{t.dp}});
	assert_int_equal(visible(db, &w), BIT(1) | BIT(2) | BIT(3) | BIT(4) | BIT(5));
}

/* fk_scoped_query: the ids of t_rows with id >= min inside who's scope, narrowed to under
 * (or not), at most limit of them, as a sum of bits. */
static int64_t scoped(struct fk_db *db, const struct fk_principal *who, const char *under,
		      int64_t min, int64_t limit)
{
	const struct fk_scoped_query sq = {.head = "SELECT id FROM t_rows WHERE id >= ? AND ",
					   .nhead = 1,
					   .col = "area_path",
					   .under = under,
					   .tail = " ORDER BY id LIMIT ?"};
	struct fk_err err = {0};
	struct fk_q *q;
	int64_t bits = 0;
	int rc, next = 0;

	area_must(fk_scoped_query(db, who, &sq, &q, &next, &err), &err);
	fk_q_bind_i64(q, 1, min);
	fk_q_bind_i64(q, next, limit);
	while ((rc = fk_q_step(q, &err)) > 0)
		bits |= (int64_t)1 << fk_q_i64(q, 0);
	fk_q_done(q);
	area_must(rc, &err);
	return bits;
}

static void test_scoped_query(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct tree t;
	struct fk_principal w;

	build(state, &t);
	/* the scope alone, then with the leading and trailing values bound around it */
	w = who_of(FK_ROLE_COMMUNITY, (struct principal_paths){{t.cp1}});
	assert_int_equal(scoped(db, &w, NULL, 0, 100), BIT(1) | BIT(2) | BIT(3) | BIT(5));
	assert_int_equal(scoped(db, &w, NULL, 2, 100), BIT(2) | BIT(3) | BIT(5));
	assert_int_equal(scoped(db, &w, NULL, 0, 2), BIT(1) | BIT(2));
	/* narrowed to one grid's subtree: its rows only, not the look-alike path */
	assert_int_equal(scoped(db, &w, t.gp1, 0, 100), BIT(1) | BIT(2));
	assert_int_equal(scoped(db, &w, t.gp2, 0, 100), BIT(3));
	/* a subtree outside the scope shows nothing; two scopes, both */
	assert_int_equal(scoped(db, &w, t.gp3, 0, 100), 0);
	w = who_of(FK_ROLE_GRID, (struct principal_paths){{t.gp1, t.gp3}});
	assert_int_equal(scoped(db, &w, t.dp, 0, 100), BIT(1) | BIT(2) | BIT(4));
	/* no scope: nothing */
	w = who_of(FK_ROLE_GRID, none);
	assert_int_equal(scoped(db, &w, NULL, 0, 100), 0);
}

static size_t count_list(struct fk_db *db, const struct fk_principal *who,
			 const struct fk_area_query *f, int *rc)
{
	struct fk_area_list l;
	struct fk_err err = {0};
	size_t n;

	*rc = fk_area_list(db, who, f, &l, &err);
	if (*rc < 0)
		return 0;
	n = l.n;
	fk_area_list_release(&l);
	return n;
}

static void test_area_list(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct tree t;
	struct fk_principal w;
	struct fk_area_list l;
	struct fk_err err = {0};
	struct fk_area_query f = {0};
	int rc;

	build(state, &t);
	/* Scope roots, with a nested and a repeated scope folded away. */
	w = who_of(FK_ROLE_GRID, (struct principal_paths){{t.gp3, t.gp1, t.gp1, t.cp1}});
	area_must(fk_area_list(db, &w, &f, &l, &err), &err);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.items[0].code, "C1");
	assert_string_equal(l.items[1].code, "C2G1");
	fk_area_list_release(&l);
	/* Children of a parent outside the scope: not found. */
	w = who_of(FK_ROLE_GRID, (struct principal_paths){{t.gp1}});
	f.parent_id = t.c1;
	assert_int_equal(count_list(db, &w, &f, &rc), 0);
	assert_int_equal(rc, FK_ENOTFOUND);
	f.parent_id = t.g1;
	assert_int_equal(count_list(db, &w, &f, &rc), 1);
	/* Search stays inside the scope. */
	memset(&f, 0, sizeof(f));
	f.q = "网格";
	w = who_of(FK_ROLE_COMMUNITY, (struct principal_paths){{t.cp1}});
	assert_int_equal(count_list(db, &w, &f, &rc), 2);
	f.q = "c1g1";
	assert_int_equal(count_list(db, &w, &f, &rc), 2); /* C1G1 and C1G1B1, any case */
	f.q = "%";
	assert_int_equal(count_list(db, &w, &f, &rc), 0); /* a literal, not a wildcard */
	f.q = NULL;
	f.kind = "grid";
	w = who_of(FK_ROLE_COMMANDER, (struct principal_paths){{t.dp}});
	assert_int_equal(count_list(db, &w, &f, &rc), 3);
}

static void test_import_in_scope(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct tree t;
	struct fk_principal w;
	struct fk_import_report rep;
	struct fk_err err = {0};
	struct fk_area a;
	static const char csv[] = "code,name,kind,parent_code\n"
				  "C1G9,新网格,grid,C1\n"   /* 2: inside */
				  "C2G9,外网格,grid,C2\n"   /* 3: parent outside the scope */
				  "R1,新区,district,\n"	    /* 4: a root */
				  "C1G1,网格一改,grid,C1\n" /* 5: renamed */
				  "C2G1,网格三,grid,C1\n";  /* 6: code of an area outside */
	static const char root[] = "code,name,kind,parent_code\nC1,社区一改,community,\n";

	build(state, &t);
	w = who_of(FK_ROLE_COMMUNITY, (struct principal_paths){{t.cp1}});
	fk_report_init(&rep);
	area_must(fk_area_import_csv(db, csv, strlen(csv), FK_ENC_AUTO, &w, &rep, &err), &err);
	assert_int_equal(rep.created, 1);
	assert_int_equal(rep.updated, 1);
	assert_int_equal(rep.failed, 3);
	assert_int_equal(rep.nstored, 3);
	assert_string_equal(rep.errors[0].key, "unknown_parent");
	assert_int_equal(rep.errors[0].line, 3);
	assert_string_equal(rep.errors[1].key, "root_outside_scope");
	assert_int_equal(rep.errors[1].line, 4);
	assert_string_equal(rep.errors[2].key, "code_taken");
	assert_int_equal(rep.errors[2].line, 6);
	fk_report_release(&rep);
	area_must(fk_area_get_by_code(db, "C1G1", &a, &err), &err);
	assert_string_equal(a.name, "网格一改");
	fk_area_release(&a);
	/* The scope root itself is not the community worker's to change. */
	fk_report_init(&rep);
	area_must(fk_area_import_csv(db, root, strlen(root), FK_ENC_AUTO, &w, &rep, &err), &err);
	assert_int_equal(rep.failed, 1);
	assert_string_equal(rep.errors[0].key, "forbidden");
	fk_report_release(&rep);

	/* Nor is a top-level area an admin's, scoped to the district: it would lie outside. */
	static const char new_root[] = "code,name,kind,parent_code\nR2,另一区,district,\n";
	w = who_of(FK_ROLE_ADMIN, (struct principal_paths){{t.dp}});
	fk_report_init(&rep);
	area_must(fk_area_import_csv(db, new_root, strlen(new_root), FK_ENC_AUTO, &w, &rep, &err),
		  &err);
	assert_int_equal(rep.created, 0);
	assert_int_equal(rep.failed, 1);
	assert_string_equal(rep.errors[0].key, "root_outside_scope");
	fk_report_release(&rep);
	fk_report_init(&rep);
	area_must(fk_area_import_csv(db, new_root, strlen(new_root), FK_ENC_AUTO, NULL, &rep, &err),
		  &err);
	assert_int_equal(rep.created, 1); /* the server's own import may */
	fk_report_release(&rep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_covers),	    cmocka_unit_test(test_overlaps),
	    cmocka_unit_test(test_sql_text),	    cmocka_unit_test(test_rows_by_scope),
	    cmocka_unit_test(test_scoped_query),    cmocka_unit_test(test_area_list),
	    cmocka_unit_test(test_import_in_scope),
	};

	return area_env_run("scope", tests, sizeof(tests) / sizeof(tests[0]));
}
