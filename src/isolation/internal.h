/* internal: what the files of the isolation module share. A function that writes expects the
 * caller's write transaction (fk_tx_begin or the request's audited one) unless it says
 * otherwise. Days are "YYYY-MM-DD" in China Standard Time; a placement covers
 * [start_day, end_day), start_day being its day 1. */
#ifndef FK_ISOLATION_INTERNAL_H
#define FK_ISOLATION_INTERNAL_H
#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include "area/area.h"
#include "audit/audit.h"
#include "http/http.h"
#include "platform/module.h"
#include "policy/policy.h"
#include "users/principal.h"
#include "isolation/isolation.h"

/* ---- policies (module.c): one per reason with days of its own ---- */

enum is_policy {
	IS_POL_CLOSE,	  /* close contacts, inbound travellers, and reasons with no policy */
	IS_POL_SECONDARY, /* secondary contacts */
	IS_POL_HIGH,	  /* arrivals from a high-risk zone */
	IS_POL_MEDIUM,	  /* arrivals from a medium-risk zone */
	IS_POL_COUNT,
};
extern const struct fk_policy_def is_policies[];

#define IS_ROLES_FACILITY (FK_R(ADMIN) | FK_R(COMMANDER))
#define IS_ROLES_MANAGE	  (FK_R(ADMIN) | FK_R(COMMANDER) | FK_R(COMMUNITY))
#define IS_ROLES_READ	  (IS_ROLES_MANAGE | FK_R(GRID) | FK_R(BUILDING))
#define IS_ROLES_RESULT	  (IS_ROLES_MANAGE | FK_R(LAB))
#define IS_ROLES_TESTS	  (IS_ROLES_READ | FK_R(LAB)) /* record; the lab by id, it sees no names */
#define IS_TEXT_MAX	  200 /* characters of a name, address, reason, vehicle, escort */
#define IS_STAGES_MAX	  3   /* centralised, home isolation, home monitoring */
#define IS_TESTS_MAX	  61  /* test days of one stage (the policy's days are at most 60) */
#define IS_DAY		  FK_ISOLATION_DAY_LEN
#define IS_KIND_LEN	  20
#define IS_NAME_LEN	  (IS_TEXT_MAX * 4 + 1)

/* ---- days (day.c) ---- */

/* True when s is exactly a real "YYYY-MM-DD". */
bool is_day_valid(const char *s);
/* out = day + n days; FK_EINVAL when day is not a valid day. */
int is_day_add(const char *day, int64_t n, char out[IS_DAY]);
/* Days from b to a (a - b); both valid days. */
int64_t is_day_diff(const char *a, const char *b);
/* Today in China Standard Time, by fk_now_ms (the test clock moves it). */
void is_day_today(char out[IS_DAY]);

/* ---- stages from the policy (plan.c) ---- */

struct is_stage {
	char kind[IS_KIND_LEN];
	int64_t days;
	int ntests;
	int64_t test_days[IS_TESTS_MAX]; /* day numbers of this stage, 1 = its first day */
};
struct is_plan {
	int n;
	struct is_stage st[IS_STAGES_MAX];
};
/* Whether s names a reason / a kind of placement. */
bool is_reason_valid(const char *s);
bool is_kind_valid(const char *s);
/* Home kinds are sampled at the door. */
bool is_kind_home(const char *kind);
/* The policy a reason's days come from (a valid reason). */
const struct fk_policy_def *is_reason_policy(const char *reason);
/* The stages of a placement from a policy value {centralised_days, home_isolation_days,
 * home_monitoring_days, test_days, home_test_days?}: one per kind with days, in that order,
 * each with its test days renumbered from its own day 1. kind (NULL: none) replaces the first
 * stage's kind. FK_EUNPROC "no_days" when the policy gives no day at all. */
int is_plan_from(json_t *policy, const char *kind, struct is_plan *out, struct fk_err *err);

/* ---- locks (lock.c) ---- */

/* Holds the row of (what, id) until the transaction ends, so two writes about one person or
 * one room on PostgreSQL check overlap and capacity one after the other (on SQLite the write
 * transaction already does). Take a person's lock before a room's. */
int is_lock(struct fk_db *db, const char *what, int64_t id, struct fk_err *err);

