/* bench_export: the residents of the whole district exported as CSV over HTTP, from the demo
 * store of --residents (default 10,000,000; the cached store of demo_store.h). Starts
 * `fangkong serve` on the store, logs in as the admin (who sees the district), reads GET
 * /api/v1/exports/residents (HTTP/1.0, so the body ends with the connection) as fast as it
 * comes, counting the rows, while a thread samples the server's resident memory (VmRSS)
 * every 20 ms. Then the bare SELECT of the same rows and columns (people joined with their
 * area, by id) on one SQLite connection, every column read as text.
 * Issue 20's goals: at least 500,000 rows/s, the server's RSS growing under 50 MB.
 *
 * --store PATH runs on that SQLite store instead (any demo store, migrated by the server at its
 * start): a copy of an older cached store, say, when building one of the current schema would
 * take too long.
 *
 *   bench_export [--residents N] [--store PATH] */
#include <pthread.h>
#include <sqlite3.h>
#include "bench_http.h"
#include "cmd/demo.h"
#include "demo_store.h"

struct sampler {
	pid_t pid;
	_Atomic bool stop;
	long long base_kb, peak_kb;
};

static long long rss_kb(pid_t pid)
{
	char path[64], line[256];
	long long kb = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if (!(f = fopen(path, "r")))
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %lld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

static void *sample(void *arg)
{
	struct sampler *s = arg;

	while (!s->stop) {
		long long kb = rss_kb(s->pid);
		if (kb > s->peak_kb)
			s->peak_kb = kb;
		usleep(20 * 1000);
	}
	return NULL;
}

/* The server's RSS when the export passed 100,000 and 1,000,000 rows: a cache that fills
 * stops growing, memory held per row does not. */
struct milestones {
	pid_t pid;
	long long kb_100k, kb_1m;
};

/* Reads the export to its end; returns the rows (lines less the heading) and the bytes. */
static long long fetch(int port, const char *cookie, long long *bytes, struct milestones *m)
{
	struct conn c;
	char req[512], buf[1 << 16];
	long long lines = 0, total = 0;
	bool in_body = false;
	char last[4] = {0};
	ssize_t n;

	if (conn_open(&c, port) < 0)
		bench_die("connect", NULL);
	snprintf(req, sizeof(req),
		 "GET /api/v1/exports/residents?format=csv HTTP/1.0\r\nHost: 127.0.0.1\r\n"
		 "Cookie: %s\r\n\r\n",
		 cookie);
	if (send_all(c.fd, req, strlen(req)) < 0)
		bench_die("send", NULL);
	while ((n = recv(c.fd, buf, sizeof(buf), 0)) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			last[0] = last[1], last[1] = last[2], last[2] = last[3], last[3] = buf[i];
			if (!in_body) {
				in_body = memcmp(last, "\r\n\r\n", 4) == 0;
				if (in_body && strncmp(buf, "HTTP/1.", 7) == 0 &&
				    strncmp(buf + 9, "200", 3) != 0)
					bench_die("the export was refused", NULL);
				continue;
			}
			total++;
			if (buf[i] != '\n')
				continue;
			if (++lines == 100001)
				m->kb_100k = rss_kb(m->pid);
			else if (lines == 1000001)
				m->kb_1m = rss_kb(m->pid);
		}
	}
	close(c.fd);
	*bytes = total;
	return lines - 1;
}

static double bare(const char *path, long long *rows)
{
	static const char sql[] =
	    "SELECT p.id, p.name, p.id_type, p.id_number, p.phone, p.sex, p.birth_date, a.code, "
	    "a.name, p.household, p.residence, p.tags FROM people p JOIN areas a ON a.id = "
	    "p.area_id ORDER BY p.id";
	sqlite3 *h;
	sqlite3_stmt *st;
	uint64_t t0 = fk_mono_ns();
	size_t sink = 0;

	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) !=
		SQLITE_OK ||
	    sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
		bench_die("bare SELECT", NULL);
	*rows = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (int i = 0; i < 12; i++)
			sink += (size_t)sqlite3_column_bytes(st, i) +
				(sqlite3_column_text(st, i) != NULL);
		(*rows)++;
	}
	sqlite3_finalize(st);
	sqlite3_close(h);
	if (sink == 0)
		bench_die("bare SELECT read nothing", NULL);
	return bench_secs(t0);
}

int main(int argc, char **argv)
{
	long long n = bench_arg(argc, argv, "--residents", 10000000), bytes = 0, bare_rows = 0;
	struct sampler s = {0};
	char path[256], bin[PATH_MAX + 16];
	struct conn admin;
	pthread_t th;
	int port;

	const char *store = NULL;
	for (int i = 1; i + 1 < argc; i++)
		if (strcmp(argv[i], "--store") == 0)
			store = argv[i + 1];
	if (store)
		snprintf(path, sizeof(path), "%s", store);
	else
		bench_store_ensure(n, path, sizeof(path));
	binary_beside(bin, sizeof(bin));
	s.pid = serve(bin, path, 0, &port);
	login(&admin, port, "admin");
	close(admin.fd);
	s.base_kb = s.peak_kb = rss_kb(s.pid);
	pthread_create(&th, NULL, sample, &s);
	uint64_t t0 = fk_mono_ns();
	struct milestones m = {.pid = s.pid};
	long long rows = fetch(port, admin.cookie, &bytes, &m);
	double secs = bench_secs(t0);
	s.stop = true;
	pthread_join(th, NULL);
	kill(s.pid, SIGTERM);
	waitpid(s.pid, NULL, 0);
	double bare_secs = bare(path, &bare_rows);
	if (rows != bare_rows)
		fprintf(stderr, "bench: the export has %lld rows, the store %lld\n", rows,
			bare_rows);
	printf("residents export (CSV, streamed): %lld rows, %.1f MB in %.2f s = %.0f rows/s\n",
	       rows, (double)bytes / 1e6, secs, (double)rows / secs);
	printf("bare SELECT of the same rows:      %lld rows in %.2f s = %.0f rows/s (export %.2fx "
	       "its time)\n",
	       bare_rows, bare_secs, (double)bare_rows / bare_secs, secs / bare_secs);
	printf("server RSS: %.1f MB before, %.1f MB at most during (growth %.1f MB)\n",
	       (double)s.base_kb / 1024, (double)s.peak_kb / 1024,
	       (double)(s.peak_kb - s.base_kb) / 1024);
	printf("server RSS after 100,000 rows %.1f MB, after 1,000,000 rows %.1f MB (0: not "
	       "reached)\n",
	       (double)m.kb_100k / 1024, (double)m.kb_1m / 1024);
	printf("goals: >= 500,000 rows/s; RSS growth < 50 MB\n");
	return rows == bare_rows ? 0 : 1;
}
