/* donation: one gift — money (kept in fen) or goods lines (an item of the supplies catalogue, whose
 * names it reads, and a quantity) — for a community in the caller's scope, pledged first; the
 * body's checks, the rows, the JSON (the donor's phone masked as phones are), the list and a
 * change. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/buf.h"
#include "base/id.h"
#include "base/json.h"
#include "base/mask.h"
#include "donations/internal.h"

/* The amount in yuan, of a new donation and of a change. */
#define AMOUNT_FIELD                                                                               \
	{                                                                                          \
		.name = "amount_yuan", .type = FK_J_NUMBER, .nullable = true, .min = 0,            \
		.max = DN_FEN_MAX / 100, .range_key = "invalid_amount"                             \
	}

const struct fk_field dn_body_create[] = {
    {.name = "kind", .type = FK_J_STRING, .required = true, .max_len = 8},
    {.name = "donor_name", .type = FK_J_STRING, .nullable = true, .max_len = DN_NAME_MAX},
    {.name = "anonymous", .type = FK_J_BOOL, .nullable = true},
    {.name = "donor_phone", .type = FK_J_STRING, .nullable = true, .max_len = 20},
    {.name = "area_id", .type = FK_J_ID, .required = true},
    AMOUNT_FIELD,
    {.name = "goods", .type = FK_J_ARRAY, .nullable = true, .max_len = DN_GOODS_MAX},
    {.name = "use_note", .type = FK_J_STRING, .nullable = true, .max_len = DN_NOTE_MAX},
    FK_FIELDS_END,
};

const struct fk_field dn_body_patch[] = {
    {.name = "donor_name", .type = FK_J_STRING, .nullable = true, .max_len = DN_NAME_MAX},
    {.name = "anonymous", .type = FK_J_BOOL, .nullable = true},
    {.name = "donor_phone", .type = FK_J_STRING, .nullable = true, .max_len = 20},
    AMOUNT_FIELD,
    {.name = "use_note", .type = FK_J_STRING, .nullable = true, .max_len = DN_NOTE_MAX},
    FK_FIELDS_END,
};

int dn_amount_fen(json_t *amount, int64_t *fen, struct fk_err *err)
{
	double y = json_number_value(amount), f = y * 100.0;

	if (!json_is_number(amount) || !isfinite(y) || y < 0 || f > (double)DN_FEN_MAX ||
	    fabs(f - round(f)) > 1e-6)
		return fk_err_set(err, FK_EINVAL, "invalid_amount", "amount_yuan",
				  "金额须为不小于 0 的数，至多两位小数",
				  "the amount must be a number of yuan, 0 or more, with at most 2 "
				  "decimals");
	*fen = (int64_t)llround(f);
	return 0;
}

/* FK_EINVAL naming goods unless each line is {item_id, qty > 0, name?}. */
static int goods_check(json_t *goods, struct fk_err *err)
{
	json_t *g;
	size_t i;

	if (json_array_size(goods) == 0)
		return fk_err_set(err, FK_EINVAL, "missing_field", "goods", "物资捐赠须列出物资",
				  "a gift of goods lists its goods");
	json_array_foreach(goods, i, g)
	{
		json_t *qty = json_object_get(g, "qty"), *name = json_object_get(g, "name");
		if (!json_is_object(g) || fk_json_id(g, "item_id") <= 0 || !json_is_number(qty) ||
		    !(json_number_value(qty) > 0) || !isfinite(json_number_value(qty)) ||
		    (name && !json_is_null(name) &&
		     (!json_is_string(name) || strlen(json_string_value(name)) > DN_NAME_MAX)))
			return fk_err_set(err, FK_EINVAL, "invalid_goods", "goods",
					  "第 %zu 项物资须有 item_id 和大于 0 的 qty",
					  "goods line %zu needs an item_id and a qty above 0",
					  i + 1);
	}
	return 0;
}

