/* fangkong: the command table and the dispatcher (git-style subcommands). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd/cmd.h"
#include "modules.h"

#define DEFAULT_DB "fangkong.db"

const struct cmd fk_commands[] = {
    {.name = "serve",
     .fn = cmd_serve,
     .flags = CMD_DB_URL,
     .usage = "serve [--db URL] [--listen ADDR:PORT] [--threads N] [--web DIR]",
     .help = "Runs the HTTP server (API, web app, /healthz, /metrics). Migrates the store at "
	     "start. `fangkong serve --help` lists every setting and its FANGKONG_* variable."},
    {.name = "init",
     .fn = cmd_init,
     .flags = CMD_DB_URL | CMD_STORE,
     .usage = "init [--db URL] --district NAME [--code CODE] [--admin USER] [--password PW]",
     .help = "Creates a store with its schema, a root district area and an admin account "
	     "over it. Prints the admin password when it was generated."},
    {.name = "demo",
     .fn = cmd_demo,
     .flags = CMD_DB_URL | CMD_STORE,
     .usage = "demo [--db URL] [--residents N] [--seed N] [--password PW]",
     .help = "Fills an empty store with a synthetic district (1 district, 4 streets, 40 "
	     "communities, 400 grids, 4,000 buildings, 200,000 residents by default) and one "
	     "user per role; prints the logins."},
    {.name = "import",
     .fn = cmd_import,
     .flags = CMD_DB_URL | CMD_STORE,
     .usage = "import {residents|areas} FILE [--db URL] [--encoding auto|utf-8|gbk] "
	      "[--area CODE]",
     .help = "Imports a CSV file (UTF-8 with or without BOM, or GBK/GB18030). Bad rows are "
	     "reported with line, column and reason; good rows are kept; re-importing the "
	     "same file changes nothing."},
    {.name = "area",
     .fn = cmd_area,
     .flags = CMD_DB_URL | CMD_STORE,
     .usage = "area import-geometry --file F.geojson [--db URL]",
     .help = "Stores the shapes of areas from a GeoJSON FeatureCollection whose features "
	     "carry properties.code (the area code) and a Polygon or MultiPolygon geometry: all "
	     "or none; a bad feature is named by its index and field."},

    {.name = "export",
     .fn = cmd_export,
     .flags = CMD_DB_URL,
     .usage = "export daily-report --area CODE --date YYYY-MM-DD [--out FILE] [--store URL]",
     .help = "Writes the daily report 每日简报 of an area on a date as XLSX (by default "
	     "daily-report-CODE-DATE.xlsx): the area's figures and its children's one level "
	     "down. --store (or --db) names the store. Audited."},
    {.name = "user",
     .fn = cmd_user,
     .flags = CMD_DB_URL | CMD_STORE,
     .usage = "user {add|passwd|list} [--db URL] ...",
     .help = "Manages accounts: `user add NAME --role ROLE --area CODE[,CODE] "
	     "[--password PW]`, `user passwd NAME [--password PW]`, `user list`."},
    {.name = "migrate",
     .fn = cmd_migrate,
     .flags = CMD_DB_URL,
     .usage = "migrate [--db URL] [--status]",
     .help = "Applies the numbered schema migrations the store lacks (serve does this at "
	     "start too); --status prints the store's version."},
    {.name = "routes",
     .fn = cmd_routes,
     .flags = 0,
     .usage = "routes [--json]",
     .help = "Prints every HTTP route: method, path, roles, summary."},
    {.name = "errors",
     .fn = cmd_errors,
     .flags = 0,
     .usage = "errors [--json]",
     .help = "Prints the table of error codes: name, HTTP status, default reply code, "
	     "meaning."},
    {.name = "version",
     .fn = cmd_version,
     .flags = 0,
     .usage = "version",
     .help = "Prints the version and the versions of the libraries linked."},
    {.name = "help",
     .fn = cmd_help,
     .flags = 0,
     .usage = "help [COMMAND]",
     .help = "Lists the commands, or explains one."},
    {.name = "audit",
     .fn = cmd_audit,
     .flags = CMD_DB_URL | CMD_STORE,
     .usage = "audit {seal|verify} [--db URL]",
     .help = "`audit seal` seals the audit rows not sealed yet into the hash chain (the "
	     "audit.seal job does so every minute) and prints the head; `audit verify` "
	     "recomputes the chain and exits 1 naming the first break (seq, audit id, a changed "
	     "row, a missing seq or a head mismatch), 0 when it is whole."},
    {.name = "backup",
     .fn = cmd_backup,
     .flags = CMD_DB_URL,
     .usage = "backup --out FILE [--db URL] [--pg-bin DIR]",
     .help = "Writes a consistent copy of the store while servers keep using it (SQLite: the "
	     "online backup API, then an integrity check of the copy; PostgreSQL: pg_dump "
	     "--format=custom), and FILE.manifest.json beside it: each table's row count and "
	     "checksum at the backup's moment. --pg-bin names the folder of pg_dump."},
    {.name = "restore",
     .fn = cmd_restore,
     .flags = CMD_DB_URL,
     .usage = "restore --from FILE [--db URL] [--force] [--pg-bin DIR]",
     .help = "Puts a backup into the store (stop its servers first), then checks every "
	     "table's row count and checksum against FILE.manifest.json; exits 1 naming a "
	     "table that differs. Refuses a store that holds data unless --force, and a file "
	     "unlike its manifest, leaving the store as it was."},
    {0},
};

const struct cmd *cmd_find(const char *name)
{
	for (const struct cmd *c = fk_commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

/* Takes "--db URL" / "--db=URL" out of argv; falls back to FANGKONG_DB, then the default. */
static const char *take_db_url(int *argc, char **argv)
{
	const char *url = getenv("FANGKONG_DB");
	int out = 0;
	for (int i = 0; i < *argc; i++) {
		if (strcmp(argv[i], "--db") == 0 && i + 1 < *argc) {
			url = argv[++i];
			continue;
		}
		if (strncmp(argv[i], "--db=", 5) == 0) {
			url = argv[i] + 5;
			continue;
		}
		argv[out++] = argv[i];
	}
	*argc = out;
	argv[out] = NULL;
	return url && *url ? url : DEFAULT_DB;
}

static void open_store(struct cmd_ctx *ctx)
{
	struct fk_err err = {0};
	if (fk_db_open(ctx->db_url, &ctx->db, &err) < 0)
		die_err(ctx->db_url, &err);
	if (fk_modules_migrate(ctx->db, fk_modules, NULL, &err) < 0)
		die_err("migrate", &err);
}

int main(int argc, char **argv)
{
	struct cmd_ctx ctx = {0};
	struct fk_err err = {0};
	const struct cmd *c;
	int rc;

	if (fk_modules_use(fk_modules, &err) < 0)
		die_err("modules", &err);
	if (argc < 2) {
		cmd_help(1, argv, &ctx);
		return 1;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return cmd_help(1, argv, &ctx);
	if (strcmp(argv[1], "--version") == 0)
		return cmd_version(1, argv, &ctx);
	c = cmd_find(argv[1]);
	if (!c)
		die("'%s' is not a command; see 'fangkong help'", argv[1]);
	cmd_settings_common(c->name);
	argc--;
	argv++;
	if (c->flags & (CMD_DB_URL | CMD_STORE))
		ctx.db_url = take_db_url(&argc, argv);
	if (c->flags & CMD_STORE)
		open_store(&ctx);
	rc = c->fn(argc, argv, &ctx);
	if (ctx.db)
		fk_db_close(ctx.db);
	return rc;
}
