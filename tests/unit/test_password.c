/* Unit tests for users/password.c: username and password rules (length, libpwquality's
 * dictionary check, the username), argon2id hashing and verification, the hash's cost with and
 * without FANGKONG_TEST_MODE, generated passwords. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include <sodium.h>
#include "base/clock.h"
#include "users/internal.h"
#include "users/users.h"

static void test_username(void **state)
{
	struct fk_err err = {0};
	const char *good[] = {"abc", "admin", "grid_1", "li.wei", "a-b", "0123456789", NULL};
	const char *bad[] = {"", "ab", "Admin", "li wei", "张三", "a/b", "x@y", NULL};
	char longest[USERS_NAME_MAX + 2];

	(void)state;
	for (int i = 0; good[i]; i++)
		assert_int_equal(users_check_username(good[i], &err), 0);
	for (int i = 0; bad[i]; i++) {
		assert_int_equal(users_check_username(bad[i], &err), FK_EINVAL);
		assert_string_equal(err.field, "username");
		assert_string_equal(err.key, "invalid_username");
		assert_true(err.zh[0] && err.en[0]);
	}
	assert_int_equal(users_check_username(NULL, &err), FK_EINVAL);
	memset(longest, 'a', USERS_NAME_MAX);
	longest[USERS_NAME_MAX] = '\0';
	assert_int_equal(users_check_username(longest, &err), 0);
	longest[USERS_NAME_MAX] = 'a';
	longest[USERS_NAME_MAX + 1] = '\0';
	assert_int_equal(users_check_username(longest, &err), FK_EINVAL);
}

static void test_password_rules(void **state)
{
	struct fk_err err = {0};

	(void)state;
	assert_int_equal(users_check_password("Good-horse-42", NULL, &err), 0);
	assert_int_equal(users_check_password("Wq7-pine-36", NULL, &err), 0);
	assert_int_equal(users_check_password("Tq7-zm4", NULL, &err), FK_EINVAL);
	assert_string_equal(err.field, "password");
	assert_string_equal(err.key, "weak_password");
	assert_int_equal(users_check_password("", NULL, &err), FK_EINVAL);
	assert_int_equal(users_check_password(NULL, NULL, &err), FK_EINVAL);
	/* characters, not bytes: 7 Chinese characters are 21 bytes but too short */
	assert_int_equal(users_check_password("防控系统密码七", NULL, &err), FK_EINVAL);
	assert_int_equal(users_check_password("防控系统密码八个", NULL, &err), 0);
}

/* The passwords the demo, the benchmarks and the tests log in with must stay allowed. */
static void test_password_fixtures_pass(void **state)
{
	const char *ok[] = {"Demo-pass-1",   "bench-pass-1",  "Long-pass-99", "Grid-pass-22",
			    "Fresh-pass-33", "Unlock-pass-1", "Reg-pass-123", NULL};
	const char *names[] = {"admin", "grid1", "grid_worker.2", "newuser", "volunteer1", NULL};
	struct fk_err err = {0};

	(void)state;
	for (int i = 0; ok[i]; i++)
		for (int j = 0; names[j]; j++)
			if (users_check_password(ok[i], names[j], &err) != 0)
				fail_msg("%s for %s: %s", ok[i], names[j], err.en);
}

static void assert_refused(const char *pw, const char *user, const char *key)
{
	struct fk_err err = {0};

	if (users_check_password(pw, user, &err) != FK_EUNPROC)
		fail_msg("%s (user %s) was not refused: %s", pw, user ? user : "-", err.en);
	assert_string_equal(err.field, "password");
	assert_string_equal(err.key, key);
	assert_true(err.zh[0] && err.en[0]);
}

static void test_password_too_simple(void **state)
{
	(void)state;
	assert_refused("12345678", NULL, "password_too_simple");
	assert_refused("password", NULL, "password_too_simple");
	assert_refused("password", "grid1", "password_too_simple");
	assert_refused("abcdefgh", NULL, "password_too_simple");
	assert_refused("qwertyuiop", "admin", "password_too_simple");
}

static void test_password_contains_username(void **state)
{
	struct fk_err err = {0};

	(void)state;
	assert_refused("grid_worker.2", "grid_worker.2", "password_contains_username");
	assert_refused("My-admin-2026", "admin", "password_contains_username");
	assert_refused("ADMIN-pass-77", "admin", "password_contains_username");
	assert_refused("Xk7-lab1-Rt9z", "lab1", "password_contains_username");
	/* pwquality lets a name under 4 characters pass; ours does not */
	assert_refused("Xk7-ops-Rt9z", "ops", "password_contains_username");
	/* the same password is fine for another user */
	assert_int_equal(users_check_password("My-admin-2026", "grid1", &err), 0);
}

