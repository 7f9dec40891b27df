/* room: the rooms of a facility with their capacity, and the rule that a room never holds more
 * people than its capacity on any day (checked under the room's lock). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/buf.h"
#include "base/clock.h"
#include "base/id.h"
#include "base/utf8.h"
#include "isolation/internal.h"

#define IS_ROOMS_MAX 500 /* in one request */
#define IS_CAP_MAX   20	 /* people in one room */

static int room_bad(int i, const char *what, struct fk_err *err)
{
	char field[40];

	snprintf(field, sizeof(field), "rooms[%d].%s", i, what);
	if (strcmp(what, "number") == 0)
		return fk_err_set(err, FK_EINVAL, "invalid_number", field,
				  "房间号须为 1 到 16 个字符",
				  "a room number is 1 to 16 characters");
	return fk_err_set(err, FK_EINVAL, "invalid_capacity", field, "容量须为 1 到 20 的整数",
			  "capacity must be an integer from 1 to 20");
}

static int room_add(struct fk_db *db, int64_t facility_id, json_t *o, int i, struct is_room *r,
		    struct fk_err *err)
{
	const char *number = json_string_value(json_object_get(o, "number"));
	json_t *cap = json_object_get(o, "capacity");
	int rc;

	if (!number || !*number || fk_utf8_chars(number) > 16)
		return room_bad(i, "number", err);
	if (!json_is_integer(cap) || json_integer_value(cap) < 1 ||
	    json_integer_value(cap) > IS_CAP_MAX)
		return room_bad(i, "capacity", err);
	*r = (struct is_room){.id = fk_id_next(),
			      .facility_id = facility_id,
			      .capacity = json_integer_value(cap),
			      .active = true};
	fk_copy_text(r->number, sizeof(r->number), number);
	rc = fk_db_write(db, err,
			 "INSERT INTO rooms (id, facility_id, number, capacity, active) VALUES "
			 "(?, ?, ?, ?, 1)",
			 "iiti", r->id, facility_id, r->number, r->capacity);
	if (rc == FK_ECONFLICT)
		return fk_err_set(err, FK_ECONFLICT, "room_taken", "rooms", "房间 %s 已存在",
				  "room %s already exists", r->number);
	return rc;
}

int is_rooms_add(struct fk_db *db, const struct is_facility *f, json_t *rooms, json_t *items,
		 struct fk_err *err)
{
	json_t *o;
	size_t i;

	if (!json_array_size(rooms) || json_array_size(rooms) > IS_ROOMS_MAX)
		return fk_err_set(err, FK_EINVAL, "invalid_rooms", "rooms",
				  "须给出 1 到 500 个房间", "give 1 to 500 rooms");
	json_array_foreach(rooms, i, o)
	{
		struct is_room r;
		int rc = json_is_object(o) ? room_add(db, f->id, o, (int)i, &r, err)
					   : room_bad((int)i, "number", err);
		if (rc < 0)
			return rc;
		json_array_append_new(items, is_room_json(&r));
	}
	return 0;
}

json_t *is_room_json(const struct is_room *r)
{
	return json_pack("{s:o, s:o, s:s, s:I, s:b}", "id", fk_json_idv(r->id), "facility_id",
			 fk_json_idv(r->facility_id), "number", r->number, "capacity",
			 (json_int_t)r->capacity, "active", r->active);
}

int is_room_get(struct fk_db *db, const struct fk_principal *who, int64_t id, const char *field,
		struct is_room *out, struct fk_err *err)
{
	struct is_facility f;
	struct fk_q *q;
	int rc = fk_db_query(
	    db, &q, "SELECT id, facility_id, number, capacity, active FROM rooms WHERE id = ?",
	    err);

	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, id);
	rc = fk_q_step(q, err);
	if (rc > 0) {
		*out = (struct is_room){.id = fk_q_i64(q, 0),
					.facility_id = fk_q_i64(q, 1),
					.capacity = fk_q_i64(q, 3),
					.active = fk_q_i64(q, 4) != 0};
		fk_copy_text(out->number, sizeof(out->number), fk_q_text(q, 2));
	}
	fk_q_done(q);
	if (rc > 0)
		rc = is_facility_get(db, who, out->facility_id, field, &f, err) < 0 ? 0 : 1;
	if (rc < 0)
		return rc;
	return rc == 0 ? fk_err_set(err, FK_ENOTFOUND, "room_not_found", field, "房间不存在",
				    "the room does not exist")
		       : 0;
}

/* Placements in room r over [start, end): the most any day of it holds is at most this. */
static int room_count(struct fk_db *db, int64_t room_id, const char *start, const char *end,
		      int64_t except, int64_t *n, struct fk_err *err)
{
	int rc = fk_db_one_i64(db, err, n,
			       "SELECT COUNT(*) FROM placements WHERE room_id = ? AND id <> ? AND "
			       "status IN ('active', 'overdue') AND start_day < ? AND end_day > ?",
			       "iitt", room_id, except, end, start);

	return rc < 0 ? rc : 0;
}

