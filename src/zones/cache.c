/* cache: the active zones in memory, so that fk_zone_of — run on every scan — costs a lock and
 * a walk over a few hundred paths, not a store read. The whole set is reloaded when this
 * server changed a zone (zn_cache_forget, after the commit), when an area moved, and at most
 * ZN_CACHE_NS after the last load, so another server's zones on one PostgreSQL are seen within
 * a few seconds, as with the principal cache. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include "base/clock.h"
#include "base/xmalloc.h"
#include "zones/internal.h"

#define ZN_CACHE_NS 2000000000ull

struct entry {
	int64_t id;
	int level;
	char kind[FK_ZONE_KIND_MAX];
	char path[FK_AREA_PATH_MAX];
};

struct zn_cache {
	pthread_mutex_t mu;
	struct entry *e;
	int n;
	bool loaded;
	uint64_t loaded_ns, loaded_gen;
	_Atomic uint64_t gen;
};

struct zn_cache *zn_cache_new(void)
{
	struct zn_cache *c = fk_xcalloc(1, sizeof(*c));

	pthread_mutex_init(&c->mu, NULL);
	atomic_init(&c->gen, 1);
	return c;
}

void zn_cache_free(struct zn_cache *c)
{
	if (!c)
		return;
	pthread_mutex_destroy(&c->mu);
	free(c->e);
	free(c);
}

void zn_cache_forget(struct fk_app *app)
{
	struct zn_cache *c = fk_module_state(app, &fk_module_zones);

	if (c)
		atomic_fetch_add(&c->gen, 1);
}

static uint64_t generation(struct zn_cache *c)
{
	return atomic_load(&c->gen) + fk_area_moves();
}

/* Under c->mu: the active zones from the store. */
static int reload(struct zn_cache *c, struct fk_db *db, struct fk_err *err)
{
	uint64_t gen = generation(c);
	struct fk_q *q;
	int cap = 64, rc = fk_db_query(db, &q,
				       "SELECT id, level, kind, area_path FROM zones "
				       "WHERE status = 'active' ORDER BY level DESC, id",
				       err);

	if (rc < 0)
		return rc;
	c->n = 0;
	c->e = fk_xrealloc(c->e, (size_t)cap * sizeof(*c->e));
	while ((rc = fk_q_step(q, err)) > 0) {
		if (c->n == cap)
			c->e = fk_xrealloc(c->e, (size_t)(cap *= 2) * sizeof(*c->e));
		c->e[c->n].id = fk_q_i64(q, 0);
		c->e[c->n].level = (int)fk_q_i64(q, 1);
		fk_copy_text(c->e[c->n].kind, sizeof(c->e[c->n].kind), fk_q_text(q, 2));
		fk_copy_text(c->e[c->n].path, sizeof(c->e[c->n].path), fk_q_text(q, 3));
		c->n++;
	}
	fk_q_done(q);
	c->loaded = rc == 0;
	c->loaded_ns = fk_mono_ns();
	c->loaded_gen = gen;
	return rc < 0 ? rc : 0;
}

/* Locks c and makes sure what it holds is fresh; unlocks on failure. */
static int lock_fresh(struct zn_cache *c, struct fk_db *db, struct fk_err *err)
{
	int rc = 0;

	pthread_mutex_lock(&c->mu);
	if (!c->loaded || c->loaded_gen != generation(c) ||
	    fk_mono_ns() - c->loaded_ns > ZN_CACHE_NS)
		rc = reload(c, db, err);
	if (rc < 0)
		pthread_mutex_unlock(&c->mu);
	return rc;
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

int zn_zone_of(struct fk_app *app, struct fk_db *db, const char *area_path,
	       struct fk_zone_rule *out, struct fk_err *err)
{
	struct zn_cache *c = fk_module_state(app, &fk_module_zones);
	const struct entry *best = NULL;
	int level = 0, rc = c ? lock_fresh(c, db, err) : 0;

	if (!c || rc < 0)
		return rc;
	/* Sorted strictest first: the first zone over the area is the strictest. */
	for (int i = 0; i < c->n && !best; i++)
		if (starts_with(area_path, c->e[i].path))
			best = &c->e[i];
	if (best) {
		out->zone_id = best->id;
		fk_copy_text(out->kind, sizeof(out->kind), best->kind);
		level = best->level;
	}
	pthread_mutex_unlock(&c->mu);
	if (level > 0)
		zn_rule_of(level,
			   fk_policy_i64(db, &zn_policies[ZN_POL_SEALED_SAMPLING], NULL) == 2, out);
	return 0;
}

int zn_zone_door_paths(struct fk_app *app, struct fk_db *db, const char *under, json_t *paths,
		       struct fk_err *err)
{
	struct zn_cache *c = fk_module_state(app, &fk_module_zones);
	int rc = c ? lock_fresh(c, db, err) : 0;

	if (!c || rc < 0)
		return rc;
	for (int i = 0; i < c->n && c->e[i].level >= 3; i++)
		if (starts_with(c->e[i].path, under) || starts_with(under, c->e[i].path))
			json_array_append_new(paths, json_string(c->e[i].path));
	pthread_mutex_unlock(&c->mu);
	return 0;
}
