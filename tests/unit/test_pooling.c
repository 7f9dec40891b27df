/* test_pooling: the pooling rules of registration on a real store (a temp SQLite file, and
 * PostgreSQL too when FK_PG_URL is set) — a tube takes the round's pool size and closes itself
 * when full; one person is in one live tube per round until that tube is voided; undo takes a
 * scan out (reopening a full tube) until the tube is boxed; voiding gives the counters back;
 * sampling codes carry a MAC that a guessed id cannot match; registrars work only at their own
 * sites; writes that share one commit (SQLite's group commit) keep their own outcome. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <time.h>
#define FK_TEST_NAME "test_pooling"
#include "people_env.h"
#include "base/clock.h"
#include "base/id.h"
#include "testing/internal.h"
#include "tubes/internal.h"

#define NPEOPLE 8

static int64_t pid[NPEOPLE];
static int64_t round_id, site_id, other_site;
static struct fk_principal cmd, reg;

static int64_t add_person(struct fk_db *db, int seq, int64_t area)
{
	struct fk_person p;
	struct fk_err err = {0};
	char id[19];

	memset(&p, 0, sizeof(p));
	snprintf(p.name, sizeof(p.name), "人员%d", seq);
	p.id_type = FK_IDT_RESIDENT;
	snprintf(p.id_number, sizeof(p.id_number), "%s", valid_id("19600101", seq, id));
	p.area_id = area;
	area_must(fk_person_create(db, NULL, &p, &err), &err);
	return p.id;
}

static int64_t add_site(struct fk_db *db, int64_t area, const char *code)
{
	struct fk_err err = {0};
	char path[FK_AREA_PATH_MAX];
	int64_t id = fk_id_next();

	area_path_of(db, area, path, sizeof(path));
	area_must(fk_db_run(db, &err,
			    "INSERT INTO sites (id, area_id, area_path, code, name, kind, desks, "
			    "active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'fixed', 2, 1, "
			    "?, ?)",
			    "iittiii", id, area, path, code, code, fk_now_ms(), fk_now_ms()),
		  &err);
	return id;
}

static int64_t open_round(struct fk_db *db, int pool)
{
	int64_t area = T.community;
	struct tr_round_input in = {.name = "混采规则",
				    .pool_size = pool,
				    .deadline_at = fk_now_ms() + 86400000,
				    .area_ids = &area,
				    .nareas = 1};
	struct fk_round r;
	struct fk_err err = {0};

	area_must(tr_round_create(db, &cmd, &in, &r, &err), &err);
	area_must(tr_round_open(db, &cmd, r.id, &r, &err), &err);
	return r.id;
}

static int setup(void **state)
{
	static const char *const wipe[] = {
	    "DELETE FROM samples",     "DELETE FROM tubes",	  "DELETE FROM boxes",
	    "DELETE FROM retests",     "DELETE FROM client_keys", "DELETE FROM round_stats",
	    "DELETE FROM round_areas", "DELETE FROM rounds",	  "DELETE FROM site_registrars",
	    "DELETE FROM site_areas",  "DELETE FROM sites",
	};
	struct fk_db *db = area_env_db(state);
	struct fk_err err = {0};

	assert_non_null(fk_module_testing.routes);
	assert_non_null(fk_module_tubes.routes);
	for (size_t i = 0; i < sizeof(wipe) / sizeof(wipe[0]); i++)
		area_must(fk_db_exec(db, wipe[i], &err), &err);
	people_case_setup(state);
	for (int i = 0; i < NPEOPLE; i++)
		pid[i] = add_person(db, i + 1, i < 5 ? T.a1 : T.b1);
	cmd = who_over(db, FK_ROLE_COMMANDER, T.district);
	reg = who_over(db, FK_ROLE_REGISTRAR, T.district);
	reg.user_id = 42;
	reg.see_id = false;
	round_id = open_round(db, 5);
	site_id = add_site(db, T.grid_a, "SITE-A");
	other_site = add_site(db, T.grid_b, "SITE-B");
	area_must(fk_db_run(db, &err,
			    "INSERT INTO site_registrars (site_id, user_id) VALUES (?, ?)", "ii",
			    site_id, reg.user_id),
		  &err);
	return 0;
}

/* ---- helpers: each write in its own transaction, as the API runs it ---- */

