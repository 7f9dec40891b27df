/* site: sampling sites 采样点 (SPEC §3) — where, fixed or mobile, desks and hours, the
 * buildings and grids each serves, and the registrars bound to it (who register people at
 * that site only). A site is seen and changed by roles whose scope holds its area; a
 * registrar sees the sites it is bound to. The round plan (plan.c) reads them, and a tubes
 * desk reads one through fk_testing_site_desk (testing.h). */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/clock.h"
#include "base/id.h"
#include "base/utf8.h"
#include "base/xmalloc.h"
#include "testing/internal.h"

#define SITE_COLS                                                                                  \
	"s.id, s.area_id, s.area_path, s.code, s.name, s.kind, s.desks, s.hours, s.lat, s.lng, "   \
	"s.active"
#define DESKS_MAX 200

static void site_row(struct fk_q *q, void *rec)
{
	struct tr_site *s = rec;

	memset(s, 0, sizeof(*s));
	s->id = fk_q_i64(q, 0);
	s->area_id = fk_q_i64(q, 1);
	snprintf(s->area_path, sizeof(s->area_path), "%s", fk_q_text(q, 2));
	snprintf(s->code, sizeof(s->code), "%s", fk_q_text(q, 3));
	snprintf(s->name, sizeof(s->name), "%s", fk_q_text(q, 4));
	snprintf(s->kind, sizeof(s->kind), "%s", fk_q_text(q, 5));
	s->desks = (int)fk_q_i64(q, 6);
	snprintf(s->hours, sizeof(s->hours), "%s", fk_q_text(q, 7) ? fk_q_text(q, 7) : "");
	s->has_point = !fk_q_isnull(q, 8) && !fk_q_isnull(q, 9);
	s->lat = fk_q_double(q, 8);
	s->lng = fk_q_double(q, 9);
	s->active = fk_q_i64(q, 10) != 0;
}

int fk_testing_site_not_found(const char *field, struct fk_err *err)
{
	return fk_err_set(err, FK_ENOTFOUND, "site_not_found", field, "采样点不存在",
			  "the sampling site does not exist");
}

static int site_not_found(struct fk_err *err)
{
	return fk_testing_site_not_found(NULL, err);
}

static int bound(struct fk_db *db, int64_t site_id, int64_t user_id, bool *out, struct fk_err *err)
{
	int64_t one = 0;
	int rc = fk_db_one_i64(db, err, &one,
			       "SELECT 1 FROM site_registrars WHERE site_id = ? AND user_id = ?",
			       "ii", site_id, user_id);

	*out = rc > 0;
	return rc < 0 ? rc : 0;
}

int tr_site_get(struct fk_db *db, const struct fk_principal *who, int64_t id, struct tr_site *out,
		struct fk_err *err)
{
	struct fk_q *q;
	bool ok = true;
	int rc;

	rc = fk_db_query(db, &q, "SELECT " SITE_COLS " FROM sites s WHERE s.id = ?", err);
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, id);
	rc = fk_q_step(q, err);
	if (rc > 0)
		site_row(q, out);
	fk_q_done(q);
	if (rc < 0)
		return rc;
	if (rc > 0 && who && who->role == FK_ROLE_REGISTRAR)
		rc = bound(db, id, who->user_id, &ok, err) < 0 ? err->code : 1;
	else if (rc > 0 && who)
		ok = fk_scope_covers(who, out->area_path);
	if (rc < 0)
		return rc;
	return rc == 0 || !ok ? site_not_found(err) : 0;
}

/* ---- checks ---- */

static int site_check(const struct tr_site *s, struct fk_err *err)
{
	if (fk_place_label_check(s->name, s->code, err) < 0)
		return FK_EINVAL;
	if (strcmp(s->kind, "fixed") != 0 && strcmp(s->kind, "mobile") != 0)
		return fk_err_set(err, FK_EINVAL, "invalid_kind", "kind",
				  "类型须为 fixed（固定）或 mobile（流动）",
				  "kind must be fixed or mobile");
	if (s->desks < 1 || s->desks > DESKS_MAX)
		return fk_err_set(err, FK_EINVAL, "invalid_desks", "desks", "采样台数须为 1 到 %d",
				  "desks must be 1 to %d", DESKS_MAX);
	if (s->has_point && (fabs(s->lat) > 90 || fabs(s->lng) > 180))
		return fk_err_set(err, FK_EINVAL, "invalid_point", "lat", "经纬度超出范围",
				  "latitude or longitude out of range");
	return 0;
}

