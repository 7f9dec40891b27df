/* report: the outcome of a CSV import, shared by the area and people importers, the
 * `fangkong import` command and the import API routes. Counts every row; keeps the first
 * FK_REPORT_MAX_ERRORS row errors (with line, column, field and a zh/en message) and counts
 * the rest, so a file with a million bad rows still answers in bounded memory. */
#ifndef FK_REPORT_H
#define FK_REPORT_H
#include <stdio.h>
#include <jansson.h>
#include "base/csv.h"
#include "base/err.h"

#define FK_REPORT_MAX_ERRORS 1000

struct fk_report_error {
	long line;  /* 1-based line of the file (or row index + 2 for JSON rows) */
	int column; /* 1-based field index, 0 when the error is not about one field */
	char field[64];
	char key[48]; /* stable machine code, e.g. "invalid_id_number" */
	char zh[320];
	char en[320];
};

struct fk_import_report {
	long total; /* data rows read (header excluded) */
	long created;
	long updated;
	long unchanged;
	long failed; /* rows refused; each has an error (stored or only counted) */
	enum fk_csv_enc enc;
	long nerrors;			/* errors recorded, may exceed the number stored */
	int nstored;			/* entries in errors[], at most FK_REPORT_MAX_ERRORS */
	struct fk_report_error *errors; /* malloc'd lazily; NULL when there are none */
};

/* Zeroes rep; enc starts as FK_ENC_AUTO. A zeroed struct is a valid empty report too. */
void fk_report_init(struct fk_import_report *rep);
/* Records one row error. Does not touch rep->failed: the importer counts rows, not errors
 * (a row may have several). field may be NULL. */
void fk_report_add_error(struct fk_import_report *rep, long line, int column, const char *field,
			 const char *key, const char *zh, const char *en);
/* Same from an fk_err: key, field and messages taken from e; line overrides e->line. */
void fk_report_add_err(struct fk_import_report *rep, long line, int column, const struct fk_err *e);
/* Orders the stored errors by line (stable), for importers that settle rows out of order. */
void fk_report_sort(struct fk_import_report *rep);
/* {total,created,updated,unchanged,failed,encoding,errors:[{line,column,field,code,message,
 * message_zh,message_en}],errors_total}. lang "en" picks English for "message", anything
 * else zh. Returns a new reference. */
json_t *fk_report_to_json(const struct fk_import_report *rep, const char *lang);
/* CLI form: one "PATH:LINE: column C (field): message (消息)" line per stored error, a note
 * about errors left out, then a summary line. */
void fk_report_print(FILE *f, const char *path, const struct fk_import_report *rep);
/* Frees the stored errors; rep may be reused after fk_report_init. */
void fk_report_release(struct fk_import_report *rep);

#endif