/* ---- facilities and rooms (facility.c, room.c) ---- */

struct is_facility {
	int64_t id, area_id;
	char area_path[FK_AREA_PATH_MAX];
	char area_name[FK_AREA_NAME_MAX * 4 + 1];
	char name[IS_NAME_LEN], address[IS_NAME_LEN], phone[32];
	bool active;
};
struct is_room {
	int64_t id, facility_id, capacity;
	char number[64];
	bool active;
};

/* Facility id as who may see it: its area in or above who's scope (a facility serves the
 * areas around it); anything else, or who may not, is FK_ENOTFOUND "facility_not_found"
 * naming field (may be NULL). who NULL: no check. */
int is_facility_get(struct fk_db *db, const struct fk_principal *who, int64_t id, const char *field,
		    struct is_facility *out, struct fk_err *err);
/* FK_ECONFLICT "facility_inactive" naming facility_id: f takes no one new. */
int is_facility_closed(const struct is_facility *f, struct fk_err *err);
/* Checks f (name, address, phone; its area in who's scope, else FK_EINVAL "unknown_area" as
 * a missing one) and writes it; create gives it an id. */
int is_facility_save(struct fk_db *db, const struct fk_principal *who, struct is_facility *f,
		     bool create, struct fk_err *err);
/* f with capacity (its active rooms) and occupied (placements under it today). */
int is_facility_json(struct fk_db *db, const struct is_facility *f, json_t **out,
		     struct fk_err *err);
/* The facilities who may see, by name. */
int is_facility_list(struct fk_db *db, const struct fk_principal *who, json_t *items,
		     struct fk_err *err);

/* Adds rooms [{number, capacity}] to facility f; the new rooms' JSON into items. FK_EINVAL
 * naming "rooms[i].number" / "rooms[i].capacity"; FK_ECONFLICT "room_taken" on a number the
 * facility has. */
int is_rooms_add(struct fk_db *db, const struct is_facility *f, json_t *rooms, json_t *items,
		 struct fk_err *err);
/* Room id through its facility as is_facility_get sees it: FK_ENOTFOUND "room_not_found"
 * naming field otherwise. */
int is_room_get(struct fk_db *db, const struct fk_principal *who, int64_t id, const char *field,
		struct is_room *out, struct fk_err *err);
/* Changes capacity (< 0: keep) and active (< 0: keep) of r after taking its lock: FK_ECONFLICT
 * "room_occupied" naming capacity when fewer than its present and coming occupants. */
int is_room_update(struct fk_db *db, struct is_room *r, int64_t capacity, int active,
		   struct fk_err *err);
/* May one more placement stay in room r over [start, end) (not counting placement except)?
 * Takes the room's lock. FK_ECONFLICT "room_full" naming room_id (and the room) when not, or
 * "room_inactive". */
int is_room_take(struct fk_db *db, const struct is_room *r, const char *start, const char *end,
		 int64_t except, struct fk_err *err);
json_t *is_room_json(const struct is_room *r);
/* The rooms of facility id, by number, as JSON with the occupants of day whose person lies in
 * who's scope. */
int is_rooms_board(struct fk_db *db, const struct fk_principal *who, int64_t facility_id,
		   const char *day, json_t *rooms, struct fk_err *err);

/* ---- placements (placement.c, place.c, change.c) ---- */

struct is_placement {
	int64_t id, person_id, contact_id, case_id, follows_id, facility_id, room_id;
	int64_t released_at, policy_version;
	char area_path[FK_AREA_PATH_MAX];
	char kind[IS_KIND_LEN], reason[24], status[12];
	char start_day[IS_DAY], end_day[IS_DAY];
	char test_days[512];
	/* for display */
	char name[IS_NAME_LEN], id_number[40], phone[32], area_name[FK_AREA_NAME_MAX * 4 + 1];
	char facility_name[IS_NAME_LEN], room_number[64];
	int64_t area_id;
};

/* The live event "placement" {placement_id, action ("placed", "transferred", "released"),
 * kind, status, facility_id} at the person's area, once db's transaction commits. Names no
 * one. */
void is_event(struct fk_db *db, const struct is_placement *p, const char *action);

