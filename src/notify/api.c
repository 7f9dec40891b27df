/* api: the outbox screen's handler. The outbox holds phone numbers and login codes, so every
 * read of it is audited. */
#include <stdio.h>
#include "audit/audit.h"
#include "base/id.h"
#include "base/phone.h"
#include "notify/internal.h"

static int list_query(struct fk_req *req, struct nt_list_query *q, char to[24], struct fk_err *err)
{
	const char *cursor = fk_req_query(req, "cursor");
	const char *phone = fk_req_query(req, "to");
	int64_t limit = 0;
	int rc = fk_req_query_int(req, "limit", 50, 1, 500, &limit, err);

	q->limit = (int)limit;
	if (rc == 0 && cursor && *cursor && !fk_id_parse(cursor, &q->before))
		rc = fk_err_set(err, FK_EINVAL, "invalid_cursor", "cursor", "cursor 无效",
				"the cursor is not valid");
	if (rc == 0 && phone && *phone) {
		rc = fk_phone_normalize(phone, to, err);
		if (rc < 0)
			snprintf(err->field, sizeof err->field, "to");
		q->to = to;
	}
	return rc;
}

int nt_api_outbox(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct nt_list_query q = {0};
	char to[24] = "";
	json_t *items = json_array();
	int64_t next = 0;
	int rc = list_query(req, &q, to, err);

	if (rc == 0)
		rc = nt_outbox_list(req->db, &q, items, &next, err);
	if (rc == 0)
		rc = fk_audit_json(
		    req, "notify.outbox", "outbox", 0,
		    json_pack("{s:s, s:I}", "to", to, "count", (json_int_t)json_array_size(items)),
		    err);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	fk_resp_json(resp, 200,
		     json_pack("{s:o, s:o}", "items", items, "next_cursor",
			       next ? fk_json_idv(next) : json_null()));
	return 0;
}
