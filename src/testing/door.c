/* door: the lists grid workers and door-to-door teams work through — the people of a round
 * still missing under an area (neither sampled nor exempt), and of those the ones tagged for
 * home sampling (bedridden, elderly living alone, home_sampling) or living in a sealed
 * (level-3) zone, which the zone hook names (platform/zone_rule.h). Always within the caller's
 * scope; phones masked unless the role may see them. Paged by a keyset cursor on
 * (building path, household, id), never by OFFSET, so a grid worker's list is stable while
 * people are being sampled. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/clock.h"
#include "base/id.h"
#include "base/mask.h"
#include "testing/internal.h"

static json_t *opt(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static json_t *age_json(const char *birth)
{
	int by, bm, bd, y, m, d;

	if (!birth || !*birth || fk_date_parse(birth, &by, &bm, &bd) < 0)
		return json_null();
	fk_date_today(&y, &m, &d);
	return json_integer(fk_age_years(by, bm, bd, y, m, d));
}

static json_t *tags_json(const char *list)
{
	json_t *a = json_array();

	while (list && *list) {
		size_t n = strcspn(list, ",");
		if (n > 0)
			json_array_append_new(a, json_stringn(list, n));
		list += n + (list[n] == ',');
	}
	return a;
}

json_t *tr_person_row_json(struct fk_q *q, const struct fk_principal *who)
{
	bool see_phone = who && who->see_phone;
	const char *phone = fk_q_text(q, 4);
	char masked[32];

	if (!see_phone)
		fk_mask_phone(phone, masked, sizeof(masked));
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:{s:b}}", "id",
			 fk_json_idv(fk_q_i64(q, 0)), "name", fk_json_strv(fk_q_text(q, 1)), "sex",
			 opt(fk_q_text(q, 2)), "age", age_json(fk_q_text(q, 3)), "phone",
			 opt(see_phone ? phone : masked), "household", opt(fk_q_text(q, 5)), "tags",
			 tags_json(fk_q_text(q, 6)), "area_id", fk_json_idv(fk_q_i64(q, 7)),
			 "area_name", fk_json_strv(fk_q_text(q, 9)), "area_code",
			 fk_json_strv(fk_q_text(q, 10)), "masked", "phone",
			 !see_phone && phone && *phone);
}

/* ---- the cursor: "<building path>|<household>|<id>" ---- */

struct cursor {
	char path[FK_AREA_PATH_MAX];
	char household[FK_AREA_PATH_MAX];
	int64_t id;
};

static int cursor_parse(const char *s, struct cursor *c, struct fk_err *err)
{
	const char *bar1 = s ? strchr(s, '|') : NULL, *bar2 = s ? strrchr(s, '|') : NULL;
	size_t plen = bar1 ? (size_t)(bar1 - s) : 0, hlen = bar1 ? (size_t)(bar2 - bar1 - 1) : 0;

	if (!bar1 || bar2 == bar1 || s[0] != '/' || plen >= sizeof(c->path) ||
	    hlen >= sizeof(c->household) || !fk_id_parse(bar2 + 1, &c->id))
		return fk_err_set(err, FK_EINVAL, "invalid_cursor", "cursor",
				  "cursor 无效，请从第一页重新开始",
				  "the cursor is not valid; start again from the first page");
	memcpy(c->path, s, plen);
	c->path[plen] = '\0';
	memcpy(c->household, bar1 + 1, hlen);
	c->household[hlen] = '\0';
	return 0;
}

/* ---- the query ---- */

/* Door-to-door zones a list adds by path; past this many (a district all sealed) the list
 * would rather be asked per community. */
#define DOOR_ZONES_MAX 64

