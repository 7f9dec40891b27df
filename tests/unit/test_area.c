/* test_area: the area tree on a real store — create, update, move and delete rules, the move
 * and delete rules that follow a module's declared path columns (a module of the tests' own),
 * ancestors, and the CSV import (parents later in the file, bad rows kept
 * apart, re-import unchanged, broken files refused whole). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#define FK_TEST_NAME "test_area"
#include "area_env.h"
#include "audit/audit.h"

/* ---- a module of the tests' own: it keeps area paths in t_people (residents) and t_guard
 * and brings no code for moves or deletes; the area module follows its declaration ---- */

static const struct fk_migration t_migrations[] = {
    {1, "001_t_people.sql", "CREATE TABLE t_people (id BIGINT PRIMARY KEY, area_path TEXT)"},
    {2, "002_t_guard.sql", "CREATE TABLE t_guard (area_path TEXT)"},
    {0},
};

static const struct fk_module t_module = {
    .name = "t_people",
    .migrations = t_migrations,
    .area_paths =
	(const struct fk_area_path[]){
	    {.table = "t_people",
	     .column = "area_path",
	     .blocks_delete = "test residents",
	     .residents = true},
	    {.table = "t_guard", .column = "area_path"},
	    {0},
	},
};

static const struct fk_module *const t_modules[] = {&fk_module_audit, &fk_module_area, &t_module,
						    NULL};

static int setup_case(void **state)
{
	struct fk_err err = {0};

	area_env_wipe(state);
	area_must(fk_db_exec(area_env_db(state), "DELETE FROM t_people", &err), &err);
	area_must(fk_db_exec(area_env_db(state), "DROP TABLE t_guard", &err), &err);
	area_must(fk_db_exec(area_env_db(state), "CREATE TABLE t_guard (area_path TEXT)", &err),
		  &err);
	return 0;
}

static struct fk_area make(int64_t parent, const char *kind, const char *name, const char *code)
{
	struct fk_area a;

	memset(&a, 0, sizeof(a));
	a.parent_id = parent;
	snprintf(a.kind, sizeof(a.kind), "%s", kind);
	snprintf(a.name, sizeof(a.name), "%s", name);
	snprintf(a.code, sizeof(a.code), "%s", code);
	return a;
}

/* ---- create / get / update ---- */

static void test_create_paths(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_area a;
	struct fk_err err = {0};
	char want[FK_AREA_PATH_MAX];
	int64_t d = area_add(db, 0, "district", "崂山区", "370212");
	int64_t s = area_add(db, d, "street", "中韩街道", "370212001");
	int64_t g = area_add(db, s, "grid", "第一网格", "370212001G01");

	area_must(fk_area_get(db, g, &a, &err), &err);
	snprintf(want, sizeof(want), "/%lld/%lld/%lld/", (long long)d, (long long)s, (long long)g);
	assert_string_equal(a.path, want);
	assert_int_equal(a.depth, 2);
	assert_int_equal(a.parent_id, s);
	assert_string_equal(a.responsible, "[]");
	assert_false(a.has_point);
	fk_area_release(&a);
	area_must(fk_area_get_by_code(db, "370212001", &a, &err), &err);
	assert_int_equal(a.id, s);
	assert_string_equal(a.name, "中韩街道");
	fk_area_release(&a);
	assert_int_equal(fk_area_get_by_code(db, "nope", &a, &err), FK_ENOTFOUND);
}

