/* norm: ID numbers and phones as people type them. Chinese input methods, spreadsheets and ID
 * card readers give full-width forms (０-９, Ａ-Ｚ, ｘ, －, ＋, （）), ideographic and no-break
 * spaces, and stray spaces ("138 0013 8000"). Every place an ID number or a phone enters (forms
 * and the JSON API, CSV import, search, scans and desk visitors) passes it through here before
 * it is checked, stored or matched, so what is stored and compared is the ASCII form only.
 *
 * What is folded: U+FF01..U+FF5E (full-width ASCII) to U+0021..U+007E, the same character.
 * What is a space: ASCII space, tab, CR, LF, U+00A0 (no-break) and U+3000 (ideographic).
 * Anything else (a Chinese character, an emoji, a byte that is not UTF-8) is copied unchanged,
 * so the validator that runs next refuses it with its usual message; nothing is dropped
 * silently but spaces.
 *
 * Every function writes at most outsz bytes, NUL included (outsz >= 1), and the output is never
 * longer than the input. in may be NULL (read as ""). When the result does not fit, out is ""
 * and FK_EINVAL "too_long" is returned, naming the field given (err may be NULL).
 *
 *	char id[40];
 *	if (fk_norm_id_number(" ３７０２０２１９９００１０１１２３ｘ", id, sizeof(id), err) == 0)
 *		... id is "37020219900101123X"
 */
#ifndef FK_NORM_H
#define FK_NORM_H
#include <stddef.h>
#include "base/err.h"

/* The longest ID number or phone, in bytes as typed, that a request body may carry: a
 * full-width character takes three bytes, so 40 of them with spaces between still fit. */
#define FK_NORM_TYPED_MAX 200

/* Folded, every space dropped; letters keep their case. */
int fk_norm_ascii(const char *in, char *out, size_t outsz, const char *field, struct fk_err *err);

/* Folded, every space dropped, a-z upper-cased (a lower-case 'x' check digit becomes 'X').
 * Errors name the field "id_number". */
int fk_norm_id_number(const char *in, char *out, size_t outsz, struct fk_err *err);

/* Folded; spaces at either end dropped, each run of spaces inside kept as one ASCII space, which
 * fk_phone_normalize reads as the gap between digit groups (an extension is a group of its own)
 * and then drops. Errors name the field "phone". */
int fk_norm_phone(const char *in, char *out, size_t outsz, struct fk_err *err);

#endif
