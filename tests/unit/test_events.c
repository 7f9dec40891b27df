/* Unit tests for events: the ring (checks, increasing ids, eviction), scope filtering (and
 * the overlap rule of wide events), Last-Event-ID resumes (and the resync after a gap), the
 * per-user cap and many publishers at once; the ring of a shared store (ids from the store,
 * one apart: exact resumes, resync for an id from before it, from another store or across
 * lost events, ids heard twice skipped); then a real daemon with two worker threads
 * serving 150 open streams (each gets only its scope's events, a wide event wakes the streams
 * inside its area at once, ordinary requests still answer, a resume replays, and stopping the
 * server ends every stream at once); then alerts in a store (SQLite, and PostgreSQL when
 * FK_PG_URL is set): raising, scope, acknowledging, and alerts following a moved area. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <cmocka.h>
#define FK_TEST_NAME "test_events"
#include "area_env.h"
#include "base/clock.h"
#include "events/internal.h"
#include "http/internal.h"
#include "http_client.h"

static struct fk_principal who_at(enum fk_role role, int64_t user_id, const char *path)
{
	struct fk_principal w;

	memset(&w, 0, sizeof(w));
	w.role = role;
	w.user_id = user_id;
	snprintf(w.username, sizeof(w.username), "u%lld", (long long)user_id);
	if (path)
		snprintf(w.scope_paths[w.nscopes++], sizeof(w.scope_paths[0]), "%s", path);
	return w;
}

static struct ev_sub *sub_for(const char *path, bool resume, int64_t last)
{
	static int64_t next_user = 1000;
	struct fk_principal w = who_at(FK_ROLE_GRID, next_user++, path);
	struct ev_sub *s = NULL;

	assert_int_equal(ev_sub_open(&w, resume, last, &s, NULL), 0);
	return s;
}

/* Everything the subscriber has pending, as a string in its buffer. */
static const char *drain(struct ev_sub *s)
{
	ev_sub_fill(s, (size_t)1 << 30);
	return s->out.data;
}

static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static int ring_setup(void **state)
{
	(void)state;
	ev_ring_reset();
	return 0;
}

/* ---- the ring ---- */

static void test_publish_checks(void **state)
{
	char big[FK_EVENT_PAYLOAD_MAX + 2048];

	(void)state;
	assert_int_equal(fk_events_publish("Bad Kind", "/1/", NULL), FK_EINVAL);
	assert_int_equal(fk_events_publish("", "/1/", NULL), FK_EINVAL);
	assert_int_equal(fk_events_publish("k", "1/2/", NULL), FK_EINVAL);
	assert_int_equal(fk_events_publish("k", "/1//2/", NULL), FK_EINVAL);
	assert_int_equal(fk_events_publish("k", "/1/x/", NULL), FK_EINVAL);
	assert_int_equal(fk_events_publish("k", "/", NULL), FK_EINVAL);
	assert_int_equal(fk_events_publish("k", NULL, json_object()), FK_EINVAL);
	assert_int_equal(fk_events_publish("k", "/1/", json_array()), FK_EINVAL);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(fk_events_publish("k", "/1/", json_pack("{s:s}", "x", big)), FK_ETOOBIG);
	assert_int_equal(fk_events_publish("round.opened", "/1/22/", json_pack("{s:i}", "n", 1)),
			 0);
	assert_true(ev_path_valid("/1/22/333/"));
	assert_int_equal(ev_path_area_id("/1/22/333/"), 333);
	assert_int_equal(ev_path_area_id("/"), 0);
}

static void test_ids_increase(void **state)
{
	int64_t prev = fk_events_last_id(), id;
	struct ev_sub *s = sub_for("/1/", true, 1);
	const char *out;

	(void)state;
	for (int i = 0; i < 5; i++) {
		assert_int_equal(fk_events_publish("k", "/1/2/", json_pack("{s:i}", "i", i)), 0);
		id = fk_events_last_id();
		assert_true(id > prev);
		prev = id;
	}
	out = drain(s);
	assert_int_equal(count(out, "event: k\n"), 5);
	assert_non_null(strstr(out, "\"payload\":{\"i\":4}"));
	assert_non_null(strstr(out, "\"area_id\":\"2\""));
	assert_true(strstr(out, "{\"i\":0}") < strstr(out, "{\"i\":4}"));
	ev_sub_close(s);
}

