/* balance: what the stock board shows — a place's stock of an item with its lots (from the
 * running totals the ledger keeps), the last 7 days' use (the daily sums of the ledger's
 * issues), the days it lasts at that use and whether it is low — and the alert raised when
 * stock goes low. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/buf.h"
#include "events/events.h"
#include "supplies/internal.h"

static int one_double(struct fk_db *db, const char *sql, int64_t a, int64_t b, int64_t c,
		      double *out, struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q, sql, err);

	*out = 0;
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, a);
	fk_q_bind_i64(q, 2, b);
	if (c >= 0)
		fk_q_bind_i64(q, 3, c);
	rc = fk_q_step(q, err);
	if (rc > 0)
		*out = fk_q_double(q, 0);
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

/* The issues of today and the 6 days before (China Standard Time), from the daily sums. */
static int used_7d(struct fk_db *db, int64_t place_id, int64_t item_id, int64_t now, double *out,
		   struct fk_err *err)
{
	return one_double(db,
			  "SELECT COALESCE(SUM(qty), 0) FROM stock_use WHERE place_id = ? AND "
			  "item_id = ? AND day > ?",
			  place_id, item_id, sp_cst_day(now) - 7, out, err);
}

static void state_fill(struct sp_state *s, double low_at, double low_days)
{
	s->days_left = sp_days_left(s->qty, s->used_7d);
	s->low = sp_low(s->qty, low_at, s->days_left, low_days, &s->low_by);
}

int sp_state_of(struct fk_db *db, int64_t place_id, int64_t item_id, double low_at, double low_days,
		int64_t now, struct sp_state *out, struct fk_err *err)
{
	int rc = one_double(db,
			    "SELECT COALESCE(SUM(qty), 0) FROM stock_lots WHERE place_id = ? AND "
			    "item_id = ?",
			    place_id, item_id, -1, &out->qty, err);

	if (rc == 0)
		rc = used_7d(db, place_id, item_id, now, &out->used_7d, err);
	if (rc == 0)
		state_fill(out, low_at, low_days);
	return rc;
}

double sp_low_days(struct fk_db *db)
{
	return (double)fk_policy_i64(db, &sp_policies[SP_POL_LOW_DAYS], NULL);
}

int sp_alert_low(struct fk_db *db, const struct sp_place *p, const struct sp_item *i,
		 const struct sp_state *s, struct fk_err *err)
{
	json_t *payload =
	    json_pack("{s:o, s:o, s:s, s:f, s:s}", "place_id", fk_json_idv(p->id), "item_id",
		      fk_json_idv(i->id), "item", i->name, "qty", s->qty, "low_by", s->low_by);

	char zh[600], en[600];

	snprintf(zh, sizeof(zh), "库存告急：%s（%s）", i->name, p->name);
	snprintf(en, sizeof(en), "Stock low: %s at %s", i->name, p->name);
	return fk_alert_raise(db, "stock_low", p->area_path, zh, en, payload, NULL, err);
}

/* ---- the board ---- */

struct bal {
	struct sp_place p;
	struct sp_item i;
	struct sp_state s;
};

static void bal_row(struct fk_q *q, void *rec)
{
	struct bal *b = rec;

	b->p.id = fk_q_i64(q, 0);
	b->i.id = fk_q_i64(q, 1);
	b->s.qty = fk_q_double(q, 2);
	snprintf(b->p.name, sizeof(b->p.name), "%s", fk_q_text(q, 3));
	snprintf(b->p.kind, sizeof(b->p.kind), "%s", fk_q_text(q, 4));
	b->p.area_id = fk_q_i64(q, 5);
	snprintf(b->p.area_name, sizeof(b->p.area_name), "%s",
		 fk_q_isnull(q, 6) ? "" : fk_q_text(q, 6));
	snprintf(b->i.name, sizeof(b->i.name), "%s", fk_q_text(q, 7));
	snprintf(b->i.unit, sizeof(b->i.unit), "%s", fk_q_text(q, 8));
	snprintf(b->i.category, sizeof(b->i.category), "%s", fk_q_text(q, 9));
	b->i.low_at = fk_q_double(q, 10);
	b->p.ref_id = fk_q_i64(q, 11);
}

