/* fuzz_import_row: libFuzzer harness for the import of people (people/import.c and
 * import_row.c: a residents CSV, or the rows of a spreadsheet the browser read, each a JSON
 * object {header: value}, turned row by row into checked people with their areas) and of
 * workers (workforce/import.c, CSV or rows), on a migrated SQLite store with a small area tree
 * (fuzz_store.h), each input in a transaction rolled back.
 * Input: byte 0 picks the importer (bit 0: people or workers; bit 1: CSV or JSON rows; bit 2:
 * a default area or none); the rest is the file, or the JSON array of rows.
 * A people import must end in 0 or a 4xx naming why, with a report whose counts add up, whose
 * texts are valid UTF-8, and whose created rows are the people now in the store; a workers
 * import (all or none) ends in 0, in "import_invalid" with its reply listing the bad rows, or
 * in a 4xx without a reply, and its reply must serialise. */
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

static struct fk_principal admin;

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

static void people(const char *text, size_t len, bool rows, int64_t area)
{
	struct fk_import_report rep;
	struct fk_err err;
	json_t *j = NULL;
	int rc;

	if (rows) {
		j = json_loadb(text, len, 0, NULL);
		if (!j)
			return;
	}
	fk_report_init(&rep);
	fk_err_clear(&err);
	fz_begin();
	rc = rows ? fk_people_import_rows(fz_db, j, area, &admin, &rep, &err)
		  : fk_people_import_csv(fz_db, text, len, FK_ENC_AUTO, area, &admin, &rep, &err);
	if (rc < 0) {
		check_err(&err, rc);
	} else {
		CHECK(rc == 0);
		CHECK(rep.created + rep.updated + rep.unchanged + rep.failed == rep.total);
		CHECK(count("SELECT COUNT(*) FROM people") == rep.created);
		CHECK(rep.failed == 0 || rep.nerrors > 0);
	}
	fz_end();
	CHECK(fz_report_ok(&rep));
	fk_report_release(&rep);
	json_decref(j);
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
	rc = wf_import(fz_db, &admin, text, len, j, area, &out, &err);
	fz_end();
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
	json_decref(out);
	json_decref(j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text;
	size_t len;
	int64_t area;

	if (!fz_db) {
		fz_open("import_row");
		admin = fz_who(FK_ROLE_ADMIN, fz_t.district);
	}
	if (size == 0)
		return 0;
	text = (const char *)data + 1;
	len = size - 1;
	area = (data[0] & 4) ? fz_t.b1 : 0;
	if (data[0] & 1)
		workers(text, len, data[0] & 2, area);
	else
		people(text, len, data[0] & 2, area);
	return 0;
}
