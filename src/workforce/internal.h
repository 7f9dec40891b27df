/* internal: what the files of the workforce module share. A function that writes expects the
 * caller's write transaction (fk_tx_begin or the request's audited one).
 *
 *   worker.c   a worker: checks, read in scope, write, JSON, the scoped list
 *   skills.c   the kinds and skills, as lists and as stored text
 *   callout.c  call-outs: create, change, read, list, JSON
 *   signup.c   sign-ups (public and by staff), accept, decline, dispatch
 *   team.c     teams with a leader and members; dispatch batches
 *   import.c   the CSV / rows import of workers
 *   api.c, api_callout.c, api_public.c  the handlers */
#ifndef FK_WORKFORCE_INTERNAL_H
#define FK_WORKFORCE_INTERNAL_H
#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include "area/area.h"
#include "audit/audit.h"
#include "base/throttle.h"
#include "http/http.h"
#include "platform/module.h"
#include "users/principal.h"
#include "workforce/workforce.h"

#define WF_NAME_MAX   64  /* characters of a name or title */
#define WF_TEXT_MAX   500 /* characters of a note or place */
#define WF_SKILLS_MAX 6
#define WF_LIST_MAX   1000

#define WF_WRITE (FK_R(ADMIN) | FK_R(COMMANDER) | FK_R(COMMUNITY))
#define WF_READ	 (WF_WRITE | FK_R(GRID))

/* ---- skills.c ---- */

/* Whether kind is a worker kind (staff, party_member, cadre, volunteer); a team kind
 * (assault, volunteer, vanguard_post). */
bool wf_kind_valid(const char *kind);
bool wf_team_kind_valid(const char *kind);
/* The English name of a skill or worker kind given in Chinese ("司机" -> "driver", "志愿者"
 * -> "volunteer"); s itself otherwise. */
const char *wf_zh_name(const char *s);
/* Checks a JSON array of skills (each one of driver, medical, interpreter, sampler,
 * logistics, other; no repeats) and writes them comma-separated into out (size >= 96).
 * arr NULL: "". FK_EINVAL "invalid_skill" naming field. */
int wf_skills_text(json_t *arr, const char *field, char *out, size_t size, struct fk_err *err);
/* The same from a CSV cell: skills separated by ',', '，', '、', ';' or spaces. */
int wf_skills_cell(const char *cell, const char *field, char *out, size_t size, struct fk_err *err);
/* The stored text as a JSON array (a new reference). */
json_t *wf_skills_json(const char *text);
/* Checks a required name or title of 1..max characters. FK_EINVAL naming field. */
int wf_text_check(const char *s, const char *field, size_t max_chars, bool required,
		  struct fk_err *err);

/* ---- worker.c ---- */

struct wf_worker {
	int64_t id, area_id, user_id;
	char name[WF_NAME_MAX * 4 + 1];
	char phone[24];
	char kind[16];
	char organisation[WF_NAME_MAX * 4 + 1];
	char skills[96];
	char area_path[FK_AREA_PATH_MAX];
	bool active;
};
/* Reads worker id when who's scope covers it (who NULL: any); FK_ENOTFOUND
 * "worker_not_found" naming field otherwise. */
int wf_worker_read(struct fk_db *db, const struct fk_principal *who, int64_t id, const char *field,
		   struct wf_worker *w, struct fk_err *err);
/* The worker with phone (normalised), any scope: 1 found, 0 none, <0 error. */
int wf_worker_by_phone(struct fk_db *db, const char *phone, struct wf_worker *w,
		       struct fk_err *err);
/* Checks w (name, phone normalised in place, kind, an area in who's scope, the account) and
 * stores it: create gives it an id; a phone another worker has is FK_ECONFLICT "phone_taken". */
int wf_worker_save(struct fk_db *db, const struct fk_principal *who, struct wf_worker *w,
		   bool create, struct fk_err *err);
/* The worker JSON {id, name, phone, kind, organisation, skills, area_id, area_name, user_id,
 * username, active} (phone masked unless who may see phones). */
int wf_worker_json(struct fk_db *db, const struct fk_principal *who, const struct wf_worker *w,
		   json_t **out, struct fk_err *err);
/* Workers in who's scope, under narrowing, of kind and with skill (both checked; "" or NULL:
 * any), the first WF_LIST_MAX by name; *truncated tells whether there were more. */
#define WF_LIST_MAX 1000
int wf_worker_list(struct fk_db *db, const struct fk_principal *who, const char *under,
		   const char *kind, const char *skill, json_t *items, bool *truncated,
		   struct fk_err *err);

/* ---- callout.c ---- */

