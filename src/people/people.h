/* people: residents (SPEC §2) — identity, contact, household and area, residence kind, tags
 * and notes; search within the caller's scope; CSV and row imports.
 *
 * Reads always carry a principal and are filtered by its scope: a person outside it is
 * FK_ENOTFOUND exactly as a missing one. Writes take who == NULL for the system (CLI, demo),
 * which has no scope limit. None of the functions here needs the module's init to have run. */
#ifndef FK_PEOPLE_H
#define FK_PEOPLE_H
#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include "base/err.h"
#include "base/csv.h"
#include "base/idcard.h"
#include "base/report.h"
#include "area/area.h"
#include "store/db.h"
#include "http/http.h"
#include "users/principal.h"

extern const struct fk_module fk_module_people;

#define FK_PERSON_MAX_TAGS	12
#define FK_PERSON_NAME_MAX	64  /* characters */
#define FK_PERSON_HOUSEHOLD_MAX 32  /* characters */
#define FK_PERSON_NOTE_MAX	500 /* characters */

struct fk_person {
	int64_t id;
	char name[FK_PERSON_NAME_MAX * 4 + 1];
	enum fk_id_type id_type;
	char id_number[40];
	char phone[24];	     /* "" = none */
	char sex;	     /* 'M', 'F' or 0 */
	char birth_date[11]; /* "YYYY-MM-DD" or "" */
	int64_t area_id;     /* the area the person lives in: grid, building, unit, household... */
	char household[FK_PERSON_HOUSEHOLD_MAX * 4 + 1]; /* room label in the area, e.g. "2-301" */
	char residence[16]; /* registered, permanent, temporary, visitor, or "" */
	int ntags;
	char tags[FK_PERSON_MAX_TAGS][32]; /* elderly_alone, bedridden, disabled, pregnant, child,
					      key_person, home_sampling (Chinese names are
					      accepted and stored in English) */
	char note[FK_PERSON_NOTE_MAX * 4 + 1];
	/* Filled by reads and writes; ignored as input. */
	char area_path[FK_AREA_PATH_MAX];
	int64_t created_at, updated_at; /* epoch ms */
	int64_t version;		/* 1 on creation, +1 on every change */
};

/* Inserts or, when a person with the same ID type and number exists, updates in place.
 * Validates the ID number (derives sex and birth date), phone, area and tags. Empty optional
 * fields (phone, household, residence, tags, note, and sex/birth for non-resident IDs) keep
 * what is stored. Fills p->id and the other read fields. *outcome gets 'c' created,
 * 'u' updated or '=' unchanged. The system's write: no scope limit. Callers batch these
 * inside a transaction; area lookups are cached per thread. */
int fk_person_upsert(struct fk_db *db, struct fk_person *p, char *outcome, struct fk_err *err);

/* Creates p (p->id is assigned). The area must be in who's scope (who NULL: the system).
 * FK_ECONFLICT "duplicate_id_number" if the ID is taken, FK_EINVAL/FK_EUNPROC naming the
 * field for bad input. */
int fk_person_create(struct fk_db *db, const struct fk_principal *who, struct fk_person *p,
		     struct fk_err *err);
/* Reads person id within who's scope (a resident: only its own record). */
int fk_person_get(struct fk_db *db, const struct fk_principal *who, int64_t id,
		  struct fk_person *out, struct fk_err *err);
/* Writes every field of p over the stored person p->id (read it with fk_person_get, change
 * it, write it back). The person and its new area must be in who's scope. version > 0 must
 * match the stored version (FK_ECONFLICT "version_conflict"). An empty field clears it. */
int fk_person_update(struct fk_db *db, const struct fk_principal *who, struct fk_person *p,
		     int64_t version, struct fk_err *err);

/* ---- search ---- */

struct fk_people_query {
	const char *q;	       /* name prefix, or an ID number / phone when it looks like one */
	const char *name;      /* name prefix */
	const char *id_number; /* exact (a full number) or prefix */
	const char *phone;     /* exact, or a prefix of digits */
	const char *tag;       /* English or Chinese tag name */
	int64_t area_id;       /* only this area's subtree (must be in scope) */
	int limit;	       /* 1..500; 0 = 50 */
	const char *cursor;    /* next_cursor of the previous page, or NULL */
};

