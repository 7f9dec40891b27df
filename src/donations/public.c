/* public: the summary of a community's donations for anyone (no login) — totals of money
 * received and pledged, the goods received by item, and the donors with what they gave (an
 * amount, or the goods lines); an anonymous donor is shown as 匿名, and no phone is ever part
 * of it. */
#include <string.h>
#include "base/id.h"
#include "base/json.h"
#include "donations/internal.h"

static int money_totals(struct fk_db *db, const char *path, json_t *o, struct fk_err *err)
{
	struct fk_q *q;
	int rc =
	    fk_db_query(db, &q,
			"SELECT status, SUM(amount_fen) FROM donations WHERE area_path >= ? AND "
			"area_path < ? AND kind = 'money' GROUP BY status",
			err);
	int64_t received = 0, pledged = 0;

	if (rc < 0)
		return rc;
	fk_subtree_bind(path, q, 1);
	while ((rc = fk_q_step(q, err)) > 0)
		*(strcmp(fk_q_text(q, 0), "received") == 0 ? &received : &pledged) +=
		    fk_q_i64(q, 1);
	fk_q_done(q);
	json_object_set_new(o, "money_received", json_real((double)received / 100.0));
	json_object_set_new(o, "money_pledged", json_real((double)pledged / 100.0));
	return rc < 0 ? rc : 0;
}

static int goods_totals(struct fk_db *db, const char *path, json_t *o, struct fk_err *err)
{
	struct fk_q *q;
	json_t *goods = json_array();
	int rc = fk_db_query(
	    db, &q,
	    "SELECT COALESCE(i.name, MIN(g.name)), SUM(g.qty), i.unit FROM donation_goods g JOIN "
	    "donations d ON d.id = g.donation_id LEFT JOIN stock_items i ON i.id = g.item_id WHERE "
	    "d.area_path >= ? AND d.area_path < ? AND d.status = 'received' GROUP BY g.item_id, "
	    "i.name, i.unit ORDER BY 1",
	    err);

	if (rc == 0) {
		fk_subtree_bind(path, q, 1);
		while ((rc = fk_q_step(q, err)) > 0)
			json_array_append_new(goods, json_pack("{s:o, s:f, s:o}", "item",
							       fk_json_strv(fk_q_text(q, 0)), "qty",
							       fk_q_double(q, 1), "unit",
							       fk_json_strv(fk_q_text(q, 2))));
		fk_q_done(q);
	}
	json_object_set_new(o, "goods", goods);
	return rc < 0 ? rc : 0;
}

/* Each goods donation's lines under path, by donation id: {"<id>": [{item, qty}]}. */
static int goods_lines(struct fk_db *db, const char *path, json_t *by_id, struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(
	    db, &q,
	    "SELECT g.donation_id, COALESCE(i.name, g.name), g.qty FROM donation_goods g JOIN "
	    "donations d ON d.id = g.donation_id LEFT JOIN stock_items i ON i.id = g.item_id WHERE "
	    "d.area_path >= ? AND d.area_path < ? ORDER BY g.donation_id, g.line",
	    err);

	if (rc < 0)
		return rc;
	fk_subtree_bind(path, q, 1);
	while ((rc = fk_q_step(q, err)) > 0) {
		char id[24];
		json_t *lines = json_object_get(by_id, fk_id_format(fk_q_i64(q, 0), id));
		if (!lines)
			json_object_set_new(by_id, id, lines = json_array());
		json_array_append_new(lines,
				      json_pack("{s:o, s:f}", "item", fk_json_strv(fk_q_text(q, 1)),
						"qty", fk_q_double(q, 2)));
	}
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

static json_t *donor_json(struct fk_q *q, json_t *lines)
{
	json_t *o =
	    json_pack("{s:s, s:s, s:s}", "name", fk_q_i64(q, 2) ? DN_ANONYMOUS : fk_q_text(q, 0),
		      "kind", fk_q_text(q, 1), "status", fk_q_text(q, 4));

	if (strcmp(fk_q_text(q, 1), "money") == 0)
		json_object_set_new(o, "amount", json_real((double)fk_q_i64(q, 3) / 100.0));
	else
		json_object_set(o, "goods", lines ? lines : json_array());
	return o;
}

static int donors(struct fk_db *db, const char *path, json_t *o, struct fk_err *err)
{
	struct fk_q *q;
	json_t *items = json_array(), *by_id = json_object();
	int rc = goods_lines(db, path, by_id, err);

	if (rc == 0)
		rc =
		    fk_db_query(db, &q,
				"SELECT donor_name, kind, anonymous, amount_fen, status, id FROM "
				"donations WHERE area_path >= ? AND area_path < ? ORDER BY id DESC "
				"LIMIT 500",
				err);
	if (rc == 0) {
		fk_subtree_bind(path, q, 1);
		while ((rc = fk_q_step(q, err)) > 0) {
			char id[24];
			json_array_append_new(
			    items, donor_json(q, json_object_get(
						     by_id, fk_id_format(fk_q_i64(q, 5), id))));
		}
		fk_q_done(q);
	}
	json_decref(by_id);
	json_object_set_new(o, "donors", items);
	return rc < 0 ? rc : 0;
}

int dn_public_summary(struct fk_db *db, const char *code, json_t **out, struct fk_err *err)
{
	struct fk_area a = {0};
	json_t *o = NULL;
	int rc = fk_area_get_by_code(db, code ? code : "", &a, err);

	if (rc == FK_ENOTFOUND || (rc == 0 && strcmp(a.kind, "community") != 0))
		rc = fk_err_set(err, FK_ENOTFOUND, "area_not_found", "area_code", "没有该社区",
				"there is no such community");
	if (rc == 0) {
		o = json_pack("{s:{s:s, s:s}}", "community", "name", a.name, "code", a.code);
		rc = money_totals(db, a.path, o, err);
	}
	if (rc == 0)
		rc = goods_totals(db, a.path, o, err);
	if (rc == 0)
		rc = donors(db, a.path, o, err);
	fk_area_release(&a);
	if (rc < 0) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return 0;
}