static void test_create_rules(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_err err = {0};
	struct fk_area a;
	int64_t d = area_add(db, 0, "district", "区", "D1");
	char longname[400] = "";

	a = make(d, "grid", "网格", "D1");
	assert_int_equal(fk_area_create(db, &a, &err), FK_ECONFLICT);
	assert_string_equal(err.key, "code_taken");
	a = make(d, "planet", "网格", "X1");
	assert_int_equal(fk_area_create(db, &a, &err), FK_EINVAL);
	assert_string_equal(err.field, "kind");
	a = make(d, "grid", "网格", "a b");
	assert_int_equal(fk_area_create(db, &a, &err), FK_EINVAL);
	assert_string_equal(err.field, "code");
	a = make(d, "grid", "", "X2");
	assert_int_equal(fk_area_create(db, &a, &err), FK_EINVAL);
	assert_string_equal(err.field, "name");
	for (int i = 0; i < 65; i++)
		memcpy(longname + i * 3, "楼", 4); /* 3 bytes and the NUL */
	a = make(d, "grid", longname, "X3");
	assert_int_equal(fk_area_create(db, &a, &err), FK_EINVAL);
	assert_string_equal(err.key, "too_long");
	longname[64 * 3] = '\0'; /* 64 characters: fits */
	a = make(d, "grid", longname, "X4");
	area_must(fk_area_create(db, &a, &err), &err);
	a = make(999, "grid", "网格", "X5");
	assert_int_equal(fk_area_create(db, &a, &err), FK_ENOTFOUND);
	assert_string_equal(err.field, "parent_id");
	a = make(d, "grid", "网格", "X6");
	a.responsible = "[{\"title\":\"网格员\",\"name\":\"张三\",\"phone\":\"138 0000 1234\"}]";
	area_must(fk_area_create(db, &a, &err), &err);
	a.responsible = NULL;
	area_must(fk_area_get_by_code(db, "X6", &a, &err), &err);
	assert_string_equal(a.responsible,
			    "[{\"title\":\"网格员\",\"name\":\"张三\",\"phone\":\"13800001234\"}]");
	fk_area_release(&a);
	a = make(d, "grid", "网格", "X7");
	a.responsible = "[{\"title\":\"网格员\",\"phone\":\"13800001234\"}]";
	assert_int_equal(fk_area_create(db, &a, &err), FK_EINVAL);
	assert_string_equal(err.field, "responsible[0].name");
	a = make(d, "grid", "网格", "X8");
	a.has_point = true;
	a.lat = 120;
	assert_int_equal(fk_area_create(db, &a, &err), FK_EINVAL);
	assert_string_equal(err.field, "lat");
}

static void test_too_deep(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_err err = {0};
	struct fk_area a;
	int64_t parent = 0;
	char code[16];
	int i, rc = 0;

	for (i = 0; i < 40 && rc == 0; i++) {
		snprintf(code, sizeof(code), "L%d", i);
		a = make(parent, "other", "层", code);
		rc = fk_area_create(db, &a, &err);
		parent = a.id;
	}
	assert_int_equal(rc, FK_EUNPROC);
	assert_string_equal(err.key, "too_deep");
	assert_true(i > 8);
}

static void test_update(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_err err = {0};
	struct fk_area a;
	int64_t d = area_add(db, 0, "district", "区", "D1");
	int64_t g = area_add(db, d, "grid", "网格一", "G1");

	area_add(db, d, "grid", "网格二", "G2");
	area_must(fk_area_get(db, g, &a, &err), &err);
	snprintf(a.name, sizeof(a.name), "第一网格");
	snprintf(a.code, sizeof(a.code), "G1X");
	a.has_point = true;
	a.lat = 36.1;
	a.lng = 120.4;
	area_must(fk_area_update(db, &a, &err), &err);
	snprintf(a.code, sizeof(a.code), "G2");
	assert_int_equal(fk_area_update(db, &a, &err), FK_ECONFLICT);
	fk_area_release(&a);
	area_must(fk_area_get(db, g, &a, &err), &err);
	assert_string_equal(a.name, "第一网格");
	assert_string_equal(a.code, "G1X");
	assert_true(a.has_point);
	assert_true(a.lat == 36.1 && a.lng == 120.4);
	a.id = 12345;
	snprintf(a.code, sizeof(a.code), "ZZ");
	assert_int_equal(fk_area_update(db, &a, &err), FK_ENOTFOUND);
	fk_area_release(&a);
}

/* ---- move ---- */

static void insert_person(struct fk_db *db, int64_t id, const char *path)
{
	struct fk_err err = {0};

	area_must(fk_db_run(db, &err, "INSERT INTO t_people (id, area_path) VALUES (?, ?)", "it",
			    id, path),
		  &err);
}

