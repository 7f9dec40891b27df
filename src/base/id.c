/* id: 64-bit ids (41 bits ms since 2024-01-01 | 10 bits node | 12 bits sequence). One mutex
 * guards the last millisecond used, so ids keep increasing even if the wall clock steps back:
 * the generator stays on its last millisecond until the clock catches up. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "base/clock.h"
#include "base/id.h"

#define ID_NODE_BITS 10
#define ID_SEQ_BITS  12
#define ID_SEQ_MAX   ((1 << ID_SEQ_BITS) - 1)
#define ID_NODE_MAX  ((1 << ID_NODE_BITS) - 1)

static pthread_mutex_t id_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned id_node;
static int64_t id_last_ms = -1;
static int id_seq;

void fk_id_set_node(unsigned node)
{
	pthread_mutex_lock(&id_lock);
	id_node = node & ID_NODE_MAX;
	pthread_mutex_unlock(&id_lock);
}

static int64_t id_clock(void)
{
	int64_t ms = fk_now_ms() - FK_ID_EPOCH_MS;

	return ms < 0 ? 0 : ms;
}

/* The sequence of this millisecond ran out: wait for the clock to move on, unless it is far
 * behind (stepped back), in which case borrow the next millisecond. */
static int64_t id_next_ms(int64_t last)
{
	struct timespec ts = {0, 100000};
	int64_t now = id_clock();

	if (now < last - 1)
		return last + 1;
	while (now <= last) {
		nanosleep(&ts, NULL);
		now = id_clock();
	}
	return now;
}

int64_t fk_id_next(void)
{
	int64_t now, id;

	pthread_mutex_lock(&id_lock);
	now = id_clock();
	if (now > id_last_ms) {
		id_last_ms = now;
		id_seq = 0;
	} else if (++id_seq > ID_SEQ_MAX) {
		id_last_ms = id_next_ms(id_last_ms);
		id_seq = 0;
	}
	id = (id_last_ms << (ID_NODE_BITS + ID_SEQ_BITS)) | ((int64_t)id_node << ID_SEQ_BITS) |
	     id_seq;
	pthread_mutex_unlock(&id_lock);
	return id;
}

bool fk_id_parse(const char *s, int64_t *out)
{
	size_t n;
	int64_t v = 0;

	if (!s)
		return false;
	n = strlen(s);
	if (n < 1 || n > 19 || s[0] == '0')
		return false;
	for (size_t i = 0; i < n; i++) {
		int d = s[i] - '0';

		if (d < 0 || d > 9)
			return false;
		if (v > (INT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

char *fk_id_format(int64_t id, char out[24])
{
	snprintf(out, 24, "%lld", (long long)id);
	return out;
}
