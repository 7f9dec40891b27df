/* catalog: the stock places (warehouses, and the sampling sites, checkpoints and facilities
 * that keep stock) and the items (with unit, category and low threshold) the ledger names. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "base/buf.h"
#include "base/clock.h"
#include "base/id.h"
#include "base/utf8.h"
#include "supplies/internal.h"

static const char *const place_kinds[] = {"warehouse", "site", "checkpoint", "facility", NULL};
static const char *const categories[] = {"ppe",		 "test_kit",	"swab",	 "tube",
					 "disinfectant", "living_pack", "other", NULL};

static bool among(const char *s, const char *const *list)
{
	for (int i = 0; s && list[i]; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

/* A name of 1..max characters of valid UTF-8, else FK_EINVAL "invalid_<field>". */
static int text_check(const char *s, const char *field, size_t max, struct fk_err *err)
{
	if (s && *s && fk_utf8_valid(s, strlen(s)) && fk_utf8_chars(s) <= max)
		return 0;
	return fk_err_set(err, FK_EINVAL, "invalid_text", field, "%s 须为 1 至 %zu 个字符",
			  "%s must be 1 to %zu characters", field, max);
}

static int kind_check(const char *kind, int64_t ref_id, struct fk_err *err)
{
	if (!among(kind, place_kinds))
		return fk_err_set(err, FK_EINVAL, "invalid_kind", "kind",
				  "kind 须为 warehouse、site、checkpoint 或 facility",
				  "kind must be warehouse, site, checkpoint or facility");
	if (strcmp(kind, "warehouse") != 0 && ref_id <= 0)
		return fk_err_set(err, FK_EINVAL, "missing_field", "ref_id",
				  "采样点、卡口或隔离点的库存点须给出 ref_id",
				  "a site's, checkpoint's or facility's stock place needs ref_id");
	return 0;
}

#define PLACE_INSERT                                                                               \
	"INSERT INTO stock_places (id, name, kind, ref_id, area_id, area_path, created_at) "       \
	"VALUES (?, ?, ?, ?, ?, ?, ?)"

static int place_insert(struct fk_db *db, struct sp_place *p, struct fk_err *err)
{
	int rc = p->ref_id > 0
		     ? fk_db_write(db, err, PLACE_INSERT, "ittiiti", p->id, p->name, p->kind,
				   p->ref_id, p->area_id, p->area_path, fk_now_ms())
		     : fk_db_write(db, err, PLACE_INSERT, "ittniti", p->id, p->name, p->kind,
				   p->area_id, p->area_path, fk_now_ms());

	if (rc == FK_ECONFLICT)
		rc = fk_err_set(err, FK_ECONFLICT, "place_taken", "ref_id", "该处已设库存点",
				"that place has a stock place already");
	return rc;
}

int sp_place_create(struct fk_db *db, const struct fk_principal *who, json_t *body,
		    struct sp_place *out, struct fk_err *err)
{
	const char *name = fk_json_str(body, "name"), *kind = fk_json_str(body, "kind");
	struct fk_area a = {0};
	int rc;

	memset(out, 0, sizeof(*out));
	out->ref_id = fk_json_id(body, "ref_id");
	out->area_id = fk_json_id(body, "area_id");
	rc = text_check(name, "name", SP_NAME_MAX, err);
	if (rc == 0)
		rc = kind_check(kind, out->ref_id, err);
	if (rc == 0)
		rc = fk_area_get_in_scope(db, who, out->area_id, "area_id", &a, err);
	if (rc < 0)
		return rc;
	out->id = fk_id_next();
	snprintf(out->name, sizeof(out->name), "%s", name);
	snprintf(out->kind, sizeof(out->kind), "%s", kind);
	snprintf(out->area_path, sizeof(out->area_path), "%s", a.path);
	snprintf(out->area_name, sizeof(out->area_name), "%s", a.name);
	fk_area_release(&a);
	return place_insert(db, out, err);
}

#define PLACE_SELECT                                                                               \
	"SELECT p.id, p.name, p.kind, p.ref_id, p.area_id, p.area_path, a.name FROM "              \
	"stock_places p LEFT JOIN areas a ON a.id = p.area_id "

static void place_row(struct fk_q *q, void *rec)
{
	struct sp_place *p = rec;

	p->id = fk_q_i64(q, 0);
	snprintf(p->name, sizeof(p->name), "%s", fk_q_text(q, 1));
	snprintf(p->kind, sizeof(p->kind), "%s", fk_q_text(q, 2));
	p->ref_id = fk_q_i64(q, 3);
	p->area_id = fk_q_i64(q, 4);
	snprintf(p->area_path, sizeof(p->area_path), "%s", fk_q_text(q, 5));
	snprintf(p->area_name, sizeof(p->area_name), "%s",
		 fk_q_isnull(q, 6) ? "" : fk_q_text(q, 6));
}

static int place_one(struct fk_db *db, const char *sql, const char *kind, int64_t id,
		     struct sp_place *out, struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q, sql, err);

	if (rc < 0)
		return rc;
	if (kind) {
		fk_q_bind_text(q, 1, kind);
		fk_q_bind_i64(q, 2, id);
	} else {
		fk_q_bind_i64(q, 1, id);
	}
	rc = fk_q_step(q, err);
	if (rc > 0)
		place_row(q, out);
	fk_q_done(q);
	return rc;
}

int sp_place_get(struct fk_db *db, const struct fk_principal *who, int64_t id, const char *field,
		 struct sp_place *out, struct fk_err *err)
{
	int rc = place_one(db, PLACE_SELECT "WHERE p.id = ?", NULL, id, out, err);

