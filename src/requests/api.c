/* api: the requests module's handlers — raising one (a write a phone may retry: keyed by
 * client_key through platform/keyed.h), the list, one request with its log (an audited
 * read: it names a person), the actions (audited writes), the hotline import and the
 * counts. */
#include <stdio.h>
#include <string.h>
#include "base/clock.h"
#include "base/id.h"
#include "base/json.h"
#include "platform/keyed.h"
#include "requests/internal.h"

const struct fk_field rq_body_raise[] = {
    {.name = "person_id", .type = FK_J_ID, .nullable = true},
    {.name = "kind", .type = FK_J_STRING, .required = true, .max_len = 32},
    {.name = "urgency", .type = FK_J_STRING, .nullable = true, .max_len = 16},
    {.name = "detail", .type = FK_J_STRING, .required = true, .max_len = RQ_DETAIL_MAX * 4},
    {.name = "contact_phone", .type = FK_J_STRING, .nullable = true, .max_len = 32},
    {.name = "source", .type = FK_J_STRING, .nullable = true, .max_len = 16},
    FK_KEYED_FIELD,
    FK_FIELDS_END,
};

/* The actions' body: {note} for /done, {reason} for the others (required by /close and
 * /escalate); /accept and /confirm take {} (a reason given is logged). */
const struct fk_field rq_body_note[] = {
    {.name = "note", .type = FK_J_STRING, .nullable = true, .max_len = RQ_REASON_MAX * 4},
    {.name = "reason", .type = FK_J_STRING, .nullable = true, .max_len = RQ_REASON_MAX * 4},
    FK_FIELDS_END,
};

struct raise_ctx {
	struct fk_request_new n;
	struct rq_prep p;
};

static int raise_parse(struct fk_req *req, void *ctx, struct fk_err *err)
{
	struct raise_ctx *c = ctx;
	int64_t named = fk_json_id(req->body, "person_id");
	bool resident = req->who->role == FK_ROLE_RESIDENT;

	if (resident && (req->who->person_id <= 0 || (named && named != req->who->person_id)))
		return fk_err_set(err, FK_EPERM, "not_own_person", "person_id",
				  "居民只能为本人提出诉求",
				  "a resident raises requests only for themself");
	if (!resident && !named)
		return fk_err_set(err, FK_EINVAL, "missing_field", "person_id",
				  "代为提出诉求须填写 person_id", "person_id is required");
	c->n.person_id = resident ? req->who->person_id : named;
	c->n.kind = fk_json_str(req->body, "kind");
	c->n.urgency = fk_json_str(req->body, "urgency");
	if (!c->n.urgency)
		c->n.urgency = "normal";
	c->n.detail = fk_json_str(req->body, "detail");
	c->n.contact_phone = fk_json_str(req->body, "contact_phone");
	c->n.source = resident ? "resident" : "worker";
	/* The reads (the person, the level, the deadline) here, on the request's own thread
	 * and connection; the write does only the writes. */
	return rq_prepare(req->db, req->who, &c->n, NULL, &c->p, err);
}

static int raise_write(struct fk_req *req, void *ctx, int *status, json_t **reply,
		       struct fk_err *err)
{
	struct raise_ctx *c = ctx;
	int rc = rq_store(req->db, req->who, &c->p, NULL, 0, err);

	if (rc == 0 && req->who->role != FK_ROLE_RESIDENT) /* for someone else: audited */
		rc = fk_audit_json(req, "request.raise", "request", c->p.r.id,
				   json_pack("{s:s, s:o}", "kind", c->p.r.kind, "person_id",
					     fk_json_idv(c->p.r.person_id)),
				   err);
	if (rc < 0)
		return rc;
	*status = 201;
	*reply = rq_prep_json(&c->p, req->who);
	return 0;
}

static const struct fk_keyed_op raise_op = {
    .name = "request.raise", .parse = raise_parse, .write = raise_write};

int rq_api_raise(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct raise_ctx *c = fk_arena_alloc(req->arena, sizeof(*c));

	memset(c, 0, sizeof(*c));
	return fk_keyed(req, resp, &raise_op, c, err);
}

/* A query filter among allowed (NULL-ended), else FK_EINVAL naming it. */
static int choice(struct fk_req *req, const char *name, const char *const *allowed,
		  const char **out, struct fk_err *err)
{
	const char *v = fk_req_query(req, name);

	*out = NULL;
	if (!v || !*v)
		return 0;
	for (int i = 0; allowed[i]; i++)
		if (strcmp(v, allowed[i]) == 0) {
			*out = allowed[i];
			return 0;
		}
	return fk_err_set(err, FK_EINVAL, "invalid_filter", name, "%s 的取值无效",
			  "%s has no such value", name);
}

static bool flag(struct fk_req *req, const char *name)
{
	const char *v = fk_req_query(req, name);

	return v && strcmp(v, "1") == 0;
}

static int list_query(struct fk_req *req, struct rq_query *q, struct fk_err *err)
{
	static const char *const statuses[] = {"open", "accepted", "done", "closed", NULL};
	static const char *const kinds[] = {"medicine",	 "medical", "supplies", "elderly_help",
					    "complaint", "other",   NULL};
	static const char *const levels[] = {"building", "grid",     "community",
					     "street",	 "district", NULL};
	const char *cursor = fk_req_query(req, "cursor");
	int64_t limit = 0;
	int rc = choice(req, "status", statuses, &q->status, err);

	if (rc == 0)
		rc = choice(req, "kind", kinds, &q->kind, err);
	if (rc == 0)
		rc = choice(req, "level", levels, &q->level, err);
	if (rc == 0)
		rc = fk_req_query_int(req, "limit", 50, 1, 500, &limit, err);
	if (rc == 0 && cursor && *cursor && !fk_id_parse(cursor, &q->before))
		rc = fk_err_set(err, FK_EINVAL, "invalid_cursor", "cursor", "cursor 无效",
				"the cursor is not valid");
	if (rc == 0 && req->who->role != FK_ROLE_RESIDENT)
		rc = fk_req_area_under(req, "area_id", &q->under, err);
	q->limit = (int)limit;
	q->overdue = flag(req, "overdue");
	q->mine = flag(req, "mine");
	q->now = fk_now_ms();
	return rc;
}

