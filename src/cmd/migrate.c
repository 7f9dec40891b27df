/* migrate: `fangkong migrate [--status]`: brings the store's schema up to date, or reports
 * the version it is at. */
#include <stdio.h>
#include <string.h>
#include "cmd/cmd.h"
#include "store/migrate.h"

static int latest_version(void)
{
	return fk_migrations_count > 0 ? fk_migrations[fk_migrations_count - 1].version : 0;
}

static int migrate_status(struct fk_db *db)
{
	struct fk_err err = {0};
	int version;

	if (fk_migrate_version(db, &version, &err) < 0)
		die_err("migrate", &err);
	printf("store at version %d (%s), latest %d%s\n", version, fk_db_kind_name(db),
	       latest_version(), version < latest_version() ? ", migrations pending" : "");
	return 0;
}

int cmd_migrate(int argc, char **argv, struct cmd_ctx *ctx)
{
	struct fk_err err = {0};
	bool status = false;
	int applied = 0, version = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--status") == 0)
			status = true;
		else
			die("migrate: unknown argument '%s'; usage: fangkong migrate [--db URL] "
			    "[--status]",
			    argv[i]);
	}
	if (fk_db_open(ctx->db_url, &ctx->db, &err) < 0)
		die_err(ctx->db_url, &err);
	if (status)
		return migrate_status(ctx->db);
	if (fk_migrate(ctx->db, &applied, &err) < 0)
		die_err("migrate", &err);
	if (fk_migrate_version(ctx->db, &version, &err) < 0)
		die_err("migrate", &err);
	printf("applied %d migrations, store at version %d (%s)\n", applied, version,
	       fk_db_kind_name(ctx->db));
	return 0;
}
