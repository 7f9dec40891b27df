/* change: a placement's changes after it is made — its end day moved with a reason (extended
 * or shortened), its release (by the job on the day, or by hand), its room — and the live
 * event each placement, transfer and release raises. An end day never comes before the start
 * nor runs into the person's next placement. */
#include <string.h>
#include "base/buf.h"
#include "base/clock.h"
#include "base/json.h"
#include "events/events.h"
#include "isolation/internal.h"

void is_event(struct fk_db *db, const struct is_placement *p, const char *action)
{
	fk_events_publish_after(
	    db, "placement", p->area_path,
	    json_pack("{s:o, s:s, s:s, s:s, s:o}", "placement_id", fk_json_idv(p->id), "action",
		      action, "kind", p->kind, "status", p->status, "facility_id",
		      p->facility_id ? fk_json_idv(p->facility_id) : json_null()));
}

static bool is_open(const struct is_placement *p)
{
	return strcmp(p->status, "active") == 0 || strcmp(p->status, "overdue") == 0;
}

static int closed(const struct is_placement *p, struct fk_err *err)
{
	return fk_err_set(err, FK_ECONFLICT, "placement_closed", NULL, "隔离记录已%s",
			  "the placement is %s", p->status);
}

/* The checks of a new end day: its form, an open placement, after the start, the person's
 * other placements and the room's capacity over the new days (under their locks). */
static int end_day_check(struct fk_db *db, const struct is_placement *p, const char *end_day,
			 struct fk_err *err)
{
	struct is_room r;
	int rc;

	if (!is_day_valid(end_day))
		return fk_err_set(err, FK_EINVAL, "invalid_day", "end_day",
				  "end_day 须为 YYYY-MM-DD", "end_day must be YYYY-MM-DD");
	if (!is_open(p))
		return closed(p, err);
	if (strcmp(end_day, p->start_day) <= 0)
		return fk_err_set(err, FK_EUNPROC, "end_before_start", "end_day",
				  "解除日须在开始日 %s 之后",
				  "the end day must come after the start %s", p->start_day);
	rc = is_person_free(db, p->person_id, p->start_day, end_day, p->id, "end_day", err);
	if (rc < 0 || !p->room_id || strcmp(end_day, p->end_day) <= 0)
		return rc;
	rc = is_room_get(db, NULL, p->room_id, "room_id", &r, err);
	r.active = true; /* a room taken out of use keeps the people already in it */
	return rc < 0 ? rc : is_room_take(db, &r, p->start_day, end_day, p->id, err);
}

int is_end_day(struct fk_db *db, struct is_placement *p, const char *end_day, struct fk_err *err)
{
	char today[IS_DAY];
	int rc = end_day_check(db, p, end_day, err);

	if (rc < 0)
		return rc;
	is_day_today(today);
	fk_copy_text(p->end_day, sizeof(p->end_day), end_day);
	if (strcmp(p->status, "overdue") == 0 && strcmp(end_day, today) > 0)
		fk_copy_text(p->status, sizeof(p->status), "active");
	rc = fk_db_write(
	    db, err, "UPDATE placements SET end_day = ?, status = ?, updated_at = ? WHERE id = ?",
	    "ttii", p->end_day, p->status, fk_now_ms(), p->id);
	if (rc == 0)
		rc =
		    fk_db_write(db, err,
				"DELETE FROM placement_tests WHERE placement_id = ? AND due_day >= "
				"? AND status = 'due'",
				"it", p->id, p->end_day);
	return rc;
}

int is_release(struct fk_db *db, struct is_placement *p, int64_t user_id, struct fk_err *err)
{
	char today[IS_DAY];
	int64_t now = fk_now_ms();
	int rc;

	if (!is_open(p))
		return closed(p, err);
	is_day_today(today);
	if (strcmp(today, p->start_day) < 0)
		return fk_err_set(err, FK_EUNPROC, "release_before_start", "start_day",
				  "开始日 %s 之前不能解除",
				  "it cannot be released before its start %s", p->start_day);
	if (strcmp(today, p->end_day) < 0)
		fk_copy_text(p->end_day, sizeof(p->end_day), today);
	fk_copy_text(p->status, sizeof(p->status), "released");
	p->released_at = now;
	rc = fk_db_write(db, err,
			 "UPDATE placements SET status = 'released', end_day = ?, released_at = "
			 "?, released_by = ?, updated_at = ? WHERE id = ?",
			 "tiiii", p->end_day, now, user_id, now, p->id);
	if (rc == 0)
		is_event(db, p, "released");
	return rc;
}

int is_set_room(struct fk_db *db, struct is_placement *p, const struct is_room *r,
		struct fk_err *err)
{
	int rc;

	if (!is_open(p))
		return closed(p, err);
	if (strcmp(p->kind, "centralised") != 0)
		return fk_err_set(err, FK_EUNPROC, "home_has_no_facility", "room_id",
				  "居家隔离或监测不安排房间",
				  "home isolation and monitoring take no room");
	if (p->facility_id && p->facility_id != r->facility_id)
		return fk_err_set(err, FK_EUNPROC, "room_elsewhere", "room_id",
				  "房间不属于该隔离场所",
				  "the room is not in the placement's facility");
	rc = is_room_take(db, r, p->start_day, p->end_day, p->id, err);
	if (rc < 0)
		return rc;
	p->room_id = r->id;
	p->facility_id = r->facility_id;
	return fk_db_write(db, err,
			   "UPDATE placements SET room_id = ?, facility_id = ?, updated_at = ? "
			   "WHERE id = ?",
			   "iiii", r->id, r->facility_id, fk_now_ms(), p->id);
}
