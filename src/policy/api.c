/* api: /api/v1/policies. Every logged-in role reads the current values with their
 * definitions (labels, bounds, defaults), so the web app copies no number; the admin reads the
 * history and edits, one version per accepted edit, audited in the same transaction. */
#include <stdlib.h>
#include "audit/audit.h"
#include "base/log.h"
#include "policy/internal.h"

#define HISTORY_LIMIT_DEFAULT 20
#define HISTORY_LIMIT_MAX     200

static const struct fk_field edit_body[] = {
    {.name = "values", .type = FK_J_OBJECT, .required = true},
    {.name = "reason", .type = FK_J_STRING, .required = true, .max_len = POLICY_REASON_MAX * 4},
    {.name = "base_version",
     .type = FK_J_INT,
     .nullable = true,
     .min = 0,
     .max = INT32_MAX,
     .range_key = "invalid_version"},
    FK_FIELDS_END,
};

static json_t *choices_json(const struct fk_policy_def *d)
{
	json_t *a = json_array();

	for (const int64_t *c = d->choices; c && *c; c++)
		json_array_append_new(a, json_integer(*c));
	return a;
}

static json_t *def_json(const struct fk_policy_snap *s, const struct fk_policy_def *d,
			const char *module)
{
	const char *unit = d->type == FK_POLICY_DURATION ? policy_unit_name(d->unit) : NULL;
	json_t *o =
	    json_pack("{s:s, s:s, s:s, s:o, s:o, s:s, s:s, s:s, s:s}", "key", d->key, "module",
		      module, "type", policy_type_name(d->type), "value", fk_policy_snap_json(s, d),
		      "default", fk_policy_default(d), "label_zh", d->label_zh, "label_en",
		      d->label_en, "help_zh", d->help_zh, "help_en", d->help_en);

	if (d->type != FK_POLICY_TIME) {
		json_object_set_new(o, "min", json_real(d->min));
		json_object_set_new(o, "max", json_real(d->max));
	}
	if (d->choices)
		json_object_set_new(o, "choices", choices_json(d));
	if (unit)
		json_object_set_new(o, "unit", json_string(unit));
	return o;
}

static json_t *current_json(struct fk_policy_snap *s)
{
	json_t *items = json_array();

	for (int i = 0; i < fk_policy_count(); i++) {
		const char *module = NULL;
		const struct fk_policy_def *d = fk_policy_at(i, &module);
		json_array_append_new(items, def_json(s, d, module));
	}
	return json_pack("{s:I, s:o}", "version", (json_int_t)s->version, "items", items);
}

static int api_list(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct fk_policy_snap *s = fk_policy_snap(req->db);

	(void)err;
	fk_resp_json(resp, 200, current_json(s));
	fk_policy_snap_release(s);
	return 0;
}

static int api_history(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	int64_t before = 0, limit = 0;
	json_t *items = json_array(), *last;
	int rc = fk_req_query_int(req, "before", 0, 0, INT64_MAX, &before, err);

	if (rc == 0)
		rc = fk_req_query_int(req, "limit", HISTORY_LIMIT_DEFAULT, 1, HISTORY_LIMIT_MAX,
				      &limit, err);
	if (rc == 0)
		rc = policy_history(req->db, before, limit, items, err);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	last = json_array_get(items, json_array_size(items) - 1);
	fk_resp_json(
	    resp, 200,
	    json_pack("{s:o, s:o}", "items", items, "next_before",
		      last && (int64_t)json_array_size(items) == limit
			  ? json_integer(json_integer_value(json_object_get(last, "version")))
			  : json_null()));
	return 0;
}

static int api_edit(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct fk_policy_edit e = {
	    .values = json_object_get(req->body, "values"),
	    .reason = fk_json_str(req->body, "reason"),
	    .base_version = fk_json_int(req->body, "base_version", -1),
	    .user_id = req->who->user_id,
	    .username = req->who->username,
	};
	struct fk_audit_entry a = {.action = "policy.update", .target_kind = "policy"};
	int64_t version = 0;
	int rc = 0;

	if (json_is_integer(json_object_get(req->body, "base_version")) && e.base_version < 0)
		return fk_err_set(err, FK_EINVAL, "invalid_version", "base_version",
				  "版本号不能为负数", "the version cannot be negative");
	rc = fk_audit_tx_begin(req, err);

	if (rc == 0)
		rc = fk_policy_edit(req->db, &e, &version, err);
	a.target_id = version;
	a.detail = json_pack("{s:I,s:s}", "version", (json_int_t)version, "reason",
			     e.reason ? e.reason : "");
	rc = fk_audit_tx_end(req, rc, &a, err);
	if (rc < 0)
		return rc;
	if (fk_policy_cache_refresh(req->db, err) < 0)
		fk_warn("event=policy_refresh_failed version=%lld msg=\"%s\"", (long long)version,
			err->en);
	fk_info("event=policy_edit version=%lld user=%s", (long long)version, e.username);
	return api_list(req, resp, err);
}

const struct fk_route policy_routes[] = {
    {.method = "GET",
     .path = "/api/v1/policies",
     .fn = api_list,
     .roles = FK_ROLES_ALL,
     .summary = "Current policy values with their version and definitions (labels, bounds, "
		"defaults)"},
    {.method = "GET",
     .path = "/api/v1/policies/history",
     .fn = api_history,
     .roles = FK_R(ADMIN),
     .summary = "Policy versions newest first (who, when, reason, changes): before, limit"},
    {.method = "PUT",
     .path = "/api/v1/policies",
     .fn = api_edit,
     .roles = FK_R(ADMIN),
     .body = edit_body,
     .summary = "Change policies with a reason: one new version, all or nothing"},
    FK_ROUTES_END,
};
