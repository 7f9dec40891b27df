/* migrate: applies the embedded schema migrations (fk_migrations[], generated from
 * src/store/schema/NNN_name.sql) in order, one transaction each, and records them in
 * schema_migrations. Two servers starting together on one PostgreSQL database serialize on a
 * lock held for each migration's transaction, so each migration runs exactly once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/clock.h"
#include "base/xmalloc.h"
#include "store/backend.h"
#include "store/migrate.h"

static const char create_sql[] = "CREATE TABLE IF NOT EXISTS schema_migrations ("
				 "version BIGINT PRIMARY KEY, "
				 "name TEXT NOT NULL, "
				 "applied_at BIGINT NOT NULL)";

static int max_version(struct fk_db *db, int *version, struct fk_err *err)
{
	int64_t v = 0;
	int rc = fk_db_one_i64(db, err, &v,
			       "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", "");
	if (rc < 0)
		return rc;
	*version = (int)v;
	return 0;
}

int fk_migrate_version(struct fk_db *db, int *version, struct fk_err *err)
{
	bool found = false;
	int rc = db->be->has_table(db, "schema_migrations", &found, err);
	*version = 0;
	if (rc < 0 || !found)
		return rc;
	return max_version(db, version, err);
}

static const struct fk_migration *next_after(int version)
{
	for (int i = 0; i < fk_migrations_count; i++)
		if (fk_migrations[i].version > version)
			return &fk_migrations[i];
	return NULL;
}

/* The schema files speak the SQL both stores share. On SQLite a BIGINT PRIMARY KEY would be
 * an index beside the table's hidden rowid: every row written in two trees, every lookup by
 * id made twice. INTEGER PRIMARY KEY (64 bits in SQLite) makes the id the rowid itself.
 * Returns a malloc'd copy of sql. */
static char *sqlite_dialect(const char *sql)
{
	static const char from[] = "BIGINT PRIMARY KEY", to[] = "INTEGER PRIMARY KEY";
	size_t nf = sizeof(from) - 1, nt = sizeof(to) - 1, n = 0;
	const char *p, *hit;
	char *out, *o;

	for (p = sql; (p = strstr(p, from)); p += nf)
		n++;
	out = o = fk_xmalloc(strlen(sql) + n * (nt - nf) + 1);
	for (p = sql; (hit = strstr(p, from)); p = hit + nf) {
		memcpy(o, p, (size_t)(hit - p));
		o += hit - p;
		memcpy(o, to, nt);
		o += nt;
	}
	strcpy(o, p);
	return out;
}

char *fk_migration_sql(const struct fk_migration *m, enum fk_db_kind kind)
{
	return kind == FK_DB_SQLITE ? sqlite_dialect(m->sql) : fk_xstrdup(m->sql);
}

static int apply(struct fk_db *db, const struct fk_migration *m, struct fk_err *err)
{
	char *sql = fk_migration_sql(m, fk_db_kind(db));
	int64_t rc = fk_db_exec(db, sql, err);

	free(sql);
	if (rc == 0)
		rc = fk_db_run(db, err,
			       "INSERT INTO schema_migrations (version, name, applied_at) "
			       "VALUES (?, ?, ?)",
			       "iti", (int64_t)m->version, m->name, fk_now_ms());
	if (rc < 0 && err) {
		struct fk_err cause = *err;
		fk_err_set(err, FK_EDB, "migration_failed", NULL, "迁移 %s 失败：%s",
			   "migration %s failed: %s", m->name, cause.en);
		snprintf(err->zh, sizeof(err->zh), "迁移 %s 失败：%.280s", m->name, cause.zh);
	}
	return rc < 0 ? (int)rc : 0;
}

/* One migration, or none when the store is current: *done tells which. */
static int migrate_one(struct fk_db *db, bool *done, struct fk_err *err)
{
	const struct fk_migration *m;
	int version = 0, rc;

	rc = fk_db_begin(db, true, err);
	if (rc < 0)
		return rc;
	rc = db->be->lock_schema(db, err);
	if (rc == 0)
		rc = fk_db_exec(db, create_sql, err);
	if (rc == 0)
		rc = max_version(db, &version, err);
	if (rc < 0)
		goto fail;
	m = next_after(version);
	*done = m == NULL;
	if (m) {
		rc = apply(db, m, err);
		if (rc < 0)
			goto fail;
	}
	return fk_db_commit(db, err);
fail:
	fk_db_rollback(db);
	return rc;
}

int fk_migrate(struct fk_db *db, int *applied, struct fk_err *err)
{
	bool done = false;
	int n = 0, rc;

	if (applied)
		*applied = 0;
	for (;;) {
		rc = migrate_one(db, &done, err);
		if (rc < 0)
			return rc;
		if (done)
			break;
		n++;
		if (applied)
			*applied = n;
	}
	return 0;
}
