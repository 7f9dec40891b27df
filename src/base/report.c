/* report: import reports — row errors kept up to a cap, JSON for the API, lines for the CLI. */
#include <stdlib.h>
#include <string.h>
#include "base/report.h"
#include "base/xmalloc.h"

void fk_report_init(struct fk_import_report *rep)
{
	memset(rep, 0, sizeof(*rep));
	rep->enc = FK_ENC_AUTO;
}

static void copy_str(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

void fk_report_add_error(struct fk_import_report *rep, long line, int column, const char *field,
			 const char *key, const char *zh, const char *en)
{
	struct fk_report_error *e;

	rep->nerrors++;
	if (rep->nstored >= FK_REPORT_MAX_ERRORS)
		return;
	if (!rep->errors)
		rep->errors = fk_xcalloc(FK_REPORT_MAX_ERRORS, sizeof(*rep->errors));
	e = &rep->errors[rep->nstored++];
	e->line = line;
	e->column = column;
	copy_str(e->field, sizeof(e->field), field);
	copy_str(e->key, sizeof(e->key), key);
	copy_str(e->zh, sizeof(e->zh), zh);
	copy_str(e->en, sizeof(e->en), en);
}

void fk_report_add_err(struct fk_import_report *rep, long line, int column, const struct fk_err *e)
{
	fk_report_add_error(rep, line, column, e->field, e->key, e->zh, e->en);
}

void fk_report_sort(struct fk_import_report *rep)
{
	for (int i = 1; i < rep->nstored; i++) {
		struct fk_report_error e = rep->errors[i];
		int j = i;
		for (; j > 0 && rep->errors[j - 1].line > e.line; j--)
			rep->errors[j] = rep->errors[j - 1];
		rep->errors[j] = e;
	}
}

static json_t *error_json(const struct fk_report_error *e, int en)
{
	json_t *o = json_object();

	json_object_set_new(o, "line", json_integer(e->line));
	json_object_set_new(o, "column", e->column > 0 ? json_integer(e->column) : json_null());
	json_object_set_new(o, "field", e->field[0] ? json_string(e->field) : json_null());
	json_object_set_new(o, "code", json_string(e->key));
	json_object_set_new(o, "message", json_string(en ? e->en : e->zh));
	json_object_set_new(o, "message_zh", json_string(e->zh));
	json_object_set_new(o, "message_en", json_string(e->en));
	return o;
}

json_t *fk_report_to_json(const struct fk_import_report *rep, const char *lang)
{
	json_t *o = json_object();
	json_t *errs = json_array();
	int en = lang && strcmp(lang, "en") == 0;

	json_object_set_new(o, "total", json_integer(rep->total));
	json_object_set_new(o, "created", json_integer(rep->created));
	json_object_set_new(o, "updated", json_integer(rep->updated));
	json_object_set_new(o, "unchanged", json_integer(rep->unchanged));
	json_object_set_new(o, "failed", json_integer(rep->failed));
	json_object_set_new(o, "encoding", json_string(fk_csv_enc_name(rep->enc)));
	for (int i = 0; i < rep->nstored; i++)
		json_array_append_new(errs, error_json(&rep->errors[i], en));
	json_object_set_new(o, "errors", errs);
	json_object_set_new(o, "errors_total", json_integer(rep->nerrors));
	return o;
}

void fk_report_print(FILE *f, const char *path, const struct fk_import_report *rep)
{
	for (int i = 0; i < rep->nstored; i++) {
		const struct fk_report_error *e = &rep->errors[i];
		fprintf(f, "%s:%ld: ", path, e->line);
		if (e->column > 0)
			fprintf(f, "column %d (%s): ", e->column, e->field[0] ? e->field : "?");
		else if (e->field[0])
			fprintf(f, "(%s): ", e->field);
		fprintf(f, "%s (%s)\n", e->en, e->zh);
	}
	if (rep->nerrors > rep->nstored)
		fprintf(f, "%s: %ld more errors not shown\n", path, rep->nerrors - rep->nstored);
	fprintf(f, "%s: %ld rows (%s): %ld created, %ld updated, %ld unchanged, %ld failed\n", path,
		rep->total, fk_csv_enc_name(rep->enc), rep->created, rep->updated, rep->unchanged,
		rep->failed);
}

void fk_report_release(struct fk_import_report *rep)
{
	free(rep->errors);
	rep->errors = NULL;
	rep->nstored = 0;
}
