/* serve: `fangkong serve`, the HTTP server. Its settings are one table (name, type, default,
 * FANGKONG_* variable, bounds, help) from which parsing, validation and `serve --help` all
 * come; a flag beats the variable, which beats the default. It is the one place settings are
 * read from the environment: the ones every command shares (log level, node) are applied for
 * every command by cmd_settings_common. It opens the store, migrates it,
 * starts every module and the job scheduler, serves until SIGTERM or SIGINT, then lets
 * requests in progress finish, stops the scheduler and frees everything. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sodium.h>
#include "base/clock.h"
#include "base/id.h"
#include "base/buf.h"
#include "base/log.h"
#include "base/xmalloc.h"
#include "cmd/cmd.h"
#include "http/proxy.h"
#include "http/server.h"
#include "modules.h"
#include "platform/jobs.h"
#include "store/migrate.h"

enum setting_type { SET_STRING, SET_INT, SET_SIZE, SET_LEVEL, SET_BOOL };

struct setting {
	const char *name;
	enum setting_type type;
	const char *metavar;
	const char *def; /* NULL: computed (threads, pool) or unset (web) */
	const char *env;
	long long min, max;
	const char *help;
};

enum {
	S_LISTEN,
	S_THREADS,
	S_POOL,
	S_WEB,
	S_MAX_BODY,
	S_MAX_CONNS,
	S_MAX_PER_IP,
	S_HEAD_TIMEOUT,
	S_TIMEOUT,
	S_GRACE,
	S_LOG_LEVEL,
	S_NODE,
	S_LOGIN_RATE,
	S_TEST_CLOCK,
	S_TRUSTED_PROXIES,
	S_METRICS_TOKEN,
	S_TLS_CERT,
	S_TLS_KEY,
	S_WRITE_RATE,
	S_WRITE_RATE_IP,
	S_DURABILITY,
	S_READ_DB,
	S_GROUP_COMMIT,
	S_COUNT
};

