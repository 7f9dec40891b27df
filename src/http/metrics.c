/* metrics: request counters and latency histograms per route, kept in relaxed atomics so the
 * request path takes no lock, and their Prometheus text rendering for GET /metrics, with the
 * scheduled jobs' counters (kept by the scheduler). */
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

struct job_family {
	const char *name, *type, *help;
};

static const struct job_family job_families[] = {
    {"fk_job_runs_total", "counter", "Runs of a scheduled job by this server."},
    {"fk_job_failures_total", "counter", "Runs of a scheduled job that failed."},
    {"fk_job_overruns_total", "counter", "Runs of a scheduled job that took longer than allowed."},
    {"fk_job_last_duration_seconds", "gauge", "How long the last run of a scheduled job took."},
    {"fk_job_last_check_timestamp_seconds", "gauge",
     "When this server last looked whether a scheduled job was due (by its clock)."},
};

static void render_job(const struct fk_job_stats *st, int family, struct fk_buf *out)
{
	const char *name = job_families[family].name;

	if (family >= 3)
		fk_buf_printf(
		    out, "%s{job=\"%s\"} %.3f\n", name, st->name,
		    (double)atomic_load(family == 3 ? &st->last_duration_ms : &st->last_check_ms) /
			1e3);
	else
		fk_buf_printf(out, "%s{job=\"%s\"} %" PRIu64 "\n", name, st->name,
			      atomic_load(family == 0	? &st->runs
					  : family == 1 ? &st->failures
							: &st->overruns));
}

/* Job names are [a-z0-9._-] (the scheduler refuses others), so labels need no escaping. */
int fk_metrics_render_jobs(const struct fk_job_stats *stats, struct fk_buf *out)
{
	int rc = 0;

	if (!stats)
		return 0;
	for (int f = 0; f < (int)(sizeof(job_families) / sizeof(job_families[0])); f++) {
		const struct job_family *jf = &job_families[f];
		rc = fk_buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", jf->name, jf->help,
				   jf->name, jf->type);
		for (const struct fk_job_stats *st = stats; st->name; st++)
			render_job(st, f, out);
	}
	return rc;
}
