/* test_people_import: importing residents — Chinese and English headers, a GBK file, bad rows
 * reported with line, column and reason while good rows are kept, re-importing a file changes
 * nothing, an ID met twice is one person, broken files and missing columns write nothing,
 * scope limits, JSON rows, and fk_person_upsert. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <iconv.h>
#include <cmocka.h>
#define FK_TEST_NAME "test_people_import"
#include "people_env.h"
#include "base/buf.h"

static int import_text(struct fk_db *db, const char *csv, int64_t area,
		       const struct fk_principal *who, struct fk_import_report *rep,
		       struct fk_err *err)
{
	fk_report_init(rep);
	return fk_people_import_csv(db, csv, strlen(csv), FK_ENC_AUTO, area, who, rep, err);
}

static void expect_counts(const struct fk_import_report *r, long total, long created, long updated,
			  long unchanged, long failed)
{
	if (r->total != total || r->created != created || r->updated != updated ||
	    r->unchanged != unchanged || r->failed != failed)
		fail_msg("report total=%ld created=%ld updated=%ld unchanged=%ld failed=%ld, "
			 "expected %ld/%ld/%ld/%ld/%ld (first error: %s)",
			 r->total, r->created, r->updated, r->unchanged, r->failed, total, created,
			 updated, unchanged, failed, r->nstored ? r->errors[0].en : "-");
}

/* The stored error on line, or fails the case. */
static const struct fk_report_error *error_on(const struct fk_import_report *r, long line)
{
	for (int i = 0; i < r->nstored; i++)
		if (r->errors[i].line == line)
			return &r->errors[i];
	fail_msg("no error reported on line %ld", line);
	return NULL;
}

static void header_zh(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_import_report rep;
	struct fk_err err = {0};
	struct fk_person p;
	char id1[19], id2[19], csv[1024];

	snprintf(csv, sizeof(csv),
		 "姓名,身份证号,手机号,楼栋,单元,房号,居住类型,标签,备注\n"
		 "张三,%s,138 1234 5678,A1,2,301,户籍,独居老人、上门采样,腿脚不便\n"
		 "李四,%s,,2号楼,,1-101,常住,,\n",
		 valid_id("19400101", 11, id1), valid_id("19850612", 22, id2));
	area_must(import_text(db, csv, T.grid_a, NULL, &rep, &err), &err);
	expect_counts(&rep, 2, 2, 0, 0, 0);
	fk_report_release(&rep);

	person_by_id(db, id1, &p);
	assert_string_equal(p.name, "张三");
	assert_string_equal(p.phone, "13812345678");
	assert_int_equal(p.sex, 'M');
	assert_string_equal(p.birth_date, "1940-01-01");
	assert_true(p.area_id == T.a1u2); /* the unit "2" is the area 2单元 */
	assert_string_equal(p.household, "301");
	assert_string_equal(p.residence, "registered");
	assert_int_equal(p.ntags, 2);
	assert_string_equal(p.tags[0], "elderly_alone");
	assert_string_equal(p.tags[1], "home_sampling");
	assert_string_equal(p.note, "腿脚不便");
	person_by_id(db, id2, &p);
	assert_true(p.area_id == T.a2); /* found by name under grid A */
	assert_int_equal(p.sex, 'F');
	assert_string_equal(p.residence, "permanent");
}

static void header_en(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_import_report rep;
	struct fk_err err = {0};
	struct fk_person p;
	char id1[19], csv[1024];

	snprintf(csv, sizeof(csv),
		 " Name ,ID_Type,ID Number*,PHONE,Area_Code,household,residence,TAGS,unknown\n"
		 "Zhang San,resident,%s,13912345678,B1,3-202,temporary,bedridden|child,x\n"
		 "John Smith,passport,e1234567,,A2,,visitor,key_person,\n",
		 valid_id("20200229", 31, id1));
	area_must(import_text(db, csv, 0, NULL, &rep, &err), &err);
	expect_counts(&rep, 2, 2, 0, 0, 0);
	fk_report_release(&rep);
	person_by_id(db, id1, &p);
	assert_string_equal(p.name, "Zhang San");
	assert_true(p.area_id == T.b1);
	assert_string_equal(p.residence, "temporary");
	assert_int_equal(p.ntags, 2);
	assert_string_equal(p.tags[0], "bedridden");
	assert_string_equal(p.tags[1], "child");
	person_by_id(db, "E1234567", &p);
	assert_int_equal(p.id_type, FK_IDT_PASSPORT);
	assert_int_equal(p.sex, 0);
	assert_string_equal(p.residence, "visitor");
}

