/* internal: what the files of the gates module (checkpoints, their duty staff, passes, fever
 * referrals) share and nobody else uses. */
#ifndef FK_GATES_INTERNAL_H
#define FK_GATES_INTERNAL_H
#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include "area/area.h"
#include "audit/audit.h"
#include "gates/gates.h"
#include "platform/keyed.h"
#include "platform/module.h"
#include "platform/zone_rule.h"
#include "policy/policy.h"
#include "users/principal.h"

/* ---- policies (module.c) ---- */

enum gt_policy {
	GT_POL_FEVER, /* ℃ at or above which a pass opens a fever referral */
	GT_POL_COUNT,
};
extern const struct fk_policy_def gt_policies[];

/* Roles that manage checkpoints and follow referrals; the duty role that logs passes. */
#define GT_ROLES_MANAGE (FK_R(ADMIN) | FK_R(COMMANDER) | FK_R(COMMUNITY))
#define GT_ROLES_DUTY	(GT_ROLES_MANAGE | FK_R(VOLUNTEER))
#define GT_TEMP_MIN	34.0
#define GT_TEMP_MAX	43.0
#define GT_TEXT_MAX	200 /* characters of a purpose, reason, note, clinic, result */

/* ---- checkpoints (checkpoint.c) ---- */

struct gt_checkpoint {
	int64_t id, area_id;
	char area_path[FK_AREA_PATH_MAX];
	char code[40];
	char name[FK_AREA_NAME_MAX * 4 + 1];
	char kind[16]; /* gate 门岗, road 卡口 */
	bool active;
};

/* The checkpoint for who: in who's scope, or for a volunteer bound to it; anything else is
 * FK_ENOTFOUND "checkpoint_not_found", as a missing one. who NULL: no check. */
int gt_checkpoint_get(struct fk_db *db, const struct fk_principal *who, int64_t id,
		      struct gt_checkpoint *out, struct fk_err *err);
/* Checks c (name, code, kind), its area in who's scope (else FK_EINVAL "unknown_area" naming
 * area_id, as a missing one) and a free code; writes it (create gives it an id). */
int gt_checkpoint_save(struct fk_db *db, const struct fk_principal *who, struct gt_checkpoint *c,
		       bool create, struct fk_err *err);
/* Checkpoints in who's scope (a volunteer: those it is bound to), by code. */
int gt_checkpoint_list(struct fk_db *db, const struct fk_principal *who, json_t *items,
		       struct fk_err *err);
/* The checkpoint with its duty staff. */
int gt_checkpoint_json(struct fk_db *db, const struct gt_checkpoint *c, json_t **out,
		       struct fk_err *err);
/* Is user_id bound to checkpoint id? */
int gt_staff_bound(struct fk_db *db, int64_t id, int64_t user_id, bool *out, struct fk_err *err);

/* ---- duty staff (staff.c) ---- */

/* Who a binding names: usernames or user ids, n of them. */
struct gt_staff_pick {
	const char *field; /* "usernames" or "user_ids" */
	const char *const *names;
	const int64_t *ids;
	int n;
	const struct fk_principal *who;
};
/* Replaces the staff of c by the pick. Each must be an enabled volunteer account holding a
 * scope overlapping c's area: an account who shares no area with reads as unknown
 * (FK_EINVAL by id, FK_EUNPROC by name, "unknown_user"); FK_EUNPROC "not_a_volunteer",
 * "staff_out_of_scope" naming the field. Nothing changes on a refusal. */
int gt_staff_set(struct fk_db *db, const struct gt_checkpoint *c, const struct gt_staff_pick *p,
		 struct fk_err *err);
/* The user id of username when that account is bound to checkpoint id; 0 when not. */
int gt_staff_by_name(struct fk_db *db, int64_t id, const char *username, int64_t *user_id,
		     struct fk_err *err);

/* ---- passes (pass.c) ---- */

enum gt_subject { GT_SUBJ_CODE = 1, GT_SUBJ_ID, GT_SUBJ_VISITOR, GT_SUBJ_STAFF };

