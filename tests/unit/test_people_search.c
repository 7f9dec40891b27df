/* test_people_search: people reads are filtered by scope on a real store — grid A sees none of
 * grid B's residents by name, ID, phone, tag, area or id; paging by cursor; a resident sees
 * itself only; an area move carries residents' paths along; an area with residents cannot be
 * deleted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#define FK_TEST_NAME "test_people_search"
#include "people_env.h"

struct seed {
	const char *name;
	const char *birth;
	int seq;
	const char *phone;
	int64_t *area;
	const char *tag;
};

static char ids[16][19];
static int64_t pids[16];

/* grid A: 0-3 and 6 (building A1 / A2); grid B: 4, 5 */
static void seed_people(struct fk_db *db)
{
	const struct seed s[] = {
	    {"张三", "19400101", 1, "13800000001", &T.a1, "elderly_alone"},
	    {"张三丰", "19500101", 3, "13800000002", &T.a1, NULL},
	    {"李四", "19600101", 5, "13800000003", &T.a2, "bedridden"},
	    {"张无忌", "19700101", 7, "13800000004", &T.a1u2, NULL},
	    {"张伟", "19800101", 9, "13900000001", &T.b1, "elderly_alone"},
	    {"王五", "19900101", 11, "13800000001", &T.b1, NULL},
	    {"阿大", "20000101", 13, NULL, &T.a2, NULL},
	};
	struct fk_err err = {0};
	char outcome;

	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		struct fk_person p;
		memset(&p, 0, sizeof(p));
		snprintf(p.name, sizeof(p.name), "%s", s[i].name);
		valid_id(s[i].birth, s[i].seq, ids[i]);
		snprintf(p.id_number, sizeof(p.id_number), "%.18s", ids[i]);
		snprintf(p.phone, sizeof(p.phone), "%.23s", s[i].phone ? s[i].phone : "");
		p.area_id = *s[i].area;
		if (s[i].tag)
			snprintf(p.tags[p.ntags++], sizeof(p.tags[0]), "%s", s[i].tag);
		area_must(fk_person_upsert(db, &p, &outcome, &err), &err);
		pids[i] = p.id;
	}
}

static int setup(void **state)
{
	people_case_setup(state);
	seed_people(area_env_db(state));
	return 0;
}

/* Runs a search and returns the names found, joined with ','. */
static const char *names(struct fk_db *db, const struct fk_principal *who, struct fk_people_query q,
			 int expect_rc)
{
	static char out[512];
	struct fk_person_list l = {0};
	struct fk_err err = {0};
	size_t o = 0;
	int rc = fk_people_search(db, who, &q, &l, &err);

	if (rc != expect_rc)
		fail_msg("search returned %d (%s), expected %d", rc, err.en, expect_rc);
	out[0] = '\0';
	for (int i = 0; i < l.n; i++)
		o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%s", i ? "," : "",
				      l.items[i].name);
	fk_person_list_release(&l);
	return out;
}

static void grid_a_sees_only_grid_a(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_principal a = who_over(db, FK_ROLE_GRID, T.grid_a);
	struct fk_person p;
	struct fk_err err = {0};

	assert_string_equal(names(db, &a, (struct fk_people_query){0}, 0),
			    "张三,张三丰,张无忌,李四,阿大");
	assert_string_equal(names(db, &a, (struct fk_people_query){.q = "张"}, 0),
			    "张三,张三丰,张无忌");
	assert_string_equal(names(db, &a, (struct fk_people_query){.name = "张伟"}, 0), "");
	assert_string_equal(names(db, &a, (struct fk_people_query){.q = ids[4]}, 0), "");
	assert_string_equal(names(db, &a, (struct fk_people_query){.id_number = ids[5]}, 0), "");
	assert_string_equal(names(db, &a, (struct fk_people_query){.q = "13900000001"}, 0), "");
	assert_string_equal(names(db, &a, (struct fk_people_query){.phone = "13800000001"}, 0),
			    "张三");
	assert_string_equal(names(db, &a, (struct fk_people_query){.tag = "elderly_alone"}, 0),
			    "张三");
	assert_string_equal(names(db, &a, (struct fk_people_query){.tag = "独居老人"}, 0), "张三");
	assert_string_equal(names(db, &a, (struct fk_people_query){.area_id = T.b1}, FK_ENOTFOUND),
			    "");
	assert_string_equal(names(db, &a, (struct fk_people_query){.area_id = T.a1}, 0),
			    "张三,张三丰,张无忌");
	assert_int_equal(fk_person_get(db, &a, pids[4], &p, &err), FK_ENOTFOUND);
	area_must(fk_person_get(db, &a, pids[0], &p, &err), &err);
	assert_string_equal(p.name, "张三");
}

static void grid_b_and_district(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_principal b = who_over(db, FK_ROLE_GRID, T.grid_b);
	struct fk_principal d = who_over(db, FK_ROLE_COMMANDER, T.district);

	assert_string_equal(names(db, &b, (struct fk_people_query){0}, 0), "张伟,王五");
	assert_string_equal(names(db, &b, (struct fk_people_query){.tag = "elderly_alone"}, 0),
			    "张伟");
	assert_string_equal(names(db, &d, (struct fk_people_query){.tag = "elderly_alone"}, 0),
			    "张三,张伟");
	assert_string_equal(names(db, &d, (struct fk_people_query){.phone = "13800000001"}, 0),
			    "张三,王五");
	assert_string_equal(names(db, &d, (struct fk_people_query){.q = "张三"}, 0), "张三,张三丰");
	assert_string_equal(names(db, &d, (struct fk_people_query){.id_number = "3702121940"}, 0),
			    "张三");
	assert_string_equal(
	    names(db, &d, (struct fk_people_query){.area_id = T.grid_b, .q = "张"}, 0), "张伟");
	assert_string_equal(names(db, &d, (struct fk_people_query){.tag = "vip"}, FK_EINVAL), "");
}

