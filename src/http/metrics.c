/* metrics: request counters and latency histograms per route, kept in relaxed atomics so the
 * request path takes no lock, and their Prometheus text rendering for GET /metrics. */
#include <inttypes.h>
#include <stdatomic.h>
#include <stdlib.h>
#include "base/xmalloc.h"
#include "http/internal.h"

#define NBUCKETS   12 /* the last is +Inf */
#define MIN_STATUS 100
#define MAX_STATUS 599

static const uint64_t bucket_ns[NBUCKETS - 1] = {
    1000000ULL,	  5000000ULL,	10000000ULL,   25000000ULL,   50000000ULL,   100000000ULL,
    250000000ULL, 500000000ULL, 1000000000ULL, 2500000000ULL, 5000000000ULL,
};
static const char *const bucket_le[NBUCKETS] = {
    "0.001", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "+Inf",
};

struct slot {
	atomic_uint_fast64_t status[MAX_STATUS - MIN_STATUS + 1];
	atomic_uint_fast64_t buckets[NBUCKETS]; /* not cumulative; summed when rendered */
	atomic_uint_fast64_t sum_ns;
	atomic_uint_fast64_t count;
};

struct fk_metrics {
	int nslots;
	atomic_int in_flight;
	struct slot slots[];
};

struct fk_metrics *fk_metrics_new(int nslots)
{
	struct fk_metrics *m = fk_xcalloc(1, sizeof(*m) + (size_t)nslots * sizeof(struct slot));

	m->nslots = nslots;
	return m;
}

void fk_metrics_free(struct fk_metrics *m)
{
	free(m);
}

int fk_metrics_in_flight(struct fk_metrics *m, int delta)
{
	return atomic_fetch_add_explicit(&m->in_flight, delta, memory_order_relaxed) + delta;
}

void fk_metrics_observe(struct fk_metrics *m, int index, int status, uint64_t ns)
{
	struct slot *s;
	int b = 0;

	if (index < 0 || index >= m->nslots)
		return;
	s = &m->slots[index];
	if (status < MIN_STATUS || status > MAX_STATUS)
		status = 500;
	while (b < NBUCKETS - 1 && ns > bucket_ns[b])
		b++;
	atomic_fetch_add_explicit(&s->status[status - MIN_STATUS], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&s->buckets[b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&s->sum_ns, ns, memory_order_relaxed);
	atomic_fetch_add_explicit(&s->count, 1, memory_order_relaxed);
}

static uint64_t load(atomic_uint_fast64_t *v)
{
	return atomic_load_explicit(v, memory_order_relaxed);
}

static void render_counts(struct fk_metrics *m, const struct fk_router *rt, struct fk_buf *out)
{
	fk_buf_puts(out,
		    "# HELP fk_http_requests_total HTTP requests by route, method and status.\n"
		    "# TYPE fk_http_requests_total counter\n");
	for (int i = 0; i < m->nslots; i++) {
		const struct fk_croute *cr = fk_router_slot(rt, i);
		for (int st = MIN_STATUS; st <= MAX_STATUS; st++) {
			uint64_t n = load(&m->slots[i].status[st - MIN_STATUS]);
			if (n)
				fk_buf_printf(out,
					      "fk_http_requests_total{route=\"%s\",method=\"%s\","
					      "status=\"%d\"} %" PRIu64 "\n",
					      cr->pattern, cr->method, st, n);
		}
	}
}

static void render_histogram(struct slot *s, const struct fk_croute *cr, struct fk_buf *out)
{
	uint64_t cum = 0;

	for (int b = 0; b < NBUCKETS; b++) {
		cum += load(&s->buckets[b]);
		fk_buf_printf(out,
			      "fk_http_request_duration_seconds_bucket{route=\"%s\",method=\"%s\","
			      "le=\"%s\"} %" PRIu64 "\n",
			      cr->pattern, cr->method, bucket_le[b], cum);
	}
	fk_buf_printf(out,
		      "fk_http_request_duration_seconds_sum{route=\"%s\",method=\"%s\"} %.6f\n"
		      "fk_http_request_duration_seconds_count{route=\"%s\",method=\"%s\"} %" PRIu64
		      "\n",
		      cr->pattern, cr->method, (double)load(&s->sum_ns) / 1e9, cr->pattern,
		      cr->method, load(&s->count));
}

/* Route patterns hold no quote, backslash or newline, so labels need no escaping. */
int fk_metrics_render(struct fk_metrics *m, const struct fk_router *rt, const char *version,
		      struct fk_buf *out)
{
	fk_buf_printf(out,
		      "# HELP fk_build_info The running version.\n# TYPE fk_build_info gauge\n"
		      "fk_build_info{version=\"%s\"} 1\n",
		      version ? version : "");
	render_counts(m, rt, out);
	fk_buf_puts(out, "# HELP fk_http_request_duration_seconds Time to produce a response.\n"
			 "# TYPE fk_http_request_duration_seconds histogram\n");
	for (int i = 0; i < m->nslots; i++)
		if (load(&m->slots[i].count))
			render_histogram(&m->slots[i], fk_router_slot(rt, i), out);
	return fk_buf_printf(out,
			     "# HELP fk_http_requests_in_flight Requests being handled now.\n"
			     "# TYPE fk_http_requests_in_flight gauge\n"
			     "fk_http_requests_in_flight %d\n",
			     atomic_load_explicit(&m->in_flight, memory_order_relaxed));
}