#define BAL_COLS                                                                                   \
	"SELECT l.place_id, l.item_id, SUM(l.qty), p.name, p.kind, p.area_id, a.name, i.name, "    \
	"i.unit, i.category, i.low_at, p.ref_id FROM stock_lots l JOIN stock_places p ON p.id = "  \
	"l.place_id JOIN stock_items i ON i.id = l.item_id LEFT JOIN areas a ON a.id = "           \
	"p.area_id WHERE "
/* One place's lines walk its lots by the primary key; the whole board walks the scope. */
#define BAL_PLACE "l.place_id = ? AND (CAST(? AS BIGINT) = 0 OR l.item_id = ?) AND "
#define BAL_ANY	  "(CAST(? AS BIGINT) = 0 OR l.item_id = ?) AND "
#define BAL_TAIL                                                                                   \
	" GROUP BY l.place_id, l.item_id, p.name, p.kind, p.area_id, a.name, i.name, i.unit, "     \
	"i.category, i.low_at, p.ref_id ORDER BY p.name, l.place_id, i.name, l.item_id LIMIT 5000"

static int bal_collect(struct fk_db *db, const struct fk_principal *who,
		       const struct sp_balance_query *bq, struct bal **out, int *n,
		       struct fk_err *err)
{
	bool one = bq->place_id > 0;
	struct fk_scoped_query sq = {.head = one ? BAL_COLS BAL_PLACE : BAL_COLS BAL_ANY,
				     .nhead = one ? 3 : 2,
				     .col = "l.area_path",
				     .under = bq->under,
				     .tail = BAL_TAIL};
	struct fk_q *q = NULL;
	int i = 1, next, rc = fk_scoped_query(db, who, &sq, &q, &next, err);

	if (rc < 0)
		return rc;
	if (one)
		fk_q_bind_i64(q, i++, bq->place_id);
	fk_q_bind_i64(q, i++, bq->item_id);
	fk_q_bind_i64(q, i, bq->item_id);
	return fk_q_collect(q, sizeof(struct bal), bal_row, (void **)out, n, err);
}

static int lots_json(struct fk_db *db, const struct bal *b, json_t **out, struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q,
			     "SELECT lot, expiry, qty FROM stock_lots WHERE place_id = ? AND "
			     "item_id = ? AND qty > 0 ORDER BY CASE WHEN expiry IS NULL THEN 1 "
			     "ELSE 0 END, expiry, lot",
			     err);

	if (rc < 0)
		return rc;
	*out = json_array();
	fk_q_bind_i64(q, 1, b->p.id);
	fk_q_bind_i64(q, 2, b->i.id);
	while ((rc = fk_q_step(q, err)) > 0)
		json_array_append_new(*out, json_pack("{s:s, s:o, s:f}", "lot", fk_q_text(q, 0),
						      "expiry", fk_json_strv(fk_q_text(q, 1)),
						      "qty", fk_q_double(q, 2)));
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

static json_t *bal_json(const struct bal *b, json_t *lots)
{
	json_t *place = sp_place_json(&b->p);

	return json_pack("{s:o, s:o, s:f, s:o, s:f, s:o, s:b, s:o}", "place", place, "item",
			 sp_item_json(&b->i), "qty", b->s.qty, "lots", lots, "used_7d",
			 b->s.used_7d, "days_left",
			 b->s.days_left < 0 ? json_null() : json_real(b->s.days_left), "low",
			 b->s.low, "low_by", fk_json_strv(b->s.low_by));
}

int sp_balances(struct fk_db *db, const struct fk_principal *who, const struct sp_balance_query *q,
		json_t *items, struct fk_err *err)
{
	double low_days = sp_low_days(db);
	struct bal *b = NULL;
	int n = 0, rc = bal_collect(db, who, q, &b, &n, err);

	for (int k = 0; rc == 0 && k < n; k++) {
		json_t *lots = NULL;

		rc = used_7d(db, b[k].p.id, b[k].i.id, q->now, &b[k].s.used_7d, err);
		state_fill(&b[k].s, b[k].i.low_at, low_days);
		if (rc == 0 && q->low_only && !b[k].s.low)
			continue;
		if (rc == 0)
			rc = lots_json(db, &b[k], &lots, err);
		if (rc == 0)
			json_array_append_new(items, bal_json(&b[k], lots));
	}
	free(b);
	return rc;
}
