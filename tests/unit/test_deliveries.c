/* test_deliveries: the deliveries module's pure rules — the outcomes a household is signed off
 * with, the photo check (base64 of a JPEG within 300 kB), and who may see a run (its building
 * in scope, or an assignee). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sodium.h>
#include "deliveries/internal.h"

static void test_outcomes(void **state)
{
	(void)state;
	assert_true(dl_outcome_valid("delivered"));
	assert_true(dl_outcome_valid("nobody_home"));
	assert_true(dl_outcome_valid("refused"));
	assert_false(dl_outcome_valid("pending"));
	assert_false(dl_outcome_valid("Delivered"));
	assert_false(dl_outcome_valid(""));
}

/* base64 of n bytes starting with b0 b1, the rest zero; the caller frees. */
static char *b64_of(size_t n, unsigned char b0, unsigned char b1)
{
	unsigned char *bin = calloc(n, 1);
	size_t len = sodium_base64_encoded_len(n, sodium_base64_VARIANT_ORIGINAL);
	char *out = malloc(len);

	bin[0] = b0;
	bin[1] = b1;
	sodium_bin2base64(out, len, bin, n, sodium_base64_VARIANT_ORIGINAL);
	free(bin);
	return out;
}

static void test_photo(void **state)
{
	struct fk_err err = {0};
	char *ok = b64_of(1000, 0xFF, 0xD8), *png = b64_of(1000, 0x89, 'P');
	char *big = b64_of(DL_PHOTO_MAX + 1, 0xFF, 0xD8), *edge = b64_of(DL_PHOTO_MAX, 0xFF, 0xD8);

	(void)state;
	assert_int_equal(dl_photo_check(ok, &err), 0);
	assert_int_equal(dl_photo_check(edge, &err), 0);
	assert_int_equal(dl_photo_check(png, &err), FK_EINVAL);
	assert_string_equal(err.field, "photo");
	assert_int_equal(dl_photo_check(big, &err), FK_EINVAL);
	assert_int_equal(dl_photo_check("not base64!", &err), FK_EINVAL);
	assert_string_equal(err.key, "invalid_photo");
	free(ok);
	free(png);
	free(big);
	free(edge);
}

static void test_visible(void **state)
{
	struct dl_run r = {.id = 1};
	struct fk_principal grid = {.user_id = 42, .nscopes = 1},
			    other = {.user_id = 7, .nscopes = 1};

	(void)state;
	snprintf(r.area_path, sizeof(r.area_path), "/1/2/3/4/");
	snprintf(r.assignees, sizeof(r.assignees), "[\"7\"]");
	snprintf(grid.scope_paths[0], sizeof(grid.scope_paths[0]), "/1/2/3/");
	snprintf(other.scope_paths[0], sizeof(other.scope_paths[0]), "/1/9/");
	assert_true(dl_run_visible(&r, &grid));
	assert_true(dl_run_visible(&r, &other)); /* an assignee */
	other.user_id = 77;			 /* "77" is not "7" */
	assert_false(dl_run_visible(&r, &other));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_outcomes),
	    cmocka_unit_test(test_photo),
	    cmocka_unit_test(test_visible),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
