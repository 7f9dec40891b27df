/* fuzz_plate: libFuzzer harness for the lab's plate files (tubes/lab.c tb_plate_apply: a CSV
 * of tube_code,result or 管码,结果 in any of the encodings fk_csv_parse reads, applied to a
 * round) on a migrated SQLite store (fuzz_store.h), each input in a transaction rolled back.
 * The store holds a round with two received tubes, one resulted and one not yet received (and
 * one of another round). The outcome is 0 or FK_EINVAL naming a line; the report's counts add
 * up, what it says was applied is what the store now holds, and it turns into the JSON the
 * API sends; the result words are read alike in any case. */
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

/* Round 1 at site 1 (building B1): T0001 and T0002 received, T0003 resulted negative, T0004
 * closed; T0005 is of round 2. */
static void seed(void)
{
	static const char *const sql[] = {
	    "INSERT INTO rounds (id, name, status, pool_size, starts_at, deadline_at, created_at, "
	    "updated_at) VALUES (1, 'r1', 'sampling', 10, 0, 0, 0, 0), "
	    "(2, 'r2', 'sampling', 10, 0, 0, 0, 0)",
	    "INSERT INTO tubes (id, round_id, code, site_id, status, capacity, result, opened_by, "
	    "opened_at) VALUES (1, 1, 'T0001', 1, 'received', 10, NULL, 1, 1), "
	    "(2, 1, 'T0002', 1, 'received', 10, NULL, 1, 1), "
	    "(3, 1, 'T0003', 1, 'resulted', 10, 'negative', 1, 1), "
	    "(4, 1, 'T0004', 1, 'closed', 10, NULL, 1, 1), "
	    "(5, 2, 'T0005', 1, 'received', 10, NULL, 1, 1)",
	};
	struct fk_err err = {0};

	fz_begin();
	if (fk_db_run(fz_db, &err,
		      "INSERT INTO sites (id, area_id, area_path, code, name, kind, desks, "
		      "created_at, updated_at) VALUES (1, ?, ?, 'S1', 'site', 'fixed', 1, 0, 0)",
		      "it", fz_t.b1, lab.scope_paths[0]) < 0)
		fz_fail("site", &err);
	for (size_t i = 0; i < sizeof(sql) / sizeof(sql[0]); i++)
		if (fk_db_exec(fz_db, sql[i], &err) < 0)
			fz_fail(sql[i], &err);
	if (fk_db_commit(fz_db, &err) < 0)
		fz_fail("commit", &err);
}

static int64_t resulted(void)
{
	struct fk_err err = {0};
	int64_t n = -1;

	if (fk_db_one_i64(fz_db, &err, &n, "SELECT COUNT(*) FROM tubes WHERE result IS NOT NULL",
			  NULL) < 0)
		fz_fail("count", &err);
	return n;
}

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

/* The same plate again applies nothing: what was applied is now unchanged, and what was
 * refused is refused again. */
static void again(const uint8_t *data, size_t size, const struct fk_import_report *first)
{
	struct fk_import_report rep;
	struct fk_err err;

	fk_report_init(&rep);
	fk_err_clear(&err);
	CHECK(tb_plate_apply(NULL, fz_db, &lab, 1, (const char *)data, size, &rep, &err) == 0);
	CHECK(rep.created == 0 && rep.total == first->total && rep.failed == first->failed);
	CHECK(rep.unchanged == first->created + first->unchanged);
	fk_report_release(&rep);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fk_import_report rep;
	struct fk_err err;
	int rc;

	if (!fz_db) {
		fz_open("plate");
		lab = fz_who(FK_ROLE_LAB, fz_t.district);
		seed();
	}
	check_result_norm(data, size);
	fk_report_init(&rep);
	fk_err_clear(&err);
	fz_begin();
	rc = tb_plate_apply(NULL, fz_db, &lab, 1, (const char *)data, size, &rep, &err);
	if (rc < 0) {
		CHECK(rc == FK_EINVAL && err.code == rc && err.key[0] && err.en[0] && err.zh[0]);
		CHECK(fk_utf8_valid(err.en, strlen(err.en)) &&
		      fk_utf8_valid(err.zh, strlen(err.zh)));
	} else {
		CHECK(rc == 0);
		CHECK(rep.created + rep.unchanged + rep.failed == rep.total);
		CHECK(rep.created <= 2 && rep.nerrors >= rep.failed);
		CHECK(resulted() == 1 + rep.created);
		again(data, size, &rep);
	}
	fz_end();
	if (getenv("FUZZ_VERBOSE"))
		fprintf(stderr, "rc %d total %ld created %ld unchanged %ld failed %ld\n", rc,
			rep.total, rep.created, rep.unchanged, rep.failed);
	CHECK(fz_report_ok(&rep));
	fk_report_release(&rep);
	return 0;
}