static void test_scope_filter(void **state)
{
	struct ev_sub *g2 = sub_for("/1/2/", false, 0), *g3 = sub_for("/1/3/", false, 0);
	struct ev_sub *all = sub_for("/1/", false, 0), *none = sub_for(NULL, false, 0);

	(void)state;
	fk_events_publish("k", "/1/2/7/", json_pack("{s:s}", "m", "in2"));
	fk_events_publish("k", "/1/3/", json_pack("{s:s}", "m", "in3"));
	fk_events_publish("k", "/1/", json_pack("{s:s}", "m", "top"));
	fk_events_publish("k", "/1/23/", json_pack("{s:s}", "m", "in23"));
	assert_int_equal(count(drain(g2), "event: k"), 1);
	assert_non_null(strstr(g2->out.data, "in2\""));
	assert_int_equal(count(drain(g3), "event: k"), 1);
	assert_non_null(strstr(g3->out.data, "in3"));
	assert_int_equal(count(drain(all), "event: k"), 4);
	assert_int_equal(count(drain(none), "event: k"), 0);
	/* Skipped events move the cursor too: nothing comes twice. */
	fk_buf_reset(&g2->out);
	assert_int_equal(ev_sub_fill(g2, 1 << 20), 0);
	ev_sub_close(g2);
	ev_sub_close(g3);
	ev_sub_close(all);
	ev_sub_close(none);
}

/* A wide event reaches the scopes that cover its area and those inside it; a plain one at the
 * same area only the former. */
static void test_wide_overlap(void **state)
{
	struct ev_sub *top = sub_for("/1/", false, 0), *same = sub_for("/1/2/", false, 0);
	struct ev_sub *grid = sub_for("/1/2/7/", false, 0), *sib = sub_for("/1/3/", false, 0);
	struct ev_sub *digits = sub_for("/1/23/", false, 0), *none = sub_for(NULL, false, 0);
	struct ev_sub *all[] = {top, same, grid, sib, digits, none};
	const int want_wide[] = {1, 1, 1, 0, 0, 0}, want_plain[] = {1, 1, 0, 0, 0, 0};

	(void)state;
	assert_int_equal(fk_events_publish_wide("Bad Kind", "/1/2/", NULL), FK_EINVAL);
	assert_int_equal(fk_events_publish_wide("coverage", "/1//", NULL), FK_EINVAL);
	assert_int_equal(fk_events_publish_wide("coverage", "/1/2/", json_pack("{s:s}", "r", "7")),
			 0);
	assert_int_equal(fk_events_publish("plain", "/1/2/", NULL), 0);
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		drain(all[i]);
		assert_int_equal(count(all[i]->out.data, "event: coverage\n"), want_wide[i]);
		assert_int_equal(count(all[i]->out.data, "event: plain\n"), want_plain[i]);
		ev_sub_close(all[i]);
	}
	/* A resume replays wide events by the same rule. */
	grid = sub_for("/1/2/7/9/", true, 1);
	assert_int_equal(count(drain(grid), "event: coverage\n"), 1);
	assert_non_null(strstr(grid->out.data, "\"area_path\":\"/1/2/\""));
	assert_int_equal(count(grid->out.data, "event: plain\n"), 0);
	ev_sub_close(grid);
}

static void test_resume(void **state)
{
	int64_t first, second;
	struct ev_sub *s;

	(void)state;
	fk_events_publish("k", "/1/", json_pack("{s:i}", "n", 1));
	first = fk_events_last_id();
	fk_events_publish("k", "/1/", json_pack("{s:i}", "n", 2));
	second = fk_events_last_id();
	fk_events_publish("k", "/1/", json_pack("{s:i}", "n", 3));

	s = sub_for("/1/", true, first); /* Last-Event-ID: first */
	drain(s);
	assert_null(strstr(s->out.data, "{\"n\":1}"));
	assert_non_null(strstr(s->out.data, "{\"n\":2}"));
	assert_non_null(strstr(s->out.data, "{\"n\":3}"));
	assert_null(strstr(s->out.data, "resync"));
	assert_non_null(strstr(s->out.data, "retry: "));
	ev_sub_close(s);

	s = sub_for("/1/", true, second);
	assert_int_equal(count(drain(s), "event: k"), 1);
	ev_sub_close(s);

	s = sub_for("/1/", false, 0); /* no Last-Event-ID: from now on */
	assert_int_equal(count(drain(s), "event: k"), 0);
	ev_sub_close(s);

	s = sub_for("/1/", true, 5); /* an id from before this process: some may be lost */
	drain(s);
	assert_non_null(strstr(s->out.data, "event: resync"));
	ev_sub_close(s);

	/* An id this process never issued (another server's): from now on, after a resync. */
	s = sub_for("/1/", true, fk_events_last_id() + 1000000);
	fk_events_publish("k", "/1/", json_pack("{s:i}", "n", 4));
	drain(s);
	assert_non_null(strstr(s->out.data, "event: resync"));
	assert_non_null(strstr(s->out.data, "{\"n\":4}"));
	assert_null(strstr(s->out.data, "{\"n\":3}"));
	ev_sub_close(s);
}

