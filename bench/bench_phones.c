/* bench_phones: one server holding 10,000 phones at once. Builds a fresh demo store, starts
 * `fangkong serve` (the binary beside this program) with --max-conns set to --phones (10,000,
 * its default), and opens as many keep-alive connections to it, 250 from each loopback
 * address (under the per-address cap of 256: a crowd comes from many addresses). Each phone is
 * a registrar's: now and then it opens a tube and scans residents' sampling codes into it, ten
 * a tube, each a keyed write; together the phones send --rate requests a second for --seconds,
 * each from a random idle phone, all driven by one epoll loop so that the client costs little.
 * Beside them, one connection past the server's limit asks GET /healthz every 10 ms (answered
 * from the reserve): the bare stack of the same run. After the run, --over more connections
 * past the limit ask for a page each: every one must be answered 503 server_busy in the JSON
 * error shape (never a reset or a hang).
 *
 * Prints the phones held, the scans acknowledged with latency percentiles (goal: p99 under
 * 100 ms), the /healthz round trips beside them, the refusals past the limit and the server's
 * RSS and threads with every phone connected.
 *
 *   bench_phones [--phones N] [--rate N] [--seconds N] [--residents N] [--over N] */
#include <fcntl.h>
#include <poll.h>
#include <sys/epoll.h>
#include "base/id.h"
#include "bench_round.h"
#include "cmd/demo.h"

#define PER_ADDR      250 /* phones from one client address */
#define PHONE_BUF     4096
#define HEALTHZ_EVERY 10000000ull /* ns */

struct phone {
	int fd;
	bool busy, scan; /* a request is out; it is a scan (not a tube opening) */
	int in_tube;	 /* scans in the open tube; POOL when a new one is due */
	long long tubes;
	char tube[40];
	uint64_t sent_ns;
	size_t len;
	char buf[PHONE_BUF];
	char error[160]; /* the body of the last reply that was not 2xx */
};

struct run {
	const char *round_id, *site_id, *cookie, *csrf;
	const struct person *people;
	long long npeople, next_code;
	uint64_t *scan_ns, *health_ns;
	long long scans, healths, tubes_opened, bad;
	size_t scan_cap, health_cap;
};

/* ---- connections ---- */

/* A connection to port from 127.0.1.(1 + addr), made non-blocking once connected. */
static int phone_connect(int port, int addr)
{
	struct sockaddr_in src = {.sin_family = AF_INET}, dst = {.sin_family = AF_INET};
	int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);

	src.sin_addr.s_addr = htonl(0x7f000101u + (uint32_t)addr);
	dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	dst.sin_port = htons((uint16_t)port);
	if (fd < 0 || bind(fd, (struct sockaddr *)&src, sizeof(src)) < 0 ||
	    connect(fd, (struct sockaddr *)&dst, sizeof(dst)) < 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	return fd;
}

/* Sends one request on a non-blocking socket (small: the socket's buffer takes it whole). */
static int phone_send(struct phone *p, const struct run *r, const char *method, const char *path,
		      const char *body)
{
	char req[1024];
	int n = http_request_text(req, sizeof(req), method, path, r->cookie, r->csrf, body);

	if (n <= 0 || (size_t)n >= sizeof(req) || send(p->fd, req, (size_t)n, MSG_NOSIGNAL) != n)
		return -1;
	p->busy = true;
	p->sent_ns = fk_mono_ns();
	return 0;
}

/* Reads what has come; returns the status once a whole reply is in (its bytes consumed),
 * 0 while it is not, -1 when the connection broke. */
static int phone_read(struct phone *p)
{
	bool closed = false;

	for (;;) {
		ssize_t n = recv(p->fd, p->buf + p->len, sizeof(p->buf) - 1 - p->len, 0);
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK))
			closed = true;
		if (n <= 0)
			break;
		p->len += (size_t)n;
		if (p->len >= sizeof(p->buf) - 1)
			return -1;
	}
	p->buf[p->len] = '\0';
	char *end = strstr(p->buf, "\r\n\r\n");
	const char *cl = end ? strcasestr(p->buf, "\r\ncontent-length:") : NULL;
	size_t whole = end ? (size_t)(end - p->buf) + 4 + (cl ? strtoul(cl + 17, NULL, 10) : 0) : 0;
	if (!end || p->len < whole)
		return closed ? -1 : 0;
	int status = (int)strtol(p->buf + 9, NULL, 10);
	if (status >= 300)
		snprintf(p->error, sizeof(p->error), "%.*s",
			 (int)(whole - (size_t)(end + 4 - p->buf)), end + 4);
	memmove(p->buf, p->buf + whole, p->len - whole);
	p->len -= whole;
	return status;
}

