/* api: GET /api/v1/exports/{kind} — checks the kind against the caller's role (403), the
 * area against its scope (404 as a missing one), the round, the format and an admin's unmask
 * with its reason (422 naming reason); audits the export before a byte of it goes out, then
 * hands it to the streamed CSV or the XLSX body. */
#include <stdlib.h>
#include <string.h>
#include "audit/audit.h"
#include "base/clock.h"
#include "base/id.h"
#include "base/xmalloc.h"
#include "exports/internal.h"
#include "testing/testing.h"

#define REASON_MAX 500 /* bytes */

static int kind_of(struct fk_req *req, const struct ex_kind **k, struct fk_err *err)
{
	*k = ex_kind_find(fk_req_param(req, "kind"));
	if (!*k)
		return fk_err_set(err, FK_ENOTFOUND, "unknown_export", "kind",
				  "没有这种导出：可导出 residents、results、missing、requests、"
				  "placements",
				  "no such export: residents, results, missing, requests or "
				  "placements");
	if (!((*k)->roles & (1u << req->who->role)))
		return fk_err_set(err, FK_EPERM, "export_not_allowed", "kind", "当前角色不能导出%s",
				  "this role may not export %s", (*k)->name);
	return 0;
}

static int format_of(struct fk_req *req, struct ex_job *j, struct fk_err *err)
{
	const char *f = fk_req_query(req, "format");

	if (!f || !*f)
		f = "csv";
	if (strcmp(f, "csv") != 0 && strcmp(f, "xlsx") != 0)
		return fk_err_set(err, FK_EINVAL, "invalid_format", "format",
				  "format 须为 csv 或 xlsx", "format must be csv or xlsx");
	snprintf(j->format, sizeof(j->format), "%s", f);
	return 0;
}

/* unmask=1: an admin only, with a reason. */
static int unmask_of(struct fk_req *req, struct ex_job *j, const char **reason, struct fk_err *err)
{
	const char *u = fk_req_query(req, "unmask");

	*reason = fk_req_query(req, "reason");
	if (!u || !*u || strcmp(u, "0") == 0)
		return 0;
	if (strcmp(u, "1") != 0)
		return fk_err_set(err, FK_EINVAL, "invalid_filter", "unmask", "unmask 须为 0 或 1",
				  "unmask must be 0 or 1");
	if (req->who->role != FK_ROLE_ADMIN)
		return fk_err_set(err, FK_EPERM, "unmask_not_allowed", "unmask",
				  "只有管理员可以导出未脱敏数据",
				  "only an admin may export unmasked data");
	if (!*reason || !**reason || strlen(*reason) > REASON_MAX)
		return fk_err_set(err, FK_EUNPROC, "reason_required", "reason",
				  "导出未脱敏数据须填写理由（不超过 %d 字节）",
				  "an unmasked export needs a reason (up to %d bytes)", REASON_MAX);
	j->unmask = true;
	return 0;
}

static int round_of(struct fk_req *req, struct ex_job *j, struct fk_err *err)
{
	const char *rs = fk_req_query(req, "round_id");
	struct fk_round r;
	int rc;

	if (!rs || !*rs)
		return fk_err_set(err, FK_EINVAL, "missing_field", "round_id",
				  "须指定检测轮次 round_id", "round_id is required");
	if (!fk_id_parse(rs, &j->round_id))
		return fk_err_set(err, FK_EINVAL, "invalid_id", "round_id",
				  "round_id 不是有效的编号", "round_id is not a valid id");
	rc = fk_round_get(req->db, j->round_id, &r, err);
	if (rc == FK_ENOTFOUND)
		return fk_err_set(err, FK_ENOTFOUND, "round_not_found", "round_id",
				  "检测轮次不存在", "the testing round does not exist");
	return rc;
}

/* The area (default: the caller's first scope) in scope, and the round when the kind has
 * one. */
static int where_of(struct fk_req *req, struct ex_job *j, struct fk_area *a, struct fk_err *err)
{
	const char *s = fk_req_query(req, "area_id");
	int64_t id = req->who->nscopes > 0 ? req->who->scope_ids[0] : 0;
	int rc;

	if (s && *s && !fk_id_parse(s, &id))
		return fk_err_set(err, FK_EINVAL, "invalid_id", "area_id", "area_id 不是有效的编号",
				  "area_id is not a valid id");
	if ((rc = fk_area_get_in_scope(req->db, req->who, id, "area_id", a, err)) < 0)
		return rc;
	j->area_id = a->id;
	snprintf(j->under, sizeof(j->under), "%s", a->path);
	return j->kind->round ? round_of(req, j, err) : 0;
}

static int audit_start(struct fk_req *req, struct ex_job *j, const char *reason, struct fk_err *err)
{
	json_t *d = json_pack("{s:s, s:s, s:b}", "kind", j->kind->name, "format", j->format,
			      "unmask", j->unmask);

	if (j->round_id)
		json_object_set_new(d, "round_id", fk_json_idv(j->round_id));
	if (j->unmask)
		json_object_set_new(d, "reason", json_string(reason));
	return fk_audit_json(req, "export", "area", j->area_id, d, err);
}

static void disposition(struct fk_req *req, struct fk_resp *resp, const struct ex_job *j,
			const char *code)
{
	int y, m, d;

	fk_date_today(&y, &m, &d);
	fk_resp_header(resp, "Content-Disposition",
		       fk_arena_printf(req->arena, "attachment; filename=\"%s-%s-%04d%02d%02d.%s\"",
				       j->kind->name, code, y, m, d, j->format));
	fk_resp_header(resp, "Cache-Control", "no-store");
}

static int checks(struct fk_req *req, struct ex_job *j, struct fk_area *a, struct fk_err *err)
{
	const char *reason = NULL;
	int rc = kind_of(req, &j->kind, err);

	if (rc == 0)
		rc = format_of(req, j, err);
	if (rc == 0)
		rc = unmask_of(req, j, &reason, err);
	if (rc == 0)
		rc = where_of(req, j, a, err);
	if (rc == 0)
		rc = audit_start(req, j, reason, err);
	return rc;
}

int ex_api_export(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct ex_job *j = fk_xcalloc(1, sizeof(*j));
	struct fk_area a = {0};
	int rc;

	j->app = req->app;
	j->who = *req->who;
	snprintf(j->request_id, sizeof(j->request_id), "%s",
		 req->request_id ? req->request_id : "");
	snprintf(j->client_ip, sizeof(j->client_ip), "%s", req->client_ip ? req->client_ip : "");
	rc = checks(req, j, &a, err);
	if (rc < 0) {
		fk_area_release(&a);
		ex_job_free(j);
		return rc;
	}
	ex_job_masks(j);
	disposition(req, resp, j, a.code);
	fk_area_release(&a);
	if (strcmp(j->format, "xlsx") == 0)
		return ex_xlsx_start(req, resp, j, err);
	ex_csv_start(req, resp, j);
	return 0;
}