static void test_move(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_err err = {0};
	char gpath[FK_AREA_PATH_MAX], bpath[FK_AREA_PATH_MAX], want[FK_AREA_PATH_MAX];
	char upper[FK_AREA_PATH_MAX + 8];
	int64_t d = area_add(db, 0, "district", "区", "D1");
	int64_t g1 = area_add(db, d, "grid", "网格一", "G1");
	int64_t g2 = area_add(db, d, "grid", "网格二", "G2");
	int64_t b = area_add(db, g1, "building", "1号楼", "B1");
	int64_t u = area_add(db, b, "unit", "1单元", "U1");
	int64_t n = 0, other = 0;
	uint64_t moves = fk_area_moves();
	bool moved = false;
	struct fk_area a;
	char moved_new[FK_AREA_PATH_MAX];

	area_path_of(db, b, bpath, sizeof(bpath));
	insert_person(db, 1, bpath);
	area_path_of(db, u, want, sizeof(want));
	insert_person(db, 2, want);
	area_path_of(db, g1, gpath, sizeof(gpath));
	insert_person(db, 3, gpath);

	area_must(fk_db_run(db, &err, "INSERT INTO t_guard (area_path) VALUES (?)", "t", bpath),
		  &err);

	area_must(fk_area_move(db, b, g2, 77, &moved, &err), &err);
	assert_true(moved);
	assert_true(fk_area_moves() > moves);
	area_must(fk_area_get(db, u, &a, &err), &err);
	snprintf(want, sizeof(want), "/%lld/%lld/%lld/%lld/", (long long)d, (long long)g2,
		 (long long)b, (long long)u);
	assert_string_equal(a.path, want);
	assert_int_equal(a.depth, 3);
	fk_area_release(&a);
	area_must(fk_area_get(db, b, &a, &err), &err);
	assert_int_equal(a.parent_id, g2);
	snprintf(moved_new, sizeof(moved_new), "%s", a.path);
	fk_area_release(&a);
	/* Both declared columns followed; the person on the old grid stayed. */
	area_must(fk_db_one_i64(db, &err, &n, "SELECT COUNT(*) FROM t_guard WHERE area_path = ?",
				"t", moved_new),
		  &err);
	assert_int_equal(n, 1);
	area_must(
	    fk_db_one_i64(db, &err, &n,
			  "SELECT COUNT(*) FROM t_people WHERE area_path >= ? AND area_path < ?",
			  "tt", moved_new, fk_prefix_upper(moved_new, upper)),
	    &err);
	assert_int_equal(n, 2);
	area_must(fk_db_one_i64(db, &err, &n, "SELECT COUNT(*) FROM t_people WHERE area_path = ?",
				"t", gpath),
		  &err);
	assert_int_equal(n, 1);
	area_must(fk_db_one_i64(db, &err, &other,
				"SELECT user_id FROM area_moves WHERE area_id = ? AND "
				"old_parent_id = ? AND new_parent_id = ?",
				"iii", b, g1, g2),
		  &err);
	assert_int_equal(other, 77);
	/* Same parent: nothing happens. */
	area_must(fk_area_move(db, b, g2, 77, &moved, &err), &err);
	assert_false(moved);
	/* Into itself or below itself. */
	assert_int_equal(fk_area_move(db, b, b, 0, NULL, &err), FK_EUNPROC);
	assert_string_equal(err.key, "move_into_self");
	assert_int_equal(fk_area_move(db, b, u, 0, NULL, &err), FK_EUNPROC);
	assert_string_equal(err.key, "move_into_self");
	assert_int_equal(fk_area_move(db, d, u, 0, NULL, &err), FK_EUNPROC);
	assert_int_equal(fk_area_move(db, b, 424242, 0, NULL, &err), FK_ENOTFOUND);
	/* To a root and back. */
	area_must(fk_area_move(db, g2, 0, 0, &moved, &err), &err);
	area_must(fk_area_get(db, u, &a, &err), &err);
	assert_int_equal(a.depth, 2);
	fk_area_release(&a);
	area_must(fk_area_move(db, g2, d, 0, &moved, &err), &err);
	area_must(fk_area_get(db, u, &a, &err), &err);
	assert_string_equal(a.path, want);
	fk_area_release(&a);
}

/* A declared column that refuses the new path undoes the whole move. */
static void test_move_failure_rolls_back(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_err err = {0};
	char before[FK_AREA_PATH_MAX], after[FK_AREA_PATH_MAX], sql[200];
	int64_t d = area_add(db, 0, "district", "区", "D1");
	int64_t g1 = area_add(db, d, "grid", "网格一", "G1");
	int64_t g2 = area_add(db, d, "grid", "网格二", "G2");
	int64_t b = area_add(db, g1, "building", "1号楼", "B1");
	int64_t n = -1;

	snprintf(sql, sizeof(sql),
		 "DROP TABLE t_guard; CREATE TABLE t_guard (area_path TEXT CHECK (area_path NOT "
		 "LIKE '/%lld/%lld/%%'))",
		 (long long)d, (long long)g2);
	area_must(fk_db_exec(db, sql, &err), &err);
	area_path_of(db, b, before, sizeof(before));
	area_must(fk_db_run(db, &err, "INSERT INTO t_guard (area_path) VALUES (?)", "t", before),
		  &err);
	assert_true(fk_area_move(db, b, g2, 0, NULL, &err) < 0);
	assert_false(fk_db_in_tx(db));
	area_path_of(db, b, after, sizeof(after));
	assert_string_equal(before, after);
	area_must(fk_db_one_i64(db, &err, &n, "SELECT COUNT(*) FROM area_moves", ""), &err);
	assert_int_equal(n, 0);
}