/* ---- what a phone does next ---- */

static int phone_next(struct phone *p, int index, struct run *r)
{
	char path[96], body[200];

	if (p->in_tube >= POOL) {
		snprintf(p->tube, sizeof(p->tube), "PH%05d-%06lld", index, p->tubes++);
		snprintf(path, sizeof(path), "/api/v1/rounds/%s/tubes", r->round_id);
		snprintf(body, sizeof(body),
			 "{\"code\":\"%s\",\"site_id\":\"%s\",\"client_key\":\"ph-t-%s\"}", p->tube,
			 r->site_id, p->tube);
		p->scan = false;
		return phone_send(p, r, "POST", path, body);
	}
	if (r->next_code >= r->npeople)
		return 0; /* every resident scanned: the phone stays idle */
	snprintf(path, sizeof(path), "/api/v1/tubes/%s/scans", p->tube);
	snprintf(body, sizeof(body),
		 "{\"person_code\":\"%s\",\"client_key\":\"phone-scan-%08lld\"}",
		 r->people[r->next_code].code, r->next_code);
	r->next_code++;
	p->scan = true;
	return phone_send(p, r, "POST", path, body);
}

static void phone_done(struct phone *p, int status, struct run *r)
{
	uint64_t ns = fk_mono_ns() - p->sent_ns;

	p->busy = false;
	if (status != 201) {
		if (r->bad++ < 3)
			fprintf(stderr, "bench: %s: %d %s\n", p->scan ? "scan" : "tube", status,
				p->error);
		p->in_tube = POOL;
		return;
	}
	if (!p->scan) {
		p->in_tube = 0;
		r->tubes_opened++;
		return;
	}
	p->in_tube++;
	if ((size_t)r->scans < r->scan_cap)
		r->scan_ns[r->scans++] = ns;
}

/* ---- the loop ---- */

static void health_tick(struct phone *h, struct run *r, uint64_t now)
{
	if (!h->busy && now - h->sent_ns >= HEALTHZ_EVERY &&
	    phone_send(h, r, "GET", "/healthz", NULL) < 0)
		bench_die("GET /healthz past the limit: send failed", NULL);
}

static void health_done(struct phone *h, int status, struct run *r)
{
	if (status != 200)
		bench_die("GET /healthz past the limit was not answered 200", NULL);
	h->busy = false;
	if ((size_t)r->healths < r->health_cap)
		r->health_ns[r->healths++] = fk_mono_ns() - h->sent_ns;
	h->sent_ns = fk_mono_ns(); /* the next one 10 ms from now */
}

/* Sends the requests due by now at rate a second: a random idle phone each. */
static void send_due(struct phone *ph, int n, struct run *r, double rate, uint64_t t0,
		     long long *sent)
{
	long long due = (long long)((double)(fk_mono_ns() - t0) / 1e9 * rate);

	while (*sent < due) {
		int i = (int)(fk_id_next() % (uint64_t)n), k = 0;
		while (ph[i].busy && k++ < n)
			i = (i + 1) % n;
		if (k > n)
			return; /* every phone is waiting for its reply */
		if (phone_next(&ph[i], i, r) < 0)
			bench_die("a phone's request: send failed", NULL);
		(*sent)++;
	}
}