static void test_ring_evicts(void **state)
{
	int64_t oldest;
	struct ev_sub *s;
	char want[64];
	const char *out;

	(void)state;
	fk_events_publish("k", "/1/", json_pack("{s:i}", "n", -1));
	oldest = fk_events_last_id();
	for (int i = 0; i < FK_EVENTS_RING + 50; i++)
		assert_int_equal(fk_events_publish("k", "/1/", json_pack("{s:i}", "n", i)), 0);
	s = sub_for("/1/", true, oldest);
	out = drain(s);
	assert_non_null(strstr(out, "event: resync"));
	assert_int_equal(count(out, "event: k\n"), FK_EVENTS_RING);
	snprintf(want, sizeof(want), "{\"n\":%d}", 50);
	assert_non_null(strstr(out, want));
	assert_null(strstr(out, "{\"n\":49}"));
	ev_sub_close(s);
}

/* The events of a PostgreSQL store come back to the ring with the store's ids, one apart. */
static struct ev_event stored(int64_t id, int n)
{
	static char data[32][64];
	struct ev_event e = {.id = id, .kind = "k", .area_path = "/1/", .at = 1};

	snprintf(data[id % 32], sizeof(data[0]), "{\"n\":%d}", n);
	e.data = data[id % 32];
	return e;
}

static void test_shared_ring(void **state)
{
	struct ev_event e[3] = {stored(1001, 1), stored(1002, 2), stored(1003, 3)};
	struct ev_sub *s;
	const char *out;

	(void)state;
	ev_ring_share(1000);
	s = sub_for("/1/", true, 1000); /* the store's newest at start: nothing lost */
	ev_ring_add(e, 3);
	ev_ring_add(&e[1], 1); /* heard twice (a catch-up after a notification): once */
	assert_int_equal(fk_events_last_id(), 1003);
	out = drain(s);
	assert_null(strstr(out, "resync"));
	assert_int_equal(count(out, "event: k\n"), 3);
	assert_non_null(strstr(out, "id: 1001\nevent: k\ndata: {\"n\":1}\n\n"));
	assert_non_null(strstr(out, "id: 1003\nevent: k\ndata: {\"n\":3}\n\n"));
	ev_sub_close(s);

	s = sub_for("/1/", true, 1001); /* exactly what came after, on any server */
	out = drain(s);
	assert_null(strstr(out, "resync"));
	assert_null(strstr(out, "id: 1001\n"));
	assert_int_equal(count(out, "event: k\n"), 2);
	ev_sub_close(s);

	s = sub_for("/1/", true, 999); /* from before the ring: some may be lost */
	assert_non_null(strstr(drain(s), "event: resync\ndata: {\"reason\":\"gap\"}"));
	ev_sub_close(s);

	s = sub_for("/1/", true, 5000); /* never given by this store (one made anew) */
	out = drain(s);
	assert_non_null(strstr(out, "event: resync\ndata: {\"reason\":\"epoch\"}"));
	assert_int_equal(count(out, "event: k\n"), 0);
	ev_sub_close(s);

	/* 1004..1009 were pruned while this server was away: a resume across them is resync. */
	e[0] = stored(1010, 10);
	ev_ring_add(e, 1);
	s = sub_for("/1/", true, 1003);
	assert_non_null(strstr(drain(s), "event: resync"));
	ev_sub_close(s);
	s = sub_for("/1/", true, 1009);
	out = drain(s);
	assert_null(strstr(out, "resync"));
	assert_int_equal(count(out, "event: k\n"), 1);
	assert_non_null(strstr(out, "id: 1010\n"));
	ev_sub_close(s);
	ev_ring_unshare();
}