static const struct setting settings[S_COUNT] = {
    [S_LISTEN] = {"listen", SET_STRING, "ADDR:PORT", "127.0.0.1:8080", "FANGKONG_LISTEN", 0, 0,
		  "address to listen on; port 0 picks a free port (printed at start)"},
    [S_THREADS] = {"threads", SET_INT, "N", NULL, "FANGKONG_THREADS", 1, 256,
		   "HTTP worker threads"},
    [S_POOL] = {"pool", SET_INT, "N", NULL, "FANGKONG_POOL", 1, 1024, "store connections"},
    [S_WEB] = {"web", SET_STRING, "DIR", NULL, "FANGKONG_WEB", 0, 0,
	       "serve the built web app from DIR (without it, GET / answers JSON)"},
    [S_MAX_BODY] = {"max-body", SET_SIZE, "BYTES", "1M", "FANGKONG_MAX_BODY", 1024, 1LL << 30,
		    "largest request body of routes without their own cap (K, M, G suffixes)"},
    [S_MAX_CONNS] = {"max-conns", SET_INT, "N", "10000", "FANGKONG_MAX_CONNS", 16, 65536,
		     "connections served at once (each idle one costs about 34 KB); past it, "
		     "requests are answered 503 server_busy, except /healthz"},
    [S_MAX_PER_IP] = {"max-conns-per-ip", SET_INT, "N", "256", "FANGKONG_MAX_CONNS_PER_IP", 0,
		      65536,
		      "connections from one client address (0 = no cap: behind a reverse proxy, "
		      "where every client is the proxy)"},
    [S_HEAD_TIMEOUT] = {"header-timeout", SET_INT, "SECONDS", "10", "FANGKONG_HEADER_TIMEOUT", 1,
			600, "a new connection's request headers must be in by then"},
    [S_TIMEOUT] = {"timeout", SET_INT, "SECONDS", "60", "FANGKONG_TIMEOUT", 1, 3600,
		   "idle keep-alive connections are closed after this"},
    [S_GRACE] = {"grace", SET_INT, "SECONDS", "10", "FANGKONG_GRACE", 0, 600,
		 "time requests in progress get to finish at shutdown"},
    [S_LOG_LEVEL] = {"log-level", SET_LEVEL, "LEVEL", "info", "FANGKONG_LOG_LEVEL", 0, 3,
		     "debug, info (one line per request), warn or error"},
    [S_NODE] = {"node", SET_INT, "N", "0", "FANGKONG_NODE", 0, 1023,
		"this process's node number, part of every id it makes; give each server (and "
		"each import) writing to one PostgreSQL database its own"},
    [S_LOGIN_RATE] = {"login-rate", SET_INT, "N", "20", "FANGKONG_LOGIN_RATE", 1, 1000000,
		      "login attempts allowed per client address per minute"},
    [S_TEST_CLOCK] = {"test-clock", SET_BOOL, "", "off", "FANGKONG_TEST_CLOCK", 0, 1,
		      "for tests only: a clock POST /api/v1/test/clock sets and advances; "
		      "refused unless " FK_TEST_MODE_ENV "=1 is set too"},
    [S_TRUSTED_PROXIES] = {"trusted-proxies", SET_STRING, "CIDR[,CIDR...]", NULL,
			   "FANGKONG_TRUSTED_PROXIES", 0, 0,
			   "reverse proxies whose X-Forwarded-For (the client address) and "
			   "X-Forwarded-Proto (https) are believed; from any other peer both are "
			   "ignored"},
    [S_METRICS_TOKEN] = {"metrics-token", SET_STRING, "TOKEN", NULL, "FANGKONG_METRICS_TOKEN", 0, 0,
			 "GET /metrics needs 'Authorization: Bearer TOKEN'; without it /metrics "
			 "answers loopback clients only"},
    [S_TLS_CERT] = {"tls-cert", SET_STRING, "FILE", NULL, "FANGKONG_TLS_CERT", 0, 0,
		    "serve HTTPS with this PEM certificate (chain); needs --tls-key"},
    [S_TLS_KEY] = {"tls-key", SET_STRING, "FILE", NULL, "FANGKONG_TLS_KEY", 0, 0,
		   "the PEM private key of --tls-cert"},
    [S_WRITE_RATE] = {"write-rate", SET_INT, "N", "600", "FANGKONG_WRITE_RATE", 0, 1000000,
		      "writes (not GET) one logged-in user may make per minute; 0 = no limit"},
    [S_WRITE_RATE_IP] = {"write-rate-ip", SET_INT, "N", "3000", "FANGKONG_WRITE_RATE_IP", 0,
			 10000000,
			 "writes by logged-in users from one client address per minute; 0 = no "
			 "limit"},
    [S_DURABILITY] = {"durability", SET_STRING, "normal|full", "normal", "FANGKONG_DURABILITY", 0,
		      0,
		      "SQLite: full syncs every commit to disk, so a power cut loses no "
		      "acknowledged write; normal (WAL synchronous=NORMAL) may lose the last ones "
		      "then. Both survive a crash of the process. PostgreSQL keeps its own "
		      "synchronous_commit"},
    [S_READ_DB] = {"read-db", SET_STRING, "URL", NULL, "FANGKONG_READ_DB", 0, 0,
		   "a PostgreSQL streaming replica of the store, for the pure reads that bear its "
		   "lag (dashboard, coverage); writes and everything else stay on --db"},
    [S_GROUP_COMMIT] =
	{"group-commit", SET_BOOL, "", "on", "FANGKONG_GROUP_COMMIT", 0, 1,
	 "PostgreSQL: keyed writes (scans) of concurrent requests committed together "
	 "by one writer connection; off: each in a transaction of its own (SQLite "
	 "always groups)"},
};

struct value {
	const char *text;   /* as given, or NULL */
	const char *source; /* "--", "FANGKONG_NAME" or "default" */
	long long n;
};

static const char *shown_default(int i)
{
	return i == S_THREADS ? "2 per CPU" : i == S_POOL ? "= threads" : "none";
}

static void print_help(void)
{
	printf("usage: fangkong serve [--db URL] [--SETTING VALUE]...\n\n"
	       "Runs the HTTP server: the JSON API under /api/v1, /healthz, /metrics and the web\n"
	       "app. Migrates the store at start; stops cleanly on SIGTERM or SIGINT.\n\n"
	       "Settings (a flag beats its environment variable, which beats the default):\n");
	printf("  %-24s %-22s %-16s %s\n", "--db URL", "FANGKONG_DB", "fangkong.db",
	       "the store: a SQLite file or postgres://user@host/db");
	for (int i = 0; i < S_COUNT; i++) {
		const struct setting *s = &settings[i];
		char flag[48];
		snprintf(flag, sizeof(flag), "--%s%s%s", s->name, *s->metavar ? " " : "",
			 s->metavar);
		printf("  %-24s %-22s %-16s %s", flag, s->env, s->def ? s->def : shown_default(i),
		       s->help);
		if (s->type == SET_INT || s->type == SET_SIZE)
			printf(" [%lld..%lld]", s->min, s->max);
		printf("\n");
	}
	printf("\n  %s=1 marks a server started for tests (never in production): --test-clock "
	       "needs it, and with it new password hashes take the least cost.\n",
	       FK_TEST_MODE_ENV);
}