int rq_api_list(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct rq_query q = {0};
	json_t *o = json_object();
	int rc = list_query(req, &q, err);

	if (rc == 0)
		rc = rq_list(req->db, req->who, &q, o, err);
	if (rc < 0) {
		json_decref(o);
		return rc;
	}
	fk_resp_json(resp, 200, o);
	return 0;
}

int rq_api_one(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct rq_row r;
	json_t *o = NULL;
	int64_t id = 0;
	int rc = fk_req_param_id(req, "id", &id, err);

	if (rc == 0)
		rc = rq_row_get(req->db, req->who, id, &r, err);
	if (rc == 0)
		rc = rq_json(req->db, req->who, id, true, req->lang, &o, err);
	if (rc == 0 && req->who->role != FK_ROLE_RESIDENT) /* it names a person */
		rc = fk_audit_json(req, "request.read", "request", id, NULL, err);
	if (rc < 0) {
		json_decref(o);
		return rc;
	}
	fk_resp_json(resp, 200, o);
	return 0;
}

/* The action is the path's last segment. */
static const char *action_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* The reason close and escalate need, or the note of the others. */
static int action_text(struct fk_req *req, const char *action, const char **text,
		       struct fk_err *err)
{
	bool needs = strcmp(action, "close") == 0 || strcmp(action, "escalate") == 0;
	const char *field = strcmp(action, "done") == 0 ? "note" : "reason";

	*text = fk_json_str(req->body, field);
	if (*text && !**text)
		*text = NULL;
	return rq_text_check(*text, field, RQ_REASON_MAX, needs, err);
}

int rq_api_action(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	const char *action = action_of(req->path), *text = NULL;
	char name[32];
	json_t *o = NULL;
	int64_t id = 0;
	int rc = fk_req_param_id(req, "id", &id, err);

	if (rc == 0)
		rc = action_text(req, action, &text, err);
	if (rc == 0)
		rc = fk_audit_tx_begin(req, err);
	if (rc < 0)
		return rc;
	rc = rq_action(req->db, req->who, id, action, text, err);
	snprintf(name, sizeof(name), "request.%s", action);
	rc = fk_audit_tx_end(
	    req, rc,
	    &(struct fk_audit_entry){.action = name,
				     .target_kind = "request",
				     .target_id = id,
				     .detail = text ? json_pack("{s:s}", "text", text) : NULL},
	    err);
	if (rc == 0)
		rc = rq_json(req->db, req->who, id, true, req->lang, &o, err);
	if (rc < 0)
		return rc;
	fk_resp_json(resp, 200, o);
	return 0;
}

int rq_api_import(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	json_t *out = NULL;
	int rc = fk_audit_tx_begin(req, err);

	if (rc < 0)
		return rc;
	rc = rq_import(req->db, req->who, req->raw_body ? req->raw_body : "", req->raw_len, &out,
		       err);
	rc = fk_audit_tx_end(
	    req, rc,
	    &(struct fk_audit_entry){
		.action = "request.import",
		.target_kind = "import",
		.detail = json_pack(
		    "{s:I, s:I}", "created", json_integer_value(json_object_get(out, "created")),
		    "duplicates", json_integer_value(json_object_get(out, "duplicates")))},
	    err);
	if (rc == FK_EUNPROC && out) { /* the bad rows, with the usual error beside them */
		fk_resp_error_with(req, resp, rc, err, out);
		return 0;
	}
	if (rc < 0) {
		json_decref(out);
		return rc;
	}
	fk_resp_json(resp, 200, out);
	return 0;
}

/* ?from&to: days "YYYY-MM-DD" (China Standard Time), to included; the last 7 days by
 * default. */
static int day_ms(struct fk_req *req, const char *name, int64_t def, int64_t *ms,
		  struct fk_err *err)
{
	const char *v = fk_req_query(req, name);
	int y, m, d;

	*ms = def;
	if (!v || !*v)
		return 0;
	if (fk_date_parse(v, &y, &m, &d) < 0)
		return fk_err_set(err, FK_EINVAL, "invalid_day", name, "%s 须为 YYYY-MM-DD",
				  "%s must be YYYY-MM-DD", name);
	*ms = fk_date_days(y, m, d) * 86400000LL - 28800000LL;
	return 0;
}

int rq_api_counts(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	int64_t now = fk_now_ms(),
		today = (now + 28800000LL) / 86400000LL * 86400000LL - 28800000LL;
	int64_t from = 0, to = 0;
	const char *under = NULL;
	json_t *o = NULL;
	int rc = day_ms(req, "from", today - 6 * 86400000LL, &from, err);

	if (rc == 0)
		rc = day_ms(req, "to", today, &to, err);
	if (rc == 0 && (to < from || to - from > 366 * 86400000LL))
		rc = fk_err_set(err, FK_EINVAL, "invalid_range", "to",
				"to 须不早于 from，且相隔不超过一年",
				"to must not come before from, at most a year after it");
	if (rc == 0)
		rc = fk_req_area_under(req, "area_id", &under, err);
	if (rc == 0)
		rc = rq_counts(req->db, req->who, under, from, to + 86400000LL, now, &o, err);
	if (rc < 0)
		return rc;
	fk_resp_json(resp, 200, o);
	return 0;
}
