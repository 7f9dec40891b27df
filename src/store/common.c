/* common: what both store backends share: choosing a backend by URL, the per-connection
 * statement cache (keyed by SQL text), dispatch of the fk_q calls, the one-shot shorthands,
 * and prefix ranges. Nothing here knows a SQL dialect. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "base/xmalloc.h"
#include "store/backend.h"

static bool is_pg_url(const char *url)
{
	return strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0;
}

/* PostgreSQL takes no option: its durability is the server's (see db.h). */
int fk_db_open_with(const char *url, const struct fk_db_opts *opts, struct fk_db **out,
		    struct fk_err *err)
{
	static const struct fk_db_opts defaults = {0};

	*out = NULL;
	if (!url || !*url)
		return fk_err_set(err, FK_EINVAL, "db_url", "db", "未指定数据库", "no store given");
	if (is_pg_url(url))
		return fk_pg_open(url, out, err);
	if (strncmp(url, "sqlite://", 9) == 0)
		url += 9;
	return fk_sqlite_open(url, opts ? opts : &defaults, out, err);
}

int fk_db_open(const char *url, struct fk_db **out, struct fk_err *err)
{
	return fk_db_open_with(url, NULL, out, err);
}

static const char *const durability_names[] = {
    [FK_DURABILITY_NORMAL] = "normal",
    [FK_DURABILITY_FULL] = "full",
};

const char *fk_durability_name(enum fk_durability d)
{
	return d == FK_DURABILITY_FULL ? durability_names[d] : durability_names[0];
}

int fk_durability_parse(const char *word, enum fk_durability *out)
{
	for (int i = 0; i < 2; i++)
		if (word && strcmp(word, durability_names[i]) == 0) {
			*out = (enum fk_durability)i;
			return 0;
		}
	return -1;
}

void fk_db_init(struct fk_db *db, const struct fk_backend *be)
{
	memset(db, 0, sizeof(*db));
	db->be = be;
	db->hooks_tail = &db->hooks;
}

void fk_db_close(struct fk_db *db)
{
	if (!db)
		return;
	if (db->in_tx)
		fk_db_rollback(db);
	fk_db_counts_free(db);
	db->be->close(db);
}

enum fk_db_kind fk_db_kind(struct fk_db *db)
{
	return db->be->kind;
}

const char *fk_db_kind_name(struct fk_db *db)
{
	return db->be->name;
}

int fk_db_fail(struct fk_err *err, const char *what, const char *msg)
{
	return fk_err_set(err, FK_EDB, "db", NULL, "数据库错误（%s）：%s", "store error (%s): %s",
			  what, msg ? msg : "?");
}

int fk_db_exec(struct fk_db *db, const char *sql, struct fk_err *err)
{
	return db->be->exec(db, sql, err);
}

int fk_db_begin(struct fk_db *db, bool write, struct fk_err *err)
{
	int rc;
	if (db->in_tx)
		return fk_err_set(err, FK_EINTERNAL, "nested_tx", NULL, "事务不能嵌套",
				  "a transaction is already open on this connection");
	rc = db->be->begin(db, write, err);
	if (rc == 0)
		db->in_tx = true;
	return rc;
}

/* ---- after-commit hooks ---- */

struct fk_db_hook {
	void (*fn)(void *arg);
	void (*drop)(void *arg);
	void *arg;
	struct fk_db_hook *next;
};

void fk_db_after_commit(struct fk_db *db, void (*fn)(void *arg), void (*drop)(void *arg), void *arg)
{
	struct fk_db_hook *h;

	if (!db->in_tx) {
		fn(arg);
		return;
	}
	h = fk_xcalloc(1, sizeof(*h));
	h->fn = fn;
	h->drop = drop;
	h->arg = arg;
	*db->hooks_tail = h;
	db->hooks_tail = &h->next;
}

/* Runs (committed) or drops the hooks; the list is taken first, so a hook may use db. */
static void end_hooks(struct fk_db *db, bool committed)
{
	struct fk_db_hook *h = db->hooks, *next;

	db->hooks = NULL;
	db->hooks_tail = &db->hooks;
	for (; h; h = next) {
		next = h->next;
		if (committed)
			h->fn(h->arg);
		else if (h->drop)
			h->drop(h->arg);
		free(h);
	}
}

