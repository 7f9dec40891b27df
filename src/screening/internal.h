/* internal: what the files of the screening module share. A function that writes expects the
 * caller's write transaction (fk_tx_begin, a keyed write or the request's audited one).
 *
 *   campaign.c  campaigns: checks, token, writes, reads in scope, JSON, the public view
 *   register.c  a registration: its checks, the person (matched or registered), its JSON
 *   reglist.c   a campaign's registrations in the caller's scope
 *   plan.c      a key person's monitoring plan and its call days
 *   api.c       the staff handlers; api_public.c the public ones (no login, throttled) */
#ifndef FK_SCREENING_INTERNAL_H
#define FK_SCREENING_INTERNAL_H
#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include "area/area.h"
#include "audit/audit.h"
#include "base/throttle.h"
#include "http/http.h"
#include "people/people.h"
#include "platform/module.h"
#include "users/principal.h"
#include "screening/screening.h"

#define SC_DAY		  11 /* "YYYY-MM-DD" and its NUL */
#define SC_TOKEN_BYTES	  32 /* random bytes of a public link's token */
#define SC_TOKEN_HEX	  (2 * SC_TOKEN_BYTES + 1)
#define SC_NAME_MAX	  64  /* characters: a campaign's name */
#define SC_TEXT_MAX	  200 /* characters: criteria, from_place */
#define SC_ADDRESS_MAX	  32  /* characters: the room label, as the people module keeps it */
#define SC_PLAN_DAYS_MAX  60  /* call days of one plan */
#define SC_PUBLIC_PER_MIN 20  /* public posts per client address per minute */
#define SC_ROLES_WRITE	  (FK_R(ADMIN) | FK_R(COMMANDER) | FK_R(COMMUNITY))
#define SC_ROLES_READ	  (SC_ROLES_WRITE | FK_R(GRID))
#define SC_ROLES_REGISTER (SC_ROLES_READ | FK_R(BUILDING))

/* The module's state (init): the public routes' throttle. */
struct sc_state {
	struct fk_throttle throttle;
};

struct sc_campaign {
	int64_t id, area_id, created_by, created_at, updated_at;
	char name[SC_NAME_MAX * 4 + 1];
	char area_path[FK_AREA_PATH_MAX];
	char area_name[FK_AREA_NAME_MAX * 4 + 1];
	char criteria[SC_TEXT_MAX * 4 + 1];
	char from_day[SC_DAY], until_day[SC_DAY]; /* until_day "" = open-ended */
	bool active;
	char token[SC_TOKEN_HEX];
	int64_t registered, key_persons; /* counts, filled by sc_campaign_json's caller */
};

/* ---- campaign.c ---- */

/* Fills c's fields present in body (a checked create or patch body) over what c holds. */
void sc_campaign_from_body(json_t *body, struct sc_campaign *c);
/* Checks c (name, criteria, days: FK_EINVAL / FK_EUNPROC naming the field), its area in who's
 * scope (FK_ENOTFOUND "area_not_found" naming area_id), then inserts it (create: id and a new
 * random token) or writes it over the stored one. */
int sc_campaign_save(struct fk_db *db, const struct fk_principal *who, struct sc_campaign *c,
		     bool create, struct fk_err *err);
/* Reads campaign id, with its counts, when its area and who's scope overlap (a grid worker
 * sees its community's campaign; who NULL: any); FK_ENOTFOUND "campaign_not_found" otherwise.
 * A write also needs fk_scope_covers on its area. */
int sc_campaign_get(struct fk_db *db, const struct fk_principal *who, int64_t id,
		    struct sc_campaign *out, struct fk_err *err);
/* Reads the campaign of a public token: FK_ENOTFOUND "campaign_not_found" for an unknown
 * token, an inactive campaign or one whose until_day has passed, alike. */
int sc_campaign_by_token(struct fk_db *db, const char *token, struct sc_campaign *out,
			 struct fk_err *err);
/* The campaigns whose area overlaps who's scope, newest first, appended to items. */
int sc_campaign_list(struct fk_db *db, const struct fk_principal *who, json_t *items,
		     struct fk_err *err);
