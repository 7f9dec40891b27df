/* fuzz_code: libFuzzer harness for the codes a desk or a gate scans (tubes/): tube and box
 * barcodes (tb_code_check: 1..32 of [A-Za-z0-9_-]) and residents' sampling codes, what their QR
 * images hold ("FK1:<id>:<8 hex of HMAC>", tb_person_code_parse, with and without the key
 * cache, and fk_tubes_code_person as the gates module calls it), on a migrated SQLite store
 * whose code key is made once (fuzz_store.h). A code accepted must be the one tb_person_code
 * gives for its id (hex in any case); a code made for the first eight bytes as an id must
 * read back to it, and with one check digit changed be refused as unknown_person. */
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include "fuzz_store.h"
#include "tubes/internal.h"

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_code: check failed at line %d: %s\n", __LINE__,      \
				#cond);                                                            \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct tb_code_key *cache;

static bool plain_barcode(const char *s)
{
	size_t n = strlen(s);

	if (n < 1 || n > TB_CODE_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-'))
			return false;
	}
	return true;
}

static void check_err(const struct fk_err *e, int rc)
{
	CHECK(e->code == rc && e->key[0] && e->zh[0] && e->en[0]);
	CHECK(fk_utf8_valid(e->zh, strlen(e->zh)) && fk_utf8_valid(e->en, strlen(e->en)) &&
	      fk_utf8_valid(e->field, strlen(e->field)));
}

static void check_barcode(const char *s)
{
	struct fk_err err;
	int rc;

	fk_err_clear(&err);
	rc = tb_code_check(s, "tube_code", &err);
	CHECK((rc == 0) == plain_barcode(s));
	if (rc < 0) {
		CHECK(rc == FK_EINVAL && strcmp(err.key, "invalid_code") == 0 &&
		      strcmp(err.field, "tube_code") == 0);
		check_err(&err, rc);
	}
}

static int parse(const char *s, struct tb_code_key *k, int64_t *id)
{
	struct fk_err err;
	int rc;

	fk_err_clear(&err);
	*id = -1;
	rc = tb_person_code_parse(fz_db, k, s, id, &err);
	if (rc < 0) {
		CHECK((rc == FK_EINVAL && strcmp(err.key, "invalid_person_code") == 0) ||
		      (rc == FK_ENOTFOUND && strcmp(err.key, "unknown_person") == 0));
		CHECK(strcmp(err.field, "person_code") == 0);
		check_err(&err, rc);
	}
	return rc;
}

static void check_person_code(const char *s)
{
	char want[TB_PERSON_CODE_MAX];
	struct fk_err err = {0};
	int64_t id, id2, id3;
	int rc = parse(s, NULL, &id);

	CHECK(parse(s, cache, &id2) == rc);
	CHECK(fk_tubes_code_person(NULL, fz_db, s, &id3, &err) == rc);
	if (rc < 0)
		return;
	CHECK(id > 0 && id2 == id && id3 == id);
	CHECK(tb_person_code(fz_db, id, want, &err) == 0);
	CHECK(strncmp(s, "FK1:", 4) == 0 && strcasecmp(s, want) == 0);
}

static void check_round_trip(const uint8_t *data, size_t size)
{
	char code[TB_PERSON_CODE_MAX];
	struct fk_err err = {0};
	int64_t id = 0, back;
	size_t n;

	memcpy(&id, data, size < sizeof(id) ? size : sizeof(id));
	if (id <= 0)
		return;
	CHECK(tb_person_code(fz_db, id, code, &err) == 0);
	CHECK(parse(code, cache, &back) == 0 && back == id);
	n = strlen(code);
	code[n - 1] = code[n - 1] == '0' ? '1' : '0';
	CHECK(parse(code, NULL, &back) == FK_ENOTFOUND);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	if (!fz_db) {
		char code[TB_PERSON_CODE_MAX];
		struct fk_err err = {0};

		fz_open("code");
		fz_begin(); /* the store's code key, made once and kept */
		if (tb_person_code(fz_db, 1, code, &err) < 0 || fk_db_commit(fz_db, &err) < 0)
			fz_fail("code key", &err);
		cache = tb_code_key_new();
	}
	s = malloc(size + 1);
	CHECK(s != NULL);
	memcpy(s, data, size);
	s[size] = '\0';
	check_barcode(s);
	check_person_code(s);
	check_round_trip(data, size);
	free(s);
	return 0;
}
