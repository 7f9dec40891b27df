/* internal: what the files of the requests module share. A function that writes expects the
 * caller's write transaction (fk_tx_begin or the request's audited one) unless it says
 * otherwise.
 *
 *   policy.c   the deadlines by kind and urgency, the kinds and urgencies (English or 中文)
 *   level.c    the levels, and which area's accounts receive a request
 *   request.c  raising one, reading one, its log, event and alert
 *   render.c   its JSON and its log's
 *   action.c   accept, done, close, confirm, reopen, escalate by hand
 *   list.c     the scoped list and the counts
 *   escalate.c the job requests.escalate
 *   import.c   the hotline's CSV
 *   api.c      the handlers */
#ifndef FK_REQUESTS_INTERNAL_H
#define FK_REQUESTS_INTERNAL_H
#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include "area/area.h"
#include "audit/audit.h"
#include "http/http.h"
#include "platform/module.h"
#include "policy/policy.h"
#include "people/people.h"
#include "users/principal.h"
#include "requests/requests.h"

#define RQ_DETAIL_MAX 1000 /* characters */
#define RQ_REASON_MAX 500  /* characters of a reason or note */
#define RQ_MAX_DEPTH  16   /* areas on one path */

/* ---- policy.c ---- */

enum {
	RQ_POL_MEDICAL_URGENT,
	RQ_POL_MEDICAL,
	RQ_POL_MEDICINE,
	RQ_POL_SUPPLIES,
	RQ_POL_ELDERLY,
	RQ_POL_COMPLAINT,
	RQ_POL_OTHER,
	RQ_POL_URGENT,
};
extern const struct fk_policy_def rq_policies[];

/* The kind's English name for kind given in English or Chinese ("购药" -> "medicine"); NULL if
 * unknown. Same for urgency ("紧急" -> "urgent", "一般"/"普通" -> "normal"). */
const char *rq_kind_norm(const char *kind);
const char *rq_urgency_norm(const char *urgency);
/* The deadline in ms for a kind and urgency (both normalised) from the policies' values:
 * the kind's normal deadline; urgent, medical care has its own (requests.medical_urgent_
 * minutes) and every other kind the shorter of its own and requests.urgent_hours. */
int64_t rq_deadline_ms(const struct fk_policy_snap *s, const char *kind, const char *urgency);
/* The same from plain values (ms): normal[kind index], medical_urgent, urgent. Pure. */
int64_t rq_deadline_pick(const int64_t normal_ms[6], int64_t medical_urgent_ms, int64_t urgent_ms,
			 const char *kind, const char *urgency);
/* Index of a normalised kind in medicine, medical, supplies, elderly_help, complaint, other;
 * -1 if none. */
int rq_kind_index(const char *kind);
extern const char *const rq_kinds[6];

/* ---- level.c ---- */

/* An area on a path that may hold a request: its level kind, depth and whether an active
 * account of the level's role is scoped on it. */
struct rq_cand {
	int64_t id;
	char kind[16]; /* building, grid, community, street, district */
	char path[FK_AREA_PATH_MAX];
	char name[FK_AREA_NAME_MAX * 4 + 1];
	int depth; /* slashes in the path minus one: the root is 1 */
	bool staffed;
};
/* Whether kind is a level (building, grid, community, street, district). */
bool rq_level_kind(const char *kind);
/* The role whose accounts receive a request at a level: building, grid, community, or
 * commander for street and district. */
const char *rq_level_role(const char *level);
/* The depth of a materialized path ("/1/12/" is 2). */
int rq_path_depth(const char *path);
/* Among c[0..n), the deepest staffed candidate strictly above below_depth (INT32_MAX: any);
 * its index, or -1 when none. Pure. */
int rq_level_pick(const struct rq_cand *c, int n, int below_depth);
/* qsort/bsearch order of candidates: by path. */
int rq_cand_cmp(const void *a, const void *b);
/* Among sorted (by rq_cand_cmp; every one staffed), the one nearest above the area at path
 * (that area itself excluded), or NULL. Pure. */
const struct rq_cand *rq_staffed_above(const struct rq_cand *sorted, int n, const char *path);
/* The level areas on path (the path's own area and its ancestors) into c (RQ_MAX_DEPTH),
 * with whether each is staffed; *n gets how many. */
int rq_level_cands(struct fk_db *db, const char *path, struct rq_cand *c, int *n,
		   struct fk_err *err);

/* ---- request.c ---- */

struct rq_row {
	int64_t id, person_id, level_area_id, due_at, escalations, created_at, updated_at;
	int64_t closed_at, call_id;
	char area_path[FK_AREA_PATH_MAX], level_area_path[FK_AREA_PATH_MAX];
	char kind[16], urgency[8], status[12], level[16], source[12], closed_by[12];
	bool at_top;
};
/* Reads request id for who: a resident only its own, staff only in scope; anything else is
 * FK_ENOTFOUND "request_not_found", as an unknown id. */
int rq_row_get(struct fk_db *db, const struct fk_principal *who, int64_t id, struct rq_row *r,
	       struct fk_err *err);
/* The request JSON (person masked as who may see it), with its log when log. */
int rq_json(struct fk_db *db, const struct fk_principal *who, int64_t id, bool log,
	    const char *lang, json_t **out, struct fk_err *err);
/* Appends a log row. by NULL: the system (the job). */
int rq_log(struct fk_db *db, const struct rq_row *r, const struct fk_principal *by,
	   const char *action, const char *from_level, const char *to_level, const char *note,
	   int64_t now, struct fk_err *err);
