/* receive: a pledge received — money marked received, goods recorded as stock receipts of the
 * supplies module (source donation, ref "donation:<id>") into the place the caller names,
 * each line's move kept beside it, so where the goods went is the ledger's answer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/id.h"
#include "base/json.h"
#include "supplies/supplies.h"
#include "donations/internal.h"

const struct fk_field dn_body_receive[] = {
    {.name = "place_id", .type = FK_J_ID, .nullable = true},
    FK_FIELDS_END,
};

struct line {
	int64_t no, item_id;
	double qty;
};

static void line_row(struct fk_q *q, void *rec)
{
	struct line *l = rec;

	l->no = fk_q_i64(q, 0);
	l->item_id = fk_q_i64(q, 1);
	l->qty = fk_q_double(q, 2);
}

static int receive_line(struct fk_req *req, int64_t id, int64_t place_id, const struct line *l,
			struct fk_err *err)
{
	char ref[40], idtext[24];
	int64_t move_id = 0;
	struct fk_stock_receipt r = {.place_id = place_id,
				     .item_id = l->item_id,
				     .qty = l->qty,
				     .source = "donation",
				     .ref = ref};
	int rc;

	snprintf(ref, sizeof(ref), "donation:%s", fk_id_format(id, idtext));
	rc = fk_stock_receive(req->db, req->who, &r, &move_id, err);
	if (rc == 0)
		rc = fk_db_write(req->db, err,
				 "UPDATE donation_goods SET move_id = ? WHERE donation_id = ? AND "
				 "line = ?",
				 "iii", move_id, id, l->no);
	return rc;
}

static int receive_goods(struct fk_req *req, int64_t id, int64_t place_id, struct fk_err *err)
{
	struct line *lines = NULL;
	struct fk_q *q;
	int n = 0, rc;

	if (place_id <= 0)
		return fk_err_set(err, FK_EINVAL, "missing_field", "place_id",
				  "物资须入库到一个库存点",
				  "goods are received into a stock place");
	rc = fk_db_query(req->db, &q,
			 "SELECT line, item_id, qty FROM donation_goods WHERE donation_id = ? "
			 "ORDER BY line",
			 err);
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, id);
	rc = fk_q_collect(q, sizeof(*lines), line_row, (void **)&lines, &n, err);
	for (int i = 0; rc == 0 && i < n; i++)
		rc = receive_line(req, id, place_id, &lines[i], err);
	free(lines);
	return rc;
}

int dn_receive(struct fk_req *req, int64_t id, json_t *body, int64_t now, struct fk_err *err)
{
	char kind[8], status[12];
	int64_t place_id = fk_json_id(body, "place_id");
	int rc = dn_head(req->db, req->who, id, kind, status, err);

	if (rc == 0 && strcmp(status, "pledged") != 0)
		rc = fk_err_set(err, FK_ECONFLICT, "already_received", "status", "该捐赠已接收",
				"the donation is already received");
	if (rc == 0 && strcmp(kind, "goods") == 0)
		rc = receive_goods(req, id, place_id, err);
	else if (rc == 0)
		place_id = 0;
	if (rc == 0)
		rc = fk_db_write(
		    req->db, err,
		    "UPDATE donations SET status = 'received', received_at = ?, place_id = "
		    "?, version = version + 1 WHERE id = ? AND status = 'pledged'",
		    "iii", now, place_id, id);
	return rc;
}
