/* bench_http: what the benchmarks that drive `fangkong serve` share — a minimal HTTP/1.1
 * client over one keep-alive socket (plain sockets, so the client costs little beside the
 * server), starting the server beside the benchmark on a free port, and reading its CPU time.
 * Header-only, as bench.h. Setup requests that fail end the program (bench_die); timed
 * requests return -1 on a broken connection and leave the status to the caller. */
#ifndef FK_BENCH_HTTP_H
#define FK_BENCH_HTTP_H
#include <arpa/inet.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <jansson.h>
#include "base/xmalloc.h"
#include "bench.h"

/* Every demo user's password in the benchmarks' stores. */
#define BENCH_PASSWORD "bench-pass-1"

struct conn {
	int fd;
	char buf[1 << 16];
	size_t len; /* bytes read but not yet consumed */
	char cookie[160];
	char csrf[64];
};

struct reply {
	int status;
	char *body; /* NUL-terminated, malloc'd */
};

static inline int conn_open(struct conn *c, int port)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	int one = 1;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	c->fd = socket(AF_INET, SOCK_STREAM, 0);
	c->len = 0;
	if (c->fd < 0 || connect(c->fd, (struct sockaddr *)&a, sizeof(a)) < 0)
		return -1;
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return 0;
}

static inline int send_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static inline void take_cookie(struct conn *c, const char *headers)
{
	const char *s = strcasestr(headers, "\r\nset-cookie: fk_session=");
	if (!s)
		return;
	s += strlen("\r\nset-cookie: ");
	snprintf(c->cookie, sizeof(c->cookie), "%.*s", (int)strcspn(s, ";\r"), s);
}

/* The body of a reply: what is buffered in c, then the rest read straight into it (a body
 * may be larger than c's buffer, as a page of 500 people is). */
static inline char *read_body(struct conn *c, size_t head, size_t want)
{
	size_t have = c->len - head < want ? c->len - head : want;
	char *body = fk_xmalloc(want + 1);

	memcpy(body, c->buf + head, have);
	memmove(c->buf, c->buf + head + have, c->len - head - have);
	c->len -= head + have;
	while (have < want) {
		ssize_t n = recv(c->fd, body + have, want - have, 0);
		if (n <= 0) {
			free(body);
			return NULL;
		}
		have += (size_t)n;
	}
	body[want] = '\0';
	return body;
}

/* Reads one response: headers, then Content-Length bytes of body. */
static inline int read_reply(struct conn *c, struct reply *r)
{
	char *end;
	size_t head;

	for (;;) {
		c->buf[c->len] = '\0';
		end = strstr(c->buf, "\r\n\r\n");
		if (end)
			break;
		ssize_t n = recv(c->fd, c->buf + c->len, sizeof(c->buf) - 1 - c->len, 0);
		if (n <= 0)
			return -1;
		c->len += (size_t)n;
	}
	head = (size_t)(end - c->buf) + 4;
	*end = '\0';
	const char *cl = strcasestr(c->buf, "\r\ncontent-length:");
	r->status = (int)strtol(c->buf + 9, NULL, 10);
	take_cookie(c, c->buf);
	r->body = read_body(c, head, cl ? strtoul(cl + 17, NULL, 10) : 0);
	return r->body ? 0 : -1;
}

/* Writes a request of a logged-in client (its cookie and CSRF token, a JSON body or none)
 * into req; its length, or <= 0 / >= size when it does not fit. */
static inline int http_request_text(char *req, size_t size, const char *method, const char *path,
				    const char *cookie, const char *csrf, const char *body)
{
	return snprintf(req, size,
			"%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: %s\r\nX-CSRF-Token: %s\r\n"
			"Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
			method, path, cookie, csrf, body ? strlen(body) : 0, body ? body : "");
}

static inline int http(struct conn *c, const char *method, const char *path, const char *body,
		       struct reply *r)
{
	char req[4096];
	int n = http_request_text(req, sizeof(req), method, path, c->cookie, c->csrf, body);

	if (n <= 0 || (size_t)n >= sizeof(req) || send_all(c->fd, req, (size_t)n) < 0)
		return -1;
	return read_reply(c, r);
}

/* A request during setup that must answer want; returns the parsed JSON body. */
static inline json_t *must(struct conn *c, const char *method, const char *path, const char *body,
			   int want)
{
	struct reply r;
	json_t *j;

	if (http(c, method, path, body, &r) < 0) {
		fprintf(stderr, "bench: %s %s: connection failed\n", method, path);
		exit(1);
	}
	if (r.status != want) {
		fprintf(stderr, "bench: %s %s: %d %s\n", method, path, r.status, r.body);
		exit(1);
	}
	j = json_loads(r.body, 0, NULL);
	free(r.body);
	return j;
}

static inline void login(struct conn *c, int port, const char *user)
{
	char body[200];
	json_t *j;

	if (conn_open(c, port) < 0)
		bench_die("connect", NULL);
	c->cookie[0] = c->csrf[0] = '\0';
	snprintf(body, sizeof(body), "{\"username\":\"%s\",\"password\":\"%s\"}", user,
		 BENCH_PASSWORD);
	j = must(c, "POST", "/api/v1/auth/login", body, 200);
	snprintf(c->csrf, sizeof(c->csrf), "%s",
		 json_string_value(json_object_get(j, "csrf_token")));
	json_decref(j);
}

static inline const char *id_of(json_t *j, const char *name, char *out, size_t size)
{
	snprintf(out, size, "%s", json_string_value(json_object_get(j, name)));
	json_decref(j);
	return out;
}

/* ---- the server ---- */

static inline pid_t serve(const char *bin, const char *db, long long threads, int *port)
{
	int fds[2];
	char line[512] = "", targ[24];
	FILE *f;
	pid_t pid;

	if (pipe(fds) < 0)
		bench_die("pipe", NULL);
	snprintf(targ, sizeof(targ), "%lld", threads);
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		setenv("FANGKONG_LOG_LEVEL", "warn", 1);
		/* The clients are one user or a few, all on one address, writing as fast as the
		 * server answers: what the write rate limits are there to stop. */
		setenv("FANGKONG_WRITE_RATE", "0", 1);
		setenv("FANGKONG_WRITE_RATE_IP", "0", 1);
		if (threads > 0)
			execl(bin, bin, "serve", "--db", db, "--listen", "127.0.0.1:0", "--threads",
			      targ, (char *)NULL);
		else
			execl(bin, bin, "serve", "--db", db, "--listen", "127.0.0.1:0",
			      (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	f = fdopen(fds[0], "r");
	if (!f || !fgets(line, sizeof(line), f) || !strstr(line, "http://127.0.0.1:"))
		bench_die("fangkong serve did not start", NULL);
	*port = (int)strtol(strstr(line, "http://127.0.0.1:") + 17, NULL, 10);
	fclose(f);
	return pid;
}

static inline void remove_db(const char *path)
{
	char p[300];

	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
}

/* CPU seconds (user + system) a process has used so far, from /proc. */
static inline double proc_cpu(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long ut = 0, st = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f || !fgets(buf, sizeof(buf), f)) {
		if (f)
			fclose(f);
		return 0;
	}
	fclose(f);
	p = strrchr(buf, ')');
	/* fields after the command: state is 3rd; utime 14th, stime 15th */
	if (p &&
	    sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
		return 0;
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static inline void binary_beside(char *out, size_t size)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n <= 0)
		bench_die("readlink /proc/self/exe", NULL);
	self[n] = '\0';
	*strrchr(self, '/') = '\0';
	snprintf(out, size, "%s/fangkong", self);
}

#endif
