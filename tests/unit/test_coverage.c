/* test_coverage: a testing round's counters on a real store (SQLite, and PostgreSQL when
 * FK_PG_URL is set) — opening fills one row per building with its residents, exemptions lower
 * expected, deltas from scans and results roll up per area level (children, descendants of a
 * kind, the area's own row), missing is counted per building, an area move carries the counters
 * along; the missing and door-to-door lists keep to the caller's scope; bad rounds and bad
 * transitions are refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#define FK_TEST_NAME "test_coverage"
#include "people_env.h"
#include "base/clock.h"
#include "base/id.h"
#include "testing/internal.h"

/* 崂山区 D / S / C / GA: A1 (3 people, one elderly alone; unit A1U2: 1), A2 (2), A3 (none)
 *                   / GB: B1 (2) */
static int64_t a3;
static int64_t pid[8];

static int64_t add_person(struct fk_db *db, int seq, const char *name, int64_t area,
			  const char *tag)
{
	struct fk_person p;
	struct fk_err err = {0};
	char id[19];

	memset(&p, 0, sizeof(p));
	snprintf(p.name, sizeof(p.name), "%s", name);
	p.id_type = FK_IDT_RESIDENT;
	snprintf(p.id_number, sizeof(p.id_number), "%s", valid_id("19500101", seq, id));
	snprintf(p.phone, sizeof(p.phone), "138000000%02d", seq);
	p.area_id = area;
	snprintf(p.household, sizeof(p.household), "1-%d01", seq);
	if (tag)
		snprintf(p.tags[p.ntags++], sizeof(p.tags[0]), "%s", tag);
	area_must(fk_person_create(db, NULL, &p, &err), &err);
	return p.id;
}

static int setup(void **state)
{
	static const char *const wipe[] = {
	    "DELETE FROM samples",    "DELETE FROM round_stats",     "DELETE FROM round_exempt",
	    "DELETE FROM callups",    "DELETE FROM round_areas",     "DELETE FROM rounds",
	    "DELETE FROM site_areas", "DELETE FROM site_registrars", "DELETE FROM sites",
	};
	struct fk_db *db = area_env_db(state);
	struct fk_err err = {0};

	assert_non_null(fk_module_testing.routes); /* links the module: its area hooks */
	for (size_t i = 0; i < sizeof(wipe) / sizeof(wipe[0]); i++)
		area_must(fk_db_exec(db, wipe[i], &err), &err);
	people_case_setup(state);
	a3 = area_add(db, T.grid_a, "building", "3号楼", "A3");
	pid[0] = add_person(db, 1, "甲一", T.a1, "elderly_alone");
	pid[1] = add_person(db, 2, "甲二", T.a1, NULL);
	pid[2] = add_person(db, 3, "甲三", T.a1, NULL);
	pid[3] = add_person(db, 4, "单元一", T.a1u2, "bedridden");
	pid[4] = add_person(db, 5, "乙一", T.a2, NULL);
	pid[5] = add_person(db, 6, "乙二", T.a2, NULL);
	pid[6] = add_person(db, 7, "丙一", T.b1, "home_sampling");
	pid[7] = add_person(db, 8, "丙二", T.b1, NULL);
	return 0;
}

static int64_t new_round(struct fk_db *db, const struct fk_principal *who, int64_t area)
{
	struct tr_round_input in = {.name = "第一轮全员核酸",
				    .deadline_at = fk_now_ms() + 86400000,
				    .area_ids = &area,
				    .nareas = 1};
	struct fk_round r;
	struct fk_err err = {0};

	area_must(tr_round_create(db, who, &in, &r, &err), &err);
	assert_int_equal(r.status, FK_ROUND_PLANNED);
	assert_int_equal(r.pool_size, 10);
	return r.id;
}

