/* internal: what the files of the donations module share. A function that writes expects the
 * caller's write transaction unless it says otherwise.
 *
 *   donation.c  a donation: the body's checks, its rows, its JSON, the list, a change
 *   receive.c   received: money marked, goods into stock through supplies.h
 *   public.c    the public summary of a community (no login, no phone)
 *   api.c       the handlers */
#ifndef FK_DONATIONS_INTERNAL_H
#define FK_DONATIONS_INTERNAL_H
#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include "area/area.h"
#include "base/throttle.h"
#include "http/http.h"
#include "store/db.h"
#include "users/principal.h"
#include "donations/donations.h"

#define DN_ROLES	  (FK_R(ADMIN) | FK_R(COMMANDER) | FK_R(COMMUNITY))
#define DN_GOODS_MAX	  50  /* lines of one donation */
#define DN_NAME_MAX	  128 /* bytes of a donor's or a good's name */
#define DN_NOTE_MAX	  500
#define DN_FEN_MAX	  100000000000LL /* one billion yuan */
#define DN_PUBLIC_PER_MIN 60
#define DN_ANONYMOUS	  "匿名"

struct dn_state {
	struct fk_throttle throttle; /* the public summary, per client address */
};

/* ---- donation.c ---- */

extern const struct fk_field dn_body_create[];
extern const struct fk_field dn_body_patch[];
/* Amount in yuan (≥ 0, at most 2 decimals) into *fen; FK_EINVAL "invalid_amount" naming
 * amount_yuan otherwise. */
int dn_amount_fen(json_t *amount, int64_t *fen, struct fk_err *err);
/* Makes the donation the checked body asks, for who (the community in scope) at now; *id
 * gets its id. FK_EINVAL naming the field: kind, amount_yuan (money: > 0), goods (goods: at
 * least one line, item_id and qty > 0), donor_name (unless anonymous); area_not_found. */
int dn_create(struct fk_req *req, json_t *body, int64_t now, int64_t *id, struct fk_err *err);
/* The donation id in who's scope as JSON (*out a new reference); FK_ENOTFOUND
 * "donation_not_found" naming id otherwise. */
int dn_get_json(struct fk_db *db, const struct fk_principal *who, int64_t id, json_t **out,
		struct fk_err *err);
/* Reads id's kind, status and area path, in who's scope (FK_ENOTFOUND otherwise). */
int dn_head(struct fk_db *db, const struct fk_principal *who, int64_t id, char kind[8],
	    char status[12], struct fk_err *err);
/* Changes donor_name, anonymous, donor_phone, use_note, and while pledged amount_yuan. */
int dn_patch(struct fk_req *req, int64_t id, json_t *body, struct fk_err *err);
/* The donations in who's scope under (or NULL), by status and kind (or NULL), newest first,
 * at most 500: {items:[...]}. */
int dn_list(struct fk_db *db, const struct fk_principal *who, const char *under, const char *status,
	    const char *kind, json_t **out, struct fk_err *err);

/* ---- receive.c ---- */

extern const struct fk_field dn_body_receive[];
/* Marks id received at now; goods become stock receipts into place_id (required for goods:
 * FK_EINVAL "missing_field"), each refusal of supplies passed on. FK_ECONFLICT
 * "already_received" naming status when it is. */
int dn_receive(struct fk_req *req, int64_t id, json_t *body, int64_t now, struct fk_err *err);

/* ---- public.c ---- */

/* The summary of the community with code: {community, money_received, money_pledged,
 * goods:[{item, qty}], donors:[{name, kind, amount | goods}]}; FK_ENOTFOUND
 * "area_not_found" naming area_code for no such community. */
int dn_public_summary(struct fk_db *db, const char *code, json_t **out, struct fk_err *err);

/* ---- api.c ---- */

int dn_api_create(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int dn_api_list(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int dn_api_get(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int dn_api_patch(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int dn_api_receive(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int dn_api_public(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);

#endif
