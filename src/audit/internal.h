/* audit internals shared by audit.c (rows) and api.c (the HTTP reader). */
#ifndef FK_AUDIT_INTERNAL_H
#define FK_AUDIT_INTERNAL_H
#include <stdint.h>
#include "base/err.h"
#include "store/db.h"

#define AUDIT_LIMIT_DEFAULT 50
#define AUDIT_LIMIT_MAX	    500

/* Filters of a read; zero / NULL members do not filter. */
struct audit_filter {
	int64_t user_id;
	const char *action;
	const char *target_kind;
	int64_t target_id;
	int64_t before; /* only rows with a smaller id (the cursor) */
	int64_t limit;
};

/* One row as read; strings are valid only during the callback. */
struct audit_row {
	int64_t id;
	int64_t at;
	int64_t user_id;
	const char *username;
	const char *role;
	const char *action;
	const char *target_kind;
	int64_t target_id;
	const char *detail;
	const char *ip;
	const char *request_id;
};

/* Calls fn for each matching row, newest first. fn returns 0 to go on. */
int audit_list(struct fk_db *db, const struct audit_filter *f,
	       int (*fn)(void *ctx, const struct audit_row *row), void *ctx, struct fk_err *err);

#endif
