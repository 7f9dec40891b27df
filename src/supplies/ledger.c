/* ledger: the moves of stock — receive, issue, transfer, adjust — and the running total per
 * place, item and lot (stock_lots) each move updates in its own transaction. Moves are never
 * edited nor deleted: a balance is the sum of its moves, and a correction is a move. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "base/buf.h"
#include "base/clock.h"
#include "base/id.h"
#include "base/json.h"
#include "events/events.h"
#include "base/utf8.h"
#include "supplies/internal.h"

static const char *const move_kinds[] = {"receive", "issue", "transfer", "adjust", NULL};
static const char *const sources[] = {"donation", "purchase", "transfer_in", NULL};
static const char *const reasons[] = {"lost", "damaged", "expired", "counted", NULL};

static bool among(const char *s, const char *const *list)
{
	for (int i = 0; s && list[i]; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

static bool is(const char *s, const char *want)
{
	return s && strcmp(s, want) == 0;
}

static int bad(struct fk_err *err, const char *key, const char *field, const char *zh,
	       const char *en)
{
	return fk_err_set(err, FK_EINVAL, key, field, "%s%.0s", "%.0s%s", zh, en);
}

static int qty_check(const struct sp_move_req *m, struct fk_err *err)
{
	bool count = is(m->kind, "adjust") && is(m->reason, "counted");

	if (!isfinite(m->qty) || m->qty < 0)
		return bad(err, "negative_qty", "qty", "数量不能为负数", "qty cannot be negative");
	if (m->qty > SP_QTY_MAX)
		return bad(err, "invalid_qty", "qty", "数量过大", "qty is too large");
	if (m->qty <= 0 && !count)
		return bad(err, "invalid_qty", "qty", "数量须大于 0", "qty must be more than 0");
	return 0;
}

static int expiry_check(const char *expiry, struct fk_err *err)
{
	int y, m, d;

	if (!expiry || !*expiry)
		return 0;
	if (strlen(expiry) == 10 && fk_date_parse(expiry, &y, &m, &d) == 0)
		return 0;
	return bad(err, "invalid_day", "expiry", "有效期须为 YYYY-MM-DD 格式的日期",
		   "expiry must be a day as YYYY-MM-DD");
}

static int kind_fields_check(const struct sp_move_req *m, struct fk_err *err)
{
	if (is(m->kind, "receive") && !among(m->source, sources))
		return bad(err, "invalid_source", "source",
			   "入库来源须为 donation、purchase 或 "
			   "transfer_in",
			   "source must be donation, purchase or transfer_in");
	if (is(m->kind, "adjust") && !among(m->reason, reasons))
		return bad(err, "invalid_reason", "reason",
			   "调整原因须为 lost、damaged、expired 或 "
			   "counted",
			   "reason must be lost, damaged, expired or counted");
	if (is(m->kind, "transfer") && m->to_place_id <= 0)
		return bad(err, "missing_field", "to_place_id", "调拨须给出调入库存点",
			   "a transfer needs to_place_id");
	if (is(m->kind, "transfer") && m->to_place_id == m->place_id)
		return bad(err, "same_place", "to_place_id", "调入库存点须为另一处",
			   "to_place_id must be another place");
	return 0;
}

int sp_move_check(const struct sp_move_req *m, struct fk_err *err)
{
	int rc = 0;

	if (!among(m->kind, move_kinds))
		rc =
		    bad(err, "invalid_kind", "kind", "kind 须为 receive、issue、transfer 或 adjust",
			"kind must be receive, issue, transfer or adjust");
	if (rc == 0) /* before qty, whose rule depends on the reason */
		rc = kind_fields_check(m, err);
	if (rc == 0)
		rc = qty_check(m, err);
	if (rc == 0 && m->lot &&
	    (strlen(m->lot) > SP_LOT_MAX || !fk_utf8_valid(m->lot, strlen(m->lot))))
		rc = bad(err, "invalid_lot", "lot", "批号过长", "lot is too long");
	if (rc == 0)
		rc = expiry_check(m->expiry, err);
	if (rc == 0 && m->note && fk_utf8_chars(m->note) > SP_NOTE_MAX)
		rc = bad(err, "too_long", "note", "备注过长", "note is too long");
	return rc;
}

/* ---- one move row and its running total ---- */

struct row {
	const char *kind;
	const struct sp_place *place;
	int64_t item_id, peer_place_id, by_user, at;
	const char *lot, *expiry, *source, *reason, *ref, *note;
	double qty; /* signed */
};

