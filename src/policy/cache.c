/* cache: the process's current policy snapshot. Readers take a reference under a short lock;
 * at most once a second one reader (the first to find the look due) asks the store for its
 * latest version and, when it differs, loads the values and swaps the snapshot in. A value
 * not stored has its default, read from the definition: reads need no registry, so a unit
 * test or a command that never ran the server's start reads the same values. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "base/clock.h"
#include "base/log.h"
#include "base/xmalloc.h"
#include "policy/internal.h"

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct fk_policy_snap *current;
static int64_t checked_at = INT64_MIN / 2; /* when the store was last looked at */
static int64_t (*clock_ms)(void) = fk_now_ms;

struct fk_policy_snap *policy_snap_new(json_t *values, int64_t version)
{
	struct fk_policy_snap *s = fk_xcalloc(1, sizeof *s);

	atomic_init(&s->refs, 1);
	s->version = version;
	s->values = values ? values : json_object();
	return s;
}

void fk_policy_snap_release(struct fk_policy_snap *s)
{
	if (s && atomic_fetch_sub(&s->refs, 1) == 1) {
		json_decref(s->values);
		free(s);
	}
}

/* Installs s (stealing it) unless it is what is cached already. */
static void install(struct fk_policy_snap *s)
{
	struct fk_policy_snap *old;

	pthread_mutex_lock(&mu);
	old = current;
	current = s;
	checked_at = clock_ms();
	pthread_mutex_unlock(&mu);
	fk_policy_snap_release(old);
}

int fk_policy_load(struct fk_db *db, json_t **values, int64_t *version, struct fk_err *err)
{
	struct fk_q *q = NULL;
	json_t *o = json_object();
	int rc = fk_db_one_i64(db, err, version,
			       "SELECT COALESCE(MAX(version), 0) FROM policy_versions", "");

	if (rc >= 0)
		rc = fk_db_query(db, &q, "SELECT name, value FROM policy_values", err);
	while (rc >= 0 && (rc = fk_q_step(q, err)) > 0) {
		json_t *v = json_loads(fk_q_text(q, 1), JSON_DECODE_ANY, NULL);
		if (v)
			json_object_set_new(o, fk_q_text(q, 0), v);
		else
			fk_warn("event=policy_unreadable name=%s", fk_q_text(q, 0));
	}
	if (q)
		fk_q_done(q);
	if (rc < 0) {
		json_decref(o);
		return rc;
	}
	*values = o;
	return 0;
}

/* The version first, then the values, in one read snapshot when the caller has none open:
 * values newer than the version only make the next look load again. */
static int load_snap(struct fk_db *db, struct fk_policy_snap **out, struct fk_err *err)
{
	bool own = !fk_db_in_tx(db);
	json_t *values = NULL;
	int64_t version = 0;
	int rc = own ? fk_db_begin(db, false, err) : 0;

	if (rc == 0)
		rc = fk_policy_load(db, &values, &version, err);
	if (own)
		fk_db_rollback(db);
	if (rc == 0)
		*out = policy_snap_new(values, version);
	return rc;
}

int fk_policy_cache_refresh(struct fk_db *db, struct fk_err *err)
{
	struct fk_policy_snap *s = NULL;
	int rc = load_snap(db, &s, err);

	if (rc == 0)
		install(s);
	return rc;
}

/* The store's latest version differs from the cached one: load it. */
static void look(struct fk_db *db, int64_t cached)
{
	struct fk_err err = {0};
	int64_t latest = 0;
	int rc = fk_db_one_i64(db, &err, &latest,
			       "SELECT COALESCE(MAX(version), 0) FROM policy_versions", "");

	if (rc >= 0 && latest != cached)
		rc = fk_policy_cache_refresh(db, &err);
	if (rc < 0)
		fk_warn("event=policy_check_failed msg=\"%s\"", err.en);
}

struct fk_policy_snap *fk_policy_snap(struct fk_db *db)
{
	struct fk_policy_snap *s;
	int64_t now = clock_ms();
	bool due;