/* Placement id when who's scope covers its person; FK_ENOTFOUND "placement_not_found"
 * otherwise (who NULL: no check). */
int is_placement_get(struct fk_db *db, const struct fk_principal *who, int64_t id,
		     struct is_placement *out, struct fk_err *err);
/* The placement as JSON for who (ID number and phone masked unless who may see them), with its
 * tests. */
int is_placement_json(struct fk_db *db, const struct fk_principal *who,
		      const struct is_placement *p, json_t **out, struct fk_err *err);

struct is_list_query {
	const char *under;		    /* an area path in scope, or NULL */
	const char *status, *kind, *reason; /* NULL: any */
	int64_t facility_id, person_id;	    /* 0: any */
	int64_t after;			    /* the cursor: ids below it */
	const char *end_day;		    /* NULL: any */
	const char *arriving; /* NULL: any; else starting that day or on a transfer's way */
	int limit;
};
/* Placements in who's scope, newest first; *next the cursor of the next page (0: none). */
int is_placement_list(struct fk_db *db, const struct fk_principal *who,
		      const struct is_list_query *f, json_t *items, int64_t *next,
		      struct fk_err *err);

/* What a placement asks for. */
struct is_place_req {
	int64_t person_id, contact_id, facility_id, room_id;
	const char *reason, *kind, *start_day; /* NULL: from the contact / the policy / today */
};
/* Places a person (or a contact: person and reason from it, the contact marked placed) for
 * the stages of the policy of its reason, each following the one before; their ids into ids
 * (n of them). Refusals name the field: FK_ENOTFOUND person_id / contact_id / facility_id /
 * room_id outside who's scope as if missing, FK_EINVAL reason / kind / start_day,
 * FK_ECONFLICT "placement_overlap" naming start_day, "room_full" naming room_id. */
int is_place(struct fk_db *db, const struct fk_principal *who, const struct is_place_req *r,
	     int64_t ids[IS_STAGES_MAX], int *n, struct fk_err *err);
/* Does [start, end) of person meet another placement of theirs (not cancelled, not except)?
 * FK_ECONFLICT "placement_overlap" naming field when it does. Takes the person's lock. */
int is_person_free(struct fk_db *db, int64_t person_id, const char *start, const char *end,
		   int64_t except, const char *field, struct fk_err *err);

/* Moves the end day of p (active or overdue) to end_day: FK_EINVAL "invalid_day",
 * FK_EUNPROC "end_before_start" naming end_day, FK_ECONFLICT "placement_overlap" naming
 * end_day when it would run into the person's next placement, "placement_closed". Tests due on
 * or after the new end are dropped; an overdue one moved past today is active again. */
int is_end_day(struct fk_db *db, struct is_placement *p, const char *end_day, struct fk_err *err);
/* Releases p (active or overdue) by user_id (0: the system) now; one released before its end
 * ends today. FK_EUNPROC "release_before_start" naming start_day before its day 1. */
int is_release(struct fk_db *db, struct is_placement *p, int64_t user_id, struct fk_err *err);
/* Puts p (centralised, open) in room r of its facility (or of r's facility when it has none). */
int is_set_room(struct fk_db *db, struct is_placement *p, const struct is_room *r,
		struct fk_err *err);

/* ---- contacts (contact.c, through the trace module) ---- */

/* Fills r's person_id and reason (close -> close_contact, secondary -> secondary_contact;
 * a reason given must be the same) from contact r->contact_id in who's scope, and *case_id.
 * FK_ENOTFOUND "contact_not_found" naming contact_id (also outside the scope);
 * FK_ECONFLICT "contact_placed" when it is not waiting for a placement. */
int is_contact_take(struct fk_db *db, const struct fk_principal *who, struct is_place_req *r,
		    int64_t *case_id, struct fk_err *err);
/* Marks contact id placed under placement_id. */
int is_contact_placed(struct fk_db *db, int64_t id, int64_t placement_id, struct fk_err *err);

/* ---- transfers (transfer.c) ---- */

struct is_transfer_req {
	int64_t facility_id, departed_at;
	const char *vehicle, *escort;
};
/* A transfer of p (centralised, open) to facility f; the placement takes f. *id its id. */
int is_transfer_add(struct fk_db *db, const struct fk_principal *who, struct is_placement *p,
		    const struct is_facility *f, const struct is_transfer_req *t, int64_t *id,
		    struct fk_err *err);