static int find_setting(const char *name, size_t len)
{
	for (int i = 0; i < S_COUNT; i++)
		if (strlen(settings[i].name) == len && strncmp(settings[i].name, name, len) == 0)
			return i;
	return -1;
}

/* Returns 1 when --help was asked for. */
static int parse_flags(int argc, char **argv, struct value *vals)
{
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i], *eq;
		int k;

		if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0)
			return 1;
		if (strncmp(arg, "--", 2) != 0)
			die("serve: unexpected argument '%s'; see 'fangkong serve --help'", arg);
		eq = strchr(arg + 2, '=');
		k = find_setting(arg + 2, eq ? (size_t)(eq - arg - 2) : strlen(arg + 2));
		if (k < 0)
			die("serve: unknown setting '%s'; see 'fangkong serve --help'", arg);
		if (!eq && settings[k].type == SET_BOOL) {
			vals[k].text = "on";
			vals[k].source = "--";
			continue;
		}
		if (!eq && i + 1 >= argc)
			die("serve: %s needs a value (%s)", arg, settings[k].metavar);
		vals[k].text = eq ? eq + 1 : argv[++i];
		vals[k].source = "--";
	}
	return 0;
}

/* How the user wrote the value: "--threads 0" or "FANGKONG_THREADS=abc". */
static const char *as_given(const struct setting *s, const struct value *v, char *buf, size_t size)
{
	if (strcmp(v->source, "--") == 0)
		snprintf(buf, size, "--%s %s", s->name, v->text);
	else
		snprintf(buf, size, "%s=%s", v->source, v->text);
	return buf;
}

static int bad_value(const struct setting *s, const struct value *v, struct fk_err *err)
{
	char given[128];

	return fk_err_set(err, FK_EINVAL, "bad_setting", s->name,
			  "%s：应为 %lld 到 %lld 之间的数值",
			  "%s: must be a number from %lld to %lld",
			  as_given(s, v, given, sizeof(given)), s->min, s->max);
}

static int parse_number(const struct setting *s, struct value *v, struct fk_err *err)
{
	char *end = NULL;
	long long n, mult = 1;

	errno = 0;
	n = strtoll(v->text, &end, 10);
	if (errno || end == v->text)
		return bad_value(s, v, err);
	if (s->type == SET_SIZE && *end) {
		const char *units = "KMG";
		const char *u = strchr(units, *end >= 'a' ? *end - 32 : *end);
		if (!u)
			return bad_value(s, v, err);
		mult = 1LL << (10 * (u - units + 1));
		end++;
		end += strcmp(end, "iB") == 0 ? 2 : strcmp(end, "B") == 0 ? 1 : 0;
	}
	if (*end || n < 0 || n > s->max / mult || n * mult < s->min)
		return bad_value(s, v, err);
	v->n = n * mult;
	return 0;
}

static int parse_level(const struct setting *s, struct value *v, struct fk_err *err)
{
	static const char *const levels[] = {"debug", "info", "warn", "error"};

	for (int i = 0; i < 4; i++)
		if (strcmp(v->text, levels[i]) == 0) {
			v->n = i;
			return 0;
		}
	char given[128];

	return fk_err_set(
	    err, FK_EINVAL, "bad_setting", s->name, "%s：应为 debug、info、warn 或 error",
	    "%s: must be debug, info, warn or error", as_given(s, v, given, sizeof(given)));
}

static int parse_bool(const struct setting *s, struct value *v, struct fk_err *err)
{
	static const char *const words[] = {"0", "off", "false", "no", "1", "on", "true", "yes"};
	char given[128];

	for (int i = 0; i < 8; i++)
		if (strcmp(v->text, words[i]) == 0) {
			v->n = i >= 4;
			return 0;
		}
	return fk_err_set(err, FK_EINVAL, "bad_setting", s->name, "%s：应为 on 或 off",
			  "%s: must be on or off", as_given(s, v, given, sizeof(given)));
}