int is_room_take(struct fk_db *db, const struct is_room *r, const char *start, const char *end,
		 int64_t except, struct fk_err *err)
{
	int64_t n = 0;
	int rc = is_lock(db, "room", r->id, err);

	if (rc == 0)
		rc = room_count(db, r->id, start, end, except, &n, err);
	if (rc < 0)
		return rc;
	if (!r->active)
		return fk_err_set(err, FK_ECONFLICT, "room_inactive", "room_id", "房间 %s 已停用",
				  "room %s is not in use", r->number);
	if (n >= r->capacity)
		return fk_err_set(err, FK_ECONFLICT, "room_full", "room_id",
				  "房间 %s 已满（容量 %lld）", "room %s is full (capacity %lld)",
				  r->number, (long long)r->capacity);
	return 0;
}

int is_room_update(struct fk_db *db, struct is_room *r, int64_t capacity, int active,
		   struct fk_err *err)
{
	char today[IS_DAY];
	int64_t n = 0;
	int rc = is_lock(db, "room", r->id, err);

	is_day_today(today);
	if (rc == 0)
		rc = room_count(db, r->id, today, "9999-12-31", 0, &n, err);
	if (rc < 0)
		return rc;
	if (capacity >= 0 && (capacity < 1 || capacity > IS_CAP_MAX))
		return fk_err_set(err, FK_EINVAL, "invalid_capacity", "capacity",
				  "容量须为 1 到 20 的整数",
				  "capacity must be an integer from 1 to 20");
	if (capacity >= 0 && capacity < n)
		return fk_err_set(err, FK_ECONFLICT, "room_occupied", "capacity",
				  "房间现有及将入住 %lld 人，容量不能更小",
				  "the room holds %lld people now or to come: capacity cannot be "
				  "less",
				  (long long)n);
	if (capacity >= 0)
		r->capacity = capacity;
	if (active >= 0)
		r->active = active != 0;
	return fk_db_write(db, err, "UPDATE rooms SET capacity = ?, active = ? WHERE id = ?", "iii",
			   r->capacity, (int64_t)r->active, r->id);
}

static json_t *occupant_json(struct fk_q *q)
{
	return json_pack("{s:o, s:{s:o, s:s}, s:s, s:s, s:s}", "placement_id",
			 fk_json_idv(fk_q_i64(q, 0)), "person", "id", fk_json_idv(fk_q_i64(q, 1)),
			 "name", fk_q_text(q, 2), "start_day", fk_q_text(q, 3), "end_day",
			 fk_q_text(q, 4), "status", fk_q_text(q, 5));
}

/* The occupants of room r on day that who may see: placements over it, and overdue ones
 * still in; *occupied counts them all, seen or not (a count names no one, and the free beds
 * a worker is shown must be true). */
static int room_occupants(struct fk_db *db, const struct fk_principal *who, int64_t room_id,
			  const char *day, json_t *out, int64_t *occupied, struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(
	    db, &q,
	    "SELECT pl.id, pl.person_id, p.name, pl.start_day, pl.end_day, "
	    "pl.status, pl.area_path FROM placements pl JOIN people p ON p.id = pl.person_id "
	    "WHERE pl.room_id = ? AND (pl.status = 'overdue' OR (pl.status = "
	    "'active' AND pl.start_day <= ? AND pl.end_day > ?)) ORDER BY pl.id",
	    err);

	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, room_id);
	fk_q_bind_text(q, 2, day);
	fk_q_bind_text(q, 3, day);
	*occupied = 0;
	while ((rc = fk_q_step(q, err)) > 0) {
		(*occupied)++;
		if (fk_scope_covers(who, fk_q_text(q, 6)))
			json_array_append_new(out, occupant_json(q));
	}
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

static void room_row(struct fk_q *q, void *rec)
{
	struct is_room *r = rec;

	*r = (struct is_room){.id = fk_q_i64(q, 0),
			      .facility_id = fk_q_i64(q, 1),
			      .capacity = fk_q_i64(q, 3),
			      .active = fk_q_i64(q, 4) != 0};
	fk_copy_text(r->number, sizeof(r->number), fk_q_text(q, 2));
}

int is_rooms_board(struct fk_db *db, const struct fk_principal *who, int64_t facility_id,
		   const char *day, json_t *rooms, struct fk_err *err)
{
	struct is_room *l;
	void *rows = NULL;
	struct fk_q *q;
	int n = 0, rc = fk_db_query(db, &q,
				    "SELECT id, facility_id, number, capacity, active FROM rooms "
				    "WHERE facility_id = ? ORDER BY number",
				    err);

	if (rc == 0) {
		fk_q_bind_i64(q, 1, facility_id);
		rc = fk_q_collect(q, sizeof(*l), room_row, &rows, &n, err);
	}
	l = rows;
	for (int i = 0; rc == 0 && i < n; i++) {
		json_t *o = is_room_json(&l[i]), *occ = json_array();
		int64_t occupied = 0;
		rc = room_occupants(db, who, l[i].id, day, occ, &occupied, err);
		json_object_set_new(o, "occupants", occ);
		json_object_set_new(o, "occupied", json_integer(occupied));
		json_array_append_new(rooms, o);
	}
	free(l);
	return rc < 0 ? rc : 0;
}
