/* xlsx: an export as an XLSX workbook. libxlsxwriter's constant_memory mode writes each row
 * to its temporary file as it comes, so memory stays flat; the finished file (opened, then
 * unlinked so nothing is left behind) is streamed as the body. One sheet holds at most
 * EX_XLSX_ROWS rows: a bigger export is refused (CSV has no such limit). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include "exports/internal.h"

struct sheet {
	struct ex_job *j;
	lxw_worksheet *ws;
	lxw_row_t r;
};

static int xlsx_row(void *ctx, const char *const *v, int n)
{
	struct sheet *s = ctx;
	char tmp[64];

	if (s->r > EX_XLSX_ROWS)
		return FK_EUNPROC;
	for (int i = 0; i < n; i++)
		if (*v[i])
			worksheet_write_string(s->ws, s->r, (lxw_col_t)i,
					       ex_cell(s->j, i, v[i], tmp, sizeof(tmp)), NULL);
	s->r++;
	s->j->rows++;
	s->j->last_page++;
	return 0;
}

static int fill(struct fk_db *db, struct sheet *s, lxw_format *bold, struct fk_err *err)
{
	int rc;

	for (int i = 0; i < s->j->ncols; i++)
		worksheet_write_string(s->ws, 0, (lxw_col_t)i, s->j->kind->heads[i], bold);
	s->r = 1;
	do {
		s->j->last_page = 0;
		rc = s->j->kind->page(db, s->j, xlsx_row, s, err);
	} while (rc == 0 && s->j->last_page > 0);
	if (rc == FK_EUNPROC)
		return fk_err_set(err, FK_EUNPROC, "too_many_rows", "format",
				  "超过 XLSX 单表 %d 行上限，请导出 CSV",
				  "over the %d rows of an XLSX sheet: export CSV instead",
				  EX_XLSX_ROWS);
	return rc;
}

static int write_book(struct fk_db *db, struct ex_job *j, const char *path, const char *tmpdir,
		      struct fk_err *err)
{
	lxw_workbook_options o = {.constant_memory = LXW_TRUE, .tmpdir = (char *)tmpdir};
	lxw_workbook *wb = workbook_new_opt(path, &o);
	struct sheet s = {.j = j};
	lxw_format *bold;
	lxw_error e;
	int rc;

	if (!wb)
		return fk_err_set(err, FK_EINTERNAL, "xlsx_failed", "", "无法创建 XLSX 文件",
				  "cannot create the XLSX file");
	s.ws = workbook_add_worksheet(wb, j->kind->name);
	bold = workbook_add_format(wb);
	format_set_bold(bold);
	rc = fill(db, &s, bold, err);
	e = workbook_close(wb);
	if (rc == 0 && e != LXW_NO_ERROR)
		rc = fk_err_set(err, FK_EINTERNAL, "xlsx_failed", "", "XLSX 文件写入失败：%s",
				"writing the XLSX file failed: %s", lxw_strerror(e));
	return rc;
}

static int xlsx_file(struct fk_req *req, struct ex_job *j, struct fk_err *err)
{
	const char *dir = getenv("TMPDIR");
	char *path;
	int fd, rc;

	dir = dir && *dir ? dir : "/tmp";
	path = fk_arena_printf(req->arena, "%s/fk-export-XXXXXX", dir);
	if ((fd = mkstemp(path)) < 0)
		return fk_err_set(err, FK_EINTERNAL, "xlsx_failed", "", "无法创建临时文件：%s",
				  "cannot make a temporary file: %s", strerror(errno));
	close(fd);
	rc = write_book(req->db, j, path, dir, err);
	if (rc == 0 && !(j->file = fopen(path, "rb")))
		rc = fk_err_set(err, FK_EINTERNAL, "xlsx_failed", "", "无法读取 XLSX 文件",
				"cannot read the XLSX file back");
	unlink(path);
	return rc;
}

static long file_read(void *cls, char *buf, size_t max)
{
	struct ex_job *j = cls;
	size_t n = fread(buf, 1, max, j->file);

	return n > 0 ? (long)n : -1;
}

static void file_free(void *cls)
{
	ex_job_free(cls);
}

static const struct fk_stream_ops file_ops = {.read = file_read, .free = file_free};

int ex_xlsx_start(struct fk_req *req, struct fk_resp *resp, struct ex_job *j, struct fk_err *err)
{
	int rc = xlsx_file(req, j, err);

	if (rc == 0)
		rc = ex_audit_done(req->db, j, err);
	if (rc < 0) {
		ex_job_free(j);
		return rc;
	}
	fk_resp_stream(req, resp, &file_ops, j);
	resp->status = 200;
	resp->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	return 0;
}