struct fk_person_list {
	struct fk_person *items; /* malloc'd */
	int n;
	char next_cursor[600]; /* "" on the last page */
};

/* Searches people within who's scope (always). FK_EINVAL naming the parameter for a bad tag
 * or cursor, FK_ENOTFOUND for an area_id outside the scope. Release with
 * fk_person_list_release. */
int fk_people_search(struct fk_db *db, const struct fk_principal *who,
		     const struct fk_people_query *f, struct fk_person_list *out,
		     struct fk_err *err);
void fk_person_list_release(struct fk_person_list *l);

/* ---- import ---- */

/* Imports a CSV of residents (headers in Chinese or English, see import.c). Rows go to
 * default_area_id unless their building, unit or area code columns say otherwise. who NULL =
 * the system, no scope limit; else a row naming an area outside who's scope fails exactly as
 * one naming an area that does not exist (the code as typed, nothing of the area behind it).
 * A missing required column, a broken quote or a bad encoding fail with FK_EINVAL naming it
 * and nothing written; bad rows are reported in rep (initialised and released by the caller)
 * while good rows are kept. Commits every few thousand rows unless the caller holds a
 * transaction. Importing the same file again changes nothing; an ID number met twice is one
 * person (the later row wins). */
int fk_people_import_csv(struct fk_db *db, const char *data, size_t len, enum fk_csv_enc enc,
			 int64_t default_area_id,
			 const struct fk_principal *who /* NULL = system, no scope limit */,
			 struct fk_import_report *rep, struct fk_err *err);
/* Same for rows parsed elsewhere (an XLSX read in the browser): rows is an array of objects
 * {header: value}; a row's line is its index + 2. */
int fk_people_import_rows(struct fk_db *db, json_t *rows, int64_t default_area_id,
			  const struct fk_principal *who, struct fk_import_report *rep,
			  struct fk_err *err);

/* ---- tags and residence kinds ---- */

/* English name of a tag given in English or Chinese ("独居老人" -> "elderly_alone"); NULL if
 * unknown. */
const char *fk_person_tag_norm(const char *s);
const char *fk_person_tag_zh(const char *tag);
/* "registered"/"户籍", "permanent"/"常住", "temporary"/"暂住", "visitor"/"外来" -> English;
 * NULL if unknown. */
const char *fk_person_residence_norm(const char *s);

/* ---- figures (dashboard) ---- */

/* The residents living at or under path, summed over counters kept as people are written
 * (people_counts), so a district of millions costs a sum over its buildings, not a count of
 * its people. No scope check: the caller checks path against its principal. 0, or FK_EINVAL
 * "too_long" for a path over FK_AREA_PATH_MAX, or the store's error. */
int fk_people_count_under(struct fk_db *db, const char *path, int64_t *out, struct fk_err *err);

/* ---- rows (exports) ---- */

/* The columns of fk_people_export_page, NULL-ended: keys (English) and headings (Chinese). */
extern const char *const fk_people_export_keys[];
extern const char *const fk_people_export_heads[];
/* Calls row(ctx, v, n) once for each of up to limit residents at or under area path `under`
 * in the order of the people_area index (area, name, id), from the page's start `after` (""
 * for the first page, else the `next` of the page before); v holds the columns above as text
 * (never NULL; "" when empty), unmasked: the caller masks what its reader may not see. row
 * must not use db and returns 0 or a negative code that stops the page. next (next_size
 * bytes, at least FK_EXPORT_CURSOR_MAX) gets where the following page starts; a page of
 * fewer than limit rows is the last. Each page is one indexed range read, whatever the
 * subtree's size. The caller checks `under` against its reader's scope. 0 or an error. */
#define FK_EXPORT_CURSOR_MAX 600
int fk_people_export_page(struct fk_db *db, const char *under, const char *after, int limit,
			  int (*row)(void *ctx, const char *const *v, int n), void *ctx, char *next,
			  size_t next_size, struct fk_err *err);

#endif