static int tube_open(struct fk_db *db, const struct fk_principal *who, const char *code,
		     int64_t site, struct fk_err *err)
{
	struct fk_tx tx;
	struct tb_tube t;
	bool created;
	int rc = fk_tx_begin(db, &tx, err);

	if (rc == 0)
		rc = tb_tube_open(db, who, round_id, site, code, &t, &created, err);
	return fk_tx_end(db, &tx, rc, err);
}

static int scan(struct fk_db *db, const struct fk_principal *who, const char *code, int64_t person,
		struct tb_tube *t, struct fk_err *err)
{
	struct fk_tx tx;
	struct fk_person p;
	struct tb_person tp = {0};
	int rc = fk_person_get(db, who, person, &p, err);

	if (rc < 0)
		return rc;
	tp.id = p.id;
	tp.area_id = p.area_id;
	snprintf(tp.name, sizeof(tp.name), "%s", p.name);
	snprintf(tp.area_path, sizeof(tp.area_path), "%s", p.area_path);
	rc = fk_tx_begin(db, &tx, err);
	if (rc == 0)
		rc = tb_scan(NULL, db, who, code, &tp, t, err);
	return fk_tx_end(db, &tx, rc, err);
}

typedef int (*tube_fn)(struct fk_db *, const struct fk_principal *, const char *, struct tb_tube *,
		       struct fk_err *);

static int tube_do(struct fk_db *db, tube_fn fn, const char *code, struct tb_tube *t,
		   struct fk_err *err)
{
	struct fk_tx tx;
	int rc = fk_tx_begin(db, &tx, err);

	if (rc == 0)
		rc = fn(db, &reg, code, t, err);
	return fk_tx_end(db, &tx, rc, err);
}

static int undo(struct fk_db *db, const char *code, int64_t person, struct tb_tube *t,
		struct fk_err *err)
{
	struct fk_tx tx;
	int rc = fk_tx_begin(db, &tx, err);

	if (rc == 0)
		rc = tb_scan_undo(db, &reg, code, person, t, err);
	return fk_tx_end(db, &tx, rc, err);
}

/* round_stats.sampled summed over the round. */
static int64_t sampled(struct fk_db *db)
{
	struct fk_err err = {0};
	int64_t n = -1;

	area_must(fk_db_one_i64(db, &err, &n,
				"SELECT CAST(COALESCE(SUM(sampled), 0) AS BIGINT) FROM round_stats "
				"WHERE round_id = ?",
				"i", round_id),
		  &err);
	return n;
}

static void must_fail(int rc, int code, const char *key, const struct fk_err *err)
{
	assert_int_equal(rc, code);
	assert_string_equal(err->key, key);
}

/* ---- the cases ---- */

static void tube_closes_at_pool_size(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_err err = {0};
	struct tb_tube t;

	area_must(tube_open(db, &reg, "T1", site_id, &err), &err);
	for (int i = 0; i < 5; i++) {
		area_must(scan(db, &reg, "T1", pid[i], &t, &err), &err);
		assert_int_equal(t.n, i + 1);
		assert_int_equal(t.capacity, 5);
		assert_string_equal(t.status, i == 4 ? "closed" : "open");
	}
	must_fail(scan(db, &reg, "T1", pid[5], &t, &err), FK_ECONFLICT, "tube_full", &err);
	assert_int_equal(sampled(db), 5);
	area_must(tb_tube_read(db, &reg, "T1", &t, &err), &err);
	assert_string_equal(t.status, "closed");
	assert_true(t.closed_at > 0);
	/* An empty tube is voided, not closed; a tube closed by hand takes nobody more. */
	area_must(tube_open(db, &reg, "T2", site_id, &err), &err);
	must_fail(tube_do(db, tb_tube_close, "T2", &t, &err), FK_EUNPROC, "tube_empty", &err);
	area_must(scan(db, &reg, "T2", pid[5], &t, &err), &err);
	area_must(tube_do(db, tb_tube_close, "T2", &t, &err), &err);
	must_fail(scan(db, &reg, "T2", pid[6], &t, &err), FK_ECONFLICT, "tube_closed", &err);
	/* A barcode is a tube's for good. */
	must_fail(tube_open(db, &reg, "T1", other_site, &err), FK_ENOTFOUND, "site_not_found",
		  &err);
	must_fail(tube_open(db, &cmd, "T1", other_site, &err), FK_ECONFLICT, "tube_code_taken",
		  &err);
}

