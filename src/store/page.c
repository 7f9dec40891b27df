/* page: the rows of one page of an export as text columns, and the keyset cursor that says
 * where the next page starts ("a US b US c", US the byte 0x1f, which no path, name or id
 * holds). Each module's export page reads its own table; this is what they all share. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/buf.h"
#include "base/clock.h"
#include "store/db.h"

#define US '\x1f'

/* Written for every row (the last row of a page is only known after it), so it copies and
 * does not format: an export writes ten million of these. Cut short at size. */
static void cursor_write(const char *const *v, const struct fk_page_cols *c, char *next,
			 size_t size)
{
	size_t len = 0;

	for (int k = 0; k < c->nkey; k++) {
		const char *s = v[c->key[k]];
		size_t n = strlen(s);
		if (k && len + 1 < size)
			next[len++] = US;
		if (n > size - 1 - len)
			n = size - 1 - len;
		memcpy(next + len, s, n);
		len += n;
	}
	next[len] = '\0';
}

int fk_q_page_rows(struct fk_q *q, const struct fk_page_cols *c,
		   int (*row)(void *ctx, const char *const *v, int n), void *ctx, char *next,
		   size_t next_size, struct fk_err *err)
{
	const char *raw[FK_PAGE_COLS_MAX + 3], *v[FK_PAGE_COLS_MAX];
	char times[FK_PAGE_COLS_MAX][32];
	int nraw = c->ncols, rc;

	for (int k = 0; k < c->nkey; k++)
		if (c->key[k] + 1 > nraw)
			nraw = c->key[k] + 1;
	while ((rc = fk_q_step(q, err)) > 0) {
		for (int i = 0; i < nraw; i++) {
			raw[i] = fk_q_text(q, i);
			if (!raw[i])
				raw[i] = "";
		}
		for (int i = 0; i < c->ncols; i++)
			v[i] = *raw[i] && (c->times & (1u << i))
				   ? fk_iso8601(fk_q_i64(q, i), times[i])
				   : raw[i];
		cursor_write(raw, c, next, next_size);
		if ((rc = row(ctx, v, c->ncols)) < 0)
			break;
	}
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

int fk_cursor_split(const char *after, char parts[][FK_CURSOR_PART_MAX], int n)
{
	const char *s = after;
	int got = 0;

	if (!after || !*after)
		return 0;
	while (got < n) {
		const char *end = strchr(s, US);
		size_t len = end ? (size_t)(end - s) : strlen(s);
		snprintf(parts[got++], FK_CURSOR_PART_MAX, "%.*s", (int)len, s);
		if (!end)
			break;
		s = end + 1;
	}
	return got;
}
