/* people_env: a small area tree on a migrated store (area_env.h: a temp SQLite file, and
 * PostgreSQL too when FK_PG_URL is set) for the people tests, with principals and valid ID
 * numbers. Included by test_people_import.c and test_people_search.c only.
 *
 *   崂山区 D / 街道 S / 社区 C / 网格A GA: 1号楼 A1 (2单元 A1U2), 2号楼 A2
 *                             / 网格B GB: 1号楼 B1 */
#ifndef FK_TEST_PEOPLE_ENV_H
#define FK_TEST_PEOPLE_ENV_H
#include "area_env.h"
#include "base/idcard.h"
#include "people/people.h"

struct people_tree {
	int64_t district, street, community, grid_a, grid_b, a1, a1u2, a2, b1;
};

static struct people_tree T;

static int people_case_setup(void **state)
{
	struct fk_err err = {0};
	struct fk_db *db = area_env_db(state);

	/* Linking the module descriptor registers the area hooks (module.c). */
	assert_non_null(fk_module_people.routes);
	area_must(fk_db_exec(db, "DELETE FROM person_tags", &err), &err);
	area_must(fk_db_exec(db, "DELETE FROM people", &err), &err);
	area_env_wipe(state);
	T.district = area_add(db, 0, "district", "崂山区", "D");
	T.street = area_add(db, T.district, "street", "中韩街道", "S");
	T.community = area_add(db, T.street, "community", "东城社区", "C");
	T.grid_a = area_add(db, T.community, "grid", "网格A", "GA");
	T.grid_b = area_add(db, T.community, "grid", "网格B", "GB");
	T.a1 = area_add(db, T.grid_a, "building", "1号楼", "A1");
	T.a1u2 = area_add(db, T.a1, "unit", "2单元", "A1U2");
	T.a2 = area_add(db, T.grid_a, "building", "2号楼", "A2");
	T.b1 = area_add(db, T.grid_b, "building", "1号楼", "B1");
	return 0;
}

/* A valid resident ID number: region 370212, the birth date, a sequence (odd = male). */
static const char *valid_id(const char *birth8, int seq, char out[19])
{
	char first17[18];

	snprintf(first17, sizeof(first17), "370212%s%03d", birth8, seq % 1000);
	snprintf(out, 19, "%s%c", first17, fk_idcard_check_digit(first17));
	return out;
}

/* A principal of role over one area, seeing everything unmasked. */
static struct fk_principal who_over(struct fk_db *db, enum fk_role role, int64_t area)
{
	struct fk_principal w;

	memset(&w, 0, sizeof(w));
	w.user_id = 1;
	w.role = role;
	w.nscopes = 1;
	w.scope_ids[0] = area;
	area_path_of(db, area, w.scope_paths[0], sizeof(w.scope_paths[0]));
	w.see_id = w.see_phone = true;
	return w;
}

static inline int64_t people_count(struct fk_db *db)
{
	struct fk_err err = {0};
	int64_t n = -1;

	area_must(fk_db_one_i64(db, &err, &n, "SELECT COUNT(*) FROM people", NULL), &err);
	return n;
}

/* The one person with this ID number, read with district scope; fails the case if absent. */
static inline void person_by_id(struct fk_db *db, const char *id_number, struct fk_person *out)
{
	struct fk_principal w = who_over(db, FK_ROLE_ADMIN, T.district);
	struct fk_people_query q = {.id_number = id_number};
	struct fk_person_list l = {0};
	struct fk_err err = {0};

	area_must(fk_people_search(db, &w, &q, &l, &err), &err);
	if (l.n != 1)
		fail_msg("expected one person with ID %s, found %d", id_number, l.n);
	*out = l.items[0];
	fk_person_list_release(&l);
}

#endif
