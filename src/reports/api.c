/* api: the reports module's handlers — the daily report of an area as JSON (the page) and as
 * an XLSX download (made in a temporary file, read back, removed). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/id.h"
#include "reports/internal.h"

/* area_id from the query, else the caller's first scope. */
static int area_param(struct fk_req *req, int64_t *id, struct fk_err *err)
{
	const char *s = fk_req_query(req, "area_id");

	if (!s || !*s) {
		*id = req->who->nscopes > 0 ? req->who->scope_ids[0] : 0;
		return 0;
	}
	if (!fk_id_parse(s, id))
		return fk_err_set(err, FK_EINVAL, "invalid_id", "area_id", "area_id 不是有效的编号",
				  "area_id is not a valid id");
	return 0;
}

static int make(struct fk_req *req, struct fk_daily_report *r, struct fk_err *err)
{
	const char *date = fk_req_query(req, "date");
	int64_t area_id = 0;
	int rc = area_param(req, &area_id, err);

	memset(r, 0, sizeof(*r));
	if (rc == 0 && (!date || !*date))
		rc = fk_err_set(err, FK_EINVAL, "missing_field", "date", "须填写日期 date",
				"date is required");
	if (rc == 0)
		rc = fk_daily_report_make(req->db, req->who, area_id, date, r, err);
	return rc;
}

int rp_api_daily(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct fk_daily_report r;
	int rc = make(req, &r, err);

	if (rc == 0)
		fk_resp_json(resp, 200, fk_daily_report_json(&r));
	fk_daily_report_release(&r);
	return rc;
}

/* The file at path into the request's arena; FK_EINTERNAL when it cannot be read. */
static int slurp(struct fk_req *req, const char *path, struct fk_resp *resp, struct fk_err *err)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	char *data = NULL;
	size_t n = 0;

	if (f && fstat(fileno(f), &st) == 0 && st.st_size > 0) {
		data = fk_arena_alloc(req->arena, (size_t)st.st_size);
		n = fread(data, 1, (size_t)st.st_size, f);
	}
	if (f)
		fclose(f);
	if (!data || n == 0)
		return fk_err_set(err, FK_EINTERNAL, "xlsx_failed", "", "无法读取 XLSX 文件：%s",
				  "cannot read the XLSX file: %s", strerror(errno));
	resp->body = data;
	resp->body_len = n;
	return 0;
}

static int xlsx_reply(struct fk_req *req, const struct fk_daily_report *r, struct fk_resp *resp,
		      struct fk_err *err)
{
	const char *dir = getenv("TMPDIR");
	char *path = fk_arena_printf(req->arena, "%s/fk-daily-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	int rc;

	if (fd < 0)
		return fk_err_set(err, FK_EINTERNAL, "xlsx_failed", "", "无法创建临时文件：%s",
				  "cannot make a temporary file: %s", strerror(errno));
	close(fd);
	rc = fk_daily_report_xlsx(r, path, err);
	if (rc == 0)
		rc = slurp(req, path, resp, err);
	unlink(path);
	if (rc < 0)
		return rc;
	resp->status = 200;
	resp->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	fk_resp_header(resp, "Content-Disposition",
		       fk_arena_printf(req->arena,
				       "attachment; filename=\"daily-report-%s-%s.xlsx\"",
				       r->area.code, r->date));
	return 0;
}

int rp_api_daily_xlsx(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct fk_daily_report r;
	int rc = make(req, &r, err);

	if (rc == 0)
		rc = xlsx_reply(req, &r, resp, err);
	fk_daily_report_release(&r);
	return rc;
}