static int body_check(json_t *body, int64_t *fen, struct fk_err *err)
{
	const char *kind = fk_json_str(body, "kind"), *donor = fk_json_str(body, "donor_name");
	bool anon = json_is_true(json_object_get(body, "anonymous"));

	if (strcmp(kind, "money") != 0 && strcmp(kind, "goods") != 0)
		return fk_err_set(err, FK_EINVAL, "invalid_kind", "kind", "类型须为 money 或 goods",
				  "the kind must be money or goods");
	if (!anon && (!donor || !*donor))
		return fk_err_set(err, FK_EINVAL, "missing_field", "donor_name",
				  "须填写捐赠人，或选择匿名",
				  "name the donor, or make it anonymous");
	*fen = 0;
	if (strcmp(kind, "goods") == 0)
		return goods_check(json_object_get(body, "goods"), err);
	if (dn_amount_fen(json_object_get(body, "amount_yuan"), fen, err) < 0)
		return FK_EINVAL;
	if (*fen == 0)
		return fk_err_set(err, FK_EINVAL, "invalid_amount", "amount_yuan",
				  "现金捐赠金额须大于 0", "a gift of money is more than 0 yuan");
	return 0;
}

static int insert_goods(struct fk_db *db, int64_t id, json_t *goods, struct fk_err *err)
{
	json_t *g;
	size_t i;
	int rc = 0;

	json_array_foreach(goods, i, g)
	{
		rc = fk_db_write(
		    db, err,
		    "INSERT INTO donation_goods (donation_id, line, item_id, name, qty) "
		    "VALUES (?, ?, ?, ?, ?)",
		    "iiitd", id, (int64_t)i + 1, fk_json_id(g, "item_id"), fk_json_str(g, "name"),
		    json_number_value(json_object_get(g, "qty")));
		if (rc < 0)
			break;
	}
	return rc;
}

int dn_create(struct fk_req *req, json_t *body, int64_t now, int64_t *id, struct fk_err *err)
{
	struct fk_area a = {0};
	int64_t fen = 0;
	bool anon = json_is_true(json_object_get(body, "anonymous"));
	int rc = body_check(body, &fen, err);

	if (rc == 0)
		rc = fk_area_get_in_scope(req->db, req->who, fk_json_id(body, "area_id"), "area_id",
					  &a, err);
	*id = fk_id_next();
	if (rc == 0)
		rc = fk_db_write(
		    req->db, err,
		    "INSERT INTO donations (id, kind, donor_name, anonymous, donor_phone, area_id, "
		    "area_path, amount_fen, status, use_note, pledged_at, created_by) VALUES (?, "
		    "?, ?, "
		    "?, ?, ?, ?, ?, 'pledged', ?, ?, ?)",
		    "ittitititii", *id, fk_json_str(body, "kind"),
		    fk_json_str(body, "donor_name") ? fk_json_str(body, "donor_name") : "",
		    (int64_t)anon, fk_json_str(body, "donor_phone"), a.id, a.path, fen,
		    fk_json_str(body, "use_note"), now, req->who->user_id);
	if (rc == 0 && strcmp(fk_json_str(body, "kind"), "goods") == 0)
		rc = insert_goods(req->db, *id, json_object_get(body, "goods"), err);
	fk_area_release(&a);
	return rc;
}

/* ---- reading ---- */

#define DN_COLS                                                                                    \
	"d.id, d.kind, d.donor_name, d.anonymous, d.donor_phone, d.area_id, a.name, "              \
	"d.amount_fen, d.status, d.use_note, d.pledged_at, d.received_at, d.place_id, "            \
	"d.area_path FROM donations d JOIN areas a ON a.id = d.area_id"

