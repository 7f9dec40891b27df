/* pulse: the coverage pulse, a hint to every screen showing a round's figures that they moved.
 * Registration scans come at up to ~20,000 a second over a district; an event per scan would
 * flood every stream, so each round pulses at most once a second, on the leading edge: the
 * first change of a quiet second goes out at once and the rest of that second rides on it
 * (screens refresh once more a little over a second after the event, which picks them up).
 *
 * A pulse never touches the store and never waits on anything slow: it holds one mutex while
 * it looks at PULSE_PROBE slots of a fixed table, and publishes after letting it go.
 *
 * The table also keeps, per round, the deepest area path all the round's areas lie in. It
 * learns it whenever the module reads a round for a caller (tr_round_visible: each coverage,
 * door-to-door or round read, so a round someone watches is known within one poll), and
 * forgets every path when an area moves (fk_area_moves() changed since it learnt it). */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include "base/clock.h"
#include "events/events.h"
#include "testing/internal.h"

#define PULSE_BITS   8
#define PULSE_SLOTS  (1u << PULSE_BITS) /* rounds tracked at once */
#define PULSE_PROBE  8			/* the slots a round may sit in, from its hash on */
#define PULSE_GAP_MS 1000

struct slot {
	int64_t round_id; /* 0: free */
	int64_t last_ms;  /* when it last pulsed (monotonic), if pulsed */
	int64_t seen_ms;  /* when it was last pulsed or learnt: the oldest is evicted */
	bool pulsed;
	uint64_t moves; /* fk_area_moves() when path was learnt: path is stale at another */
	char path[FK_AREA_PATH_MAX]; /* the round's areas' common ancestor, "" while unknown */
};

static struct {
	pthread_mutex_t mu;
	struct slot s[PULSE_SLOTS];
} pt = {.mu = PTHREAD_MUTEX_INITIALIZER};

static int64_t mono_ms(void)
{
	return (int64_t)(fk_mono_ns() / 1000000u);
}

/* Fibonacci hashing: ids that differ only in their low (sequence) bits spread out. */
static size_t home(int64_t round_id)
{
	return (size_t)(((uint64_t)round_id * 0x9E3779B97F4A7C15u) >> (64 - PULSE_BITS));
}

/* Whether s makes a better slot to take over than v: a free one, else the one seen longest
 * ago (its round merely pulses once more than it would have). */
static bool better_victim(const struct slot *s, const struct slot *v)
{
	if (!v)
		return true;
	if (!v->round_id)
		return false;
	return !s->round_id || s->seen_ms < v->seen_ms;
}

/* The slot of round_id, taken over for it when it has none. Caller holds pt.mu. */
static struct slot *slot_locked(int64_t round_id, int64_t now)
{
	struct slot *victim = NULL;
	size_t h = home(round_id);

	for (size_t i = 0; i < PULSE_PROBE; i++) {
		struct slot *s = &pt.s[(h + i) % PULSE_SLOTS];
		if (s->round_id == round_id) {
			s->seen_ms = now;
			return s;
		}
		if (better_victim(s, victim))
			victim = s;
	}
	memset(victim, 0, sizeof(*victim));
	victim->round_id = round_id;
	victim->seen_ms = now;
	return victim;
}

/* The length of the longest prefix of a (n bytes) and b that ends with '/'. */
static size_t common_len(const char *a, size_t n, const char *b)
{
	size_t cut = 0;

	for (size_t i = 0; i < n && a[i] && a[i] == b[i]; i++)
		if (a[i] == '/')
			cut = i + 1;
	return cut;
}

/* The deepest path every area of ra lies in ("/1/12/" for /1/12/305/ and /1/12/306/); false
 * when there is none (no areas, or areas under different roots). */
static bool ancestor(const struct tr_round_areas *ra, char out[FK_AREA_PATH_MAX])
{
	size_t n;

	if (ra->n <= 0)
		return false;
	snprintf(out, FK_AREA_PATH_MAX, "%s", ra->a[0].path);
	n = strlen(out);
	for (int i = 1; i < ra->n; i++)
		n = common_len(out, n, ra->a[i].path);
	out[n] = '\0';
	return n >= 3;
}

void tr_coverage_pulse_learn(int64_t round_id, const struct tr_round_areas *ra)
{
	char path[FK_AREA_PATH_MAX];
	struct slot *s;

	if (round_id <= 0 || !ancestor(ra, path))
		return;
	pthread_mutex_lock(&pt.mu);
	s = slot_locked(round_id, mono_ms());
	memcpy(s->path, path, sizeof(s->path));
	s->moves = fk_area_moves();
	pthread_mutex_unlock(&pt.mu);
}

/* When s's round is due (no pulse within the last PULSE_GAP_MS), fills where with the path
 * to publish at and counts the pulse as made; where stays "" otherwise. Caller holds pt.mu. */
static void claim_locked(struct slot *s, const char *path, int64_t now, char *where, size_t size)
{
	if (s->pulsed && now - s->last_ms < PULSE_GAP_MS)
		return;
	bool known = s->path[0] && s->moves == fk_area_moves();

	snprintf(where, size, "%s", known ? s->path : path ? path : "");
	if (!where[0])
		return;
	s->pulsed = true;
	s->last_ms = now;
}

bool tr_coverage_pulse_at(int64_t round_id, const char *path, int64_t now_ms)
{
	char where[FK_AREA_PATH_MAX] = "";

	if (round_id <= 0)
		return false;
	pthread_mutex_lock(&pt.mu);
	claim_locked(slot_locked(round_id, now_ms), path, now_ms, where, sizeof(where));
	pthread_mutex_unlock(&pt.mu);
	if (!where[0])
		return false;
	return fk_events_publish_wide("coverage", where,
				      json_pack("{s:o}", "round_id", fk_json_idv(round_id))) == 0;
}

void fk_testing_coverage_moved(int64_t round_id, const char *path)
{
	tr_coverage_pulse_at(round_id, path, mono_ms());
}
