/* bench_sse: live event delivery to many open streams. Takes a private copy of a small demo
 * store (demo_store.h), adds commander accounts over the district (a user may hold
 * EV_PER_USER_MAX streams), starts `fangkong serve` on it and opens N streams (GET
 * /api/v1/events, default 1,000) spread over them; then the admin posts district notices
 * (POST /api/v1/alerts) at a steady rate, and reader threads watching every stream with epoll
 * time each notice from just before its POST is sent to its arrival on each stream. Every
 * stream must get every notice, once; one missing makes the run fail.
 *
 * Prints delivery latency p50/p90/p99/max over all (stream, notice) pairs (also counted from
 * the POST's reply, which leaves out the write itself: the alert, its audit row, the commit),
 * beside the bare
 * stack of the same run: GET /healthz round trips on one connection while the streams are
 * open. Issue 20's goal: delivery p99 under 200 ms with 1,000 streams.
 *
 *   bench_sse [--clients N] [--events N] [--rate N per second] [--threads N] */
#include <pthread.h>
#include <sys/epoll.h>
#include <sodium.h>
#include "area/area.h"
#include "bench_http.h"
#include "demo_store.h"
#include "events/internal.h"
#include "users/users.h"

#define RESIDENTS 4000
#define READERS	  4
#define MARK	  "\"title_en\":\"sse-bench-"

struct stream {
	int fd;
	char carry[8192]; /* an event cut by a read, kept for the next */
	size_t len;
	uint8_t *got; /* per notice: heard already */
};

static struct {
	struct stream *s;
	int n, events;
	uint64_t *sent_ns;  /* per notice, 0 until posted */
	uint64_t *reply_ns; /* per notice, when its POST answered (0 before) */
	uint64_t *lat;	    /* one per (stream, notice) heard: from the POST sent */
	uint64_t *after;    /* the same, from the POST's reply (0 when heard before it) */
	size_t nlat;
	long dup, unknown;
	pthread_mutex_t mu;
	_Atomic bool done;
} b = {.mu = PTHREAD_MUTEX_INITIALIZER};

static pid_t server; /* killed at exit should the run end early */

static void kill_server(void)
{
	if (server > 0)
		kill(server, SIGKILL);
}

/* ---- setup ---- */

/* Returns the district's id. */
static int64_t add_users(const char *path, int nusers)
{
	struct fk_db *db = bench_open_store(path);
	struct fk_err err = {0};
	struct fk_area a;

	if (sodium_init() < 0 || fk_area_get_by_code(db, "370212", &a, &err) < 0)
		bench_die("the demo district", &err);
	for (int i = 0; i < nusers; i++) {
		struct fk_user u = {.role = FK_ROLE_COMMANDER, .nscopes = 1, .scope_ids = {a.id}};
		snprintf(u.username, sizeof(u.username), "ssebench%03d", i);
		snprintf(u.display_name, sizeof(u.display_name), "SSE %d", i);
		if (fk_user_add(db, &u, BENCH_PASSWORD, NULL, &err) < 0)
			bench_die("add a user", &err);
	}
	fk_area_release(&a);
	fk_db_close(db);
	return a.id;
}

/* Opens a stream with c's session; leaves the socket after the reply's headers. */
static void stream_open(struct stream *s, const struct conn *c, int port)
{
	struct conn tmp;
	char req[512], head[2048];
	size_t n = 0;

	if (conn_open(&tmp, port) < 0)
		bench_die("connect a stream", NULL);
	/* HTTP/1.0: the stream comes unchunked, its bytes as the server formats them. */
	snprintf(req, sizeof(req),
		 "GET /api/v1/events HTTP/1.0\r\nHost: 127.0.0.1\r\nCookie: %s\r\n"
		 "Accept: text/event-stream\r\n\r\n",
		 c->cookie);
	if (send_all(tmp.fd, req, strlen(req)) < 0)
		bench_die("open a stream", NULL);
	while (n < 4 || memcmp(head + n - 4, "\r\n\r\n", 4) != 0) {
		ssize_t r = recv(tmp.fd, head + n, 1, 0); /* byte by byte: the headers only */
		if (r <= 0 || n + 2 >= sizeof(head))
			bench_die("read a stream's headers", NULL);
		head[++n] = '\0';
	}
	if (strncmp(head + 9, "200", 3) != 0) {
		fprintf(stderr, "bench: GET /api/v1/events: %.80s\n", head);
		exit(1);
	}
	s->fd = tmp.fd;
	s->got = fk_xcalloc((size_t)b.events, 1);
}