/* A pass as asked, then as decided. */
struct gt_pass {
	int64_t id, checkpoint_id;
	enum gt_subject subject;
	int64_t person_id, staff_user_id;
	char name[FK_AREA_NAME_MAX * 4 + 1];
	char id_number[40], phone[24];
	const char *from_place, *visiting, *plate, *purpose, *override_reason;
	const char *code, *typed_id, *staff_name; /* as the body gave them */
	char home_path[FK_AREA_PATH_MAX];	  /* a resident's home area, "" for others */
	bool outgoing, has_temp, want_refuse, override;
	double temperature;
	int64_t at;
	/* decided */
	const char *verdict; /* "passed" / "refused" */
	const char *reason;  /* NULL, "stay_home", "no_entry", "by_staff" */
	int64_t zone_id;
	char zone_kind[FK_ZONE_KIND_MAX];
	bool overridden;
	double fever_at;
	int64_t policy_version, referral_id;
};

/* The body's checks that need no store: subject, direction, time (FK_EUNPROC
 * "future_time" naming at), temperature (FK_EUNPROC "temperature_out_of_range"), override
 * without a reason (FK_EUNPROC "override_reason_required"). */
int gt_pass_parse(json_t *body, struct gt_pass *p, struct fk_err *err);
/* Who the pass names (a resident by id or ID number, read across the district: the gate must
 * know a resident's home zone wherever the resident lives; a staff account bound to c), and
 * the verdict under the zones in force and the fever threshold. */
int gt_pass_decide(struct fk_app *app, struct fk_db *db, const struct gt_checkpoint *c,
		   struct gt_pass *p, struct fk_err *err);
/* Stores the decided pass by who, and its fever referral when it has one. */
int gt_pass_write(struct fk_db *db, const struct fk_principal *who, const struct gt_checkpoint *c,
		  struct gt_pass *p, struct fk_err *err);
json_t *gt_pass_json(const struct fk_principal *who, const struct gt_pass *p);
/* The passes of checkpoint c on the day starting at day_ms (China Standard Time), newest
 * first, with their counts. */
int gt_pass_day(struct fk_db *db, const struct fk_principal *who, const struct gt_checkpoint *c,
		int64_t day_ms, json_t **out, struct fk_err *err);

/* ---- fever referrals (referral.c) ---- */

/* Opens the referral of a decided pass with a fever (in the pass's transaction). */
int gt_referral_open(struct fk_db *db, const struct fk_principal *who,
		     const struct gt_checkpoint *c, struct gt_pass *p, struct fk_err *err);
/* Moves referral id in who's scope one step: "send" (open -> sent, text the clinic),
 * "result" (sent -> resulted, text the result) or "close" (resulted -> closed, text the
 * note). FK_ECONFLICT "referral_closed" once closed, "referral_state" out of order. */
int gt_referral_step(struct fk_db *db, const struct fk_principal *who, int64_t id, const char *step,
		     const char *text, struct fk_err *err);
int gt_referral_get(struct fk_db *db, const struct fk_principal *who, int64_t id, json_t **out,
		    struct fk_err *err);
/* Referrals in who's scope, newest first; status NULL = any. */
int gt_referral_list(struct fk_db *db, const struct fk_principal *who, const char *status,
		     int limit, json_t *items, struct fk_err *err);

/* ---- HTTP (api.c, api_pass.c) ---- */

extern const struct fk_field gt_body_checkpoint_create[], gt_body_checkpoint_update[],
    gt_body_staff[], gt_body_pass[], gt_body_send[], gt_body_result[], gt_body_close[];
int gt_api_checkpoint_list(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int gt_api_checkpoint_create(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int gt_api_checkpoint_get(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int gt_api_checkpoint_update(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int gt_api_staff(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int gt_api_pass(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int gt_api_pass_day(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int gt_api_referral_list(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int gt_api_referral_get(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int gt_api_referral_send(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int gt_api_referral_result(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int gt_api_referral_close(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);

#endif
