/* migrate: numbered schema migrations (src/store/schema/NNN_name.sql, embedded at build time),
 * applied in order inside one transaction each, recorded in schema_migrations. */
#ifndef FK_MIGRATE_H
#define FK_MIGRATE_H
#include "store/db.h"

struct fk_migration {
	int version;
	const char *name;
	const char *sql;
};
extern const struct fk_migration fk_migrations[];
extern const int fk_migrations_count;

/* Applies every migration newer than the store's; *applied (if not NULL) gets how many. */
int fk_migrate(struct fk_db *db, int *applied, struct fk_err *err);
/* The migration's SQL as it runs on a store of kind (malloc'd): the schema files' shared SQL,
 * with SQLite's words where it has its own. */
char *fk_migration_sql(const struct fk_migration *m, enum fk_db_kind kind);
/* Highest applied version, 0 for an empty store. */
int fk_migrate_version(struct fk_db *db, int *version, struct fk_err *err);

#endif