static void test_per_user_cap(void **state)
{
	struct fk_principal w = who_at(FK_ROLE_GRID, 77, "/1/");
	struct ev_sub *subs[EV_PER_USER_MAX], *extra = NULL;
	struct fk_err err = {0};

	(void)state;
	for (int i = 0; i < EV_PER_USER_MAX; i++)
		assert_int_equal(ev_sub_open(&w, false, 0, &subs[i], NULL), 0);
	assert_int_equal(ev_sub_open(&w, false, 0, &extra, &err), FK_ELIMIT);
	assert_string_equal(err.key, "too_many_streams");
	assert_null(extra);
	ev_sub_close(subs[0]);
	assert_int_equal(ev_sub_open(&w, false, 0, &extra, NULL), 0);
	ev_sub_close(extra);
	for (int i = 1; i < EV_PER_USER_MAX; i++)
		ev_sub_close(subs[i]);
}

#define PUBLISHERS 8
#define PER_THREAD 1000

static void *publisher(void *arg)
{
	intptr_t t = (intptr_t)arg;
	char path[32];

	snprintf(path, sizeof(path), "/1/%d/", (int)t + 1);
	for (int i = 0; i < PER_THREAD; i++)
		if (fk_events_publish("k", path, json_pack("{s:i, s:i}", "t", (int)t, "i", i)) < 0)
			return (void *)1;
	return NULL;
}

/* Ids in the stream only ever go up, and nothing is lost or doubled. */
static void check_order(const char *out, int want)
{
	long long prev = 0;
	int n = 0;

	for (const char *p = out; (p = strstr(p, "id: ")); p += 4, n++) {
		long long id = strtoll(p + 4, NULL, 10);
		assert_true(id > prev);
		prev = id;
	}
	assert_int_equal(n, want);
}

static void test_many_publishers(void **state)
{
	pthread_t th[PUBLISHERS];
	struct ev_sub *s = sub_for("/1/", false, 0), *one = sub_for("/1/3/", false, 0);
	void *ret;

	(void)state;
	for (intptr_t t = 0; t < PUBLISHERS; t++)
		assert_int_equal(pthread_create(&th[t], NULL, publisher, (void *)t), 0);
	/* A reader keeps up meanwhile, as a stream would. */
	for (int i = 0; i < 50; i++)
		ev_sub_fill(s, 1 << 16);
	for (int t = 0; t < PUBLISHERS; t++) {
		assert_int_equal(pthread_join(th[t], &ret), 0);
		assert_null(ret);
	}
	check_order(drain(s), PUBLISHERS * PER_THREAD);
	check_order(drain(one), PER_THREAD);
	assert_null(strstr(one->out.data, "\"t\":0,"));
	ev_sub_close(s);
	ev_sub_close(one);
}

/* ---- streams over a real daemon ---- */

/* Session from cookies "t=ROLE; p=PATH; u=USERID". */
static int fake_auth(struct fk_req *req, struct fk_err *err)
{
	const char *t = fk_req_cookie(req, "t"), *p = fk_req_cookie(req, "p");
	const char *u = fk_req_cookie(req, "u");
	struct fk_principal *who;
	int role = t ? fk_role_parse(t) : -1;

	if (role < 0 || !p)
		return fk_err_set(err, FK_EAUTH, "unauthenticated", NULL, "请登录", "log in");
	who = fk_arena_alloc(req->arena, sizeof(*who));
	*who = who_at((enum fk_role)role, u ? strtoll(u, NULL, 10) : 1, p);
	req->who = who;
	return 0;
}

static int h_ping(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	(void)req;
	(void)err;
	fk_resp_json(resp, 200, json_pack("{s:b}", "pong", 1));
	return 0;
}

static const struct fk_route ping_routes[] = {
    {.method = "GET",
     .path = "/api/v1/ping",
     .fn = h_ping,
     .flags = FK_RF_NO_DB,
     .summary = "ping"},
    FK_ROUTES_END,
};
static const struct fk_module ping_module = {.name = "ping", .routes = ping_routes};
static const struct fk_module *const stream_modules[] = {&fk_module_events, &ping_module, NULL};

#define CLIENTS 150

struct client {
	int fd;
	char buf[32768];
	size_t len;
	bool eof;
};

static struct client clients[CLIENTS + 1];

static void client_open(struct client *c, uint16_t port, const char *role, const char *path,
			int user, const char *extra)
{
	char req[512];

	memset(c, 0, sizeof(*c));
	c->fd = connect_to(port);
	snprintf(req, sizeof(req),
		 "GET /api/v1/events HTTP/1.1\r\nHost: t\r\nCookie: t=%s; p=%s; u=%d\r\n%s\r\n",
		 role, path, user, extra ? extra : "");
	send_all(c->fd, req, strlen(req));
	fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_NONBLOCK);
}

