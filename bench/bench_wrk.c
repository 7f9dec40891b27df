/* bench_wrk: the busiest routes under wrk (Debian's HTTP load generator) at 64 keep-alive
 * connections, beside a bare libmicrohttpd "hello" program measured in the same run. Builds a
 * fresh demo store (SQLite by default; with --store postgres in the empty database of
 * FK_PG_URL, as scripts/with-postgres.sh gives), opens a round with a site for registrar1 and opens
 * the tubes the scans will fill, starts `fangkong serve` (the binary beside this program) on it and
 * runs wrk for --seconds against each of: search     GET /api/v1/people?name=<a surname> as the
 * commander, 20 a page scan       POST /api/v1/tubes/{code}/scans as registrar1, a new resident
 * each, keyed coverage   GET /api/v1/rounds/{id}/coverage as the commander (the district's
 * children) dashboard  GET /api/v1/dashboard as the commander (the district) login      POST
 * /api/v1/auth/login as registrar1 (argon2id at its interactive cost), last: the hashes still
 * queued when wrk stops would slow what came after and prints requests/s, latency p50 and p99 and
 * the ratio of requests/s to the hello program's, which answers 5 bytes from the same libmicrohttpd
 * set-up (epoll, a pool of two threads per CPU). Every reply must be 2xx: wrk's count of others
 * fails the benchmark.
 *
 *   bench_wrk [--residents N] [--scans N] [--seconds N] [--connections N] [--store postgres] */
#include <microhttpd.h>
#include <sys/stat.h>
#include "bench_round.h"
#include "cmd/demo.h"

#define WRK_THREADS 2
#define STRIPES	    64 /* tubes filled at once */

struct wrk_fig {
	double rps, p50_ms, p99_ms, secs;
	long long requests, non2xx, errors, timeouts;
};

/* ---- the bare program ---- */

static enum MHD_Result hello(void *cls, struct MHD_Connection *c, const char *url,
			     const char *method, const char *version, const char *data,
			     size_t *size, void **state)
{
	struct MHD_Response *r = cls;

	(void)url, (void)method, (void)version, (void)data, (void)size, (void)state;
	return MHD_queue_response(c, MHD_HTTP_OK, r);
}

/* A child process serving "hello" on a free port until it is killed. */
static pid_t hello_serve(int *port)
{
	int fds[2];
	pid_t pid;

	if (pipe(fds) < 0)
		bench_die("pipe", NULL);
	pid = fork();
	if (pid == 0) {
		struct MHD_Response *r =
		    MHD_create_response_from_buffer(5, (void *)"hello", MHD_RESPMEM_PERSISTENT);
		unsigned threads = 2u * (unsigned)sysconf(_SC_NPROCESSORS_ONLN);
		struct MHD_Daemon *d = MHD_start_daemon(
		    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO, 0, NULL, NULL,
		    hello, r, MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_LIMIT,
		    10000u, MHD_OPTION_END);
		const union MHD_DaemonInfo *di =
		    d ? MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT) : NULL;
		int p = di ? (int)di->port : 0;
		if (write(fds[1], &p, sizeof(p)) != sizeof(p) || p == 0)
			_exit(1);
		for (;;)
			pause();
	}
	close(fds[1]);
	if (read(fds[0], port, sizeof(*port)) != sizeof(*port) || *port == 0)
		bench_die("the hello program did not start", NULL);
	close(fds[0]);
	return pid;
}

/* ---- wrk ---- */

/* "1.23ms" / "850.00us" / "1.02s" in milliseconds. */
static double wrk_ms(const char *s)
{
	char *end;
	double v = strtod(s, &end);

	return strncmp(end, "us", 2) == 0 ? v / 1000 : strncmp(end, "ms", 2) == 0 ? v : v * 1000;
}

static void wrk_line(const char *line, struct wrk_fig *f)
{
	if (strncmp(line, "first refusal: ", 15) == 0)
		fprintf(stderr, "  %s", line);
	const char *p;
	long long a, b, c, d;

	if (sscanf(line, " %lld requests in %lfs", &a, &f->secs) == 2)
		f->requests = a;
	else if ((p = strstr(line, "Requests/sec:")))
		f->rps = strtod(p + 13, NULL);
	else if ((p = strstr(line, " 50%")))
		f->p50_ms = wrk_ms(p + 4 + strspn(p + 4, " "));
	else if ((p = strstr(line, " 99%")))
		f->p99_ms = wrk_ms(p + 4 + strspn(p + 4, " "));
	else if ((p = strstr(line, "Non-2xx or 3xx responses:")))
		f->non2xx = strtoll(p + 26, NULL, 10);
	else if (sscanf(line, " Socket errors: connect %lld, read %lld, write %lld, timeout %lld",
			&a, &b, &c, &d) == 4)
		f->errors = a + b + c, f->timeouts = d;
}

