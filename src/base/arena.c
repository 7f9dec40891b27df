/* arena: bump allocation in blocks of at least 16 KiB, freed all at once. Requests too big to
 * share a block get a block of their own, so one large string never wastes the rest of the
 * current block. What is handed out is zeroed then, not the whole block when it is made: a
 * request uses a few KiB of its first block. */
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include "base/arena.h"
#include "base/log.h"
#include "base/xmalloc.h"

#define ARENA_BLOCK (16 * 1024)
#define ARENA_ALIGN 16
#define ARENA_BIG   (ARENA_BLOCK / 4)

struct fk_arena_block {
	struct fk_arena_block *next;
	size_t size; /* usable bytes in data */
	size_t used;
	_Alignas(ARENA_ALIGN) unsigned char data[];
};

void fk_arena_init(struct fk_arena *a)
{
	a->head = NULL;
	a->total = 0;
}

static struct fk_arena_block *block_new(size_t size)
{
	struct fk_arena_block *b;

	if (size > SIZE_MAX - sizeof(*b))
		FK_BUG("arena allocation size overflow");
	b = fk_xmalloc(sizeof(*b) + size);
	b->next = NULL;
	b->size = size;
	b->used = 0;
	return b;
}

/* Room for size bytes, not zeroed (strings are written over at once). */
static void *arena_take(struct fk_arena *a, size_t size)
{
	struct fk_arena_block *b;
	size_t need;

	if (size > SIZE_MAX - ARENA_ALIGN)
		FK_BUG("arena allocation size overflow");
	need = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (need == 0)
		need = ARENA_ALIGN;
	a->total += size;
	if (need > ARENA_BIG) {
		/* Own block, linked behind the head so the head keeps serving small requests. */
		b = block_new(need);
		b->used = need;
		if (a->head) {
			b->next = a->head->next;
			a->head->next = b;
		} else {
			a->head = b;
		}
		return b->data;
	}
	b = a->head;
	if (!b || b->size - b->used < need) {
		b = block_new(ARENA_BLOCK);
		b->next = a->head;
		a->head = b;
	}
	b->used += need;
	return b->data + b->used - need;
}

void *fk_arena_alloc(struct fk_arena *a, size_t size)
{
	return memset(arena_take(a, size), 0, size);
}

char *fk_arena_strdup(struct fk_arena *a, const char *s)
{
	if (!s)
		return NULL;
	return fk_arena_strndup(a, s, strlen(s));
}

char *fk_arena_strndup(struct fk_arena *a, const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = arena_take(a, len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

void *fk_arena_memdup(struct fk_arena *a, const void *p, size_t n)
{
	char *q = arena_take(a, n + 1);

	memcpy(q, p, n);
	q[n] = '\0';
	return q;
}

char *fk_arena_vprintf(struct fk_arena *a, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;
	char *p;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		FK_BUG("arena printf: bad format");
	p = arena_take(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *fk_arena_printf(struct fk_arena *a, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = fk_arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

void fk_arena_release(struct fk_arena *a)
{
	struct fk_arena_block *b = a->head, *next;

	while (b) {
		next = b->next;
		free(b);
		b = next;
	}
	fk_arena_init(a);
}