/* Transfer id arrives now (room_id 0: keep the placement's room); FK_ECONFLICT
 * "transfer_arrived" a second time. */
int is_transfer_arrive(struct fk_db *db, const struct fk_principal *who, int64_t id,
		       int64_t room_id, json_t **out, struct fk_err *err);
int is_transfer_get(struct fk_db *db, const struct fk_principal *who, int64_t id, json_t **out,
		    struct fk_err *err);
/* Transfers in who's scope to facility_id (0: any) that left on day, or before it and are still
 * on their way (day NULL: any), newest first. */
int is_transfer_list(struct fk_db *db, const struct fk_principal *who, int64_t facility_id,
		     const char *day, json_t *items, struct fk_err *err);

/* ---- the board (board.c) ---- */

/* Facility f's rooms with today's occupants, the next days' figures, today's arrivals and
 * releases (placements in who's scope). */
int is_board(struct fk_db *db, const struct fk_principal *who, const struct is_facility *f,
	     int days, json_t **out, struct fk_err *err);

/* ---- tests while placed (ptest.c) ---- */

/* Writes the due tests of placement p from its stage (in p's transaction). */
int is_tests_plan(struct fk_db *db, const struct is_placement *p, const struct is_stage *s,
		  struct fk_err *err);
/* The tests of placement id as JSON. */
int is_tests_json(struct fk_db *db, int64_t placement_id, json_t *items, struct fk_err *err);
/* Test id as JSON (no scope check). */
int is_test_get_json(struct fk_db *db, int64_t id, json_t **out, struct fk_err *err);
/* Due samples on day in who's scope (under: a subtree, door: -1 any, 0, 1). */
int is_tests_due(struct fk_db *db, const struct fk_principal *who, const char *day,
		 const char *under, int door, json_t *items, struct fk_err *err);
/* Records result (sampled, negative, positive) of test id by who; a positive makes the person
 * a case (trace), in the same transaction; *out is the test with case_id. FK_EINVAL
 * "invalid_result", FK_EPERM for a result who's role may not record, FK_ENOTFOUND
 * "test_not_found" outside the scope, FK_ECONFLICT "test_not_due" before its day,
 * "test_resulted" once it has a result. */
int is_test_record(struct fk_db *db, const struct fk_principal *who, int64_t id, const char *result,
		   json_t **out, struct fk_err *err);
/* Does every test of p due before its end have a result? */
int is_tests_done(struct fk_db *db, const struct is_placement *p, bool *done, struct fk_err *err);

/* ---- the job (job.c) ---- */

int is_job_release(struct fk_app *app, struct fk_db *db, struct fk_err *err);

/* ---- HTTP (api.c, api_placement.c, api_more.c) ---- */

extern const struct fk_field is_body_facility_create[], is_body_facility_update[], is_body_rooms[],
    is_body_room_update[], is_body_place[], is_body_end_day[], is_body_release[], is_body_room[],
    is_body_transfer[], is_body_arrive[], is_body_test[];
int is_api_facility_create(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int is_api_facility_list(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int is_api_facility_get(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int is_api_facility_update(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int is_api_rooms_add(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int is_api_room_update(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int is_api_board(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int is_api_place(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int is_api_placement_list(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int is_api_placement_get(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int is_api_releases(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int is_api_end_day(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int is_api_release(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int is_api_room(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int is_api_transfer_add(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int is_api_transfer_arrive(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int is_api_transfer_list(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int is_api_tests_due(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int is_api_test_record(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
/* The placement of the path's {id} in the caller's scope, and its reply (api_placement.c). */
/* Ends the request's audited transaction (fk_audit_tx_end) with an entry of action on kind id;
 * detail (may be NULL) is stolen. Returns rc, or the audit's error. */
int is_audit_end(struct fk_req *req, int rc, const char *action, const char *kind, int64_t id,
		 json_t *detail, struct fk_err *err);
int is_path_placement(struct fk_req *req, struct is_placement *p, struct fk_err *err);
int is_reply_placement(struct fk_req *req, struct fk_resp *resp, const struct is_placement *p,
		       struct fk_err *err);

#endif
