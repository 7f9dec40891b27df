/* Unit tests for base/csv: encodings, line numbers, quotes, trimming, limits, writing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "base/buf.h"
#include "base/csv.h"

#define MAX_ROWS 16

/* Records the rows seen as "line:f1|f2|..." strings. */
struct rows {
	int n;
	char text[MAX_ROWS][256];
	long last_line;
	long count;
	int stop_at;
};

static int collect(void *ctx, long line, char **fields, size_t nfields)
{
	struct rows *r = ctx;
	int off;

	r->count++;
	if (r->n < MAX_ROWS) {
		off = snprintf(r->text[r->n], 256, "%ld:", line);
		for (size_t i = 0; i < nfields; i++)
			off += snprintf(r->text[r->n] + off, (size_t)(256 - off), "%s%s",
					i ? "|" : "", fields[i]);
		r->n++;
	}
	assert_true(line > r->last_line);
	r->last_line = line;
	return r->stop_at && r->count == r->stop_at ? 77 : 0;
}

static int parse(const char *data, size_t len, enum fk_csv_enc enc, struct rows *r,
		 enum fk_csv_enc *used, struct fk_err *err)
{
	memset(r, 0, sizeof(*r));
	fk_err_clear(err);
	return fk_csv_parse(data, len, enc, collect, r, used, err);
}

static void test_utf8_basic(void **state)
{
	struct rows r;
	struct fk_err err;
	enum fk_csv_enc used = FK_ENC_AUTO;
	const char *t = "\xEF\xBB\xBF姓名,身份证号,电话\r\n"
			"  张三 ,\xE3\x80\x80 11010519491231002X\xE3\x80\x80,13812345678\r\n"
			"\r\n"
			",,\r\n"
			"   \n"
			"李四,\"  quoted  \",\r\n"
			"王五,\"a,\"\"b\"\"\",x";

	(void)state;
	assert_int_equal(parse(t, strlen(t), FK_ENC_AUTO, &r, &used, &err), 0);
	assert_int_equal(used, FK_ENC_UTF8);
	assert_int_equal(r.n, 4);
	assert_string_equal(r.text[0], "1:姓名|身份证号|电话");
	assert_string_equal(r.text[1], "2:张三|11010519491231002X|13812345678");
	assert_string_equal(r.text[2], "6:李四|quoted|");
	assert_string_equal(r.text[3], "7:王五|a,\"b\"|x");
}

static void test_multiline_field(void **state)
{
	struct rows r;
	struct fk_err err;
	const char *t = "name,note\n"
			"a,\"first\nsecond\n\nfourth\"\n"
			"b,plain\n"
			"c,\"x\"\"\ny\"\n"
			"d,end\n";

	(void)state;
	assert_int_equal(parse(t, strlen(t), FK_ENC_UTF8, &r, NULL, &err), 0);
	assert_int_equal(r.n, 5);
	assert_string_equal(r.text[1], "2:a|first\nsecond\n\nfourth");
	assert_string_equal(r.text[2], "6:b|plain");
	assert_string_equal(r.text[3], "7:c|x\"\ny");
	assert_string_equal(r.text[4], "9:d|end");
}

static void test_broken_quote(void **state)
{
	struct rows r;
	struct fk_err err;
	const char *unclosed = "h1,h2\nok,1\nbad,\"never closed\nmore,2\n";
	const char *trailing = "h1,h2\nok,1\nbad,\"x\"y\nmore,2\n";
	const char *inner = "h1,h2\r\nok,1\r\nba\"d,2\r\n";

	(void)state;
	assert_int_equal(parse(unclosed, strlen(unclosed), FK_ENC_AUTO, &r, NULL, &err), FK_EINVAL);
	assert_string_equal(err.key, "csv_quote");
	assert_int_equal(err.line, 3);
	assert_non_null(strstr(err.en, "line 3"));
	assert_non_null(strstr(err.zh, "第3行"));
	assert_int_equal(r.n, 2); /* rows before the error were handed over */
	assert_int_equal(parse(trailing, strlen(trailing), FK_ENC_AUTO, &r, NULL, &err), FK_EINVAL);
	assert_string_equal(err.key, "csv_quote");
	assert_int_equal(err.line, 3);
	assert_int_equal(parse(inner, strlen(inner), FK_ENC_AUTO, &r, NULL, &err), FK_EINVAL);
	assert_string_equal(err.key, "csv_quote");
	assert_int_equal(err.line, 3);
}