static void client_pump(struct client *c)
{
	ssize_t n;

	while (!c->eof && c->len < sizeof(c->buf) - 1) {
		n = read(c->fd, c->buf + c->len, sizeof(c->buf) - 1 - c->len);
		if (n > 0)
			c->len += (size_t)n;
		else if (n == 0 || (errno != EAGAIN && errno != EINTR))
			c->eof = true;
		else
			break;
	}
	c->buf[c->len] = '\0';
}

/* Waits up to ms for text to appear in c's stream. */
static bool client_wait(struct client *c, const char *text, int ms)
{
	uint64_t until = fk_mono_ns() + (uint64_t)ms * 1000000u;

	for (;;) {
		struct pollfd pfd = {.fd = c->fd, .events = POLLIN};
		client_pump(c);
		if (strstr(c->buf, text))
			return true;
		if (c->eof || fk_mono_ns() >= until)
			return false;
		poll(&pfd, 1, 20);
	}
}

static void plain_get(uint16_t port, const char *path, char *out, size_t size)
{
	char req[256];
	int fd = connect_to(port);
	size_t got = 0;
	ssize_t n;

	snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", path);
	send_all(fd, req, strlen(req));
	while (got < size - 1 && (n = read(fd, out + got, size - 1 - got)) > 0)
		got += (size_t)n;
	out[got] = '\0';
	close(fd);
}

static struct fk_server *start_server(struct fk_app *app)
{
	struct fk_server_opts o = {.listen = "127.0.0.1:0", .threads = 2, .max_conns = 1024};
	struct fk_server *srv = NULL;
	struct fk_err err = {0};

	memset(app, 0, sizeof(*app));
	app->modules = stream_modules;
	app->authenticate = fake_auth;
	if (fk_server_start(app, &o, &srv, &err) < 0)
		fail_msg("server: %s", err.en);
	return srv;
}

static void open_all(uint16_t port)
{
	for (int i = 0; i < CLIENTS; i++)
		client_open(&clients[i], port, "grid", i % 2 ? "/1/3/" : "/1/2/", i + 1, NULL);
	for (int i = 0; i < CLIENTS; i++) {
		assert_true(client_wait(&clients[i], ": connected", 5000));
		assert_non_null(strstr(clients[i].buf, "200 OK"));
		assert_non_null(strstr(clients[i].buf, "text/event-stream"));
	}
	assert_int_equal(ev_sub_count(), CLIENTS);
}

/* Event n reached the even clients (scope /1/2/) and none of the odd ones (/1/3/). */
static void expect_scoped(int n)
{
	char want[32];

	snprintf(want, sizeof(want), "{\"n\":%d}", n);
	for (int i = 0; i < CLIENTS; i += 2)
		assert_true(client_wait(&clients[i], want, 5000));
	for (int i = 1; i < CLIENTS; i += 2) {
		client_pump(&clients[i]);
		assert_null(strstr(clients[i].buf, want));
	}
}

static void test_streams(void **state)
{
	struct fk_app app;
	struct fk_server *srv = start_server(&app);
	uint16_t port = fk_server_port(srv);
	struct client *late = &clients[CLIENTS];
	char reply[4096], hdr[64];
	int64_t before;
	uint64_t t0;

	(void)state;
	open_all(port);
	/* Two worker threads, 150 open streams: ordinary requests still get through. */
	plain_get(port, "/api/v1/ping", reply, sizeof(reply));
	assert_non_null(strstr(reply, "\"pong\":true"));

	before = fk_events_last_id();
	assert_int_equal(fk_events_publish("t", "/1/2/9/", json_pack("{s:i}", "n", 1)), 0);
	expect_scoped(1);
	assert_int_equal(fk_events_publish("t", "/1/3/", json_pack("{s:i}", "n", 2)), 0);
	for (int i = 1; i < CLIENTS; i += 2)
		assert_true(client_wait(&clients[i], "{\"n\":2}", 5000));
	/* A wide event above both grids wakes every stream at once, long before a heartbeat. */
	assert_int_equal(fk_events_publish_wide("t", "/1/", json_pack("{s:i}", "n", 3)), 0);
	for (int i = 0; i < CLIENTS; i++)
		assert_true(client_wait(&clients[i], "{\"n\":3}", 2000));

	/* A reconnect with Last-Event-ID gets what it missed. */
	snprintf(hdr, sizeof(hdr), "Last-Event-ID: %lld\r\n", (long long)before);
	client_open(late, port, "grid", "/1/2/", 999, hdr);
	assert_true(client_wait(late, "{\"n\":1}", 5000));
	assert_null(strstr(late->buf, "{\"n\":2}"));

	/* A client that goes away is noticed and freed. */
	close(clients[0].fd);
	close(clients[2].fd);
	for (int i = 0; i < 100 && ev_sub_count() > CLIENTS - 1; i++) {
		fk_events_publish("t", "/1/2/", json_pack("{s:i}", "n", 100 + i));
		usleep(20000);
	}
	assert_int_equal(ev_sub_count(), CLIENTS - 1);

	/* Stopping ends every stream at once, well inside the grace period. */
	t0 = fk_mono_ns();
	fk_server_stop(srv, 10000);
	assert_true(fk_mono_ns() - t0 < 3000000000ull);
	assert_int_equal(ev_sub_count(), 0);
	for (int i = 1; i <= CLIENTS; i++) {
		if (i == 2)
			continue;
		client_wait(&clients[i], "\r\n0\r\n\r\n", 2000);
		assert_true(clients[i].eof || strstr(clients[i].buf, "\r\n0\r\n\r\n"));
		close(clients[i].fd);
	}
}