	pthread_mutex_lock(&mu);
	due = db && (!current || now - checked_at >= POLICY_CHECK_MS || now < checked_at);
	if (due)
		checked_at = now; /* the others read on meanwhile */
	s = current;
	if (s)
		atomic_fetch_add(&s->refs, 1);
	pthread_mutex_unlock(&mu);
	if (!due)
		return s ? s : policy_snap_new(NULL, 0);
	look(db, s ? s->version : -1);
	fk_policy_snap_release(s);
	pthread_mutex_lock(&mu);
	s = current;
	if (s)
		atomic_fetch_add(&s->refs, 1);
	pthread_mutex_unlock(&mu);
	return s ? s : policy_snap_new(NULL, 0);
}

void fk_policy_cache_reset(void)
{
	struct fk_policy_snap *old;

	pthread_mutex_lock(&mu);
	old = current;
	current = NULL;
	checked_at = INT64_MIN / 2;
	pthread_mutex_unlock(&mu);
	fk_policy_snap_release(old);
}

void fk_policy_cache_clock(int64_t (*now_ms)(void))
{
	pthread_mutex_lock(&mu);
	clock_ms = now_ms ? now_ms : fk_now_ms;
	checked_at = INT64_MIN / 2;
	pthread_mutex_unlock(&mu);
}

/* ---- reading a snapshot ---- */

int64_t fk_policy_snap_version(const struct fk_policy_snap *s)
{
	return s->version;
}

static json_t *stored(const struct fk_policy_snap *s, const struct fk_policy_def *d)
{
	return json_object_get(s->values, d->key);
}

int64_t fk_policy_snap_i64(const struct fk_policy_snap *s, const struct fk_policy_def *d)
{
	json_t *v = stored(s, d);
	int64_t n;

	if (d->type != FK_POLICY_INT && d->type != FK_POLICY_DURATION)
		FK_BUG("fk_policy_snap_i64 on a policy that is not an integer");
	if (json_is_integer(v))
		return json_integer_value(v);
	v = fk_policy_default(d);
	n = json_integer_value(v);
	json_decref(v);
	return n;
}

int64_t fk_policy_snap_ms(const struct fk_policy_snap *s, const struct fk_policy_def *d)
{
	if (d->type != FK_POLICY_DURATION)
		FK_BUG("fk_policy_snap_ms on a policy that is not a duration");
	return fk_policy_snap_i64(s, d) * policy_unit_ms(d->unit);
}

double fk_policy_snap_number(const struct fk_policy_snap *s, const struct fk_policy_def *d)
{
	json_t *v = stored(s, d);
	double x;

	if (json_is_number(v))
		return json_number_value(v);
	v = fk_policy_default(d);
	x = json_number_value(v);
	json_decref(v);
	return x;
}

json_t *fk_policy_snap_json(const struct fk_policy_snap *s, const struct fk_policy_def *d)
{
	json_t *v = stored(s, d);

	return v ? json_deep_copy(v) : fk_policy_default(d);
}

bool fk_policy_snap_has(const struct fk_policy_snap *s, const struct fk_policy_def *d, int64_t v)
{
	json_t *l = fk_policy_snap_json(s, d), *x;
	bool found = false;
	size_t i;

	json_array_foreach(l, i, x) found =
	    found || (json_is_integer(x) && json_integer_value(x) == v);
	json_decref(l);
	return found;
}

/* ---- one value ---- */

/* One integer read through get from a snapshot taken and released here. */
static int64_t one_i64(struct fk_db *db, const struct fk_policy_def *d, int64_t *version,
		       int64_t (*get)(const struct fk_policy_snap *, const struct fk_policy_def *))
{
	struct fk_policy_snap *s = fk_policy_snap(db);
	int64_t n = get(s, d);

	if (version)
		*version = s->version;
	fk_policy_snap_release(s);
	return n;
}

int64_t fk_policy_i64(struct fk_db *db, const struct fk_policy_def *d, int64_t *version)
{
	return one_i64(db, d, version, fk_policy_snap_i64);
}

int64_t fk_policy_ms(struct fk_db *db, const struct fk_policy_def *d, int64_t *version)
{
	return one_i64(db, d, version, fk_policy_snap_ms);
}

json_t *fk_policy_get(struct fk_db *db, const struct fk_policy_def *d, int64_t *version)
{
	struct fk_policy_snap *s = fk_policy_snap(db);
	json_t *v = fk_policy_snap_json(s, d);

	if (version)
		*version = s->version;
	fk_policy_snap_release(s);
	return v;
}
