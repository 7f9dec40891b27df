/* internal: what the files of the deliveries module share. A function that writes expects the
 * caller's write transaction unless it says otherwise.
 *
 *   run.c      a run: its households (from the people of the building, narrowed by a zone),
 *              its insert, its JSON, the list
 *   signoff.c  a household's sign-off (keyed: a retry is stored once), the progress event
 *   api.c      the handlers */
#ifndef FK_DELIVERIES_INTERNAL_H
#define FK_DELIVERIES_INTERNAL_H
#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include "area/area.h"
#include "http/http.h"
#include "store/db.h"
#include "users/principal.h"
#include "deliveries/deliveries.h"

#define DL_DAY_LEN     11	   /* "YYYY-MM-DD" and its NUL */
#define DL_HOUSEHOLDS  2000	   /* households in one run at most */
#define DL_PHOTO_MAX   (300 << 10) /* bytes of a sign-off's JPEG */
#define DL_NOTE_MAX    500	   /* bytes of a note */
#define DL_ROLES_WRITE (FK_R(ADMIN) | FK_R(COMMANDER) | FK_R(COMMUNITY) | FK_R(GRID))
#define DL_ROLES_SIGN                                                                              \
	(FK_R(ADMIN) | FK_R(VOLUNTEER) | FK_R(BUILDING) | FK_R(GRID) | FK_R(COMMUNITY))
#define DL_ROLES_READ (FK_ROLES_PEOPLE | FK_R(VOLUNTEER))

/* A run as stored (the header row). */
struct dl_run {
	int64_t id, area_id, created_by, created_at, total, done;
	char area_path[FK_AREA_PATH_MAX];
	char area_name[FK_AREA_NAME_MAX * 4 + 1];
	char day[DL_DAY_LEN];
	char assignees[1024]; /* the JSON array text */
};

/* ---- run.c ---- */

/* Whether who may see and sign the run: its building in who's scope, or who among its
 * assignees. */
bool dl_run_visible(const struct dl_run *r, const struct fk_principal *who);
/* Reads run id into *r; FK_ENOTFOUND "run_not_found" naming id when missing or not visible
 * to who (the same answer). */
int dl_run_get(struct fk_db *db, const struct fk_principal *who, int64_t id, struct dl_run *r,
	       struct fk_err *err);
/* Makes the run the checked body asks (area_id a building in who's scope, day, item_note,
 * households or the default, assignees) at now, inside the caller's write transaction;
 * *id gets its id. FK_EINVAL naming the field for a bad day, a building that is not one
 * ("not_a_building"), a household not in the building ("unknown_household"); FK_EUNPROC
 * "no_households" naming area_id when the list comes out empty. */
int dl_run_create(struct fk_req *req, json_t *body, int64_t now, int64_t *id, struct fk_err *err);
/* The run JSON of the API with its households (a new reference in *out). */
int dl_run_json(struct fk_db *db, const struct dl_run *r, json_t **out, struct fk_err *err);
/* The runs visible to who, under (an area path or NULL) and on day (or NULL), newest first,
 * at most 200, without their households: {items:[...]}. */
int dl_run_list(struct fk_db *db, const struct fk_principal *who, const char *under,
		const char *day, json_t **out, struct fk_err *err);

/* ---- signoff.c ---- */

/* Whether s is an outcome a household is signed off with: delivered, nobody_home, refused. */
bool dl_outcome_valid(const char *s);
/* FK_EINVAL "invalid_photo" naming photo unless b64 is base64 (standard alphabet) of a JPEG
 * (it starts FF D8) of at most DL_PHOTO_MAX bytes. */
int dl_photo_check(const char *b64, struct fk_err *err);
/* A household's JSON from a row of (hkey, address, people_count, outcome, note, has photo,
 * signed_at, signed_by, signed_by_name); a new reference. */
json_t *dl_household_json(struct fk_q *q);
extern const struct fk_field dl_body_signoff[];
int dl_api_signoff(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);

/* ---- api.c ---- */

extern const struct fk_field dl_body_run[];
int dl_api_run_create(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int dl_api_runs(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int dl_api_run(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int dl_api_photo(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);

#endif
