/* propose: proposals to draw, downgrade or lift a zone, and their decision. The job
 * zones.propose proposes a change for every active zone whose lift rule is met; the listener
 * of tubes.positive_pool proposes a level-3 zone over each building of a positive pool at
 * once. Nothing changes until a commander confirms; a rejection keeps its reason. Each
 * proposal names the policy version it followed. */
#include <stdio.h>
#include <string.h>
#include "base/clock.h"
#include "base/id.h"
#include "base/log.h"
#include "base/xmalloc.h"
#include "tubes/tubes.h"
#include "zones/internal.h"

#define PROPOSAL_COLS                                                                              \
	"id, action, COALESCE(zone_id, 0), area_id, area_path, COALESCE(kind, ''), reason, "       \
	"COALESCE(source_tube_code, ''), status, policy_version, created_at, "                     \
	"COALESCE(decided_by, 0), COALESCE(decided_at, 0), COALESCE(decision_reason, ''), "        \
	"COALESCE(result_zone_id, 0), "                                                            \
	"COALESCE((SELECT a.name FROM areas a WHERE a.id = zone_proposals.area_id), ''), "         \
	"COALESCE((SELECT a.code FROM areas a WHERE a.id = zone_proposals.area_id), '')"

struct proposal {
	int64_t id, zone_id, area_id, policy_version;
	char action[12], status[12];
	char kind[FK_ZONE_KIND_MAX];
	char area_path[FK_AREA_PATH_MAX];
	char reason[ZN_REASON_MAX * 4 + 1];
};

static json_t *opt_str(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static json_t *opt_id(int64_t id)
{
	return id ? fk_json_idv(id) : json_null();
}

static json_t *proposal_json(struct fk_q *q)
{
	json_t *o =
	    json_pack("{s:o, s:s, s:o, s:o, s:s, s:o, s:s, s:o, s:s, s:I, s:o, s:o, s:o, s:o, "
		      "s:o}",
		      "id", fk_json_idv(fk_q_i64(q, 0)), "action", fk_q_text(q, 1), "zone_id",
		      opt_id(fk_q_i64(q, 2)), "area_id", fk_json_idv(fk_q_i64(q, 3)), "area_path",
		      fk_q_text(q, 4), "kind", opt_str(fk_q_text(q, 5)), "reason", fk_q_text(q, 6),
		      "source_tube_code", opt_str(fk_q_text(q, 7)), "status", fk_q_text(q, 8),
		      "policy_version", (json_int_t)fk_q_i64(q, 9), "created_at",
		      fk_json_timev(fk_q_i64(q, 10)), "decided_by", opt_id(fk_q_i64(q, 11)),
		      "decided_at", fk_json_timev(fk_q_i64(q, 12)), "decision_reason",
		      opt_str(fk_q_text(q, 13)), "result_zone_id", opt_id(fk_q_i64(q, 14)));

	/* the area by name for the screens: a proposal's area may have no zone yet */
	json_object_set_new(o, "area_name", json_string(fk_q_text(q, 15)));
	json_object_set_new(o, "area_code", json_string(fk_q_text(q, 16)));
	return o;
}

int zn_proposal_list(struct fk_db *db, const struct fk_principal *who, const char *status,
		     int64_t zone_id, int limit, json_t *items, struct fk_err *err)
{
	struct fk_q *q;
	int rc =
	    fk_db_query(db, &q,
			"SELECT " PROPOSAL_COLS " FROM zone_proposals WHERE (? = 'all' OR "
			"status = ?) AND (CAST(? AS BIGINT) = 0 OR zone_id = ?) ORDER BY id DESC",
			err);
	int n = 0;

	if (rc < 0)
		return rc;
	status = status ? status : "pending";
	fk_q_bind_text(q, 1, status);
	fk_q_bind_text(q, 2, status);
	fk_q_bind_i64(q, 3, zone_id);
	fk_q_bind_i64(q, 4, zone_id);
	while (n < limit && (rc = fk_q_step(q, err)) > 0)
		if (!who || fk_scope_covers(who, fk_q_text(q, 4))) {
			json_array_append_new(items, proposal_json(q));
			n++;
		}
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

static int not_found(struct fk_err *err)
{
	return fk_err_set(err, FK_ENOTFOUND, "proposal_not_found", "id", "该提议不存在",
			  "there is no such proposal");
}

int zn_proposal_read(struct fk_db *db, const struct fk_principal *who, int64_t id, json_t **out,
		     struct fk_err *err)
{
	struct fk_q *q;
	int rc =
	    fk_db_query(db, &q, "SELECT " PROPOSAL_COLS " FROM zone_proposals WHERE id = ?", err);

	*out = NULL;
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, id);
	rc = fk_q_step(q, err);
	if (rc > 0 && (!who || fk_scope_covers(who, fk_q_text(q, 4))))
		*out = proposal_json(q);
	fk_q_done(q);
	return rc < 0 ? rc : *out ? 0 : not_found(err);
}

/* ---- making proposals ---- */

struct new_proposal {
	const char *action, *kind, *reason, *source_tube_code, *area_path;
	int64_t zone_id, area_id, policy_version;
};

/* One pending proposal per area and action: a second is not made. 1 made, 0 not. */
static int proposal_insert(struct fk_db *db, const struct new_proposal *p, int64_t *id,
			   struct fk_err *err)
{
	int64_t rc;

	*id = fk_id_next();
	rc = fk_db_run(db, err,
		       "INSERT INTO zone_proposals (id, action, zone_id, area_id, area_path, kind, "
		       "reason, source_tube_code, status, policy_version, created_at) "
		       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?) "
		       "ON CONFLICT (area_id, action) WHERE status = 'pending' DO NOTHING",
		       "itiittttii", *id, p->action, p->zone_id, p->area_id, p->area_path, p->kind,
		       p->reason, p->source_tube_code, p->policy_version, fk_now_ms());
	return rc < 0 ? (int)rc : rc > 0;
}