static json_t *row_json(const struct row *r, int64_t id)
{
	return json_pack(
	    "{s:o, s:s, s:o, s:o, s:s, s:o, s:f, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id",
	    fk_json_idv(id), "kind", r->kind, "place_id", fk_json_idv(r->place->id), "item_id",
	    fk_json_idv(r->item_id), "lot", r->lot, "expiry", fk_json_strv(r->expiry), "qty",
	    r->qty, "source", fk_json_strv(r->source), "reason", fk_json_strv(r->reason), "ref",
	    fk_json_strv(r->ref), "peer_place_id", fk_json_idv(r->peer_place_id), "note",
	    fk_json_strv(r->note), "by", fk_json_idv(r->by_user), "at", fk_json_timev(r->at));
}

static int row_store(struct fk_db *db, const struct row *r, int64_t *id, json_t *out,
		     struct fk_err *err)
{
	int rc;

	*id = fk_id_next();
	rc = fk_db_write(db, err,
			 "INSERT INTO stock_moves (id, kind, place_id, item_id, lot, expiry, qty, "
			 "source, reason, ref, peer_place_id, note, area_path, by_user, at) VALUES "
			 "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			 "itiittdtttittii", *id, r->kind, r->place->id, r->item_id, r->lot,
			 r->expiry, r->qty, r->source, r->reason, r->ref, r->peer_place_id, r->note,
			 r->place->area_path, r->by_user, r->at);
	if (rc == 0)
		rc = fk_db_write(db, err,
				 "INSERT INTO stock_lots (place_id, item_id, lot, expiry, qty, "
				 "area_path) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (place_id, "
				 "item_id, lot) DO UPDATE SET qty = stock_lots.qty + excluded.qty, "
				 "expiry = COALESCE(stock_lots.expiry, excluded.expiry)",
				 "iittdt", r->place->id, r->item_id, r->lot, r->expiry, r->qty,
				 r->place->area_path);
	if (rc == 0 && strcmp(r->kind, "issue") == 0)
		rc = fk_db_write(
		    db, err,
		    "INSERT INTO stock_use (place_id, item_id, day, qty) VALUES (?, ?, ?, "
		    "?) ON CONFLICT (place_id, item_id, day) DO UPDATE SET qty = "
		    "stock_use.qty + excluded.qty",
		    "iiid", r->place->id, r->item_id, sp_cst_day(r->at), -r->qty);
	if (rc == 0 && out)
		json_array_append_new(out, row_json(r, *id));
	return rc;
}

/* ---- the lots of a place, locked ---- */

/* Reads the lots of item at place into lots (SP_LOTS_MAX), first locking their rows so that
 * two issues on PostgreSQL take turns (the UPDATE changes nothing; on SQLite the write
 * transaction already holds the store's one write lock). lot not NULL: that lot only. */
static int lots_locked(struct fk_db *db, int64_t place_id, int64_t item_id, const char *lot,
		       struct sp_lot *lots, int *n, double *total, struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_write(db, err,
			     "UPDATE stock_lots SET qty = qty WHERE place_id = ? AND item_id = ?",
			     "ii", place_id, item_id);

	*n = 0;
	*total = 0;
	if (rc == 0)
		rc = fk_db_query(db, &q,
				 "SELECT lot, expiry, qty FROM stock_lots WHERE place_id = ? AND "
				 "item_id = ? AND qty > 0 ORDER BY expiry, lot",
				 err);
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, place_id);
	fk_q_bind_i64(q, 2, item_id);
	while ((rc = fk_q_step(q, err)) > 0 && *n < SP_LOTS_MAX) {
		if (lot && strcmp(lot, fk_q_text(q, 0)) != 0)
			continue;
		struct sp_lot *l = &lots[(*n)++];

		snprintf(l->lot, sizeof(l->lot), "%s", fk_q_text(q, 0));
		snprintf(l->expiry, sizeof(l->expiry), "%s",
			 fk_q_isnull(q, 1) ? "" : fk_q_text(q, 1));
		l->qty = fk_q_double(q, 2);
		*total += l->qty;
	}
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

static int not_enough(double want, double have, struct fk_err *err)
{
	return fk_err_set(err, FK_ECONFLICT, "not_enough_stock", "qty", "库存不足：需 %g，现有 %g",
			  "not enough stock: %g asked, %g in stock", want, have);
}

/* Takes want out of the place's lots (lot: that one only), earliest expiry first: one row
 * per lot, shaped by base (its qty and lot set here). to not NULL: a transfer, each row
 * matched by one into to. */
