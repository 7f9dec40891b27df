/* import: what import.c (the passes, de-duplication and batching) and import_row.c (columns,
 * one row to a person, area lookups) share. Private to the people module. */
#ifndef FK_PEOPLE_IMPORT_H
#define FK_PEOPLE_IMPORT_H
#include "people/internal.h"

enum imp_col {
	IMP_NAME,
	IMP_ID_TYPE,
	IMP_ID_NUMBER,
	IMP_PHONE,
	IMP_SEX,
	IMP_BIRTH,
	IMP_BUILDING,
	IMP_UNIT,
	IMP_HOUSEHOLD,
	IMP_RESIDENCE,
	IMP_TAGS,
	IMP_NOTE,
	IMP_AREA_CODE,
	IMP_NCOLS
};

struct imp_map {
	int at[IMP_NCOLS]; /* 0-based index of the column in the file, or -1 */
	int ncols;
};

struct memo;
struct imp_areas {
	struct memo **buckets; /* lazily allocated */
};

struct keymap;
struct pending;

struct imp {
	struct fk_db *db;
	const struct fk_principal *who;
	struct fk_import_report *rep;
	struct pp_cache *cache;
	struct pp_area dflt; /* the import's area; id 0 when none was chosen */
	struct imp_map map;
	struct imp_areas areas;
	/* set by imp_row_person */
	int err_col;		/* 1-based column of the last row error when known, else -1 */
	const char *unit_label; /* a unit that is not an area: goes into the household */
	/* the driver's state (import.c) */
	int pass;
	bool header_seen;
	struct keymap *keys;
	struct pending *pend;
	struct fk_tx tx;      /* the batch's transaction (or the caller's, joined) */
	long in_tx;	      /* rows since the batch began */
	uint64_t tx_start_ns; /* when it began */
	struct fk_err fatal;  /* what stops the import */
	int fatal_rc;
};

/* Maps header names to columns; FK_EINVAL "missing_column" (line 1) naming a missing
 * required one. */
int imp_map_header(struct imp_map *m, char **fields, size_t n, struct fk_err *err);
/* The row's text for column c ("" when the file lacks it). */
const char *imp_val(const struct imp_map *m, char **fields, size_t n, enum imp_col c);
/* 1-based column holding field (an English header name), 0 if the file lacks it. */
int imp_col_of(const struct imp_map *m, const char *field);
/* "T|NUMBER": the ID type digit and the number trimmed and upper-cased, as validation will
 * normalise it; -1 when the row has no usable ID. */
int imp_key(const struct imp_map *m, char **fields, size_t n, char *out, size_t size);
/* The row as a checked person with its area resolved (scope included); a row error
 * otherwise, with im->err_col set when the failing column is known. */
int imp_row_person(struct imp *im, char **fields, size_t n, struct fk_person *p,
		   struct fk_err *err);
void imp_areas_release(struct imp_areas *a);

#endif
