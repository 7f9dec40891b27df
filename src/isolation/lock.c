/* lock: the row locks that keep two concurrent writes from both passing a check of overlap or
 * capacity (table isolation_locks). On PostgreSQL an upsert of the row waits for another
 * transaction holding it and then sees what that one committed (read committed); on SQLite the
 * write transaction already has the file to itself. */
#include <stdio.h>
#include "base/clock.h"
#include "isolation/internal.h"

int is_lock(struct fk_db *db, const char *what, int64_t id, struct fk_err *err)
{
	char name[64];

	snprintf(name, sizeof(name), "%s:%lld", what, (long long)id);
	return fk_db_write(db, err,
			   "INSERT INTO isolation_locks (name, at) VALUES (?, ?) ON CONFLICT "
			   "(name) DO UPDATE SET at = excluded.at",
			   "ti", name, fk_now_ms());
}