/* The event "request" about r (payload: id, kind, urgency, level, level_area_id, status),
 * once db's transaction commits (at once when none is open). */
void rq_event(struct fk_db *db, const struct rq_row *r);
/* The alert at r's level area for a request new there (raised, escalated by hand, reopened). */
int rq_alert(struct fk_db *db, const struct rq_row *r, const char *why, struct fk_err *err);
/* Checks detail (1..RQ_DETAIL_MAX characters) and a note or reason (field; required or not,
 * up to RQ_REASON_MAX). FK_EINVAL / FK_EUNPROC naming the field. */
int rq_text_check(const char *s, const char *field, size_t max_chars, bool required,
		  struct fk_err *err);
/* The columns rq_q_json reads: the request beside its person and areas. Append the WHERE. */
#define RQ_JSON_SELECT                                                                             \
	"SELECT r.id, r.person_id, r.kind, r.urgency, r.detail, r.source, r.contact_phone, "       \
	"r.ticket_no, r.status, r.call_id, r.level, r.level_area_id, r.due_at, r.escalations, "    \
	"r.created_at, r.updated_at, r.closed_at, r.closed_by, p.name, p.id_number, p.phone, "     \
	"p.area_id, pa.name, la.name, r.close_reason FROM requests r LEFT JOIN people p ON p.id "  \
	"= r.person_id LEFT JOIN areas pa ON pa.id = p.area_id LEFT JOIN areas la ON la.id = "     \
	"r.level_area_id"
/* One row of RQ_JSON_SELECT as the request JSON for who (no log); overdue by now. */
json_t *rq_q_json(struct fk_q *q, const struct fk_principal *who, int64_t now);
/* A request checked and placed, not yet stored: what raising needs read (the person, the
 * level, the deadline), apart from the write, so a phone's raise reads on its own thread and
 * connection and only writes in the group commit. */
struct rq_prep {
	struct rq_row r;     /* id and times are set by rq_store */
	const char *detail;  /* borrowed from the caller's request */
	char phone[24];	     /* the contact phone, normalised, or "" */
	int64_t call_id;     /* or 0 */
	int64_t deadline_ms; /* from raising to the deadline */
	int64_t area_id;     /* the person's area, and what the reply shows of them: */
	char name[260], id_number[40], person_phone[24], area_name[260], level_name[260];
};
/* Checks n, reads the person (person NULL: n->person_id in who's scope, FK_ENOTFOUND
 * "person_not_found" naming person_id otherwise; else the one given), its level and the
 * deadline into p. Reads only. */
int rq_prepare(struct fk_db *db, const struct fk_principal *who, const struct fk_request_new *n,
	       const struct fk_person *person, struct rq_prep *p, struct fk_err *err);
/* Stores p (p->r.id and times assigned): its row, its log row, its alert and event.
 * ticket_no and received_at for an import (NULL, 0 otherwise); a ticket stored before is
 * FK_ECONFLICT "duplicate_ticket". */
int rq_store(struct fk_db *db, const struct fk_principal *who, struct rq_prep *p,
	     const char *ticket_no, int64_t received_at, struct fk_err *err);
/* The request JSON of a request p just stored, as rq_json would read it back. */
json_t *rq_prep_json(const struct rq_prep *p, const struct fk_principal *who);

/* ---- action.c ---- */

/* Runs action (accept, done, close, confirm, reopen, escalate) on request id for who with
 * text (the note or reason; may be NULL), in the caller's transaction. */
int rq_action(struct fk_db *db, const struct fk_principal *who, int64_t id, const char *action,
	      const char *text, struct fk_err *err);

/* ---- list.c ---- */

struct rq_query {
	const char *under;  /* an area path in scope, or NULL */
	const char *status; /* or NULL */
	const char *kind;
	const char *level;
	bool overdue, mine;
	int64_t before; /* the cursor: ids below it; 0 = from the newest */
	int limit;
	int64_t now;
};
int rq_list(struct fk_db *db, const struct fk_principal *who, const struct rq_query *q, json_t *out,
	    struct fk_err *err);
/* Counts in who's scope (under narrows) of requests raised from..to (epoch ms, to excluded). */
int rq_counts(struct fk_db *db, const struct fk_principal *who, const char *under, int64_t from,
	      int64_t to, int64_t now, json_t **out, struct fk_err *err);

/* ---- escalate.c ---- */

/* One pass of the job at now: every open or accepted request past its deadline moves one
 * level up (or stays, flagged at_top, at the highest), in one transaction. *moved (may be
 * NULL) gets how many moved. */
int rq_escalate(struct fk_db *db, int64_t now, int64_t *moved, struct fk_err *err);
int rq_escalate_job(struct fk_app *app, struct fk_db *db, struct fk_err *err);

/* ---- import.c ---- */

/* Imports the hotline's CSV for who: all rows or none. out gets {created, duplicates,
 * errors}; a bad row makes the call FK_EUNPROC "import_invalid" with out still filled. */
int rq_import(struct fk_db *db, const struct fk_principal *who, const char *data, size_t len,
	      json_t **out, struct fk_err *err);

/* ---- api.c ---- */

extern const struct fk_field rq_body_raise[], rq_body_note[];
int rq_api_raise(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int rq_api_list(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int rq_api_one(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int rq_api_action(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int rq_api_import(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int rq_api_counts(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);

#endif