/* A proposal for zone z by the rule: downgrade to l->to_kind, or lift. */
static int propose_change(struct fk_db *db, const struct zn_zone *z, const struct zn_lift *l,
			  struct fk_err *err)
{
	char reason[300];
	struct new_proposal p = {.action = l->to_kind ? "downgrade" : "lift",
				 .kind = l->to_kind,
				 .reason = reason,
				 .area_path = z->area_path,
				 .zone_id = z->id,
				 .area_id = z->area_id,
				 .policy_version = l->policy_version};
	int64_t id;
	int rc;

	snprintf(reason, sizeof(reason),
		 "连续 %lld 天无新增阳性且末日全员阴性 / %lld days without a new positive and an "
		 "all-negative round on the last day",
		 (long long)l->days, (long long)l->days);
	rc = proposal_insert(db, &p, &id, err);
	if (rc > 0)
		rc = zn_event_add(db, z->id, "proposed", l->to_kind, z->kind, reason, id, NULL,
				  l->policy_version, err);
	return rc < 0 ? rc : 0;
}

/* One zone in a transaction of its own: a failure leaves the others to be proposed. */
static int propose_one(struct fk_db *db, const struct zn_zone *z, int64_t now, struct fk_err *err)
{
	struct fk_tx tx;
	struct zn_lift l;
	int rc = fk_tx_begin(db, &tx, err);

	if (rc < 0)
		return rc;
	rc = zn_lift_state(db, z, now, &l, err);
	if (rc == 0 && l.due)
		rc = propose_change(db, z, &l, err);
	return fk_tx_end(db, &tx, rc, err);
}

