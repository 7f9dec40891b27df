/* zone: drawing a zone, reading it, downgrading or lifting it, and its history. A zone lies
 * over one area in the caller's scope; its kind is of the scheme in force when drawn. Reads
 * join the area module's areas table for the area's name, code and kind (one read instead of
 * one per zone in a list). */
#include <stdio.h>
#include <string.h>
#include "base/clock.h"
#include "base/id.h"
#include "base/json.h"
#include "events/events.h"
#include "tubes/tubes.h"
#include "zones/internal.h"

#define ZONE_FROM " FROM zones z JOIN areas a ON a.id = z.area_id "

void zn_zone_row(struct fk_q *q, struct zn_zone *z)
{
	memset(z, 0, sizeof(*z));
	z->id = fk_q_i64(q, 0);
	z->area_id = fk_q_i64(q, 1);
	fk_copy_text(z->area_path, sizeof(z->area_path), fk_q_text(q, 2));
	fk_copy_text(z->kind, sizeof(z->kind), fk_q_text(q, 3));
	z->level = (int)fk_q_i64(q, 4);
	z->scheme = fk_q_i64(q, 5);
	fk_copy_text(z->status, sizeof(z->status), fk_q_text(q, 6));
	fk_copy_text(z->reason, sizeof(z->reason), fk_q_text(q, 7));
	fk_copy_text(z->source_tube_code, sizeof(z->source_tube_code), fk_q_text(q, 8));
	fk_copy_text(z->case_ref, sizeof(z->case_ref), fk_q_text(q, 9));
	z->started_at = fk_q_i64(q, 10);
	z->kind_since = fk_q_i64(q, 11);
	z->lifted_at = fk_q_i64(q, 12);
	z->created_by = fk_q_i64(q, 13);
	z->created_at = fk_q_i64(q, 14);
	z->policy_version = fk_q_i64(q, 15);
	fk_copy_text(z->area_name, sizeof(z->area_name), fk_q_text(q, 16));
	fk_copy_text(z->area_code, sizeof(z->area_code), fk_q_text(q, 17));
	fk_copy_text(z->area_kind, sizeof(z->area_kind), fk_q_text(q, 18));
}

static int zone_not_found(struct fk_err *err)
{
	return fk_err_set(err, FK_ENOTFOUND, "zone_not_found", "id", "该区域（封控/管控）不存在",
			  "there is no such zone");
}

int zn_zone_get(struct fk_db *db, const struct fk_principal *who, int64_t id, struct zn_zone *out,
		struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q, "SELECT " ZN_ZONE_COLS ZONE_FROM "WHERE z.id = ?", err);

	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, id);
	rc = fk_q_step(q, err);
	if (rc > 0)
		zn_zone_row(q, out);
	fk_q_done(q);
	if (rc < 0)
		return rc;
	if (rc == 0 || (who && !fk_scope_covers(who, out->area_path)))
		return zone_not_found(err);
	return 0;
}

/* The live event "zone" {zone_id, action, kind, from_kind} at the zone's area, once the
 * change commits: every history row is one, so a screen hears of a seal, a lift, a level
 * changed or proposed. */
static int zone_event(struct fk_db *db, int64_t zone_id, const char *action, const char *kind,
		      const char *from_kind, struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q, "SELECT area_path FROM zones WHERE id = ?", err);

	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, zone_id);
	rc = fk_q_step(q, err);
	if (rc > 0)
		fk_events_publish_after(db, "zone", fk_q_text(q, 0),
					json_pack("{s:o, s:s, s:s?, s:s?}", "zone_id",
						  fk_json_idv(zone_id), "action", action, "kind",
						  kind, "from_kind", from_kind));
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

int zn_event_add(struct fk_db *db, int64_t zone_id, const char *action, const char *kind,
		 const char *from_kind, const char *reason, int64_t proposal_id,
		 const struct fk_principal *who, int64_t policy_version, struct fk_err *err)
{
	int64_t rc = fk_db_run(
	    db, err,
	    "INSERT INTO zone_events (id, zone_id, action, kind, from_kind, reason, proposal_id, "
	    "by_user, by_name, policy_version, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    "iittttiitii", fk_id_next(), zone_id, action, kind, from_kind, reason, proposal_id,
	    who ? who->user_id : 0, who ? who->username : "system", policy_version, fk_now_ms());

	if (rc < 0)
		return (int)rc;
	return zone_event(db, zone_id, action, kind, from_kind, err);
}

/* ---- drawing ---- */

static int bad_kind(int64_t scheme, const char *kind, struct fk_err *err)
{
	return fk_err_set(err, FK_EUNPROC, "invalid_kind", "kind",
			  "区域类型 %s 不属于现行方案（%lld：%s）",
			  "kind %s is not of the scheme in force (%lld: %s)", kind ? kind : "",
			  (long long)scheme, zn_scheme_kinds(scheme));
}

