/* facility: isolation facilities 隔离场所 (hotels) — made and changed by the roles whose scope
 * holds their area; seen by those whose scope lies in or above it, since a district's hotel
 * takes the people of every community around it. */
#include <stdlib.h>
#include <string.h>
#include "base/buf.h"
#include "base/clock.h"
#include "base/id.h"
#include "base/utf8.h"
#include "isolation/internal.h"

#define FA_COLS                                                                                    \
	"f.id, f.area_id, f.area_path, a.name, f.name, f.address, f.phone, f.active FROM "         \
	"facilities f JOIN areas a ON a.id = f.area_id"

static void fa_row(struct fk_q *q, void *rec)
{
	struct is_facility *f = rec;

	f->id = fk_q_i64(q, 0);
	f->area_id = fk_q_i64(q, 1);
	fk_copy_text(f->area_path, sizeof(f->area_path), fk_q_text(q, 2));
	fk_copy_text(f->area_name, sizeof(f->area_name), fk_q_text(q, 3));
	fk_copy_text(f->name, sizeof(f->name), fk_q_text(q, 4));
	fk_copy_text(f->address, sizeof(f->address), fk_q_text(q, 5));
	fk_copy_text(f->phone, sizeof(f->phone), fk_q_text(q, 6));
	f->active = fk_q_i64(q, 7) != 0;
}

int is_facility_get(struct fk_db *db, const struct fk_principal *who, int64_t id, const char *field,
		    struct is_facility *out, struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q, "SELECT " FA_COLS " WHERE f.id = ?", err);

	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, id);
	rc = fk_q_step(q, err);
	if (rc > 0)
		fa_row(q, out);
	fk_q_done(q);
	if (rc < 0)
		return rc;
	if (rc == 0 || (who && !fk_scope_overlaps(who, out->area_path)))
		return fk_err_set(err, FK_ENOTFOUND, "facility_not_found", field, "隔离场所不存在",
				  "the isolation facility does not exist");
	return 0;
}

int is_facility_closed(const struct is_facility *f, struct fk_err *err)
{
	return fk_err_set(err, FK_ECONFLICT, "facility_inactive", "facility_id",
			  "隔离场所 %s 已停用", "the isolation facility %s is not in use", f->name);
}

static int fa_check(const struct is_facility *f, struct fk_err *err)
{
	if (!*f->name || fk_utf8_chars(f->name) > IS_TEXT_MAX)
		return fk_err_set(err, FK_EINVAL, "invalid_name", "name",
				  "名称须为 1 到 200 个字符", "name must be 1 to 200 characters");
	if (fk_utf8_chars(f->address) > IS_TEXT_MAX)
		return fk_err_set(err, FK_EINVAL, "invalid_address", "address",
				  "地址最多 200 个字符", "address is at most 200 characters");
	return 0;
}

/* The facility's area: in who's scope, else "unknown_area" as a missing one. */
static int fa_area(struct fk_db *db, const struct fk_principal *who, struct is_facility *f,
		   struct fk_err *err)
{
	struct fk_area a = {0};
	int rc = fk_area_get(db, f->area_id, &a, err);

	if (rc == 0 && who && !fk_scope_covers(who, a.path))
		rc = FK_ENOTFOUND;
	if (rc == 0) {
		fk_copy_text(f->area_path, sizeof(f->area_path), a.path);
		fk_copy_text(f->area_name, sizeof(f->area_name), a.name);
	}
	fk_area_release(&a);
	if (rc == FK_ENOTFOUND)
		return fk_err_set(err, FK_EINVAL, "unknown_area", "area_id", "区域 %lld 不存在",
				  "area %lld does not exist", (long long)f->area_id);
	return rc;
}

