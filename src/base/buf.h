/* buf: a growable byte buffer with a hard cap. data is always NUL-terminated and never NULL
 * after fk_buf_init, so it is safe to use as a C string. Appends past max fail with FK_ETOOBIG
 * and leave the buffer as it was. */
#ifndef FK_BUF_H
#define FK_BUF_H
#include <stddef.h>
#include <stdarg.h>

struct fk_buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max; /* the cap: appends past it fail */
};

/* Caps for the common uses; a buffer of another kind names its own. */
#define FK_BUF_SQL_MAX	(64 * 1024)	   /* a statement built from parts */
#define FK_BUF_TEXT_MAX (64 * 1024)	   /* a message, a pattern, a summary line */
#define FK_BUF_PAGE_MAX (32 * 1024 * 1024) /* a whole reply built in memory (a page, metrics) */

/* Copies s (NULL reads as "") into dst of size bytes, cut to fit and always NUL-terminated:
 * the text columns a row reader copies into fixed fields. */
void fk_copy_text(char *dst, size_t size, const char *s);

/* Every buffer has a cap: max 0 is a bug (FK_BUG), not "unlimited". */
void fk_buf_init(struct fk_buf *b, size_t max);
int fk_buf_append(struct fk_buf *b, const void *data, size_t len);
int fk_buf_puts(struct fk_buf *b, const char *s);
int fk_buf_putc(struct fk_buf *b, char c);
int fk_buf_printf(struct fk_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void fk_buf_reset(struct fk_buf *b); /* len = 0, keeps memory */
/* Hands the data to the caller (free() it; never NULL, "" for an empty buffer); b is
 * re-initialised with the same max. len may be NULL. */
char *fk_buf_detach(struct fk_buf *b, size_t *len);
void fk_buf_release(struct fk_buf *b);

#endif