static int check_source(struct fk_db *db, const char *code, struct fk_err *err)
{
	bool positive;
	int rc = code ? fk_tubes_is_positive(db, code, "source_tube_code", &positive, err) : 0;

	if (rc == 0 && code && !positive)
		return fk_err_set(err, FK_EUNPROC, "not_positive", "source_tube_code",
				  "试管 %s 不是阳性混管", "tube %s is not a positive pool", code);
	if (rc == FK_ENOTFOUND) /* a bad value in the body, not a missing resource */
		err->code = rc = FK_EUNPROC;
	return rc;
}

/* The active zone over the very same area, if any: 1 and its id and kind, or 0. */
static int same_area(struct fk_db *db, int64_t area_id, int64_t *id, char *kind, size_t size,
		     struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(
	    db, &q, "SELECT id, kind FROM zones WHERE area_id = ? AND status = 'active'", err);

	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, area_id);
	rc = fk_q_step(q, err);
	if (rc > 0) {
		*id = fk_q_i64(q, 0);
		fk_copy_text(kind, size, fk_q_text(q, 1));
	}
	fk_q_done(q);
	return rc;
}

static int check_draw(struct fk_db *db, const struct zn_draw *d, int64_t scheme, int64_t now,
		      struct fk_err *err)
{
	if (d->started_at > now)
		return fk_err_set(err, FK_EINVAL, "future_time", "started_at",
				  "开始时间不能晚于现在", "started_at cannot be in the future");
	if (zn_kind_level(scheme, d->kind) == 0)
		return bad_kind(scheme, d->kind, err);
	return check_source(db, d->source_tube_code, err);
}

static int insert_zone(struct fk_db *db, const struct fk_principal *who, const struct zn_draw *d,
		       const struct fk_area *a, int64_t scheme, int64_t ver, int64_t *id,
		       struct fk_err *err)
{
	int64_t now = fk_now_ms(), start = d->started_at ? d->started_at : now;
	int64_t rc;

	*id = fk_id_next();
	rc = fk_db_run(db, err,
		       "INSERT INTO zones (id, area_id, area_path, kind, level, scheme, status, "
		       "reason, source_tube_code, case_ref, started_at, kind_since, created_by, "
		       "created_at, policy_version) "
		       "VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?, ?, ?, ?, ?, ?, ?)",
		       "iittiitttiiiii", *id, a->id, a->path, d->kind,
		       (int64_t)zn_kind_level(scheme, d->kind), scheme, d->reason,
		       d->source_tube_code, d->case_ref, start, start, who->user_id, now, ver);
	if (rc >= 0)
		rc = zn_event_add(db, *id, "drawn", d->kind, NULL, d->reason, d->proposal_id, who,
				  ver, err);
	return rc < 0 ? (int)rc : 0;
}

int zn_zone_draw(struct fk_db *db, const struct fk_principal *who, const struct zn_draw *d,
		 struct zn_zone *out, bool *created, struct fk_err *err)
{
	struct fk_policy_snap *s = fk_policy_snap(db);
	int64_t scheme = fk_policy_snap_i64(s, &zn_policies[ZN_POL_SCHEME]);
	int64_t ver = fk_policy_snap_version(s), id = 0;
	char kind[FK_ZONE_KIND_MAX] = "";
	struct fk_area a = {0};
	int rc = fk_area_get_in_scope(db, who, d->area_id, "area_id", &a, err);

	fk_policy_snap_release(s);
	*created = false;
	if (rc == 0)
		rc = check_draw(db, d, scheme, fk_now_ms(), err);
	if (rc == 0)
		rc = same_area(db, a.id, &id, kind, sizeof(kind), err);
	if (rc > 0 && strcmp(kind, d->kind) != 0)
		rc = fk_err_set(err, FK_ECONFLICT, "zone_conflict", "kind",
				"该区域已是%s（区域 %lld），不能同时划为%s",
				"the area is already a %s zone (zone %lld): it cannot also be %s",
				kind, (long long)id, d->kind);
	else if (rc == 0 && (rc = insert_zone(db, who, d, &a, scheme, ver, &id, err)) == 0)
		*created = true;
	fk_area_release(&a);
	return rc < 0 ? rc : zn_zone_get(db, NULL, id, out, err);
}

int zn_zone_change(struct fk_db *db, const struct zn_zone *z, const char *kind, const char *reason,
		   int64_t proposal_id, const struct fk_principal *who, int64_t policy_version,
		   struct fk_err *err)
{
	int64_t now = fk_now_ms(), rc;

	if (kind)
		rc = fk_db_run(db, err,
			       "UPDATE zones SET kind = ?, level = ?, kind_since = ? "
			       "WHERE id = ? AND status = 'active'",
			       "tiii", kind, (int64_t)zn_kind_level(z->scheme, kind), now, z->id);
	else
		rc = fk_db_run(db, err,
			       "UPDATE zones SET status = 'lifted', lifted_at = ? "
			       "WHERE id = ? AND status = 'active'",
			       "ii", now, z->id);
	if (rc == 0)
		return fk_err_set(err, FK_ECONFLICT, "zone_lifted", "id", "该区域已解除",
				  "the zone has been lifted already");
	if (rc > 0)
		rc = zn_event_add(db, z->id, kind ? "downgraded" : "lifted", kind, z->kind, reason,
				  proposal_id, who, policy_version, err);
	return rc < 0 ? (int)rc : 0;
}