static void test_password_too_long(void **state)
{
	struct fk_err err = {0};
	char pw[USERS_PASSWORD_MAX + 2];

	(void)state;
	/* varied characters, so that only the length decides */
	for (size_t i = 0; i < sizeof pw - 1; i++)
		pw[i] = "Kq7-Wz3!Hb9_Pm4"[i % 15];
	pw[sizeof pw - 1] = '\0';
	assert_int_equal(users_check_password(pw, NULL, &err), FK_EINVAL);
	assert_string_equal(err.key, "invalid_password");
	pw[USERS_PASSWORD_MAX] = '\0';
	assert_int_equal(users_check_password(pw, NULL, &err), 0);
}

static void test_hash_verify(void **state)
{
	char hash[crypto_pwhash_STRBYTES], other[crypto_pwhash_STRBYTES];
	struct fk_err err = {0};

	(void)state;
	assert_int_equal(fk_password_hash("Admin-pass-1", hash, &err), 0);
	assert_non_null(strstr(hash, "$argon2id$"));
	assert_true(users_password_verify(hash, "Admin-pass-1"));
	assert_false(users_password_verify(hash, "Admin-pass-2"));
	assert_false(users_password_verify(hash, "admin-pass-1"));
	assert_false(users_password_verify(hash, ""));
	assert_false(users_password_verify(NULL, "Admin-pass-1"));
	assert_false(users_password_verify(hash, NULL));
	assert_false(users_password_verify("not a hash", "Admin-pass-1"));
	/* salted: the same password hashes differently each time */
	assert_int_equal(fk_password_hash("Admin-pass-1", other, &err), 0);
	assert_string_not_equal(hash, other);
	assert_true(users_password_verify(other, "Admin-pass-1"));
}

/* The cost a hash names: argon2id's interactive limits (m=64 MiB, t=2) in a process that does
 * not run for tests, libsodium's least (m=8 KiB, t=1) in one that does. The cost is chosen at
 * a process's first hash, so this test comes first and the cheap hash is made by a child
 * forked before the parent's first. Either hash verifies anywhere. */
static void test_hash_cost(void **state)
{
	char hash[crypto_pwhash_STRBYTES], cheap[crypto_pwhash_STRBYTES] = {0};
	struct fk_err err = {0};
	int fds[2], status = -1;
	ssize_t got;
	pid_t pid;

	(void)state;
	assert_null(getenv(FK_TEST_MODE_ENV));
	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		setenv(FK_TEST_MODE_ENV, "1", 1);
		if (fk_password_hash("Admin-pass-1", hash, &err) < 0 ||
		    write(fds[1], hash, strlen(hash)) != (ssize_t)strlen(hash))
			_exit(1);
		_exit(0);
	}
	close(fds[1]);
	got = read(fds[0], cheap, sizeof(cheap) - 1);
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_true(got > 0);
	assert_non_null(strstr(cheap, "$m=8,t=1,"));
	assert_true(users_password_verify(cheap, "Admin-pass-1"));

	assert_int_equal(fk_password_hash("Admin-pass-1", hash, &err), 0);
	assert_non_null(strstr(hash, "$m=65536,t=2,"));
	assert_true(users_password_verify(hash, "Admin-pass-1"));
}

static void test_dummy_hash(void **state)
{
	const char *h = users_dummy_hash();

	(void)state;
	assert_non_null(strstr(h, "$argon2id$"));
	assert_ptr_equal(h, users_dummy_hash());
	assert_false(users_password_verify(h, "Admin-pass-1"));
}

/* One password check per CPU at once; past them a login is refused until one ends. */
static void test_hash_slots(void **state)
{
	int n = users_hash_slots();

	(void)state;
	assert_true(n >= 1);
	for (int i = 0; i < n; i++)
		assert_true(users_hash_begin());
	assert_false(users_hash_begin());
	users_hash_end();
	assert_true(users_hash_begin());
	assert_false(users_hash_begin());
	for (int i = 0; i < n; i++)
		users_hash_end();
	assert_true(users_hash_begin());
	users_hash_end();
}

static void test_generate(void **state)
{
	char a[FK_PASSWORD_GEN_LEN + 1], b[FK_PASSWORD_GEN_LEN + 1];
	struct fk_err err = {0};

	(void)state;
	fk_password_generate(a);
	fk_password_generate(b);
	assert_int_equal(strlen(a), FK_PASSWORD_GEN_LEN);
	assert_string_not_equal(a, b);
	for (int i = 0; i < FK_PASSWORD_GEN_LEN; i++)
		assert_null(strchr("0O1lI", a[i]));
	assert_int_equal(users_check_password(a, "admin", &err), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_hash_cost), /* first: before this process's first hash */
	    cmocka_unit_test(test_username),
	    cmocka_unit_test(test_password_rules),
	    cmocka_unit_test(test_password_fixtures_pass),
	    cmocka_unit_test(test_password_too_simple),
	    cmocka_unit_test(test_password_contains_username),
	    cmocka_unit_test(test_password_too_long),
	    cmocka_unit_test(test_hash_verify),
	    cmocka_unit_test(test_dummy_hash),
	    cmocka_unit_test(test_hash_slots),
	    cmocka_unit_test(test_generate),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