/* Runs wrk against port with a Lua script, and reads its figures. */
static struct wrk_fig run_wrk(int port, const char *script, int conns, int secs)
{
	char url[64], c[16], d[16], t[8];
	struct wrk_fig f = {0};
	char line[512];
	int fds[2];
	pid_t pid;

	snprintf(url, sizeof(url), "http://127.0.0.1:%d", port);
	snprintf(c, sizeof(c), "-c%d", conns);
	snprintf(d, sizeof(d), "-d%ds", secs);
	snprintf(t, sizeof(t), "-t%d", WRK_THREADS);
	if (pipe(fds) < 0)
		bench_die("pipe", NULL);
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		execlp("wrk", "wrk", t, c, d, "--latency", "-s", script, url, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	FILE *in = fdopen(fds[0], "r");
	while (in && fgets(line, sizeof(line), in))
		wrk_line(line, &f);
	if (in)
		fclose(in);
	int status;
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || f.rps == 0)
		bench_die("wrk failed (apt-get install wrk)", NULL);
	return f;
}

/* ---- the scripts ---- */

struct scripts {
	char dir[64];
	struct setup s;
	char commander[160], round_id[24];
};

static FILE *script_open(const struct scripts *sc, const char *name, char *path, size_t size)
{
	snprintf(path, size, "%s/%s.lua", sc->dir, name);
	FILE *f = fopen(path, "w");
	if (!f)
		bench_die(path, NULL);
	return f;
}

/* A script sending one fixed request. */
static void script_fixed(const struct scripts *sc, const char *name, const char *method,
			 const char *path, const char *cookie, const char *body)
{
	char file[128];
	FILE *f = script_open(sc, name, file, sizeof(file));

	fprintf(f, "wrk.method = \"%s\"\nwrk.path = \"%s\"\n", method, path);
	fprintf(f, "wrk.headers[\"Content-Type\"] = \"application/json\"\n");
	if (cookie)
		fprintf(f, "wrk.headers[\"Cookie\"] = \"%s\"\n", cookie);
	if (body)
		fprintf(f, "wrk.body = '%s'\n", body);
	fclose(f);
}

/* Surnames of the store's residents, percent-encoded, for the searches. */
static void script_search(const struct scripts *sc, struct fk_db *db)
{
	char file[128];
	FILE *f = script_open(sc, "search", file, sizeof(file));
	struct fk_err err = {0};
	struct fk_q *q;

	fprintf(f, "local names = {\n");
	if (fk_db_query(db, &q, "SELECT name FROM people ORDER BY id LIMIT 500", &err) < 0)
		bench_die("names", &err);
	while (fk_q_step(q, &err) > 0) {
		const unsigned char *n = (const unsigned char *)fk_q_text(q, 0);
		size_t len = n[0] >= 0xf0 ? 4 : n[0] >= 0xe0 ? 3 : n[0] >= 0xc0 ? 2 : 1;
		fputc('"', f);
		for (size_t i = 0; i < len && n[i]; i++)
			fprintf(f, "%%%02X", n[i]);
		fputs("\",\n", f);
	}
	fk_q_done(q);
	fprintf(f,
		"}\nlocal i = 0\nrequest = function()\n  i = i + 1\n"
		"  return wrk.format(\"GET\", \"/api/v1/people?limit=20&name=\" .. "
		"names[i %% #names + 1], {[\"Cookie\"] = \"%s\"})\nend\n",
		sc->commander);
	fclose(f);
}

/* The scans: wrk's threads take turns over the residents' codes; scan j goes into tube
 * (j / (STRIPES * POOL)) * STRIPES + j % STRIPES, so that the requests in flight at once fill
 * different tubes, as desks do (each its own tube), ten a tube; the tubes opened beforehand. */