static int take(struct fk_db *db, struct row *base, const char *lot, double want,
		const struct sp_place *to, json_t *out, struct fk_err *err)
{
	struct sp_lot lots[SP_LOTS_MAX];
	struct sp_take takes[SP_LOTS_MAX];
	double have;
	int n, used,
	    rc = lots_locked(db, base->place->id, base->item_id, lot, lots, &n, &have, err);

	if (rc < 0)
		return rc;
	used = sp_fefo(lots, n, want, takes);
	if (used < 0)
		return not_enough(want, have, err);
	for (int i = 0; i < used && rc == 0; i++) {
		struct sp_lot *l = &lots[takes[i].lot];
		struct row r = *base;
		int64_t id;
		char ref[32];

		r.lot = l->lot;
		r.expiry = l->expiry[0] ? l->expiry : NULL;
		r.qty = -takes[i].qty;
		rc = row_store(db, &r, &id, out, err);
		if (rc == 0 && to) {
			snprintf(ref, sizeof(ref), "move:%lld", (long long)id);
			r.place = to;
			r.peer_place_id = base->place->id;
			r.qty = takes[i].qty;
			r.ref = ref;
			rc = row_store(db, &r, &id, out, err);
		}
	}
	return rc;
}

/* A transfer locks both places' lots of the item lower place id first, so that two transfers
 * the opposite way on PostgreSQL wait for each other instead of deadlocking. */
static int transfer(struct fk_db *db, struct row *base, double qty, const struct sp_place *to,
		    json_t *out, struct fk_err *err)
{
	int rc = 0;

	if (to->id < base->place->id)
		rc = fk_db_write(
		    db, err, "UPDATE stock_lots SET qty = qty WHERE place_id = ? AND item_id = ?",
		    "ii", to->id, base->item_id);
	return rc < 0 ? rc : take(db, base, NULL, qty, to, out, err);
}

/* A count: the lot becomes qty; the move is the difference (none when it already is). */
static int count(struct fk_db *db, struct row *base, double qty, json_t *out, struct fk_err *err)
{
	struct sp_lot lots[1];
	double have;
	int64_t id;
	int n,
	    rc = lots_locked(db, base->place->id, base->item_id, base->lot, lots, &n, &have, err);

	if (rc < 0 || fabs(qty - have) <= SP_EPS)
		return rc;
	base->qty = qty - have;
	if (!base->expiry && n > 0 && lots[0].expiry[0])
		base->expiry = lots[0].expiry;
	return row_store(db, base, &id, out, err);
}

static int move_rows(struct fk_db *db, const struct sp_move_req *m, struct row *base,
		     const struct sp_place *to, json_t *out, struct fk_err *err)
{
	int64_t id;

	if (is(m->kind, "receive")) {
		base->qty = m->qty;
		return row_store(db, base, &id, out, err);
	}
	if (is(m->kind, "issue"))
		return take(db, base, NULL, m->qty, NULL, out, err);
	if (is(m->kind, "transfer"))
		return transfer(db, base, m->qty, to, out, err);
	if (is(m->reason, "counted"))
		return count(db, base, m->qty, out, err);
	return take(db, base, m->lot && *m->lot ? m->lot : NULL, m->qty, NULL, out, err);
}

static int low_alert_if(struct fk_db *db, const struct sp_place *p, const struct sp_item *i,
			const struct sp_state *before, double low_days, int64_t now,
			struct fk_err *err)
{
	struct sp_state after;
	int rc = sp_state_of(db, p->id, i->id, i->low_at, low_days, now, &after, err);

	if (rc == 0 && after.low && !before->low)
		rc = sp_alert_low(db, p, i, &after, err);
	return rc;
}

/* The live event "stock" {place_id, item_id, kind, qty} at the place's area (for a transfer,
 * at both places, with to_place_id), once the move commits. */
static void move_event(struct fk_db *db, const struct sp_place *at, const struct sp_move_req *m,
		       const struct sp_place *to)
{
	fk_events_publish_after(db, "stock", at->area_path,
				json_pack("{s:o, s:o, s:s, s:f, s:o}", "place_id",
					  fk_json_idv(m->place_id), "item_id",
					  fk_json_idv(m->item_id), "kind", m->kind, "qty", m->qty,
					  "to_place_id", to ? fk_json_idv(to->id) : json_null()));
}