static int code_free(struct fk_db *db, const char *code, int64_t self, struct fk_err *err)
{
	int64_t other = 0;
	int rc = fk_db_one_i64(db, err, &other, "SELECT id FROM sites WHERE code = ?", "t", code);

	if (rc < 0)
		return rc;
	if (rc > 0 && other != self)
		return fk_err_set(err, FK_ECONFLICT, "code_taken", "code",
				  "编码 %s 已被其他采样点使用", "code %s is taken by another site",
				  code);
	return 0;
}

/* The area a site or an assignment names: in who's scope, else "unknown_area" as if
 * missing. */
static int scoped_area(struct fk_db *db, const struct fk_principal *who, int64_t id,
		       const char *field, struct fk_area *a, struct fk_err *err)
{
	int rc = fk_area_get(db, id, a, err);

	if (rc == 0 && who && !fk_scope_covers(who, a->path))
		rc = FK_ENOTFOUND;
	if (rc == FK_ENOTFOUND)
		return fk_err_set(err, FK_EINVAL, "unknown_area", field, "区域 %lld 不存在",
				  "area %lld does not exist", (long long)id);
	return rc;
}

static const char sql_insert[] =
    "INSERT INTO sites (area_id, area_path, code, name, kind, desks, hours, lat, lng, active, "
    "updated_at, id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char sql_update[] =
    "UPDATE sites SET area_id = ?, area_path = ?, code = ?, name = ?, kind = ?, desks = ?, "
    "hours = ?, lat = ?, lng = ?, active = ?, updated_at = ? WHERE id = ?";

/* Both statements take the same columns first, then the id (and created_at). */
static int write_site(struct fk_db *db, const struct tr_site *s, bool create, struct fk_err *err)
{
	int64_t now = fk_now_ms();
	struct fk_q *q;
	int rc;

	rc = fk_db_query(db, &q, create ? sql_insert : sql_update, err);
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, s->area_id);
	fk_q_bind_text(q, 2, s->area_path);
	fk_q_bind_text(q, 3, s->code);
	fk_q_bind_text(q, 4, s->name);
	fk_q_bind_text(q, 5, s->kind);
	fk_q_bind_i64(q, 6, s->desks);
	fk_q_bind_text(q, 7, s->hours[0] ? s->hours : NULL);
	if (s->has_point) {
		fk_q_bind_double(q, 8, s->lat);
		fk_q_bind_double(q, 9, s->lng);
	} else {
		fk_q_bind_null(q, 8);
		fk_q_bind_null(q, 9);
	}
	fk_q_bind_i64(q, 10, s->active ? 1 : 0);
	fk_q_bind_i64(q, 11, now);
	fk_q_bind_i64(q, 12, s->id);
	if (create)
		fk_q_bind_i64(q, 13, now);
	rc = fk_q_step(q, err);
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

int tr_site_save(struct fk_db *db, const struct fk_principal *who, struct tr_site *s, bool create,
		 struct fk_err *err)
{
	struct fk_area a = {0};
	int rc = site_check(s, err);

	if (rc == 0)
		rc = scoped_area(db, who, s->area_id, "area_id", &a, err);
	if (rc == 0)
		snprintf(s->area_path, sizeof(s->area_path), "%s", a.path);
	fk_area_release(&a);
	if (rc == 0 && create)
		s->id = fk_id_next();
	if (rc == 0)
		rc = code_free(db, s->code, s->id, err);
	if (rc == 0)
		rc = write_site(db, s, create, err);
	return rc;
}

/* ---- assigned areas and registrars ---- */