static void list_sql(const struct fk_principal *who, const struct tr_list_query *f, bool in_round,
		     struct fk_buf *sql)
{
	fk_buf_puts(sql, "SELECT " TR_PERSON_COLS ", COALESCE(p.household, '') FROM people p "
			 "JOIN areas a ON a.id = p.area_id "
			 "WHERE p.area_path >= ? AND p.area_path < ? AND ");
	fk_scope_sql(who, "p.area_path", sql);
	if (!in_round)
		fk_buf_puts(sql, " AND EXISTS (SELECT 1 FROM round_areas ra WHERE ra.round_id = ? "
				 "AND p.area_path >= ra.area_path AND "
				 "p.area_path < (ra.area_path || '~'))");
	fk_buf_puts(sql, " AND NOT EXISTS (SELECT 1 FROM round_exempt e WHERE e.round_id = ? AND "
			 "e.person_id = p.id) AND NOT EXISTS (SELECT 1 FROM samples x WHERE "
			 "x.round_id = ? AND x.person_id = p.id AND x.voided = 0)");
	if (f->door) {
		fk_buf_puts(sql,
			    " AND (EXISTS (SELECT 1 FROM person_tags t WHERE t.person_id = p.id "
			    "AND t.tag IN ('home_sampling', 'bedridden', 'elderly_alone'))");
		for (size_t i = 0; i < json_array_size(f->zone_paths) && i < DOOR_ZONES_MAX; i++)
			fk_buf_puts(sql, " OR (p.area_path >= ? AND p.area_path < ?)");
		fk_buf_puts(sql, ")");
	}
	if (f->cursor)
		fk_buf_puts(sql, " AND (p.area_path > ? OR (p.area_path = ? AND "
				 "(COALESCE(p.household, '') > ? OR (COALESCE(p.household, '') = ? "
				 "AND p.id > ?))))");
	fk_buf_puts(sql, " ORDER BY p.area_path, COALESCE(p.household, ''), p.id LIMIT ?");
}

static void list_bind(struct fk_q *q, const struct fk_principal *who, const struct tr_list_query *f,
		      bool in_round, const struct cursor *c)
{
	char upper[FK_AREA_PATH_MAX + 8];
	int i = 1;

	fk_q_bind_text(q, i++, f->area->path);
	fk_q_bind_text(q, i++, tr_upper(f->area->path, upper));
	i = fk_scope_bind(who, q, i);
	if (!in_round)
		fk_q_bind_i64(q, i++, f->round_id);
	fk_q_bind_i64(q, i++, f->round_id);
	fk_q_bind_i64(q, i++, f->round_id);
	for (size_t k = 0; f->door && k < json_array_size(f->zone_paths) && k < DOOR_ZONES_MAX;
	     k++) {
		const char *zp = json_string_value(json_array_get(f->zone_paths, k));
		fk_q_bind_text(q, i++, zp);
		fk_q_bind_text(q, i++, tr_upper(zp, upper));
	}
	if (f->cursor) {
		fk_q_bind_text(q, i++, c->path);
		fk_q_bind_text(q, i++, c->path);
		fk_q_bind_text(q, i++, c->household);
		fk_q_bind_text(q, i++, c->household);
		fk_q_bind_i64(q, i++, c->id);
	}
	fk_q_bind_i64(q, i, f->limit + 1);
}

int tr_missing_list(struct fk_db *db, const struct fk_principal *who, const struct tr_list_query *f,
		    json_t *items, char *next_cursor, size_t cursor_size, struct fk_err *err)
{
	bool in_round = tr_round_has_path(f->ra, f->area->path);
	struct cursor c = {0};
	struct fk_buf sql;
	struct fk_q *q;
	int rc = f->cursor ? cursor_parse(f->cursor, &c, err) : 0, n = 0;

	next_cursor[0] = '\0';
	if (rc < 0)
		return rc;
	fk_buf_init(&sql, FK_BUF_SQL_MAX);
	list_sql(who, f, in_round, &sql);
	rc = fk_db_query(db, &q, sql.data, err);
	fk_buf_release(&sql);
	if (rc < 0)
		return rc;
	list_bind(q, who, f, in_round, &c);
	while ((rc = fk_q_step(q, err)) > 0) {
		if (n++ == f->limit) {
			json_t *last = json_array_get(items, json_array_size(items) - 1);
			snprintf(next_cursor, cursor_size, "%s|%s|%s", c.path, c.household,
				 json_string_value(json_object_get(last, "id")));
			break;
		}
		json_array_append_new(items, tr_person_row_json(q, who));
		snprintf(c.path, sizeof(c.path), "%s", fk_q_text(q, 8));
		snprintf(c.household, sizeof(c.household), "%s", fk_q_text(q, TR_PERSON_NCOLS));
	}
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}
