/* xmalloc: the one out-of-memory policy. Every allocation either succeeds or logs and aborts,
 * so callers never check for NULL after these. */
#ifndef FK_XMALLOC_H
#define FK_XMALLOC_H
#include <stddef.h>

void *fk_xmalloc(size_t size);
void *fk_xcalloc(size_t n, size_t size);
void *fk_xrealloc(void *ptr, size_t size);
char *fk_xstrdup(const char *s);
char *fk_xstrndup(const char *s, size_t n);

#endif
