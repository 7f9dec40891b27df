/* test_dashboard: what the dashboard stands on, on SQLite and PostgreSQL — the residents
 * counters every write of a person moves (created, moved by an import or an edit, unchanged,
 * an area moved), the check of an area's shape (each fault named by its part), the shapes
 * import (all or none) and the children's shapes, and the percentage the panels show. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <jansson.h>
#define FK_TEST_NAME "test_dashboard"
#include "people_env.h"
#include "dashboard/internal.h"

static int setup(void **state)
{
	struct fk_err err = {0};

	people_case_setup(state);
	area_must(fk_db_exec(area_env_db(state), "DELETE FROM people_counts", &err), &err);
	return 0;
}

static int64_t residents(struct fk_db *db, int64_t area)
{
	char path[FK_AREA_PATH_MAX];
	struct fk_err err = {0};
	int64_t n = -1;

	area_path_of(db, area, path, sizeof(path));
	area_must(fk_people_count_under(db, path, &n, &err), &err);
	return n;
}

static void upsert(struct fk_db *db, int seq, int64_t area, char *outcome, struct fk_person *out)
{
	struct fk_person p;
	struct fk_err err = {0};
	char id[19];

	memset(&p, 0, sizeof(p));
	snprintf(p.name, sizeof(p.name), "居民%d", seq);
	snprintf(p.id_number, sizeof(p.id_number), "%s", valid_id("19800101", seq, id));
	p.area_id = area;
	area_must(fk_person_upsert(db, &p, outcome, &err), &err);
	if (out)
		*out = p;
}

static void counts_follow_writes(void **state)
{
	struct fk_db *db = area_env_db(state);
	char o;

	upsert(db, 1, T.a1, &o, NULL);
	upsert(db, 2, T.a1u2, &o, NULL);
	upsert(db, 3, T.a2, &o, NULL);
	upsert(db, 4, T.b1, &o, NULL);
	assert_int_equal(o, 'c');
	assert_int_equal(residents(db, T.district), 4);
	assert_int_equal(residents(db, T.grid_a), 3);
	assert_int_equal(residents(db, T.a1), 2);
	assert_int_equal(residents(db, T.grid_b), 1);
	upsert(db, 1, T.a1, &o, NULL); /* the same again: nothing moves */
	assert_int_equal(o, '=');
	assert_int_equal(residents(db, T.a1), 2);
	upsert(db, 1, T.b1, &o, NULL); /* re-imported into another building */
	assert_int_equal(o, 'u');
	assert_int_equal(residents(db, T.a1), 1);
	assert_int_equal(residents(db, T.grid_b), 2);
	assert_int_equal(residents(db, T.district), 4);
	assert_int_equal(people_count(db), 4);
}

static void counts_follow_edits_and_moves(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_principal w = who_over(db, FK_ROLE_ADMIN, T.district);
	struct fk_person p;
	struct fk_err err = {0};
	bool moved = false;
	char o;

	upsert(db, 5, T.a2, &o, &p);
	upsert(db, 6, T.a2, &o, NULL);
	p.area_id = T.b1;
	area_must(fk_person_update(db, &w, &p, 0, &err), &err);
	assert_int_equal(residents(db, T.a2), 1);
	assert_int_equal(residents(db, T.b1), 1);
	/* Building A2 moves from grid A to grid B: its residents count under B now. */
	area_must(fk_area_move(db, T.a2, T.grid_b, 0, &moved, &err), &err);
	assert_true(moved);
	assert_int_equal(residents(db, T.grid_a), 0);
	assert_int_equal(residents(db, T.grid_b), 2);
	assert_int_equal(residents(db, T.community), 2);
}

static json_t *poly(const char *coords)
{
	json_error_t e;
	json_t *c = json_loads(coords, 0, &e);

	return json_pack("{s:s, s:o}", "type", "Polygon", "coordinates", c);
}