/* The coverage rows as "code:expected/exempt/sampled/resulted/positive/missing,...". */
static const char *rows_text(struct fk_db *db, int64_t round, int64_t area, const char *kind,
			     struct tr_counts *totals)
{
	static char out[512];
	struct tr_round_areas *ra = malloc(sizeof(*ra));
	struct fk_area a = {0};
	struct fk_err err = {0};
	json_t *rows = json_array(), *r;
	size_t i, o = 0;

	area_must(tr_round_areas(db, round, ra, &err), &err);
	if (area)
		area_must(fk_area_get(db, area, &a, &err), &err);
	area_must(tr_coverage(db, NULL, round, ra, area ? &a : NULL, kind, rows, totals, &err),
		  &err);
	out[0] = '\0';
	json_array_foreach(rows, i, r)
	{
		o += (size_t)snprintf(out + o, sizeof(out) - o,
				      "%s%s%s:%lld/%lld/%lld/%lld/%lld/%lld", o ? "," : "",
				      json_string_value(json_object_get(r, "code")),
				      json_is_true(json_object_get(r, "self")) ? "(self)" : "",
				      (long long)json_integer_value(json_object_get(r, "expected")),
				      (long long)json_integer_value(json_object_get(r, "exempt")),
				      (long long)json_integer_value(json_object_get(r, "sampled")),
				      (long long)json_integer_value(json_object_get(r, "resulted")),
				      (long long)json_integer_value(json_object_get(r, "positive")),
				      (long long)json_integer_value(json_object_get(r, "missing")));
	}
	json_decref(rows);
	fk_area_release(&a);
	free(ra);
	return out;
}

static void stats_add(struct fk_db *db, int64_t round, int64_t b, int s, int r, int p)
{
	struct fk_err err = {0};
	area_must(fk_round_stats_add(db, round, b, s, r, p, &err), &err);
}

static void open_fills_counters_per_building(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_principal cmd = who_over(db, FK_ROLE_COMMANDER, T.district);
	struct tr_counts t;
	struct fk_round r;
	struct fk_err err = {0};
	int64_t round = new_round(db, &cmd, T.community);
	int64_t rows = -1;

	area_must(tr_round_open(db, &cmd, round, &r, &err), &err);
	assert_int_equal(r.status, FK_ROUND_SAMPLING);
	assert_true(r.opened_at > 0);
	area_must(fk_db_one_i64(db, &err, &rows, "SELECT COUNT(*) FROM round_stats", ""), &err);
	assert_int_equal(rows, 5); /* A1, A1U2, A2, A3 (empty building), B1 */
	assert_string_equal(rows_text(db, round, T.community, NULL, &t),
			    "GA:6/0/0/0/0/6,GB:2/0/0/0/0/2");
	assert_int_equal(t.expected, 8);
	assert_int_equal(t.missing, 8);
	assert_string_equal(rows_text(db, round, T.grid_a, NULL, &t),
			    "A1:4/0/0/0/0/4,A2:2/0/0/0/0/2,A3:0/0/0/0/0/0");
	/* People filed in the building itself and in its unit: the building's own row too. */
	assert_string_equal(rows_text(db, round, T.a1, NULL, &t),
			    "A1U2:1/0/0/0/0/1,A1(self):3/0/0/0/0/3");
	assert_int_equal(t.expected, 4);
	assert_string_equal(rows_text(db, round, T.community, "building", &t),
			    "A1:4/0/0/0/0/4,A2:2/0/0/0/0/2,A3:0/0/0/0/0/0,B1:2/0/0/0/0/2");
	/* Without an area: the round's own areas. */
	assert_string_equal(rows_text(db, round, 0, NULL, &t), "C:8/0/0/0/0/8");
}

