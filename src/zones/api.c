/* api: the HTTP handlers of /api/v1/zones and /api/v1/zone-proposals. Writes run in the
 * request's audited transaction and drop the zone cache once committed; the people of a zone
 * and the zone of a person are reads of people data, audited as such. */
#include <stdio.h>
#include <string.h>
#include "base/clock.h"
#include "base/id.h"
#include "base/utf8.h"
#include "people/people.h"
#include "zones/internal.h"

const struct fk_field zn_body_draw[] = {
    {.name = "area_id", .type = FK_J_ID, .required = true},
    {.name = "kind", .type = FK_J_STRING, .required = true, .max_len = FK_ZONE_KIND_MAX - 1},
    {.name = "reason", .type = FK_J_STRING, .required = true, .max_len = ZN_REASON_MAX * 4},
    {.name = "source_tube_code",
     .type = FK_J_STRING,
     .nullable = true,
     .max_len = ZN_TUBE_CODE_MAX},
    {.name = "case_ref", .type = FK_J_STRING, .nullable = true, .max_len = ZN_CASE_REF_MAX * 4},
    {.name = "started_at", .type = FK_J_STRING, .nullable = true, .max_len = 64},
    FK_FIELDS_END,
};

const struct fk_field zn_body_decide[] = {
    {.name = "reason", .type = FK_J_STRING, .nullable = true, .max_len = ZN_REASON_MAX * 4},
    FK_FIELDS_END,
};

const struct fk_field zn_body_lift[] = {
    {.name = "reason", .type = FK_J_STRING, .required = true, .max_len = ZN_REASON_MAX * 4},
    FK_FIELDS_END,
};

/* A trimmed copy of a body string in the request's arena; NULL when absent, null or blank. */
static const char *body_text(struct fk_req *req, const char *name)
{
	const char *s = fk_json_str(req->body, name);
	char *t = s ? fk_utf8_trim(fk_arena_strdup(req->arena, s)) : NULL;

	return t && *t ? t : NULL;
}

static int draw_input(struct fk_req *req, struct zn_draw *d, struct fk_err *err)
{
	const char *start = fk_json_str(req->body, "started_at");

	memset(d, 0, sizeof(*d));
	d->area_id = fk_json_id(req->body, "area_id");
	d->kind = fk_json_str(req->body, "kind");
	d->reason = body_text(req, "reason");
	d->source_tube_code = body_text(req, "source_tube_code");
	d->case_ref = body_text(req, "case_ref");
	if (!d->reason)
		return fk_err_set(err, FK_EINVAL, "reason_required", "reason", "请填写划定理由",
				  "give the reason for the zone");
	if (start && (fk_iso8601_parse(start, &d->started_at) < 0 || d->started_at <= 0))
		return fk_err_set(
		    err, FK_EINVAL, "invalid_time", "started_at",
		    "started_at 不是有效的时间（例如 2022-04-01T08:00:00+08:00）",
		    "started_at is not a valid time (e.g. 2022-04-01T08:00:00+08:00)");
	return 0;
}

static int reply_zone(struct fk_req *req, struct fk_resp *resp, int status, int64_t id,
		      bool history, struct fk_err *err)
{
	struct zn_zone z;
	json_t *o;
	int rc = zn_zone_get(req->db, history ? req->who : NULL, id, &z, err);

	if (rc == 0)
		rc = zn_zone_json(req->db, &z, history, &o, err);
	if (rc == 0)
		fk_resp_json(resp, status, o);
	return rc;
}

int zn_api_create(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct fk_audit_entry e = {.action = "zone.draw", .target_kind = "zone"};
	struct zn_draw d;
	struct zn_zone z = {0};
	bool created = false;
	int rc = draw_input(req, &d, err);

	if (rc == 0)
		rc = fk_audit_tx_begin(req, err);
	if (rc < 0)
		return rc;
	rc = zn_zone_draw(req->db, req->who, &d, &z, &created, err);
	e.target_id = z.id;
	if (rc == 0 && created) /* a repeat of a zone in force writes no audit entry */
		e.detail = json_pack("{s:o, s:s, s:s, s:b}", "area_id", fk_json_idv(z.area_id),
				     "kind", z.kind, "reason", z.reason, "created", created);
	rc = fk_audit_tx_end(req, rc, created ? &e : NULL, err);
	if (rc < 0)
		return rc;
	zn_cache_forget(req->app);
	return reply_zone(req, resp, created ? 201 : 200, z.id, true, err);
}

int zn_api_get(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	int64_t id;

	if (fk_req_param_id(req, "id", &id, err) < 0)
		return fk_err_set(err, FK_ENOTFOUND, "zone_not_found", "id",
				  "该区域（封控/管控）不存在", "there is no such zone");
	return reply_zone(req, resp, 200, id, true, err);
}