static void no_scope_no_rows(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_principal none = who_over(db, FK_ROLE_GRID, T.grid_a);

	none.nscopes = 0;
	assert_string_equal(names(db, &none, (struct fk_people_query){0}, 0), "");
	assert_string_equal(names(db, NULL, (struct fk_people_query){0}, 0), "");
}

/* Pages through a search two rows at a time; returns the names, joined with ','. */
static const char *all_pages(struct fk_db *db, const struct fk_principal *who,
			     struct fk_people_query q)
{
	static char got[512];
	char cursor[600] = "";
	struct fk_err err = {0};
	size_t o = 0;
	int pages = 0;

	got[0] = '\0';
	do {
		struct fk_person_list l = {0};
		q.limit = 2;
		q.cursor = cursor;
		area_must(fk_people_search(db, who, &q, &l, &err), &err);
		for (int i = 0; i < l.n; i++)
			o += (size_t)snprintf(got + o, sizeof(got) - o, "%s%s", o ? "," : "",
					      l.items[i].name);
		snprintf(cursor, sizeof(cursor), "%s", l.next_cursor);
		fk_person_list_release(&l);
	} while (cursor[0] && ++pages < 10);
	return got;
}

static void paging_by_cursor(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_principal d = who_over(db, FK_ROLE_COMMANDER, T.district);
	struct fk_principal a = who_over(db, FK_ROLE_GRID, T.grid_a);
	struct fk_principal c = who_over(db, FK_ROLE_COMMUNITY, T.community);
	char outcome;
	struct fk_err err = {0};

	assert_string_equal(all_pages(db, &d, (struct fk_people_query){0}),
			    "张三,张三丰,张伟,张无忌,李四,王五,阿大");
	assert_string_equal(all_pages(db, &a, (struct fk_people_query){0}),
			    "张三,张三丰,张无忌,李四,阿大");
	assert_string_equal(all_pages(db, &c, (struct fk_people_query){.q = "张"}),
			    "张三,张三丰,张伟,张无忌");
	assert_string_equal(all_pages(db, &d, (struct fk_people_query){.id_number = "370212"}),
			    "张三,张三丰,李四,张无忌,张伟,王五,阿大");
	/* Tags, wide (in name order) and narrow (sorted). */
	for (int i = 0; i < 7; i++) {
		struct fk_person p;
		person_by_id(db, ids[i], &p);
		snprintf(p.tags[p.ntags++], sizeof(p.tags[0]), "key_person");
		area_must(fk_person_upsert(db, &p, &outcome, &err), &err);
		assert_int_equal(outcome, 'u');
	}
	assert_string_equal(all_pages(db, &d, (struct fk_people_query){.tag = "key_person"}),
			    "张三,张三丰,张伟,张无忌,李四,王五,阿大");
	assert_string_equal(all_pages(db, &a, (struct fk_people_query){.tag = "重点人员"}),
			    "张三,张三丰,张无忌,李四,阿大");
	assert_string_equal(
	    all_pages(db, &d, (struct fk_people_query){.tag = "key_person", .name = "张三"}),
	    "张三,张三丰");
	assert_string_equal(names(db, &d, (struct fk_people_query){.cursor = "zz.1"}, FK_EINVAL),
			    "");
}

static void resident_sees_self(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_principal r = who_over(db, FK_ROLE_RESIDENT, T.a1);
	struct fk_person p;
	struct fk_err err = {0};

	r.person_id = pids[1];
	assert_string_equal(names(db, &r, (struct fk_people_query){0}, 0), "张三丰");
	assert_string_equal(names(db, &r, (struct fk_people_query){.q = "张三"}, 0), "张三丰");
	area_must(fk_person_get(db, &r, pids[1], &p, &err), &err);
	assert_int_equal(fk_person_get(db, &r, pids[0], &p, &err), FK_ENOTFOUND);
}

static void move_and_delete(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_principal a = who_over(db, FK_ROLE_GRID, T.grid_a);
	struct fk_principal b = who_over(db, FK_ROLE_GRID, T.grid_b);
	struct fk_err err = {0};
	int64_t n = 0;
	char path[FK_AREA_PATH_MAX];

	/* Building A2 (李四, 阿大) moves to grid B. */
	area_must(fk_area_move(db, T.a2, T.grid_b, 0, NULL, &err), &err);
	assert_string_equal(names(db, &a, (struct fk_people_query){0}, 0), "张三,张三丰,张无忌");
	assert_string_equal(names(db, &b, (struct fk_people_query){0}, 0), "张伟,李四,王五,阿大");
	assert_string_equal(names(db, &b, (struct fk_people_query){.tag = "bedridden"}, 0), "李四");
	area_path_of(db, T.grid_b, path, sizeof(path));
	area_must(fk_area_residents_count(db, path, &n, &err), &err);
	assert_int_equal(n, 4);
	assert_int_equal(fk_area_delete(db, T.a2, &err), FK_ECONFLICT);
	assert_string_equal(err.key, "area_not_empty");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(grid_a_sees_only_grid_a, setup),
	    cmocka_unit_test_setup(grid_b_and_district, setup),
	    cmocka_unit_test_setup(no_scope_no_rows, setup),
	    cmocka_unit_test_setup(paging_by_cursor, setup),
	    cmocka_unit_test_setup(resident_sees_self, setup),
	    cmocka_unit_test_setup(move_and_delete, setup),
	};

	return area_env_run("people_search", tests, sizeof(tests) / sizeof(tests[0]));
}
