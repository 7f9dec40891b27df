/* arena: a bump allocator for one request or one job. Everything allocated from it is freed
 * together by fk_arena_release; nothing allocated here is freed on its own. Allocation never
 * fails (out of memory aborts, as in xmalloc). */
#ifndef FK_ARENA_H
#define FK_ARENA_H
#include <stddef.h>
#include <stdarg.h>

struct fk_arena_block;
struct fk_arena {
	struct fk_arena_block *head;
	size_t total; /* bytes handed out, for limits and metrics */
};

void fk_arena_init(struct fk_arena *a);
void *fk_arena_alloc(struct fk_arena *a, size_t size);		     /* 16-byte aligned, zeroed */
char *fk_arena_strdup(struct fk_arena *a, const char *s);	     /* NULL stays NULL */
char *fk_arena_strndup(struct fk_arena *a, const char *s, size_t n); /* stops at a NUL */
/* n bytes, NULs and all (images), with a NUL after them. */
void *fk_arena_memdup(struct fk_arena *a, const void *p, size_t n);
char *fk_arena_printf(struct fk_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
char *fk_arena_vprintf(struct fk_arena *a, const char *fmt, va_list ap);
void fk_arena_release(struct fk_arena *a); /* frees all; the arena may be reused after init */

#endif
