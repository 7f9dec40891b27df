/* utf8: validation and small helpers for UTF-8 text (names, notes). */
#ifndef FK_UTF8_H
#define FK_UTF8_H
#include <stdbool.h>
#include <stddef.h>

bool fk_utf8_valid(const char *s, size_t len);
/* Length of the longest valid prefix of s (len when all of it is valid). */
size_t fk_utf8_valid_prefix(const char *s, size_t len);
size_t fk_utf8_chars(const char *s); /* code points in a valid string */
/* Trims ASCII spaces (space, tab, CR, LF) and ideographic spaces (U+3000) at both ends, in
 * place; returns s (NULL stays NULL). */
char *fk_utf8_trim(char *s);
/* Replaces each byte that does not start a valid sequence with '?', in place; returns s. */
char *fk_utf8_repair(char *s);

#endif
