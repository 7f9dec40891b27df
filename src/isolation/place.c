/* place: a person placed for a reason — one placement per stage of the reason's policy, the
 * later following the earlier, with their test days, in one transaction; a contact of a case
 * placed in one step (contact.c). Placements of one person never overlap and a room never
 * holds more than its capacity, both checked under row locks (lock.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/buf.h"
#include "base/clock.h"
#include "base/id.h"
#include "base/xmalloc.h"
#include "people/people.h"
#include "isolation/internal.h"

int is_person_free(struct fk_db *db, int64_t person_id, const char *start, const char *end,
		   int64_t except, const char *field, struct fk_err *err)
{
	char other[IS_DAY] = "";
	struct fk_q *q;
	int rc = is_lock(db, "person", person_id, err);

	if (rc == 0)
		rc =
		    fk_db_query(db, &q,
				"SELECT start_day FROM placements WHERE person_id = ? AND id <> ? "
				"AND status <> 'cancelled' AND start_day < ? AND end_day > ? ORDER "
				"BY start_day LIMIT 1",
				err);
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, person_id);
	fk_q_bind_i64(q, 2, except);
	fk_q_bind_text(q, 3, end);
	fk_q_bind_text(q, 4, start);
	rc = fk_q_step(q, err);
	if (rc > 0)
		fk_copy_text(other, sizeof(other), fk_q_text(q, 0));
	fk_q_done(q);
	if (rc <= 0)
		return rc;
	return fk_err_set(err, FK_ECONFLICT, "placement_overlap", field,
			  "此人已有从 %s 起的隔离管控，时间重叠",
			  "the person has a placement from %s that overlaps", other);
}

/* The request's checks that need no store. */
static int place_check(const struct is_place_req *r, struct fk_err *err)
{
	if (!is_reason_valid(r->reason))
		return fk_err_set(err, FK_EINVAL, "invalid_reason", "reason",
				  "原因须为 close_contact、secondary_contact、inbound、"
				  "high_risk_arrival、medium_risk_arrival、positive_pool 或 other",
				  "reason must be close_contact, secondary_contact, inbound, "
				  "high_risk_arrival, medium_risk_arrival, positive_pool or other");
	if (r->kind && !is_kind_valid(r->kind))
		return fk_err_set(err, FK_EINVAL, "invalid_kind", "kind",
				  "类型须为 centralised、home_isolation 或 home_monitoring",
				  "kind must be centralised, home_isolation or home_monitoring");
	if (r->start_day && !is_day_valid(r->start_day))
		return fk_err_set(err, FK_EINVAL, "invalid_day", "start_day",
				  "start_day 须为 YYYY-MM-DD", "start_day must be YYYY-MM-DD");
	return 0;
}

/* The person in who's scope: its home area path, or 404 naming person_id as a missing one. */
static int place_person(struct fk_db *db, const struct fk_principal *who, int64_t id,
			char path[FK_AREA_PATH_MAX], struct fk_err *err)
{
	struct fk_person *p = fk_xcalloc(1, sizeof(*p));
	int rc = fk_person_get(db, who, id, p, err);

	if (rc == 0)
		fk_copy_text(path, FK_AREA_PATH_MAX, p->area_path);
	free(p);
	if (rc == FK_ENOTFOUND)
		return fk_err_set(err, FK_ENOTFOUND, "person_not_found", "person_id", "人员不存在",
				  "the person does not exist");
	return rc;
}

/* Facility and room of the first stage, which must be centralised. */
static int place_where(struct fk_db *db, const struct fk_principal *who,
		       const struct is_place_req *r, const struct is_stage *first,
		       struct is_room *room, int64_t *facility_id, struct fk_err *err)
{
	struct is_facility f;
	int rc = 0;

	*facility_id = r->facility_id;
	if ((r->facility_id || r->room_id) && strcmp(first->kind, "centralised") != 0)
		return fk_err_set(err, FK_EUNPROC, "home_has_no_facility",
				  r->room_id ? "room_id" : "facility_id",
				  "居家隔离或监测不安排隔离场所",
				  "home isolation and monitoring take no facility");
	if (r->facility_id)
		rc = is_facility_get(db, who, r->facility_id, "facility_id", &f, err);
	if (rc == 0 && r->facility_id && !f.active)
		rc = is_facility_closed(&f, err);
	if (rc == 0 && r->room_id)
		rc = is_room_get(db, who, r->room_id, "room_id", room, err);
	if (rc < 0 || !r->room_id)
		return rc;
	if (r->facility_id && room->facility_id != r->facility_id)
		return fk_err_set(err, FK_EUNPROC, "room_elsewhere", "room_id",
				  "房间不属于该隔离场所", "the room is not in that facility");
	*facility_id = room->facility_id;
	return 0;
}

/* An id column: NULL for 0. */
#define NZ "NULLIF(CAST(? AS BIGINT), 0)"

static json_t *days_json(const struct is_stage *s)
{
	json_t *a = json_array();

	for (int i = 0; i < s->ntests; i++)
		json_array_append_new(a, json_integer(s->test_days[i]));
	return a;
}

struct place_ctx {
	const struct fk_principal *who;
	const struct is_place_req *r;
	char path[FK_AREA_PATH_MAX];
	int64_t case_id, facility_id, policy_version;
	struct is_room room;
};