static void one_live_tube_per_person(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_err err = {0};
	struct tb_tube t;
	int64_t live = -1;

	area_must(tube_open(db, &reg, "A", site_id, &err), &err);
	area_must(tube_open(db, &reg, "B", site_id, &err), &err);
	area_must(scan(db, &reg, "A", pid[0], &t, &err), &err);
	must_fail(scan(db, &reg, "B", pid[0], &t, &err), FK_ECONFLICT, "already_in_tube", &err);
	assert_non_null(strstr(err.en, "tube A"));
	/* Scanned twice into the same tube: told apart, so a desk can take it calmly. */
	must_fail(scan(db, &reg, "A", pid[0], &t, &err), FK_ECONFLICT, "already_scanned", &err);
	assert_non_null(strstr(err.en, "this tube (A)"));
	area_must(tb_tube_read(db, &reg, "B", &t, &err), &err);
	assert_int_equal(t.n, 0); /* the refused scan took no place */
	/* Voiding A frees the person. */
	area_must(tube_do(db, tb_tube_void, "A", &t, &err), &err);
	assert_string_equal(t.status, "voided");
	assert_int_equal(sampled(db), 0);
	area_must(scan(db, &reg, "B", pid[0], &t, &err), &err);
	must_fail(scan(db, &reg, "A", pid[1], &t, &err), FK_ECONFLICT, "tube_voided", &err);
	area_must(fk_db_one_i64(db, &err, &live,
				"SELECT COUNT(*) FROM samples WHERE person_id = ? AND voided = 0",
				"i", pid[0]),
		  &err);
	assert_int_equal(live, 1);
	assert_int_equal(sampled(db), 1);
	/* Another round is another matter. */
	round_id = open_round(db, 10);
	area_must(tube_open(db, &reg, "C", site_id, &err), &err);
	area_must(scan(db, &reg, "C", pid[0], &t, &err), &err);
}

static void undo_until_boxed(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_err err = {0};
	struct tb_tube t;
	struct tb_box b;
	bool created;

	area_must(tube_open(db, &reg, "U", site_id, &err), &err);
	for (int i = 0; i < 5; i++)
		area_must(scan(db, &reg, "U", pid[i], &t, &err), &err);
	assert_string_equal(t.status, "closed");
	area_must(undo(db, "U", pid[4], &t, &err), &err);
	assert_string_equal(t.status, "open");
	assert_int_equal(t.n, 4);
	assert_int_equal(sampled(db), 4);
	must_fail(undo(db, "U", pid[4], &t, &err), FK_ENOTFOUND, "not_in_tube", &err);
	area_must(scan(db, &reg, "U", pid[5], &t, &err), &err);
	assert_string_equal(t.status, "closed");
	/* Once boxed, the tube is what it is. */
	area_must(tb_box_create(db, &reg, "BOX1", round_id, site_id, &b, &created, &err), &err);
	assert_true(created);
	area_must(tb_box_add(db, &reg, "BOX1", "U", &b, &err), &err);
	assert_int_equal(b.n, 1);
	must_fail(undo(db, "U", pid[5], &t, &err), FK_ECONFLICT, "tube_closed", &err);
	must_fail(tube_do(db, tb_tube_void, "U", &t, &err), FK_ECONFLICT, "tube_in_box", &err);
	assert_int_equal(sampled(db), 5);
}

static void void_gives_counters_back(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_err err = {0};
	struct tb_tube t;
	int64_t a1 = -1, b1 = -1;

	area_must(tube_open(db, &reg, "V", site_id, &err), &err);
	area_must(scan(db, &reg, "V", pid[0], &t, &err), &err);
	area_must(scan(db, &reg, "V", pid[5], &t, &err), &err);
	area_must(scan(db, &reg, "V", pid[6], &t, &err), &err);
	area_must(
	    fk_db_one_i64(db, &err, &a1,
			  "SELECT sampled FROM round_stats WHERE round_id = ? AND area_id = ?",
			  "ii", round_id, T.a1),
	    &err);
	area_must(
	    fk_db_one_i64(db, &err, &b1,
			  "SELECT sampled FROM round_stats WHERE round_id = ? AND area_id = ?",
			  "ii", round_id, T.b1),
	    &err);
	assert_int_equal(a1, 1);
	assert_int_equal(b1, 2);
	area_must(tube_do(db, tb_tube_void, "V", &t, &err), &err);
	area_must(tube_do(db, tb_tube_void, "V", &t, &err), &err); /* again: no change */
	assert_int_equal(sampled(db), 0);
	must_fail(undo(db, "V", pid[0], &t, &err), FK_ECONFLICT, "tube_voided", &err);
}

