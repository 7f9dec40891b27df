/* retention: the daily retention.purge job. Deletes the personal event data every module
 * declares in its descriptor (.purges, platform/module.h) once older than the policy
 * retention.personal_data_days (declared by the policy module, read through app->policy_ms),
 * in batches of 1,000 rows per statement, so no transaction holds the store for long. */
#include <stdio.h>
#include "base/clock.h"
#include "base/log.h"
#include "platform/module.h"

#define PURGE_BATCH 1000

/* "DELETE FROM t WHERE key IN (SELECT key FROM t WHERE time < ? [AND (where)] LIMIT 1000)" */
static int purge_sql(const struct fk_purge *p, char *out, size_t cap, struct fk_err *err)
{
	const char *key = p->key ? p->key : "id";
	int n = snprintf(out, cap,
			 "DELETE FROM %s WHERE %s IN (SELECT %s FROM %s WHERE %s < ?%s%s%s "
			 "LIMIT %d)",
			 p->table, key, key, p->table, p->time_column, p->where ? " AND (" : "",
			 p->where ? p->where : "", p->where ? ")" : "", PURGE_BATCH);

	if (n < 0 || (size_t)n >= cap)
		return fk_err_set(err, FK_EINTERNAL, "purge_sql", NULL, "清除语句过长：%s",
				  "the purge statement of %s is too long", p->table);
	return 0;
}

static int purge_one(struct fk_db *db, const struct fk_purge *p, int64_t before_ms, int64_t *purged,
		     struct fk_err *err)
{
	char sql[1024];
	int64_t n = PURGE_BATCH, total = 0;
	int rc = purge_sql(p, sql, sizeof(sql), err);

	while (rc == 0 && n == PURGE_BATCH) {
		n = fk_db_run(db, err, sql, "i", before_ms);
		if (n < 0)
			rc = (int)n;
		else
			total += n;
	}
	if (total > 0)
		fk_info("event=retention_purged table=%s count=%lld", p->table, (long long)total);
	*purged += total;
	return rc;
}

int fk_retention_purge(struct fk_db *db, const struct fk_module *const *mods, int64_t before_ms,
		       int64_t *purged, struct fk_err *err)
{
	int64_t total = 0;
	int rc = 0;

	for (int i = 0; mods[i] && rc == 0; i++)
		for (const struct fk_purge *p = mods[i]->purges; p && p->table && rc == 0; p++)
			rc = purge_one(db, p, before_ms, &total, err);
	if (purged)
		*purged = total;
	return rc;
}

int fk_retention_job(struct fk_app *app, struct fk_db *db, struct fk_err *err)
{
	int64_t keep = app->policy_ms ? app->policy_ms(db, FK_RETENTION_POLICY, FK_RETENTION_MS)
				      : FK_RETENTION_MS;

	return fk_retention_purge(db, app->modules, fk_now_ms() - keep, NULL, err);
}