static int active_zones(struct fk_db *db, struct zn_zone **out, int *n, struct fk_err *err)
{
	struct fk_q *q;
	int cap = 16,
	    rc = fk_db_query(db, &q,
			     "SELECT " ZN_ZONE_COLS " FROM zones z JOIN areas a "
			     "ON a.id = z.area_id WHERE z.status = 'active' ORDER BY z.id",
			     err);

	*out = NULL;
	*n = 0;
	if (rc < 0)
		return rc;
	*out = fk_xcalloc((size_t)cap, sizeof(**out));
	while ((rc = fk_q_step(q, err)) > 0) {
		if (*n == cap)
			*out = fk_xrealloc(*out, (size_t)(cap *= 2) * sizeof(**out));
		zn_zone_row(q, &(*out)[(*n)++]);
	}
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

int zn_propose_job(struct fk_app *app, struct fk_db *db, struct fk_err *err)
{
	struct zn_zone *z;
	int64_t now = fk_now_ms();
	int n, failed = 0, rc = active_zones(db, &z, &n, err);

	(void)app;
	for (int i = 0; rc == 0 && i < n; i++)
		if (propose_one(db, &z[i], now, err) < 0) {
			fk_warn("event=zone_propose_failed zone=%lld error=\"%s\"",
				(long long)z[i].id, err->en);
			failed = 1;
		}
	free(z);
	if (rc == 0 && failed)
		return fk_err_set(err, FK_EINTERNAL, "propose_failed", NULL,
				  "部分区域的解封提议未能生成", "some zones could not be proposed");
	return rc;
}

/* ---- the positive pool ---- */

static int propose_draw(struct fk_app *app, struct fk_db *db, const char *tube, const json_t *b,
			struct fk_err *err)
{
	struct fk_policy_snap *s = fk_policy_snap(db);
	const char *path = json_string_value(json_object_get(b, "area_path"));
	struct fk_zone_rule z;
	char reason[200];
	struct new_proposal p = {
	    .action = "draw", .reason = reason, .source_tube_code = tube, .area_path = path};
	int64_t id;
	int rc;

	p.kind = zn_kind_at(fk_policy_snap_i64(s, &zn_policies[ZN_POL_SCHEME]), 3);
	p.policy_version = fk_policy_snap_version(s);
	fk_policy_snap_release(s);
	p.area_id = fk_json_id_value(json_object_get(b, "area_id"));
	if (!path || p.area_id <= 0)
		return fk_err_set(err, FK_EINTERNAL, "bad_signal", NULL, "阳性信号缺少楼栋",
				  "the positive pool signal names no building");
	rc = fk_zone_of(app, db, path, &z, err);
	if (rc < 0 || z.single_tube) /* already under a level-3 zone */
		return rc;
	snprintf(reason, sizeof(reason),
		 "混采阳性 %s：临时管控 / positive pool %s: temporary control", tube, tube);
	rc = proposal_insert(db, &p, &id, err);
	return rc < 0 ? rc : 0;
}

int zn_on_positive_pool(struct fk_app *app, struct fk_db *db, const json_t *payload,
			struct fk_err *err)
{
	const char *tube = json_string_value(json_object_get(payload, "tube_code"));
	json_t *bs = json_object_get(payload, "buildings"), *b;
	size_t i;
	int rc = 0;

	json_array_foreach(bs, i, b)
	{
		rc = propose_draw(app, db, tube ? tube : "", b, err);
		if (rc < 0)
			break;
	}
	return rc;
}

/* ---- deciding ---- */

static int proposal_get(struct fk_db *db, const struct fk_principal *who, int64_t id,
			struct proposal *p, struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q,
			     "SELECT id, action, COALESCE(zone_id, 0), area_id, area_path, "
			     "COALESCE(kind, ''), reason, status, policy_version "
			     "FROM zone_proposals WHERE id = ?",
			     err);

	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, id);
	rc = fk_q_step(q, err);
	if (rc > 0) {
		p->id = fk_q_i64(q, 0);
		fk_copy_text(p->action, sizeof(p->action), fk_q_text(q, 1));
		p->zone_id = fk_q_i64(q, 2);
		p->area_id = fk_q_i64(q, 3);
		fk_copy_text(p->area_path, sizeof(p->area_path), fk_q_text(q, 4));
		fk_copy_text(p->kind, sizeof(p->kind), fk_q_text(q, 5));
		fk_copy_text(p->reason, sizeof(p->reason), fk_q_text(q, 6));
		fk_copy_text(p->status, sizeof(p->status), fk_q_text(q, 7));
		p->policy_version = fk_q_i64(q, 8);
	}
	fk_q_done(q);
	if (rc < 0)
		return rc;
	return rc == 0 || !fk_scope_covers(who, p->area_path) ? not_found(err) : 0;
}

