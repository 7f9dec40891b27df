/* phone: Chinese phone numbers, read after fk_norm_phone (full-width forms folded, every kind of
 * space read as a gap). Mobile: 11 digits starting 1[3-9]; an optional +86 / 86 prefix
 * and spaces or dashes are removed. Landline: 0 + 2-3 digit area code + 7-8 digits, optional
 * "-ext"; normalised to "0532-88886666". */
#ifndef FK_PHONE_H
#define FK_PHONE_H
#include <stddef.h>
#include "base/err.h"

/* Validates and normalises into out (size >= 24). Errors name the field "phone". */
int fk_phone_normalize(const char *in, char out[24], struct fk_err *err);

#endif