static json_t *row_json(struct fk_q *q, const struct fk_principal *who)
{
	char masked[32];
	const char *phone = fk_q_text(q, 4);

	if (phone && !who->see_phone)
		phone = fk_mask_phone(phone, masked, sizeof(masked));
	return json_pack(
	    "{s:o, s:s, s:s, s:b, s:o, s:o, s:s, s:o, s:s, s:o, s:o, s:o, s:o}", "id",
	    fk_json_idv(fk_q_i64(q, 0)), "kind", fk_q_text(q, 1), "donor_name", fk_q_text(q, 2),
	    "anonymous", fk_q_i64(q, 3) != 0, "donor_phone", fk_json_strv(phone), "area_id",
	    fk_json_idv(fk_q_i64(q, 5)), "area_name", fk_q_text(q, 6), "amount_yuan",
	    strcmp(fk_q_text(q, 1), "money") == 0 ? json_real((double)fk_q_i64(q, 7) / 100.0)
						  : json_null(),
	    "status", fk_q_text(q, 8), "use_note", fk_json_strv(fk_q_text(q, 9)), "pledged_at",
	    fk_json_timev(fk_q_i64(q, 10)), "received_at", fk_json_timev(fk_q_i64(q, 11)),
	    "place_id", fk_json_idv(fk_q_i64(q, 12)));
}

/* Adds goods and moves (the receipts' ids) to o. */
static int add_goods(struct fk_db *db, int64_t id, json_t *o, struct fk_err *err)
{
	json_t *goods = json_array(), *moves = json_array();
	struct fk_q *q;
	int rc = fk_db_query(db, &q,
			     "SELECT g.item_id, COALESCE(i.name, g.name), g.qty, g.move_id, i.unit "
			     "FROM donation_goods g LEFT JOIN stock_items i ON i.id = g.item_id "
			     "WHERE g.donation_id = ? ORDER BY g.line",
			     err);

	if (rc == 0) {
		fk_q_bind_i64(q, 1, id);
		while ((rc = fk_q_step(q, err)) > 0) {
			json_array_append_new(goods, json_pack("{s:o, s:o, s:f, s:o}", "item_id",
							       fk_json_idv(fk_q_i64(q, 0)), "name",
							       fk_json_strv(fk_q_text(q, 1)), "qty",
							       fk_q_double(q, 2), "unit",
							       fk_json_strv(fk_q_text(q, 4))));
			if (fk_q_i64(q, 3))
				json_array_append_new(moves, fk_json_idv(fk_q_i64(q, 3)));
		}
		fk_q_done(q);
	}
	json_object_set_new(o, "goods", goods);
	json_object_set_new(o, "moves", moves);
	return rc < 0 ? rc : 0;
}

static int one(struct fk_db *db, const struct fk_principal *who, int64_t id, json_t **out,
	       struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q, "SELECT " DN_COLS " WHERE d.id = ?", err);

	*out = NULL;
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, id);
	rc = fk_q_step(q, err);
	if (rc > 0 && fk_scope_covers(who, fk_q_text(q, 13)))
		*out = row_json(q, who);
	fk_q_done(q);
	if (rc < 0)
		return rc;
	if (!*out)
		return fk_err_set(err, FK_ENOTFOUND, "donation_not_found", "id", "没有该捐赠",
				  "there is no such donation");
	return 0;
}

int dn_get_json(struct fk_db *db, const struct fk_principal *who, int64_t id, json_t **out,
		struct fk_err *err)
{
	int rc = one(db, who, id, out, err);

