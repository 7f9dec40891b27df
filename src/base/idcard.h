/* idcard: identity documents. The mainland resident ID card number (GB 11643-1999: 17 digits
 * and a mod 11-2 check digit) is validated fully and yields sex and birth date; passports and
 * Hong Kong/Macao/Taiwan permits are kept as given after trimming and upper-casing. */
#ifndef FK_IDCARD_H
#define FK_IDCARD_H
#include <stdbool.h>
#include "base/err.h"

enum fk_id_type {
	FK_IDT_RESIDENT = 0, /* 居民身份证 */
	FK_IDT_PASSPORT,     /* 护照 */
	FK_IDT_HKMO,	     /* 港澳居民来往内地通行证 / 居住证 */
	FK_IDT_TW,	     /* 台湾居民来往大陆通行证 / 居住证 */
	FK_IDT_OTHER,
};

struct fk_idcard {
	enum fk_id_type type;
	char number[40]; /* fk_norm_id_number: ASCII, no spaces, upper case, 'x' -> 'X' */
	char birth[11];	 /* "YYYY-MM-DD" or "" when unknown */
	char sex;	 /* 'M', 'F' or 0 when unknown */
	char region[7];	 /* first six digits of a resident ID, or "" */
};

/* "resident"/"passport"/"hkmo"/"tw"/"other" (any case; also 身份证/居民身份证, 护照,
 * 港澳通行证/港澳居民居住证, 台湾通行证/台胞证/台湾居民居住证, 其他) -> type; NULL or ""
 * (after trimming) -> FK_IDT_RESIDENT; -1 if unknown. */
int fk_idtype_parse(const char *s);
const char *fk_idtype_name(enum fk_id_type t);

/* GB 11643 check digit for the first 17 digits: '0'..'9' or 'X'. */
char fk_idcard_check_digit(const char *first17);

/* Validates number as the given type and fills out (may be NULL; untouched on error). Errors
 * (FK_EINVAL) name the field "id_number" and say what is wrong, each with its own key:
 * resident: "id_number_length" (not 18), "id_number_chars" (not 17 digits + digit/X),
 * "id_number_region" (first digit 0), "id_number_birth" (no such date, before 1900 or after
 * today, China time), "id_number_check" (check digit wrong); other types: "id_number_chars"
 * (not 5-20 of A-Z 0-9). A type out of range: "id_type_invalid" (field "id_type").
 * The number is first passed through fk_norm_id_number (full-width forms folded, spaces
 * anywhere dropped, a lower-case x read as X), so the errors speak of what is left. */
int fk_idcard_parse(enum fk_id_type type, const char *number, struct fk_idcard *out,
		    struct fk_err *err);

#endif
