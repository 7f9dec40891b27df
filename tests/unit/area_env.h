/* area_env: a migrated store for the area and scope tests — a temp SQLite file, and a
 * database of its own on PostgreSQL when FK_PG_URL is set — emptied of areas between cases.
 * Included by test_area.c and test_scope.c only (static functions). */
#ifndef FK_TEST_AREA_ENV_H
#define FK_TEST_AREA_ENV_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "area/area.h"
#include "store/db.h"
#include "store/migrate.h"
#include "modules.h"
#include "pg_required.h"

struct area_env {
	char url[512];
	char admin_url[512];
	char dbname[64];
	bool pg;
	struct fk_db *db;
};

static struct area_env area_sqlite_env, area_pg_env;
/* The modules whose migrations the store gets and whose area paths moves follow. */
static const struct fk_module *const *area_env_modules = fk_modules;

static inline int area_env_admin_exec(const char *url, const char *sql)
{
	struct fk_err err = {0};
	struct fk_db *db;
	int rc = fk_db_open(url, &db, &err);

	if (rc == 0) {
		rc = fk_db_exec(db, sql, &err);
		fk_db_close(db);
	}
	if (rc < 0)
		fprintf(stderr, "%s: %s\n", sql, err.en);
	return rc;
}

static inline int area_env_open(struct area_env *e)
{
	struct fk_err err = {0};

	if (fk_modules_use(area_env_modules, &err) < 0 || fk_db_open(e->url, &e->db, &err) < 0 ||
	    fk_modules_migrate(e->db, area_env_modules, NULL, &err) < 0) {
		fprintf(stderr, "store %s: %s (%s)\n", e->url, err.en, err.key);
		return -1;
	}
	return 0;
}

static inline int area_setup_sqlite(void **state)
{
	struct area_env *e = &area_sqlite_env;

	snprintf(e->url, sizeof(e->url), "/tmp/fk_%s_%d.db", FK_TEST_NAME, (int)getpid());
	unlink(e->url);
	*state = e;
	return area_env_open(e);
}

static inline int area_teardown_sqlite(void **state)
{
	struct area_env *e = *state;
	char path[600];

	fk_db_close(e->db);
	unlink(e->url);
	snprintf(path, sizeof(path), "%s-wal", e->url);
	unlink(path);
	snprintf(path, sizeof(path), "%s-shm", e->url);
	unlink(path);
	return 0;
}

/* postgres://user@host:port/dbname?opts -> the same URL naming database db. */
static inline void area_env_url_with_db(const char *url, const char *db, char *out, size_t cap)
{
	const char *host = strstr(url, "://");
	const char *path = host ? strchr(host + 3, '/') : NULL;
	const char *query = strchr(url, '?');
	int head = path ? (int)(path - url) : (query ? (int)(query - url) : (int)strlen(url));

	snprintf(out, cap, "%.*s/%s%s", head, url, db, query ? query : "");
}

static inline int area_setup_pg(void **state)
{
	struct area_env *e = &area_pg_env;
	char sql[256];

	e->pg = true;
	snprintf(e->admin_url, sizeof(e->admin_url), "%s", getenv("FK_PG_URL"));
	snprintf(e->dbname, sizeof(e->dbname), "fk_%s_%d", FK_TEST_NAME, (int)getpid());
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s", e->dbname);
	area_env_admin_exec(e->admin_url, sql);
	snprintf(sql, sizeof(sql),
		 "CREATE DATABASE %s TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' "
		 "LC_CTYPE 'C'",
		 e->dbname);
	if (area_env_admin_exec(e->admin_url, sql) < 0)
		return -1;
	area_env_url_with_db(e->admin_url, e->dbname, e->url, sizeof(e->url));
	*state = e;
	return area_env_open(e);
}

static inline int area_teardown_pg(void **state)
{
	struct area_env *e = *state;
	char sql[256];

	fk_db_close(e->db);
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s WITH (FORCE)", e->dbname);
	return area_env_admin_exec(e->admin_url, sql) < 0 ? -1 : 0;
}

static inline struct fk_db *area_env_db(void **state)
{
	return ((struct area_env *)*state)->db;
}

/* Fails the case with the error's text when rc < 0. */
static inline void area_must(int64_t rc, const struct fk_err *err)
{
	if (rc < 0)
		fail_msg("call failed: %s [%s] field=%s", err->en, err->key, err->field);
}

/* Empties the area tables (children first, for the self-reference). */
static inline int area_env_wipe(void **state)
{
	struct fk_err err = {0};
	struct fk_db *db = area_env_db(state);

	area_must(fk_db_exec(db, "DELETE FROM area_moves", &err), &err);
	area_must(fk_db_exec(db, "UPDATE areas SET parent_id = NULL", &err), &err);
	area_must(fk_db_exec(db, "DELETE FROM areas", &err), &err);
	return 0;
}

/* Creates an area with the given parent (0 = root) and returns its id. */
static inline int64_t area_add(struct fk_db *db, int64_t parent, const char *kind, const char *name,
			       const char *code)
{
	struct fk_area a;
	struct fk_err err = {0};

	memset(&a, 0, sizeof(a));
	a.parent_id = parent;
	snprintf(a.kind, sizeof(a.kind), "%s", kind);
	snprintf(a.name, sizeof(a.name), "%s", name);
	snprintf(a.code, sizeof(a.code), "%s", code);
	area_must(fk_area_create(db, &a, &err), &err);
	return a.id;
}

static inline void area_path_of(struct fk_db *db, int64_t id, char *out, size_t cap)
{
	struct fk_area a;
	struct fk_err err = {0};

	area_must(fk_area_get(db, id, &a, &err), &err);
	snprintf(out, cap, "%s", a.path);
	fk_area_release(&a);
}

/* Runs the sqlite group, then the postgres group when FK_PG_URL is set (required under CI=true). */
static inline int area_env_run(const char *name, const struct CMUnitTest *tests, size_t n)
{
	char gname[64];
	int failed;

	snprintf(gname, sizeof(gname), "%s sqlite", name);
	failed = _cmocka_run_group_tests(gname, tests, n, area_setup_sqlite, area_teardown_sqlite);
	if (pg_url()) {
		snprintf(gname, sizeof(gname), "%s postgres", name);
		failed += _cmocka_run_group_tests(gname, tests, n, area_setup_pg, area_teardown_pg);
	} else {
		failed += pg_missing(name);
	}
	return failed ? 1 : 0;
}

#endif
