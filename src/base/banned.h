/* banned: C library calls fangkong does not use, made to fail the build. Each either writes
 * past a buffer it cannot see the end of (strcpy, strcat, sprintf, vsprintf, gets, stpcpy),
 * hides errors (atoi, atol, atoll: use strtol/strtoll and check end and errno), keeps hidden
 * state across calls (strtok: use strtok_r or strcspn), or leaves a string unterminated
 * (strncpy, strncat: use snprintf or memcpy with the length known). Use snprintf, fk_buf
 * (base/buf.h) or the arena's copies instead.
 *
 * The build puts this header in front of every file (-include in CMakeLists.txt); it includes
 * the headers that declare the calls first, so their declarations are seen as written and only
 * a use in fangkong's own code meets the macro. */
#ifndef FK_BANNED_H
#define FK_BANNED_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FK_BANNED(fn) sorry_##fn##_is_banned_in_fangkong

#undef strcpy
#define strcpy(...) FK_BANNED(strcpy)
#undef strcat
#define strcat(...) FK_BANNED(strcat)
#undef strncpy
#define strncpy(...) FK_BANNED(strncpy)
#undef strncat
#define strncat(...) FK_BANNED(strncat)
#undef stpcpy
#define stpcpy(...) FK_BANNED(stpcpy)
#undef sprintf
#define sprintf(...) FK_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) FK_BANNED(vsprintf)
#undef gets
#define gets(...) FK_BANNED(gets)
#undef atoi
#define atoi(...) FK_BANNED(atoi)
#undef atol
#define atol(...) FK_BANNED(atol)
#undef atoll
#define atoll(...) FK_BANNED(atoll)
#undef strtok
#define strtok(...) FK_BANNED(strtok)

#endif