/* An error before the stream starts is an ordinary error reply. */
static void test_stream_errors(void **state)
{
	struct fk_app app;
	struct fk_server *srv = start_server(&app);
	uint16_t port = fk_server_port(srv);
	struct client c;

	(void)state;
	client_open(&c, port, "grid", "/1/", 5, "Last-Event-ID: abc\r\n");
	assert_true(client_wait(&c, "invalid_last_event_id", 5000));
	assert_non_null(strstr(c.buf, "400 Bad Request"));
	close(c.fd);
	client_open(&c, port, "lab", "/1/", 5, NULL);
	assert_true(client_wait(&c, "forbidden", 5000));
	close(c.fd);
	fk_server_stop(srv, 1000);
	assert_int_equal(ev_sub_count(), 0);
}

/* ---- alerts in a store ---- */

struct tree {
	int64_t district, grid1, grid2, building;
	char district_path[256], grid1_path[256], grid2_path[256], building_path[256];
};

static void tree_make(void **state, struct tree *t)
{
	struct fk_db *db = area_env_db(state);
	struct fk_err err = {0};

	area_env_wipe(state);
	area_must(fk_db_exec(db, "DELETE FROM alerts", &err), &err);
	t->district = area_add(db, 0, "district", "区", "D1");
	t->grid1 = area_add(db, t->district, "grid", "一网格", "G1");
	t->grid2 = area_add(db, t->district, "grid", "二网格", "G2");
	t->building = area_add(db, t->grid1, "building", "3号楼", "B1");
	area_path_of(db, t->district, t->district_path, sizeof(t->district_path));
	area_path_of(db, t->grid1, t->grid1_path, sizeof(t->grid1_path));
	area_path_of(db, t->grid2, t->grid2_path, sizeof(t->grid2_path));
	area_path_of(db, t->building, t->building_path, sizeof(t->building_path));
}

static int64_t raise_at(struct fk_db *db, const char *path, const char *title)
{
	struct fk_err err = {0};
	int64_t id = 0;

	area_must(fk_alert_raise(db, "positive_pool", path, title, "positive pool",
				 json_pack("{s:s}", "tube", "T1"), &id, &err),
		  &err);
	assert_true(id > 0);
	return id;
}

static void test_alert_raise_checks(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_err err = {0};

	assert_int_equal(fk_alert_raise(db, "Bad", "/1/", "标题", "t", NULL, NULL, &err),
			 FK_EINVAL);
	assert_string_equal(err.field, "kind");
	assert_int_equal(fk_alert_raise(db, "k", "1/", "标题", "t", NULL, NULL, &err), FK_EINVAL);
	assert_string_equal(err.field, "area_path");
	assert_int_equal(fk_alert_raise(db, "k", "/1/", "", "t", NULL, NULL, &err), FK_EINVAL);
	assert_string_equal(err.field, "title_zh");
	assert_int_equal(fk_alert_raise(db, "k", "/1/", "标题", NULL, NULL, NULL, &err), FK_EINVAL);
	assert_string_equal(err.field, "title_en");
	assert_int_equal(fk_alert_raise(db, "k", "/1/", "标题", "t", json_array(), NULL, &err),
			 FK_EINVAL);
	assert_string_equal(err.field, "payload");
}

