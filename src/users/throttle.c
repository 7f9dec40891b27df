/* throttle: the rules of the brakes on password guessing, pure and in memory.
 *   - Per client address, a token bucket (base/throttle.h: per_min attempts at once,
 *     refilled at per_min a minute), so one address cannot try many names quickly.
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
#include "users/internal.h"

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
