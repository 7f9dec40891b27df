/* norm: one pass over UTF-8 input that folds full-width ASCII forms, classes the spaces people
 * and spreadsheets put into numbers, and copies every other byte as it is. */
#include <stdbool.h>
#include "base/norm.h"

enum space_mode {
	SPACES_DROP,   /* ID numbers: "3702 0219..." is one number */
	SPACES_SINGLE, /* phones: a gap between digit groups is kept as one ' ' */
};

#define NOT_FOLDED (-1)
#define A_SPACE	   (-2)

/* What the character at s becomes: an ASCII byte, A_SPACE, or NOT_FOLDED (copy one byte).
 * *adv is set to the bytes it takes. The tests stop at a NUL, so s is never read past it. */
static int fold_at(const unsigned char *s, int *adv)
{
	*adv = 1;
	if (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\n')
		return A_SPACE;
	if (s[0] == 0xC2 && s[1] == 0xA0) { /* U+00A0 */
		*adv = 2;
		return A_SPACE;
	}
	if (s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80) { /* U+3000 */
		*adv = 3;
		return A_SPACE;
	}
	/* U+FF01..U+FF3F is EF BC 81..BF, U+FF40..U+FF5E is EF BD 80..9E. */
	if (s[0] == 0xEF && s[1] == 0xBC && s[2] >= 0x81 && s[2] <= 0xBF) {
		*adv = 3;
		return s[2] - 0x81 + 0x21;
	}
	if (s[0] == 0xEF && s[1] == 0xBD && s[2] >= 0x80 && s[2] <= 0x9E) {
		*adv = 3;
		return s[2] - 0x80 + 0x60;
	}
	return NOT_FOLDED;
}

/* The same words as a text field over its size (people/validate.c pp_copy). */
static int too_long(char *out, size_t outsz, const char *field, struct fk_err *err)
{
	out[0] = '\0';
	return fk_err_set(err, FK_EINVAL, "too_long", field, "%s 过长（最多 %zu 字节）",
			  "%s is too long (at most %zu bytes)", field, outsz - 1);
}

static int fold(const char *in, char *out, size_t outsz, enum space_mode mode, bool upper,
		const char *field, struct fk_err *err)
{
	const unsigned char *s = (const unsigned char *)(in ? in : "");
	size_t n = 0;
	bool gap = false;
	int c, adv;

	for (; *s; s += adv) {
		c = fold_at(s, &adv);
		if (c == A_SPACE) {
			gap = n > 0;
			continue;
		}
		if (gap && mode == SPACES_SINGLE) {
			if (n + 1 >= outsz)
				return too_long(out, outsz, field, err);
			out[n++] = ' ';
		}
		gap = false;
		if (c == NOT_FOLDED)
			c = *s;
		if (upper && c >= 'a' && c <= 'z')
			c -= 'a' - 'A';
		if (n + 1 >= outsz)
			return too_long(out, outsz, field, err);
		out[n++] = (char)c;
	}
	out[n] = '\0';
	return 0;
}

int fk_norm_ascii(const char *in, char *out, size_t outsz, const char *field, struct fk_err *err)
{
	return fold(in, out, outsz, SPACES_DROP, false, field, err);
}

int fk_norm_id_number(const char *in, char *out, size_t outsz, struct fk_err *err)
{
	return fold(in, out, outsz, SPACES_DROP, true, "id_number", err);
}

int fk_norm_phone(const char *in, char *out, size_t outsz, struct fk_err *err)
{
	return fold(in, out, outsz, SPACES_SINGLE, false, "phone", err);
}
