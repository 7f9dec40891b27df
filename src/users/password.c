/* password: the rules for usernames and passwords (length, the username, libpwquality's
 * strength check with cracklib's dictionary), argon2id hashing (libsodium, interactive limits),
 * and generated passwords for the CLI and the demo. */
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>
#include <pwquality.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "base/clock.h"
#include "base/log.h"
#include "base/utf8.h"
#include "users/internal.h"
#include "users/users.h"

int users_check_username(const char *s, struct fk_err *err)
{
	size_t n = s ? strlen(s) : 0;

	if (n < USERS_NAME_MIN || n > USERS_NAME_MAX)
		return fk_err_set(
		    err, FK_EINVAL, "invalid_username", "username", "用户名须为 %d 到 %d 个字符",
		    "username must be %d to %d characters", USERS_NAME_MIN, USERS_NAME_MAX);
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
		    c == '-')
			continue;
		return fk_err_set(err, FK_EINVAL, "invalid_username", "username",
				  "用户名只能包含小写字母、数字和 _ . -",
				  "username may contain only a-z, 0-9, '_', '.' and '-'");
	}
	return 0;
}

static int check_length(const char *s, struct fk_err *err)
{
	size_t bytes = s ? strlen(s) : 0;
	size_t chars = bytes;

	if (s && fk_utf8_valid(s, bytes))
		chars = fk_utf8_chars(s);
	if (chars < USERS_PASSWORD_MIN)
		return fk_err_set(err, FK_EINVAL, "weak_password", "password",
				  "密码至少需要 %d 个字符",
				  "password must have at least %d characters", USERS_PASSWORD_MIN);
	if (bytes > USERS_PASSWORD_MAX)
		return fk_err_set(err, FK_EINVAL, "invalid_password", "password",
				  "密码不能超过 %d 字节", "password must not exceed %d bytes",
				  USERS_PASSWORD_MAX);
	return 0;
}

/* Usernames are [a-z0-9_.-], so an ASCII case fold finds "Admin" in "Admin-2026". */
static bool contains_name(const char *s, const char *name)
{
	size_t n = name ? strlen(name) : 0;

	if (n == 0)
		return false;
	for (const char *p = s; *p; p++)
		if (strncasecmp(p, name, n) == 0)
			return true;
	return false;
}

/* cracklib keeps the open dictionary in static state: one check at a time. Checks are rare
 * (an account made or a password set), so the lock costs nothing. */
static pthread_mutex_t pwq_lock = PTHREAD_MUTEX_INITIALIZER;

/* libpwquality's built-in defaults, not /etc/security/pwquality.conf, so that every host
 * applies the same rules: minlen 8, the cracklib dictionary, the username, palindromes. */
static int pwq_check(const char *pw, const char *user, char *why, size_t size)
{
	pwquality_settings_t *set = pwquality_default_settings();
	void *aux = NULL;
	int rc;

	if (!set)
		return PWQ_ERROR_MEM_ALLOC;
	pwquality_set_int_value(set, PWQ_SETTING_MIN_LENGTH, USERS_PASSWORD_MIN);
	pthread_mutex_lock(&pwq_lock);
	rc = pwquality_check(set, pw, NULL, user, &aux);
	pthread_mutex_unlock(&pwq_lock);
	if (rc < 0) /* also frees aux */
		pwquality_strerror(why, size, rc, aux);
	pwquality_free_settings(set);
	return rc;
}

static int username_refused(struct fk_err *err)
{
	return fk_err_set(err, FK_EUNPROC, "password_contains_username", "password",
			  "密码不能包含用户名", "password must not contain the username");
}