/* Writes one stage's placement p and its tests. */
static int stage_write(struct fk_db *db, const struct place_ctx *c, struct is_placement *p,
		       const struct is_stage *s, struct fk_err *err)
{
	int64_t now = fk_now_ms();
	json_t *days = days_json(s);
	char *text = json_dumps(days, JSON_COMPACT);
	int rc;

	fk_copy_text(p->test_days, sizeof(p->test_days), text);
	free(text);
	json_decref(days);
	rc = fk_db_write(
	    db, err,
	    "INSERT INTO placements (id, person_id, area_path, kind, reason, contact_id, "
	    "case_id, follows_id, facility_id, room_id, start_day, end_day, test_days, "
	    "status, policy_version, created_by, created_at, updated_at) VALUES (?, ?, "
	    "?, ?, ?, " NZ ", " NZ ", " NZ ", " NZ ", " NZ ", ?, ?, ?, 'active', ?, ?, "
	    "?, ?)",
	    "iitttiiiiitttiiii", p->id, p->person_id, p->area_path, p->kind, p->reason,
	    p->contact_id, p->case_id, p->follows_id, p->facility_id, p->room_id, p->start_day,
	    p->end_day, p->test_days, p->policy_version, c->who ? c->who->user_id : 0, now, now);
	if (rc == 0)
		rc = is_tests_plan(db, p, s, err);
	fk_copy_text(p->status, sizeof(p->status), "active");
	if (rc == 0)
		is_event(db, p, "placed");
	return rc;
}

/* The stages from the policy of the reason, with its version. */
static int place_plan(struct fk_db *db, const struct is_place_req *r, struct is_plan *plan,
		      int64_t *version, struct fk_err *err)
{
	json_t *policy = fk_policy_get(db, is_reason_policy(r->reason), version);
	int rc = is_plan_from(policy, r->kind, plan, err);

	json_decref(policy);
	return rc;
}

static int place_stages(struct fk_db *db, struct place_ctx *c, const struct is_plan *plan,
			const char *start, int64_t ids[IS_STAGES_MAX], struct fk_err *err)
{
	struct is_placement *p = fk_xcalloc(1, sizeof(*p));
	char from[IS_DAY];
	int rc = 0;

	fk_copy_text(from, sizeof(from), start);
	for (int i = 0; rc == 0 && i < plan->n; i++) {
		const struct is_stage *s = &plan->st[i];
		*p = (struct is_placement){.id = fk_id_next(),
					   .person_id = c->r->person_id,
					   .contact_id = c->r->contact_id,
					   .case_id = c->case_id,
					   .follows_id = i ? ids[i - 1] : 0,
					   .facility_id = i ? 0 : c->facility_id,
					   .room_id = i ? 0 : c->room.id,
					   .policy_version = c->policy_version};
		fk_copy_text(p->start_day, sizeof(p->start_day), from);
		is_day_add(p->start_day, s->days, p->end_day);
		fk_copy_text(from, sizeof(from), p->end_day);
		fk_copy_text(p->area_path, sizeof(p->area_path), c->path);
		fk_copy_text(p->kind, sizeof(p->kind), s->kind);
		fk_copy_text(p->reason, sizeof(p->reason), c->r->reason);
		if (i == 0 && c->room.id)
			rc = is_room_take(db, &c->room, p->start_day, p->end_day, 0, err);
		if (rc == 0)
			rc = stage_write(db, c, p, s, err);
		ids[i] = p->id;
	}
	free(p);
	return rc;
}

static int64_t plan_days(const struct is_plan *plan)
{
	int64_t n = 0;

	for (int i = 0; i < plan->n; i++)
		n += plan->st[i].days;
	return n;
}

int is_place(struct fk_db *db, const struct fk_principal *who, const struct is_place_req *req,
	     int64_t ids[IS_STAGES_MAX], int *n, struct fk_err *err)
{
	struct place_ctx c = {.who = who};
	struct is_place_req r = *req;
	struct is_plan plan;
	char start[IS_DAY], end[IS_DAY];
	int rc = r.contact_id ? is_contact_take(db, who, &r, &c.case_id, err) : 0;

	c.r = &r;
	*n = 0;
	if (rc == 0)
		rc = place_check(&r, err);
	if (rc == 0)
		rc = place_person(db, who, r.person_id, c.path, err);
	if (rc == 0)
		rc = place_plan(db, &r, &plan, &c.policy_version, err);
	if (rc == 0)
		rc = place_where(db, who, &r, &plan.st[0], &c.room, &c.facility_id, err);
	if (rc < 0)
		return rc;
	if (r.start_day)
		fk_copy_text(start, sizeof(start), r.start_day);
	else
		is_day_today(start);
	is_day_add(start, plan_days(&plan), end);
	rc = is_person_free(db, r.person_id, start, end, 0, "start_day", err);
	if (rc == 0)
		rc = place_stages(db, &c, &plan, start, ids, err);
	if (rc == 0 && r.contact_id)
		rc = is_contact_placed(db, r.contact_id, ids[0], err);
	if (rc == 0)
		*n = plan.n;
	return rc;
}