static void deltas_roll_up_and_missing_per_building(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_principal cmd = who_over(db, FK_ROLE_COMMANDER, T.district);
	struct tr_counts t;
	struct fk_round r;
	struct fk_err err = {0};
	bool created;
	int64_t round = new_round(db, &cmd, T.community);

	/* An exemption made while planned counts when the round opens. */
	area_must(tr_exempt_add(db, &cmd, round, pid[4], "住院", &created, &err), &err);
	assert_true(created);
	area_must(tr_round_open(db, &cmd, round, &r, &err), &err);
	assert_string_equal(rows_text(db, round, T.grid_a, NULL, &t),
			    "A1:4/0/0/0/0/4,A2:1/1/0/0/0/1,A3:0/0/0/0/0/0");
	stats_add(db, round, T.a1, 2, 0, 0);
	stats_add(db, round, T.a1u2, 1, 0, 0);
	/* Three visitors sampled in A2, where one person is expected: A2 is done, and nothing
	 * else looks done because of them. */
	stats_add(db, round, T.a2, 3, 0, 0);
	assert_string_equal(rows_text(db, round, T.grid_a, NULL, &t),
			    "A1:4/0/3/0/0/1,A2:1/1/3/0/0/0,A3:0/0/0/0/0/0");
	assert_int_equal(t.missing, 1);
	stats_add(db, round, T.a1, 0, 2, 1);
	stats_add(db, round, T.a2, 0, 3, 0);
	assert_string_equal(rows_text(db, round, T.community, NULL, &t),
			    "GA:5/1/6/5/1/1,GB:2/0/0/0/0/2");
	assert_int_equal(t.expected, 7);
	assert_int_equal(t.exempt, 1);
	assert_int_equal(t.sampled, 6);
	assert_int_equal(t.resulted, 5);
	assert_int_equal(t.positive, 1);
	assert_int_equal(t.missing, 3);

	/* Withdrawing the exemption makes the person expected again. */
	area_must(tr_exempt_remove(db, &cmd, round, pid[4], &err), &err);
	assert_string_equal(rows_text(db, round, T.grid_a, "building", &t),
			    "A1:4/0/3/2/1/1,A2:2/0/3/3/0/0,A3:0/0/0/0/0/0");
	assert_int_equal(tr_exempt_remove(db, &cmd, round, pid[4], &err), FK_ENOTFOUND);
	assert_string_equal(err.key, "exemption_not_found");

	/* A scan in a building the round had no row for (a person moved in) gets one. */
	int64_t other = area_add(db, T.grid_b, "building", "2号楼", "B2");
	stats_add(db, round, other, 1, 0, 0);
	assert_string_equal(rows_text(db, round, T.grid_b, NULL, &t),
			    "B1:2/0/0/0/0/2,B2:0/0/1/0/0/0");
	assert_int_equal(fk_round_stats_add(db, round, 999999, 1, 0, 0, &err), FK_ENOTFOUND);
}

static void summary_figure(void **state)
{
	struct tr_counts done = {.expected = 8, .sampled = 8, .resulted = 8};
	struct tr_counts pos = {
	    .expected = 8, .sampled = 8, .resulted = 6, .positive = 2, .missing = 1};
	json_t *a = tr_summary_json(&done, "en"), *b = tr_summary_json(&pos, "zh");

	(void)state;
	assert_string_equal(json_string_value(json_object_get(a, "text")),
			    "8 tested, all negative");
	assert_string_equal(json_string_value(json_object_get(a, "text_zh")),
			    "8 人已检测，全部阴性");
	assert_true(json_is_true(json_object_get(a, "complete")));
	assert_string_equal(json_string_value(json_object_get(b, "text")),
			    "6 人已检测，2 人阳性，2 人待出结果，1 人未采样");
	assert_string_equal(json_string_value(json_object_get(b, "text_en")),
			    "6 tested, 2 positive, 2 awaiting results, 1 not yet sampled");
	json_decref(a);
	json_decref(b);
}