static char *to_gbk(const char *utf8, size_t *out_len)
{
	iconv_t cd = iconv_open("GB18030", "UTF-8");
	size_t in_left = strlen(utf8), out_left = in_left * 2 + 16;
	char *out = malloc(out_left), *in = (char *)utf8, *o = out;

	assert_true(cd != (iconv_t)-1);
	assert_true(iconv(cd, &in, &in_left, &o, &out_left) != (size_t)-1);
	iconv_close(cd);
	*out_len = (size_t)(o - out);
	return out;
}

static void gbk_file(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_import_report rep;
	struct fk_err err = {0};
	struct fk_person p;
	char id1[19], csv[512];
	size_t len;
	char *gbk;

	snprintf(csv, sizeof(csv),
		 "姓名,证件号码,手机,楼栋,户,标签\r\n王五,%s,13700001111,A1,5-501,孕妇\r\n",
		 valid_id("19900101", 42, id1));
	gbk = to_gbk(csv, &len);
	fk_report_init(&rep);
	area_must(fk_people_import_csv(db, gbk, len, FK_ENC_AUTO, T.grid_a, NULL, &rep, &err),
		  &err);
	assert_int_equal(rep.enc, FK_ENC_GB18030);
	expect_counts(&rep, 1, 1, 0, 0, 0);
	fk_report_release(&rep);
	free(gbk);
	person_by_id(db, id1, &p);
	assert_string_equal(p.name, "王五");
	assert_string_equal(p.household, "5-501");
	assert_string_equal(p.tags[0], "pregnant");
}

static void bad_rows_reported(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_import_report rep;
	struct fk_err err = {0};
	const struct fk_report_error *e;
	char id[6][19], bad[19], csv[2048];

	for (int i = 0; i < 6; i++)
		valid_id("19700101", 51 + i, id[i]);
	valid_id("19700101", 59, bad);
	bad[17] = bad[17] == '0' ? '1' : '0'; /* wrong check digit */
	snprintf(csv, sizeof(csv),
		 "姓名,身份证号,手机号,楼栋,标签\n"
		 "好人,%s,13800000001,A1,\n"	       /* line 2: good */
		 "坏号,%s,13800000002,A1,\n"	       /* 3: check digit */
		 "坏电话,%s,12345,A1,\n"	       /* 4 */
		 "坏标签,%s,13800000003,A1,吸烟\n"     /* 5 */
		 ",%s,13800000004,A1,\n"	       /* 6: no name */
		 "无楼,%s,13800000005,Z9,\n"	       /* 7: unknown building */
		 "科学,3.70212E+17,13800000006,A1,\n", /* 8 */
		 id[0], bad, id[1], id[2], id[3], id[4]);
	area_must(import_text(db, csv, T.grid_a, NULL, &rep, &err), &err);
	expect_counts(&rep, 7, 1, 0, 0, 6);
	assert_int_equal(people_count(db), 1);

	e = error_on(&rep, 3);
	assert_int_equal(e->column, 2);
	assert_string_equal(e->field, "id_number");
	assert_string_equal(e->key, "id_number_check");
	assert_true(strlen(e->zh) > 0 && strlen(e->en) > 0);
	e = error_on(&rep, 4);
	assert_int_equal(e->column, 3);
	assert_string_equal(e->field, "phone");
	e = error_on(&rep, 5);
	assert_int_equal(e->column, 5);
	assert_string_equal(e->key, "unknown_tag");
	assert_non_null(strstr(e->en, "吸烟"));
	e = error_on(&rep, 6);
	assert_int_equal(e->column, 1);
	assert_string_equal(e->field, "name");
	e = error_on(&rep, 7);
	assert_int_equal(e->column, 4);
	assert_string_equal(e->key, "unknown_building");
	e = error_on(&rep, 8);
	assert_string_equal(e->key, "id_number_scientific");
	fk_report_release(&rep);
}

static void bad_phone_column(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_import_report rep;
	struct fk_err err = {0};
	const struct fk_report_error *e;
	char id[19], csv[512];

	snprintf(csv, sizeof(csv), "name,id_number,phone,building\nA,%s,12345,A1\n",
		 valid_id("19700101", 61, id));
	area_must(import_text(db, csv, 0, NULL, &rep, &err), &err);
	expect_counts(&rep, 1, 0, 0, 0, 1);
	e = error_on(&rep, 2);
	assert_int_equal(e->column, 3);
	assert_string_equal(e->field, "phone");
	fk_report_release(&rep);
}

