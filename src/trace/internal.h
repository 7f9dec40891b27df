/* internal: what the files of the trace module share. A function that writes expects the
 * caller's write transaction (fk_tx_begin or the request's audited one) unless it says
 * otherwise. who NULL is the system: no scope. */
#ifndef FK_TRACE_INTERNAL_H
#define FK_TRACE_INTERNAL_H
#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include "area/area.h"
#include "audit/audit.h"
#include "http/http.h"
#include "platform/module.h"
#include "policy/policy.h"
#include "trace/trace.h"

/* Who writes cases and contacts; who reads them (a grid worker: its own people). */
#define TC_ROLES_WRITE (FK_R(ADMIN) | FK_R(COMMANDER) | FK_R(COMMUNITY))
#define TC_ROLES_READ  (TC_ROLES_WRITE | FK_R(GRID))
#define TC_TEXT_MAX    200 /* characters of a place, a found place */
#define TC_NOTE_MAX    500 /* characters of a note */

/* ---- the words the module accepts (enum.c) ---- */

extern const char *const tc_case_statuses[];   /* confirmed, asymptomatic, recovered */
extern const char *const tc_found_by_hand[];   /* screening, fever_clinic, imported, other */
extern const char *const tc_contact_kinds[];   /* close, secondary */
extern const char *const tc_exposures[];       /* household, shared_space, ... */
extern const char *const tc_certainties[];     /* confirmed, probable, possible */
extern const char *const tc_contact_sources[]; /* named_by_case, checkpoint_log, ... */
/* 0 when s is one of words (NULL-ended); else FK_EINVAL "invalid_<field>" naming field and
 * listing the words. s NULL: FK_EINVAL "missing_field". */
int tc_enum_check(const char *s, const char *const *words, const char *field, struct fk_err *err);
/* 0 when s is a real "YYYY-MM-DD" not after today (China Standard Time), else FK_EINVAL
 * "invalid_date" or FK_EUNPROC "future_date" naming field. */
int tc_day_check(const char *s, const char *field, struct fk_err *err);

/* ---- cases (case.c) ---- */

/* A case as asked (by hand or by a finding) and as stored. */
struct tc_case {
	int64_t id, person_id, source_case_id, generation, retest_id, created_by;
	char area_path[FK_AREA_PATH_MAX];
	const char *status, *onset_day, *found_by, *found_place, *note;
};

/* FK_ENOTFOUND "case_not_found" naming field (may be NULL). */
int tc_case_not_found(const char *field, struct fk_err *err);
/* Reads case id's person, area path and generation when who's scope covers it; else
 * tc_case_not_found(field). Any out may be NULL. */
int tc_case_read(struct fk_db *db, const struct fk_principal *who, int64_t id, const char *field,
		 int64_t *person_id, char *area_path, int64_t *generation, struct fk_err *err);
/* Stores c (its person_id and area_path set; status, found_by checked) as a new case by
 * c->created_by: refuses a person who already is a case (FK_ECONFLICT "case_exists" naming
 * person_id); takes the source from c->source_case_id (who must see it) or else from an open
 * close-contact row of the person; sets the generation and marks the person's open contact
 * rows became_case. Fills c->id, c->source_case_id, c->generation. */
int tc_case_insert(struct fk_db *db, const struct fk_principal *who, struct tc_case *c,
		   struct fk_err *err);
/* fk_trace_case_found for a settled positive retest: a new case records retest_id. */
int tc_case_found_retest(struct fk_db *db, int64_t person_id, int64_t retest_id, int64_t *case_id,
			 bool *created, struct fk_err *err);
/* The person's case id into *id, 0 when none. */
int tc_case_of_person(struct fk_db *db, int64_t person_id, int64_t *id, struct fk_err *err);
/* The case's JSON (with its person, contact counts and, with proposed, its proposals). */
int tc_case_json(struct fk_db *db, const struct fk_principal *who, int64_t id, bool proposed,
		 json_t **out, struct fk_err *err);
/* Changes the fields of patch that are set (status, onset_day, found_place, note). */
int tc_case_patch(struct fk_db *db, const struct fk_principal *who, int64_t id,
		  const struct tc_case *patch, struct fk_err *err);
/* Cases in who's scope, newest first, narrowed to area_id's subtree (0: all) and status
 * (NULL: any); after is the previous page's cursor (NULL: first). */