int sp_move_run(struct fk_db *db, const struct fk_principal *who, const struct sp_move_req *m,
		int64_t now, json_t *moves, struct fk_err *err)
{
	struct sp_place place, to;
	struct sp_item item;
	struct sp_state before;
	double low_days = sp_low_days(db);
	int rc = sp_place_get(db, who, m->place_id, "place_id", &place, err);

	if (rc == 0)
		rc = sp_item_get(db, m->item_id, &item, err);
	if (rc == 0 && is(m->kind, "transfer"))
		rc = sp_place_get(db, who, m->to_place_id, "to_place_id", &to, err);
	if (rc == 0)
		rc = sp_state_of(db, place.id, item.id, item.low_at, low_days, now, &before, err);
	if (rc < 0)
		return rc;
	struct row base = {.kind = m->kind,
			   .place = &place,
			   .item_id = item.id,
			   .peer_place_id = is(m->kind, "transfer") ? to.id : 0,
			   .by_user = who ? who->user_id : 0,
			   .at = now,
			   .lot = m->lot ? m->lot : "",
			   .expiry = m->expiry && *m->expiry ? m->expiry : NULL,
			   .source = is(m->kind, "receive") ? m->source : NULL,
			   .reason = is(m->kind, "adjust") ? m->reason : NULL,
			   .ref = m->ref,
			   .note = m->note};

	rc = move_rows(db, m, &base, is(m->kind, "transfer") ? &to : NULL, moves, err);
	if (rc == 0)
		rc = low_alert_if(db, &place, &item, &before, low_days, now, err);
	if (rc == 0)
		move_event(db, &place, m, is(m->kind, "transfer") ? &to : NULL);
	if (rc == 0 && is(m->kind, "transfer") && strcmp(to.area_path, place.area_path) != 0)
		move_event(db, &to, m, &to);
	return rc;
}

int fk_stock_receive(struct fk_db *db, const struct fk_principal *who,
		     const struct fk_stock_receipt *r, int64_t *move_id, struct fk_err *err)
{
	struct sp_move_req m = {.kind = "receive",
				.place_id = r->place_id,
				.item_id = r->item_id,
				.qty = r->qty,
				.lot = r->lot,
				.expiry = r->expiry,
				.source = r->source,
				.ref = r->ref};
	json_t *moves = json_array();
	int rc = sp_move_check(&m, err);

	if (rc == 0)
		rc = sp_move_run(db, who, &m, fk_now_ms(), moves, err);
	if (rc == 0 && move_id)
		fk_id_parse(json_string_value(json_object_get(json_array_get(moves, 0), "id")),
			    move_id);
	json_decref(moves);
	return rc;
}

/* ---- the list ---- */

#define MOVE_SELECT                                                                                \
	"SELECT m.id, m.kind, m.place_id, m.item_id, m.lot, m.expiry, m.qty, m.source, "           \
	"m.reason, m.ref, m.peer_place_id, m.note, m.by_user, m.at, p.name, i.name, i.unit FROM "  \
	"stock_moves m JOIN stock_places p ON p.id = m.place_id JOIN stock_items i ON i.id = "     \
	"m.item_id WHERE (CAST(? AS BIGINT) = 0 OR m.place_id = ?) AND (CAST(? AS BIGINT) = 0 OR " \
	"m.item_id = ?) AND (CAST(? AS BIGINT) = 0 OR m.id < ?) AND "

static json_t *list_row(struct fk_q *q)
{
	struct sp_place p = {.id = fk_q_i64(q, 2)};
	struct row r = {.kind = fk_q_text(q, 1),
			.place = &p,
			.item_id = fk_q_i64(q, 3),
			.lot = fk_q_text(q, 4),
			.expiry = fk_q_text(q, 5),
			.qty = fk_q_double(q, 6),
			.source = fk_q_text(q, 7),
			.reason = fk_q_text(q, 8),
			.ref = fk_q_text(q, 9),
			.peer_place_id = fk_q_i64(q, 10),
			.note = fk_q_text(q, 11),
			.by_user = fk_q_i64(q, 12),
			.at = fk_q_i64(q, 13)};
	json_t *o = row_json(&r, fk_q_i64(q, 0));

	json_object_set_new(o, "place_name", json_string(fk_q_text(q, 14)));
	json_object_set_new(o, "item_name", json_string(fk_q_text(q, 15)));
	json_object_set_new(o, "unit", json_string(fk_q_text(q, 16)));
	return o;
}

int sp_move_list(struct fk_db *db, const struct fk_principal *who, int64_t place_id,
		 int64_t item_id, int64_t before, int limit, json_t *items, int64_t *next,
		 struct fk_err *err)
{
	struct fk_scoped_query sq = {.head = MOVE_SELECT,
				     .nhead = 6,
				     .col = "m.area_path",
				     .tail = " ORDER BY m.id DESC LIMIT ?"};
	struct fk_q *q = NULL;
	int64_t last = 0;
	int i, got = 0, rc = fk_scoped_query(db, who, &sq, &q, &i, err);

	*next = 0;
	if (rc < 0)
		return rc;
	int64_t binds[6] = {place_id, place_id, item_id, item_id, before, before};

	for (int b = 0; b < 6; b++)
		fk_q_bind_i64(q, b + 1, binds[b]);
	fk_q_bind_i64(q, i, limit + 1);
	while ((rc = fk_q_step(q, err)) > 0) {
		if (got++ == limit) {
			*next = last;
			break;
		}
		last = fk_q_i64(q, 0);
		json_array_append_new(items, list_row(q));
	}
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}
