/* test_signal: the platform's signals and zone rule hook (platform/signal.h, zone_rule.h):
 * listeners of a signal run in module order with the payload, an error stops the rest and is
 * returned, a listener of a signal no module declares stops fk_modules_use, and fk_zone_of
 * answers "no zone" until a module installs the hook. No store is needed: listeners get the
 * caller's db as it is (NULL here). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "platform/module.h"

static char heard[64];

static int hear(const char *who, const json_t *payload)
{
	json_int_t n = json_integer_value(json_object_get(payload, "n"));
	size_t len = strlen(heard);

	snprintf(heard + len, sizeof(heard) - len, "%s%lld;", who, (long long)n);
	return 0;
}

static int on_a(struct fk_app *app, struct fk_db *db, const json_t *p, struct fk_err *err)
{
	(void)app, (void)db, (void)err;
	return hear("a", p);
}

static int on_b(struct fk_app *app, struct fk_db *db, const json_t *p, struct fk_err *err)
{
	(void)app, (void)db, (void)err;
	return hear("b", p);
}

static int on_fail(struct fk_app *app, struct fk_db *db, const json_t *p, struct fk_err *err)
{
	(void)app, (void)db, (void)p;
	return fk_err_set(err, FK_EUNPROC, "refused_here", NULL, "拒绝", "refused");
}

static const char *const emits[] = {"t.fact", "t.other", NULL};
static const struct fk_module emitter = {.name = "emitter", .signals = emits};
static const struct fk_module first = {
    .name = "first", .listeners = (const struct fk_listener[]){{"t.fact", on_a}, {0}}};
static const struct fk_module second = {
    .name = "second",
    .listeners = (const struct fk_listener[]){{"t.other", on_fail}, {"t.fact", on_b}, {0}}};
static const struct fk_module failing = {
    .name = "failing", .listeners = (const struct fk_listener[]){{"t.fact", on_fail}, {0}}};
static const struct fk_module misspelt = {
    .name = "misspelt", .listeners = (const struct fk_listener[]){{"t.fakt", on_a}, {0}}};

static const struct fk_module *const listening[] = {&emitter, &first, &second, NULL};

static void test_listeners_run_in_module_order(void **state)
{
	struct fk_app app = {.modules = listening};
	json_t *p = json_pack("{s:i}", "n", 7);
	struct fk_err err = {0};

	(void)state;
	heard[0] = '\0';
	assert_int_equal(fk_signal(&app, NULL, "t.fact", p, &err), 0);
	assert_string_equal(heard, "a7;b7;");
	heard[0] = '\0';
	assert_int_equal(fk_signal(&app, NULL, "t.unheard", p, &err), 0);
	assert_string_equal(heard, "");
	assert_int_equal(fk_signal(NULL, NULL, "t.fact", p, &err), 0);
	json_decref(p);
}

static void test_an_error_stops_the_rest(void **state)
{
	const struct fk_module *const mods[] = {&emitter, &failing, &first, NULL};
	struct fk_app app = {.modules = mods};
	struct fk_err err = {0};

	(void)state;
	heard[0] = '\0';
	assert_int_equal(fk_signal(&app, NULL, "t.fact", NULL, &err), FK_EUNPROC);
	assert_string_equal(err.key, "refused_here");
	assert_string_equal(heard, "");
}

static void test_listener_of_undeclared_signal_refused(void **state)
{
	const struct fk_module *const bad[] = {&emitter, &misspelt, NULL};
	const struct fk_module *const orphan[] = {&first, NULL};
	struct fk_err err = {0};

	(void)state;
	assert_int_equal(fk_modules_use(listening, &err), 0);
	assert_int_equal(fk_modules_use(bad, &err), FK_EINTERNAL);
	assert_string_equal(err.key, "bad_module");
	assert_non_null(strstr(err.en, "t.fakt"));
	assert_int_equal(fk_modules_use(orphan, &err), FK_EINTERNAL);
	assert_ptr_equal(fk_modules_used(), listening);
}

static int zone_sealed(struct fk_app *app, struct fk_db *db, const char *path,
		       struct fk_zone_rule *out, struct fk_err *err)
{
	(void)app, (void)db, (void)err;
	if (strncmp(path, "/1/2/", 5) != 0)
		return 0;
	out->zone_id = 9;
	snprintf(out->kind, sizeof(out->kind), "sealed");
	out->single_tube = out->stay_home = true;
	return 0;
}

static void test_zone_of_without_and_with_the_hook(void **state)
{
	struct fk_app app = {0};
	struct fk_zone_rule z;
	struct fk_err err = {0};

	(void)state;
	memset(&z, 0xff, sizeof(z));
	assert_int_equal(fk_zone_of(&app, NULL, "/1/2/3/", &z, &err), 0);
	assert_int_equal(z.zone_id, 0);
	assert_false(z.single_tube);
	app.zone_of = zone_sealed;
	assert_int_equal(fk_zone_of(&app, NULL, "/1/2/3/", &z, &err), 0);
	assert_int_equal(z.zone_id, 9);
	assert_string_equal(z.kind, "sealed");
	assert_true(z.single_tube && z.stay_home && !z.no_entry);
	memset(&z, 0xff, sizeof(z));
	assert_int_equal(fk_zone_of(&app, NULL, "/1/5/", &z, &err), 0);
	assert_int_equal(z.zone_id, 0);
	assert_false(z.stay_home);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_listeners_run_in_module_order),
	    cmocka_unit_test(test_an_error_stops_the_rest),
	    cmocka_unit_test(test_listener_of_undeclared_signal_refused),
	    cmocka_unit_test(test_zone_of_without_and_with_the_hook),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
