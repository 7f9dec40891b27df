/* call: one follow-up call — the person called (in the caller's scope), its outcome
 * (reached, no answer, wrong number, needs help) and a note; a needs_help call raises a
 * request for the person (requests.h) in the same transaction and keeps its id. */
#include <stdio.h>
#include <string.h>
#include "base/buf.h"
#include "base/clock.h"
#include "base/id.h"
#include "base/json.h"
#include "base/utf8.h"
#include "base/xmalloc.h"
#include "people/people.h"
#include "platform/keyed.h"
#include "requests/requests.h"
#include "calls/internal.h"

const struct fk_field cl_body_call[] = {
    {.name = "person_id", .type = FK_J_ID, .required = true},
    {.name = "outcome", .type = FK_J_STRING, .required = true, .max_len = 16},
    {.name = "note", .type = FK_J_STRING, .nullable = true, .max_len = CL_NOTE_MAX * 4},
    {.name = "request", .type = FK_J_OBJECT, .nullable = true},
    FK_KEYED_FIELD,
    FK_FIELDS_END,
};

static bool outcome_valid(const char *s)
{
	static const char *const outcomes[] = {"reached", "no_answer", "wrong_number",
					       "needs_help"};

	for (size_t i = 0; s && i < sizeof(outcomes) / sizeof(outcomes[0]); i++)
		if (strcmp(s, outcomes[i]) == 0)
			return true;
	return false;
}

/* The request of a needs_help call: kind, urgency and detail as strings; the requests module
 * checks their values. */
static int parse_request(json_t *req, struct cl_call *c, struct fk_err *err)
{
	const char *kind = fk_json_str(req, "kind"), *urgency = fk_json_str(req, "urgency"),
		   *detail = fk_json_str(req, "detail");

	if (!json_is_object(req))
		return fk_err_set(err, FK_EINVAL, "missing_field", "request",
				  "需要帮助时须填写 request（kind、urgency、detail）",
				  "a needs_help call needs request {kind, urgency, detail}");
	if (!kind || strlen(kind) >= sizeof(c->kind))
		return fk_err_set(err, FK_EINVAL, "invalid_kind", "request.kind",
				  "request.kind 无效", "request.kind is not valid");
	if (urgency && strlen(urgency) >= sizeof(c->urgency))
		return fk_err_set(err, FK_EINVAL, "invalid_urgency", "request.urgency",
				  "request.urgency 无效", "request.urgency is not valid");
	if (detail && strlen(detail) >= sizeof(c->detail))
		return fk_err_set(err, FK_EINVAL, "too_long", "request.detail",
				  "request.detail 过长", "request.detail is too long");
	fk_copy_text(c->kind, sizeof(c->kind), kind);
	fk_copy_text(c->urgency, sizeof(c->urgency), urgency ? urgency : "normal");
	fk_copy_text(c->detail, sizeof(c->detail), detail);
	return 0;
}

int cl_call_parse(json_t *body, struct cl_call *c, struct fk_err *err)
{
	const char *outcome = fk_json_str(body, "outcome");

	c->person_id = fk_json_id(body, "person_id");
	if (!outcome_valid(outcome))
		return fk_err_set(err, FK_EINVAL, "invalid_outcome", "outcome",
				  "outcome 须为 reached、no_answer、wrong_number 或 needs_help",
				  "outcome must be reached, no_answer, wrong_number or needs_help");
	fk_copy_text(c->outcome, sizeof(c->outcome), outcome);
	fk_copy_text(c->note, sizeof(c->note), fk_json_str(body, "note"));
	fk_utf8_trim(c->note);
	if (fk_utf8_chars(c->note) > CL_NOTE_MAX)
		return fk_err_set(err, FK_EINVAL, "too_long", "note", "备注最多 %d 个字",
				  "the note is at most %d characters", CL_NOTE_MAX);
	if (strcmp(c->outcome, "needs_help") == 0)
		return parse_request(json_object_get(body, "request"), c, err);
	if (json_is_object(json_object_get(body, "request")))
		return fk_err_set(err, FK_EINVAL, "request_without_help", "request",
				  "只有需要帮助（needs_help）的随访才提出诉求",
				  "only a needs_help call raises a request");
	return 0;
}

int cl_call_prep(struct fk_db *db, const struct fk_principal *who, struct cl_call *c,
		 struct fk_err *err)
{
	struct fk_person *p = fk_xcalloc(1, sizeof(*p));
	int rc = fk_person_get(db, who, c->person_id, p, err);

	if (rc == FK_ENOTFOUND)
		rc = fk_err_set(err, rc, "person_not_found", "person_id", "没有该人员",
				"there is no such person");
	if (rc == 0)
		fk_copy_text(c->area_path, sizeof(c->area_path), p->area_path);
	free(p);
	return rc;
}

/* The request of a needs_help call, raised by who for the person, naming the call. The
 * requests module names the fields of its own body (kind, urgency, detail): here they sit
 * under request. */
static int raise_request(struct fk_db *db, const struct fk_principal *who, struct cl_call *c,
			 struct fk_err *err)
{
	const struct fk_request_new r = {.person_id = c->person_id,
					 .kind = c->kind,
					 .urgency = c->urgency,
					 .detail = c->detail,
					 .source = "call",
					 .call_id = c->id};
	int rc = fk_request_raise(db, who, &r, &c->request_id, err);
	char field[16];

	if (rc < 0 && err &&
	    (strcmp(err->field, "kind") == 0 || strcmp(err->field, "urgency") == 0 ||
	     strcmp(err->field, "detail") == 0)) {
		fk_copy_text(field, sizeof(field), err->field);
		snprintf(err->field, sizeof(err->field), "request.%s", field);
	}
	return rc;
}

int cl_call_insert(struct fk_db *db, const struct fk_principal *who, struct cl_call *c,
		   struct fk_err *err)
{
	bool help = strcmp(c->outcome, "needs_help") == 0;
	int rc;

	c->id = fk_id_next();
	c->at = fk_now_ms();
	c->user_id = who->user_id;
	cl_today(c->day);
	rc = help ? raise_request(db, who, c, err) : 0;
	if (rc == 0)
		rc =
		    fk_db_write(db, err,
				"INSERT INTO calls (id, person_id, area_path, user_id, day, "
				"outcome, note, request_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
				"iititttii", c->id, c->person_id, c->area_path, c->user_id, c->day,
				c->outcome, c->note, c->request_id, c->at);
	return rc;
}

json_t *cl_call_json(const struct cl_call *c)
{
	return json_pack("{s:o, s:o, s:o, s:s, s:s, s:s, s:o, s:o}", "id", fk_json_idv(c->id),
			 "person_id", fk_json_idv(c->person_id), "user_id", fk_json_idv(c->user_id),
			 "day", c->day, "outcome", c->outcome, "note", c->note, "request_id",
			 fk_json_idv(c->request_id), "at", fk_json_timev(c->at));
}
