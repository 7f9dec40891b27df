/* view: zones as the API shows them — a zone with its rule, people count, days remaining and
 * first screening due, its history; the list in the caller's scope; the people in a zone
 * (masked IDs, paged by id). The lift state reads the tubes module's results under the zone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/clock.h"
#include "base/id.h"
#include "base/mask.h"
#include "base/xmalloc.h"
#include "tubes/tubes.h"
#include "zones/internal.h"

int zn_lift_state(struct fk_db *db, const struct zn_zone *z, int64_t now, struct zn_lift *out,
		  struct fk_err *err)
{
	struct fk_policy_snap *s = fk_policy_snap(db);
	struct fk_tubes_area_results r;
	struct zn_days d;
	int rc;

	zn_days_from(s, &d);
	memset(out, 0, sizeof(*out));
	out->policy_version = fk_policy_snap_version(s);
	fk_policy_snap_release(s);
	out->days = zn_lift_days(&d, z->scheme, z->level, &out->to_kind);
	out->remaining = -1;
	if (out->days <= 0 || strcmp(z->status, "active") != 0)
		return 0;
	rc = fk_tubes_area_results(db, z->area_path, now, now, &r, err);
	if (rc < 0)
		return rc;
	out->count_start = zn_count_start(z->kind_since, r.last_positive_at);
	out->remaining = zn_days_remaining(out->count_start, out->days, now);
	out->due_at = out->count_start + out->days * ZN_DAY_MS;
	if (out->remaining > 0)
		return 0;
	rc = fk_tubes_area_results(db, z->area_path, zn_last_day_from(out->count_start, out->days),
				   now + 1, &r, err);
	out->due = rc == 0 && zn_proposal_due(out->count_start, out->days, now,
					      r.sampled > 0 && r.negative == r.sampled);
	return rc;
}

static json_t *rule_json(int level)
{
	struct fk_zone_rule r = {0};

	zn_rule_of(level, false, &r);
	return json_pack("{s:b, s:b, s:b, s:b}", "single_tube", r.single_tube, "door_to_door",
			 r.door_to_door, "stay_home", r.stay_home, "no_entry", r.no_entry);
}

static json_t *opt_str(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static json_t *base_json(const struct zn_zone *z, int64_t people, const struct zn_days *d)
{
	return json_pack(
	    "{s:o, s:{s:o, s:s, s:s, s:s, s:s}, s:s, s:s, s:i, s:I, s:s, s:s, s:o, s:o, s:o, s:o, "
	    "s:o, s:o, s:I, s:o, s:o}",
	    "id", fk_json_idv(z->id), "area", "id", fk_json_idv(z->area_id), "name", z->area_name,
	    "code", z->area_code, "kind", z->area_kind, "path", z->area_path, "kind", z->kind,
	    "kind_zh", zn_kind_zh(z->kind), "level", z->level, "scheme", (json_int_t)z->scheme,
	    "status", z->status, "reason", z->reason, "source_tube_code",
	    opt_str(z->source_tube_code), "case_ref", opt_str(z->case_ref), "started_at",
	    fk_json_timev(z->started_at), "kind_since", fk_json_timev(z->kind_since), "lifted_at",
	    fk_json_timev(z->lifted_at), "rule", rule_json(z->level), "people", (json_int_t)people,
	    "first_screening_due",
	    fk_json_timev(zn_first_screening_due(d, z->level, z->started_at)), "created_by",
	    fk_json_idv(z->created_by));
}

static void lift_json(json_t *o, const struct zn_lift *l)
{
	json_object_set_new(o, "days_remaining",
			    l->remaining < 0 ? json_null() : json_integer(l->remaining));
	json_object_set_new(o, "lift_due_at", fk_json_timev(l->remaining < 0 ? 0 : l->due_at));
	json_object_set_new(o, "next_kind",
			    l->days > 0 ? opt_str(l->to_kind ? l->to_kind : "lifted")
					: json_null());
	json_object_set_new(o, "lift_days", json_integer(l->days));
}

static int history_json(struct fk_db *db, int64_t zone_id, json_t *items, struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q,
			     "SELECT id, action, COALESCE(kind, ''), COALESCE(from_kind, ''), "
			     "COALESCE(reason, ''), proposal_id, by_user, by_name, policy_version, "
			     "at FROM zone_events WHERE zone_id = ? ORDER BY at, id",
			     err);

	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, zone_id);
	while ((rc = fk_q_step(q, err)) > 0)
		json_array_append_new(
		    items,
		    json_pack("{s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:s, s:I, s:o}", "id",
			      fk_json_idv(fk_q_i64(q, 0)), "action", fk_q_text(q, 1), "kind",
			      opt_str(fk_q_text(q, 2)), "from_kind", opt_str(fk_q_text(q, 3)),
			      "reason", opt_str(fk_q_text(q, 4)), "proposal_id",
			      fk_q_i64(q, 5) ? fk_json_idv(fk_q_i64(q, 5)) : json_null(), "by_user",
			      fk_q_i64(q, 6) ? fk_json_idv(fk_q_i64(q, 6)) : json_null(), "by",
			      fk_q_text(q, 7), "policy_version", (json_int_t)fk_q_i64(q, 8), "at",
			      fk_json_timev(fk_q_i64(q, 9))));
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

static int add_history(struct fk_db *db, const struct zn_zone *z, json_t *o, struct fk_err *err)
{
	json_t *h = json_array(), *p = json_array();
	int rc = history_json(db, z->id, h, err);

	if (rc == 0)
		rc = zn_proposal_list(db, NULL, "pending", z->id, 50, p, err);
	json_object_set_new(o, "history", h);
	json_object_set_new(o, "proposals", p);
	return rc;
}

int zn_zone_json(struct fk_db *db, const struct zn_zone *z, bool history, json_t **out,
		 struct fk_err *err)
{
	struct fk_policy_snap *s = fk_policy_snap(db);
	struct zn_lift l;
	struct zn_days d;
	int64_t people = 0;
	int rc = fk_area_residents_count(db, z->area_path, &people, err);

	zn_days_from(s, &d);
	fk_policy_snap_release(s);
	if (rc == 0)
		rc = zn_lift_state(db, z, fk_now_ms(), &l, err);
	*out = NULL;
	if (rc < 0)
		return rc;
	*out = base_json(z, people, &d);
	lift_json(*out, &l);
	rc = history ? add_history(db, z, *out, err) : 0;
	if (rc < 0) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

/* ---- lists ---- */