static void reimport_unchanged(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_import_report rep;
	struct fk_err err = {0};
	struct fk_person before, after;
	char id1[19], id2[19], csv[1024];

	snprintf(csv, sizeof(csv),
		 "姓名,身份证号,手机号,楼栋,房号,标签\n"
		 "甲,%s,13800000011,A1,1-101,残疾\n"
		 "乙,%s,13800000012,A2,1-102,\n"
		 "丙,bad,13800000013,A2,1-103,\n",
		 valid_id("19600101", 71, id1), valid_id("19610101", 72, id2));
	area_must(import_text(db, csv, T.grid_a, NULL, &rep, &err), &err);
	expect_counts(&rep, 3, 2, 0, 0, 1);
	fk_report_release(&rep);
	person_by_id(db, id1, &before);

	area_must(import_text(db, csv, T.grid_a, NULL, &rep, &err), &err);
	expect_counts(&rep, 3, 0, 0, 2, 1);
	fk_report_release(&rep);
	person_by_id(db, id1, &after);
	assert_true(after.version == before.version);
	assert_true(after.updated_at == before.updated_at);
	assert_int_equal(people_count(db), 2);
}

static void same_id_twice(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_import_report rep;
	struct fk_err err = {0};
	struct fk_person p;
	char id[19], csv[1024];

	valid_id("19800101", 81, id);
	snprintf(csv, sizeof(csv),
		 "姓名,身份证号,手机号,楼栋\n"
		 "旧名,%s,13800000021,A1\n"
		 "新名,%s,13800000022,A2\n",
		 id, id);
	area_must(import_text(db, csv, T.grid_a, NULL, &rep, &err), &err);
	expect_counts(&rep, 2, 1, 1, 0, 0);
	fk_report_release(&rep);
	assert_int_equal(people_count(db), 1);
	person_by_id(db, id, &p);
	assert_string_equal(p.name, "新名");
	assert_true(p.area_id == T.a2);

	area_must(import_text(db, csv, T.grid_a, NULL, &rep, &err), &err);
	expect_counts(&rep, 2, 0, 0, 2, 0);
	fk_report_release(&rep);

	/* A later row with the same ID updates the stored person. */
	snprintf(csv, sizeof(csv), "姓名,身份证号,手机号,楼栋\n更新,%s,,A2\n", id);
	area_must(import_text(db, csv, T.grid_a, NULL, &rep, &err), &err);
	expect_counts(&rep, 1, 0, 1, 0, 0);
	fk_report_release(&rep);
	person_by_id(db, id, &p);
	assert_string_equal(p.name, "更新");
	assert_string_equal(p.phone, "13800000022"); /* an empty cell keeps the value */
	assert_true(p.version == 2);
}

static void bad_last_duplicate_keeps_earlier(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_import_report rep;
	struct fk_err err = {0};
	struct fk_person p;
	char id[19], csv[1024];

	valid_id("19800101", 91, id);
	snprintf(csv, sizeof(csv),
		 "姓名,身份证号,手机号,楼栋\n"
		 "好的,%s,13800000031,A1\n"
		 "坏的,%s,999,A1\n",
		 id, id);
	area_must(import_text(db, csv, T.grid_a, NULL, &rep, &err), &err);
	expect_counts(&rep, 2, 1, 0, 0, 1);
	assert_int_equal(error_on(&rep, 3)->column, 3);
	fk_report_release(&rep);
	person_by_id(db, id, &p);
	assert_string_equal(p.name, "好的");
}

static void missing_column_refused(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_import_report rep;
	struct fk_err err = {0};

	assert_int_equal(
	    import_text(db, "姓名,手机号\n张三,13800000000\n", T.grid_a, NULL, &rep, &err),
	    FK_EINVAL);
	assert_string_equal(err.key, "missing_column");
	assert_string_equal(err.field, "id_number");
	assert_non_null(strstr(err.zh, "身份证号"));
	fk_report_release(&rep);
	assert_int_equal(people_count(db), 0);
}