static void test_alert_scope_and_event(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct tree t;
	struct fk_principal g1, g2, all;
	struct ev_alert_query f = {.acked = -1, .limit = 50};
	struct ev_alert_list l;
	struct ev_sub *s;
	int64_t a1, a2;
	char want[64];

	tree_make(state, &t);
	g1 = who_at(FK_ROLE_GRID, 1, t.grid1_path);
	g2 = who_at(FK_ROLE_GRID, 2, t.grid2_path);
	all = who_at(FK_ROLE_COMMANDER, 3, t.district_path);
	s = sub_for(t.grid1_path, false, 0);
	a1 = raise_at(db, t.building_path, "一号楼混管阳性");
	a2 = raise_at(db, t.grid2_path, "二网格混管阳性");

	/* The event reached grid 1's stream, carrying the alert. */
	drain(s);
	assert_int_equal(count(s->out.data, "event: alert\n"), 1);
	snprintf(want, sizeof(want), "\"id\":\"%lld\"", (long long)a1);
	assert_non_null(strstr(s->out.data, want));
	assert_non_null(strstr(s->out.data, "一号楼混管阳性"));
	assert_non_null(strstr(s->out.data, "\"area_name\":\"3号楼\""));
	ev_sub_close(s);

	area_must(ev_alert_list(db, &g1, &f, &l, NULL), NULL);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.items[0].id, a1);
	assert_string_equal(l.items[0].payload, "{\"tube\":\"T1\"}");
	ev_alert_list_release(&l);
	area_must(ev_alert_list(db, &all, &f, &l, NULL), NULL);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.items[0].id, a2); /* newest first */
	ev_alert_list_release(&l);
	f.under = t.grid2_path;
	area_must(ev_alert_list(db, &all, &f, &l, NULL), NULL);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.items[0].id, a2);
	ev_alert_list_release(&l);
	f.under = NULL;
	f.kind = "notice";
	area_must(ev_alert_list(db, &g2, &f, &l, NULL), NULL);
	assert_int_equal(l.n, 0);
	ev_alert_list_release(&l);
}

/* An alert raised inside a transaction is heard when it commits, never when it rolls back. */
static void test_alert_after_commit(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_err err = {0};
	struct tree t;
	struct ev_sub *s;

	tree_make(state, &t);
	s = sub_for(t.grid1_path, false, 0);
	area_must(fk_db_begin(db, true, &err), &err);
	raise_at(db, t.building_path, "回滚的告警");
	assert_int_equal(count(drain(s), "event: alert\n"), 0);
	fk_db_rollback(db);
	assert_int_equal(count(drain(s), "event: alert\n"), 0);

	area_must(fk_db_begin(db, true, &err), &err);
	raise_at(db, t.building_path, "提交的告警");
	assert_int_equal(fk_events_publish_after(db, "Bad", "/1/", NULL), FK_EINVAL);
	assert_int_equal(count(drain(s), "event: alert\n"), 0);
	area_must(fk_db_commit(db, &err), &err);
	drain(s);
	assert_int_equal(count(s->out.data, "event: alert\n"), 1);
	assert_non_null(strstr(s->out.data, "提交的告警"));
	assert_null(strstr(s->out.data, "回滚的告警"));
	ev_sub_close(s);
}

/* events.prune on PostgreSQL keeps a day of stored events, at most the newest EV_KEEP_ROWS;
 * on SQLite, where nothing is stored, it touches nothing. */
static void test_prune(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_err err = {0};
	int64_t now = fk_now_ms(), left = 0, kept = 0;
	const int64_t ids[4] = {1, 5, 6, EV_KEEP_ROWS + 2};
	const int64_t ats[4] = {now, now - EV_KEEP_MS - 1, now, now};

	area_must(
	    fk_db_write(db, &err, "UPDATE event_counter SET base = 0, last_id = ?", "i", ids[3]),
	    &err);
	for (int i = 0; i < 4; i++)
		area_must(fk_db_write(db, &err,
				      "INSERT INTO events (id, kind, area_path, wide, body, at) "
				      "VALUES (?, 'k', '/1/', 0, '{}', ?)",
				      "ii", ids[i], ats[i]),
			  &err);
	area_must(ev_prune(NULL, db, &err), &err);
	area_must(fk_db_one_i64(db, &err, &left, "SELECT COUNT(*) FROM events", ""), &err);
	area_must(fk_db_one_i64(db, &err, &kept, "SELECT SUM(id) FROM events", ""), &err);
	if (fk_db_kind(db) == FK_DB_SQLITE) {
		assert_int_equal(left, 4);
	} else { /* 1: past the newest 100,000; 5: older than a day */
		assert_int_equal(left, 2);
		assert_int_equal(kept, 6 + EV_KEEP_ROWS + 2);
	}
	area_must(fk_db_write(db, &err, "DELETE FROM events", ""), &err);
	area_must(fk_db_write(db, &err, "UPDATE event_counter SET base = 0, last_id = 0", ""),
		  &err);
}