static void codes_cannot_be_guessed(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_err err = {0};
	char code[TB_PERSON_CODE_MAX], again[TB_PERSON_CODE_MAX], forged[TB_PERSON_CODE_MAX];
	struct tb_person p;
	int64_t id = 0;

	area_must(tb_person_code(db, pid[0], code, &err), &err);
	area_must(tb_person_code(db, pid[0], again, &err), &err);
	assert_string_equal(code, again);
	area_must(tb_person_code_parse(db, NULL, code, &id, &err), &err);
	assert_int_equal(id, pid[0]);
	/* The same MAC under another id is not a code. */
	snprintf(forged, sizeof(forged), "FK1:%lld%s", (long long)pid[1], strrchr(code, ':'));
	must_fail(tb_person_code_parse(db, NULL, forged, &id, &err), FK_ENOTFOUND, "unknown_person",
		  &err);
	must_fail(tb_person_code_parse(db, NULL, "FK1:12:zzzzzzzz", &id, &err), FK_EINVAL,
		  "invalid_person_code", &err);
	must_fail(tb_person_code_parse(db, NULL, "370212196001010011", &id, &err), FK_EINVAL,
		  "invalid_person_code", &err);
	/* Found by code and by ID number, within the scanner's scope only. */
	area_must(tb_person_get(db, &reg, pid[0], &p, &err), &err);
	assert_int_equal(p.id, pid[0]);
	struct fk_principal gb = who_over(db, FK_ROLE_COMMUNITY, T.grid_b);
	struct fk_principal ga = who_over(db, FK_ROLE_COMMUNITY, T.grid_a);
	must_fail(tb_person_get(db, &gb, pid[0], &p, &err), FK_ENOTFOUND, "unknown_person", &err);
	assert_string_equal(err.field, "person_code");
	struct fk_person full;
	area_must(fk_person_get(db, &cmd, pid[6], &full, &err), &err);
	area_must(tb_person_by_number(db, &gb, full.id_number, &p, &err), &err);
	assert_int_equal(p.id, pid[6]);
	must_fail(tb_person_by_number(db, &ga, full.id_number, &p, &err), FK_ENOTFOUND,
		  "unknown_person", &err);
	assert_string_equal(err.field, "id_number");
	must_fail(tb_person_by_number(db, &gb, "3702-12", &p, &err), FK_EINVAL, "invalid_id_number",
		  &err);
}

/* The key a server keeps once read: codes parse from it as from the store; a store without a
 * key yet is not remembered as such, so the key made later is read then. */
static void code_key_kept_once_read(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_err err = {0};
	struct tb_code_key *cache = tb_code_key_new();
	char code[TB_PERSON_CODE_MAX], forged[TB_PERSON_CODE_MAX];
	int64_t id = 0;

	area_must((int)fk_db_run(db, &err, "DELETE FROM secrets WHERE name = 'person_code'", ""),
		  &err);
	must_fail(tb_person_code_parse(db, cache, "FK1:12:0a0b0c0d", &id, &err), FK_ENOTFOUND,
		  "unknown_person", &err);
	area_must(tb_person_code(db, pid[2], code, &err), &err); /* makes a new key */
	area_must(tb_person_code_parse(db, cache, code, &id, &err), &err);
	assert_int_equal(id, pid[2]);
	/* From the cache now, even with the store's row gone: and still checked. */
	area_must((int)fk_db_run(db, &err, "DELETE FROM secrets WHERE name = 'person_code'", ""),
		  &err);
	id = 0;
	area_must(tb_person_code_parse(db, cache, code, &id, &err), &err);
	assert_int_equal(id, pid[2]);
	snprintf(forged, sizeof(forged), "FK1:%lld%s", (long long)pid[3], strrchr(code, ':'));
	must_fail(tb_person_code_parse(db, cache, forged, &id, &err), FK_ENOTFOUND,
		  "unknown_person", &err);
	tb_code_key_free(cache);
	area_must(tb_person_code(db, pid[2], code, &err), &err); /* a key again, for what follows */
}