	if (rc < 0)
		return rc;
	if (rc == 0 || (who && !fk_scope_covers(who, out->area_path)))
		return fk_err_set(err, FK_ENOTFOUND, "place_not_found", field, "没有该库存点",
				  "there is no such stock place");
	return 0;
}

int sp_place_of(struct fk_db *db, const char *kind, int64_t ref_id, struct sp_place *out,
		struct fk_err *err)
{
	return place_one(db, PLACE_SELECT "WHERE p.kind = ? AND p.ref_id = ?", kind, ref_id, out,
			 err);
}

int sp_place_list(struct fk_db *db, const struct fk_principal *who, const char *under,
		  json_t *items, struct fk_err *err)
{
	struct fk_scoped_query sq = {.head = PLACE_SELECT "WHERE ",
				     .col = "p.area_path",
				     .under = under,
				     .tail = " ORDER BY p.name, p.id LIMIT 5000"};
	struct sp_place p;
	struct fk_q *q = NULL;
	int next, rc = fk_scoped_query(db, who, &sq, &q, &next, err);

	while (rc == 0 && (rc = fk_q_step(q, err)) > 0) {
		place_row(q, &p);
		json_array_append_new(items, sp_place_json(&p));
		rc = 0;
	}
	if (q)
		fk_q_done(q);
	return rc < 0 ? rc : 0;
}

json_t *sp_place_json(const struct sp_place *p)
{
	return json_pack("{s:o, s:s, s:s, s:o, s:o, s:s}", "id", fk_json_idv(p->id), "name",
			 p->name, "kind", p->kind, "ref_id", fk_json_idv(p->ref_id), "area_id",
			 fk_json_idv(p->area_id), "area_name", p->area_name);
}

/* ---- items ---- */

static int item_fields(json_t *body, struct sp_item *out, struct fk_err *err)
{
	const char *name = fk_json_str(body, "name"), *unit = fk_json_str(body, "unit");
	const char *cat = fk_json_str(body, "category");
	json_t *low = json_object_get(body, "low_at");
	int rc = text_check(name, "name", SP_NAME_MAX, err);

	if (rc == 0)
		rc = text_check(unit, "unit", SP_UNIT_MAX, err);
	if (rc == 0 && !among(cat, categories))
		rc = fk_err_set(err, FK_EINVAL, "invalid_category", "category",
				"category 须为 ppe、test_kit、swab、tube、disinfectant、"
				"living_pack 或 other",
				"category must be ppe, test_kit, swab, tube, disinfectant, "
				"living_pack or other");
	out->low_at = json_is_number(low) ? json_number_value(low) : 0;
	if (rc == 0 && (!isfinite(out->low_at) || out->low_at < 0 || out->low_at > SP_QTY_MAX))
		rc = fk_err_set(err, FK_EINVAL, "invalid_qty", "low_at", "low_at 不能为负数",
				"low_at cannot be negative");
	if (rc == 0) {
		snprintf(out->name, sizeof(out->name), "%s", name);
		snprintf(out->unit, sizeof(out->unit), "%s", unit);
		snprintf(out->category, sizeof(out->category), "%s", cat);
	}
	return rc;
}

int sp_item_create(struct fk_db *db, json_t *body, struct sp_item *out, struct fk_err *err)
{
	int rc;

	memset(out, 0, sizeof(*out));
	rc = item_fields(body, out, err);
	if (rc < 0)
		return rc;
	out->id = fk_id_next();
	rc = fk_db_write(db, err,
			 "INSERT INTO stock_items (id, name, unit, category, low_at, created_at) "
			 "VALUES (?, ?, ?, ?, ?, ?)",
			 "itttdi", out->id, out->name, out->unit, out->category, out->low_at,
			 fk_now_ms());
	if (rc == FK_ECONFLICT)
		rc = fk_err_set(err, FK_ECONFLICT, "item_taken", "name", "已有同名物资",
				"an item of that name exists");
	return rc;
}

#define ITEM_SELECT "SELECT id, name, unit, category, low_at FROM stock_items "

static void item_row(struct fk_q *q, struct sp_item *i)
{
	i->id = fk_q_i64(q, 0);
	snprintf(i->name, sizeof(i->name), "%s", fk_q_text(q, 1));
	snprintf(i->unit, sizeof(i->unit), "%s", fk_q_text(q, 2));
	snprintf(i->category, sizeof(i->category), "%s", fk_q_text(q, 3));
	i->low_at = fk_q_double(q, 4);
}

int sp_item_get(struct fk_db *db, int64_t id, struct sp_item *out, struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q, ITEM_SELECT "WHERE id = ?", err);

	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, id);
	rc = fk_q_step(q, err);
	if (rc > 0)
		item_row(q, out);
	fk_q_done(q);
	if (rc == 0)
		rc = fk_err_set(err, FK_ENOTFOUND, "item_not_found", "item_id", "没有该物资",
				"there is no such item");
	return rc < 0 ? rc : 0;
}

int sp_item_list(struct fk_db *db, json_t *items, struct fk_err *err)
{
	struct sp_item i;
	struct fk_q *q;
	int rc = fk_db_query(db, &q, ITEM_SELECT "ORDER BY name, id", err);

	if (rc < 0)
		return rc;
	while ((rc = fk_q_step(q, err)) > 0) {
		item_row(q, &i);
		json_array_append_new(items, sp_item_json(&i));
	}
	fk_q_done(q);
	return rc;
}

json_t *sp_item_json(const struct sp_item *i)
{
	return json_pack("{s:o, s:s, s:s, s:s, s:f}", "id", fk_json_idv(i->id), "name", i->name,
			 "unit", i->unit, "category", i->category, "low_at", i->low_at);
}