static void broken_file_writes_nothing(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_import_report rep;
	struct fk_err err = {0};
	char id1[19], id2[19], csv[1024];
	const char bad_utf8[] = "name,id_number,building\n\xff\xfe\xfd,1,A1\n";

	snprintf(csv, sizeof(csv),
		 "姓名,身份证号,楼栋\n"
		 "甲,%s,A1\n"
		 "乙,%s,\"A2\n",
		 valid_id("19600101", 101, id1), valid_id("19600101", 102, id2));
	assert_int_equal(import_text(db, csv, T.grid_a, NULL, &rep, &err), FK_EINVAL);
	assert_true(err.line >= 3);
	fk_report_release(&rep);
	assert_int_equal(people_count(db), 0);

	fk_report_init(&rep);
	assert_int_equal(fk_people_import_csv(db, bad_utf8, strlen(bad_utf8), FK_ENC_UTF8, T.grid_a,
					      NULL, &rep, &err),
			 FK_EINVAL);
	assert_int_equal(err.line, 2);
	fk_report_release(&rep);
	assert_int_equal(people_count(db), 0);
}

static void scoped_import(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_principal grid_a = who_over(db, FK_ROLE_GRID, T.grid_a);
	struct fk_principal grid_b = who_over(db, FK_ROLE_GRID, T.grid_b);
	struct fk_import_report rep;
	struct fk_err err = {0};
	const struct fk_report_error *out, *missing;
	char id1[19], id2[19], id3[19], csv[1024], want[320];

	snprintf(csv, sizeof(csv),
		 "姓名,身份证号,楼栋\n"
		 "甲,%s,A1\n"
		 "乙,%s,B1\n"
		 "丙,%s,Q9\n",
		 valid_id("19600101", 111, id1), valid_id("19600101", 112, id2),
		 valid_id("19600101", 113, id3));
	area_must(import_text(db, csv, 0, &grid_a, &rep, &err), &err);
	expect_counts(&rep, 3, 1, 0, 0, 2);
	/* B1 is grid B's building, Q9 no building at all: the two refusals read alike, the
	 * code as typed and nothing of the area behind it. */
	out = error_on(&rep, 3);
	missing = error_on(&rep, 4);
	assert_string_equal(out->key, missing->key);
	assert_int_equal(out->column, 3);
	assert_int_equal(missing->column, 3);
	assert_string_equal(out->field, missing->field);
	snprintf(want, sizeof(want), "%s", missing->en);
	assert_non_null(strstr(want, "Q9"));
	memcpy(strstr(want, "Q9"), "B1", 2);
	assert_string_equal(out->en, want);
	snprintf(want, sizeof(want), "%s", missing->zh);
	memcpy(strstr(want, "Q9"), "B1", 2);
	assert_string_equal(out->zh, want);
	fk_report_release(&rep);

	/* Grid B cannot take over grid A's resident by importing the same ID. */
	snprintf(csv, sizeof(csv), "姓名,身份证号,楼栋\n甲,%s,B1\n", id1);
	area_must(import_text(db, csv, 0, &grid_b, &rep, &err), &err);
	expect_counts(&rep, 1, 0, 0, 0, 1);
	assert_string_equal(error_on(&rep, 2)->key, "id_number_out_of_scope");
	fk_report_release(&rep);

	/* An import area outside the scope is not found. */
	fk_report_init(&rep);
	assert_int_equal(import_text(db, csv, T.grid_b, &grid_a, &rep, &err), FK_ENOTFOUND);
	fk_report_release(&rep);
}

static void json_rows(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_import_report rep;
	struct fk_err err = {0};
	struct fk_person p;
	char id1[19], id2[19];
	json_t *rows;

	valid_id("19500505", 121, id1);
	valid_id("19500505", 122, id2);
	rows =
	    json_pack("[{s:s, s:s, s:I, s:s}, {s:s, s:s}, {s:s, s:s, s:s}, i]", "姓名", "赵六",
		      "身份证号", id1, "手机号", (json_int_t)13600001111LL, "楼栋", "A1", "姓名",
		      "钱七", "身份证号", id2, "姓名", "孙八", "身份证号", "123", "楼栋", "A1", 5);
	fk_report_init(&rep);
	area_must(fk_people_import_rows(db, rows, T.grid_a, NULL, &rep, &err), &err);
	json_decref(rows);
	/* Row 2 has no building: it goes to the import's area, a grid. */
	expect_counts(&rep, 4, 2, 0, 0, 2);
	assert_int_equal(error_on(&rep, 4)->column, 2);
	assert_string_equal(error_on(&rep, 5)->key, "row_not_object");
	assert_int_equal(error_on(&rep, 5)->column, 0);
	fk_report_release(&rep);
	person_by_id(db, id1, &p);
	assert_string_equal(p.phone, "13600001111");
	person_by_id(db, id2, &p);
	assert_true(p.area_id == T.grid_a);
}

