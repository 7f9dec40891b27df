/* test_err: the table of error codes (base/err.h): every code from FK_OK down to the last one
 * has a row, a unique name, an HTTP status that fk_http_status agrees with, and a default
 * reply; an unknown code is a 500 named "unknown". */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "base/err.h"
#include "http/http.h"

#define FIRST_CODE FK_OK
#define LAST_CODE  FK_EHEAD /* the lowest code in enum fk_code */

static void test_every_code_has_a_row(void **state)
{
	(void)state;
	assert_int_equal(fk_ncodes, FIRST_CODE - LAST_CODE + 1);
	for (int code = FIRST_CODE; code >= LAST_CODE; code--) {
		const struct fk_code_info *c = fk_code_info(code);
		assert_int_equal(c->code, code);
		assert_string_equal(fk_code_name(code), c->name);
		assert_string_not_equal(c->name, "unknown");
		assert_true(c->http_status >= 200 && c->http_status <= 599);
		assert_int_equal(fk_http_status(code), c->http_status);
		assert_non_null(c->meaning);
		if (code != FK_OK) {
			assert_true(c->http_status >= 400);
			assert_true(c->key[0] && c->zh[0] && c->en[0]);
		}
	}
}

static void test_names_are_unique(void **state)
{
	(void)state;
	for (int i = 0; i < fk_ncodes; i++)
		for (int j = i + 1; j < fk_ncodes; j++) {
			assert_int_not_equal(fk_codes[i].code, fk_codes[j].code);
			assert_string_not_equal(fk_codes[i].name, fk_codes[j].name);
		}
}

/* The statuses the API promises (docs/openapi.yaml). */
static void test_statuses(void **state)
{
	static const int want[][2] = {
	    {FK_OK, 200},	 {FK_EINVAL, 400},    {FK_EAUTH, 401},	   {FK_EPERM, 403},
	    {FK_ENOTFOUND, 404}, {FK_EMETHOD, 405},   {FK_ECONFLICT, 409}, {FK_ETOOBIG, 413},
	    {FK_EURI, 414},	 {FK_EHEAD, 431},     {FK_EBUSY, 503},	   {FK_EUNPROC, 422},
	    {FK_ELIMIT, 429},	 {FK_EINTERNAL, 500}, {FK_EDB, 500},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		assert_int_equal(fk_http_status(want[i][0]), want[i][1]);
}

static void test_unknown_code(void **state)
{
	(void)state;
	assert_string_equal(fk_code_name(-99), "unknown");
	assert_string_equal(fk_code_name(7), "unknown");
	assert_int_equal(fk_http_status(-99), 500);
	assert_int_equal(fk_code_info(-99)->code, FK_EINTERNAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_code_has_a_row),
	    cmocka_unit_test(test_names_are_unique),
	    cmocka_unit_test(test_statuses),
	    cmocka_unit_test(test_unknown_code),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