static long long default_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	n = n > 0 ? n * 2 : 4;
	return n > 256 ? 256 : n;
}

/* The flag's value, else the variable's, else the default; dies naming a bad one. */
static void resolve_one(int i, struct value *v, const char *command)
{
	const struct setting *s = &settings[i];
	const char *env = getenv(s->env);
	struct fk_err err = {0};
	int rc = 0;

	if (!v->text && env && *env) {
		v->text = env;
		v->source = s->env;
	}
	if (!v->text) {
		v->text = s->def;
		v->source = "default";
	}
	if (v->text && (s->type == SET_INT || s->type == SET_SIZE))
		rc = parse_number(s, v, &err);
	else if (v->text && s->type == SET_LEVEL)
		rc = parse_level(s, v, &err);
	else if (v->text && s->type == SET_BOOL)
		rc = parse_bool(s, v, &err);
	if (rc < 0)
		die_err(command, &err);
}

void cmd_settings_common(const char *command)
{
	struct value level = {0}, node = {0};

	resolve_one(S_LOG_LEVEL, &level, command);
	resolve_one(S_NODE, &node, command);
	fk_log_set_level((enum fk_log_level)level.n);
	fk_id_set_node((unsigned)node.n);
}

static void resolve(struct value *vals)
{
	for (int i = 0; i < S_COUNT; i++)
		resolve_one(i, &vals[i], "serve");
	if (!vals[S_THREADS].text)
		vals[S_THREADS].n = default_threads();
	if (!vals[S_POOL].text)
		vals[S_POOL].n = vals[S_THREADS].n;
}

/* --durability: normal or full (db.h); dies naming a bad one. */
static struct fk_db_opts store_opts(const struct value *v)
{
	struct fk_db_opts o = {0};
	struct fk_err err = {0};
	char given[128];

	if (fk_durability_parse(v->text, &o.durability) < 0) {
		fk_err_set(&err, FK_EINVAL, "bad_setting", settings[S_DURABILITY].name,
			   "%s：应为 normal 或 full", "%s: must be normal or full",
			   as_given(&settings[S_DURABILITY], v, given, sizeof(given)));
		die_err("serve", &err);
	}
	return o;
}

/* "postgres://user:secret@host/db" is shown as "postgres://user:***@host/db". */
static void redact(const char *url, char *out, size_t size)
{
	const char *scheme = strstr(url, "://");
	const char *at = scheme ? strchr(scheme + 3, '@') : NULL;
	const char *colon = at ? memchr(scheme + 3, ':', (size_t)(at - scheme - 3)) : NULL;

	if (!colon) {
		snprintf(out, size, "%s", url);
		return;
	}
	snprintf(out, size, "%.*s:***%s", (int)(colon - url), url, at);
}

static int open_store(const char *url, int pool, const struct fk_db_opts *o, struct fk_store **out,
		      char *kind, size_t size, struct fk_err *err)
{
	struct fk_db *db;
	int applied = 0, rc;

	rc = fk_store_open_with(url, pool, o, out, err);
	if (rc < 0)
		return rc;
	db = fk_store_acquire(*out);
	snprintf(kind, size, "%s", fk_db_kind_name(db));
	rc = fk_modules_migrate(db, fk_modules, &applied, err);
	if (rc == 0)
		rc = fk_modules_check(db, fk_modules, err);
	fk_store_release(*out, db);
	if (rc < 0) {
		fk_store_close(*out);
		*out = NULL;
		return rc;
	}
	if (applied > 0)
		fk_info("serve migrations_applied=%d", applied);
	return 0;
}

/* A PEM file of a TLS setting, whole; dies naming the setting and the file. Free it. */
#define PEM_MAX (1u << 20)
static char *read_pem(int i, const struct value *v)
{
	const struct setting *s = &settings[i];
	FILE *f = fopen(v->text, "rb");
	struct fk_buf b;
	char chunk[4096], given[600];
	size_t n;

	as_given(s, v, given, sizeof(given));
	if (!f)
		die("serve: %s: cannot read the file: %s", given, strerror(errno));
	fk_buf_init(&b, PEM_MAX);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (fk_buf_append(&b, chunk, n) < 0)
			die("serve: %s: the file is larger than 1 MiB", given);
	if (ferror(f))
		die("serve: %s: cannot read the file: %s", given, strerror(errno));
	fclose(f);
	if (!strstr(b.data, "-----BEGIN "))
		die("serve: %s: not a PEM file (no -----BEGIN line)", given);
	return fk_buf_detach(&b, NULL);
}

