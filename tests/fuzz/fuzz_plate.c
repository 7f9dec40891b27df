/* fuzz_plate: libFuzzer harness for the lab's plate files (tubes/lab.c tb_plate_apply: a CSV
 * of tube_code,result or 管码,结果 in any of the encodings fk_csv_parse reads, applied to a
 * round) on a migrated SQLite store (fuzz_store.h), each input in a transaction rolled back.
 * The store holds no tube, so every row must be refused (unknown tube, bad code or result)
 * and nothing applied. The outcome is 0 or FK_EINVAL naming a line; the report's counts add
 * up and it turns into the JSON the API sends; the result words are read alike in any case. */
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include "fuzz_store.h"
#include "tubes/internal.h"

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_plate: check failed at line %d: %s\n", __LINE__,     \
				#cond);                                                            \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct fk_principal lab;

static void check_result_norm(const uint8_t *data, size_t size)
{
	char s[16];
	const char *r;
	size_t n = size < sizeof(s) - 1 ? size : sizeof(s) - 1;

	memcpy(s, data, n);
	s[n] = '\0';
	r = tb_result_norm(s);
	CHECK(!r || strcmp(r, "negative") == 0 || strcmp(r, "positive") == 0 ||
	      strcmp(r, "invalid") == 0);
	CHECK(!r || tb_result_norm(r) == r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fk_import_report rep;
	struct fk_err err;
	int rc;

	if (!fz_db) {
		fz_open("plate");
		lab = fz_who(FK_ROLE_LAB, fz_t.district);
	}
	check_result_norm(data, size);
	fk_report_init(&rep);
	fk_err_clear(&err);
	fz_begin();
	rc = tb_plate_apply(NULL, fz_db, &lab, 1, (const char *)data, size, &rep, &err);
	fz_end();
	if (rc < 0) {
		CHECK(rc == FK_EINVAL && err.code == rc && err.key[0] && err.en[0] && err.zh[0]);
		CHECK(fk_utf8_valid(err.en, strlen(err.en)) &&
		      fk_utf8_valid(err.zh, strlen(err.zh)));
	} else {
		CHECK(rc == 0);
		CHECK(rep.created == 0 && rep.unchanged == 0 && rep.failed == rep.total);
		CHECK(rep.nerrors >= rep.failed);
	}
	CHECK(fz_report_ok(&rep));
	fk_report_release(&rep);
	return 0;
}
