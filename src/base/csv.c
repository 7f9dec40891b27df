/* csv: CSV files as offices write them. The input is converted to UTF-8 first (iconv for
 * GB18030), then fed to libcsv one physical line at a time so each record knows the line it
 * starts on: a record starts on a line whenever that line does not begin inside a quoted field,
 * which is tracked by the parity of the quote characters seen (an escaped "" toggles twice). */
#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "base/buf.h"
#include "base/csv.h"
#include "base/utf8.h"
#include "base/xmalloc.h"

struct csv_state {
	fk_csv_row_fn fn;
	void *ctx;
	long line;	 /* physical line being fed */
	long start_line; /* line the current record started on */
	char *store;	 /* this record's field bytes, each NUL-terminated; reused */
	size_t store_len, store_cap;
	size_t off[FK_CSV_MAX_FIELDS];
	char *fields[FK_CSV_MAX_FIELDS];
	size_t nfields;
	bool too_big;
	int stop; /* the callback's non-zero answer */
};

int fk_csv_enc_parse(const char *s)
{
	if (!s || !*s || strcasecmp(s, "auto") == 0)
		return FK_ENC_AUTO;
	if (strcasecmp(s, "utf-8") == 0 || strcasecmp(s, "utf8") == 0)
		return FK_ENC_UTF8;
	if (strcasecmp(s, "gbk") == 0 || strcasecmp(s, "gb2312") == 0 ||
	    strcasecmp(s, "gb18030") == 0 || strcasecmp(s, "cp936") == 0)
		return FK_ENC_GB18030;
	return -1;
}

const char *fk_csv_enc_name(enum fk_csv_enc enc)
{
	switch (enc) {
	case FK_ENC_UTF8:
		return "utf-8";
	case FK_ENC_GB18030:
		return "gb18030";
	case FK_ENC_AUTO:
		break;
	}
	return "auto";
}

static long line_at(const char *data, size_t off)
{
	long line = 1;
	const char *p = data, *end = data + off;

	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		line++;
		p++;
	}
	return line;
}

static int enc_error(const char *data, size_t off, struct fk_err *err)
{
	long line = line_at(data, off);

	fk_err_set(err, FK_EINVAL, "csv_encoding", NULL,
		   "第%ld行含有无效的字符编码（文件应为 UTF-8 或 GBK）",
		   "Line %ld has bytes invalid in the file's encoding (expected UTF-8 or GBK)",
		   line);
	if (err)
		err->line = line;
	return FK_EINVAL;
}

/* GB18030 -> UTF-8. Every GB18030 trail byte is >= 0x30, so newlines in the input are real
 * line ends and the line of a bad byte can be counted in the original. */
static int gb_to_utf8(const char *data, size_t len, char **out, size_t *outlen, struct fk_err *err)
{
	iconv_t cd = iconv_open("UTF-8", "GB18030");
	size_t cap = len + len / 2 + 16, inleft = len, outleft = cap;
	char *in = (char *)data, *buf, *o;

	if (cd == (iconv_t)-1)
		return fk_err_set(err, FK_EINTERNAL, "csv_iconv", NULL, "无法转换 GB18030 编码",
				  "Cannot convert from GB18030");
	buf = fk_xmalloc(cap + 1);
	o = buf;
	while (inleft > 0) {
		if (iconv(cd, &in, &inleft, &o, &outleft) != (size_t)-1)
			continue;
		if (errno != E2BIG) {
			iconv_close(cd);
			free(buf);
			return enc_error(data, (size_t)(in - data), err);
		}
		size_t used = (size_t)(o - buf);
		cap *= 2;
		buf = fk_xrealloc(buf, cap + 1);
		o = buf + used;
		outleft = cap - used;
	}
	iconv_close(cd);
	*o = '\0';
	*out = buf;
	*outlen = (size_t)(o - buf);
	return 0;
}