/* The hardening settings (trusted proxies, /metrics token, TLS, write rates) into opts; dies
 * naming a bad one. What it allocates is freed by free_hardening. */
static void setup_hardening(const struct value *vals, struct fk_proxies *proxies,
			    struct fk_server_opts *opts)
{
	struct fk_err err = {0};
	bool cert = vals[S_TLS_CERT].text && *vals[S_TLS_CERT].text;
	bool key = vals[S_TLS_KEY].text && *vals[S_TLS_KEY].text;

	char given[600];

	if (fk_proxies_parse(vals[S_TRUSTED_PROXIES].text, proxies, &err) < 0)
		die("serve: %s: %s",
		    as_given(&settings[S_TRUSTED_PROXIES], &vals[S_TRUSTED_PROXIES], given,
			     sizeof(given)),
		    err.en);
	if (cert != key)
		die("serve: --tls-cert and --tls-key go together: give both or neither (%s is "
		    "missing)",
		    cert ? "--tls-key" : "--tls-cert");
	opts->proxies = proxies;
	opts->metrics_token = vals[S_METRICS_TOKEN].text;
	opts->tls_cert = cert ? read_pem(S_TLS_CERT, &vals[S_TLS_CERT]) : NULL;
	opts->tls_key = key ? read_pem(S_TLS_KEY, &vals[S_TLS_KEY]) : NULL;
	opts->write_rate = (unsigned)vals[S_WRITE_RATE].n;
	opts->write_rate_ip = (unsigned)vals[S_WRITE_RATE_IP].n;
}

static void free_hardening(struct fk_proxies *proxies, struct fk_server_opts *opts)
{
	fk_proxies_free(proxies);
	if (opts->tls_key)
		sodium_memzero((char *)opts->tls_key, strlen(opts->tls_key));
	free((char *)opts->tls_cert);
	free((char *)opts->tls_key);
}

/* The test clock only for a server started for tests; it adds the route that moves it. */
static void setup_test_clock(const struct value *v)
{
	const char *mode = getenv(FK_TEST_MODE_ENV);

	if (!v->n)
		return;
	if (!mode || strcmp(mode, "1") != 0)
		die("serve: --test-clock (FANGKONG_TEST_CLOCK) is for tests only: it needs %s=1 in "
		    "the environment as well",
		    FK_TEST_MODE_ENV);
	fk_clock_test_enable();
	fk_warn("event=test_clock_on route=\"POST /api/v1/test/clock\"");
}

/* fk_modules, and the test clock's routes when it is on; free the array after use. */
static const struct fk_module **server_modules(bool test_clock)
{
	int n = 0;

	while (fk_modules[n])
		n++;
	const struct fk_module **mods = fk_xcalloc((size_t)n + 2, sizeof(*mods));

	memcpy(mods, fk_modules, (size_t)n * sizeof(*mods));
	if (test_clock)
		mods[n] = &fk_module_test_clock;
	return mods;
}

/* --read-db only beside a PostgreSQL store, checked before the store is opened. */
static void check_read_db(const char *url, const char *db_url)
{
	if (url && (strncmp(db_url, "postgres", 8) != 0 || strncmp(url, "postgres", 8) != 0))
		die("serve: --read-db (FANGKONG_READ_DB) needs a PostgreSQL store and a "
		    "postgres:// URL of its replica");
}

/* The replica's pool, as large as the primary's; no migration (a standby is read-only). */
static void open_read_store(struct fk_app *app, const char *url, int pool)
{
	struct fk_err err = {0};

	if (url && fk_store_open(url, pool, &app->read_store, &err) < 0)
		die_err("serve: --read-db", &err);
}

static int wait_for_signal(const sigset_t *sigs)
{
	int sig = 0;

	while (sigwait(sigs, &sig) != 0 || (sig != SIGINT && sig != SIGTERM))
		;
	return sig;
}

