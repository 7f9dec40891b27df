/* fuzz_import_row: libFuzzer harness for the import of people (people/import.c and
 * import_row.c: a residents CSV, or the rows of a spreadsheet the browser read, each a JSON
 * object {header: value}, turned row by row into checked people with their areas) and of
 * workers (workforce/import.c, CSV or rows), on a migrated SQLite store with a small area tree
 * (fuzz_store.h), each input in a transaction rolled back.
 * The areas import (area/import.c, CSV) and the import of area shapes (GeoJSON) go with them.
 * Input: byte 0 picks the importer (bit 0: people or workers; bit 1: CSV or JSON rows; bit 2:
 * a default area or none; bit 3: the areas instead, bit 1 their shapes, bit 2 as the system;
 * bit 4: by a grid worker whose scope is building B1 rather than the district's admin, who
 * must then leave everything outside B1 as it was); the rest is the file, or the JSON.
 * A people import must end in 0 or a 4xx naming why, with a report whose counts add up, whose
 * texts are valid UTF-8, and whose created rows are the people now in the store; a workers
 * import (all or none) ends in 0, in "import_invalid" with its reply listing the bad rows, or
 * in a 4xx without a reply, and its reply must serialise. Both importers are run twice on an
 * accepted file: the second time makes nobody (people: changes nothing at all). */
#include <stdint.h>
#include <string.h>
#include "fuzz_store.h"
#include "people/people.h"
#include "workforce/internal.h"

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_import_row: check failed at line %d: %s\n",          \
				__LINE__, #cond);                                                  \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct fk_principal admin, grid;
static const struct fk_principal *who; /* admin, or (bit 4) grid: building B1 only */
static char outside[4096];	       /* what lies outside B1 before any input */

/* Every area, person and worker outside building B1, as text: a principal scoped to B1 must
 * leave it as it was. */
static void outside_of_b1(char *out, size_t size)
{
	static const char *const sql =
	    "SELECT (SELECT group_concat(code || '|' || name || '|' || kind || '|' || path || '|' "
	    "|| COALESCE(lat, '') || '|' || COALESCE(geometry, ''), ';') FROM (SELECT * FROM "
	    "areas WHERE path NOT LIKE ? || '%' ORDER BY code)) || '#' || (SELECT COUNT(*) FROM "
	    "people WHERE area_path NOT LIKE ? || '%') || '#' || (SELECT COUNT(*) FROM workers "
	    "WHERE area_path NOT LIKE ? || '%')";
	struct fk_err err = {0};
	struct fk_q *q;
	int rc;

	if (fk_db_query(fz_db, &q, sql, &err) < 0)
		fz_fail("outside", &err);
	for (int i = 1; i <= 3; i++)
		fk_q_bind_text(q, i, grid.scope_paths[0]);
	rc = fk_q_step(q, &err);
	if (rc <= 0)
		fz_fail("outside", &err);
	snprintf(out, size, "%s", fk_q_text(q, 0) ? fk_q_text(q, 0) : "");
	fk_q_done(q);
}

static void check_outside(void)
{
	char now[sizeof(outside)];

	if (who != &grid)
		return;
	outside_of_b1(now, sizeof(now));
	if (strcmp(now, outside) != 0)
		fprintf(stderr, "outside B1 before: %s\nafter: %s\n", outside, now);
	CHECK(strcmp(now, outside) == 0);
}

static int64_t count(const char *sql)
{
	struct fk_err err = {0};
	int64_t n = -1;

	if (fk_db_one_i64(fz_db, &err, &n, sql, NULL) < 0)
		fz_fail(sql, &err);
	return n;
}

static bool client_error(int rc)
{
	return rc == FK_EINVAL || rc == FK_ENOTFOUND || rc == FK_EUNPROC || rc == FK_ETOOBIG ||
	       rc == FK_EPERM;
}

static void check_err(const struct fk_err *e, int rc)
{
	CHECK(client_error(rc) && e->code == rc && e->key[0] && e->en[0] && e->zh[0]);
	CHECK(fk_utf8_valid(e->zh, strlen(e->zh)) && fk_utf8_valid(e->en, strlen(e->en)) &&
	      fk_utf8_valid(e->field, strlen(e->field)));
}

static int people_once(const char *text, size_t len, json_t *rows, int64_t area,
		       struct fk_import_report *rep)
{
	struct fk_err err;
	int rc;

	fk_report_init(rep);
	fk_err_clear(&err);
	rc = rows ? fk_people_import_rows(fz_db, rows, area, who, rep, &err)
		  : fk_people_import_csv(fz_db, text, len, FK_ENC_AUTO, area, who, rep, &err);
	if (rc < 0) {
		check_err(&err, rc);
	} else {
		CHECK(rc == 0);
		CHECK(rep->created + rep->updated + rep->unchanged + rep->failed == rep->total);
		CHECK(rep->failed == 0 || rep->nerrors > 0);
	}
	CHECK(fz_report_ok(rep));
	return rc;
}

/* The file imported, then again: the second time changes nothing (people/people.h). */
static void people(const char *text, size_t len, bool rows, int64_t area)
{
	struct fk_import_report rep, again;
	json_t *j = NULL;
	int64_t n;

	if (rows) {
		j = json_loadb(text, len, 0, NULL);
		if (!j)
			return;
	}
	fz_begin();
	if (people_once(text, len, j, area, &rep) == 0) {
		n = count("SELECT COUNT(*) FROM people");
		CHECK(n == rep.created);
		CHECK(people_once(text, len, j, area, &again) == 0);
		CHECK(again.created == 0 && again.updated == 0 && again.total == rep.total);
		CHECK(again.failed == rep.failed);
		CHECK(count("SELECT COUNT(*) FROM people") == n);
		fk_report_release(&again);
	}
	check_outside();
	fz_end();
	fk_report_release(&rep);
	json_decref(j);
}

