/* test_notify: the outbox on a real store (SQLite, and PostgreSQL when FK_PG_URL is set) —
 * a message queued with its checks, and the delivery: nothing with no notifier installed,
 * each queued message handed once to a test notifier (a phone that records what it got and
 * refuses one number) and marked sent or failed with the notifier's reason, never sent
 * twice. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#define FK_TEST_NAME "test_notify"
#include "area_env.h"
#include "notify/notify.h"

/* The test notifier: what it was handed, in order; the number "13900000000" is refused. */
struct phone_log {
	int n;
	char to[8][24];
	char text[8][128];
};

static int phone_send(void *ctx, const char *to, const char *text, struct fk_err *err)
{
	struct phone_log *log = ctx;

	if (strcmp(to, "13900000000") == 0)
		return fk_err_set(err, FK_EINTERNAL, "gateway_refused", NULL, "网关拒收",
				  "the gateway refused the number");
	if (log->n < 8) {
		snprintf(log->to[log->n], sizeof log->to[0], "%s", to);
		snprintf(log->text[log->n], sizeof log->text[0], "%s", text);
	}
	log->n++;
	return 0;
}

static int64_t count(struct fk_db *db, const char *sql)
{
	struct fk_err err = {0};
	int64_t n = -1;

	area_must(fk_db_one_i64(db, &err, &n, sql, ""), &err);
	return n;
}

static int setup(void **state)
{
	struct fk_err err = {0};

	area_must(fk_db_exec(area_env_db(state), "DELETE FROM outbox", &err), &err);
	fk_notifier_set(NULL);
	return 0;
}

static void send_checks_its_input(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_err err = {0};
	int64_t id = 0;

	assert_int_equal(fk_notify_send(db, "", "notice", "hi", &id, &err), FK_EINVAL);
	assert_string_equal(err.field, "to");
	assert_int_equal(fk_notify_send(db, "13800138000", "", "hi", &id, &err), FK_EINVAL);
	assert_string_equal(err.field, "purpose");
	assert_int_equal(fk_notify_send(db, "13800138000", "notice", "", &id, &err), FK_EINVAL);
	assert_string_equal(err.field, "text");
	assert_int_equal(count(db, "SELECT COUNT(*) FROM outbox"), 0);
	area_must(fk_notify_send(db, "13800138000", "notice", "你好", &id, &err), &err);
	assert_true(id > 0);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM outbox WHERE status = 'queued' AND "
				   "channel = 'sms' AND purpose = 'notice'"),
			 1);
}

static void no_notifier_leaves_them_queued(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_err err = {0};
	int sent = -1, failed = -1;

	area_must(fk_notify_send(db, "13800138000", "notice", "一", NULL, &err), &err);
	area_must(fk_notify_deliver(db, &sent, &failed, &err), &err);
	assert_int_equal(sent, 0);
	assert_int_equal(failed, 0);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM outbox WHERE status = 'queued'"), 1);
}

static void delivery_marks_each_once(void **state)
{
	static struct phone_log log;
	static const struct fk_notifier phone = {
	    .name = "test-phone", .send = phone_send, .ctx = &log};
	struct fk_db *db = area_env_db(state);
	struct fk_err err = {0};
	int sent = 0, failed = 0;

	memset(&log, 0, sizeof log);
	area_must(fk_notify_send(db, "13800138000", "login_code", "一", NULL, &err), &err);
	area_must(fk_notify_send(db, "13900000000", "notice", "二", NULL, &err), &err);
	area_must(fk_notify_send(db, "13700137000", "notice", "三", NULL, &err), &err);
	fk_notifier_set(&phone);
	area_must(fk_notify_deliver(db, &sent, &failed, &err), &err);
	assert_int_equal(sent, 2);
	assert_int_equal(failed, 1);
	assert_int_equal(log.n, 2);
	assert_string_equal(log.to[0], "13800138000"); /* oldest first */
	assert_string_equal(log.text[0], "一");
	assert_string_equal(log.to[1], "13700137000");
	assert_int_equal(count(db, "SELECT COUNT(*) FROM outbox WHERE status = 'sent' AND "
				   "notifier = 'test-phone' AND sent_at IS NOT NULL"),
			 2);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM outbox WHERE status = 'failed' AND "
				   "to_phone = '13900000000' AND error LIKE '%gateway refused%'"),
			 1);
	/* A second run has nothing left: nobody gets a message twice. */
	area_must(fk_notify_deliver(db, &sent, &failed, &err), &err);
	assert_int_equal(sent + failed, 0);
	assert_int_equal(log.n, 2);
	fk_notifier_set(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(send_checks_its_input, setup),
	    cmocka_unit_test_setup(no_notifier_leaves_them_queued, setup),
	    cmocka_unit_test_setup(delivery_marks_each_once, setup),
	};
	return area_env_run("notify", tests, sizeof(tests) / sizeof(tests[0]));
}
