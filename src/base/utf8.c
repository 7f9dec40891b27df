/* utf8: strict UTF-8 validation (RFC 3629: no overlong forms, no surrogates, nothing above
 * U+10FFFF), counting and trimming. */
#include <string.h>
#include "base/utf8.h"

/* Length of the valid sequence at p (avail bytes left), or 0 if invalid. */
static size_t seq_len(const unsigned char *p, size_t avail)
{
	unsigned char c = p[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		return avail >= 2 && (p[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF) {
		if (avail < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
			return 0;
		if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] > 0x9F))
			return 0; /* overlong, surrogate */
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		if (avail < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 ||
		    (p[3] & 0xC0) != 0x80)
			return 0;
		if ((c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] > 0x8F))
			return 0; /* overlong, above U+10FFFF */
		return 4;
	}
	return 0;
}

size_t fk_utf8_valid_prefix(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		size_t n;

		/* ASCII runs are the common case; skip them eight at a time. */
		while (i + 8 <= len) {
			unsigned long long w;

			memcpy(&w, p + i, 8);
			if (w & 0x8080808080808080ULL)
				break;
			i += 8;
		}
		if (i >= len)
			break;
		n = seq_len(p + i, len - i);
		if (n == 0)
			return i;
		i += n;
	}
	return len;
}

bool fk_utf8_valid(const char *s, size_t len)
{
	return fk_utf8_valid_prefix(s, len) == len;
}

size_t fk_utf8_chars(const char *s)
{
	size_t n = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p & 0xC0) != 0x80)
			n++;
	}
	return n;
}

/* Length of a space (ASCII space, tab, CR, LF or U+3000 "\xE3\x80\x80") starting at p. */
static size_t space_at(const char *p)
{
	if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		return 1;
	if ((unsigned char)p[0] == 0xE3 && (unsigned char)p[1] == 0x80 &&
	    (unsigned char)p[2] == 0x80)
		return 3;
	return 0;
}

char *fk_utf8_trim(char *s)
{
	size_t start = 0, end, k;

	if (!s)
		return s;
	while ((k = space_at(s + start)) > 0)
		start += k;
	end = strlen(s + start) + start;
	for (;;) {
		if (end > start && (s[end - 1] == ' ' || s[end - 1] == '\t' || s[end - 1] == '\r' ||
				    s[end - 1] == '\n'))
			end--;
		else if (end >= start + 3 && space_at(s + end - 3) == 3)
			end -= 3;
		else
			break;
	}
	if (start > 0)
		memmove(s, s + start, end - start);
	s[end - start] = '\0';
	return s;
}

char *fk_utf8_repair(char *s)
{
	size_t len, i = 0, n;

	if (!s)
		return s;
	len = strlen(s);
	while (i < len) {
		n = seq_len((const unsigned char *)s + i, len - i);
		if (n == 0) {
			s[i] = '?';
			n = 1;
		}
		i += n;
	}
	return s;
}