static int pwq_refused(int rc, const char *why, struct fk_err *err)
{
	if (rc == PWQ_ERROR_USER_CHECK)
		return username_refused(err);
	if (rc == PWQ_ERROR_MEM_ALLOC || strstr(why, "error loading dictionary"))
		return fk_err_set(err, FK_EINTERNAL, "password_check_unavailable", NULL,
				  "密码强度检查不可用（%s），请安装 cracklib-runtime",
				  "the password strength check is unavailable (%s): install "
				  "cracklib-runtime",
				  why);
	if (rc == PWQ_ERROR_CRACKLIB_CHECK)
		return fk_err_set(
		    err, FK_EUNPROC, "password_too_simple", "password",
		    "密码太简单：是字典中的单词或有规律的字符（如 password、12345678）%.0s",
		    "password is too simple, a dictionary word or a systematic sequence "
		    "(%s)",
		    why);
	return fk_err_set(err, FK_EUNPROC, "weak_password", "password",
			  "密码强度不足，请换一个更复杂的密码%.0s", "password is too weak (%s)",
			  why);
}

int users_check_password(const char *s, const char *username, struct fk_err *err)
{
	char why[256] = "";
	int rc = check_length(s, err);

	if (rc < 0)
		return rc;
	if (contains_name(s, username)) /* even where pwquality would let it pass */
		return username_refused(err);
	rc = pwq_check(s, username, why, sizeof why);
	return rc < 0 ? pwq_refused(rc, why, err) : 0;
}

/* The cost of a new hash: argon2id's interactive limits (64 MB, 2 passes), or libsodium's
 * least when the process runs for tests (FANGKONG_TEST_MODE=1, as the test clock needs): a
 * test run makes and logs in thousands of accounts, and at 64 MB a hash that is most of its
 * time. A hash names its own cost, so verifying needs neither. */
static pthread_once_t cost_once = PTHREAD_ONCE_INIT;
static unsigned long long cost_ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
static size_t cost_mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;

static void cost_choose(void)
{
	const char *mode = getenv(FK_TEST_MODE_ENV);

	if (mode && strcmp(mode, "1") == 0) {
		cost_ops = crypto_pwhash_OPSLIMIT_MIN;
		cost_mem = crypto_pwhash_MEMLIMIT_MIN;
		fk_warn(
		    "event=test_mode_password_hash msg=\"new password hashes at the least cost: "
		    "for tests only\"");
	}
}

int fk_password_hash(const char *password, char *out, struct fk_err *err)
{
	if (sodium_init() < 0)
		return fk_err_set(err, FK_EINTERNAL, "crypto_unavailable", NULL, "加密库初始化失败",
				  "the crypto library failed to start");
	pthread_once(&cost_once, cost_choose);
	if (crypto_pwhash_str(out, password, strlen(password), cost_ops, cost_mem) != 0)
		return fk_err_set(err, FK_EINTERNAL, "hash_failed", NULL,
				  "密码哈希失败（内存不足）",
				  "hashing the password failed (out of memory)");
	return 0;
}

bool users_password_verify(const char *hash, const char *password)
{
	if (!hash || !password)
		return false;
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

static atomic_int hashing;

int users_hash_slots(void)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	return cpus > 1 ? (int)cpus : 1;
}

bool users_hash_begin(void)
{
	if (atomic_fetch_add(&hashing, 1) < users_hash_slots())
		return true;
	atomic_fetch_sub(&hashing, 1);
	return false;
}

void users_hash_end(void)
{
	atomic_fetch_sub(&hashing, 1);
}

static const char gen_alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";

void fk_password_generate(char out[FK_PASSWORD_GEN_LEN + 1])
{
	if (sodium_init() < 0)
		FK_BUG("libsodium failed to start");
	for (int i = 0; i < FK_PASSWORD_GEN_LEN; i++)
		out[i] = gen_alphabet[randombytes_uniform(sizeof gen_alphabet - 1)];
	out[FK_PASSWORD_GEN_LEN] = '\0';
}

static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static char dummy_hash[crypto_pwhash_STRBYTES];

static void dummy_make(void)
{
	char pw[FK_PASSWORD_GEN_LEN + 1];
	struct fk_err err = {0};

	fk_password_generate(pw);
	if (fk_password_hash(pw, dummy_hash, &err) < 0)
		fk_warn("event=dummy_hash_failed msg=\"%s\"", err.en);
	sodium_memzero(pw, sizeof pw);
}

const char *users_dummy_hash(void)
{
	pthread_once(&dummy_once, dummy_make);
	return dummy_hash;
}