/* ---- reading ---- */

/* One complete event block: a notice's number, timed against its POST. */
static void heard(struct stream *s, const char *block, uint64_t now)
{
	const char *m = strstr(block, MARK);
	long k;

	if (!m)
		return;
	k = strtol(m + strlen(MARK), NULL, 10);
	pthread_mutex_lock(&b.mu);
	if (k < 0 || k >= b.events || !b.sent_ns[k])
		b.unknown++;
	else if (s->got[k])
		b.dup++;
	else {
		s->got[k] = 1;
		b.after[b.nlat] = b.reply_ns[k] && now > b.reply_ns[k] ? now - b.reply_ns[k] : 0;
		b.lat[b.nlat++] = now - b.sent_ns[k];
	}
	pthread_mutex_unlock(&b.mu);
}

static void drain(struct stream *s)
{
	uint64_t now;
	ssize_t r;
	char *cut;

	while ((r = recv(s->fd, s->carry + s->len, sizeof(s->carry) - 1 - s->len, MSG_DONTWAIT)) >
	       0) {
		now = fk_mono_ns();
		s->len += (size_t)r;
		s->carry[s->len] = '\0';
		while ((cut = strstr(s->carry, "\n\n"))) {
			*cut = '\0';
			heard(s, s->carry, now);
			s->len -= (size_t)(cut + 2 - s->carry);
			memmove(s->carry, cut + 2, s->len + 1);
		}
		if (s->len == sizeof(s->carry) - 1)
			s->len = 0; /* a block longer than any event: not ours */
	}
}

static void *reader(void *arg)
{
	int ep = epoll_create1(0), first = (int)(intptr_t)arg;
	struct epoll_event evs[64];

	for (int i = first; i < b.n; i += READERS) {
		struct epoll_event e = {.events = EPOLLIN, .data.ptr = &b.s[i]};
		epoll_ctl(ep, EPOLL_CTL_ADD, b.s[i].fd, &e);
	}
	while (!b.done) {
		int n = epoll_wait(ep, evs, 64, 100);
		for (int i = 0; i < n; i++)
			drain(evs[i].data.ptr);
	}
	close(ep);
	return NULL;
}

/* ---- publishing and the bare stack ---- */

static void publish(struct conn *admin, int64_t district, int events, int rate)
{
	uint64_t t0 = fk_mono_ns(), gap = 1000000000ull / (uint64_t)rate;
	char body[256];
	struct reply r;

	for (int k = 0; k < events; k++) {
		while (fk_mono_ns() < t0 + gap * (uint64_t)k)
			usleep(200);
		snprintf(body, sizeof(body),
			 "{\"kind\":\"notice\",\"area_id\":\"%lld\",\"title_zh\":\"压测%d\","
			 "\"title_en\":\"sse-bench-%d\"}",
			 (long long)district, k, k);
		pthread_mutex_lock(&b.mu);
		b.sent_ns[k] = fk_mono_ns();
		pthread_mutex_unlock(&b.mu);
		if (http(admin, "POST", "/api/v1/alerts", body, &r) < 0 || r.status != 201)
			bench_die("POST /api/v1/alerts", NULL);
		pthread_mutex_lock(&b.mu);
		b.reply_ns[k] = fk_mono_ns();
		pthread_mutex_unlock(&b.mu);
		free(r.body);
	}
}

static struct bench_pct healthz(struct conn *c, int n)
{
	uint64_t *ns = fk_xcalloc((size_t)n, sizeof(*ns));
	struct bench_pct p;
	struct reply r;

	for (int i = 0; i < n; i++) {
		uint64_t t = fk_mono_ns();
		if (http(c, "GET", "/healthz", NULL, &r) < 0 || r.status != 200)
			bench_die("GET /healthz", NULL);
		ns[i] = fk_mono_ns() - t;
		free(r.body);
	}
	p = bench_percentiles(ns, (size_t)n);
	free(ns);
	return p;
}

/* Waits up to 10 s after the last notice for every stream to have it. */
static void settle(void)
{
	uint64_t until = fk_mono_ns() + 10000000000ull;

	while (fk_mono_ns() < until) {
		pthread_mutex_lock(&b.mu);
		bool all = b.nlat == (size_t)b.n * (size_t)b.events;
		pthread_mutex_unlock(&b.mu);
		if (all)
			return;
		usleep(10000);
	}
}

