/* internal: what the files of the supplies module share. A function that writes expects the
 * caller's write transaction (fk_tx_begin, a keyed write's, or a signal's) unless it says
 * otherwise.
 *
 *   fefo.c     pure rules: which lots an issue takes (earliest expiry first), days left, low
 *   catalog.c  stock places and items: checks, writes, reads, JSON
 *   ledger.c   the moves: receive, issue, transfer, adjust, and the running totals per lot
 *   balance.c  balances with their lots, last 7 days' use, days left and low; the low alert
 *   listen.c   a tube opened at a site draws one tube from the site's stock place
 *   api.c      the handlers */
#ifndef FK_SUPPLIES_INTERNAL_H
#define FK_SUPPLIES_INTERNAL_H
#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include "area/area.h"
#include "audit/audit.h"
#include "http/http.h"
#include "platform/module.h"
#include "policy/policy.h"
#include "users/principal.h"
#include "supplies/supplies.h"

#define SP_NAME_MAX 64	/* characters of a place's or an item's name */
#define SP_UNIT_MAX 16	/* characters of a unit */
#define SP_LOT_MAX  64	/* bytes of a lot number */
#define SP_NOTE_MAX 500 /* characters of a note */
#define SP_LOTS_MAX 256 /* lots of one item at one place an issue looks at */
#define SP_QTY_MAX  1e9 /* a quantity above it is a typing error */
#define SP_DAY_MS   (24LL * 3600 * 1000)
#define SP_EPS	    1e-9 /* quantities this close are equal (sums of decimals) */

enum { SP_POL_LOW_DAYS };
extern const struct fk_policy_def sp_policies[];

/* ---- fefo.c ---- */

/* A lot's stock at a place. */
struct sp_lot {
	char lot[SP_LOT_MAX + 1];
	char expiry[11]; /* "YYYY-MM-DD", or "" when it has none */
	double qty;
};
/* What an issue takes from one lot. */
struct sp_take {
	int lot; /* index into the lots given */
	double qty;
};
/* Sorts lots earliest expiry first (no expiry last, then by lot), then fills take (room for n)
 * with what an issue of want takes: the earliest lots first, each as much as it has. Returns
 * how many lots it takes from, or -1 when the lots hold less than want (take is then partly
 * filled and means nothing). want > 0. Pure. */
int sp_fefo(struct sp_lot *lots, int n, double want, struct sp_take *take);
/* Days of stock left at used_7d over the last 7 days: qty / (used_7d / 7); < 0 when nothing
 * was used (the stock lasts). Pure. */
double sp_days_left(double qty, double used_7d);
/* The day of epoch_ms in China Standard Time, as days since 1970-01-01 there. Pure. */
int64_t sp_cst_day(int64_t epoch_ms);
/* Whether stock is low, and by what ("threshold" or "days_left"; NULL when not low): at or
 * below low_at (when low_at > 0), else with days_left (>= 0) under low_days. Pure. */
bool sp_low(double qty, double low_at, double days_left, double low_days, const char **by);

/* ---- catalog.c ---- */

struct sp_place {
	int64_t id, ref_id, area_id;
	char name[SP_NAME_MAX * 4 + 1], kind[16];
	char area_path[FK_AREA_PATH_MAX], area_name[FK_AREA_NAME_MAX * 4 + 1];
};
struct sp_item {
	int64_t id;
	char name[SP_NAME_MAX * 4 + 1], unit[SP_UNIT_MAX * 4 + 1], category[16];
	double low_at;
};
/* Checks and stores a place from a checked body for who (its area in who's scope: FK_ENOTFOUND
 * "area_not_found" naming area_id). FK_EINVAL naming the field; FK_ECONFLICT "place_taken"
 * naming ref_id when the site, checkpoint or facility has a stock place already. */
int sp_place_create(struct fk_db *db, const struct fk_principal *who, json_t *body,
		    struct sp_place *out, struct fk_err *err);
/* Place id for who (NULL: the system, no scope); missing or outside the scope is
 * FK_ENOTFOUND "place_not_found" naming field. */
int sp_place_get(struct fk_db *db, const struct fk_principal *who, int64_t id, const char *field,
		 struct sp_place *out, struct fk_err *err);
/* The stock place of a site, checkpoint or facility: 1 found, 0 none, <0 a store error. */
int sp_place_of(struct fk_db *db, const char *kind, int64_t ref_id, struct sp_place *out,
		struct fk_err *err);
