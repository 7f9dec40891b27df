/* import: `fangkong import areas|residents FILE [--encoding E] [--area CODE]` — reads a CSV
 * file and hands it to the area or people importer, the same functions the API calls. Prints
 * one line per bad row (FILE:LINE: column C (field): message) and a summary. Exit status: 0
 * when every row went in, 2 when some rows were refused (the good ones are kept), 1 when the
 * file was refused as a whole (nothing written). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "area/area.h"
#include "audit/audit.h"
#include "base/report.h"
#include "base/xmalloc.h"
#include "cmd/cmd.h"
#include "people/people.h"

#define AREAS_MAX_BYTES	    (64ull << 20)
#define RESIDENTS_MAX_BYTES (4ull << 30)

struct import_args {
	const char *what; /* "areas" or "residents" */
	const char *path;
	enum fk_csv_enc enc;
	const char *area_code; /* residents only */
};

static void set_encoding(struct import_args *a, const char *v)
{
	int enc = fk_csv_enc_parse(v);

	if (enc < 0)
		die("unknown encoding '%s' (use auto, utf-8 or gbk)", v);
	a->enc = (enum fk_csv_enc)enc;
}

static void take_word(struct import_args *a, const char *w)
{
	if (w[0] == '-' && w[1])
		die("unknown option '%s'; see 'fangkong help import'", w);
	if (!a->what)
		a->what = w;
	else if (!a->path)
		a->path = w;
	else
		die("too many arguments; see 'fangkong help import'");
}

static void parse_args(int argc, char **argv, struct import_args *a)
{
	memset(a, 0, sizeof(*a));
	for (int i = 1; i < argc; i++) {
		const char *enc = cmd_opt_value(argc, argv, &i, "--encoding");
		const char *area = enc ? NULL : cmd_opt_value(argc, argv, &i, "--area");
		if (enc)
			set_encoding(a, enc);
		else if (area)
			a->area_code = area;
		else
			take_word(a, argv[i]);
	}
	if (!a->what || !a->path)
		die("usage: fangkong import {residents|areas} FILE [--encoding auto|utf-8|gbk] "
		    "[--area CODE]");
	if (strcmp(a->what, "areas") != 0 && strcmp(a->what, "residents") != 0)
		die("'%s' cannot be imported; import 'areas' or 'residents'", a->what);
	if (a->area_code && strcmp(a->what, "areas") == 0)
		die("--area applies to residents only");
}

/* The whole file in memory (NUL-terminated), refusing files over max bytes. */
static char *read_file(const char *path, unsigned long long max, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	char *data;

	if (!f)
		die("%s: %s", path, strerror(errno));
	if (fstat(fileno(f), &st) < 0 || !S_ISREG(st.st_mode))
		die("%s: not a regular file", path);
	if ((unsigned long long)st.st_size > max)
		die("%s: the file is larger than %llu MiB", path, max >> 20);
	data = fk_xmalloc((size_t)st.st_size + 1);
	*len = fread(data, 1, (size_t)st.st_size, f);
	if (ferror(f) || *len != (size_t)st.st_size)
		die("%s: read failed", path);
	data[*len] = '\0';
	fclose(f);
	return data;
}

static void audit(struct fk_db *db, const char *action, const struct import_args *a,
		  const struct fk_import_report *rep)
{
	struct fk_audit_entry e = {.action = action, .target_kind = "import"};
	struct fk_err err = {0};
	json_t *d = json_pack("{s:s, s:I, s:I, s:I, s:I, s:I}", "file", a->path, "total",
			      (json_int_t)rep->total, "created", (json_int_t)rep->created,
			      "updated", (json_int_t)rep->updated, "unchanged",
			      (json_int_t)rep->unchanged, "failed", (json_int_t)rep->failed);

	e.detail = d;
	if (fk_audit_cli(db, &e, &err) < 0)
		fprintf(stderr, "fangkong: warning: the import was not audited: %s\n", err.en);
}

static int64_t default_area(struct fk_db *db, const char *code)
{
	struct fk_area area;
	struct fk_err err = {0};
	int64_t id;

	if (!code)
		return 0;
	if (fk_area_get_by_code(db, code, &area, &err) < 0)
		die_err("--area", &err);
	id = area.id;
	fk_area_release(&area);
	return id;
}

int cmd_import(int argc, char **argv, struct cmd_ctx *ctx)
{
	struct import_args a;
	struct fk_import_report rep;
	struct fk_err err = {0};
	bool areas;
	size_t len;
	char *data;
	int rc;

	parse_args(argc, argv, &a);
	areas = strcmp(a.what, "areas") == 0;
	data = read_file(a.path, areas ? AREAS_MAX_BYTES : RESIDENTS_MAX_BYTES, &len);
	fk_report_init(&rep);
	if (areas)
		rc = fk_area_import_csv(ctx->db, data, len, a.enc, NULL, &rep, &err);
	else
		rc = fk_people_import_csv(ctx->db, data, len, a.enc,
					  default_area(ctx->db, a.area_code), NULL, &rep, &err);
	free(data);
	if (rc < 0) {
		fk_report_release(&rep);
		die_err(a.path, &err);
	}
	audit(ctx->db, areas ? "area.import" : "people.import", &a, &rep);
	fk_report_print(stdout, a.path, &rep);
	rc = rep.failed > 0 ? 2 : 0;
	fk_report_release(&rep);
	return rc;
}
