/* area_cache: a small direct-mapped cache of area id -> path, kind and name, so that writing a
 * million residents over a few thousand buildings costs a few thousand area reads, not a
 * million. Entries expire after CACHE_TTL_NS and all at once when an area moves (they keep the
 * fk_area_moves() they were read at), so a path is never stale for longer than a moment even when
 * another process changes the tree. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include "base/clock.h"
#include "base/xmalloc.h"
#include "people/internal.h"

#define CACHE_TTL_NS	  2000000000ull
#define THREAD_CACHE_SIZE 1024

struct entry {
	struct fk_db *db;
	uint64_t gen;
	uint64_t at_ns;
	struct pp_area a;
};

struct pp_cache {
	unsigned mask;
	struct entry *e;
};

struct pp_cache *pp_cache_new(unsigned size)
{
	struct pp_cache *c = fk_xcalloc(1, sizeof(*c));
	unsigned n = 16;

	while (n < size && n < (1u << 20))
		n <<= 1;
	c->mask = n - 1;
	c->e = fk_xcalloc(n, sizeof(*c->e));
	return c;
}

void pp_cache_free(struct pp_cache *c)
{
	if (!c)
		return;
	free(c->e);
	free(c);
}

static pthread_key_t thread_key;
static pthread_once_t thread_once = PTHREAD_ONCE_INIT;
/* Also kept here so the main thread's cache stays reachable until exit. */
static _Thread_local struct pp_cache *thread_cache;

static void thread_cache_free(void *p)
{
	pp_cache_free(p);
}

static void thread_key_make(void)
{
	if (pthread_key_create(&thread_key, thread_cache_free) != 0)
		abort();
}

struct pp_cache *pp_cache_thread(void)
{
	if (thread_cache)
		return thread_cache;
	pthread_once(&thread_once, thread_key_make);
	thread_cache = pp_cache_new(THREAD_CACHE_SIZE);
	pthread_setspecific(thread_key, thread_cache);
	return thread_cache;
}

static unsigned slot_of(const struct pp_cache *c, int64_t id)
{
	uint64_t h = (uint64_t)id * 0x9e3779b97f4a7c15ull;
	return (unsigned)(h >> 40) & c->mask;
}

static int fill(struct fk_db *db, int64_t id, struct entry *e, struct fk_err *err)
{
	struct fk_area a;
	int rc = fk_area_get(db, id, &a, err);

	if (rc < 0) {
		e->a.id = 0;
		return rc;
	}
	e->a.id = a.id;
	e->a.depth = a.depth;
	snprintf(e->a.path, sizeof(e->a.path), "%s", a.path);
	snprintf(e->a.kind, sizeof(e->a.kind), "%s", a.kind);
	snprintf(e->a.name, sizeof(e->a.name), "%s", a.name);
	fk_area_release(&a);
	return 0;
}

int pp_area_get(struct fk_db *db, struct pp_cache *c, int64_t id, const struct pp_area **out,
		struct fk_err *err)
{
	struct entry *e = &c->e[slot_of(c, id)];
	uint64_t gen = fk_area_moves();
	uint64_t now = fk_mono_ns();
	int rc;

	*out = NULL;
	if (id <= 0)
		return fk_err_set(err, FK_ENOTFOUND, "unknown_area", "area_id", "区域不存在",
				  "the area does not exist");
	if (e->a.id != id || e->db != db || e->gen != gen || now - e->at_ns > CACHE_TTL_NS) {
		rc = fill(db, id, e, err);
		if (rc < 0)
			return rc;
		e->db = db;
		e->gen = gen;
		e->at_ns = now;
	}
	*out = &e->a;
	return 0;
}
