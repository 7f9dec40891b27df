/* token: session tokens and CSRF tokens. A session token is 32 random bytes, handed to the
 * browser as base64url and stored only as its BLAKE2b-256 hash, so a copy of the store lets
 * nobody log in. */
#include <sodium.h>
#include <string.h>
#include "base/log.h"
#include "users/internal.h"

#define B64URL sodium_base64_VARIANT_URLSAFE_NO_PADDING

static void users_sodium_ready(void)
{
	if (sodium_init() < 0)
		FK_BUG("libsodium failed to start");
}

void users_token_new(unsigned char raw[USERS_TOKEN_BYTES], char text[USERS_TOKEN_TEXT])
{
	users_sodium_ready();
	randombytes_buf(raw, USERS_TOKEN_BYTES);
	sodium_bin2base64(text, USERS_TOKEN_TEXT, raw, USERS_TOKEN_BYTES, B64URL);
}

bool users_token_decode(const char *text, unsigned char raw[USERS_TOKEN_BYTES])
{
	size_t len, n = 0;
	const char *end = NULL;

	if (!text)
		return false;
	len = strlen(text);
	if (len != sodium_base64_ENCODED_LEN(USERS_TOKEN_BYTES, B64URL) - 1)
		return false;
	if (sodium_base642bin(raw, USERS_TOKEN_BYTES, text, len, NULL, &n, &end, B64URL) != 0)
		return false;
	return n == USERS_TOKEN_BYTES && end == text + len;
}

void users_token_hash(const unsigned char raw[USERS_TOKEN_BYTES], char hex[USERS_TOKEN_HEX])
{
	unsigned char h[32];

	crypto_generichash(h, sizeof h, raw, USERS_TOKEN_BYTES, NULL, 0);
	sodium_bin2hex(hex, USERS_TOKEN_HEX, h, sizeof h);
}

void users_csrf_new(char out[USERS_CSRF_TEXT])
{
	unsigned char raw[24];

	users_sodium_ready();
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(out, USERS_CSRF_TEXT, raw, sizeof raw, B64URL);
}
