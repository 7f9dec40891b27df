/* common: what every command shares: reading its options, dying with a clear message. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd/cmd.h"

void die(const char *fmt, ...)
{
	va_list ap;
	fputs("fangkong: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

void die_err(const char *context, const struct fk_err *err)
{
	fprintf(stderr, "fangkong: %s: ", context);
	if (err->line > 0)
		fprintf(stderr, "line %ld: ", err->line);
	if (err->field[0])
		fprintf(stderr, "%s: ", err->field);
	fprintf(stderr, "%s (%s)\n", err->en[0] ? err->en : "error", err->zh);
	exit(1);
}

const char *cmd_opt_value(int argc, char **argv, int *i, const char *opt)
{
	size_t n = strlen(opt);

	if (strncmp(argv[*i], opt, n) != 0)
		return NULL;
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (argv[*i][n] != '\0')
		return NULL;
	if (*i + 1 >= argc)
		die("%s needs a value", opt);
	return argv[++*i];
}

struct fk_db *cmd_hold_store(const char *url, bool alone, const char *refusal)
{
	struct fk_err err = {0};
	struct fk_db *db = NULL;
	bool got = false;

	if (fk_db_open(url, &db, &err) < 0 || fk_db_hold_store(db, alone, &got, &err) < 0)
		die_err(url, &err);
	if (!got)
		die("%s: %s", url, refusal);
	return db;
}
