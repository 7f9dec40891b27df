/* throttle: the rules of the brakes on password guessing, pure and in memory.
 *   - Per client address, a token bucket (per_min attempts at once, refilled at per_min a
 *     minute), so one address cannot try many names quickly.
 *   - Per (name, address) pair, a lock after users.lock_after wrong passwords in a row, each
 *     within the window of the last: the guesser locks only itself, and the owner, from any
 *     address that has not failed, still logs in. A success clears the pair's count.
 *   - Per name over all addresses, a brake: users.name_lock_after wrong passwords, each within
 *     the window of the last, lock the name for every address except those that have logged in
 *     with it before (within USERS_KNOWN_SOURCE_MS), so that many addresses guessing one name are
 *     stopped while its owner, from a usual place, is not.
 * A name is the name as typed, folded, whether an account has it or not: an unknown name is
 * counted, locked and answered exactly like a real one. The counts themselves live in the
 * store (lockout.c), so that several servers share them. */
#include <stdio.h>
#include <string.h>
#include "users/internal.h"

void users_throttle_init(struct users_throttle *t, int per_min)
{
	memset(t->slots, 0, sizeof t->slots);
	pthread_mutex_init(&t->mu, NULL);
	t->per_min = per_min > 0 ? per_min : USERS_THROTTLE_PER_MIN;
}

static uint32_t throttle_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* The bucket for ip: its own, else a free one, else the one idle longest in the probe run.
 * A bucket idle for a minute is full again, so reusing it forgets nothing; only a flood of
 * more addresses than slots within a minute can cut a busy bucket short. */
static struct users_bucket *throttle_slot(struct users_throttle *t, const char *ip)
{
	uint32_t h = throttle_hash(ip);
	struct users_bucket *pick = NULL;

	for (int i = 0; i < USERS_THROTTLE_PROBE; i++) {
		struct users_bucket *b = &t->slots[(h + (uint32_t)i) % USERS_THROTTLE_SLOTS];
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

bool users_throttle_take(struct users_throttle *t, const char *ip, int64_t now_ms)
{
	struct users_bucket *b;
	char key[sizeof b->ip];
	bool ok = false;

	/* Cut to the slot's size first so that an over-long address still finds its bucket. */
	snprintf(key, sizeof key, "%s", ip && ip[0] ? ip : "-");
	pthread_mutex_lock(&t->mu);
	b = throttle_slot(t, key);
	if (b->last_ms && now_ms > b->last_ms)
		b->tokens += (double)(now_ms - b->last_ms) * t->per_min / 60000.0;
	if (b->tokens > t->per_min)
		b->tokens = t->per_min;
	b->last_ms = now_ms;
	if (b->tokens >= 1.0) {
		b->tokens -= 1.0;
		ok = true;
	}
	pthread_mutex_unlock(&t->mu);
	return ok;
}

bool users_lock_active(const struct users_lock *s, int64_t now_ms)
{
	return s->locked_until > now_ms;
}

int64_t users_lock_refusal(const struct users_lock *pair, const struct users_lock *name,
			   int64_t now_ms)
{
	bool known = pair->ok_at > 0 && now_ms - pair->ok_at <= USERS_KNOWN_SOURCE_MS;
	int64_t until = users_lock_active(pair, now_ms) ? pair->locked_until : 0;

	if (!known && users_lock_active(name, now_ms) && name->locked_until > until)
		until = name->locked_until;
	return until;
}

struct users_lock users_lock_fail(struct users_lock s, int64_t now_ms,
				  const struct users_lock_rule *rule)
{
	if (users_lock_active(&s, now_ms))
		return s;
	if (s.failed > 0 && now_ms - s.failed_at > rule->window_ms)
		s.failed = 0;
	s.failed++;
	s.failed_at = now_ms;
	if (s.failed >= rule->after) {
		s.failed = 0;
		s.locked_until = now_ms + rule->lock_ms;
	}
	return s;
}
