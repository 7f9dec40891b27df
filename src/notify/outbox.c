/* outbox: the outbox table — a message queued in its caller's transaction, and the list an
 * administrator reads on the outbox screen. */
#include <stdio.h>
#include <string.h>
#include "base/clock.h"
#include "base/id.h"
#include "base/json.h"
#include "notify/internal.h"

static int check_send(const char *to, const char *purpose, const char *text, struct fk_err *err)
{
	if (!to || !to[0] || strlen(to) > NT_PHONE_MAX)
		return fk_err_set(err, FK_EINVAL, "invalid_phone", "to", "收信号码无效",
				  "the number to send to is not valid");
	if (!purpose || !purpose[0])
		return fk_err_set(err, FK_EINVAL, "invalid_purpose", "purpose", "须说明消息用途",
				  "a message needs its purpose");
	if (!text || !text[0] || strlen(text) > NT_TEXT_MAX)
		return fk_err_set(err, FK_EINVAL, "invalid_text", "text",
				  "消息内容须为 1 到 %d 字节", "a message is 1 to %d bytes",
				  NT_TEXT_MAX);
	return 0;
}

int fk_notify_send(struct fk_db *db, const char *to, const char *purpose, const char *text,
		   int64_t *id, struct fk_err *err)
{
	int64_t mid = fk_id_next();
	int rc = check_send(to, purpose, text, err);

	if (rc == 0)
		rc =
		    fk_db_write(db, err,
				"INSERT INTO outbox (id, channel, to_phone, purpose, body, status, "
				"created_at) VALUES (?, 'sms', ?, ?, ?, 'queued', ?)",
				"ittti", mid, to, purpose, text, fk_now_ms());
	if (rc == 0 && id)
		*id = mid;
	return rc;
}

#define OUTBOX_COLS                                                                                \
	"SELECT id, channel, to_phone, purpose, body, status, created_at, sent_at, error, "        \
	"notifier FROM outbox "

static json_t *row_json(struct fk_q *q)
{
	const char *error = fk_q_text(q, 8), *notifier = fk_q_text(q, 9);

	return json_pack("{s:o, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o}", "id",
			 fk_json_idv(fk_q_i64(q, 0)), "channel", fk_q_text(q, 1), "to",
			 fk_q_text(q, 2), "purpose", fk_q_text(q, 3), "body", fk_q_text(q, 4),
			 "status", fk_q_text(q, 5), "created_at", fk_json_timev(fk_q_i64(q, 6)),
			 "sent_at", fk_json_timev(fk_q_i64(q, 7)), "error", fk_json_strv(error),
			 "notifier", fk_json_strv(notifier));
}

/* One statement per filter: each is prepared once and keeps its own plan. */
static int list_open(struct fk_db *db, const struct nt_list_query *q, struct fk_q **out,
		     struct fk_err *err)
{
	int64_t before = q->before > 0 ? q->before : INT64_MAX;
	int rc;

	if (q->to)
		rc = fk_db_query(
		    db, out, OUTBOX_COLS "WHERE to_phone = ? AND id < ? ORDER BY id DESC LIMIT ?",
		    err);
	else
		rc = fk_db_query(db, out, OUTBOX_COLS "WHERE id < ? ORDER BY id DESC LIMIT ?", err);
	if (rc < 0)
		return rc;
	if (q->to)
		fk_q_bind_text(*out, 1, q->to);
	fk_q_bind_i64(*out, q->to ? 2 : 1, before);
	fk_q_bind_i64(*out, q->to ? 3 : 2, (int64_t)q->limit + 1);
	return 0;
}

int nt_outbox_list(struct fk_db *db, const struct nt_list_query *q, json_t *items, int64_t *next,
		   struct fk_err *err)
{
	struct fk_q *s;
	int64_t last = 0;
	int n = 0, rc = list_open(db, q, &s, err);

	*next = 0;
	if (rc < 0)
		return rc;
	while ((rc = fk_q_step(s, err)) > 0) {
		if (n == q->limit) { /* one row more than a page: there is a next one */
			*next = last;
			rc = 0;
			break;
		}
		last = fk_q_i64(s, 0);
		json_array_append_new(items, row_json(s));
		n++;
	}
	fk_q_done(s);
	return rc < 0 ? rc : 0;
}