int tc_case_list(struct fk_db *db, const struct fk_principal *who, int64_t area_id,
		 const char *status, const char *after, int limit, json_t *items, char *next,
		 size_t nsize, struct fk_err *err);

/* ---- contacts (contact.c, promote.c) ---- */

struct tc_contact {
	int64_t id, case_id, person_id, via_contact_id, met_at, created_by;
	char area_path[FK_AREA_PATH_MAX];
	const char *kind, *place, *exposure, *certainty, *source;
};

/* Adds c to case c->case_id (in who's scope; c->person_id and area_path set): refuses the
 * case's own person (FK_EUNPROC "contact_is_case" naming person_id), a person listed twice
 * (FK_ECONFLICT "contact_exists" naming person_id), a secondary contact whose via_contact_id
 * is not a close contact of the case (FK_EUNPROC "invalid_via_contact") or a close one that
 * has it. Fills c->id. */
int tc_contact_insert(struct fk_db *db, const struct fk_principal *who, struct tc_contact *c,
		      struct fk_err *err);
/* The contacts of case id (which who must see), close ones first; in who's scope. */
int tc_contact_list(struct fk_db *db, const struct fk_principal *who, int64_t case_id,
		    json_t *items, struct fk_err *err);
/* The JSON of contact id (read without scope: the caller checked it). */
int tc_contact_json(struct fk_db *db, const struct fk_principal *who, int64_t id, json_t **out,
		    struct fk_err *err);
/* The secondary contacts of case id's source case via the contact row of case id's person,
 * still open (listed or placed): what promotion would move. */
int tc_proposed_list(struct fk_db *db, const struct fk_principal *who, int64_t case_id,
		     json_t *items, struct fk_err *err);
/* Moves the proposals of case id up: each becomes a close contact of case id (or an existing
 * contact of it becomes close), its old row "moved" with moved_to_id. *moved gets how many;
 * items (may be NULL) their new rows. */
int tc_promote(struct fk_db *db, const struct fk_principal *who, int64_t case_id, int *moved,
	       json_t *items, struct fk_err *err);

/* ---- people as the module shows them (person.c) ---- */

/* The person part of a case or contact, from columns at col: id, name, id_number, phone,
 * area_id, area name (the SQL of TC_PERSON_COLS). Masked as who may see. */
#define TC_PERSON_COLS "p.id, p.name, p.id_number, p.phone, p.area_id, a.name"
#define TC_PERSON_JOIN " JOIN people p ON p.id = %s.person_id JOIN areas a ON a.id = p.area_id"
json_t *tc_person_json(const struct fk_principal *who, struct fk_q *q, int col);
/* The person an API body names: person_id (in who's scope, else FK_ENOTFOUND
 * "person_not_found" naming person_id) or person {name, id_number, phone, area_id}, created
 * through the people module; fills *id and area_path. Neither or both: FK_EINVAL naming
 * person_id. */
int tc_person_pick(struct fk_db *db, const struct fk_principal *who, json_t *body, int64_t *id,
		   char *area_path, struct fk_err *err);

/* ---- the transmission graph (graph.c) ---- */

/* The chain case id is in: its root ancestors and every descendant, with their contacts. */
int tc_graph_case(struct fk_db *db, const struct fk_principal *who, int64_t id, json_t **out,
		  struct fk_err *err);
/* The cases under area_id (0: who's whole scope) and their contacts and links. */
int tc_graph_area(struct fk_db *db, const struct fk_principal *who, int64_t area_id, json_t **out,
		  struct fk_err *err);

/* ---- HTTP (api.c, api_contact.c) and the listener (module.c) ---- */

extern const struct fk_field tc_body_case_create[], tc_body_case_patch[], tc_body_empty[],
    tc_body_contact[];
/* A trimmed copy of a body string in the request's arena; NULL when absent, null or blank. */
const char *tc_body_text(struct fk_req *req, const char *name);
int tc_on_positive_retest(struct fk_app *app, struct fk_db *db, const json_t *payload,
			  struct fk_err *err);
int tc_api_case_create(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int tc_api_case_list(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int tc_api_case_get(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int tc_api_case_patch(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int tc_api_contact_list(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int tc_api_contact_create(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int tc_api_promote(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int tc_api_graph_case(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int tc_api_graph_area(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);

#endif
