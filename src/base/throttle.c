/* throttle: the token bucket per client address of base/throttle.h (the same rule as the
 * users module's login throttle, for any public route). */
#include <stdio.h>
#include <string.h>
#include "base/throttle.h"

void fk_throttle_init(struct fk_throttle *t, int per_min)
{
	memset(t->slots, 0, sizeof t->slots);
	pthread_mutex_init(&t->mu, NULL);
	t->per_min = per_min > 0 ? per_min : 1;
}

void fk_throttle_destroy(struct fk_throttle *t)
{
	pthread_mutex_destroy(&t->mu);
}

static uint32_t addr_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* The bucket of ip: its own, else a free one, else the one idle longest in the probe run. */
static struct fk_throttle_bucket *slot_of(struct fk_throttle *t, const char *ip)
{
	uint32_t h = addr_hash(ip);
	struct fk_throttle_bucket *pick = NULL;

	for (int i = 0; i < FK_THROTTLE_PROBE; i++) {
		struct fk_throttle_bucket *b = &t->slots[(h + (uint32_t)i) % FK_THROTTLE_SLOTS];
		if (b->ip[0] && strcmp(b->ip, ip) == 0)
			return b;
		if (!pick || (pick->ip[0] && (!b->ip[0] || b->last_ms < pick->last_ms)))
			pick = b;
	}
	snprintf(pick->ip, sizeof pick->ip, "%s", ip);
	pick->tokens = t->per_min;
	pick->last_ms = 0;
	return pick;
}

/* The bucket of ip refilled up to now_ms; t->mu held. */
static struct fk_throttle_bucket *refilled(struct fk_throttle *t, const char *ip, int64_t now_ms)
{
	struct fk_throttle_bucket *b;
	char key[sizeof b->ip];

	/* Cut to the slot's size first so that an over-long address still finds its bucket. */
	snprintf(key, sizeof key, "%s", ip && ip[0] ? ip : "-");
	b = slot_of(t, key);
	if (b->last_ms && now_ms > b->last_ms)
		b->tokens += (double)(now_ms - b->last_ms) * t->per_min / 60000.0;
	if (b->tokens > t->per_min)
		b->tokens = t->per_min;
	/* A clock set back (the wall clock stepped, a test clock set to an earlier day) refills
	 * from the new time on, rather than not until the old one comes round again. */
	b->last_ms = now_ms;
	return b;
}

bool fk_throttle_take(struct fk_throttle *t, const char *ip, int64_t now_ms)
{
	struct fk_throttle_bucket *b;
	bool ok = false;

	pthread_mutex_lock(&t->mu);
	b = refilled(t, ip, now_ms);
	if (b->tokens >= 1.0) {
		b->tokens -= 1.0;
		ok = true;
	}
	pthread_mutex_unlock(&t->mu);
	return ok;
}

int fk_throttle_wait_s(struct fk_throttle *t, const char *ip, int64_t now_ms)
{
	struct fk_throttle_bucket *b;
	double missing, secs;
	int whole;

	pthread_mutex_lock(&t->mu);
	b = refilled(t, ip, now_ms);
	missing = b->tokens >= 1.0 ? 0.0 : 1.0 - b->tokens;
	pthread_mutex_unlock(&t->mu);
	secs = missing * 60.0 / t->per_min;
	whole = (int)secs;
	return whole + (secs > whole); /* rounded up: asking again then succeeds */
}