/* The places in who's scope (under narrows), by name, into items. */
int sp_place_list(struct fk_db *db, const struct fk_principal *who, const char *under,
		  json_t *items, struct fk_err *err);
json_t *sp_place_json(const struct sp_place *p);
/* Checks and stores an item from a checked body. FK_EINVAL naming the field; FK_ECONFLICT
 * "item_taken" naming name for a name in use. */
int sp_item_create(struct fk_db *db, json_t *body, struct sp_item *out, struct fk_err *err);
/* Item id; FK_ENOTFOUND "item_not_found" naming item_id when there is none. */
int sp_item_get(struct fk_db *db, int64_t id, struct sp_item *out, struct fk_err *err);
/* Every item, by name, into items. */
int sp_item_list(struct fk_db *db, json_t *items, struct fk_err *err);
json_t *sp_item_json(const struct sp_item *i);

/* ---- ledger.c ---- */

/* A move asked for, checked by sp_move_check. */
struct sp_move_req {
	const char *kind; /* receive | issue | transfer | adjust */
	int64_t place_id, to_place_id, item_id;
	double qty;
	const char *lot, *expiry, *source, *reason, *ref, *note;
};
/* Checks a move's fields on their own (no store): kind, qty (>= 0 and finite: FK_EINVAL naming
 * qty; > 0 except for a count), lot, expiry (a real day), source for a receive, reason for an
 * adjust, to_place_id for a transfer (another place). FK_EINVAL naming the field. */
int sp_move_check(const struct sp_move_req *m, struct fk_err *err);
/* Runs the checked move m for who (NULL: the system) at now: the places in who's scope, the
 * item, then the moves it makes, each with its running total, appended as JSON to moves. An
 * issue (and a transfer, and an adjust by lost, damaged or expired without a lot) takes the
 * earliest expiry first, under a lock on the place's lots of the item; more than there is is
 * FK_ECONFLICT "not_enough_stock" naming qty with the balance. A count (reason counted) sets
 * the lot to qty. Raises the low alert when the move makes the stock low. */
int sp_move_run(struct fk_db *db, const struct fk_principal *who, const struct sp_move_req *m,
		int64_t now, json_t *moves, struct fk_err *err);
/* The moves in who's scope (place_id, item_id narrow; 0: any), newest first, ids below before
 * (0: from the newest), at most limit, into items; *next gets the cursor (0: no more). */
int sp_move_list(struct fk_db *db, const struct fk_principal *who, int64_t place_id,
		 int64_t item_id, int64_t before, int limit, json_t *items, int64_t *next,
		 struct fk_err *err);

/* ---- balance.c ---- */

/* One place's stock of one item, as the board shows it. */
struct sp_state {
	double qty, used_7d, days_left; /* days_left < 0: nothing used, it lasts */
	bool low;
	const char *low_by; /* "threshold" | "days_left" | NULL */
};
/* The state of item at place at now (low_at the item's, low_days the policy's). */
int sp_state_of(struct fk_db *db, int64_t place_id, int64_t item_id, double low_at, double low_days,
		int64_t now, struct sp_state *out, struct fk_err *err);
/* The policy supplies.low_days. */
double sp_low_days(struct fk_db *db);
/* Raises the alert "stock_low" at p's area for item i in state s. */
int sp_alert_low(struct fk_db *db, const struct sp_place *p, const struct sp_item *i,
		 const struct sp_state *s, struct fk_err *err);
struct sp_balance_query {
	int64_t place_id, item_id; /* 0: any */
	const char *under;	   /* an area path in scope, or NULL */
	bool low_only;
	int64_t now;
};
/* The balances in who's scope as the stock board's JSON, appended to items. */
int sp_balances(struct fk_db *db, const struct fk_principal *who, const struct sp_balance_query *q,
		json_t *items, struct fk_err *err);

/* ---- listen.c ---- */

extern const struct fk_listener sp_listeners[];

/* ---- api.c ---- */

extern const struct fk_field sp_body_place[], sp_body_item[], sp_body_move[];
int sp_api_place_create(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int sp_api_places(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int sp_api_item_create(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int sp_api_items(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int sp_api_move(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int sp_api_moves(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int sp_api_balances(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int sp_api_alerts(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);

#endif
