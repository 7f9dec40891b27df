/* fuzz_store: a migrated SQLite store for the harnesses whose parsers read it (plate files,
 * sampling codes, import rows): a temp file made once per process with every module's
 * migrations and a small area tree, removed at exit. Each input runs inside a write
 * transaction that fz_end rolls back, so no input sees another's writes. Included by the
 * fuzz_*.c files that need it (static functions). */
#ifndef FK_FUZZ_STORE_H
#define FK_FUZZ_STORE_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "area/area.h"
#include "base/utf8.h"
#include "modules.h"
#include "store/db.h"
#include "store/migrate.h"

/* 区 D / 街道 S / 社区 C / 网格 G / 1号楼 B1 (2单元 B1U2), 2号楼 B2 */
struct fz_tree {
	int64_t district, street, community, grid, b1, b1u2, b2;
};

static struct fk_db *fz_db;
static struct fz_tree fz_t;
static char fz_path[256];

static inline void fz_fail(const char *what, const struct fk_err *err)
{
	fprintf(stderr, "fuzz store: %s: %s [%s] field=%s\n", what, err->en, err->key, err->field);
	abort();
}

static inline void fz_remove(void)
{
	char p[300];

	if (fz_db)
		fk_db_close(fz_db);
	fz_db = NULL;
	unlink(fz_path);
	snprintf(p, sizeof(p), "%s-wal", fz_path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", fz_path);
	unlink(p);
}

static inline int64_t fz_area(int64_t parent, const char *kind, const char *name, const char *code)
{
	struct fk_area a;
	struct fk_err err = {0};

	memset(&a, 0, sizeof(a));
	a.parent_id = parent;
	snprintf(a.kind, sizeof(a.kind), "%s", kind);
	snprintf(a.name, sizeof(a.name), "%s", name);
	snprintf(a.code, sizeof(a.code), "%s", code);
	if (fk_area_create(fz_db, &a, &err) < 0)
		fz_fail("area", &err);
	return a.id;
}

/* A principal of role over one area, seeing everything unmasked. */
static inline struct fk_principal fz_who(enum fk_role role, int64_t area)
{
	struct fk_principal w;
	struct fk_area a;
	struct fk_err err = {0};

	memset(&w, 0, sizeof(w));
	w.user_id = 1;
	w.role = role;
	w.nscopes = 1;
	w.scope_ids[0] = area;
	if (fk_area_get(fz_db, area, &a, &err) < 0)
		fz_fail("area", &err);
	snprintf(w.scope_paths[0], sizeof(w.scope_paths[0]), "%s", a.path);
	fk_area_release(&a);
	w.see_id = w.see_phone = true;
	return w;
}

static inline void fz_open(const char *name)
{
	struct fk_err err = {0};
	const char *tmp = getenv("TMPDIR");

	snprintf(fz_path, sizeof(fz_path), "%s/fk_fuzz_%s_%d.db", tmp && *tmp ? tmp : "/tmp", name,
		 (int)getpid());
	unlink(fz_path);
	if (fk_modules_use(fk_modules, &err) < 0 || fk_db_open(fz_path, &fz_db, &err) < 0 ||
	    fk_modules_migrate(fz_db, fk_modules, NULL, &err) < 0)
		fz_fail("open", &err);
	atexit(fz_remove);
	fz_t.district = fz_area(0, "district", "崂山区", "D");
	fz_t.street = fz_area(fz_t.district, "street", "中韩街道", "S");
	fz_t.community = fz_area(fz_t.street, "community", "东城社区", "C");
	fz_t.grid = fz_area(fz_t.community, "grid", "网格A", "G");
	fz_t.b1 = fz_area(fz_t.grid, "building", "1号楼", "B1");
	fz_t.b1u2 = fz_area(fz_t.b1, "unit", "2单元", "B1U2");
	fz_t.b2 = fz_area(fz_t.grid, "building", "2号楼", "B2");
}

static inline void fz_begin(void)
{
	struct fk_err err = {0};

	if (fk_db_begin(fz_db, true, &err) < 0)
		fz_fail("begin", &err);
}

static inline void fz_end(void)
{
	fk_db_rollback(fz_db);
}

/* An import report as the API sends it: counts that add up, errors with a line, texts that
 * are valid UTF-8 (jansson refuses anything else, and the reply would be lost). */
static inline int fz_report_ok(const struct fk_import_report *rep)
{
	json_t *j = fk_report_to_json(rep, "en");
	char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
	int ok = s != NULL && rep->total >= 0 && rep->failed >= 0 &&
		 rep->created + rep->updated + rep->unchanged + rep->failed <= rep->total &&
		 rep->nstored <= FK_REPORT_MAX_ERRORS && rep->nerrors >= rep->nstored;

	for (int i = 0; ok && i < rep->nstored; i++) {
		const struct fk_report_error *e = &rep->errors[i];
		ok = e->line >= 1 && e->column >= 0 && e->key[0] &&
		     fk_utf8_valid(e->zh, strlen(e->zh)) && fk_utf8_valid(e->en, strlen(e->en)) &&
		     fk_utf8_valid(e->field, strlen(e->field));
	}
	free(s);
	json_decref(j);
	return ok;
}

#endif
