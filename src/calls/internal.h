/* internal: what the files of the calls module share. A function that writes expects the
 * caller's write transaction (a keyed write).
 *
 *   today.c  the day's call list: whom to call and why, with the day's calls
 *   call.c   a call: its checks, its write (and the request of a needs_help call), its JSON
 *   counts.c counts per worker and per day
 *   api.c    the handlers */
#ifndef FK_CALLS_INTERNAL_H
#define FK_CALLS_INTERNAL_H
#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include "area/area.h"
#include "audit/audit.h"
#include "http/http.h"
#include "platform/module.h"
#include "users/principal.h"
#include "calls/calls.h"

#define CL_DAY		11   /* "YYYY-MM-DD" and its NUL */
#define CL_NOTE_MAX	500  /* characters */
#define CL_LIST_MAX	5000 /* people on one list */
#define CL_RANGE_MAX	366  /* days of one count */
#define CL_ROLES	FK_ROLES_PEOPLE
#define CL_ROLES_COUNTS (FK_R(ADMIN) | FK_R(COMMANDER) | FK_R(COMMUNITY) | FK_R(GRID))

/* The reasons a person is on the list, as bits and as the API names them. */
enum { CL_RETURNEE = 1, CL_KEY_PERSON = 2, CL_ELDERLY_ALONE = 4, CL_PLACEMENT = 8 };

/* ---- today.c ---- */

/* day + n days, "YYYY-MM-DD"; day must be valid. */
void cl_day_add(const char *day, int64_t n, char out[CL_DAY]);
/* Today in China Standard Time. */
void cl_today(char out[CL_DAY]);
/* The people to call on day in who's scope (under narrows): those on a monitoring plan's day
 * (screening_call_days: returnee), tagged key_person or elderly_alone (person_tags), under a
 * placement on the day (placements); each once with all their reasons, by area and name, and
 * the day's calls of each. items gets [{person:{id, name, id_number, phone, masked, area_id,
 * area_name, household}, reasons:[...], calls:[{id, outcome, note, at, by_name,
 * request_id}]}], at most CL_LIST_MAX people (*truncated tells whether more were left out:
 * a wide scope; narrow it with under). */
int cl_today_list(struct fk_db *db, const struct fk_principal *who, const char *day,
		  const char *under, json_t *items, bool *truncated, struct fk_err *err);

/* ---- call.c ---- */

struct cl_call {
	int64_t id, person_id, user_id, request_id, at;
	char day[CL_DAY];
	char outcome[16];
	char note[CL_NOTE_MAX * 4 + 1];
	char area_path[FK_AREA_PATH_MAX];
	/* needs_help: the request to raise */
	char kind[16], urgency[8];
	char detail[1000 * 4 + 1];
};

extern const struct fk_field cl_body_call[];
/* Fills c from a checked body: outcome (FK_EINVAL "invalid_outcome"), note; for needs_help
 * the request {kind, urgency, detail} (FK_EINVAL "missing_field" naming request without it).
 * No store access. */
int cl_call_parse(json_t *body, struct cl_call *c, struct fk_err *err);
/* The person in who's scope (FK_ENOTFOUND "person_not_found" naming person_id otherwise, as
 * for an unknown id): c->area_path. */
int cl_call_prep(struct fk_db *db, const struct fk_principal *who, struct cl_call *c,
		 struct fk_err *err);
/* Stores c for who now (c->id, day, at), raising the request of a needs_help call in the same
 * transaction (c->request_id). */
int cl_call_insert(struct fk_db *db, const struct fk_principal *who, struct cl_call *c,
		   struct fk_err *err);
json_t *cl_call_json(const struct cl_call *c);

/* ---- counts.c ---- */

struct cl_count_query {
	char from[CL_DAY], to[CL_DAY];
	const char *under;
	int64_t only_user; /* a grid worker: its own calls; 0 = every worker */
};
/* {by_worker:[{user_id, name, day, reached, no_answer, wrong_number, needs_help, total}],
 * by_day:[{day, reached, no_answer, wrong_number, needs_help, total}]} of the calls in who's
 * scope in [from, to]. */
int cl_counts(struct fk_db *db, const struct fk_principal *who, const struct cl_count_query *q,
	      json_t **out, struct fk_err *err);

/* ---- api.c ---- */

int cl_api_today(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int cl_api_call(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int cl_api_counts(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);

#endif