/* "姓名,身份证\n张三,1\n李四,2" as GBK, as `iconv -t GBK` writes it. */
static const char gbk_sample[] = "\xD0\xD5\xC3\xFB,\xC9\xED\xB7\xDD\xD6\xA4\n"
				 "\xD5\xC5\xC8\xFD,1\n"
				 "\xC0\xEE\xCB\xC4,2";

static void test_gbk(void **state)
{
	struct rows r;
	struct fk_err err;
	enum fk_csv_enc used = FK_ENC_AUTO;

	(void)state;
	assert_int_equal(parse(gbk_sample, sizeof(gbk_sample) - 1, FK_ENC_AUTO, &r, &used, &err),
			 0);
	assert_int_equal(used, FK_ENC_GB18030);
	assert_int_equal(r.n, 3);
	assert_string_equal(r.text[0], "1:姓名|身份证");
	assert_string_equal(r.text[1], "2:张三|1");
	assert_string_equal(r.text[2], "3:李四|2");
	assert_int_equal(parse(gbk_sample, sizeof(gbk_sample) - 1, FK_ENC_GB18030, &r, &used, &err),
			 0);
	assert_int_equal(r.n, 3);
	/* Read as UTF-8 on request, the same bytes are refused on line 1. */
	assert_int_equal(parse(gbk_sample, sizeof(gbk_sample) - 1, FK_ENC_UTF8, &r, &used, &err),
			 FK_EINVAL);
	assert_string_equal(err.key, "csv_encoding");
	assert_int_equal(err.line, 1);
}

static void test_bad_bytes(void **state)
{
	struct rows r;
	struct fk_err err;
	const char gb_bad[] = "a,b\n\xD5\xC5,1\n\xD5\xC5\x81\x20,2\n";
	const char utf_bad[] = "a,b\nc,d\ne,\xC3\x28\n";
	const char nul[] = "a,b\nc,d\0x\n";

	(void)state;
	assert_int_equal(parse(gb_bad, sizeof(gb_bad) - 1, FK_ENC_AUTO, &r, NULL, &err), FK_EINVAL);
	assert_string_equal(err.key, "csv_encoding");
	assert_int_equal(err.line, 3);
	assert_non_null(strstr(err.en, "Line 3"));
	assert_int_equal(parse(utf_bad, sizeof(utf_bad) - 1, FK_ENC_UTF8, &r, NULL, &err),
			 FK_EINVAL);
	assert_string_equal(err.key, "csv_encoding");
	assert_int_equal(err.line, 3);
	assert_int_equal(parse(nul, sizeof(nul) - 1, FK_ENC_AUTO, &r, NULL, &err), FK_EINVAL);
	assert_string_equal(err.key, "csv_encoding");
	assert_int_equal(err.line, 2);
}

static void test_too_big(void **state)
{
	struct rows r;
	struct fk_err err;
	struct fk_buf b;

	(void)state;
	fk_buf_init(&b, FK_BUF_PAGE_MAX);
	fk_buf_puts(&b, "a,b\n");
	for (int i = 0; i < FK_CSV_MAX_FIELDS + 1; i++)
		fk_buf_puts(&b, "x,");
	fk_buf_puts(&b, "\n");
	assert_int_equal(parse(b.data, b.len, FK_ENC_AUTO, &r, NULL, &err), FK_EINVAL);
	assert_string_equal(err.key, "csv_too_big");
	assert_int_equal(err.line, 2);
	fk_buf_reset(&b);
	fk_buf_puts(&b, "a,b\nc,d\ne,");
	for (int i = 0; i < FK_CSV_MAX_FIELD / 8 + 1; i++)
		fk_buf_puts(&b, "yyyyyyyy");
	assert_int_equal(parse(b.data, b.len, FK_ENC_AUTO, &r, NULL, &err), FK_EINVAL);
	assert_string_equal(err.key, "csv_too_big");
	assert_int_equal(err.line, 3);
	/* A quote left open runs into everything after it: refused as a quote error. */
	fk_buf_reset(&b);
	fk_buf_puts(&b, "a,b\nc,\"open\n");
	for (int i = 0; i < 10000; i++)
		fk_buf_puts(&b, "row,with,some,text\n");
	assert_int_equal(parse(b.data, b.len, FK_ENC_AUTO, &r, NULL, &err), FK_EINVAL);
	assert_string_equal(err.key, "csv_quote");
	assert_int_equal(err.line, 2);
	fk_buf_release(&b);
}

