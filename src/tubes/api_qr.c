/* api_qr: images and printouts — a resident's sampling code as SVG or PNG (the resident
 * itself, or staff whose scope holds the resident), the printable sheet of a building's codes
 * (an export of names: audited), and tube labels. */
#include <string.h>
#include "base/buf.h"
#include "tubes/internal.h"

#define IMAGE_MAX (8u << 20)

static void send(struct fk_req *req, struct fk_resp *resp, struct fk_buf *b, const char *type)
{
	resp->status = 200;
	resp->body = fk_arena_memdup(req->arena, b->data, b->len);
	resp->body_len = b->len;
	resp->content_type = type;
}

/* The sampling code of person {id}, if who may see the person. */
static int code_of(struct fk_req *req, char code[TB_PERSON_CODE_MAX], struct fk_err *err)
{
	struct fk_person *p = fk_arena_alloc(req->arena, sizeof(*p));
	int64_t id;
	int rc = fk_req_param_id(req, "id", &id, err);

	if (rc == 0)
		rc = fk_person_get(req->db, req->who, id, p, err);
	if (rc == 0)
		rc = tb_person_code(req->db, p->id, code, err);
	return rc;
}

int tb_api_person_code(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	char code[TB_PERSON_CODE_MAX];
	int rc = code_of(req, code, err);

	if (rc == 0)
		fk_resp_json(
		    resp, 200,
		    json_pack("{s:s, s:s}", "person_id", fk_req_param(req, "id"), "code", code));
	return rc;
}

int tb_api_person_qr_svg(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	char code[TB_PERSON_CODE_MAX];
	struct fk_buf b;
	int rc = code_of(req, code, err);

	fk_buf_init(&b, IMAGE_MAX);
	if (rc == 0)
		rc = tb_qr_svg(code, &b, err);
	if (rc == 0)
		send(req, resp, &b, "image/svg+xml");
	fk_buf_release(&b);
	return rc;
}

int tb_api_person_qr_png(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	char code[TB_PERSON_CODE_MAX];
	struct fk_buf b;
	int64_t scale;
	int rc = fk_req_query_int(req, "scale", 8, 1, 32, &scale, err);

	if (rc == 0)
		rc = code_of(req, code, err);
	fk_buf_init(&b, IMAGE_MAX);
	if (rc == 0)
		rc = tb_qr_png(code, (int)scale, &b, err);
	if (rc == 0)
		send(req, resp, &b, "image/png");
	fk_buf_release(&b);
	return rc;
}

int tb_api_qr_sheet(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	int64_t area_id;
	struct fk_buf b;
	int count = 0;
	int rc = fk_req_param_id(req, "id", &area_id, err);

	fk_buf_init(&b, FK_BUF_PAGE_MAX);
	if (rc == 0)
		rc = tb_qr_sheet(req->db, req->who, area_id, &b, &count, err);
	if (rc == 0)
		rc = fk_audit_json(req, "people.qr_sheet", "area", area_id,
				   json_pack("{s:i}", "people", count), err);
	if (rc == 0)
		send(req, resp, &b, "text/html; charset=utf-8");
	fk_buf_release(&b);
	return rc;
}

int tb_api_tube_label(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	const char *code = fk_req_param(req, "code");
	struct tb_tube t;
	struct fk_buf b;
	int rc = tb_code_check(code, "code", err);

	if (rc == 0)
		rc = tb_tube_read(req->db, req->who, code, &t, err);
	if (rc == 0)
		rc = tb_site_access(req->who, t.bound, t.site_path);
	if (rc == FK_ENOTFOUND)
		rc = tb_unknown_tube(code, "code", err);
	fk_buf_init(&b, IMAGE_MAX);
	if (rc == 0)
		rc = tb_tube_label(code, &b, err);
	if (rc == 0)
		send(req, resp, &b, "image/svg+xml");
	fk_buf_release(&b);
	return rc;
}
