/* banned_use: a file that calls banned functions; the build must refuse it (CTest
 * banned_calls_do_not_compile compiles it alone and expects the banned names in the errors). */
#include <string.h>

int banned_use(char *dst, const char *src);

int banned_use(char *dst, const char *src)
{
	strcpy(dst, src);
	return atoi(src);
}