	if (rc == 0 && (rc = add_goods(db, id, *out, err)) < 0) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

int dn_head(struct fk_db *db, const struct fk_principal *who, int64_t id, char kind[8],
	    char status[12], struct fk_err *err)
{
	json_t *o = NULL;
	int rc = one(db, who, id, &o, err);

	if (rc == 0) {
		snprintf(kind, 8, "%s", json_string_value(json_object_get(o, "kind")));
		snprintf(status, 12, "%s", json_string_value(json_object_get(o, "status")));
	}
	json_decref(o);
	return rc;
}

int dn_list(struct fk_db *db, const struct fk_principal *who, const char *under, const char *status,
	    const char *kind, json_t **out, struct fk_err *err)
{
	struct fk_buf sql;
	struct fk_q *q;
	json_t *items = json_array();
	int rc, i;

	fk_buf_init(&sql, 4096);
	fk_buf_puts(&sql, "SELECT " DN_COLS " WHERE ");
	fk_scope_sql(who, "d.area_path", &sql);
	fk_subtree_sql("d.area_path", under, &sql);
	fk_buf_puts(&sql, status ? " AND d.status = ?" : "");
	fk_buf_puts(&sql, kind ? " AND d.kind = ?" : "");
	fk_buf_puts(&sql, " ORDER BY d.id DESC LIMIT 500");
	rc = fk_db_query(db, &q, sql.data, err);
	fk_buf_release(&sql);
	if (rc == 0) {
		i = fk_subtree_bind(under, q, fk_scope_bind(who, q, 1));
		if (status)
			fk_q_bind_text(q, i++, status);
		if (kind)
			fk_q_bind_text(q, i, kind);
		while ((rc = fk_q_step(q, err)) > 0)
			json_array_append_new(items, row_json(q, who));
		fk_q_done(q);
	}
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o}", "items", items);
	return 0;
}

/* ---- a change ---- */

/* The new amount (fen) asked by body into *fen, -1 when none: only for a pledged gift of
 * money (FK_EUNPROC "amount_fixed" otherwise). */
static int patch_amount(json_t *body, const char *kind, const char *status, int64_t *fen,
			struct fk_err *err)
{
	json_t *amount = json_object_get(body, "amount_yuan");
	int rc;

	*fen = -1;
	if (!amount || json_is_null(amount))
		return 0;
	if (strcmp(kind, "money") != 0 || strcmp(status, "pledged") != 0)
		return fk_err_set(err, FK_EUNPROC, "amount_fixed", "amount_yuan",
				  "只有认捐中的现金捐赠可改金额",
				  "only a pledged gift of money changes its amount");
	if ((rc = dn_amount_fen(amount, fen, err)) == 0 && *fen == 0)
		rc = fk_err_set(err, FK_EINVAL, "invalid_amount", "amount_yuan",
				"现金捐赠金额须大于 0", "a gift of money is more than 0 yuan");
	return rc;
}

static int patch_text(struct fk_db *db, int64_t id, json_t *body, struct fk_err *err)
{
	static const char *const sql[] = {
	    "UPDATE donations SET donor_name = ? WHERE id = ?",
	    "UPDATE donations SET donor_phone = ? WHERE id = ?",
	    "UPDATE donations SET use_note = ? WHERE id = ?",
	};
	static const char *const field[] = {"donor_name", "donor_phone", "use_note"};
	int rc = 0;

	for (int i = 0; i < 3 && rc == 0; i++)
		if (fk_json_has(body, field[i]))
			rc = fk_db_write(db, err, sql[i], "ti",
					 fk_json_str(body, field[i]) ? fk_json_str(body, field[i])
								     : (i == 0 ? "" : NULL),
					 id);
	return rc;
}

int dn_patch(struct fk_req *req, int64_t id, json_t *body, struct fk_err *err)
{
	char kind[8], status[12];
	int64_t fen = -1;
	json_t *anon = json_object_get(body, "anonymous");
	int rc = dn_head(req->db, req->who, id, kind, status, err);

	if (rc == 0)
		rc = patch_amount(body, kind, status, &fen, err);
	if (rc == 0 && fen >= 0)
		rc = fk_db_write(req->db, err, "UPDATE donations SET amount_fen = ? WHERE id = ?",
				 "ii", fen, id);
	if (rc == 0 && json_is_boolean(anon))
		rc = fk_db_write(req->db, err, "UPDATE donations SET anonymous = ? WHERE id = ?",
				 "ii", (int64_t)json_is_true(anon), id);
	if (rc == 0)
		rc = patch_text(req->db, id, body, err);
	if (rc == 0)
		rc =
		    fk_db_write(req->db, err,
				"UPDATE donations SET version = version + 1 WHERE id = ?", "i", id);
	return rc;
}