static void test_alert_ack(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct tree t;
	struct fk_principal g1;
	struct ev_alert_query f = {.acked = 0, .limit = 50};
	struct ev_alert_list l;
	struct ev_alert a;
	bool changed = false;
	int64_t id, first_at;

	tree_make(state, &t);
	g1 = who_at(FK_ROLE_GRID, 1, t.grid1_path);
	id = raise_at(db, t.grid1_path, "通知");
	area_must(ev_alert_ack(db, id, 42, &changed, NULL), NULL);
	assert_true(changed);
	area_must(ev_alert_get(db, id, &a, NULL), NULL);
	assert_int_equal(a.acked_by, 42);
	first_at = a.acked_at;
	assert_true(first_at > 0);
	ev_alert_release(&a);
	area_must(ev_alert_ack(db, id, 43, &changed, NULL), NULL);
	assert_false(changed);
	area_must(ev_alert_get(db, id, &a, NULL), NULL);
	assert_int_equal(a.acked_by, 42);
	assert_int_equal(a.acked_at, first_at);
	ev_alert_release(&a);

	area_must(ev_alert_list(db, &g1, &f, &l, NULL), NULL);
	assert_int_equal(l.n, 0);
	ev_alert_list_release(&l);
	f.acked = 1;
	area_must(ev_alert_list(db, &g1, &f, &l, NULL), NULL);
	assert_int_equal(l.n, 1);
	ev_alert_list_release(&l);
	assert_int_equal(ev_alert_get(db, id + 1, &a, NULL), FK_ENOTFOUND);
}

static void test_alert_follows_move(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct tree t;
	struct fk_principal g2;
	struct ev_alert_query f = {.acked = -1, .limit = 50};
	struct ev_alert_list l;
	struct fk_err err = {0};
	char moved_path[256];
	int64_t id;

	tree_make(state, &t);
	g2 = who_at(FK_ROLE_GRID, 2, t.grid2_path);
	id = raise_at(db, t.building_path, "楼内告警");
	area_must(fk_area_move(db, t.building, t.grid2, 0, NULL, &err), &err);
	area_path_of(db, t.building, moved_path, sizeof(moved_path));
	area_must(ev_alert_list(db, &g2, &f, &l, NULL), NULL);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.items[0].id, id);
	assert_string_equal(l.items[0].area_path, moved_path);
	ev_alert_list_release(&l);
}

int main(void)
{
	const struct CMUnitTest ring[] = {
	    cmocka_unit_test_setup(test_publish_checks, ring_setup),
	    cmocka_unit_test_setup(test_ids_increase, ring_setup),
	    cmocka_unit_test_setup(test_scope_filter, ring_setup),
	    cmocka_unit_test_setup(test_wide_overlap, ring_setup),
	    cmocka_unit_test_setup(test_resume, ring_setup),
	    cmocka_unit_test_setup(test_ring_evicts, ring_setup),
	    cmocka_unit_test_setup(test_shared_ring, ring_setup),
	    cmocka_unit_test_setup(test_per_user_cap, ring_setup),
	    cmocka_unit_test_setup(test_many_publishers, ring_setup),
	    cmocka_unit_test_setup(test_streams, ring_setup),
	    cmocka_unit_test_setup(test_stream_errors, ring_setup),
	};
	const struct CMUnitTest alerts[] = {
	    cmocka_unit_test(test_alert_raise_checks), cmocka_unit_test(test_alert_scope_and_event),
	    cmocka_unit_test(test_alert_after_commit), cmocka_unit_test(test_prune),
	    cmocka_unit_test(test_alert_ack),	       cmocka_unit_test(test_alert_follows_move),
	};
	int failed = cmocka_run_group_tests_name("events ring and streams", ring, NULL, NULL);

	failed += area_env_run("events alerts", alerts, sizeof(alerts) / sizeof(alerts[0]));
	return failed ? 1 : 0;
}
