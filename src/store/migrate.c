/* migrate: applies each module's embedded migrations (fk_migrations_<module>[], generated from
 * src/<module>/schema/NNN_name.sql) in order, one transaction each, and records them in
 * module_migrations. Two servers starting together on one PostgreSQL database serialize on a
 * lock held for each migration's transaction, so each migration runs exactly once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/clock.h"
#include "base/xmalloc.h"
#include "store/backend.h"
#include "store/migrate.h"

static const char create_sql[] = "CREATE TABLE IF NOT EXISTS module_migrations ("
				 "module TEXT NOT NULL, "
				 "version BIGINT NOT NULL, "
				 "name TEXT NOT NULL, "
				 "applied_at BIGINT NOT NULL, "
				 "PRIMARY KEY (module, version))";

/* Stores made when one numbered list served every module (schema_migrations, versions 1..7):
 * where each of those migrations lives now. */
static const struct {
	int old_version;
	const char *module;
	int version;
	const char *name;
} carried[] = {
    {1, "audit", 1, "001_audit.sql"},	 {2, "area", 1, "001_areas.sql"},
    {3, "users", 1, "001_users.sql"},	 {4, "people", 1, "001_people.sql"},
    {5, "testing", 1, "001_rounds.sql"}, {6, "testing", 2, "002_tubes.sql"},
    {7, "events", 1, "001_events.sql"},
};

int fk_migration_count(const struct fk_migration *list)
{
	int n = 0;

	while (list && list[n].sql)
		n++;
	return n;
}

static int carry_one(struct fk_db *db, int64_t old_version, int64_t at, struct fk_err *err)
{
	for (size_t i = 0; i < sizeof(carried) / sizeof(carried[0]); i++) {
		if (carried[i].old_version != old_version)
			continue;
		int64_t rc = fk_db_run(db, err,
				       "INSERT INTO module_migrations (module, version, name, "
				       "applied_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
				       "titi", carried[i].module, (int64_t)carried[i].version,
				       carried[i].name, at);
		return rc < 0 ? (int)rc : 0;
	}
	return 0;
}

/* Moves what an old store's schema_migrations recorded into module_migrations, once. */
static int carry_over(struct fk_db *db, struct fk_err *err)
{
	bool old = false;
	struct fk_q *q;
	int rc = db->be->has_table(db, "schema_migrations", &old, err);

	if (rc < 0 || !old)
		return rc;
	rc = fk_db_query(db, &q, "SELECT version, applied_at FROM schema_migrations", err);
	if (rc < 0)
		return rc;
	while ((rc = fk_q_step(q, err)) > 0 &&
	       (rc = carry_one(db, fk_q_i64(q, 0), fk_q_i64(q, 1), err)) == 0)
		;
	fk_q_done(q);
	return rc < 0 ? rc : fk_db_exec(db, "DROP TABLE schema_migrations", err);
}

int fk_migrate_version(struct fk_db *db, const char *module, int *version, struct fk_err *err)
{
	bool found = false;
	int64_t v = 0;
	int rc = db->be->has_table(db, "module_migrations", &found, err);

	*version = 0;
	if (rc < 0 || !found)
		return rc;
	rc = fk_db_one_i64(
	    db, err, &v, "SELECT COALESCE(MAX(version), 0) FROM module_migrations WHERE module = ?",
	    "t", module);
	if (rc < 0)
		return rc;
	*version = (int)v;
	return 0;
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
	memcpy(o, p, strlen(p) + 1);
	return out;
}

char *fk_migration_sql(const struct fk_migration *m, enum fk_db_kind kind)
{
	return kind == FK_DB_SQLITE ? sqlite_dialect(m->sql) : fk_xstrdup(m->sql);
}

static int apply(struct fk_db *db, const char *module, const struct fk_migration *m,
		 struct fk_err *err)
{
	char *sql = fk_migration_sql(m, fk_db_kind(db));
	int64_t rc = fk_db_exec(db, sql, err);

	free(sql);
	if (rc == 0)
		rc = fk_db_run(db, err,
			       "INSERT INTO module_migrations (module, version, name, applied_at) "
			       "VALUES (?, ?, ?, ?)",
			       "titi", module, (int64_t)m->version, m->name, fk_now_ms());
	if (rc < 0 && err) {
		struct fk_err cause = *err;
		fk_err_set(err, FK_EDB, "migration_failed", NULL, "迁移 %s/%s 失败：%.240s",
			   "migration %s/%s failed: %.240s", module, m->name, cause.en);
		snprintf(err->zh, sizeof(err->zh), "迁移 %s/%s 失败：%.240s", module, m->name,
			 cause.zh);
	}
	return rc < 0 ? (int)rc : 0;
}

static const struct fk_migration *next_after(const struct fk_migration *list, int version)
{
	for (int i = 0; list && list[i].sql; i++)
		if (list[i].version > version)
			return &list[i];
	return NULL;
}

/* One migration of set, or none when the module is current: *done tells which. */
static int migrate_one(struct fk_db *db, const struct fk_migration_set *set, bool *done,
		       struct fk_err *err)
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
		rc = carry_over(db, err);
	if (rc == 0)
		rc = fk_migrate_version(db, set->module, &version, err);
	if (rc < 0)
		goto fail;
	m = next_after(set->list, version);
	*done = m == NULL;
	if (m && (rc = apply(db, set->module, m, err)) < 0)
		goto fail;
	return fk_db_commit(db, err);
fail:
	fk_db_rollback(db);
	return rc;
}

static int check_set(const struct fk_migration_set *set, struct fk_err *err)
{
	const struct fk_migration *l = set->list;

	for (int i = 0; l && l[i].sql; i++)
		if (l[i].version < 1 || (i > 0 && l[i].version <= l[i - 1].version))
			return fk_err_set(err, FK_EINTERNAL, "bad_migrations", NULL,
					  "模块 %s 的迁移 %s 编号有误（须从 1 起递增）",
					  "module %s: migration %s is out of order (numbers rise "
					  "from 1)",
					  set->module, l[i].name ? l[i].name : "?");
	return 0;
}

/* Servers started together on one new store migrate it in turns; SQLite's wait for the
 * write lock (10 s) may pass while the others apply theirs on a busy machine, so a starting
 * server waits again, up to a minute in all, rather than fail. */
#define MIGRATE_BUSY_TRIES 6

static bool lock_busy(int rc, const struct fk_err *err)
{
	return rc == FK_ECONFLICT && strcmp(err->key, "retry") == 0;
}

int fk_migrate(struct fk_db *db, const struct fk_migration_set *sets, int nsets, int *applied,
	       struct fk_err *err)
{
	int n = 0, rc = 0;

	for (int i = 0; rc == 0 && i < nsets; i++)
		rc = check_set(&sets[i], err);
	for (int i = 0, busy = 0; rc == 0 && i < nsets; i++) {
		bool done = false;
		while (rc == 0 && !done) {
			rc = migrate_one(db, &sets[i], &done, err);
			if (rc == 0 && !done)
				n++;
			else if (lock_busy(rc, err) && ++busy < MIGRATE_BUSY_TRIES)
				rc = 0;
		}
	}
	if (applied)
		*applied = n;
	return rc;
}