static void script_scan(const struct scripts *sc, const struct person *p, long long n)
{
	char file[128];
	FILE *f = script_open(sc, "scan", file, sizeof(file));

	fprintf(f, "local codes = {\n");
	for (long long i = 0; i < n; i++)
		fprintf(f, "\"%s\",\n", p[i].code);
	fprintf(f,
		"}\nlocal k = 0\nlocal n = 0\nsetup = function(thread)\n"
		"  thread:set(\"t\", n)\n  n = n + 1\nend\n"
		"request = function()\n  local j = t + %d * k\n  k = k + 1\n"
		"  if j >= #codes then return wrk.format(\"GET\", \"/healthz\") end\n"
		"  local body = '{\"person_code\":\"' .. codes[j + 1] .. "
		"'\",\"client_key\":\"wrk-scan-' .. j .. '\"}'\n"
		"  return wrk.format(\"POST\", \"/api/v1/tubes/WRK-\" .. string.format(\"%%07d\", "
		"math.floor(j / %d) * %d + j %% %d) .. \"/scans\", {[\"Cookie\"] = \"%s\", "
		"[\"X-CSRF-Token\"] = "
		"\"%s\", "
		"[\"Content-Type\"] = \"application/json\"}, body)\nend\n"
		"local told = false\nresponse = function(status, headers, body)\n"
		"  if status >= 300 and not told then told = true; print(\"first refusal: \" .. "
		"status .. \" \" .. string.sub(body, 1, 160)) end\nend\n",
		WRK_THREADS, STRIPES * POOL, STRIPES, STRIPES, sc->s.reg.cookie, sc->s.reg.csrf);
	fclose(f);
}

/* ---- the run ---- */

/* Opens the tubes WRK-0000000.. that the scans fill, ten a tube. */
static void open_tubes(int port, const struct setup *s, long long scans)
{
	struct conn c = s->reg;
	char path[96], body[200];
	struct reply r;

	if (conn_open(&c, port) < 0)
		bench_die("connect", NULL);
	snprintf(path, sizeof(path), "/api/v1/rounds/%s/tubes", s->round_id);
	for (long long t = 0; t < (scans / (STRIPES * POOL) + 1) * STRIPES; t++) {
		snprintf(
		    body, sizeof(body),
		    "{\"code\":\"WRK-%07lld\",\"site_id\":\"%s\",\"client_key\":\"wrk-tube-%lld\"}",
		    t, s->site_id, t);
		if (http(&c, "POST", path, body, &r) < 0 || r.status != 201)
			bench_die("open a tube", NULL);
		free(r.body);
	}
	close(c.fd);
}

/* Logins past the hashing slots are answered 503 login_busy at once, to be retried: the
 * figure is the logins done a second, and how many were told to retry. */
static void print_login(const struct wrk_fig *f, double hello_rps)
{
	double ok = (double)(f->requests - f->non2xx) / (f->secs > 0 ? f->secs : 1);

	printf("  %-10s %9.1f logins/s    p50 %7.2f ms  p99 %7.2f ms  %5.2f%% of hello; %lld "
	       "answered 503 login_busy, %lld past wrk's 2 s%s\n",
	       "login", ok, f->p50_ms, f->p99_ms, 100 * ok / hello_rps, f->non2xx, f->timeouts,
	       f->errors ? "  (SOCKET ERRORS)" : "");
}

static void print_fig(const char *name, const struct wrk_fig *f, double hello_rps)
{
	printf("  %-10s %9.0f requests/s  p50 %7.2f ms  p99 %7.2f ms  %5.1f%% of hello%s\n", name,
	       f->rps, f->p50_ms, f->p99_ms, 100 * f->rps / hello_rps,
	       f->non2xx || f->errors || f->timeouts ? "  (NOT ALL 2xx)" : "");
}

struct bench_opts {
	long long residents, scans;
	int seconds, conns;
	const char *url;
};

