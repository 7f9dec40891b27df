/* err: error codes and the error value every fallible function fills.
 * Functions return 0 on success or a negative FK_E* code and, when given a non-NULL err,
 * describe the failure in it: a stable machine key, the field (or line) at fault, and a
 * message in zh-CN and English. One table (fk_codes, err.c) gives each code its name, its
 * HTTP status (http/http.h fk_http_status reads it) and the reply a bare code gets. */
#ifndef FK_ERR_H
#define FK_ERR_H
#include <stdarg.h>

enum fk_code {
	FK_OK = 0,
	FK_EINVAL = -1,	   /* malformed input: 400 */
	FK_EUNPROC = -2,   /* well-formed but refused by a rule: 422 */
	FK_EAUTH = -3,	   /* not logged in / bad credentials: 401 */
	FK_EPERM = -4,	   /* logged in, not allowed: 403 */
	FK_ENOTFOUND = -5, /* missing or outside the caller's scope: 404 */
	FK_ECONFLICT = -6, /* state conflict, duplicate: 409 */
	FK_ETOOBIG = -7,   /* body or file over its cap: 413 */
	FK_ELIMIT = -8,	   /* throttled / locked: 429 */
	FK_EINTERNAL = -9, /* a bug or a failing dependency: 500, logged */
	FK_EDB = -10,	   /* the store failed: 500, logged */
	FK_EMETHOD = -11,  /* method not allowed: 405 */
	FK_EBUSY = -12,	   /* the server is at its connection limit: 503 */
	FK_EURI = -13,	   /* the request's address is over its cap: 414 */
	FK_EHEAD = -14,	   /* the request's headers are over their cap: 431 */
};

struct fk_err {
	int code;
	char key[48];	/* stable machine code, e.g. "invalid_id_number" */
	char field[64]; /* field name at fault, or "" */
	long line;	/* 1-based line of an input file at fault, or 0 */
	char zh[320];	/* message in zh-CN */
	char en[320];	/* message in English */
};

/* Fills err (if not NULL) and returns code. zh and en are printf formats that take the SAME
 * arguments in the same order (use "%.0s" to consume an argument one language does not print).
 * field may be NULL. err->line is reset to 0; set it after the call when a line is at fault.
 * Texts longer than the fields are truncated. */
int fk_err_set(struct fk_err *err, int code, const char *key, const char *field, const char *zh,
	       const char *en, ...);
int fk_err_vset(struct fk_err *err, int code, const char *key, const char *field, const char *zh,
		const char *en, va_list ap);
void fk_err_clear(struct fk_err *err);

/* A row of the table of codes. */
struct fk_code_info {
	int code;
	const char *name;    /* stable lowercase name for logs: "invalid", "not_found", ... */
	int http_status;     /* 400 ... 500 */
	const char *key;     /* the reply's error code when the failure gave none */
	const char *zh, *en; /* the reply's message then */
	const char *meaning; /* what the code is for (docs) */
};

/* Every code, FK_OK first; fk_ncodes rows. */
extern const struct fk_code_info fk_codes[];
extern const int fk_ncodes;

/* The row of code; an unknown code gets FK_EINTERNAL's row. Never NULL. */
const struct fk_code_info *fk_code_info(int code);
/* Stable lowercase name of a code ("invalid", "not_found", ...) for logs; "unknown" for a
 * code not in the table. */
const char *fk_code_name(int code);

#endif
