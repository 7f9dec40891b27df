/* fuzz_csv: libFuzzer harness for base/csv (fk_csv_parse with each encoding). The row callback
 * aborts unless every field is valid, trimmed UTF-8 within the limits, line numbers never
 * decrease and stay within the input, and the row written back with fk_csv_put_field parses
 * to the same fields. Results must agree between "auto" and the encoding it picked, and every
 * failure must be one of the documented errors with its line. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/buf.h"
#include "base/csv.h"
#include "base/utf8.h"

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_csv: check failed at line %d: %s\n", __LINE__,       \
				#cond);                                                            \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

#define STOP_RC 42

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct run {
	long last_line;
	long max_line;	   /* physical lines in the input */
	size_t rows;	   /* rows handed to the callback */
	size_t stop_after; /* answer STOP_RC at this row; 0 = never */
};

/* The fields of one row, for the write-back check. */
struct row {
	char **fields;
	size_t nfields;
	size_t seen;
};

static bool is_space_at(const char *s, size_t i, size_t n)
{
	if (s[i] == ' ' || s[i] == '\t')
		return true;
	return i + 3 <= n && memcmp(s + i, "\xE3\x80\x80", 3) == 0;
}

static void check_field(const char *f)
{
	size_t n;

	CHECK(f != NULL);
	n = strlen(f);
	CHECK(n <= FK_CSV_MAX_FIELD);
	CHECK(fk_utf8_valid(f, n));
	if (n == 0)
		return;
	CHECK(!is_space_at(f, 0, n));
	CHECK(f[n - 1] != ' ' && f[n - 1] != '\t');
	CHECK(n < 3 || memcmp(f + n - 3, "\xE3\x80\x80", 3) != 0);
}

static int same_row(void *ctx, long line, char **fields, size_t nfields)
{
	struct row *r = ctx;

	CHECK(line == 2 && r->seen == 0 && nfields == r->nfields);
	for (size_t i = 0; i < nfields; i++)
		CHECK(strcmp(fields[i], r->fields[i]) == 0);
	r->seen++;
	return 0;
}

/* Writes the row as CSV (after a blank line, so a leading BOM in the first field stays data)
 * and reads it back. */
static void check_write_back(char **fields, size_t nfields)
{
	struct row r = {fields, nfields, 0};
	struct fk_buf b;
	struct fk_err err;
	int rc;

	fk_buf_init(&b, FK_BUF_PAGE_MAX);
	CHECK(fk_buf_puts(&b, "\r\n") == 0);
	for (size_t i = 0; i < nfields; i++) {
		if (i)
			CHECK(fk_buf_putc(&b, ',') == 0);
		CHECK(fk_csv_put_field(&b, fields[i]) == 0);
	}
	CHECK(fk_buf_puts(&b, "\r\n") == 0);
	rc = fk_csv_parse(b.data, b.len, FK_ENC_UTF8, same_row, &r, NULL, &err);
	if (rc != 0)
		fprintf(stderr, "fuzz_csv: write-back failed: %s\n", err.en);
	CHECK(rc == 0 && r.seen == 1);
	fk_buf_release(&b);
}

static int on_row(void *ctx, long line, char **fields, size_t nfields)
{
	struct run *run = ctx;
	bool blank = true;

	CHECK(line >= 1 && line >= run->last_line && line <= run->max_line);
	run->last_line = line;
	CHECK(fields != NULL && nfields >= 1 && nfields <= FK_CSV_MAX_FIELDS);
	for (size_t i = 0; i < nfields; i++) {
		check_field(fields[i]);
		if (fields[i][0])
			blank = false;
	}
	CHECK(!blank);
	check_write_back(fields, nfields);
	/* The strings are the callback's to modify. */
	for (size_t i = 0; i < nfields; i++)
		memset(fields[i], 'x', strlen(fields[i]));
	run->rows++;
	return run->stop_after && run->rows == run->stop_after ? STOP_RC : 0;
}

static bool known_error(const char *key)
{
	return strcmp(key, "csv_encoding") == 0 || strcmp(key, "csv_quote") == 0 ||
	       strcmp(key, "csv_too_big") == 0;
}

static int parse_with(const uint8_t *data, size_t size, enum fk_csv_enc enc, struct run *run,
		      enum fk_csv_enc *used)
{
	struct fk_err err;
	int rc;

	run->last_line = 0;
	run->rows = 0;
	*used = FK_ENC_AUTO;
	fk_err_clear(&err);
	rc = fk_csv_parse((const char *)data, size, enc, on_row, run, used, &err);
	CHECK(enc == FK_ENC_AUTO || *used == enc);
	CHECK(*used == FK_ENC_UTF8 || *used == FK_ENC_GB18030);
	if (rc == STOP_RC) {
		CHECK(run->stop_after && run->rows == run->stop_after);
	} else if (rc != 0) {
		if (rc != FK_EINVAL || !known_error(err.key))
			fprintf(stderr, "fuzz_csv: rc %d key %s: %s\n", rc, err.key, err.en);
		CHECK(rc == FK_EINVAL && err.code == rc && known_error(err.key));
		CHECK(err.line >= 1 && err.line <= run->max_line);
	}
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct run run = {0};
	enum fk_csv_enc used, auto_used, other;
	int auto_rc, rc;
	size_t auto_rows;

	run.max_line = 1;
	for (size_t i = 0; i < size; i++)
		run.max_line += data[i] == '\n';
	run.stop_after = size ? data[0] % 4 : 0;
	auto_rc = parse_with(data, size, FK_ENC_AUTO, &run, &auto_used);
	auto_rows = run.rows;
	rc = parse_with(data, size, auto_used, &run, &used);
	CHECK(rc == auto_rc && run.rows == auto_rows);
	other = auto_used == FK_ENC_UTF8 ? FK_ENC_GB18030 : FK_ENC_UTF8;
	parse_with(data, size, other, &run, &used);
	if (size == 0)
		CHECK(fk_csv_parse(NULL, 0, FK_ENC_AUTO, on_row, &run, NULL, NULL) == 0);
	return 0;
}
