/* migrate: `fangkong migrate [--status]`: brings the store's schema up to date, or reports
 * each module's version beside the latest it brings. */
#include <stdio.h>
#include <string.h>
#include "cmd/cmd.h"
#include "modules.h"

static int migrate_status(struct fk_db *db)
{
	struct fk_err err = {0};
	int pending = 0;

	printf("store %s\n", fk_db_kind_name(db));
	for (int i = 0; fk_modules[i]; i++) {
		const struct fk_migration *l = fk_modules[i]->migrations;
		int n = fk_migration_count(l), latest = n ? l[n - 1].version : 0, version;

		if (fk_migrate_version(db, fk_modules[i]->name, &version, &err) < 0)
			die_err("migrate", &err);
		printf("  %-10s version %d, latest %d%s\n", fk_modules[i]->name, version, latest,
		       version < latest ? " (pending)" : "");
		pending += version < latest;
	}
	printf("%s\n", pending ? "migrations pending" : "up to date");
	return 0;
}

int cmd_migrate(int argc, char **argv, struct cmd_ctx *ctx)
{
	struct fk_err err = {0};
	bool status = false;
	int applied = 0;

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
	if (fk_modules_migrate(ctx->db, fk_modules, &applied, &err) < 0)
		die_err("migrate", &err);
	printf("applied %d migrations (%s)\n", applied, fk_db_kind_name(ctx->db));
	return migrate_status(ctx->db);
}