static void announce(struct fk_server *srv, const char *kind, const char *url)
{
	char where[80], shown[512];

	redact(url, shown, sizeof(shown));
	printf("fangkong: serving %s (store %s: %s)\n", fk_server_url(srv, where, sizeof(where)),
	       kind, shown);
	fflush(stdout);
}

/* The HTTP server's options from the settings (TLS, proxies and rates: setup_hardening). */
static struct fk_server_opts server_opts(const struct value *vals)
{
	return (struct fk_server_opts){
	    .listen = vals[S_LISTEN].text,
	    .threads = (int)vals[S_THREADS].n,
	    .max_body = (size_t)vals[S_MAX_BODY].n,
	    .max_conns = (unsigned)vals[S_MAX_CONNS].n,
	    .max_per_ip = (unsigned)vals[S_MAX_PER_IP].n,
	    .head_timeout_s = (unsigned)vals[S_HEAD_TIMEOUT].n,
	    .timeout_s = (unsigned)vals[S_TIMEOUT].n,
	    .version = FK_VERSION,
	};
}

int cmd_serve(int argc, char **argv, struct cmd_ctx *ctx)
{
	struct value vals[S_COUNT] = {0};
	struct fk_app app = {0};
	struct fk_server *srv = NULL;
	struct fk_sched *sched = NULL;
	const struct fk_module **mods;
	struct fk_err err = {0};
	struct fk_server_opts opts;
	struct fk_proxies proxies;
	struct fk_db_opts store;
	struct sockaddr_storage addr;
	char kind[16];
	sigset_t sigs;
	int sig;

	if (parse_flags(argc, argv, vals)) {
		print_help();
		return 0;
	}
	resolve(vals);
	setup_test_clock(&vals[S_TEST_CLOCK]);
	store = store_opts(&vals[S_DURABILITY]);
	if (fk_server_parse_listen(vals[S_LISTEN].text, &addr, &err) < 0)
		die_err("serve", &err);
	fk_log_set_level((enum fk_log_level)vals[S_LOG_LEVEL].n);
	fk_id_set_node((unsigned)vals[S_NODE].n);
	opts = server_opts(vals);
	setup_hardening(vals, &proxies, &opts);
	/* Every thread started from here on inherits the mask; only sigwait sees these. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	mods = server_modules(vals[S_TEST_CLOCK].n);
	app.modules = mods;
	app.web_dir = vals[S_WEB].text;
	app.login_rate = (int)vals[S_LOGIN_RATE].n;
	if (fk_sched_new(&app, app.modules, &sched, &err) < 0)
		die_err("serve: jobs", &err);
	check_read_db(vals[S_READ_DB].text, ctx->db_url);
	/* Held until the server stops: a restore refuses the store meanwhile. */
	struct fk_db *serving =
	    cmd_hold_store(ctx->db_url, false,
			   "a restore is replacing this store; start the server when it is done");
	if (open_store(ctx->db_url, (int)vals[S_POOL].n, &store, &app.store, kind, sizeof(kind),
		       &err) < 0)
		die_err(ctx->db_url, &err);
	open_read_store(&app, vals[S_READ_DB].text, (int)vals[S_POOL].n);
	app.no_group_commit = !vals[S_GROUP_COMMIT].n;
	if (fk_modules_start(&app, &err) < 0) {
		fk_sched_free(sched);
		fk_store_close(app.store);
		die_err("serve", &err);
	}
	if (fk_sched_start(sched, &err) < 0 || fk_server_start(&app, &opts, &srv, &err) < 0) {
		fk_sched_free(sched);
		fk_modules_stop(&app);
		fk_store_close(app.store);
		die_err("serve", &err);
	}
	announce(srv, kind, ctx->db_url);
	fk_info("serve listening=%u threads=%d pool=%lld durability=%s",
		(unsigned)fk_server_port(srv), opts.threads, vals[S_POOL].n,
		fk_durability_name(store.durability));
	sig = wait_for_signal(&sigs);
	fk_info("serve stopping signal=%s", sig == SIGINT ? "SIGINT" : "SIGTERM");
	fk_server_stop(srv, (unsigned)vals[S_GRACE].n * 1000u);
	fk_sched_free(sched);
	fk_modules_stop(&app);
	fk_store_close(app.read_store);
	fk_store_close(app.store);
	fk_db_close(serving);
	free(mods);
	free_hardening(&proxies, &opts);
	fk_info("serve stopped");
	return 0;
}