/* Takes the proposal out of pending; a proposal decided meanwhile is refused. */
static int mark(struct fk_db *db, const struct fk_principal *who, const struct proposal *p,
		bool confirm, const char *reason, int64_t zone_id, struct fk_err *err)
{
	int64_t rc =
	    fk_db_run(db, err,
		      "UPDATE zone_proposals SET status = ?, decided_by = ?, decided_at = ?, "
		      "decision_reason = ?, result_zone_id = ? WHERE id = ? AND status = "
		      "'pending'",
		      "tiitii", confirm ? "confirmed" : "rejected", who->user_id, fk_now_ms(),
		      reason, zone_id, p->id);

	if (rc == 0)
		return fk_err_set(err, FK_ECONFLICT, "proposal_decided", "id",
				  "该提议已处理，不能再次确认或驳回",
				  "the proposal has been decided already");
	return rc < 0 ? (int)rc : 0;
}

static int confirm_draw(struct fk_db *db, const struct fk_principal *who, const struct proposal *p,
			int64_t *zone_id, struct fk_err *err)
{
	struct fk_policy_snap *s = fk_policy_snap(db);
	struct zn_draw d = {.area_id = p->area_id, .reason = p->reason, .proposal_id = p->id};
	struct zn_zone z;
	bool created;
	int rc;

	/* The scheme in force now: the proposal's kind may be of one switched away from. */
	d.kind = zn_kind_at(fk_policy_snap_i64(s, &zn_policies[ZN_POL_SCHEME]), 3);
	fk_policy_snap_release(s);
	rc = zn_zone_draw(db, who, &d, &z, &created, err);
	*zone_id = z.id;
	return rc;
}

static int confirm_change(struct fk_db *db, const struct fk_principal *who,
			  const struct proposal *p, struct fk_err *err)
{
	struct zn_zone z;
	int rc = zn_zone_get(db, who, p->zone_id, &z, err);

	if (rc == 0)
		rc = zn_zone_change(db, &z, p->kind[0] ? p->kind : NULL, p->reason, p->id, who,
				    p->policy_version, err);
	return rc;
}

int zn_proposal_decide(struct fk_db *db, const struct fk_principal *who, int64_t id, bool confirm,
		       const char *reason, int64_t *zone_id, struct fk_err *err)
{
	struct proposal p;
	int rc = proposal_get(db, who, id, &p, err);

	*zone_id = 0;
	if (rc == 0 && strcmp(p.status, "pending") != 0)
		return mark(db, who, &p, confirm, reason, 0, err); /* refused: decided */
	if (rc == 0 && !confirm && (!reason || !*reason))
		return fk_err_set(err, FK_EINVAL, "reason_required", "reason", "驳回须说明理由",
				  "a rejection needs a reason");
	*zone_id = p.zone_id;
	if (rc == 0 && confirm && strcmp(p.action, "draw") == 0)
		rc = confirm_draw(db, who, &p, zone_id, err);
	else if (rc == 0 && confirm)
		rc = confirm_change(db, who, &p, err);
	if (rc == 0)
		rc = mark(db, who, &p, confirm, reason, *zone_id, err);
	if (rc == 0 && *zone_id)
		rc = zn_event_add(db, *zone_id, confirm ? "confirmed" : "rejected",
				  p.kind[0] ? p.kind : NULL, NULL, reason ? reason : p.reason, p.id,
				  who, p.policy_version, err);
	return rc;
}
