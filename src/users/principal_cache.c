/* principal_cache: who is calling, by session, kept in memory for a few seconds, so that a
 * busy phone's requests do not each read its session, account and scopes from the store.
 *
 * An entry is found by the hash of the session token (never the token) and is good for
 * USERS_CACHE_MS, until the session expires, and while nothing in this process changed
 * accounts, scopes, sessions or area paths: each such change bumps a generation number and
 * every older entry is then reloaded. Changes made by another server of the same PostgreSQL
 * store reach this one within USERS_CACHE_MS. The table is direct-mapped: a slot holds the
 * last session hashed to it, under one of a few striped locks. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include "base/xmalloc.h"
#include "users/internal.h"

#define SLOTS 1024 /* a power of two */
#define LOCKS 16

struct entry {
	char hash[USERS_TOKEN_HEX];
	struct fk_principal who;
	int64_t expires_at, loaded_at;
	uint64_t gen;
};

static struct entry *slots[SLOTS];
static pthread_mutex_t locks[LOCKS] = {
    PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
    PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
    PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
    PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
    PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
    PTHREAD_MUTEX_INITIALIZER,
};
static _Atomic uint64_t generation = 1;

/* The hash is hex of a cryptographic hash: its first digits are as good as any index. */
static unsigned slot_of(const char *hash)
{
	return (unsigned)strtoul((char[]){hash[0], hash[1], hash[2], hash[3], '\0'}, NULL, 16) &
	       (SLOTS - 1);
}

uint64_t users_cache_generation(void)
{
	return atomic_load(&generation) + fk_area_moves(); /* scope paths follow area moves */
}

void users_cache_forget_all(void)
{
	atomic_fetch_add(&generation, 1);
}

bool users_cache_get(const char *hash, int64_t now_ms, struct fk_principal *out)
{
	unsigned i = slot_of(hash);
	pthread_mutex_t *mu = &locks[i % LOCKS];
	const struct entry *e;
	bool hit;

	pthread_mutex_lock(mu);
	e = slots[i];
	hit = e && strcmp(e->hash, hash) == 0 && e->gen == users_cache_generation() &&
	      now_ms < e->expires_at && now_ms - e->loaded_at < USERS_CACHE_MS;
	if (hit)
		*out = e->who;
	pthread_mutex_unlock(mu);
	return hit;
}

void users_cache_put(const char *hash, const struct fk_principal *who, int64_t expires_at,
		     uint64_t gen, int64_t now_ms)
{
	unsigned i = slot_of(hash);
	pthread_mutex_t *mu = &locks[i % LOCKS];
	struct entry *e;

	pthread_mutex_lock(mu);
	if (!slots[i])
		slots[i] = fk_xmalloc(sizeof(struct entry));
	e = slots[i];
	memcpy(e->hash, hash, USERS_TOKEN_HEX);
	e->who = *who;
	e->expires_at = expires_at;
	e->loaded_at = now_ms;
	e->gen = gen;
	pthread_mutex_unlock(mu);
}
