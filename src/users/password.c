/* password: the rules for usernames and passwords, argon2id hashing (libsodium, interactive
 * limits), and generated passwords for the CLI and the demo. */
#include <pthread.h>
#include <sodium.h>
#include <string.h>
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

int users_check_password(const char *s, struct fk_err *err)
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

int fk_password_hash(const char *password, char *out, struct fk_err *err)
{
	if (sodium_init() < 0)
		return fk_err_set(err, FK_EINTERNAL, "crypto_unavailable", NULL, "加密库初始化失败",
				  "the crypto library failed to start");
	if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
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
