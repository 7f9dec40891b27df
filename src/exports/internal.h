/* internal: what the files of the exports module share.
 *
 *   kinds.c   the kinds: who may read each, its columns and its page read (another module's
 *             header)
 *   sink.c    one row as CSV (masked per reader) or into an XLSX sheet
 *   stream.c  the streamed CSV body: a page at a time on the stream's own connection
 *   xlsx.c    the XLSX body: written in constant memory into a temporary file, then streamed
 *   api.c     the handler: checks, audit, then one of the two bodies */
#ifndef FK_EXPORTS_INTERNAL_H
#define FK_EXPORTS_INTERNAL_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "area/area.h"
#include "base/buf.h"
#include "exports/exports.h"
#include "http/http.h"
#include "people/people.h"
#include "users/principal.h"

#define EX_PAGE	     1000    /* rows read per query */
#define EX_XLSX_ROWS 1048575 /* the rows of a sheet, less the headings */

typedef int (*ex_row_fn)(void *ctx, const char *const *v, int n);

/* ---- kinds.c ---- */

struct ex_job;
struct ex_kind {
	const char *name; /* residents, results, missing, requests, placements */
	unsigned roles;	  /* FK_R(...) of the roles that may read it */
	bool round;	  /* needs ?round_id */
	const char *const *keys;
	const char *const *heads;
	/* The next page from j->cursor, each row to row(ctx); moves j->cursor on. */
	int (*page)(struct fk_db *db, struct ex_job *j, ex_row_fn row, void *ctx,
		    struct fk_err *err);
};
/* The kind named name, or NULL. */
const struct ex_kind *ex_kind_find(const char *name);

/* ---- sink.c ---- */

enum ex_mask { EX_KEEP, EX_MASK_ID, EX_MASK_PHONE };

/* One export: what it reads, for whom, and where it is. */
struct ex_job {
	const struct ex_kind *kind;
	struct fk_app *app;
	struct fk_principal who; /* a copy: the request is gone while the body streams */
	char under[FK_AREA_PATH_MAX];
	int64_t area_id, round_id;
	char format[8]; /* csv, xlsx */
	bool unmask;
	enum ex_mask mask[32]; /* per column */
	int ncols;
	char cursor[FK_EXPORT_CURSOR_MAX]; /* where the next page starts ("": the first) */
	int64_t rows;
	int last_page; /* rows of the last page read */
	char request_id[64], client_ip[64];
	/* CSV */
	struct fk_db *db; /* the stream's own connection (not the pool's), from the first read on */
	struct fk_buf buf;
	size_t off;
	bool done, failed;
	/* XLSX */
	FILE *file;
};

/* Sets j->ncols and j->mask from the kind's keys and the reader's rights (who, unmask). */
void ex_job_masks(struct ex_job *j);
/* Appends the CSV heading line (with a UTF-8 BOM, for Excel) to j->buf. */
int ex_csv_heads(struct ex_job *j);
/* A row callback: appends one masked CSV line to ((struct ex_job *)ctx)->buf. */
int ex_csv_row(void *ctx, const char *const *v, int n);
/* v[i] as the reader may see it (masked into tmp of size sz when it must be). */
const char *ex_cell(const struct ex_job *j, int i, const char *v, char *tmp, size_t sz);

/* ---- stream.c, xlsx.c ---- */

/* Makes resp the streamed CSV of j (j is malloc'd; the stream owns it from here). */
void ex_csv_start(struct fk_req *req, struct fk_resp *resp, struct ex_job *j);
/* Writes every row of j into an XLSX file (constant memory) on req's connection, then makes
 * resp stream it. FK_EUNPROC "too_many_rows" past one sheet's rows. Takes j either way. */
int ex_xlsx_start(struct fk_req *req, struct fk_resp *resp, struct ex_job *j, struct fk_err *err);
/* Records the end of an export (kind, format, rows) on db for j's reader. */
int ex_audit_done(struct fk_db *db, struct ex_job *j, struct fk_err *err);
void ex_job_free(struct ex_job *j);

int ex_api_export(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);

#endif
