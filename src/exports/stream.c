/* stream: the streamed CSV body. The handler has checked and audited the export; the body
 * then reads a page of EX_PAGE rows at a time on a store connection of its own, opened at the
 * first read and closed with the stream: an export that lasts minutes holds none of the
 * pool's connections, and on SQLite its page cache is kept small (each page of the store is
 * read once, so a big cache only grows the server's memory). Memory stays one page of rows
 * whatever the size. At the end the export's row count is audited; a store error ends the
 * body early (logged, and audited as failed). */
#include <stdlib.h>
#include <string.h>
#include "audit/audit.h"
#include "base/log.h"
#include "exports/internal.h"
#include "platform/module.h"

#define EX_BUF_MAX  (16u << 20) /* a page of rows with their longest texts */
#define EX_CACHE_KB "4096"	/* the SQLite page cache of an export's connection */

int ex_audit_done(struct fk_db *db, struct ex_job *j, struct fk_err *err)
{
	struct fk_req req = {
	    .db = db, .who = &j->who, .client_ip = j->client_ip, .request_id = j->request_id};
	struct fk_audit_entry e = {
	    .action = j->failed ? "export.failed" : "export.done",
	    .target_kind = "area",
	    .target_id = j->area_id,
	    .detail = json_pack("{s:s, s:s, s:I, s:b}", "kind", j->kind->name, "format", j->format,
				"rows", (json_int_t)j->rows, "unmask", j->unmask),
	};

	return fk_audit(&req, &e, err);
}

void ex_job_free(struct ex_job *j)
{
	if (!j)
		return;
	if (j->db)
		fk_db_close(j->db);
	if (j->file)
		fclose(j->file);
	if (j->buf.max) /* the CSV body's only */
		fk_buf_release(&j->buf);
	free(j);
}

/* The export's own connection to the store. */
static int open_db(struct ex_job *j, struct fk_err *err)
{
	int rc = fk_store_connect(j->app->store, &j->db, err);

	if (rc == 0 && fk_db_kind(j->db) == FK_DB_SQLITE)
		rc = fk_db_exec(j->db, "PRAGMA cache_size=-" EX_CACHE_KB, err);
	return rc;
}

/* Reads the next page into j->buf; at the end (an empty page) records the audit. */
static void next_page(struct ex_job *j)
{
	struct fk_err err = {0};

	fk_buf_reset(&j->buf);
	j->off = 0;
	j->last_page = 0;
	if (!j->db && open_db(j, &err) < 0) {
		fk_warn("export %s: %s", j->kind->name, err.en);
		j->failed = j->done = true;
		return;
	}
	if (j->kind->page(j->db, j, ex_csv_row, j, &err) < 0) {
		fk_warn("export %s: %s", j->kind->name, err.en);
		j->failed = true;
	}
	if (j->failed || j->last_page == 0) {
		j->done = true;
		if (ex_audit_done(j->db, j, &err) < 0)
			fk_warn("export %s: audit: %s", j->kind->name, err.en);
	}
}

static long csv_read(void *cls, char *buf, size_t max)
{
	struct ex_job *j = cls;
	size_t n;

	while (j->off == j->buf.len) {
		if (j->done)
			return -1;
		next_page(j);
	}
	n = j->buf.len - j->off;
	if (n > max)
		n = max;
	memcpy(buf, j->buf.data + j->off, n);
	j->off += n;
	return (long)n;
}

static void csv_free(void *cls)
{
	ex_job_free(cls);
}

static const struct fk_stream_ops csv_ops = {.read = csv_read, .free = csv_free};

void ex_csv_start(struct fk_req *req, struct fk_resp *resp, struct ex_job *j)
{
	fk_buf_init(&j->buf, EX_BUF_MAX);
	ex_csv_heads(j);
	fk_resp_stream(req, resp, &csv_ops, j);
	resp->status = 200;
	resp->content_type = "text/csv; charset=utf-8";
}