static void move_carries_counters(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_principal cmd = who_over(db, FK_ROLE_COMMANDER, T.district);
	struct tr_counts t;
	struct fk_round r;
	struct fk_err err = {0};
	int64_t round = new_round(db, &cmd, T.community);

	area_must(tr_round_open(db, &cmd, round, &r, &err), &err);
	stats_add(db, round, T.b1, 1, 0, 0);
	area_must(fk_area_move(db, T.b1, T.grid_a, 0, NULL, &err), &err);
	assert_string_equal(rows_text(db, round, T.community, NULL, &t), "GA:8/0/1/0/0/7");
	assert_string_equal(rows_text(db, round, T.grid_a, NULL, &t),
			    "A1:4/0/0/0/0/4,A2:2/0/0/0/0/2,A3:0/0/0/0/0/0,B1:2/0/1/0/0/1");
	/* An empty building may go, unless a round names it. */
	int64_t b2 = area_add(db, T.grid_b, "building", "2号楼", "B2");
	area_must(fk_area_delete(db, b2, &err), &err);
	new_round(db, &cmd, a3);
	assert_int_equal(fk_area_delete(db, a3, &err), FK_ECONFLICT);
}

/* Names on the missing (or door-to-door) list of area for who, comma-separated, paging by
 * 2. */
static const char *missing_names(struct fk_db *db, const struct fk_principal *who, int64_t round,
				 int64_t area, bool door)
{
	static char out[512];
	struct tr_round_areas *ra = malloc(sizeof(*ra));
	struct fk_area a = {0};
	struct fk_err err = {0};
	char cursor[600] = "";
	size_t o = 0;
	int pages = 0;

	area_must(tr_round_areas(db, round, ra, &err), &err);
	area_must(fk_area_get(db, area, &a, &err), &err);
	out[0] = '\0';
	do {
		struct tr_list_query f = {.round_id = round,
					  .ra = ra,
					  .area = &a,
					  .door = door,
					  .limit = 2,
					  .cursor = cursor[0] ? cursor : NULL};
		json_t *items = json_array(), *p;
		char next[600];
		size_t i;
		area_must(tr_missing_list(db, who, &f, items, next, sizeof(next), &err), &err);
		json_array_foreach(items, i, p)
		{
			o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%s", o ? "," : "",
					      json_string_value(json_object_get(p, "name")));
		}
		json_decref(items);
		snprintf(cursor, sizeof(cursor), "%s", next);
	} while (cursor[0] && ++pages < 20);
	fk_area_release(&a);
	free(ra);
	return out;
}

static void sample(struct fk_db *db, int64_t round, int64_t person, int64_t building)
{
	struct fk_err err = {0};

	area_must(fk_db_run(db, &err,
			    "INSERT INTO samples (id, round_id, tube_id, person_id, building_id, "
			    "area_path, scanned_by, scanned_at) VALUES (?, ?, 1, ?, ?, '/', 1, 1)",
			    "iiii", fk_id_next(), round, person, building),
		  &err);
	stats_add(db, round, building, 1, 0, 0);
}

