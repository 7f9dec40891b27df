/* qr_link: the reply other modules give for the QR code of one of their public links (a
 * screening campaign's /s/<token>, a call-out's /v/<token>): the link's origin is the one the
 * browser shows (?origin=), else http:// and the Host header. */
#include <string.h>
#include "base/buf.h"
#include "http/http.h"
#include "tubes/tubes.h"

#define QR_MAX	   (256u << 10)
#define ORIGIN_MAX 200

static int link_origin(struct fk_req *req, const char **out, struct fk_err *err)
{
	const char *o = fk_req_query(req, "origin"), *host = fk_req_header(req, "Host");

	if (!o || !*o) {
		*out = fk_arena_printf(req->arena, "http://%s", host && *host ? host : "localhost");
		return 0;
	}
	if ((strncmp(o, "http://", 7) && strncmp(o, "https://", 8)) || strlen(o) > ORIGIN_MAX ||
	    strpbrk(o, " \t\r\n\"<>"))
		return fk_err_set(err, FK_EINVAL, "invalid_origin", "origin",
				  "origin 须为 http(s):// 开头的地址",
				  "origin must be an http(s):// address");
	*out = o;
	return 0;
}

int fk_qr_link_reply(struct fk_req *req, struct fk_resp *resp, const char *path, struct fk_err *err)
{
	const char *origin = NULL;
	struct fk_buf b;
	int rc = link_origin(req, &origin, err);

	if (rc < 0)
		return rc;
	fk_buf_init(&b, QR_MAX);
	rc = fk_qr_svg(fk_arena_printf(req->arena, "%s%s", origin, path), &b, err);
	if (rc == 0) {
		resp->status = 200;
		resp->body = fk_arena_memdup(req->arena, b.data, b.len);
		resp->body_len = b.len;
		resp->content_type = "image/svg+xml";
	}
	fk_buf_release(&b);
	return rc;
}
