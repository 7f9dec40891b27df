/* mask: partial display of ID numbers and phones for roles that may not see them whole. */
#include <string.h>
#include "base/mask.h"

/* Keeps head leading and tail trailing bytes of s and stars the rest; shorter strings keep one
 * byte at each end, and two bytes or fewer are starred whole. */
static char *mask_keep(const char *s, size_t head, size_t tail, char *out, size_t outsz)
{
	size_t n, o = 0;

	if (!out || outsz == 0)
		return out;
	n = s ? strlen(s) : 0;
	if (n <= head + tail) {
		head = n > 2 ? 1 : 0;
		tail = head;
	}
	for (size_t i = 0; i < n && o + 1 < outsz; i++) {
		if (i < head || i >= n - tail)
			out[o++] = s[i];
		else
			out[o++] = '*';
	}
	out[o] = '\0';
	return out;
}

char *fk_mask_id(const char *s, char *out, size_t outsz)
{
	return mask_keep(s, 6, 4, out, outsz);
}

char *fk_mask_phone(const char *s, char *out, size_t outsz)
{
	return mask_keep(s, 3, 4, out, outsz);
}