static void missing_lists_keep_to_scope(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_principal cmd = who_over(db, FK_ROLE_COMMANDER, T.district);
	struct fk_principal ga = who_over(db, FK_ROLE_GRID, T.grid_a);
	struct fk_principal gb = who_over(db, FK_ROLE_GRID, T.grid_b);
	struct fk_round r;
	struct fk_err err = {0};
	bool created;
	int64_t round = new_round(db, &cmd, T.community);

	area_must(tr_round_open(db, &cmd, round, &r, &err), &err);
	sample(db, round, pid[1], T.a1);
	area_must(tr_exempt_add(db, &cmd, round, pid[5], "外出", &created, &err), &err);
	/* Sampled people cannot be exempt. */
	assert_int_equal(tr_exempt_add(db, &cmd, round, pid[1], "x", &created, &err), FK_ECONFLICT);
	assert_string_equal(err.key, "already_sampled");
	/* Grid B cannot exempt grid A's people: they are not there. */
	assert_int_equal(tr_exempt_add(db, &gb, round, pid[0], "x", &created, &err), FK_ENOTFOUND);
	assert_string_equal(missing_names(db, &ga, round, T.grid_a, false),
			    "甲一,甲三,单元一,乙一");
	assert_string_equal(missing_names(db, &cmd, round, T.community, false),
			    "甲一,甲三,单元一,乙一,丙一,丙二");
	assert_string_equal(missing_names(db, &gb, round, T.grid_a, false), "");
	assert_string_equal(missing_names(db, &gb, round, T.community, false), "丙一,丙二");
	assert_string_equal(missing_names(db, &cmd, round, T.community, true), "甲一,单元一,丙一");
	sample(db, round, pid[0], T.a1);
	assert_string_equal(missing_names(db, &ga, round, T.grid_a, true), "单元一");
	/* A district-wide list holds only the round's areas. */
	int64_t other = area_add(db, T.street, "community", "西城社区", "C2");
	int64_t og = area_add(db, other, "grid", "网格", "C2G");
	int64_t ob = area_add(db, og, "building", "楼", "C2B");
	add_person(db, 9, "外人", ob, NULL);
	assert_string_equal(missing_names(db, &cmd, round, T.district, false),
			    "甲三,单元一,乙一,丙一,丙二");
}

static void bad_rounds_and_transitions(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_principal cmd = who_over(db, FK_ROLE_COMMANDER, T.district);
	struct fk_principal ga = who_over(db, FK_ROLE_COMMANDER, T.grid_a);
	int64_t now = fk_now_ms(), area = T.community, missing = 987654321, areas2[2];
	struct tr_round_input in = {
	    .name = "轮次", .deadline_at = now + 3600000, .area_ids = &area, .nareas = 1};
	struct fk_round r;
	struct fk_err err = {0};
	int64_t round;

	in.pool_size = 7;
	assert_int_equal(tr_round_create(db, &cmd, &in, &r, &err), FK_EINVAL);
	assert_string_equal(err.key, "invalid_pool_size");
	in.pool_size = 20;
	in.starts_at = now + 7200000;
	assert_int_equal(tr_round_create(db, &cmd, &in, &r, &err), FK_EINVAL);
	assert_string_equal(err.key, "deadline_before_start");
	in.starts_at = 0;
	in.area_ids = &missing;
	assert_int_equal(tr_round_create(db, &cmd, &in, &r, &err), FK_EINVAL);
	assert_string_equal(err.key, "unknown_area");
	/* Out of scope looks the same as missing. */
	in.area_ids = &area;
	assert_int_equal(tr_round_create(db, &ga, &in, &r, &err), FK_EINVAL);
	assert_string_equal(err.key, "unknown_area");
	/* An area inside another of the list is dropped. */
	areas2[0] = T.grid_a;
	areas2[1] = T.community;
	in.area_ids = areas2;
	in.nareas = 2;
	area_must(tr_round_create(db, &cmd, &in, &r, &err), &err);
	round = r.id;
	struct tr_round_areas ra;
	area_must(tr_round_areas(db, round, &ra, &err), &err);
	assert_int_equal(ra.n, 1);
	assert_string_equal(ra.a[0].code, "C");
	assert_int_equal(r.pool_size, 20);
	/* A grid commander sees the round but cannot change it. */
	assert_int_equal(tr_round_open(db, &ga, round, &r, &err), FK_EPERM);
	assert_int_equal(tr_round_close(db, &cmd, round, &r, &err), FK_ECONFLICT);
	assert_string_equal(err.key, "round_not_open");
	area_must(tr_round_open(db, &cmd, round, &r, &err), &err);
	assert_int_equal(tr_round_open(db, &cmd, round, &r, &err), FK_ECONFLICT);
	assert_string_equal(err.key, "round_open");
	area_must(tr_round_close(db, &cmd, round, &r, &err), &err);
	assert_int_equal(r.status, FK_ROUND_CLOSED);
	assert_int_equal(tr_round_close(db, &cmd, round, &r, &err), FK_ECONFLICT);
	assert_string_equal(err.key, "round_closed");
	assert_int_equal(tr_round_open(db, &cmd, round, &r, &err), FK_ECONFLICT);
	assert_string_equal(err.key, "round_closed");
}

