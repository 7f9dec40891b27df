/* restore: `fangkong restore --from FILE [--db URL] [--force] [--pg-bin DIR]`: puts a backup
 * made by `fangkong backup` into a store, then checks every table's row count and checksum
 * against FILE.manifest.json. Refuses a store a server serves (its serving mark, held alone
 * until the restore is over, so no server starts meanwhile), a store that holds data unless
 * --force, a file that differs from its manifest (damaged, truncated, another backup), and a
 * backup of the other kind of store; in each case the target is left as it was. SQLite: the
 * online backup API into the target (one write transaction); PostgreSQL: pg_restore --clean
 * --if-exists --no-owner in one transaction. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cmd/backup.h"
#include "cmd/cmd.h"
#include "store/snapshot.h"

struct restore_args {
	const char *from;
	const char *pg_bin;
	bool force;
};

#define USAGE "usage: fangkong restore --from FILE [--db URL] [--force] [--pg-bin DIR]"

static void parse_args(int argc, char **argv, struct restore_args *a)
{
	memset(a, 0, sizeof(*a));
	for (int i = 1; i < argc; i++) {
		const char *v;
		if ((v = cmd_opt_value(argc, argv, &i, "--from")))
			a->from = v;
		else if ((v = cmd_opt_value(argc, argv, &i, "--pg-bin")))
			a->pg_bin = v;
		else if (strcmp(argv[i], "--force") == 0)
			a->force = true;
		else
			die("unknown argument '%s'; " USAGE, argv[i]);
	}
	if (!a->from || !*a->from)
		die("--from is required (a file written by fangkong backup); " USAGE);
}

/* The backup file and its manifest agree, and the manifest is of this kind of store. */
static void check_file(const char *from, const char *url, const struct manifest *m)
{
	int64_t bytes;
	char sum[FK_DIGEST_HEX];
	const char *kind = url_is_postgres(url) ? "postgres" : "sqlite";

	if (strcmp(m->store, kind) != 0)
		die("%s is a backup of a %s store and --db %s names a %s store; restore it into a "
		    "%s store",
		    from, m->store, url, kind, m->store);
	file_blake2b(from, &bytes, sum);
	if (bytes != m->bytes || strcmp(sum, m->blake2b) != 0)
		die("%s: %lld bytes and a checksum unlike its manifest's (%lld bytes): the file is "
		    "damaged or not the backup its manifest describes; nothing was restored",
		    from, (long long)bytes, (long long)m->bytes);
}

static void check_sqlite_file(const char *from)
{
	struct fk_err err = {0};

	if (fk_sqlite_integrity(from, &err) < 0)
		die_err(from, &err);
}

/* The store's serving mark taken alone until the restore is over: dies when a server serves
 * the store, --force or not. NULL for a SQLite file not made yet. */
static struct fk_db *hold_store(const char *url)
{
	if (!url_is_postgres(url) && access(url, F_OK) < 0)
		return NULL;
	return cmd_hold_store(url, true,
			      "a server is serving this store (or another restore is running); "
			      "stop it first: nothing was restored");
}

/* Dies, unless force, when the target (held: NULL for a SQLite file not made yet) holds data:
 * an area, an account or a resident (what init, demo and import make; a store that was only
 * migrated holds none). */
static void check_empty(struct fk_db *held, const char *url, bool force)
{
	static const char *const core[] = {"areas", "users", "people"};
	struct fk_err err = {0};
	struct fk_table_digest *t = NULL;
	int n = 0, k = 0;

	if (force || !held)
		return;
	if (fk_store_tables(held, &t, &n, &err) < 0)
		die_err(url, &err);
	for (int i = 0; i < n; i++)
		for (size_t c = 0; c < sizeof(core) / sizeof(core[0]); c++)
			if (strcmp(t[i].name, core[c]) == 0)
				t[k++] = t[i];
	if (fk_store_count_rows(held, t, k, &err) < 0)
		die_err(url, &err);
	for (int i = 0; i < k; i++)
		if (t[i].rows > 0)
			die("--db %s holds data (table %s has %lld rows); restoring replaces the "
			    "store: add --force to do so",
			    url, t[i].name, (long long)t[i].rows);
	free(t);
}