static int run(const char *bin, const char *path, int64_t district, int nclients, int events,
	       int rate, long long threads)
{
	int port, nusers = (nclients + EV_PER_USER_MAX - 1) / EV_PER_USER_MAX, status;
	struct conn admin, probe, user;
	pthread_t th[READERS];
	uint64_t t0 = fk_mono_ns();

	/* Every stream comes from 127.0.0.1: no cap per address, none on logins. */
	setenv("FANGKONG_LOGIN_RATE", "1000000", 1);
	setenv("FANGKONG_MAX_CONNS_PER_IP", "0", 1);
	pid_t pid = serve(bin, path, threads, &port);
	server = pid;
	atexit(kill_server);
	b.s = fk_xcalloc((size_t)nclients, sizeof(*b.s));
	for (int u = 0; u < nusers; u++) {
		char name[32];
		snprintf(name, sizeof(name), "ssebench%03d", u);
		login(&user, port, name);
		for (int i = u * EV_PER_USER_MAX; i < nclients && i < (u + 1) * EV_PER_USER_MAX;
		     i++)
			stream_open(&b.s[b.n++], &user, port);
		close(user.fd);
	}
	printf("%d streams open (%d users): %.1f s\n", b.n, nusers, bench_secs(t0));
	for (int i = 0; i < READERS; i++)
		pthread_create(&th[i], NULL, reader, (void *)(intptr_t)i);
	/* After the streams: an idle keep-alive connection would have timed out meanwhile. */
	login(&admin, port, "admin");
	login(&probe, port, "admin");
	struct bench_pct bare = healthz(&probe, 2000);
	t0 = fk_mono_ns();
	publish(&admin, district, events, rate);
	settle();
	double secs = bench_secs(t0);
	b.done = true;
	for (int i = 0; i < READERS; i++)
		pthread_join(th[i], NULL);
	struct bench_pct d = bench_percentiles(b.lat, b.nlat);
	struct bench_pct a = bench_percentiles(b.after, b.nlat);
	size_t want = (size_t)b.n * (size_t)events;
	printf("%d notices at %d/s to %d streams: %zu of %zu deliveries in %.1f s\n", events, rate,
	       b.n, b.nlat, want, secs);
	printf("delivery ms: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f   (goal: p99 < 200)\n", d.p50,
	       d.p90, d.p99, d.max);
	printf("  from the POST's reply: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f\n", a.p50, a.p90,
	       a.p99, a.max);
	printf("bare GET /healthz ms: p50 %.3f  p99 %.3f   delivery p99 / bare p99: %.0fx\n",
	       bare.p50, bare.p99, bare.p99 > 0 ? d.p99 / bare.p99 : 0);
	printf("duplicates %ld, unknown %ld\n", b.dup, b.unknown);
	for (int i = 0; i < b.n; i++) {
		close(b.s[i].fd);
		free(b.s[i].got);
	}
	close(admin.fd);
	close(probe.fd);
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	server = 0;
	return b.nlat != want || b.dup || !WIFEXITED(status) || WEXITSTATUS(status) != 0;
}

int main(int argc, char **argv)
{
	long long nclients = bench_arg(argc, argv, "--clients", 1000);
	long long events = bench_arg(argc, argv, "--events", 200);
	long long rate = bench_arg(argc, argv, "--rate", 20);
	long long threads = bench_arg(argc, argv, "--threads", 0);
	char shared[128], path[128], bin[PATH_MAX + 16];
	int failed;

	if (nclients < 1 || nclients > 1000 || events < 1 || rate < 1 || rate > 10000)
		bench_die("--clients 1..1000, --events >= 1, --rate 1..10000", NULL);
	binary_beside(bin, sizeof(bin));
	bench_store_ensure(RESIDENTS, shared, sizeof(shared));
	snprintf(path, sizeof(path), "/tmp/fk-bench-sse-%d.db", (int)getpid());
	bench_store_copy(shared, path);
	int64_t district =
	    add_users(path, (int)((nclients + EV_PER_USER_MAX - 1) / EV_PER_USER_MAX));
	b.events = (int)events;
	b.sent_ns = fk_xcalloc((size_t)events, sizeof(*b.sent_ns));
	b.reply_ns = fk_xcalloc((size_t)events, sizeof(*b.reply_ns));
	b.lat = fk_xcalloc((size_t)(nclients * events), sizeof(*b.lat));
	b.after = fk_xcalloc((size_t)(nclients * events), sizeof(*b.after));
	failed = run(bin, path, district, (int)nclients, (int)events, (int)rate, threads);
	remove_db(path);
	free(b.sent_ns);
	free(b.reply_ns);
	free(b.lat);
	free(b.after);
	free(b.s);
	return failed;
}