/* Trims ASCII and ideographic spaces around s in place; returns the new start. */
static char *trim(char *s)
{
	char *e;

	for (;;) {
		if (*s == ' ' || *s == '\t')
			s++;
		else if ((unsigned char)s[0] == 0xE3 && (unsigned char)s[1] == 0x80 &&
			 (unsigned char)s[2] == 0x80)
			s += 3;
		else
			break;
	}
	e = s + strlen(s);
	for (;;) {
		if (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		else if (e - s >= 3 && (unsigned char)e[-3] == 0xE3 &&
			 (unsigned char)e[-2] == 0x80 && (unsigned char)e[-1] == 0x80)
			e -= 3;
		else
			break;
	}
	*e = '\0';
	return s;
}

static void on_field(void *data, size_t len, void *vst)
{
	struct csv_state *st = vst;

	if (st->too_big || st->stop)
		return;
	if (st->nfields >= FK_CSV_MAX_FIELDS || len > FK_CSV_MAX_FIELD) {
		st->too_big = true;
		return;
	}
	if (st->store_len + len + 1 > st->store_cap) {
		st->store_cap = (st->store_len + len + 1) * 2;
		st->store = fk_xrealloc(st->store, st->store_cap);
	}
	st->off[st->nfields++] = st->store_len;
	if (len)
		memcpy(st->store + st->store_len, data, len);
	st->store_len += len;
	st->store[st->store_len++] = '\0';
}

static void on_record(int term, void *vst)
{
	struct csv_state *st = vst;
	bool blank = true;

	(void)term;
	if (!st->too_big && !st->stop) {
		for (size_t i = 0; i < st->nfields; i++) {
			st->fields[i] = trim(st->store + st->off[i]);
			if (st->fields[i][0])
				blank = false;
		}
		/* Rows of empty cells (",,,") are what Excel writes for formatted blank rows. */
		if (!blank)
			st->stop = st->fn(st->ctx, st->start_line, st->fields, st->nfields);
	}
	if (!st->too_big) {
		st->nfields = 0;
		st->store_len = 0;
	}
}

static int too_big(long line, struct fk_err *err)
{
	fk_err_set(err, FK_EINVAL, "csv_too_big", NULL,
		   "第%ld行的记录过大（最多 %d 列，每个字段最多 %d 字节）",
		   "The record at line %ld is too big (at most %d columns of %d bytes each)", line,
		   FK_CSV_MAX_FIELDS, FK_CSV_MAX_FIELD);
	if (err)
		err->line = line;
	return FK_EINVAL;
}

static int quote_error(long line, struct fk_err *err)
{
	fk_err_set(
	    err, FK_EINVAL, "csv_quote", NULL,
	    "第%ld行的引号不匹配（引号内的字段未闭合或引号后有多余字符）",
	    "The quotes of the record at line %ld do not match (a quoted field is not closed "
	    "or has text after its closing quote)",
	    line);
	if (err)
		err->line = line;
	return FK_EINVAL;
}

static void scan_quotes(const char *text, const char *pos, const char *end, bool *in_quote,
			size_t *open_at)
{
	const char *q = pos;

	while ((q = memchr(q, '"', (size_t)(end - q))) != NULL) {
		*in_quote = !*in_quote;
		if (*in_quote)
			*open_at = (size_t)(q - text);
		q++;
	}
}

static int parse_failed(struct csv_parser *p, struct csv_state *st, struct fk_err *err)
{
	if (csv_error(p) == CSV_EPARSE)
		return quote_error(st->start_line, err);
	return fk_err_set(err, FK_EINTERNAL, "csv_internal", NULL, "CSV 解析失败：%s",
			  "CSV parsing failed: %s", csv_strerror(csv_error(p)));
}

/* Feeds the text one physical line at a time. */
static int feed(struct csv_parser *p, struct csv_state *st, const char *text, size_t len,
		struct fk_err *err)
{
	const char *pos = text, *end = text + len;
	bool in_quote = false;
	size_t open_at = 0;

	while (pos < end) {
		const char *nl = memchr(pos, '\n', (size_t)(end - pos));
		const char *le = nl ? nl + 1 : end;

		st->line++;
		if (!in_quote)
			st->start_line = st->line;
		scan_quotes(text, pos, le, &in_quote, &open_at);
		if (csv_parse(p, pos, (size_t)(le - pos), on_field, on_record, st) !=
		    (size_t)(le - pos))
			return parse_failed(p, st, err);
		if (st->stop)
			return st->stop;
		if (st->too_big)
			return too_big(st->start_line, err);
		/* An open quote running past the longest field is a quote never closed. */
		if (in_quote && (size_t)(le - text) - open_at > FK_CSV_MAX_FIELD + 1)
			return quote_error(st->start_line, err);
		pos = le;
	}
	if (csv_fini(p, on_field, on_record, st) != 0)
		return parse_failed(p, st, err);
	if (st->stop)
		return st->stop;
	return st->too_big ? too_big(st->start_line, err) : 0;
}

static int parse_text(const char *text, size_t len, fk_csv_row_fn fn, void *ctx, struct fk_err *err)
{
	struct csv_parser p;
	struct csv_state *st;
	int rc;

	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0)
		return fk_err_set(err, FK_EINTERNAL, "csv_internal", NULL, "CSV 解析器初始化失败",
				  "Cannot initialise the CSV parser");
	st = fk_xcalloc(1, sizeof(*st));
	st->fn = fn;
	st->ctx = ctx;
	rc = feed(&p, st, text, len, err);
	csv_free(&p);
	free(st->store);
	free(st);
	return rc;
}