int tr_site_set_areas(struct fk_db *db, const struct fk_principal *who, int64_t id,
		      const int64_t *area_ids, int n, struct fk_err *err)
{
	struct fk_area *a = fk_xcalloc((size_t)(n > 0 ? n : 1), sizeof(*a));
	int rc = 0;

	for (int i = 0; rc == 0 && i < n; i++)
		rc = scoped_area(db, who, area_ids[i], "area_ids", &a[i], err);
	if (rc == 0)
		rc = fk_db_write(db, err, "DELETE FROM site_areas WHERE site_id = ?", "i", id);
	for (int i = 0; rc == 0 && i < n; i++)
		rc = fk_db_write(
		    db, err,
		    "INSERT INTO site_areas (site_id, area_id, area_path) VALUES (?, ?, ?) "
		    "ON CONFLICT (site_id, area_id) DO NOTHING",
		    "iit", id, a[i].id, a[i].path);
	for (int i = 0; i < n && a; i++)
		fk_area_release(&a[i]);
	free(a);
	return rc;
}

int tr_site_set_registrars(struct fk_db *db, const struct tr_site *s,
			   const struct tr_registrar_pick *p, struct fk_err *err)
{
	int64_t *ids = fk_xcalloc((size_t)(p->n > 0 ? p->n : 1), sizeof(*ids));
	int rc = tr_registrars_check(db, s->area_path, p, ids, err);

	if (rc == 0)
		rc = fk_db_write(db, err, "DELETE FROM site_registrars WHERE site_id = ?", "i",
				 s->id);
	for (int i = 0; rc == 0 && i < p->n; i++)
		rc = fk_db_write(db, err,
				 "INSERT INTO site_registrars (site_id, user_id) VALUES (?, ?) "
				 "ON CONFLICT (site_id, user_id) DO NOTHING",
				 "ii", s->id, ids[i]);
	free(ids);
	return rc;
}

/* ---- JSON and lists ---- */

static int areas_json(struct fk_db *db, int64_t id, json_t *out, struct fk_err *err)
{
	struct fk_q *q;
	int rc;

	rc = fk_db_query(db, &q,
			 "SELECT a.id, a.name, a.code, a.kind, a.path FROM site_areas sa "
			 "JOIN areas a ON a.id = sa.area_id WHERE sa.site_id = ? ORDER BY a.code",
			 err);
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, id);
	while ((rc = fk_q_step(q, err)) > 0)
		json_array_append_new(out, json_pack("{s:o, s:o, s:o, s:o, s:o}", "id",
						     fk_json_idv(fk_q_i64(q, 0)), "name",
						     fk_json_strv(fk_q_text(q, 1)), "code",
						     fk_json_strv(fk_q_text(q, 2)), "kind",
						     fk_json_strv(fk_q_text(q, 3)), "path",
						     fk_json_strv(fk_q_text(q, 4))));
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

/* Names of the bound registrars, read beside the users module's table for display only. */
static int registrars_json(struct fk_db *db, int64_t id, json_t *out, struct fk_err *err)
{
	struct fk_q *q;
	int rc;

	rc = fk_db_query(db, &q,
			 "SELECT u.id, u.username, u.display_name FROM site_registrars r "
			 "JOIN users u ON u.id = r.user_id WHERE r.site_id = ? ORDER BY u.username",
			 err);
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, id);
	while ((rc = fk_q_step(q, err)) > 0)
		json_array_append_new(out, json_pack("{s:o, s:o, s:o}", "id",
						     fk_json_idv(fk_q_i64(q, 0)), "username",
						     fk_json_strv(fk_q_text(q, 1)), "display_name",
						     fk_json_strv(fk_q_text(q, 2))));
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