static void registrars_only_at_their_sites(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_err err = {0};
	struct tb_tube t;
	struct fk_principal ga = who_over(db, FK_ROLE_COMMUNITY, T.grid_a);

	/* A site a registrar is not bound to reads as missing, and so do its tubes. */
	must_fail(tube_open(db, &reg, "R1", other_site, &err), FK_ENOTFOUND, "site_not_found",
		  &err);
	area_must(tube_open(db, &cmd, "R1", other_site, &err), &err);
	must_fail(scan(db, &reg, "R1", pid[0], &t, &err), FK_ENOTFOUND, "unknown_tube", &err);
	/* Staff need the site in their scope: for others it does not exist. */
	must_fail(scan(db, &ga, "R1", pid[0], &t, &err), FK_ENOTFOUND, "unknown_tube", &err);
	area_must(tube_open(db, &ga, "R2", site_id, &err), &err);
	area_must(scan(db, &ga, "R2", pid[0], &t, &err), &err);
}

/* ---- group commit: jobs batched together keep their own outcome ---- */

struct batch_case {
	struct fk_req req;
	struct fk_batch_job job;
	struct fk_err err;
	char key[32];
	bool fail;
};

static pthread_mutex_t batch_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t batch_cv = PTHREAD_COND_INITIALIZER;
static int batch_done;

static int batch_job(struct fk_batch_job *job)
{
	struct batch_case *c = (struct batch_case *)job->req;
	int rc = fk_db_write(job->req->db, job->err,
			     "INSERT INTO client_keys (client_key, user_id, op, status, reply, at) "
			     "VALUES (?, 42, 'tube.scan', 201, '{}', 0)",
			     "t", c->key);

	/* A refused write after a write of its own: only its savepoint rolls back. */
	if (rc == 0 && c->fail)
		rc = fk_err_set(job->err, FK_ECONFLICT, "refused", NULL, "拒绝", "refused");
	return rc;
}

static void batch_job_done(struct fk_batch_job *job)
{
	(void)job;
	pthread_mutex_lock(&batch_mu);
	batch_done++;
	pthread_cond_signal(&batch_cv);
	pthread_mutex_unlock(&batch_mu);
}

static void batched_jobs_keep_their_own_outcome(void **state)
{
	struct area_env *e = *state;
	struct batch_case c[8];
	struct fk_store *store;
	struct fk_err err = {0};
	int64_t n = -1;

	memset(c, 0, sizeof(c));
	batch_done = 0;
	area_must(fk_store_open(e->url, 2, &store, &err), &err);
	for (int i = 0; i < 8; i++) {
		snprintf(c[i].key, sizeof(c[i].key), "batch-key-%d", i);
		c[i].fail = i % 3 == 1;
		c[i].job = (struct fk_batch_job){
		    .req = &c[i].req, .err = &c[i].err, .run = batch_job, .done = batch_job_done};
		area_must(fk_batch_submit(store, &c[i].job, &err), &err);
	}
	pthread_mutex_lock(&batch_mu);
	while (batch_done < 8)
		pthread_cond_wait(&batch_cv, &batch_mu);
	pthread_mutex_unlock(&batch_mu);
	for (int i = 0; i < 8; i++) {
		assert_int_equal(c[i].job.rc, c[i].fail ? FK_ECONFLICT : 0);
		assert_null(c[i].req.db); /* the writer's connection was only lent */
	}
	fk_batch_stop();
	fk_store_close(store);
	area_must(fk_db_one_i64(
		      e->db, &err, &n,
		      "SELECT COUNT(*) FROM client_keys WHERE client_key LIKE 'batch-key-%'", ""),
		  &err);
	assert_int_equal(n, 5); /* keys 1, 4 and 7 were refused */
}

/* ---- PostgreSQL: two writers' batches in a deadlock ---- */

struct race_case {
	struct fk_req req;
	struct fk_batch_job job;
	struct fk_err err;
	int64_t first, second; /* the rows it updates, in this order */
};

