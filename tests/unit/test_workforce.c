/* test_workforce: the workforce module's pure rules (src/workforce/skills.c) — worker and team
 * kinds, skills from a JSON array and from a spreadsheet cell (English or Chinese, several
 * separators, repeats once, unknown ones named), their JSON, and a name's check. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include "workforce/internal.h"

static void test_kinds(void **state)
{
	(void)state;
	assert_true(wf_kind_valid("cadre"));
	assert_true(wf_kind_valid("party_member"));
	assert_false(wf_kind_valid("Cadre"));
	assert_false(wf_kind_valid(NULL));
	assert_true(wf_team_kind_valid("vanguard_post"));
	assert_false(wf_team_kind_valid("staff"));
	assert_string_equal(wf_zh_name("志愿者"), "volunteer");
	assert_string_equal(wf_zh_name("下沉干部"), "cadre");
	assert_string_equal(wf_zh_name("采样"), "sampler");
	assert_string_equal(wf_zh_name("driver"), "driver");
}

static void test_skills_json(void **state)
{
	struct fk_err err;
	char out[96];
	json_t *a = json_pack("[s, s, s]", "driver", "medical", "driver");

	(void)state;
	assert_int_equal(wf_skills_text(a, "skills", out, sizeof(out), &err), 0);
	assert_string_equal(out, "driver,medical");
	json_decref(a);
	a = json_pack("[s, s]", "driver", "juggler");
	assert_int_equal(wf_skills_text(a, "skills", out, sizeof(out), &err), FK_EINVAL);
	assert_string_equal(err.key, "invalid_skill");
	assert_string_equal(err.field, "skills");
	json_decref(a);
	assert_int_equal(wf_skills_text(NULL, "skills", out, sizeof(out), &err), 0);
	assert_string_equal(out, "");
}

static void test_skills_cell(void **state)
{
	struct fk_err err;
	char out[96];

	(void)state;
	assert_int_equal(
	    wf_skills_cell("司机、翻译，medical; other", "skills", out, sizeof(out), &err), 0);
	assert_string_equal(out, "driver,interpreter,medical,other");
	assert_int_equal(wf_skills_cell("  ", "skills", out, sizeof(out), &err), 0);
	assert_string_equal(out, "");
	assert_int_equal(wf_skills_cell(NULL, "skills", out, sizeof(out), &err), 0);
	assert_int_equal(wf_skills_cell("采样 采样员", "skills", out, sizeof(out), &err), 0);
	assert_string_equal(out, "sampler");
	assert_int_equal(wf_skills_cell("司机、厨师", "skills", out, sizeof(out), &err), FK_EINVAL);
	assert_string_equal(err.field, "skills");
}

static void test_skills_out(void **state)
{
	json_t *a = wf_skills_json("driver,medical");

	(void)state;
	assert_int_equal(json_array_size(a), 2);
	assert_string_equal(json_string_value(json_array_get(a, 1)), "medical");
	json_decref(a);
	a = wf_skills_json("");
	assert_int_equal(json_array_size(a), 0);
	json_decref(a);
}

static void test_text(void **state)
{
	struct fk_err err;

	(void)state;
	assert_int_equal(wf_text_check("张三", "name", 64, true, &err), 0);
	assert_int_equal(wf_text_check(" \t", "name", 64, true, &err), FK_EINVAL);
	assert_string_equal(err.field, "name");
	assert_int_equal(wf_text_check(NULL, "note", 10, false, &err), 0);
	assert_int_equal(wf_text_check("一二三四五六七八九十", "note", 10, false, &err), 0);
	assert_int_equal(wf_text_check("一二三四五六七八九十一", "note", 10, false, &err),
			 FK_EINVAL);
	assert_string_equal(err.key, "too_long");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_kinds),	cmocka_unit_test(test_skills_json),
	    cmocka_unit_test(test_skills_cell), cmocka_unit_test(test_skills_out),
	    cmocka_unit_test(test_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
