/* util: what several files of the tubes module lean on. */
#include <stdio.h>
#include "tubes/internal.h"

void tb_copy_text(char *dst, size_t size, const char *s)
{
	snprintf(dst, size, "%s", s ? s : "");
}