/* The campaign JSON of the API (a new reference). */
json_t *sc_campaign_json(const struct sc_campaign *c);
/* The public view of a campaign: {name, criteria, areas:[{id, name, path_name}]} with the
 * buildings and units under its area, for the address picker. */
int sc_campaign_public_json(struct fk_db *db, const struct sc_campaign *c, json_t **out,
			    struct fk_err *err);

/* ---- register.c ---- */

struct sc_registration {
	int64_t id, campaign_id, person_id, area_id, by_user, created_at;
	char name[FK_PERSON_NAME_MAX * 4 + 1];
	char id_number[40];
	char phone[24];
	char from_place[SC_TEXT_MAX * 4 + 1];
	char arrived_day[SC_DAY];
	char travel_code[8];
	char address_detail[SC_ADDRESS_MAX * 4 + 1];
	char area_path[FK_AREA_PATH_MAX];
	bool by_self, matched, key_person;
};

extern const struct fk_field sc_body_registration[];
/* Fills r from a checked body and checks it: the ID number (base/idcard.h) and the phone
 * (base/phone.h) as FK_EUNPROC naming id_number / phone, the travel code (green, yellow, red),
 * the arrival day (a real day, not after today). No store access. */
int sc_registration_parse(json_t *body, struct sc_registration *r, struct fk_err *err);
/* Stores r for campaign c: the area must lie in the campaign's area (and in who's scope for a
 * worker; who NULL for the public form), FK_ENOTFOUND "area_not_found" naming area_id
 * otherwise; the person is the registry's one with that ID number (linked) or is registered
 * in the area through the people module. FK_ECONFLICT "already_registered" naming id_number
 * when the person is registered in the campaign already. */
int sc_registration_insert(struct fk_db *db, const struct fk_principal *who,
			   const struct sc_campaign *c, struct sc_registration *r,
			   struct fk_err *err);
/* Reads registration id with its campaign when the registration's area is in who's scope;
 * FK_ENOTFOUND "registration_not_found" otherwise. */
int sc_registration_get(struct fk_db *db, const struct fk_principal *who, int64_t id,
			struct sc_registration *out, struct fk_err *err);

/* ---- reglist.c ---- */

struct sc_reg_query {
	int64_t campaign_id;
	const char *under; /* an area path in scope, or NULL */
	bool key_only;
};
/* The registrations of a campaign in who's scope (under narrows), newest first, at most 2000:
 * items get {id, person:{id, name, id_number, phone, masked, area_id, area_name (null for a
 * person linked by ID number whose home lies outside who's scope)}, from_place,
 * arrived_day, travel_code, address_detail, key_person, plan:{call_days}|null,
 * registered_by, matched, created_at}, ID numbers and phones masked unless who may see them. */
int sc_registration_list(struct fk_db *db, const struct fk_principal *who,
			 const struct sc_reg_query *q, json_t *items, struct fk_err *err);
/* The one registration id as the list shows it (who's scope). */
int sc_registration_one(struct fk_db *db, const struct fk_principal *who, int64_t id, json_t **out,
			struct fk_err *err);

/* ---- plan.c ---- */

/* Sets the monitoring plan of registration r (replacing one set before): the call days of
 * body ({call_days:[day]} or {days:n}, n days from today), each a real day not before today,
 * at most SC_PLAN_DAYS_MAX (FK_EINVAL / FK_EUNPROC naming call_days or days); writes the
 * plan, its rows of screening_call_days and marks r a key person. */
int sc_plan_set(struct fk_db *db, const struct fk_principal *who, const struct sc_registration *r,
		json_t *body, struct fk_err *err);

/* ---- api.c, api_public.c ---- */

extern const struct fk_field sc_body_campaign_create[];
extern const struct fk_field sc_body_campaign_patch[];
extern const struct fk_field sc_body_plan[];
extern const struct fk_field sc_body_public[];
int sc_api_campaign_create(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int sc_api_campaign_list(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int sc_api_campaign_get(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int sc_api_campaign_patch(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int sc_api_campaign_qr(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int sc_api_register(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int sc_api_registrations(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int sc_api_plan(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int sc_api_public_get(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int sc_api_public_post(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);

#endif
