/* migrate: schema migrations, kept per module. Each module's folder holds its own numbered files
 * (src/<module>/schema/NNN_name.sql, embedded at build time as fk_migrations_<module>[]), and its
 * numbers are its own: two modules never collide on one. A store records what it applied in
 * module_migrations (module, version); each migration runs in a transaction of its own.
 *
 *   static const struct fk_migration_set sets[] = {
 *       {.module = "area", .list = fk_migrations_area},
 *       {.module = "people", .list = fk_migrations_people},
 *   };
 *   if (fk_migrate(db, sets, 2, &applied, err) < 0) ...   // sets run in the order given
 *
 * Two servers starting together on one PostgreSQL database serialize on a lock held for each
 * migration's transaction, so each migration runs exactly once. A store made before migrations
 * were kept per module (one numbered list, schema_migrations) is carried over at the first run. */
#ifndef FK_MIGRATE_H
#define FK_MIGRATE_H
#include "store/db.h"

/* One migration; a module's list is in ascending version order and ends with {0}. */
struct fk_migration {
	int version; /* 1, 2, ... within the module */
	const char *name;
	const char *sql;
};

struct fk_migration_set {
	const char *module;
	const struct fk_migration *list; /* ends with {0}; NULL = none */
};

/* Applies every migration of the sets that the store has not applied yet, set by set in the
 * order given; *applied (if not NULL) gets how many ran. A list whose versions do not rise is
 * FK_EINTERNAL "bad_migrations" before anything runs; a failing migration is FK_EDB
 * "migration_failed" naming the module and file, and leaves the ones before it applied. */
int fk_migrate(struct fk_db *db, const struct fk_migration_set *sets, int nsets, int *applied,
	       struct fk_err *err);
/* The highest version of module the store has applied (0 for none). */
int fk_migrate_version(struct fk_db *db, const char *module, int *version, struct fk_err *err);
/* The number of migrations in a list (up to its {0}). */
int fk_migration_count(const struct fk_migration *list);
/* The migration's SQL as it runs on a store of kind (malloc'd): the schema files' shared SQL,
 * with SQLite's words where it has its own. */
char *fk_migration_sql(const struct fk_migration *m, enum fk_db_kind kind);

#endif