/* ---- delete ---- */

static void test_delete(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_err err = {0};
	struct fk_area a;
	char gpath[FK_AREA_PATH_MAX];
	int64_t d = area_add(db, 0, "district", "区", "D1");
	int64_t g = area_add(db, d, "grid", "网格一", "G1");
	int64_t n = -1;

	area_path_of(db, g, gpath, sizeof(gpath));
	for (int i = 1; i <= 3; i++)
		insert_person(db, i, gpath);
	assert_int_equal(fk_area_delete(db, d, &err), FK_ECONFLICT);
	assert_string_equal(err.key, "area_not_empty");
	assert_int_equal(fk_area_delete(db, g, &err), FK_ECONFLICT);
	assert_string_equal(err.key, "area_not_empty");
	assert_non_null(strstr(err.en, "3 test residents"));
	area_must(fk_area_residents_count(db, gpath, &n, &err), &err);
	assert_int_equal(n, 3);
	area_must(fk_area_residents_count(db, "/1/", &n, &err), &err);
	assert_int_equal(n, 0);
	area_must(fk_db_exec(db, "DELETE FROM t_people", &err), &err);
	area_must(fk_area_delete(db, g, &err), &err);
	assert_int_equal(fk_area_get(db, g, &a, &err), FK_ENOTFOUND);
	area_must(fk_area_delete(db, d, &err), &err);
	assert_int_equal(fk_area_delete(db, d, &err), FK_ENOTFOUND);
}

static const struct fk_module nope = {
    .name = "nope",
    .area_paths =
	(const struct fk_area_path[]){
	    {.table = "t_people", .column = "no_such_path"},
	    {0},
	},
};
static const struct fk_module bad_name = {
    .name = "bad",
    .area_paths =
	(const struct fk_area_path[]){
	    {.table = "t_people; DROP TABLE areas", .column = "area_path"},
	    {0},
	},
};

/* A module declaring a path column the store lacks is named at start. */
static void test_declared_column_missing(void **state)
{
	const struct fk_module *const mods[] = {&fk_module_area, &t_module, &nope, NULL};
	const struct fk_module *const twice[] = {&fk_module_area, &t_module, &t_module, NULL};
	const struct fk_module *const unsafe[] = {&bad_name, NULL};
	struct fk_err err = {0};

	area_must(fk_modules_check(area_env_db(state), t_modules, &err), &err);
	assert_int_equal(fk_modules_check(area_env_db(state), mods, &err), FK_EINTERNAL);
	assert_string_equal(err.key, "bad_area_path");
	assert_non_null(strstr(err.en, "module nope"));
	assert_non_null(strstr(err.en, "t_people.no_such_path"));
	assert_int_equal(fk_modules_use(twice, &err), FK_EINTERNAL);
	assert_string_equal(err.key, "bad_module");
	assert_int_equal(fk_modules_use(unsafe, &err), FK_EINTERNAL);
	assert_string_equal(err.key, "bad_area_path");
	assert_ptr_equal(fk_modules_used(), t_modules); /* the list in use stays */
}

/* ---- ancestors, children ---- */

static void test_ancestors(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_err err = {0};
	struct fk_area a;
	struct fk_area_list l;
	int64_t d = area_add(db, 0, "district", "区", "D1");
	int64_t s = area_add(db, d, "street", "街道", "S1");
	int64_t g = area_add(db, s, "grid", "网格", "G1");
	int64_t n = 0;

	area_must(fk_area_get(db, g, &a, &err), &err);
	area_must(fk_area_ancestors(db, &a, &l, &err), &err);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.items[0].id, d);
	assert_int_equal(l.items[1].id, s);
	fk_area_list_release(&l);
	fk_area_release(&a);
	area_must(fk_area_children_count(db, d, &n, &err), &err);
	assert_int_equal(n, 1);
}

/* ---- import ---- */