static void workers_again(const char *text, size_t len, json_t *rows, int64_t area, json_t *first)
{
	struct fk_err err;
	json_t *out = NULL;
	int64_t made = json_integer_value(json_object_get(first, "created")) +
		       json_integer_value(json_object_get(first, "updated"));

	fk_err_clear(&err);
	CHECK(wf_import(fz_db, who, text, len, rows, area, &out, &err) == 0);
	CHECK(json_integer_value(json_object_get(out, "created")) == 0);
	CHECK(json_integer_value(json_object_get(out, "updated")) == made);
	json_decref(out);
}

static void workers(const char *text, size_t len, bool rows, int64_t area)
{
	struct fk_err err;
	json_t *j = NULL, *out = NULL;
	char *s;
	int rc;

	if (rows) {
		j = json_loadb(text, len, 0, NULL);
		if (!j)
			return;
	}
	fk_err_clear(&err);
	fz_begin();
	rc = wf_import(fz_db, who, text, len, j, area, &out, &err);
	if (rc < 0)
		check_err(&err, rc);
	CHECK(rc == 0 || rc == FK_EUNPROC || out == NULL);
	if (out) {
		s = json_dumps(out, JSON_COMPACT);
		CHECK(s != NULL);
		free(s);
		CHECK(json_is_integer(json_object_get(out, "created")) &&
		      json_is_array(json_object_get(out, "errors")));
		CHECK(rc != FK_EUNPROC || json_array_size(json_object_get(out, "errors")) > 0);
	}
	if (rc == 0) /* again: every worker is found by phone, none made */
		workers_again(text, len, j, area, out);
	check_outside();
	fz_end();
	json_decref(out);
	json_decref(j);
}

static void verbose(const struct fk_import_report *a, const struct fk_import_report *b)
{
	const struct fk_import_report *r[2] = {a, b};

	for (int k = 0; k < 2; k++) {
		fprintf(stderr, "total %ld created %ld updated %ld unchanged %ld failed %ld\n",
			r[k]->total, r[k]->created, r[k]->updated, r[k]->unchanged, r[k]->failed);
		for (int i = 0; i < r[k]->nstored; i++)
			fprintf(stderr, "  line %ld %s %s\n", r[k]->errors[i].line,
				r[k]->errors[i].key, r[k]->errors[i].en);
	}
}

/* Areas from CSV, by the scoped admin or (bit 2) the system: the same file again changes
 * nothing (area/area.h), and an account makes no top-level area (out of every scope). */
static void areas(const char *text, size_t len, bool system)
{
	const struct fk_principal *by = system ? NULL : who;
	struct fk_import_report rep, again;
	struct fk_err err;
	int64_t roots = count("SELECT count(*) FROM areas WHERE parent_id IS NULL");
	int rc;

	fk_report_init(&rep);
	fk_err_clear(&err);
	fz_begin();
	rc = fk_area_import_csv(fz_db, text, len, FK_ENC_AUTO, by, &rep, &err);
	if (rc < 0) {
		check_err(&err, rc);
	} else {
		CHECK(rep.created + rep.updated + rep.unchanged + rep.failed == rep.total);
		fk_report_init(&again);
		CHECK(fk_area_import_csv(fz_db, text, len, FK_ENC_AUTO, by, &again, &err) == 0);
		if (getenv("FUZZ_VERBOSE"))
			verbose(&rep, &again);
		CHECK(again.created == 0 && again.updated == 0 && again.failed >= rep.failed);
		CHECK(fz_report_ok(&again));
		fk_report_release(&again);
	}
	if (by) {
		check_outside();
		CHECK(count("SELECT count(*) FROM areas WHERE parent_id IS NULL") == roots);
	}
	fz_end();
	CHECK(fz_report_ok(&rep));
	fk_report_release(&rep);
}

/* Area shapes from a GeoJSON FeatureCollection: all or none. */
static void shapes(const char *text, size_t len)
{
	struct fk_err err;
	json_t *fc = json_loadb(text, len, 0, NULL);
	size_t n = 0;
	int rc;

	if (!fc)
		return;
	fk_err_clear(&err);
	fz_begin();
	rc = fk_area_import_geometry(fz_db, fc, &n, &err);
	if (rc < 0)
		check_err(&err, rc);
	else
		CHECK(n == json_array_size(json_object_get(fc, "features")));
	fz_end();
	json_decref(fc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text;
	size_t len;
	int64_t area;

	if (!fz_db) {
		fz_open("import_row");
		admin = fz_who(FK_ROLE_ADMIN, fz_t.district);
		grid = fz_who(FK_ROLE_GRID, fz_t.b1);
		outside_of_b1(outside, sizeof(outside));
	}
	if (size == 0)
		return 0;
	text = (const char *)data + 1;
	len = size - 1;
	area = (data[0] & 4) ? fz_t.b1 : 0;
	who = (data[0] & 16) ? &grid : &admin;
	if ((data[0] & 8) && (data[0] & 2))
		shapes(text, len);
	else if (data[0] & 8)
		areas(text, len, data[0] & 4);
	else if (data[0] & 1)
		workers(text, len, data[0] & 2, area);
	else
		people(text, len, data[0] & 2, area);
	return 0;
}
