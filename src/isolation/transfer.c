/* transfer: transfers 转运 of a placed person from home to a facility — vehicle, escort, when
 * it left and arrived; the placement takes the facility at once and its room on arrival. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/buf.h"
#include "base/clock.h"
#include "base/id.h"
#include "base/xmalloc.h"
#include "isolation/internal.h"

/* One transfer at a time: a placement whose transfer has not arrived takes no second one. */
static int transfer_on_way(struct fk_db *db, int64_t placement_id, struct fk_err *err)
{
	int64_t on_way = 0;
	int rc = fk_db_one_i64(db, err, &on_way,
			       "SELECT COUNT(*) FROM transfers WHERE placement_id = ? AND "
			       "arrived_at IS NULL",
			       "i", placement_id);

	if (rc < 0)
		return rc;
	if (on_way)
		return fk_err_set(err, FK_ECONFLICT, "transfer_on_way", "placement_id",
				  "此人的转运尚未到达",
				  "the person's transfer has not arrived yet");
	return 0;
}

int is_transfer_add(struct fk_db *db, const struct fk_principal *who, struct is_placement *p,
		    const struct is_facility *f, const struct is_transfer_req *t, int64_t *id,
		    struct fk_err *err)
{
	int64_t now = fk_now_ms();
	int rc;

	if (strcmp(p->status, "active") != 0 && strcmp(p->status, "overdue") != 0)
		return fk_err_set(err, FK_ECONFLICT, "placement_closed", NULL, "隔离记录已%s",
				  "the placement is %s", p->status);
	if (!f->active)
		return is_facility_closed(f, err);
	if (strcmp(p->kind, "centralised") != 0)
		return fk_err_set(err, FK_EUNPROC, "home_has_no_facility", "facility_id",
				  "居家隔离或监测不转运",
				  "home isolation and monitoring take no transfer");
	if (p->room_id && p->facility_id != f->id)
		return fk_err_set(err, FK_ECONFLICT, "room_elsewhere", "facility_id",
				  "此人已安排在另一隔离场所的房间",
				  "the person has a room in another facility");
	rc = transfer_on_way(db, p->id, err);
	if (rc < 0)
		return rc;
	*id = fk_id_next();
	rc =
	    fk_db_write(db, err,
			"INSERT INTO transfers (id, placement_id, area_path, facility_id, vehicle, "
			"escort, departed_at, arrived_at, created_by, created_at) VALUES (?, ?, ?, "
			"?, ?, ?, ?, NULL, ?, ?)",
			"iitittiii", *id, p->id, p->area_path, f->id, t->vehicle, t->escort,
			t->departed_at ? t->departed_at : now, who ? who->user_id : 0, now);
	if (rc == 0)
		rc = fk_db_write(
		    db, err, "UPDATE placements SET facility_id = ?, updated_at = ? WHERE id = ?",
		    "iii", f->id, now, p->id);
	p->facility_id = f->id;
	if (rc == 0)
		is_event(db, p, "transferred");
	return rc;
}

#define TR_COLS                                                                                    \
	"t.id, t.placement_id, t.area_path, t.facility_id, f.name, t.vehicle, t.escort, "          \
	"t.departed_at, t.arrived_at, t.created_at, p.id, p.name FROM transfers t JOIN "           \
	"facilities f ON f.id = t.facility_id JOIN placements pl ON pl.id = t.placement_id JOIN "  \
	"people p ON p.id = pl.person_id"

static json_t *tr_json(struct fk_q *q)
{
	return json_pack("{s:o, s:o, s:o, s:s, s:s, s:s, s:o, s:o, s:o, s:{s:o, s:s}}", "id",
			 fk_json_idv(fk_q_i64(q, 0)), "placement_id", fk_json_idv(fk_q_i64(q, 1)),
			 "facility_id", fk_json_idv(fk_q_i64(q, 3)), "facility_name",
			 fk_q_text(q, 4), "vehicle", fk_q_text(q, 5), "escort", fk_q_text(q, 6),
			 "departed_at", fk_json_timev(fk_q_i64(q, 7)), "arrived_at",
			 fk_json_timev(fk_q_i64(q, 8)), "created_at", fk_json_timev(fk_q_i64(q, 9)),
			 "person", "id", fk_json_idv(fk_q_i64(q, 10)), "name", fk_q_text(q, 11));
}

int is_transfer_get(struct fk_db *db, const struct fk_principal *who, int64_t id, json_t **out,
		    struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q, "SELECT " TR_COLS " WHERE t.id = ?", err);

	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, id);
	rc = fk_q_step(q, err);
	if (rc > 0 && (!who || fk_scope_covers(who, fk_q_text(q, 2))))
		*out = tr_json(q);
	else if (rc > 0)
		rc = 0;
	fk_q_done(q);
	if (rc == 0)
		return fk_err_set(err, FK_ENOTFOUND, "transfer_not_found", NULL, "转运记录不存在",
				  "the transfer does not exist");
	return rc < 0 ? rc : 0;
}

int is_transfer_arrive(struct fk_db *db, const struct fk_principal *who, int64_t id,
		       int64_t room_id, json_t **out, struct fk_err *err)
{
	struct is_placement *p = fk_xcalloc(1, sizeof(*p));
	struct is_room r;
	json_t *t = NULL;
	int rc = is_transfer_get(db, who, id, &t, err);

	if (rc == 0 && !json_is_null(json_object_get(t, "arrived_at")))
		rc = fk_err_set(err, FK_ECONFLICT, "transfer_arrived", NULL, "转运已到达",
				"the transfer has arrived");
	if (rc == 0)
		rc = is_placement_get(db, NULL, fk_json_id(t, "placement_id"), p, err);
	if (rc == 0 && room_id) {
		rc = is_room_get(db, who, room_id, "room_id", &r, err);
		if (rc == 0)
			rc = is_set_room(db, p, &r, err);
	}
	if (rc == 0)
		rc = fk_db_write(db, err, "UPDATE transfers SET arrived_at = ? WHERE id = ?", "ii",
				 fk_now_ms(), id);
	json_decref(t);
	free(p);
	return rc < 0 ? rc : is_transfer_get(db, who, id, out, err);
}

int is_transfer_list(struct fk_db *db, const struct fk_principal *who, int64_t facility_id,
		     const char *day, json_t *items, struct fk_err *err)
{
	const struct fk_scoped_query sq = {
	    .head = "SELECT " TR_COLS
		    " WHERE (CAST(? AS BIGINT) = 0 OR t.facility_id = ?) AND ((t.departed_at >= ? "
		    "AND t.departed_at < ?) OR (t.arrived_at IS NULL AND t.departed_at < ?)) AND ",
	    .nhead = 5,
	    .col = "t.area_path",
	    .tail = " ORDER BY t.id DESC LIMIT 1000"};
	int64_t from = 0, to = INT64_MAX;
	struct fk_q *q;
	int i, rc;

	if (day) {
		from = (is_day_diff(day, "1970-01-01") * 86400 - 8 * 3600) * 1000;
		to = from + 86400 * 1000;
	}
	rc = fk_scoped_query(db, who, &sq, &q, &i, err);
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, facility_id);
	fk_q_bind_i64(q, 2, facility_id);
	fk_q_bind_i64(q, 3, from);
	fk_q_bind_i64(q, 4, to);
	fk_q_bind_i64(q, 5, to);
	while ((rc = fk_q_step(q, err)) > 0)
		json_array_append_new(items, tr_json(q));
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}
