/* req: what a handler reads from its request (path parameters, query, headers, cookies) and
 * how it fills its response; and the one mapping from FK_E* codes to HTTP statuses. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <microhttpd.h>
#include "base/id.h"
#include "base/log.h"
#include "http/http.h"

const char *fk_req_param(struct fk_req *req, const char *name)
{
	for (int i = 0; i < req->nparams; i++)
		if (strcmp(req->param_names[i], name) == 0)
			return req->param_values[i];
	return NULL;
}

static const char *lookup(struct fk_req *req, enum MHD_ValueKind kind, const char *name)
{
	if (!req->conn)
		return NULL;
	return MHD_lookup_connection_value(req->conn, kind, name);
}

/* MHD has already decoded %XX and '+' in the query string. */
const char *fk_req_query(struct fk_req *req, const char *name)
{
	return lookup(req, MHD_GET_ARGUMENT_KIND, name);
}

const char *fk_req_header(struct fk_req *req, const char *name)
{
	return lookup(req, MHD_HEADER_KIND, name);
}

const char *fk_req_cookie(struct fk_req *req, const char *name)
{
	return lookup(req, MHD_COOKIE_KIND, name);
}

int fk_req_param_id(struct fk_req *req, const char *name, int64_t *out, struct fk_err *err)
{
	const char *s = fk_req_param(req, name);

	if (s && fk_id_parse(s, out))
		return 0;
	*out = 0;
	return fk_err_set(err, FK_ENOTFOUND, "not_found", name, "未找到：%s 不是有效的编号",
			  "not found: %s is not a valid id", name);
}

int fk_req_query_int(struct fk_req *req, const char *name, int64_t def, int64_t min, int64_t max,
		     int64_t *out, struct fk_err *err)
{
	const char *s = fk_req_query(req, name);
	char *end = NULL;
	long long v;

	*out = def;
	if (!s || !*s)
		return 0;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno == 0 && end != s && *end == '\0' && v >= min && v <= max) {
		*out = v;
		return 0;
	}
	return fk_err_set(err, FK_EINVAL, "invalid_query", name,
			  "查询参数 %s 应为 %lld 到 %lld 之间的整数",
			  "query parameter %s must be an integer from %lld to %lld", name,
			  (long long)min, (long long)max);
}

void fk_resp_json(struct fk_resp *resp, int status, json_t *json)
{
	if (resp->json != json)
		json_decref(resp->json);
	resp->json = json;
	resp->status = status;
}

void fk_resp_header(struct fk_resp *resp, const char *name, const char *value)
{
	if (resp->nheaders == FK_MAX_RESP_HEADERS)
		FK_BUG("more than FK_MAX_RESP_HEADERS response headers");
	resp->header_names[resp->nheaders] = name;
	resp->header_values[resp->nheaders++] = value;
}

int fk_http_status(int code)
{
	return fk_code_info(code)->http_status;
}
