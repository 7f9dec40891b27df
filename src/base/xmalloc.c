/* xmalloc: allocation that never returns NULL; running out of memory logs and aborts. */
#include <stdlib.h>
#include <string.h>
#include "base/log.h"
#include "base/xmalloc.h"

static _Noreturn void oom(size_t size)
{
	fk_error("msg=\"out of memory\" size=%zu", size);
	abort();
}

void *fk_xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p)
		oom(size);
	return p;
}

void *fk_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		oom(n * size);
	return p;
}

void *fk_xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);

	if (!p)
		oom(size);
	return p;
}

char *fk_xstrdup(const char *s)
{
	return fk_xstrndup(s, strlen(s));
}

char *fk_xstrndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = fk_xmalloc(len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}
