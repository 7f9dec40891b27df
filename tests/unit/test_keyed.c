/* test_keyed: the idempotent writes of platform/keyed.h used by a module of the tests' own
 * (notes), through a real server over a real store — the group commit on SQLite, a transaction
 * of its own on PostgreSQL: a repeat gets the first reply byte for byte and writes nothing, a
 * key is one user's and one operation's and one request's (another body is 422 key_reused), a
 * refused write stores no key, twins sent at once write once, and a purged key is new again. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#define FK_TEST_NAME "test_keyed"
#include "area_env.h"
#include "http_client.h"
#include "base/clock.h"
#include "base/id.h"
#include "http/server.h"
#include "platform/keyed.h"
#include "platform/platform.h"

/* ---- the notes module: one keyed write ---- */

struct note {
	const char *text;
};

static int note_parse(struct fk_req *req, void *ctx, struct fk_err *err)
{
	(void)req;
	if (strcmp(((struct note *)ctx)->text, "bad") == 0)
		return fk_err_set(err, FK_EINVAL, "bad_text", "text", "不行", "refused");
	return 0;
}

static int note_write(struct fk_req *req, void *ctx, int *status, json_t **reply,
		      struct fk_err *err)
{
	struct note *n = ctx;
	int64_t id = fk_id_next();
	int rc =
	    fk_db_write(req->db, err, "INSERT INTO t_notes (id, user_id, text) VALUES (?, ?, ?)",
			"iit", id, req->who->user_id, n->text);

	*status = 201;
	*reply = json_pack("{s:I,s:s}", "id", (json_int_t)id, "text", n->text);
	return rc;
}

static const struct fk_keyed_op note_op = {
    .name = "note.create", .parse = note_parse, .write = note_write};
static const struct fk_keyed_op other_op = {.name = "note.other", .write = note_write};

static int note_api(struct fk_req *req, struct fk_resp *resp, const struct fk_keyed_op *op,
		    struct fk_err *err)
{
	struct note *n = fk_arena_alloc(req->arena, sizeof(*n));

	n->text = fk_json_str(req->body, "text");
	return fk_keyed(req, resp, op, n, err);
}

static int api_note(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	return note_api(req, resp, &note_op, err);
}

static int api_other(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	return note_api(req, resp, &other_op, err);
}

static const struct fk_field note_body[] = {
    FK_KEYED_FIELD,
    {.name = "text", .type = FK_J_STRING, .required = true, .max_len = 100},
    FK_FIELDS_END,
};

static const struct fk_route note_routes[] = {
    {.method = "POST",
     .path = "/api/v1/t/notes",
     .fn = api_note,
     .roles = FK_R(ADMIN),
     .body = note_body,
     .summary = "a keyed note"},
    {.method = "POST",
     .path = "/api/v1/t/others",
     .fn = api_other,
     .roles = FK_R(ADMIN),
     .body = note_body,
     .summary = "another keyed operation"},
    FK_ROUTES_END,
};

static const struct fk_migration note_migrations[] = {
    {1, "001_t_notes.sql",
     "CREATE TABLE t_notes (id BIGINT PRIMARY KEY, user_id BIGINT, text TEXT)"},
    {0},
};

static const struct fk_module notes_module = {
    .name = "t_notes", .routes = note_routes, .migrations = note_migrations};
static const struct fk_module *const t_modules[] = {&fk_module_platform, &notes_module, NULL};

/* The user is the cookie "u=ID"; CSRF token "tok". */
static int fake_auth(struct fk_req *req, struct fk_err *err)
{
	const char *u = fk_req_cookie(req, "u");
	struct fk_principal *who;

	if (!u)
		return fk_err_set(err, FK_EAUTH, "unauthenticated", NULL, "请先登录", "log in");
	who = fk_arena_alloc(req->arena, sizeof(*who));
	who->user_id = strtoll(u, NULL, 10);
	who->role = FK_ROLE_ADMIN;
	snprintf(who->csrf, sizeof(who->csrf), "tok");
	req->who = who;
	return 0;
}

/* ---- a server over the env's store ---- */

static struct fk_app app;
static struct fk_server *srv;
static uint16_t port;

static int start(void **state)
{
	struct area_env *e = *state;
	struct fk_server_opts o = {.listen = "127.0.0.1:0", .threads = 4, .max_body = 4096};
	struct fk_err err = {0};

	app = (struct fk_app){.modules = t_modules, .authenticate = fake_auth};
	if (fk_store_open(e->url, 4, &app.store, &err) < 0 || fk_modules_start(&app, &err) < 0 ||
	    fk_server_start(&app, &o, &srv, &err) < 0) {
		fprintf(stderr, "server: %s\n", err.en);
		return -1;
	}
	port = fk_server_port(srv);
	return 0;
}

