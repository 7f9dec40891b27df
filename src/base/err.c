/* err: filling struct fk_err, and the stable names of error codes. */
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

const char *fk_code_name(int code)
{
	switch (code) {
	case FK_OK:
		return "ok";
	case FK_EINVAL:
		return "invalid";
	case FK_EUNPROC:
		return "unprocessable";
	case FK_EAUTH:
		return "unauthorized";
	case FK_EPERM:
		return "forbidden";
	case FK_ENOTFOUND:
		return "not_found";
	case FK_ECONFLICT:
		return "conflict";
	case FK_ETOOBIG:
		return "too_big";
	case FK_ELIMIT:
		return "limited";
	case FK_EINTERNAL:
		return "internal";
	case FK_EDB:
		return "db";
	case FK_EMETHOD:
		return "method_not_allowed";
	default:
		return "unknown";
	}
}