static bool has_warning(json_t *list, const char *code)
{
	json_t *w;
	size_t i;

	json_array_foreach(list, i, w)
	{
		if (strcmp(json_string_value(json_object_get(w, "code")), code) == 0)
			return true;
	}
	return false;
}

static void plan_flags_short_sites_and_desks(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_principal cmd = who_over(db, FK_ROLE_COMMANDER, T.district);
	struct tr_site site = {.area_id = T.community,
			       .code = "S1",
			       .name = "广场",
			       .kind = "fixed",
			       .desks = 2,
			       .active = true};
	const int64_t more[5] = {5000, 0, 0, 0, 0};
	struct tr_round_areas ra;
	struct fk_round r;
	struct fk_err err = {0};
	json_t *plan, *s;
	int64_t round = new_round(db, &cmd, T.community);

	area_must(tr_site_save(db, &cmd, &site, true, &err), &err);
	area_must(tr_site_set_areas(db, &cmd, site.id, &T.grid_a, 1, &err), &err);
	/* Planned: residents. */
	area_must(tr_round_areas(db, round, &ra, &err), &err);
	area_must(fk_round_get(db, round, &r, &err), &err);
	area_must(tr_round_plan(db, &cmd, &r, &ra, &plan, &err), &err);
	s = json_array_get(json_object_get(plan, "sites"), 0);
	assert_int_equal(json_integer_value(json_object_get(s, "people")), 6);
	assert_int_equal(json_array_size(json_object_get(s, "warnings")), 0);
	assert_true(has_warning(json_object_get(plan, "warnings"), "buildings_without_site"));
	json_decref(plan);
	/* Open, with 5,000 more people expected in A1: one site and two desks are short. */
	area_must(tr_round_open(db, &cmd, round, &r, &err), &err);
	area_must(tr_stats_bump(db, round, T.a1, NULL, more, &err), &err);
	area_must(tr_round_plan(db, &cmd, &r, &ra, &plan, &err), &err);
	s = json_array_get(json_object_get(plan, "sites"), 0);
	assert_int_equal(json_integer_value(json_object_get(s, "people")), 5006);
	assert_int_equal(json_integer_value(json_object_get(s, "sites_needed")), 2);
	assert_int_equal(json_integer_value(json_object_get(s, "desks_needed")), 7);
	assert_true(has_warning(json_object_get(s, "warnings"), "site_overloaded"));
	assert_true(has_warning(json_object_get(s, "warnings"), "desks_short"));
	json_t *t = json_object_get(plan, "totals");
	assert_int_equal(json_integer_value(json_object_get(t, "population")), 5008);
	assert_int_equal(json_integer_value(json_object_get(t, "buildings_without_site")), 1);
	assert_int_equal(json_integer_value(json_object_get(t, "samplers_needed")), 14);
	assert_true(has_warning(json_object_get(plan, "warnings"), "sites_short"));
	json_decref(plan);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(open_fills_counters_per_building, setup),
	    cmocka_unit_test_setup(deltas_roll_up_and_missing_per_building, setup),
	    cmocka_unit_test_setup(summary_figure, setup),
	    cmocka_unit_test_setup(move_carries_counters, setup),
	    cmocka_unit_test_setup(missing_lists_keep_to_scope, setup),
	    cmocka_unit_test_setup(bad_rounds_and_transitions, setup),
	    cmocka_unit_test_setup(plan_flags_short_sites_and_desks, setup),
	};
	return area_env_run("coverage", tests, sizeof(tests) / sizeof(tests[0]));
}
