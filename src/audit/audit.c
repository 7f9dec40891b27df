/* audit: writes audit rows for requests and for the CLI, and reads them back for admins. The
 * table is append-only; ids come from fk_id_next so "newest first" is "highest id first". */
#include <stdio.h>
#include <stdlib.h>
#include "audit/audit.h"
#include "audit/internal.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/id.h"
#include "users/principal.h"

static const char sql_insert[] =
    "INSERT INTO audit (id, at, user_id, username, role, action, target_kind, target_id, "
    "detail, ip, request_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

struct audit_who {
	int64_t user_id;
	const char *username;
	const char *role;
	const char *ip;
	const char *request_id;
};

/* Sorted keys: one detail is one text, whatever order it was built in. */
static char *detail_text(json_t *detail)
{
	return detail ? json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
}

static void entry_release(const struct fk_audit_entry *e)
{
	if (e)
		json_decref(e->detail);
}

static int audit_insert(struct fk_db *db, const struct audit_who *w, const struct fk_audit_entry *e,
			struct fk_err *err)
{
	char *detail;
	int rc;

	if (!e || !e->action || !e->action[0]) {
		entry_release(e);
		return fk_err_set(err, FK_EINTERNAL, "audit_action", "action", "审计记录缺少操作名",
				  "audit entry without an action");
	}
	detail = detail_text(e->detail);
	rc = fk_db_write(db, err, sql_insert, "iiittttittt", fk_id_next(), fk_now_ms(), w->user_id,
			 w->username, w->role, e->action, e->target_kind ? e->target_kind : "",
			 e->target_id, detail, w->ip, w->request_id);
	free(detail);
	entry_release(e);
	return rc;
}

int fk_audit(struct fk_req *req, const struct fk_audit_entry *e, struct fk_err *err)
{
	struct audit_who w = {
	    .user_id = 0,
	    .username = "",
	    .role = "",
	    .ip = req->client_ip,
	    .request_id = req->request_id,
	};

	if (!req->db) { /* a FK_RF_NO_DB route cannot audit: a bug in its route table */
		entry_release(e);
		return fk_err_set(err, FK_EINTERNAL, "audit_no_store", NULL,
				  "审计记录需要数据存储连接",
				  "an audit entry needs a store connection");
	}
	if (req->who) {
		w.user_id = req->who->user_id;
		w.username = req->who->username;
		w.role = fk_role_name(req->who->role);
	}
	return audit_insert(req->db, &w, e, err);
}

int fk_audit_json(struct fk_req *req, const char *action, const char *target_kind,
		  int64_t target_id, json_t *detail, struct fk_err *err)
{
	struct fk_audit_entry e = {
	    .action = action, .target_kind = target_kind, .target_id = target_id, .detail = detail};

	return fk_audit(req, &e, err);
}

int fk_audit_cli(struct fk_db *db, const struct fk_audit_entry *e, struct fk_err *err)
{
	struct audit_who w = {
	    .user_id = 0,
	    .username = "system",
	    .role = "",
	    .ip = "cli",
	    .request_id = NULL,
	};
	return audit_insert(db, &w, e, err);
}

/* The WHERE clause depends on which filters are given; at most 16 distinct texts, each
 * prepared once per connection. */
static int audit_build_sql(const struct audit_filter *f, struct fk_buf *sql)
{
	int rc = fk_buf_puts(sql, "SELECT id, at, user_id, username, role, action, target_kind, "
				  "target_id, detail, ip, request_id FROM audit WHERE 1 = 1");
	if (f->user_id)
		rc |= fk_buf_puts(sql, " AND user_id = ?");
	if (f->action)
		rc |= fk_buf_puts(sql, " AND action = ?");
	if (f->target_kind)
		rc |= fk_buf_puts(sql, " AND target_kind = ?");
	if (f->target_id)
		rc |= fk_buf_puts(sql, " AND target_id = ?");
	if (f->before)
		rc |= fk_buf_puts(sql, " AND id < ?");
	rc |= fk_buf_puts(sql, " ORDER BY id DESC LIMIT ?");
	return rc;
}

static void audit_bind(struct fk_q *q, const struct audit_filter *f)
{
	int i = 1;

	if (f->user_id)
		fk_q_bind_i64(q, i++, f->user_id);
	if (f->action)
		fk_q_bind_text(q, i++, f->action);
	if (f->target_kind)
		fk_q_bind_text(q, i++, f->target_kind);
	if (f->target_id)
		fk_q_bind_i64(q, i++, f->target_id);
	if (f->before)
		fk_q_bind_i64(q, i++, f->before);
	fk_q_bind_i64(q, i, f->limit > 0 ? f->limit : AUDIT_LIMIT_DEFAULT);
}

static void audit_read_row(struct fk_q *q, struct audit_row *r)
{
	r->id = fk_q_i64(q, 0);
	r->at = fk_q_i64(q, 1);
	r->user_id = fk_q_i64(q, 2);
	r->username = fk_q_text(q, 3);
	r->role = fk_q_text(q, 4);
	r->action = fk_q_text(q, 5);
	r->target_kind = fk_q_text(q, 6);
	r->target_id = fk_q_i64(q, 7);
	r->detail = fk_q_text(q, 8);
	r->ip = fk_q_text(q, 9);
	r->request_id = fk_q_text(q, 10);
}

int audit_list(struct fk_db *db, const struct audit_filter *f,
	       int (*fn)(void *ctx, const struct audit_row *row), void *ctx, struct fk_err *err)
{
	struct fk_buf sql;
	struct fk_q *q = NULL;
	struct audit_row row;
	int rc;

	fk_buf_init(&sql, 1024);
	if (audit_build_sql(f, &sql) < 0) {
		rc = fk_err_set(err, FK_EINTERNAL, "audit_sql", NULL, "审计查询语句过长",
				"audit query text too long");
		goto out;
	}
	rc = fk_db_query(db, &q, sql.data, err);
	if (rc < 0)
		goto out;
	audit_bind(q, f);
	while ((rc = fk_q_step(q, err)) > 0) {
		audit_read_row(q, &row);
		rc = fn(ctx, &row);
		if (rc != 0)
			break;
	}
out:
	if (q)
		fk_q_done(q);
	fk_buf_release(&sql);
	return rc < 0 ? rc : 0;
}

int fk_audit_tx_begin(struct fk_req *req, struct fk_err *err)
{
	return fk_db_begin(req->db, true, err);
}

int fk_audit_tx_end(struct fk_req *req, int rc, const struct fk_audit_entry *e, struct fk_err *err)
{
	if (rc == 0 && e)
		rc = fk_audit(req, e, err);
	else
		entry_release(e);
	if (rc == 0)
		rc = fk_db_commit(req->db, err);
	if (rc < 0)
		fk_db_rollback(req->db);
	return rc;
}