int tr_site_json(struct fk_db *db, const struct tr_site *s, json_t **out, struct fk_err *err)
{
	json_t *areas = json_array(), *regs = json_array();
	int rc = areas_json(db, s->id, areas, err);

	if (rc == 0)
		rc = registrars_json(db, s->id, regs, err);
	if (rc < 0) {
		json_decref(areas);
		json_decref(regs);
		return rc;
	}
	*out = json_pack("{s:o, s:o, s:s, s:s, s:s, s:s, s:i, s:o, s:o, s:o, s:b, s:o, s:o}", "id",
			 fk_json_idv(s->id), "area_id", fk_json_idv(s->area_id), "area_path",
			 s->area_path, "code", s->code, "name", s->name, "kind", s->kind, "desks",
			 s->desks, "hours", s->hours[0] ? json_string(s->hours) : json_null(),
			 "lat", s->has_point ? json_real(s->lat) : json_null(), "lng",
			 s->has_point ? json_real(s->lng) : json_null(), "active", s->active,
			 "areas", areas, "registrars", regs);
	return 0;
}

/* The sites a registrar is bound to, whatever its scope, under the path under when given. */
static int registrar_query(struct fk_db *db, const struct fk_principal *who, const char *under,
			   struct fk_q **q, struct fk_err *err)
{
	int rc = fk_db_query(
	    db, q,
	    under ? "SELECT " SITE_COLS " FROM sites s WHERE EXISTS (SELECT 1 FROM "
		    "site_registrars r WHERE r.site_id = s.id AND r.user_id = ?) "
		    "AND s.area_path >= ? AND s.area_path < ? ORDER BY s.code LIMIT 1000"
		  : "SELECT " SITE_COLS " FROM sites s WHERE EXISTS (SELECT 1 FROM "
		    "site_registrars r WHERE r.site_id = s.id AND r.user_id = ?) "
		    "ORDER BY s.code LIMIT 1000",
	    err);

	if (rc < 0)
		return rc;
	fk_q_bind_i64(*q, 1, who->user_id);
	fk_subtree_bind(under, *q, 2);
	return 0;
}

/* A registrar lists the sites it is bound to; everyone else the sites of its scope. */
static int list_query(struct fk_db *db, const struct fk_principal *who, const char *under,
		      struct fk_q **q, struct fk_err *err)
{
	struct fk_scoped_query sq = {.head = "SELECT " SITE_COLS " FROM sites s WHERE ",
				     .col = "s.area_path",
				     .under = under,
				     .tail = " ORDER BY s.code LIMIT 1000"};
	int next;

	if (who && who->role == FK_ROLE_REGISTRAR)
		return registrar_query(db, who, under, q, err);
	return fk_scoped_query(db, who, &sq, q, &next, err);
}

int tr_site_list(struct fk_db *db, const struct fk_principal *who, const char *under, json_t *items,
		 struct fk_err *err)
{
	struct tr_site *l;
	void *rows = NULL;
	struct fk_q *q;
	int n = 0, rc = list_query(db, who, under, &q, err);

	if (rc == 0)
		rc = fk_q_collect(q, sizeof(*l), site_row, &rows, &n, err);
	l = rows;
	if (rc < 0)
		return rc;
	for (int i = 0; rc == 0 && i < n; i++) {
		json_t *o;
		rc = tr_site_json(db, &l[i], &o, err);
		if (rc == 0)
			json_array_append_new(items, o);
	}
	free(l);
	return rc < 0 ? rc : 0;
}

int fk_testing_site_desk(struct fk_db *db, int64_t site_id, int64_t user_id,
			 struct fk_site_desk *out, struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q,
			     "SELECT s.area_path, s.active, s.area_id, (SELECT COUNT(*) FROM "
			     "site_registrars sr WHERE sr.site_id = s.id AND sr.user_id = ?) "
			     "FROM sites s WHERE s.id = ?",
			     err);

	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, user_id);
	fk_q_bind_i64(q, 2, site_id);
	rc = fk_q_step(q, err);
	if (rc > 0) {
		fk_copy_text(out->path, sizeof(out->path), fk_q_text(q, 0));
		out->active = fk_q_i64(q, 1) != 0;
		out->area_id = fk_q_i64(q, 2);
		out->bound = fk_q_i64(q, 3) > 0;
	}
	fk_q_done(q);
	if (rc < 0)
		return rc;
	return rc == 0 ? fk_testing_site_not_found("site_id", err) : 0;
}