static int stop(void)
{
	fk_server_stop(srv, 1000);
	fk_modules_stop(&app);
	fk_store_close(app.store);
	return 0;
}

static int setup_sqlite(void **state)
{
	return area_setup_sqlite(state) < 0 ? -1 : start(state);
}

static int teardown_sqlite(void **state)
{
	stop();
	return area_teardown_sqlite(state);
}

static int setup_pg(void **state)
{
	return area_setup_pg(state) < 0 ? -1 : start(state);
}

static int teardown_pg(void **state)
{
	stop();
	return area_teardown_pg(state);
}

static int setup_case(void **state)
{
	struct fk_err err = {0};

	area_must(fk_db_exec(area_env_db(state), "DELETE FROM t_notes", &err), &err);
	area_must(fk_db_exec(area_env_db(state), "DELETE FROM client_keys", &err), &err);
	return 0;
}

static void post(const char *path, int64_t user, const char *key, const char *text, struct reply *r)
{
	char headers[128], body[256];

	snprintf(headers, sizeof(headers), "Cookie: u=%lld\r\nX-CSRF-Token: tok\r\n",
		 (long long)user);
	snprintf(body, sizeof(body), "{\"client_key\":\"%s\",\"text\":\"%s\"}", key, text);
	request(port, "POST", path, headers, body, r);
}

static int64_t notes(void **state)
{
	struct fk_err err = {0};
	int64_t n = -1;

	area_must(fk_db_one_i64(area_env_db(state), &err, &n, "SELECT COUNT(*) FROM t_notes", ""),
		  &err);
	return n;
}

/* ---- cases ---- */

static void repeat_gets_the_first_reply(void **state)
{
	static struct reply first, again;

	post("/api/v1/t/notes", 7, "key-0000-0001", "hello", &first);
	assert_int_equal(first.status, 201);
	assert_non_null(strstr(first.body, "\"text\":\"hello\""));
	post("/api/v1/t/notes", 7, "key-0000-0001", "hello", &again);
	assert_int_equal(again.status, 201);
	assert_string_equal(again.body, first.body);
	assert_int_equal(notes(state), 1);
}

static void same_key_other_body_is_refused(void **state)
{
	static struct reply first, other, again;

	post("/api/v1/t/notes", 7, "key-0000-0006", "hello", &first);
	assert_int_equal(first.status, 201);
	post("/api/v1/t/notes", 7, "key-0000-0006", "changed", &other);
	assert_int_equal(other.status, 422);
	assert_non_null(strstr(other.body, "\"code\":\"key_reused\""));
	assert_non_null(strstr(other.body, "\"field\":\"client_key\""));
	assert_non_null(strstr(other.body, "used for a different request"));
	assert_null(strstr(other.body, "changed"));
	assert_int_equal(notes(state), 1);
	/* The refusal took nothing from the key: the first body still replays. */
	post("/api/v1/t/notes", 7, "key-0000-0006", "hello", &again);
	assert_int_equal(again.status, 201);
	assert_string_equal(again.body, first.body);
	assert_int_equal(notes(state), 1);
}

static void key_stored_before_the_hash_is_not_checked(void **state)
{
	static struct reply first, other;
	struct fk_err err = {0};

	post("/api/v1/t/notes", 7, "key-0000-0007", "old", &first);
	assert_int_equal(first.status, 201);
	area_must(
	    fk_db_exec(area_env_db(state), "UPDATE client_keys SET request_hash = NULL", &err),
	    &err);
	post("/api/v1/t/notes", 7, "key-0000-0007", "changed", &other);
	assert_int_equal(other.status, 201);
	assert_string_equal(other.body, first.body);
	assert_int_equal(notes(state), 1);
}

static void key_is_one_users_and_one_ops(void **state)
{
	static struct reply r;

	post("/api/v1/t/notes", 7, "key-0000-0002", "mine", &r);
	assert_int_equal(r.status, 201);
	post("/api/v1/t/notes", 8, "key-0000-0002", "yours", &r);
	assert_int_equal(r.status, 409);
	assert_non_null(strstr(r.body, "\"code\":\"client_key_reused\""));
	post("/api/v1/t/others", 7, "key-0000-0002", "mine", &r);
	assert_int_equal(r.status, 409);
	assert_non_null(strstr(r.body, "\"code\":\"client_key_reused\""));
	assert_int_equal(notes(state), 1);
}