static void drive(struct phone *ph, int n, struct phone *health, struct run *r, double rate,
		  double seconds)
{
	struct epoll_event ev, evs[256];
	int ep = epoll_create1(0);
	long long sent = 0;
	uint64_t t0 = fk_mono_ns(), until = t0 + (uint64_t)(seconds * 1e9);

	for (int i = 0; i <= n; i++) {
		struct phone *p = i < n ? &ph[i] : health;
		ev = (struct epoll_event){.events = EPOLLIN, .data.u32 = (uint32_t)i};
		if (epoll_ctl(ep, EPOLL_CTL_ADD, p->fd, &ev) < 0)
			bench_die("epoll_ctl", NULL);
	}
	for (uint64_t now = t0; now < until; now = fk_mono_ns()) {
		send_due(ph, n, r, rate, t0, &sent);
		health_tick(health, r, now);
		int k = epoll_wait(ep, evs, 256, 1);
		for (int e = 0; e < k; e++) {
			int i = (int)evs[e].data.u32;
			struct phone *p = i < n ? &ph[i] : health;
			int status = phone_read(p);
			if (status < 0)
				bench_die(i < n ? "a phone's connection broke"
						: "the /healthz connection broke",
					  NULL);
			if (status > 0 && i < n)
				phone_done(p, status, r);
			else if (status > 0)
				health_done(p, status, r);
		}
	}
	close(ep);
}

/* ---- past the limit ---- */

/* over connections past the limit, each asking for a page: how many got 503 server_busy in
 * the JSON error shape. */
static int refusals(int port, int over, const struct run *r)
{
	int ok = 0;

	for (int i = 0; i < over; i++) {
		struct conn c = {.fd = phone_connect(port, 100 + i)};
		struct reply rep;
		if (c.fd < 0)
			continue;
		fcntl(c.fd, F_SETFL, fcntl(c.fd, F_GETFL) & ~O_NONBLOCK);
		snprintf(c.cookie, sizeof(c.cookie), "%s", r->cookie);
		snprintf(c.csrf, sizeof(c.csrf), "%s", r->csrf);
		if (http(&c, "GET", "/api/v1/auth/me", NULL, &rep) == 0) {
			ok += rep.status == 503 && strstr(rep.body, "\"server_busy\"") != NULL;
			free(rep.body);
		}
		close(c.fd);
	}
	return ok;
}

/* VmRSS and Threads of pid, from /proc. */
static void proc_mem(pid_t pid, long *rss_kb, long *threads)
{
	char path[64], line[256];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	*rss_kb = *threads = 0;
	if (!(f = fopen(path, "r")))
		return;
	while (fgets(line, sizeof(line), f)) {
		sscanf(line, "VmRSS: %ld", rss_kb);
		sscanf(line, "Threads: %ld", threads);
	}
	fclose(f);
}

/* ---- the run ---- */

/* A phone's reply, waited for. */
static int phone_wait(struct phone *p)
{
	struct pollfd pfd = {.fd = p->fd, .events = POLLIN};
	int status = 0;

	while (status == 0 && poll(&pfd, 1, 10000) == 1)
		status = phone_read(p);
	return status;
}

/* The phones, each connected and asking who it is (as the app does when it opens): the head
 * of a connection's first request must come within --header-timeout, then the connection
 * stays open for --timeout between requests. */
static struct phone *open_phones(int port, int n, const struct run *r)
{
	struct phone *ph = fk_xcalloc((size_t)n, sizeof(*ph));

	for (int i = 0; i < n; i++) {
		ph[i].fd = phone_connect(port, i / PER_ADDR);
		ph[i].in_tube = POOL;
		if (ph[i].fd < 0 || phone_send(&ph[i], r, "GET", "/api/v1/auth/me", NULL) < 0 ||
		    phone_wait(&ph[i]) != 200)
			bench_die("a phone connecting", NULL);
		ph[i].busy = false;
	}
	return ph;
}

/* Waits for every reply still out, so that the figures count whole requests. */
static void drain(struct phone *ph, int n, struct run *r)
{
	for (int i = 0; i < n; i++) {
		if (ph[i].busy) {
			int status = phone_wait(&ph[i]);
			if (status <= 0)
				bench_die("a phone's last reply", NULL);
			phone_done(&ph[i], status, r);
		}
	}
}

