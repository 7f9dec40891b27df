/* err: filling struct fk_err, and the table of error codes (name, HTTP status, default reply). */
#include <stdio.h>
#include <string.h>
#include "base/err.h"
#include "base/utf8.h"

int fk_err_vset(struct fk_err *err, int code, const char *key, const char *field, const char *zh,
		const char *en, va_list ap)
{
	va_list ap2;

	if (!err)
		return code;
	err->code = code;
	snprintf(err->key, sizeof(err->key), "%s", key ? key : "");
	snprintf(err->field, sizeof(err->field), "%s", field ? field : "");
	err->line = 0;
	/* Both formats consume the same arguments, so each needs its own pass over them. */
	va_copy(ap2, ap);
	vsnprintf(err->zh, sizeof(err->zh), zh ? zh : "", ap);
	vsnprintf(err->en, sizeof(err->en), en ? en : "", ap2);
	va_end(ap2);
	/* The texts go into JSON replies, which must be UTF-8: a character cut by the size of its
	 * field (or a bad byte in an argument) becomes '?'. */
	fk_utf8_repair(err->field);
	fk_utf8_repair(err->zh);
	fk_utf8_repair(err->en);
	return code;
}

int fk_err_set(struct fk_err *err, int code, const char *key, const char *field, const char *zh,
	       const char *en, ...)
{
	va_list ap;

	va_start(ap, en);
	fk_err_vset(err, code, key, field, zh, en, ap);
	va_end(ap);
	return code;
}

void fk_err_clear(struct fk_err *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
}

/* The one table of codes: fk_code_name, the HTTP status (fk_http_status), the default
 * replies (http/router.c) and `fangkong errors` all read it; docs/openapi.yaml lists it
 * (x-error-codes), which tests/api/openapi.test.mjs checks. */
const struct fk_code_info fk_codes[] = {
    {FK_OK, "ok", 200, "", "", "", "success"},
    {FK_EINVAL, "invalid", 400, "bad_request", "请求无效", "bad request", "malformed input"},
    {FK_EUNPROC, "unprocessable", 422, "unprocessable", "请求无法处理",
     "the request cannot be processed", "well-formed but refused by a rule"},
    {FK_EAUTH, "unauthorized", 401, "login_required", "请先登录", "please log in first",
     "not logged in, or bad credentials"},
    {FK_EPERM, "forbidden", 403, "forbidden", "没有权限", "not allowed", "logged in, not allowed"},
    {FK_ENOTFOUND, "not_found", 404, "not_found", "未找到", "not found",
     "missing, or outside the caller's scope"},
    {FK_ECONFLICT, "conflict", 409, "conflict", "与现有数据冲突", "conflicts with existing data",
     "state conflict or duplicate"},
    {FK_ETOOBIG, "too_big", 413, "too_big", "内容过大", "too big", "body or file over its cap"},
    {FK_ELIMIT, "limited", 429, "too_many_requests", "请求过于频繁", "too many requests",
     "throttled or locked"},
    {FK_EINTERNAL, "internal", 500, "internal", "服务器内部错误", "internal error",
     "a bug or a failing dependency (logged)"},
    {FK_EDB, "db", 500, "internal", "服务器内部错误", "internal error",
     "the store failed (logged)"},
    {FK_EMETHOD, "method_not_allowed", 405, "method_not_allowed", "不支持此方法",
     "method not allowed", "the path exists, the method does not"},
    {FK_EBUSY, "busy", 503, "server_busy", "服务器繁忙，请稍后再试",
     "the server is busy; try again shortly", "past the connection limit (--max-conns)"},
    {FK_EURI, "uri_too_long", 414, "uri_too_long", "请求地址过长",
     "the request address is too long", "path and query over 8 KiB"},
    {FK_EHEAD, "headers_too_large", 431, "headers_too_large", "请求头过大",
     "the request headers are too large", "headers over 12 KiB"},
};
const int fk_ncodes = (int)(sizeof(fk_codes) / sizeof(fk_codes[0]));

static const struct fk_code_info *find(int code)
{
	for (int i = 0; i < fk_ncodes; i++)
		if (fk_codes[i].code == code)
			return &fk_codes[i];
	return NULL;
}

const struct fk_code_info *fk_code_info(int code)
{
	const struct fk_code_info *c = find(code);

	return c ? c : find(FK_EINTERNAL);
}

const char *fk_code_name(int code)
{
	const struct fk_code_info *c = find(code);

	return c ? c->name : "unknown";
}