int zn_zone_list(struct fk_db *db, const struct fk_principal *who, const struct zn_list_query *f,
		 json_t *items, struct fk_err *err)
{
	const struct fk_scoped_query sq = {
	    .head = "SELECT " ZN_ZONE_COLS " FROM zones z JOIN areas a ON a.id = z.area_id "
		    "WHERE (? = '' OR z.kind = ?) AND (? = '' OR z.status = ?) AND ",
	    .nhead = 4,
	    .col = "z.area_path",
	    .under = f->under ? f->under->path : NULL,
	    .tail = " ORDER BY z.id DESC LIMIT ?"};
	struct zn_zone *z = fk_xcalloc((size_t)f->limit, sizeof(*z));
	struct fk_q *q;
	int i, n = 0, rc = fk_scoped_query(db, who, &sq, &q, &i, err);

	if (rc == 0) {
		fk_q_bind_text(q, 1, f->kind ? f->kind : "");
		fk_q_bind_text(q, 2, f->kind ? f->kind : "");
		fk_q_bind_text(q, 3, f->status ? f->status : "");
		fk_q_bind_text(q, 4, f->status ? f->status : "");
		fk_q_bind_i64(q, i, f->limit);
		while (n < f->limit && (rc = fk_q_step(q, err)) > 0)
			zn_zone_row(q, &z[n++]);
		fk_q_done(q);
	}
	for (int k = 0; rc >= 0 && k < n; k++) {
		json_t *o;
		rc = zn_zone_json(db, &z[k], false, &o, err);
		if (rc == 0)
			json_array_append_new(items, o);
	}
	free(z);
	return rc < 0 ? rc : 0;
}

/* ---- the people in a zone ---- */

static json_t *person_json(const struct fk_principal *who, struct fk_q *q)
{
	const char *id = fk_q_text(q, 2);
	char masked[48];

	if (!who->see_id)
		fk_mask_id(id, masked, sizeof(masked));
	return json_pack("{s:o, s:s, s:s, s:b, s:o, s:o, s:s}", "id", fk_json_idv(fk_q_i64(q, 0)),
			 "name", fk_q_text(q, 1), "id_number", who->see_id ? id : masked, "masked",
			 !who->see_id, "household", opt_str(fk_q_text(q, 3)), "area_id",
			 fk_json_idv(fk_q_i64(q, 4)), "area_name", fk_q_text(q, 5));
}

int zn_zone_people(struct fk_db *db, const struct fk_principal *who, const struct zn_zone *z,
		   const char *after, int limit, json_t *items, char *next, size_t nsize,
		   struct fk_err *err)
{
	/* The page's ids come from the area index alone (area_path, name, id), so a page costs
	 * a walk of the zone's index entries, not a read of every row of the zone; only the
	 * page's rows are read. "+id" keeps SQLite off the primary key: with the cursor unknown
	 * when the statement is prepared, it would walk the table by id from the cursor until it
	 * met the zone (a second for the first page of a grid in the middle of 10,000,000). */
	const struct fk_scoped_query sq = {
	    .head = "SELECT p.id, p.name, p.id_number, COALESCE(p.household, ''), p.area_id, "
		    "a.name FROM people p JOIN areas a ON a.id = p.area_id WHERE p.id IN (SELECT "
		    "id FROM people WHERE +id > ? AND ",
	    .nhead = 1,
	    .col = "area_path",
	    .under = z->area_path,
	    .tail = " ORDER BY id LIMIT ?) ORDER BY p.id"};
	int64_t from = 0, last = 0;
	struct fk_q *q;
	int i, n = 0, rc;

	next[0] = '\0';
	if (after && *after && !fk_id_parse(after, &from))
		return fk_err_set(err, FK_EINVAL, "invalid_cursor", "cursor", "cursor 无效",
				  "the cursor is not valid");
	rc = fk_scoped_query(db, who, &sq, &q, &i, err);
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, from);
	fk_q_bind_i64(q, i, limit + 1);
	while ((rc = fk_q_step(q, err)) > 0) {
		if (n++ == limit) {
			snprintf(next, nsize, "%lld", (long long)last);
			break;
		}
		last = fk_q_i64(q, 0);
		json_array_append_new(items, person_json(who, q));
	}
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}