/* A failed commit leaves no transaction open: the work is rolled back. */
int fk_db_commit(struct fk_db *db, struct fk_err *err)
{
	int rc;
	if (!db->in_tx)
		return fk_err_set(err, FK_EINTERNAL, "no_tx", NULL, "没有打开的事务",
				  "no transaction is open");
	rc = fk_db_counts_flush(db, err);
	if (rc == 0)
		rc = db->be->commit(db, err);
	if (rc < 0)
		db->be->rollback(db);
	db->in_tx = false;
	end_hooks(db, rc == 0);
	return rc;
}

void fk_db_rollback(struct fk_db *db)
{
	if (!db->in_tx)
		return;
	db->be->rollback(db);
	db->in_tx = false;
	fk_db_counts_rewind(db, 0);
	end_hooks(db, false);
}

bool fk_db_in_tx(struct fk_db *db)
{
	return db->in_tx;
}

/* FNV-1a over "fk:" + name: stable across builds and servers, which must agree on it. */
static int64_t lock_key(const char *name)
{
	uint64_t h = 0xcbf29ce484222325u;

	for (const char *p = "fk:"; *p; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3u;
	for (const char *p = name; *p; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3u;
	return (int64_t)h;
}

int fk_db_try_lock(struct fk_db *db, const char *name, bool *got, struct fk_err *err)
{
	*got = false;
	return db->be->try_lock(db, lock_key(name), got, err);
}

int fk_db_unlock(struct fk_db *db, const char *name, struct fk_err *err)
{
	return db->be->unlock(db, lock_key(name), err);
}

int fk_db_hold_store(struct fk_db *db, bool alone, bool *got, struct fk_err *err)
{
	*got = false;
	return db->be->hold_store(db, lock_key("store:serving"), alone, got, err);
}

/* ---- notifications ---- */

static int unsupported(struct fk_db *db, struct fk_err *err)
{
	return fk_err_set(err, FK_EINTERNAL, "unsupported", "db", "%s 存储不支持跨连接通知",
			  "the %s store has no notifications between connections", db->be->name);
}

int fk_db_listen(struct fk_db *db, const char *channel, struct fk_err *err)
{
	return db->be->listen ? db->be->listen(db, channel, err) : unsupported(db, err);
}

int fk_db_wait(struct fk_db *db, int wake_fd, int timeout_ms, struct fk_err *err)
{
	return db->be->wait ? db->be->wait(db, wake_fd, timeout_ms, err) : unsupported(db, err);
}

/* ---- statement cache: chained hash on the SQL text, LRU eviction of idle statements ---- */

static uint64_t sql_hash(const char *s, size_t len)
{
	uint64_t h = 0x9e3779b97f4a7c15u ^ len, w;
	size_t i = 0;
	for (; i + 8 <= len; i += 8) {
		memcpy(&w, s + i, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdu;
		h ^= h >> 32;
	}
	for (; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3u;
	h ^= h >> 29;
	return h;
}

static void lru_unlink(struct fk_db *db, struct fk_q *q)
{
	if (q->lru_prev)
		q->lru_prev->lru_next = q->lru_next;
	else
		db->lru_head = q->lru_next;
	if (q->lru_next)
		q->lru_next->lru_prev = q->lru_prev;
	else
		db->lru_tail = q->lru_prev;
	q->lru_prev = q->lru_next = NULL;
}

static void lru_push_front(struct fk_db *db, struct fk_q *q)
{
	q->lru_prev = NULL;
	q->lru_next = db->lru_head;
	if (db->lru_head)
		db->lru_head->lru_prev = q;
	db->lru_head = q;
	if (!db->lru_tail)
		db->lru_tail = q;
}

static void q_free(struct fk_q *q)
{
	char *sql = q->sql;
	q->db->be->finalize(q);
	free(sql);
}

static void cache_remove(struct fk_db *db, struct fk_q *q)
{
	struct fk_q **pp = &db->buckets[q->hash % FK_QCACHE_BUCKETS];
	while (*pp != q)
		pp = &(*pp)->hnext;
	*pp = q->hnext;
	lru_unlink(db, q);
	db->nq--;
	q_free(q);
}

/* Drops the least recently used idle statement, if any. */
static void cache_evict(struct fk_db *db)
{
	for (struct fk_q *q = db->lru_tail; q; q = q->lru_prev) {
		if (!q->busy) {
			cache_remove(db, q);
			return;
		}
	}
}

void fk_db_cache_clear(struct fk_db *db)
{
	while (db->lru_head)
		cache_remove(db, db->lru_head);
}

static struct fk_q *cache_find(struct fk_db *db, const char *sql, size_t len, uint64_t h)
{
	for (struct fk_q *q = db->buckets[h % FK_QCACHE_BUCKETS]; q; q = q->hnext)
		if (q->hash == h && q->len == len && memcmp(q->sql, sql, len) == 0)
			return q;
	return NULL;
}

static int q_new(struct fk_db *db, const char *sql, size_t len, uint64_t h, bool cached,
		 struct fk_q **out, struct fk_err *err)
{
	struct fk_q *q;
	int rc = db->be->prepare(db, sql, &q, err);
	if (rc < 0)
		return rc;
	q->db = db;
	q->sql = fk_xstrndup(sql, len);
	q->len = len;
	q->hash = h;
	q->cached = cached;
	q->busy = false;
	q->bind_rc = 0;
	q->hnext = NULL;
	q->lru_prev = q->lru_next = NULL;
	if (cached) {
		if (db->nq >= FK_QCACHE_MAX)
			cache_evict(db);
		q->hnext = db->buckets[h % FK_QCACHE_BUCKETS];
		db->buckets[h % FK_QCACHE_BUCKETS] = q;
		lru_push_front(db, q);
		db->nq++;
	}
	*out = q;
	return 0;
}

int fk_db_query(struct fk_db *db, struct fk_q **out, const char *sql, struct fk_err *err)
{
	size_t len = strlen(sql);
	uint64_t h = sql_hash(sql, len);
	struct fk_q *q = cache_find(db, sql, len, h);
	int rc;

	*out = NULL;
	if (q && !q->busy) {
		if (db->lru_head != q) {
			lru_unlink(db, q);
			lru_push_front(db, q);
		}
	} else {
		/* The same statement already in use (a nested loop) gets a one-off twin. */
		rc = q_new(db, sql, len, h, q == NULL, &q, err);
		if (rc < 0)
			return rc;
	}
	q->busy = true;
	db->nbusy++;
	*out = q;
	return 0;
}

static void q_bind_check(struct fk_q *q, int rc)
{
	if (rc < 0 && q->bind_rc == 0)
		q->bind_rc = rc;
}

void fk_q_bind_i64(struct fk_q *q, int idx, int64_t v)
{
	q_bind_check(q, q->db->be->bind_i64(q, idx, v));
}

void fk_q_bind_double(struct fk_q *q, int idx, double v)
{
	q_bind_check(q, q->db->be->bind_double(q, idx, v));
}

void fk_q_bind_text(struct fk_q *q, int idx, const char *s)
{
	q_bind_check(q, s ? q->db->be->bind_text(q, idx, s) : q->db->be->bind_null(q, idx));
}

void fk_q_bind_null(struct fk_q *q, int idx)
{
	q_bind_check(q, q->db->be->bind_null(q, idx));
}

int fk_q_step(struct fk_q *q, struct fk_err *err)
{
	if (q->bind_rc < 0)
		return fk_err_set(err, FK_EINTERNAL, "bind", NULL, "SQL 参数绑定错误：%s",
				  "bad parameter binding for: %s", q->sql);
	return q->db->be->step(q, err);
}

int fk_q_collect(struct fk_q *q, size_t elem, void (*row)(struct fk_q *q, void *rec), void **out,
		 int *n, struct fk_err *err)
{
	char *a = NULL;
	int cap = 0, rc;

	*n = 0;
	while ((rc = fk_q_step(q, err)) > 0) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 32;
			a = fk_xrealloc(a, (size_t)cap * elem);
		}
		memset(a + (size_t)*n * elem, 0, elem);
		row(q, a + (size_t)(*n)++ * elem);
	}
	fk_q_done(q);
	if (rc < 0) {
		free(a);
		a = NULL;
		*n = 0;
	}
	*out = a;
	return rc < 0 ? rc : 0;
}

int fk_q_first(struct fk_q *q, void (*row)(struct fk_q *q, void *rec), void *rec,
	       struct fk_err *err)
{
	int rc = fk_q_step(q, err);

	if (rc > 0)
		row(q, rec);
	fk_q_done(q);
	return rc;
}

int fk_q_columns(struct fk_q *q)
{
	return q->db->be->columns(q);
}

bool fk_q_isnull(struct fk_q *q, int col)
{
	return q->db->be->isnull(q, col);
}

int64_t fk_q_i64(struct fk_q *q, int col)
{
	return q->db->be->col_i64(q, col);
}

double fk_q_double(struct fk_q *q, int col)
{
	return q->db->be->col_double(q, col);
}

const char *fk_q_text(struct fk_q *q, int col)
{
	return q->db->be->col_text(q, col);
}

int64_t fk_q_changes(struct fk_q *q)
{
	return q->db->be->changes(q);
}

void fk_q_done(struct fk_q *q)
{
	struct fk_db *db;
	if (!q)
		return;
	db = q->db;
	db->nbusy--;
	q->busy = false;
	q->bind_rc = 0;
	if (!q->cached) {
		q_free(q);
		return;
	}
	db->be->reset(q);
}

/* ---- one-shot shorthands ---- */

static int bind_fmt(struct fk_q *q, const char *fmt, va_list ap, struct fk_err *err)
{
	for (int i = 0; fmt && fmt[i]; i++) {
		switch (fmt[i]) {
		case 'i':
			fk_q_bind_i64(q, i + 1, va_arg(ap, int64_t));
			break;
		case 't':
			fk_q_bind_text(q, i + 1, va_arg(ap, const char *));
			break;
		case 'd':
			fk_q_bind_double(q, i + 1, va_arg(ap, double));
			break;
		case 'n':
			fk_q_bind_null(q, i + 1);
			break;
		default:
			return fk_err_set(err, FK_EINTERNAL, "bind", NULL, "未知的绑定格式 '%c'",
					  "unknown bind format '%c'", fmt[i]);
		}
	}
	return 0;
}

static int64_t run_v(struct fk_db *db, struct fk_err *err, const char *sql, const char *fmt,
		     va_list ap)
{
	struct fk_q *q;
	int64_t rc = fk_db_query(db, &q, sql, err);

	if (rc < 0)
		return rc;
	rc = bind_fmt(q, fmt, ap, err);
	while (rc == 0 && (rc = fk_q_step(q, err)) > 0)
		rc = 0;
	if (rc == 0)
		rc = fk_q_changes(q);
	fk_q_done(q);
	return rc;
}

int64_t fk_db_run(struct fk_db *db, struct fk_err *err, const char *sql, const char *fmt, ...)
{
	va_list ap;
	int64_t rc;

	va_start(ap, fmt);
	rc = run_v(db, err, sql, fmt, ap);
	va_end(ap);
	return rc;
}

int fk_db_write(struct fk_db *db, struct fk_err *err, const char *sql, const char *fmt, ...)
{
	va_list ap;
	int64_t rc;

	va_start(ap, fmt);
	rc = run_v(db, err, sql, fmt, ap);
	va_end(ap);
	return rc < 0 ? (int)rc : 0;
}

static int one_row(struct fk_db *db, struct fk_err *err, int64_t *out, int n, const char *sql,
		   const char *fmt, va_list ap)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q, sql, err);

	for (int i = 0; out && i < n; i++)
		out[i] = 0;
	if (rc < 0)
		return rc;
	rc = bind_fmt(q, fmt, ap, err);
	if (rc == 0)
		rc = fk_q_step(q, err);
	for (int i = 0; rc > 0 && out && i < n; i++)
		out[i] = fk_q_i64(q, i);
	fk_q_done(q);
	return rc;
}

int fk_db_one_i64(struct fk_db *db, struct fk_err *err, int64_t *out, const char *sql,
		  const char *fmt, ...)
{
	int64_t v;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = one_row(db, err, &v, 1, sql, fmt, ap);
	va_end(ap);
	if (rc > 0 && out)
		*out = v;
	return rc;
}

int fk_db_one_row(struct fk_db *db, struct fk_err *err, int64_t *out, int n, const char *sql,
		  const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = one_row(db, err, out, n, sql, fmt, ap);
	va_end(ap);
	return rc;
}

/* U+10FFFF, the highest code point: valid UTF-8 (PostgreSQL checks bound text), and above
 * every character that can follow the prefix except itself, a non-character. */
char *fk_prefix_upper(const char *prefix, char *out)
{
	size_t n = strlen(prefix);
	memcpy(out, prefix, n);
	memcpy(out + n, "\xF4\x8F\xBF\xBF", 5);
	return out;
}
