/* throttle: a token bucket per client address, in memory — at most per_min actions at once
 * from one address, refilled at per_min a minute. For public routes that anyone may call
 * (logins, login codes, a screening form), so that one address cannot flood them. The table is
 * fixed: when it is full, the bucket idle longest in a short probe run is reused (a bucket idle
 * for a minute is full again, so reusing it forgets nothing).
 *
 *   static struct fk_throttle t;
 *   fk_throttle_init(&t, 20);
 *   if (!fk_throttle_take(&t, req->client_ip, fk_now_ms())) return 429; */
#ifndef FK_THROTTLE_H
#define FK_THROTTLE_H
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#define FK_THROTTLE_SLOTS 4096
#define FK_THROTTLE_PROBE 8

struct fk_throttle_bucket {
	char ip[48];
	double tokens;
	int64_t last_ms;
};

struct fk_throttle {
	pthread_mutex_t mu;
	int per_min;
	struct fk_throttle_bucket slots[FK_THROTTLE_SLOTS];
};

/* Empties the table; per_min must be > 0. The caller owns t (static or malloc'd, ~300 KiB). */
void fk_throttle_init(struct fk_throttle *t, int per_min);
/* Takes one action for ip (NULL or "" counts as one address, "-") at now_ms; false when ip has
 * none left. Thread-safe. */
bool fk_throttle_take(struct fk_throttle *t, const char *ip, int64_t now_ms);
/* Seconds until ip has one action again (0 when it has one now). */
int fk_throttle_wait_s(struct fk_throttle *t, const char *ip, int64_t now_ms);
void fk_throttle_destroy(struct fk_throttle *t);

#endif