struct wf_callout {
	int64_t id, area_id, wanted, starts_at, ends_at;
	char title[WF_NAME_MAX * 4 + 1];
	char skills[96];
	char place_text[WF_TEXT_MAX * 4 + 1];
	char status[8];
	char token[64];
	char area_path[FK_AREA_PATH_MAX];
};
/* Reads call-out id in who's scope (FK_ENOTFOUND "callout_not_found"), or by its token
 * (any status; FK_ENOTFOUND for an unknown one). */
int wf_callout_read(struct fk_db *db, const struct fk_principal *who, int64_t id,
		    struct wf_callout *c, struct fk_err *err);
int wf_callout_by_token(struct fk_db *db, const char *token, struct wf_callout *c,
			struct fk_err *err);
/* Checks and stores c (create: id and token made). */
int wf_callout_save(struct fk_db *db, const struct fk_principal *who, struct wf_callout *c,
		    bool create, struct fk_err *err);
/* Counts of its sign-ups: all but declined, and accepted or dispatched. */
int wf_callout_counts(struct fk_db *db, int64_t id, int64_t *signed_up, int64_t *accepted,
		      struct fk_err *err);
/* The call-out JSON; public: only what the sign-up page shows (no ids of areas, no token). */
int wf_callout_json(struct fk_db *db, const struct wf_callout *c, bool public, json_t **out,
		    struct fk_err *err);
int wf_callout_list(struct fk_db *db, const struct fk_principal *who, const char *under,
		    json_t *items, struct fk_err *err);

/* ---- signup.c ---- */

struct wf_signup_in {
	const char *name, *phone, *note;
	json_t *skills;
};
/* Signs up to c (open, not full: else 409 callout_closed / callout_full): makes or matches a
 * volunteer worker by phone (serving c's area when new). *id gets the sign-up; *again true
 * when this worker had signed up before (nothing written). */
int wf_signup(struct fk_db *db, const struct wf_callout *c, const struct wf_signup_in *in,
	      int64_t *id, bool *again, struct fk_err *err);
/* Sign-ups of a call-out with their workers. */
int wf_signup_list(struct fk_db *db, const struct fk_principal *who, const struct wf_callout *c,
		   json_t *items, struct fk_err *err);
/* accept, decline or dispatch (to area_id in who's scope) sign-up id in who's scope; the
 * sign-up's JSON into *out. */
int wf_signup_act(struct fk_db *db, const struct fk_principal *who, int64_t id, const char *action,
		  int64_t area_id, json_t **out, struct fk_err *err);

/* ---- team.c ---- */

/* Creates (id 0) or changes a team from body b for who; *out its JSON. */
int wf_team_save(struct fk_db *db, const struct fk_principal *who, int64_t id, json_t *b,
		 json_t **out, struct fk_err *err);
int wf_team_json(struct fk_db *db, const struct fk_principal *who, int64_t id, json_t **out,
		 struct fk_err *err);
int wf_team_list(struct fk_db *db, const struct fk_principal *who, const char *under, json_t *items,
		 struct fk_err *err);
/* Records a dispatch batch from body b; *out its JSON. */
int wf_batch_create(struct fk_db *db, const struct fk_principal *who, json_t *b, json_t **out,
		    struct fk_err *err);
int wf_batch_list(struct fk_db *db, const struct fk_principal *who, const char *under,
		  json_t *items, struct fk_err *err);

/* ---- import.c ---- */

/* Imports workers from CSV text (data, len) or, rows not NULL, from rows (a JSON array of
 * objects keyed by the header names): all or none, matched by phone; a row without an
 * area_code serves def_area (0: the row is wrong). *out gets {created, updated,
 * errors:[{line, field, code, message, message_en}]}; a bad row makes the call FK_EUNPROC
 * "import_invalid" with *out still filled (the caller rolls back what was written). */
int wf_import(struct fk_db *db, const struct fk_principal *who, const char *data, size_t len,
	      json_t *rows, int64_t def_area, json_t **out, struct fk_err *err);

/* ---- module state, api ---- */

struct wf_state {
	struct fk_throttle throttle; /* public sign-ups per client address */
};

extern const struct fk_field wf_body_worker_create[], wf_body_worker_update[];
extern const struct fk_field wf_body_callout_create[], wf_body_callout_update[];
extern const struct fk_field wf_body_signup[], wf_body_dispatch[], wf_body_batch[];
extern const struct fk_field wf_body_team_create[], wf_body_team_update[];
int wf_api_worker_create(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int wf_api_worker_list(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int wf_api_worker_get(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int wf_api_worker_update(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int wf_api_worker_import(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int wf_api_callout_create(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int wf_api_callout_list(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int wf_api_callout_get(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int wf_api_callout_update(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int wf_api_callout_qr(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int wf_api_signup_list(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int wf_api_signup_act(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int wf_api_public_get(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int wf_api_public_post(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int wf_api_batch_create(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int wf_api_batch_list(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int wf_api_team_create(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int wf_api_team_list(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int wf_api_team_get(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int wf_api_team_update(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);

#endif