static int query_choice(struct fk_req *req, const char *name, const char *const *allowed,
			const char **out, struct fk_err *err)
{
	const char *s = fk_req_query(req, name);

	*out = NULL;
	if (!s || !*s)
		return 0;
	for (; *allowed; allowed++)
		if (strcmp(*allowed, s) == 0) {
			*out = s;
			return 0;
		}
	return fk_err_set(err, FK_EINVAL, "invalid_filter", name, "%s 的取值无效",
			  "%s has a value that is not allowed", name);
}

static const char *const all_kinds[] = {"sealed", "controlled", "precaution", "high",
					"medium", "low",	NULL};
static const char *const zone_statuses[] = {"active", "lifted", NULL};

int zn_api_list(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	const char *area = fk_req_query(req, "area_id");
	struct zn_list_query f = {0};
	struct fk_area a = {0};
	int64_t limit, area_id = 0;
	json_t *items;
	int rc = query_choice(req, "kind", all_kinds, &f.kind, err);

	if (rc == 0)
		rc = query_choice(req, "status", zone_statuses, &f.status, err);
	if (rc == 0)
		rc = fk_req_query_int(req, "limit", 100, 1, 500, &limit, err);
	if (rc == 0 && area && *area && !fk_id_parse(area, &area_id))
		rc = fk_err_set(err, FK_ENOTFOUND, "area_not_found", "area_id", "区域不存在",
				"there is no such area");
	if (rc == 0 && area_id)
		rc = fk_area_get_in_scope(req->db, req->who, area_id, "area_id", &a, err);
	if (rc < 0)
		return rc;
	f.under = area_id ? &a : NULL;
	f.limit = (int)limit;
	items = json_array();
	rc = zn_zone_list(req->db, req->who, &f, items, err);
	fk_area_release(&a);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	fk_resp_json(resp, 200, json_pack("{s:o}", "items", items));
	return 0;
}

int zn_api_people(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	char next[32];
	struct zn_zone z;
	int64_t id, limit;
	json_t *items = NULL;
	int rc = fk_req_param_id(req, "id", &id, err);

	if (rc == 0)
		rc = zn_zone_get(req->db, req->who, id, &z, err);
	if (rc == 0)
		rc = fk_req_query_int(req, "limit", 100, 1, 500, &limit, err);
	if (rc == 0) {
		items = json_array();
		rc = zn_zone_people(req->db, req->who, &z, fk_req_query(req, "cursor"), (int)limit,
				    items, next, sizeof(next), err);
	}
	if (rc == 0)
		rc = fk_audit_json(req, "zone.people", "zone", id,
				   json_pack("{s:I}", "count", (json_int_t)json_array_size(items)),
				   err);
	if (rc < 0) {
		json_decref(items);
		return rc == FK_ENOTFOUND && !err->key[0]
			   ? fk_err_set(err, rc, "zone_not_found", "id",
					"该区域（封控/管控）不存在", "there is no such zone")
			   : rc;
	}
	fk_resp_json(resp, 200,
		     json_pack("{s:o, s:o}", "items", items, "next_cursor",
			       next[0] ? json_string(next) : json_null()));
	return 0;
}

static int64_t policy_version(struct fk_db *db)
{
	struct fk_policy_snap *s = fk_policy_snap(db);
	int64_t v = fk_policy_snap_version(s);

	fk_policy_snap_release(s);
	return v;
}

int zn_api_lift(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct fk_audit_entry e = {.action = "zone.lift", .target_kind = "zone"};
	const char *reason = body_text(req, "reason");
	struct zn_zone z;
	int64_t id;
	int rc = fk_req_param_id(req, "id", &id, err);

	if (rc == 0 && !reason)
		rc = fk_err_set(err, FK_EINVAL, "reason_required", "reason", "请填写解除理由",
				"give the reason for lifting the zone");
	if (rc == 0)
		rc = fk_audit_tx_begin(req, err);
	if (rc < 0)
		return rc;
	rc = zn_zone_get(req->db, req->who, id, &z, err);
	if (rc == 0)
		rc = zn_zone_change(req->db, &z, NULL, reason, 0, req->who, policy_version(req->db),
				    err);
	e.target_id = id;
	e.detail = rc == 0 ? json_pack("{s:s}", "reason", reason) : NULL;
	rc = fk_audit_tx_end(req, rc, &e, err);
	if (rc < 0)
		return rc;
	zn_cache_forget(req->app);
	return reply_zone(req, resp, 200, id, true, err);
}