static int race_arrived;

/* Both jobs hold their first row before either asks for its second (on their first try
 * only); false after 5 s (they were not run side by side). */
static bool race_meet(void)
{
	struct timespec until;
	bool met;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 5;
	pthread_mutex_lock(&batch_mu);
	race_arrived++;
	pthread_cond_broadcast(&batch_cv);
	while (race_arrived < 2 && pthread_cond_timedwait(&batch_cv, &batch_mu, &until) == 0)
		;
	met = race_arrived >= 2;
	pthread_mutex_unlock(&batch_mu);
	return met;
}

static int race_job(struct fk_batch_job *job)
{
	struct race_case *c = (struct race_case *)job->req;
	const char *sql = "UPDATE race_rows SET v = v + 1 WHERE id = ?";
	int rc = fk_db_write(job->req->db, job->err, sql, "i", c->first);

	if (rc == 0 && job->tries == 0 && !race_meet())
		return fk_err_set(job->err, FK_EINTERNAL, "apart", NULL, "未并行",
				  "not side by side");
	if (rc == 0)
		rc = fk_db_write(job->req->db, job->err, sql, "i", c->second);
	return rc;
}

/* Each job updates two rows, the two in opposite orders, in batches of two writer
 * connections: PostgreSQL finds the deadlock and fails one; that job leaves its batch, which
 * commits, and runs again at the head of its writer's next batch. Both succeed, each row counted
 * twice. */
static void batched_jobs_run_again_after_a_deadlock(void **state)
{
	struct area_env *e = *state;
	struct race_case c[2];
	struct fk_store *store;
	struct fk_err err = {0};
	int64_t n = -1;

	if (!e->pg)
		skip(); /* one writer on SQLite: no deadlock between writers */
	area_must(fk_db_exec(e->db,
			     "CREATE TABLE race_rows (id BIGINT PRIMARY KEY, v BIGINT NOT NULL);"
			     "INSERT INTO race_rows VALUES (1, 0), (2, 0)",
			     &err),
		  &err);
	memset(c, 0, sizeof(c));
	batch_done = race_arrived = 0;
	area_must(fk_store_open(e->url, 2, &store, &err), &err);
	assert_true(fk_store_writers(store) >= 2);
	for (int i = 0; i < 2; i++) {
		c[i].first = i + 1;
		c[i].second = 2 - i;
		c[i].job = (struct fk_batch_job){
		    .req = &c[i].req, .err = &c[i].err, .run = race_job, .done = batch_job_done};
		area_must(fk_batch_submit(store, &c[i].job, &err), &err);
	}
	pthread_mutex_lock(&batch_mu);
	while (batch_done < 2)
		pthread_cond_wait(&batch_cv, &batch_mu);
	pthread_mutex_unlock(&batch_mu);
	fk_batch_stop();
	fk_store_close(store);
	assert_int_equal(c[0].job.rc, 0);
	assert_int_equal(c[1].job.rc, 0);
	/* One lost at least (both, when their lock waits ended at the same moment; again, when
	 * they met again), and each landed once. */
	assert_true(c[0].job.tries + c[1].job.tries >= 1);
	assert_in_range(c[0].job.tries, 0, 7);
	assert_in_range(c[1].job.tries, 0, 7);
	area_must(fk_db_one_i64(e->db, &err, &n, "SELECT SUM(v) FROM race_rows", ""), &err);
	assert_int_equal(n, 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(tube_closes_at_pool_size, setup),
	    cmocka_unit_test_setup(one_live_tube_per_person, setup),
	    cmocka_unit_test_setup(undo_until_boxed, setup),
	    cmocka_unit_test_setup(void_gives_counters_back, setup),
	    cmocka_unit_test_setup(codes_cannot_be_guessed, setup),
	    cmocka_unit_test_setup(code_key_kept_once_read, setup),
	    cmocka_unit_test_setup(registrars_only_at_their_sites, setup),
	    cmocka_unit_test_setup(batched_jobs_keep_their_own_outcome, setup),
	    cmocka_unit_test_setup(batched_jobs_run_again_after_a_deadlock, setup),
	};
	return area_env_run("pooling", tests, sizeof(tests) / sizeof(tests[0]));
}