static int import(struct fk_db *db, const char *csv, struct fk_import_report *rep,
		  struct fk_err *err)
{
	fk_report_init(rep);
	return fk_area_import_csv(db, csv, strlen(csv), FK_ENC_AUTO, NULL, rep, err);
}

static const struct fk_report_error *error_on_line(const struct fk_import_report *rep, long line)
{
	for (int i = 0; i < rep->nstored; i++)
		if (rep->errors[i].line == line)
			return &rep->errors[i];
	return NULL;
}

static const char tree_csv[] =
    "编码,名称,类型,上级编码,职务,负责人,电话\n"
    "G1,第一网格,网格,S1,网格员,张三,13800001234\n" /* parent comes later */
    "D1,崂山区,区,,,,\n"
    "S1,中韩街道,street,D1,,,\n"
    "B1,1号楼,楼栋,G1,楼长,李四,\n"
    "B2,2号楼,building,G9,,,\n"		   /* 6: unknown parent */
    "B3,3号楼,planet,G1,,,\n"		   /* 7: bad kind */
    "U3,1单元,unit,B3,,,\n"		   /* 8: parent failed */
    "B1,1号楼,building,G1,,,\n"		   /* 9: duplicate code */
    "C1,环一,other,C2,,,\n"		   /* 10: cycle */
    "C2,环二,other,C1,,,\n"		   /* 11: cycle */
    "B4,4号楼,building,G1,,王五,1380000\n" /* 12: bad phone */
    "B5,5号楼,building,G1,,,\n";

static void test_import(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_import_report rep;
	struct fk_err err = {0};
	const struct fk_report_error *e;
	struct fk_area a;

	area_must(import(db, tree_csv, &rep, &err), &err);
	assert_int_equal(rep.total, 12);
	assert_int_equal(rep.created, 5);
	assert_int_equal(rep.failed, 7);
	assert_int_equal(rep.enc, FK_ENC_UTF8);
	for (int i = 1; i < rep.nstored; i++) /* sorted by line */
		assert_true(rep.errors[i - 1].line < rep.errors[i].line);
	e = error_on_line(&rep, 6);
	assert_non_null(e);
	assert_string_equal(e->key, "unknown_parent");
	assert_int_equal(e->column, 4);
	assert_string_equal(e->field, "parent_code");
	e = error_on_line(&rep, 7);
	assert_non_null(e);
	assert_string_equal(e->key, "invalid_kind");
	assert_int_equal(e->column, 3);
	assert_string_equal(error_on_line(&rep, 8)->key, "parent_failed");
	assert_string_equal(error_on_line(&rep, 9)->key, "duplicate_code");
	assert_non_null(error_on_line(&rep, 10));
	assert_non_null(error_on_line(&rep, 11));
	e = error_on_line(&rep, 12);
	assert_non_null(e);
	assert_int_equal(e->column, 7);
	assert_string_equal(e->field, "responsible_phone");
	fk_report_release(&rep);

	area_must(fk_area_get_by_code(db, "G1", &a, &err), &err);
	assert_string_equal(a.kind, "grid");
	assert_string_equal(a.responsible,
			    "[{\"title\":\"网格员\",\"name\":\"张三\",\"phone\":\"13800001234\"}]");
	assert_int_equal(a.depth, 2);
	fk_area_release(&a);

	/* The same file again changes nothing. */
	area_must(import(db, tree_csv, &rep, &err), &err);
	assert_int_equal(rep.created, 0);
	assert_int_equal(rep.updated, 0);
	assert_int_equal(rep.unchanged, 5);
	assert_int_equal(rep.failed, 7);
	fk_report_release(&rep);
}

static void test_import_updates_and_moves(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_import_report rep;
	struct fk_err err = {0};
	struct fk_area a, g2;

	area_must(
	    import(db,
		   "code,name,kind,parent_code\n"
		   "D1,区,district,\nG1,网格一,grid,D1\nG2,网格二,grid,D1\nB1,楼,building,G1\n",
		   &rep, &err),
	    &err);
	fk_report_release(&rep);
	area_must(import(db,
			 "code,name,kind,parent_code,lat,lng\nB1,1号楼,building,G2,36.5,120.25\n",
			 &rep, &err),
		  &err);
	assert_int_equal(rep.updated, 1);
	fk_report_release(&rep);
	area_must(fk_area_get_by_code(db, "B1", &a, &err), &err);
	area_must(fk_area_get_by_code(db, "G2", &g2, &err), &err);
	assert_int_equal(a.parent_id, g2.id);
	assert_string_equal(a.name, "1号楼");
	assert_true(a.has_point && a.lat == 36.5 && a.lng == 120.25);
	fk_area_release(&a);
	fk_area_release(&g2);
	area_must(import(db,
			 "code,name,kind,parent_code,lat,lng\nB1,1号楼,building,G2,36.5,120.25\n",
			 &rep, &err),
		  &err);
	assert_int_equal(rep.unchanged, 1);
	fk_report_release(&rep);
}