int is_facility_save(struct fk_db *db, const struct fk_principal *who, struct is_facility *f,
		     bool create, struct fk_err *err)
{
	int64_t now = fk_now_ms();
	int rc = fa_check(f, err);

	if (rc == 0)
		rc = fa_area(db, who, f, err);
	if (rc < 0)
		return rc;
	if (!create)
		return fk_db_write(
		    db, err,
		    "UPDATE facilities SET name = ?, area_id = ?, area_path = ?, "
		    "address = ?, phone = ?, active = ?, updated_at = ? WHERE id = ?",
		    "tittti"
		    "ii",
		    f->name, f->area_id, f->area_path, f->address, f->phone, (int64_t)f->active,
		    now, f->id);
	f->id = fk_id_next();
	return fk_db_write(db, err,
			   "INSERT INTO facilities (id, name, area_id, area_path, address, phone, "
			   "active, created_by, created_at, updated_at) VALUES "
			   "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			   "itittt"
			   "iiii",
			   f->id, f->name, f->area_id, f->area_path, f->address, f->phone,
			   (int64_t)f->active, who ? who->user_id : 0, now, now);
}

/* Capacity of the active rooms; placements under the facility today in a room (occupied) and
 * not yet in one (expected: on their way or waiting for a room). */
static int fa_counts(struct fk_db *db, int64_t id, int64_t *capacity, int64_t *occupied,
		     int64_t *expected, struct fk_err *err)
{
	char today[IS_DAY];
	struct fk_q *q;
	int rc = fk_db_one_i64(db, err, capacity,
			       "SELECT COALESCE(SUM(capacity), 0) FROM rooms WHERE facility_id = ? "
			       "AND active = 1",
			       "i", id);

	is_day_today(today);
	if (rc < 0 ||
	    (rc = fk_db_query(db, &q,
			      "SELECT COUNT(room_id), COUNT(*) - COUNT(room_id) FROM "
			      "placements WHERE facility_id = ? AND (status = 'overdue' OR "
			      "(status = 'active' AND start_day <= ? AND end_day > ?))",
			      err)) < 0)
		return rc;
	fk_q_bind_i64(q, 1, id);
	fk_q_bind_text(q, 2, today);
	fk_q_bind_text(q, 3, today);
	if ((rc = fk_q_step(q, err)) > 0) {
		*occupied = fk_q_i64(q, 0);
		*expected = fk_q_i64(q, 1);
	}
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

int is_facility_json(struct fk_db *db, const struct is_facility *f, json_t **out,
		     struct fk_err *err)
{
	int64_t capacity = 0, occupied = 0, expected = 0;
	int rc = fa_counts(db, f->id, &capacity, &occupied, &expected, err);

	if (rc < 0)
		return rc;
	*out = json_pack("{s:o, s:s, s:o, s:s, s:s, s:s, s:b, s:I, s:I, s:I}", "id",
			 fk_json_idv(f->id), "name", f->name, "area_id", fk_json_idv(f->area_id),
			 "area_name", f->area_name, "address", f->address, "phone", f->phone,
			 "active", f->active, "capacity", (json_int_t)capacity, "occupied",
			 (json_int_t)occupied, "expected", (json_int_t)expected);
	return 0;
}

int is_facility_list(struct fk_db *db, const struct fk_principal *who, json_t *items,
		     struct fk_err *err)
{
	struct is_facility *l;
	void *rows = NULL;
	struct fk_q *q;
	int n = 0,
	    rc = fk_db_query(db, &q, "SELECT " FA_COLS " ORDER BY f.name, f.id LIMIT 1000", err);

	if (rc == 0)
		rc = fk_q_collect(q, sizeof(*l), fa_row, &rows, &n, err);
	l = rows;
	for (int i = 0; rc == 0 && i < n; i++) {
		json_t *o;
		if (!fk_scope_overlaps(who, l[i].area_path))
			continue;
		rc = is_facility_json(db, &l[i], &o, err);
		if (rc == 0)
			json_array_append_new(items, o);
	}
	free(l);
	return rc < 0 ? rc : 0;
}