static void test_stop_and_many(void **state)
{
	struct rows r;
	struct fk_err err;
	struct fk_buf b;

	(void)state;
	fk_buf_init(&b, FK_BUF_PAGE_MAX);
	for (int i = 1; i <= 20000; i++)
		fk_buf_printf(&b, i % 1000 == 0 ? "%d,\"multi\nline\"\n" : "%d,row\n", i);
	memset(&r, 0, sizeof(r));
	assert_int_equal(fk_csv_parse(b.data, b.len, FK_ENC_AUTO, collect, &r, NULL, &err), 0);
	assert_int_equal(r.count, 20000);
	/* 20 rows span two lines, so the last row starts on line 20000 + 19. */
	assert_int_equal(r.last_line, 20019);
	memset(&r, 0, sizeof(r));
	r.stop_at = 3;
	assert_int_equal(fk_csv_parse(b.data, b.len, FK_ENC_AUTO, collect, &r, NULL, &err), 77);
	assert_int_equal(r.count, 3);
	fk_buf_release(&b);
}

static void test_file(void **state)
{
	char path[] = "/tmp/fk_test_csv_XXXXXX";
	int fd = mkstemp(path);
	struct rows r;
	struct fk_err err;
	enum fk_csv_enc used;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, gbk_sample, sizeof(gbk_sample) - 1), sizeof(gbk_sample) - 1);
	close(fd);
	memset(&r, 0, sizeof(r));
	assert_int_equal(fk_csv_parse_file(path, 1024, FK_ENC_AUTO, collect, &r, &used, &err), 0);
	assert_int_equal(r.n, 3);
	assert_int_equal(used, FK_ENC_GB18030);
	assert_int_equal(fk_csv_parse_file(path, 10, FK_ENC_AUTO, collect, &r, &used, &err),
			 FK_ETOOBIG);
	assert_string_equal(err.key, "file_too_big");
	unlink(path);
	assert_int_equal(fk_csv_parse_file(path, 1024, FK_ENC_AUTO, collect, &r, &used, &err),
			 FK_EINVAL);
	assert_string_equal(err.key, "csv_file");
	assert_non_null(strstr(err.en, path));
}

static void test_write_and_names(void **state)
{
	struct fk_buf b;
	struct rows r;
	struct fk_err err;

	(void)state;
	fk_buf_init(&b, FK_BUF_PAGE_MAX);
	fk_csv_put_field(&b, "plain");
	fk_buf_putc(&b, ',');
	fk_csv_put_field(&b, "a,b");
	fk_buf_putc(&b, ',');
	fk_csv_put_field(&b, "say \"hi\"\nnow");
	fk_buf_putc(&b, ',');
	fk_csv_put_field(&b, NULL);
	fk_buf_puts(&b, "\r\n");
	assert_string_equal(b.data, "plain,\"a,b\",\"say \"\"hi\"\"\nnow\",\r\n");
	assert_int_equal(parse(b.data, b.len, FK_ENC_AUTO, &r, NULL, &err), 0);
	assert_string_equal(r.text[0], "1:plain|a,b|say \"hi\"\nnow|");
	fk_buf_release(&b);
	fk_buf_init(&b, 4);
	assert_int_equal(fk_csv_put_field(&b, "ab\"cd"), FK_ETOOBIG);
	assert_int_equal(b.len, 0);
	fk_buf_release(&b);

	assert_int_equal(fk_csv_enc_parse("auto"), FK_ENC_AUTO);
	assert_int_equal(fk_csv_enc_parse("UTF-8"), FK_ENC_UTF8);
	assert_int_equal(fk_csv_enc_parse("gbk"), FK_ENC_GB18030);
	assert_int_equal(fk_csv_enc_parse("GB2312"), FK_ENC_GB18030);
	assert_int_equal(fk_csv_enc_parse("latin1"), -1);
	assert_string_equal(fk_csv_enc_name(FK_ENC_GB18030), "gb18030");
	assert_string_equal(fk_csv_enc_name(FK_ENC_UTF8), "utf-8");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_utf8_basic),	    cmocka_unit_test(test_multiline_field),
	    cmocka_unit_test(test_broken_quote),    cmocka_unit_test(test_gbk),
	    cmocka_unit_test(test_bad_bytes),	    cmocka_unit_test(test_too_big),
	    cmocka_unit_test(test_stop_and_many),   cmocka_unit_test(test_file),
	    cmocka_unit_test(test_write_and_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