static int run(const struct bench_opts *o, const char *bin)
{
	struct scripts sc = {0};
	struct fk_demo_opts d = {.residents = o->residents, .seed = 1, .password = BENCH_PASSWORD};
	struct fk_err err = {0};
	struct wrk_fig figs[6];
	const char *names[6] = {"hello", "search", "scan", "coverage", "dashboard", "login"};
	char path[160], body[200];
	int port, hport, status, failed = 0;

	snprintf(sc.dir, sizeof(sc.dir), "/tmp/fk-bench-wrk-%d", (int)getpid());
	mkdir(sc.dir, 0700);
	uint64_t t0 = fk_mono_ns();
	struct fk_db *db = bench_open_store(o->url);
	if (fk_demo_build(db, &d, NULL, &err) < 0)
		bench_die("demo", &err);
	struct person *people = load_people(db, o->scans);
	printf("fresh demo store of %lld residents (%s): %.1f s\n", o->residents,
	       strncmp(o->url, "postgres", 8) == 0 ? "PostgreSQL" : "SQLite", bench_secs(t0));
	setenv("FANGKONG_LOGIN_RATE", "1000000", 1); /* one address logs in many times here */
	pid_t pid = serve(bin, o->url, 0, &port);
	set_up(port, &sc.s);
	open_tubes(port, &sc.s, o->scans);
	struct conn cmd;
	login(&cmd, port, "commander");
	close(cmd.fd);
	snprintf(sc.commander, sizeof(sc.commander), "%s", cmd.cookie);
	script_search(&sc, db);
	fk_db_close(db);
	snprintf(body, sizeof(body), "{\"username\":\"registrar1\",\"password\":\"%s\"}",
		 BENCH_PASSWORD);
	script_fixed(&sc, "hello", "GET", "/", NULL, NULL);
	script_fixed(&sc, "login", "POST", "/api/v1/auth/login", NULL, body);
	snprintf(path, sizeof(path), "/api/v1/rounds/%s/coverage", sc.s.round_id);
	script_fixed(&sc, "coverage", "GET", path, sc.commander, NULL);
	script_fixed(&sc, "dashboard", "GET", "/api/v1/dashboard", sc.commander, NULL);
	script_scan(&sc, people, o->scans);
	pid_t hpid = hello_serve(&hport);
	printf("wrk, %d threads, %d connections, %d s each, beside a bare libmicrohttpd hello:\n",
	       WRK_THREADS, o->conns, o->seconds);
	for (int i = 0; i < 6; i++) {
		snprintf(path, sizeof(path), "%s/%s.lua", sc.dir, names[i]);
		sync();
		figs[i] = run_wrk(i == 0 ? hport : port, path, o->conns, o->seconds);
		bool login = strcmp(names[i], "login") == 0;
		if (login)
			print_login(&figs[i], figs[0].rps);
		else
			print_fig(names[i], &figs[i], figs[0].rps);
		failed |=
		    (!login && (figs[i].non2xx > 0 || figs[i].timeouts > 0)) || figs[i].errors > 0;
	}
	if (figs[2].rps * o->seconds > (double)o->scans)
		printf("  (the scans ran out of residents: raise --scans)\n");
	kill(hpid, SIGKILL);
	waitpid(hpid, NULL, 0);
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	free(people);
	for (int i = 0; i < 6; i++) {
		snprintf(path, sizeof(path), "%s/%s.lua", sc.dir, names[i]);
		unlink(path);
	}
	rmdir(sc.dir);
	return failed || !WIFEXITED(status) || WEXITSTATUS(status) != 0;
}

int main(int argc, char **argv)
{
	struct bench_opts o = {.residents = bench_arg(argc, argv, "--residents", 400000),
			       .scans = bench_arg(argc, argv, "--scans", 300000),
			       .seconds = (int)bench_arg(argc, argv, "--seconds", 10),
			       .conns = (int)bench_arg(argc, argv, "--connections", 64)};
	char path[128], bin[PATH_MAX + 16];

	for (int i = 1; i + 1 < argc; i++)
		if (strcmp(argv[i], "--store") == 0 && strcmp(argv[i + 1], "postgres") == 0)
			o.url = getenv("FK_PG_URL");
	bool pg = argc > 1 && strcmp(argv[argc - 1], "postgres") == 0;
	if (pg && !o.url)
		bench_die("--store postgres needs FK_PG_URL (scripts/with-postgres.sh sets it)",
			  NULL);
	if (o.scans > o.residents || o.seconds < 1 || o.conns < 1)
		bench_die("--scans must not exceed --residents; --seconds, --connections >= 1",
			  NULL);
	binary_beside(bin, sizeof(bin));
	if (!o.url) {
		snprintf(path, sizeof(path), "/tmp/fk-bench-wrk-%d.db", (int)getpid());
		remove_db(path);
		o.url = path;
	}
	int rc = run(&o, bin);
	if (o.url == path)
		remove_db(path);
	return rc;
}