/* The scheme in force and its kinds, strictest first: what a zone may be drawn as now. */
int zn_api_kinds(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct fk_policy_snap *s = fk_policy_snap(req->db);
	int64_t scheme = fk_policy_snap_i64(s, &zn_policies[ZN_POL_SCHEME]);
	int64_t version = fk_policy_snap_version(s);
	json_t *kinds = json_array();

	(void)err;
	fk_policy_snap_release(s);
	for (int level = 3; level >= 1; level--) {
		const char *k = zn_kind_at(scheme, level);
		if (k)
			json_array_append_new(kinds,
					      json_pack("{s:s, s:s, s:i}", "kind", k, "kind_zh",
							zn_kind_zh(k), "level", level));
	}
	fk_resp_json(resp, 200,
		     json_pack("{s:I, s:I, s:o}", "scheme", (json_int_t)scheme, "policy_version",
			       (json_int_t)version, "kinds", kinds));
	return 0;
}

/* ---- the zone over an area or a person ---- */

static int reply_zone_of(struct fk_req *req, struct fk_resp *resp, const char *path,
			 struct fk_err *err)
{
	struct fk_zone_rule r;
	struct zn_zone z;
	json_t *o = NULL;
	int rc = fk_zone_of(req->app, req->db, path, &r, err);

	if (rc == 0 && r.zone_id)
		rc = zn_zone_get(req->db, NULL, r.zone_id, &z, err);
	if (rc == 0 && r.zone_id)
		rc = zn_zone_json(req->db, &z, false, &o, err);
	if (rc == 0)
		fk_resp_json(resp, 200, json_pack("{s:o}", "zone", o ? o : json_null()));
	return rc;
}

int zn_api_of_area(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct fk_area a = {0};
	int64_t id = 0;
	int rc = fk_id_parse(fk_req_param(req, "area_id"), &id) ? 0 : FK_ENOTFOUND;

	rc = fk_area_get_in_scope(req->db, req->who, rc == 0 ? id : 0, "area_id", &a, err);
	if (rc == 0)
		rc = reply_zone_of(req, resp, a.path, err);
	fk_area_release(&a);
	return rc;
}

int zn_api_of_person(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct fk_person *p = fk_arena_alloc(req->arena, sizeof(*p));
	int64_t id = 0;
	int rc = fk_id_parse(fk_req_param(req, "person_id"), &id) ? 0 : FK_ENOTFOUND;

	rc = fk_person_get(req->db, req->who, rc == 0 ? id : 0, p, err);
	if (rc == 0)
		rc = fk_audit_json(req, "zone.of_person", "person", id, NULL, err);
	return rc < 0 ? rc : reply_zone_of(req, resp, p->area_path, err);
}

/* ---- proposals ---- */

static const char *const proposal_statuses[] = {"pending", "confirmed", "rejected", "all", NULL};

int zn_api_proposals(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	const char *status;
	int64_t limit;
	json_t *items;
	int rc = query_choice(req, "status", proposal_statuses, &status, err);

	if (rc == 0)
		rc = fk_req_query_int(req, "limit", 100, 1, 500, &limit, err);
	if (rc < 0)
		return rc;
	items = json_array();
	rc = zn_proposal_list(req->db, req->who, status, 0, (int)limit, items, err);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	fk_resp_json(resp, 200, json_pack("{s:o}", "items", items));
	return 0;
}

static int decide(struct fk_req *req, struct fk_resp *resp, bool confirm, struct fk_err *err)
{
	struct fk_audit_entry e = {.action =
				       confirm ? "zone.proposal.confirm" : "zone.proposal.reject",
				   .target_kind = "zone_proposal"};
	const char *reason = req->body ? body_text(req, "reason") : NULL;
	int64_t id, zone_id = 0;
	json_t *o;
	int rc = fk_req_param_id(req, "id", &id, err);

	if (rc == 0)
		rc = fk_audit_tx_begin(req, err);
	if (rc < 0)
		return rc == FK_ENOTFOUND ? fk_err_set(err, rc, "proposal_not_found", "id",
						       "该提议不存在", "there is no such proposal")
					  : rc;
	rc = zn_proposal_decide(req->db, req->who, id, confirm, reason, &zone_id, err);
	e.target_id = id;
	e.detail = rc == 0 ? json_pack("{s:o, s:o}", "zone_id",
				       zone_id ? fk_json_idv(zone_id) : json_null(), "reason",
				       reason ? json_string(reason) : json_null())
			   : NULL;
	rc = fk_audit_tx_end(req, rc, &e, err);
	if (rc == 0)
		zn_cache_forget(req->app);
	if (rc == 0)
		rc = zn_proposal_read(req->db, req->who, id, &o, err);
	if (rc == 0)
		fk_resp_json(resp, 200, o);
	return rc;
}

int zn_api_confirm(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	return decide(req, resp, true, err);
}

int zn_api_reject(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	return decide(req, resp, false, err);
}