static void upsert_outcomes(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_person p, q;
	struct fk_err err = {0};
	char outcome;

	memset(&p, 0, sizeof(p));
	snprintf(p.name, sizeof(p.name), "周九");
	valid_id("19991231", 131, p.id_number);
	p.area_id = T.a1;
	snprintf(p.tags[p.ntags++], sizeof(p.tags[0]), "上门采样");
	snprintf(p.tags[p.ntags++], sizeof(p.tags[0]), "elderly_alone");
	q = p;
	area_must(fk_person_upsert(db, &p, &outcome, &err), &err);
	assert_int_equal(outcome, 'c');
	assert_true(p.id > 0);
	assert_string_equal(p.tags[0], "elderly_alone");
	p = q;
	area_must(fk_person_upsert(db, &p, &outcome, &err), &err);
	assert_int_equal(outcome, '=');
	assert_true(p.id > 0);
	p = q;
	p.area_id = T.a2;
	area_must(fk_person_upsert(db, &p, &outcome, &err), &err);
	assert_int_equal(outcome, 'u');
	assert_int_equal(people_count(db), 1);

	p = q;
	p.sex = 'F'; /* the ID says male */
	assert_int_equal(fk_person_upsert(db, &p, &outcome, &err), FK_EUNPROC);
	assert_string_equal(err.key, "sex_mismatch");
	p = q;
	p.area_id = T.community;
	assert_int_equal(fk_person_upsert(db, &p, &outcome, &err), FK_EUNPROC);
	assert_string_equal(err.key, "area_kind");
	p = q;
	snprintf(p.tags[0], sizeof(p.tags[0]), "vip");
	assert_int_equal(fk_person_upsert(db, &p, &outcome, &err), FK_EINVAL);
	assert_string_equal(err.key, "unknown_tag");
	assert_non_null(strstr(err.en, "vip"));
}

static void create_and_update(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_principal grid_a = who_over(db, FK_ROLE_GRID, T.grid_a);
	struct fk_person p, q, r;
	struct fk_err err = {0};

	memset(&p, 0, sizeof(p));
	snprintf(p.name, sizeof(p.name), "吴十");
	valid_id("19880808", 141, p.id_number);
	p.area_id = T.a1;
	q = p;
	area_must(fk_person_create(db, &grid_a, &p, &err), &err);
	assert_int_equal(fk_person_create(db, &grid_a, &q, &err), FK_ECONFLICT);
	assert_string_equal(err.key, "duplicate_id_number");

	q = p;
	q.area_id = T.b1; /* out of scope: as if it did not exist */
	assert_int_equal(fk_person_update(db, &grid_a, &q, 0, &err), FK_EINVAL);
	assert_string_equal(err.key, "unknown_area");
	q = p;
	snprintf(q.phone, sizeof(q.phone), "0532 8888 6666");
	area_must(fk_person_update(db, &grid_a, &q, p.version, &err), &err);
	area_must(fk_person_get(db, &grid_a, p.id, &r, &err), &err);
	assert_string_equal(r.phone, "0532-88886666");
	assert_true(r.version == p.version + 1);
	assert_int_equal(fk_person_update(db, &grid_a, &q, p.version, &err), FK_ECONFLICT);
	assert_string_equal(err.key, "version_conflict");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(header_zh, people_case_setup),
	    cmocka_unit_test_setup(header_en, people_case_setup),
	    cmocka_unit_test_setup(gbk_file, people_case_setup),
	    cmocka_unit_test_setup(bad_rows_reported, people_case_setup),
	    cmocka_unit_test_setup(bad_phone_column, people_case_setup),
	    cmocka_unit_test_setup(reimport_unchanged, people_case_setup),
	    cmocka_unit_test_setup(same_id_twice, people_case_setup),
	    cmocka_unit_test_setup(bad_last_duplicate_keeps_earlier, people_case_setup),
	    cmocka_unit_test_setup(missing_column_refused, people_case_setup),
	    cmocka_unit_test_setup(broken_file_writes_nothing, people_case_setup),
	    cmocka_unit_test_setup(scoped_import, people_case_setup),
	    cmocka_unit_test_setup(json_rows, people_case_setup),
	    cmocka_unit_test_setup(upsert_outcomes, people_case_setup),
	    cmocka_unit_test_setup(create_and_update, people_case_setup),
	};

	return area_env_run("people_import", tests, sizeof(tests) / sizeof(tests[0]));
}