static void restore_sqlite(const char *from, const char *url)
{
	struct fk_err err = {0};

	if (fk_sqlite_restore(from, url, &err) < 0)
		die_err(from, &err);
}

/* Runs a pg_restore; on a failure dies with its stderr and then note. */
static void run_pg(char *const argv[], const char *what, const char *note)
{
	struct fk_buf errtext;
	int status;

	fk_buf_init(&errtext, FK_BUF_TEXT_MAX);
	status = pgtool_run(argv, &errtext);
	while (errtext.len && errtext.data[errtext.len - 1] == '\n')
		errtext.data[--errtext.len] = '\0';
	if (status != 0)
		die("%s failed (%s %d): %s; %s", what, status < 0 ? "signal or" : "exit status",
		    status, errtext.len ? errtext.data : "(no message)", note);
	fk_buf_release(&errtext);
}

static void restore_postgres(const char *from, const char *url, const char *pg_bin)
{
	char tool[1024], db_arg[4200];

	pgtool_find("pg_restore", pg_bin, tool, sizeof(tool));
	snprintf(db_arg, sizeof(db_arg), "--dbname=%s", url);
	char *list[] = {tool, "--list", (char *)from, NULL};
	run_pg(list, "pg_restore --list",
	       "the file is not a readable pg_dump archive; nothing was "
	       "changed");
	char *argv[] = {tool,
			"--clean",
			"--if-exists",
			"--no-owner",
			"--single-transaction",
			"--exit-on-error",
			db_arg,
			(char *)from,
			NULL};
	run_pg(argv, "pg_restore", "nothing was changed (it runs in one transaction)");
}

/* The restored store against the manifest: dies naming the first table that differs. */
static int64_t verify(const char *url, const struct manifest *m)
{
	struct fk_err err = {0};
	struct fk_db *db = NULL;
	struct fk_table_digest *t = NULL;
	int n = 0;
	int64_t rows = 0;

	if (fk_db_open(url, &db, &err) < 0)
		die_err(url, &err);
	if (fk_store_digest(db, &t, &n, &err) < 0)
		die_err("reading the restored tables", &err);
	fk_db_close(db);
	for (int i = 0; i < m->ntables; i++) {
		const struct fk_table_digest *want = &m->tables[i], *got = NULL;
		for (int k = 0; k < n && !got; k++)
			if (strcmp(t[k].name, want->name) == 0)
				got = &t[k];
		if (!got)
			die("verify: table %s is missing from the restored store", want->name);
		if (got->rows != want->rows)
			die("verify: table %s has %lld rows, the backup %lld", want->name,
			    (long long)got->rows, (long long)want->rows);
		if (strcmp(got->blake2b, want->blake2b) != 0)
			die("verify: table %s: checksum differs from the backup's (%lld rows)",
			    want->name, (long long)want->rows);
		rows += got->rows;
	}
	free(t);
	return rows;
}

int cmd_restore(int argc, char **argv, struct cmd_ctx *ctx)
{
	struct restore_args a;
	struct manifest m;
	struct timespec t0, t1;
	char mpath[4200];
	int64_t rows;

	parse_args(argc, argv, &a);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (access(a.from, R_OK) < 0)
		die("--from %s: %s", a.from, strerror(errno));
	manifest_path(a.from, mpath, sizeof(mpath));
	if (access(mpath, R_OK) < 0)
		die("%s: %s; a backup is FILE with FILE.manifest.json beside it", mpath,
		    strerror(errno));
	manifest_read(mpath, &m);
	check_file(a.from, ctx->db_url, &m);
	if (!url_is_postgres(ctx->db_url))
		check_sqlite_file(a.from);
	struct fk_db *held = hold_store(ctx->db_url);
	check_empty(held, ctx->db_url, a.force);
	if (url_is_postgres(ctx->db_url))
		restore_postgres(a.from, ctx->db_url, a.pg_bin);
	else
		restore_sqlite(a.from, ctx->db_url);
	rows = verify(ctx->db_url, &m);
	fk_db_close(held);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("restored %s (%s, %s) into %s: %d tables, %lld rows; counts and checksums match "
	       "the manifest (%.2f s)\n",
	       a.from, m.store, m.created_at, ctx->db_url, m.ntables, (long long)rows,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	manifest_release(&m);
	return 0;
}