static void report(const struct run *r, int phones, double rate, double seconds, long rss_kb,
		   long threads)
{
	struct bench_pct s = bench_percentiles(r->scan_ns, (size_t)r->scans);
	struct bench_pct h = bench_percentiles(r->health_ns, (size_t)r->healths);

	printf("%d phones held open on one server (%d client addresses); server RSS %.1f MB, "
	       "%ld threads\n",
	       phones, (phones + PER_ADDR - 1) / PER_ADDR, (double)rss_kb / 1024, threads);
	printf("  %.0f requests/s for %.0f s: %lld scans acknowledged, %lld tubes opened, %lld "
	       "refused\n",
	       rate, seconds, r->scans, r->tubes_opened, r->bad);
	printf("  scan acknowledged: ms p50 %.3f p90 %.3f p99 %.3f max %.3f (goal: p99 under "
	       "100 ms)\n",
	       s.p50, s.p90, s.p99, s.max);
	printf(
	    "  bare, beside them: GET /healthz past the limit every 10 ms: %lld, ms p50 %.3f p99 "
	    "%.3f; ratio of the scans' p99 to it %.1f\n",
	    r->healths, h.p50, h.p99, h.p99 > 0 ? s.p99 / h.p99 : 0);
}

int main(int argc, char **argv)
{
	int phones = (int)bench_arg(argc, argv, "--phones", 10000);
	double rate = (double)bench_arg(argc, argv, "--rate", 500);
	double seconds = (double)bench_arg(argc, argv, "--seconds", 20);
	long long residents = bench_arg(argc, argv, "--residents", 0);
	int over = (int)bench_arg(argc, argv, "--over", 20);
	long long want = (long long)(rate * seconds) + 1000;
	struct fk_demo_opts o = {.seed = 1, .password = BENCH_PASSWORD};
	char path[128], bin[PATH_MAX + 16];
	struct fk_err err = {0};
	struct setup s = {.run = 1};
	int port, status;
	long rss_kb, threads;

	if (phones < 16 || phones > 10000 || rate < 1)
		bench_die("--phones 16..10000, --rate >= 1", NULL);
	o.residents = residents > want ? residents : want;
	binary_beside(bin, sizeof(bin));
	snprintf(path, sizeof(path), "/tmp/fk-bench-phones-%d.db", (int)getpid());
	remove_db(path);
	struct fk_db *db = bench_open_store(path);
	if (fk_demo_build(db, &o, NULL, &err) < 0)
		bench_die("demo", &err);
	struct person *people = load_people(db, o.residents);
	fk_db_close(db);
	char limit[16];
	snprintf(limit, sizeof(limit), "%d", phones); /* the phones fill the server to its limit */
	setenv("FANGKONG_MAX_CONNS", limit, 1);
	pid_t pid = serve(bin, path, 0, &port);
	set_up(port, &s);
	usleep(200000); /* the server sees set_up's connections closed before the phones come */
	struct run r = {.round_id = s.round_id,
			.site_id = s.site_id,
			.cookie = s.reg.cookie,
			.csrf = s.reg.csrf,
			.people = people,
			.npeople = o.residents,
			.scan_cap = (size_t)want,
			.health_cap = (size_t)(seconds * 1e9 / HEALTHZ_EVERY) + 10};
	r.scan_ns = fk_xcalloc(r.scan_cap, sizeof(uint64_t));
	r.health_ns = fk_xcalloc(r.health_cap, sizeof(uint64_t));
	uint64_t t0 = fk_mono_ns();
	struct phone *ph = open_phones(port, phones, &r);
	printf("%d phones connected in %.1f s\n", phones, bench_secs(t0));
	struct phone health = {.fd = phone_connect(port, 99)};
	if (health.fd < 0)
		bench_die("connect past the limit", NULL);
	drive(ph, phones, &health, &r, rate, seconds);
	drain(ph, phones, &r);
	proc_mem(pid, &rss_kb, &threads);
	int refused = refusals(port, over, &r);
	report(&r, phones, rate, seconds, rss_kb, threads);
	printf("  %d of %d connections past the limit answered 503 server_busy (JSON)\n", refused,
	       over);
	for (int i = 0; i < phones; i++)
		close(ph[i].fd);
	close(health.fd);
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	remove_db(path);
	free(ph);
	free(people);
	free(r.scan_ns);
	free(r.health_ns);
	return r.bad > 0 || refused < over || !WIFEXITED(status) || WEXITSTATUS(status) != 0;
}