static void bad_keys_and_refusals_store_nothing(void **state)
{
	static struct reply r;

	post("/api/v1/t/notes", 7, "short", "x", &r);
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body, "\"code\":\"invalid_client_key\""));
	assert_non_null(strstr(r.body, "\"field\":\"client_key\""));
	post("/api/v1/t/notes", 7, "key with spaces", "x", &r);
	assert_int_equal(r.status, 400);
	post("/api/v1/t/notes", 7, "key-0000-0003", "bad", &r);
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body, "\"field\":\"text\""));
	/* Refused: the key is free for the write that follows. */
	post("/api/v1/t/notes", 7, "key-0000-0003", "good", &r);
	assert_int_equal(r.status, 201);
	assert_non_null(strstr(r.body, "\"text\":\"good\""));
	assert_int_equal(notes(state), 1);
}

#define TWINS 8

struct twin {
	struct reply r;
	pthread_t th;
	const char *text; /* what the twin asks (odd twins) */
};

static void *twin_run(void *arg)
{
	struct twin *t = arg;

	post("/api/v1/t/notes", 7, "key-0000-0004", "twin", &t->r);
	return NULL;
}

static void *odd_twin_run(void *arg)
{
	struct twin *t = arg;

	post("/api/v1/t/notes", 7, "key-0000-0008", t->text, &t->r);
	return NULL;
}

static void twins_at_once_write_once(void **state)
{
	static struct twin t[TWINS];

	for (int i = 0; i < TWINS; i++)
		assert_int_equal(pthread_create(&t[i].th, NULL, twin_run, &t[i]), 0);
	for (int i = 0; i < TWINS; i++)
		pthread_join(t[i].th, NULL);
	for (int i = 0; i < TWINS; i++) {
		assert_int_equal(t[i].r.status, 201);
		assert_string_equal(t[i].r.body, t[0].r.body);
	}
	assert_int_equal(notes(state), 1);
}

/* Twins with the same key asking different things at once: one write; the twins that asked
 * what won get its reply, the others 422 key_reused, whichever store and whoever is first. */
static void odd_twins_at_once_write_once(void **state)
{
	static struct twin t[TWINS];
	const char *winner = NULL;
	int won = 0, refused = 0;

	for (int i = 0; i < TWINS; i++) {
		t[i].text = i % 2 ? "right" : "left";
		assert_int_equal(pthread_create(&t[i].th, NULL, odd_twin_run, &t[i]), 0);
	}
	for (int i = 0; i < TWINS; i++)
		pthread_join(t[i].th, NULL);
	for (int i = 0; i < TWINS; i++) {
		if (t[i].r.status == 201) {
			won++;
			winner = winner ? winner : t[i].r.body;
			assert_string_equal(t[i].r.body, winner);
			assert_non_null(strstr(t[i].r.body, t[i].text));
		} else {
			refused++;
			assert_int_equal(t[i].r.status, 422);
			assert_non_null(strstr(t[i].r.body, "\"code\":\"key_reused\""));
		}
	}
	assert_int_equal(won, TWINS / 2);
	assert_int_equal(refused, TWINS / 2);
	assert_int_equal(notes(state), 1);
}

static void purged_key_is_new_again(void **state)
{
	static struct reply r;
	struct fk_err err = {0};
	int64_t purged = 0;

	post("/api/v1/t/notes", 7, "key-0000-0005", "old", &r);
	assert_int_equal(r.status, 201);
	area_must(fk_keyed_purge(area_env_db(state), fk_now_ms() - 60000, &purged, &err), &err);
	assert_int_equal(purged, 0); /* younger than the cut */
	area_must(fk_keyed_purge(area_env_db(state), fk_now_ms() + 1000, &purged, &err), &err);
	assert_int_equal(purged, 1);
	post("/api/v1/t/notes", 7, "key-0000-0005", "new", &r);
	assert_int_equal(r.status, 201);
	assert_non_null(strstr(r.body, "\"text\":\"new\""));
	assert_int_equal(notes(state), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(repeat_gets_the_first_reply, setup_case),
	    cmocka_unit_test_setup(same_key_other_body_is_refused, setup_case),
	    cmocka_unit_test_setup(key_stored_before_the_hash_is_not_checked, setup_case),
	    cmocka_unit_test_setup(key_is_one_users_and_one_ops, setup_case),
	    cmocka_unit_test_setup(bad_keys_and_refusals_store_nothing, setup_case),
	    cmocka_unit_test_setup(twins_at_once_write_once, setup_case),
	    cmocka_unit_test_setup(odd_twins_at_once_write_once, setup_case),
	    cmocka_unit_test_setup(purged_key_is_new_again, setup_case),
	};
	int failed;

	area_env_modules = t_modules;
	failed = cmocka_run_group_tests_name("keyed sqlite", tests, setup_sqlite, teardown_sqlite);
	if (pg_url())
		failed +=
		    cmocka_run_group_tests_name("keyed postgres", tests, setup_pg, teardown_pg);
	else
		failed += pg_missing("keyed");
	return failed ? 1 : 0;
}
