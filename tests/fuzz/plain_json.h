/* plain_json: the rules of base/json.h's field tables read plainly, for the harnesses that
 * check fk_json_check against them (fuzz_json, fuzz_body): whether a value meets its field's
 * type, size and nullability, a field found by name, what an unknown_field error may name,
 * and that an error's texts are fit for a JSON reply. Written from json.h's comments, not
 * from json.c, so that the two readings are independent. Header-only: each harness is one
 * program. */
#ifndef FK_FUZZ_PLAIN_JSON_H
#define FK_FUZZ_PLAIN_JSON_H
#include <stdbool.h>
#include <string.h>
#include "base/json.h"
#include "base/utf8.h"

/* json.h: a decimal string of 1..19 digits (no sign, no leading zero, within int64) or an
 * integer, > 0. */
static bool plain_id(json_t *v)
{
	const char *s;
	size_t n;

	if (json_is_integer(v))
		return json_integer_value(v) > 0;
	if (!json_is_string(v))
		return false;
	s = json_string_value(v);
	n = json_string_length(v);
	if (n < 1 || n > 19 || s[0] == '0' || strspn(s, "0123456789") != n)
		return false;
	return n < 19 || strcmp(s, "9223372036854775807") <= 0;
}

static bool plain_items(const struct fk_field *f, json_t *v)
{
	size_t i, max = f->max_len ? f->max_len : 1000;
	json_t *item;

	if (!json_is_array(v) || json_array_size(v) > max)
		return false;
	json_array_foreach(v, i, item)
	{
		if (f->type == FK_J_IDS && !plain_id(item))
			return false;
		if (f->type == FK_J_STRINGS &&
		    (!json_is_string(item) || json_string_length(item) > 1024))
			return false;
	}
	return true;
}

static bool plain_value(const struct fk_field *f, json_t *v)
{
	size_t max = f->max_len ? f->max_len : 1024;

	if (json_is_null(v))
		return f->nullable;
	switch (f->type) {
	case FK_J_STRING:
		return json_is_string(v) && json_string_length(v) <= max;
	case FK_J_INT:
		return json_is_integer(v);
	case FK_J_ID:
		return plain_id(v);
	case FK_J_BOOL:
		return json_is_boolean(v);
	case FK_J_NUMBER:
		return json_is_number(v);
	case FK_J_OBJECT:
		return json_is_object(v);
	case FK_J_ARRAY:
	case FK_J_STRINGS:
	case FK_J_IDS:
		return plain_items(f, v);
	case FK_J_ANY:
		return true;
	}
	return false;
}

static const struct fk_field *find(const struct fk_field *sp, const char *name)
{
	for (; sp->name; sp++) {
		if (strcmp(sp->name, name) == 0)
			return sp;
	}
	return NULL;
}

/* Whether an object satisfies the table read plainly: every member a field of its type, every
 * required field there (a route may add rules on top, never fewer). */
static bool plain_body_ok(json_t *obj, const struct fk_field *sp)
{
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v)
	{
		const struct fk_field *f = find(sp, key);

		if (!f || !plain_value(f, v))
			return false;
	}
	for (; sp->name; sp++) {
		if (sp->required && !json_object_get(obj, sp->name))
			return false;
	}
	return true;
}

/* An unknown_field error names a member not in the table, cut to the size of err.field (where
 * up to three bytes of a cut character become '?'). */
static bool names_unknown(json_t *obj, const struct fk_field *sp, const char *field)
{
	size_t n = strlen(field), cut = 0;
	const char *key;
	json_t *v;

	while (cut < 3 && cut < n && field[n - 1 - cut] == '?')
		cut++;
	json_object_foreach(obj, key, v)
	{
		if (!find(sp, key) && strncmp(key, field, n - cut) == 0)
			return true;
	}
	return false;
}

/* The error texts go into a JSON reply as they are: they must be valid UTF-8. */
static bool texts_valid(const struct fk_err *err)
{
	return fk_utf8_valid(err->key, strlen(err->key)) &&
	       fk_utf8_valid(err->field, strlen(err->field)) &&
	       fk_utf8_valid(err->zh, strlen(err->zh)) && fk_utf8_valid(err->en, strlen(err->en));
}

#endif