static void geometry_faults_named(void **state)
{
	struct {
		const char *json, *field; /* field NULL: accepted */
	} cases[] = {
	    {"{\"type\":\"Polygon\",\"coordinates\":[[[120,36],[121,36],[121,37],[120,36]]]}",
	     NULL},
	    {"{\"type\":\"MultiPolygon\",\"coordinates\":[[[[120,36],[121,36],[121,37],[120,36]]],"
	     "[[[0,0],[1,0],[1,1],[0,1],[0,0]],[[0.2,0.2],[0.4,0.2],[0.4,0.4],[0.2,0.2]]]]}",
	     NULL},
	    {"{\"type\":\"Point\",\"coordinates\":[120,36]}", "geometry"},
	    {"{\"coordinates\":[]}", "geometry"},
	    {"{\"type\":\"Polygon\",\"coordinates\":[]}", "geometry.coordinates"},
	    {"{\"type\":\"Polygon\",\"coordinates\":[[[120,36],[121,36],[120,36]]]}",
	     "geometry.coordinates[0]"},
	    {"{\"type\":\"Polygon\",\"coordinates\":[[[120,36],[121,36],[121,37],[120,37]]]}",
	     "geometry.coordinates[0]"},
	    {"{\"type\":\"Polygon\",\"coordinates\":[[[120,36],[121,91],[121,37],[120,36]]]}",
	     "geometry.coordinates[0]"},
	    {"{\"type\":\"Polygon\",\"coordinates\":[[[120,36],[\"x\",36],[121,37],[120,36]]]}",
	     "geometry.coordinates[0]"},
	    {"{\"type\":\"MultiPolygon\",\"coordinates\":[[[[120,36],[121,36],[121,37],[120,36]]],"
	     "[[[0,0],[1,0],[1,1],[0,0]],[[0,0]]]]}",
	     "geometry.coordinates[1][1]"},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_error_t e;
		json_t *g = json_loads(cases[i].json, 0, &e);
		struct fk_err err = {0};
		int rc = fk_area_geometry_check(g, "geometry", &err);
		if (!cases[i].field) {
			assert_int_equal(rc, 0);
		} else {
			assert_int_equal(rc, FK_EUNPROC);
			assert_string_equal(err.key, "invalid_geometry");
			assert_string_equal(err.field, cases[i].field);
		}
		json_decref(g);
	}
}

static void shapes_import_all_or_none(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_err err = {0};
	json_t *shapes = NULL;
	size_t count = 0;
	json_t *fc = json_pack(
	    "{s:s, s:[{s:s, s:{s:s}, s:o}, {s:s, s:{s:s}, s:o}]}", "type", "FeatureCollection",
	    "features", "type", "Feature", "properties", "code", "GA", "geometry",
	    poly("[[[120,36],[121,36],[121,37],[120,36]]]"), "type", "Feature", "properties",
	    "code", "NOPE", "geometry", poly("[[[120,36],[121,36],[121,37],[120,36]]]"));

	assert_int_equal(fk_area_import_geometry(db, fc, &count, &err), FK_EUNPROC);
	assert_string_equal(err.key, "unknown_area");
	assert_string_equal(err.field, "features[1].properties.code");
	area_must(fk_area_children_shapes(db, T.community, &shapes, &err), &err);
	assert_int_equal(json_array_size(json_object_get(shapes, "features")), 0);
	json_decref(shapes);
	json_object_set_new(
	    json_object_get(json_array_get(json_object_get(fc, "features"), 1), "properties"),
	    "code", json_string("GB"));
	area_must(fk_area_import_geometry(db, fc, &count, &err), &err);
	assert_int_equal(count, 2);
	area_must(fk_area_children_shapes(db, T.community, &shapes, &err), &err);
	json_t *f = json_object_get(shapes, "features");
	assert_int_equal(json_array_size(f), 2);
	assert_string_equal(json_string_value(json_object_get(
				json_object_get(json_array_get(f, 0), "properties"), "code")),
			    "GA");
	json_decref(shapes);
	area_must(fk_area_geometry_set(db, T.grid_a, NULL, &err), &err); /* cleared */
	area_must(fk_area_children_shapes(db, T.community, &shapes, &err), &err);
	assert_int_equal(json_array_size(json_object_get(shapes, "features")), 1);
	json_decref(shapes);
	json_decref(fc);
}

static void pct_rounds_to_a_tenth(void **state)
{
	(void)state;
	assert_true(db_pct(0, 0) == 0);
	assert_true(db_pct(1, 3) == 33.3);
	assert_true(db_pct(2, 3) == 66.7);
	assert_true(db_pct(5, 5) == 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(counts_follow_writes, setup),
	    cmocka_unit_test_setup(counts_follow_edits_and_moves, setup),
	    cmocka_unit_test(geometry_faults_named),
	    cmocka_unit_test_setup(shapes_import_all_or_none, setup),
	    cmocka_unit_test(pct_rounds_to_a_tenth),
	};
	return area_env_run("dashboard", tests, sizeof(tests) / sizeof(tests[0]));
}