static void strip_bom(const char **data, size_t *len)
{
	if (*len >= 3 && memcmp(*data, "\xEF\xBB\xBF", 3) == 0) {
		*data += 3;
		*len -= 3;
	}
}

int fk_csv_parse(const char *data, size_t len, enum fk_csv_enc enc, fk_csv_row_fn fn, void *ctx,
		 enum fk_csv_enc *enc_used, struct fk_err *err)
{
	char *conv = NULL;
	const char *nul;
	size_t valid;
	int rc;

	if (!data)
		data = "";
	strip_bom(&data, &len);
	valid = enc == FK_ENC_GB18030 ? 0 : fk_utf8_valid_prefix(data, len);
	if (enc == FK_ENC_AUTO)
		enc = valid == len ? FK_ENC_UTF8 : FK_ENC_GB18030;
	if (enc_used)
		*enc_used = enc;
	nul = memchr(data, '\0', len);
	if (nul)
		return enc_error(data, (size_t)(nul - data), err);
	if (enc == FK_ENC_UTF8 && valid < len)
		return enc_error(data, valid, err);
	if (enc == FK_ENC_GB18030) {
		rc = gb_to_utf8(data, len, &conv, &len, err);
		if (rc < 0)
			return rc;
		data = conv;
		strip_bom(&data, &len);
	}
	rc = parse_text(data, len, fn, ctx, err);
	free(conv);
	return rc;
}

static int file_error(const char *path, struct fk_err *err)
{
	return fk_err_set(err, FK_EINVAL, "csv_file", NULL, "无法读取文件 %s：%s",
			  "Cannot read file %s: %s", path, strerror(errno));
}

/* Reads at most max_bytes (0 = no cap) of path into a new buffer. */
static int read_file(const char *path, size_t max_bytes, struct fk_buf *b, struct fk_err *err)
{
	FILE *f = fopen(path, "rb");
	char chunk[65536];
	size_t n;
	int rc = 0;

	if (!f)
		return file_error(path, err);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (fk_buf_append(b, chunk, n) < 0) {
			rc = fk_err_set(
			    err, FK_ETOOBIG, "file_too_big", NULL, "文件 %s 超过 %zu 字节的上限",
			    "File %s is larger than the limit of %zu bytes", path, max_bytes);
			goto out;
		}
	}
	if (ferror(f))
		rc = file_error(path, err);
out:
	fclose(f);
	return rc;
}

int fk_csv_parse_file(const char *path, size_t max_bytes, enum fk_csv_enc enc, fk_csv_row_fn fn,
		      void *ctx, enum fk_csv_enc *enc_used, struct fk_err *err)
{
	struct fk_buf b;
	int rc;

	fk_buf_init(&b, max_bytes);
	rc = read_file(path, max_bytes, &b, err);
	if (rc == 0)
		rc = fk_csv_parse(b.data, b.len, enc, fn, ctx, enc_used, err);
	fk_buf_release(&b);
	return rc;
}

int fk_csv_put_field(struct fk_buf *b, const char *s)
{
	size_t n, saved = b->len;
	int rc;

	if (!s)
		s = "";
	n = strcspn(s, ",\"\r\n"); /* one pass: the length when nothing needs quoting */
	if (s[n] == '\0' &&
	    !(n > 0 && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t')))
		return fk_buf_append(b, s, n);
	rc = fk_buf_putc(b, '"');
	for (const char *q; rc == 0 && (q = strchr(s, '"')) != NULL; s = q + 1) {
		rc = fk_buf_append(b, s, (size_t)(q - s + 1));
		if (rc == 0)
			rc = fk_buf_putc(b, '"');
	}
	if (rc == 0)
		rc = fk_buf_puts(b, s);
	if (rc == 0)
		rc = fk_buf_putc(b, '"');
	if (rc < 0 && b->cap) {
		b->len = saved;
		b->data[saved] = '\0';
	}
	return rc;
}