static void test_import_refuses_whole_file(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_import_report rep;
	struct fk_err err = {0};
	int64_t n = -1;

	assert_int_equal(
	    import(db, "code,name,kind\nD1,区,district\nD2,\"区,district\n", &rep, &err),
	    FK_EINVAL);
	assert_true(err.line > 0);
	fk_report_release(&rep);
	assert_int_equal(import(db, "code,name\nD1,区\n", &rep, &err), FK_EINVAL);
	assert_string_equal(err.key, "missing_column");
	assert_int_equal(err.line, 1);
	fk_report_release(&rep);
	assert_int_equal(import(db, "", &rep, &err), FK_EINVAL);
	fk_report_release(&rep);
	area_must(fk_db_one_i64(db, &err, &n, "SELECT COUNT(*) FROM areas", ""), &err);
	assert_int_equal(n, 0);
}

static void test_import_gbk(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_import_report rep;
	struct fk_err err = {0};
	struct fk_area a;
	/* "编码,名称,类型\nD1,崂山区,区\n" in GBK. */
	static const char gbk[] = "\xb1\xe0\xc2\xeb,\xc3\xfb\xb3\xc6,\xc0\xe0\xd0\xcd\n"
				  "D1,\xe1\xc0\xc9\xbd\xc7\xf8,\xc7\xf8\n";

	area_must(import(db, gbk, &rep, &err), &err);
	assert_int_equal(rep.created, 1);
	assert_int_equal(rep.enc, FK_ENC_GB18030);
	fk_report_release(&rep);
	area_must(fk_area_get_by_code(db, "D1", &a, &err), &err);
	assert_string_equal(a.name, "崂山区");
	assert_string_equal(a.kind, "district");
	fk_area_release(&a);
}

static void test_report_json(void **state)
{
	struct fk_import_report rep;
	json_t *j;

	(void)state;
	fk_report_init(&rep);
	for (int i = 0; i < FK_REPORT_MAX_ERRORS + 5; i++)
		fk_report_add_error(&rep, i + 2, 3, "kind", "invalid_kind", "类型错误", "bad kind");
	rep.failed = rep.total = FK_REPORT_MAX_ERRORS + 5;
	rep.enc = FK_ENC_UTF8;
	assert_int_equal(rep.nstored, FK_REPORT_MAX_ERRORS);
	assert_int_equal(rep.nerrors, FK_REPORT_MAX_ERRORS + 5);
	j = fk_report_to_json(&rep, "en");
	assert_int_equal(json_array_size(json_object_get(j, "errors")), FK_REPORT_MAX_ERRORS);
	assert_string_equal(json_string_value(json_object_get(
				json_array_get(json_object_get(j, "errors"), 0), "message")),
			    "bad kind");
	assert_int_equal(json_integer_value(json_object_get(j, "errors_total")),
			 FK_REPORT_MAX_ERRORS + 5);
	json_decref(j);
	fk_report_release(&rep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_create_paths, setup_case),
	    cmocka_unit_test_setup(test_create_rules, setup_case),
	    cmocka_unit_test_setup(test_too_deep, setup_case),
	    cmocka_unit_test_setup(test_update, setup_case),
	    cmocka_unit_test_setup(test_move, setup_case),
	    cmocka_unit_test_setup(test_move_failure_rolls_back, setup_case),
	    cmocka_unit_test_setup(test_delete, setup_case),
	    cmocka_unit_test_setup(test_declared_column_missing, setup_case),
	    cmocka_unit_test_setup(test_ancestors, setup_case),
	    cmocka_unit_test_setup(test_import, setup_case),
	    cmocka_unit_test_setup(test_import_updates_and_moves, setup_case),
	    cmocka_unit_test_setup(test_import_refuses_whole_file, setup_case),
	    cmocka_unit_test_setup(test_import_gbk, setup_case),
	    cmocka_unit_test(test_report_json),
	};

	area_env_modules = t_modules;
	return area_env_run("area", tests, sizeof(tests) / sizeof(tests[0]));
}
