/* buf: growable NUL-terminated byte buffer with a hard cap. An initialised but empty buffer
 * points at a shared empty string and owns no memory until the first append. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/buf.h"
#include "base/err.h"
#include "base/log.h"
#include "base/xmalloc.h"

static char buf_empty[1];

void fk_copy_text(char *dst, size_t size, const char *s)
{
	snprintf(dst, size, "%s", s ? s : "");
}

void fk_buf_init(struct fk_buf *b, size_t max)
{
	if (max == 0)
		FK_BUG("fk_buf_init: a buffer needs a cap");
	b->data = buf_empty;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

/* Makes room for extra more bytes plus the NUL; FK_ETOOBIG past max. */
static int buf_grow(struct fk_buf *b, size_t extra)
{
	size_t need, cap;

	if (extra > SIZE_MAX - b->len - 1)
		return FK_ETOOBIG;
	need = b->len + extra + 1;
	if (b->max && need > b->max + 1)
		return FK_ETOOBIG;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	if (b->max && cap > b->max + 1)
		cap = b->max + 1;
	if (b->cap == 0) {
		b->data = fk_xmalloc(cap);
		b->data[0] = '\0';
	} else {
		b->data = fk_xrealloc(b->data, cap);
	}
	b->cap = cap;
	return 0;
}

int fk_buf_append(struct fk_buf *b, const void *data, size_t len)
{
	int rc;

	if (len == 0)
		return 0;
	rc = buf_grow(b, len);
	if (rc < 0)
		return rc;
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

int fk_buf_puts(struct fk_buf *b, const char *s)
{
	return fk_buf_append(b, s, strlen(s));
}

int fk_buf_putc(struct fk_buf *b, char c)
{
	return fk_buf_append(b, &c, 1);
}

int fk_buf_printf(struct fk_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n, rc;

	va_start(ap, fmt);
	n = vsnprintf(b->cap ? b->data + b->len : NULL, b->cap ? b->cap - b->len : 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return FK_EINVAL;
	if (b->cap && (size_t)n < b->cap - b->len) {
		if (b->max && b->len + (size_t)n > b->max) {
			b->data[b->len] = '\0';
			return FK_ETOOBIG;
		}
		b->len += (size_t)n;
		return 0;
	}
	rc = buf_grow(b, (size_t)n);
	if (rc < 0) {
		if (b->cap)
			b->data[b->len] = '\0';
		return rc;
	}
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

void fk_buf_reset(struct fk_buf *b)
{
	b->len = 0;
	if (b->cap)
		b->data[0] = '\0';
}

char *fk_buf_detach(struct fk_buf *b, size_t *len)
{
	char *p = b->cap ? b->data : fk_xstrdup("");

	if (len)
		*len = b->len;
	fk_buf_init(b, b->max);
	return p;
}

void fk_buf_release(struct fk_buf *b)
{
	if (b->cap)
		free(b->data);
	fk_buf_init(b, b->max);
}
