/* fuzz_body: libFuzzer harness for every route's JSON body schema (struct fk_route.body in
 * each module's route table, with the built-in and test clock routes) through the check the
 * router runs on a request's body (fk_route_json_body: parse, then fk_json_check).
 * Input: byte 0 picks the route among those with a schema; the rest is its body. When the rest
 * is a JSON array, a body is built from it instead: element i is the value of the schema's
 * i-th field ({} leaves the field out; elements past the fields become unknown members), so
 * that the fuzzer reaches accepted bodies of every route without knowing the field names.
 * A body accepted must hold what its table promises (every member named there, of its type
 * and size, every required one present); a refusal must be FK_EINVAL with a documented shape
 * naming a field of the table, or the unknown member. Nothing may leak. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/utf8.h"
#include "plain_json.h"
#include "http/internal.h"
#include "modules.h"
#include "platform/jobs.h"

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_body: check failed at line %d: %s\n", __LINE__,      \
				#cond);                                                            \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

#define MAX_ROUTES 1024

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct fk_route *routes[MAX_ROUTES];
static const char *route_module[MAX_ROUTES];
static size_t nroutes;

/* A schema a route carries: names set and distinct, known types. */
static void check_schema(const char *module, const struct fk_route *r)
{
	for (const struct fk_field *f = r->body; f->name; f++) {
		if (!f->name[0] || f->type < FK_J_STRING || f->type > FK_J_ANY) {
			fprintf(stderr, "fuzz_body: %s %s %s: bad field\n", module, r->method,
				r->path);
			abort();
		}
		for (const struct fk_field *g = r->body; g != f; g++)
			if (strcmp(g->name, f->name) == 0) {
				fprintf(stderr, "fuzz_body: %s %s %s: field %s twice\n", module,
					r->method, r->path, f->name);
				abort();
			}
	}
	CHECK(!(r->flags & FK_RF_RAW_BODY));
}

static void add_module(const struct fk_module *m)
{
	for (const struct fk_route *r = m->routes; r && r->method; r++) {
		if (!r->body)
			continue;
		CHECK(nroutes < MAX_ROUTES);
		check_schema(m->name, r);
		route_module[nroutes] = m->name;
		routes[nroutes++] = r;
	}
}

/* A value of the field's type, for the seeds. */
static const char *sample(const struct fk_field *f)
{
	switch (f->type) {
	case FK_J_STRING:
		return "\"a\"";
	case FK_J_INT:
		return "1";
	case FK_J_ID:
		return "\"7123456789\"";
	case FK_J_BOOL:
		return "true";
	case FK_J_NUMBER:
		return "36.5";
	case FK_J_ARRAY:
		return "[]";
	case FK_J_OBJECT:
		return "{\"a\":1}";
	case FK_J_STRINGS:
		return "[\"a\"]";
	case FK_J_IDS:
		return "[\"1\"]";
	case FK_J_ANY:
		return "null";
	}
	return "null";
}

/* FUZZ_BODY_SEEDS=dir: one seed per route, its fields in the array form, each of its type. */
static void write_seeds(const char *dir)
{
	for (size_t i = 0; i < nroutes && i < 256; i++) {
		char path[512];
		FILE *f;

		snprintf(path, sizeof(path), "%s/route-%03zu", dir, i);
		f = fopen(path, "wb");
		CHECK(f != NULL);
		fputc((int)i, f);
		fputc('[', f);
		for (const struct fk_field *fl = routes[i]->body; fl->name; fl++)
			fprintf(f, "%s%s", fl == routes[i]->body ? "" : ",", sample(fl));
		fputc(']', f);
		fclose(f);
	}
}

static void collect(void)
{
	add_module(&fk_http_builtin);
	for (size_t i = 0; fk_modules[i]; i++)
		add_module(fk_modules[i]);
	add_module(&fk_module_test_clock);
	CHECK(nroutes > 0);
	if (getenv("FUZZ_BODY_LIST"))
		for (size_t i = 0; i < nroutes; i++)
			fprintf(stderr, "%zu\t%s\t%s %s\n", i, route_module[i], routes[i]->method,
				routes[i]->path);
	if (getenv("FUZZ_BODY_SEEDS"))
		write_seeds(getenv("FUZZ_BODY_SEEDS"));
}

/* ---- the rules of base/json.h, read plainly (plain_json.h), and more ---- */

/* The getters a handler then uses give what the table promises. */
static void use_checked(json_t *obj, const struct fk_field *sp)
{
	for (; sp->name; sp++) {
		json_t *v = json_object_get(obj, sp->name);

		CHECK(!sp->required || v != NULL);
		if (!v || json_is_null(v))
			continue;
		if (sp->type == FK_J_STRING)
			CHECK(fk_json_str(obj, sp->name) == json_string_value(v));
		if (sp->type == FK_J_INT)
			CHECK(fk_json_int(obj, sp->name, -1) == json_integer_value(v));
		if (sp->type == FK_J_ID)
			CHECK(fk_json_id(obj, sp->name) > 0);
	}
}

static void check_refusal(json_t *obj, const struct fk_route *r, int rc, const struct fk_err *e)
{
	CHECK(rc == FK_EINVAL && e->code == rc && e->key[0] && e->zh[0] && e->en[0]);
	CHECK(texts_valid(e));
	if (!obj || !json_is_object(obj)) {
		CHECK(strcmp(e->key, "invalid_json") == 0 ||
		      strcmp(e->key, "body_not_object") == 0 ||
		      strcmp(e->key, "body_required") == 0);
		return;
	}
	if (strcmp(e->key, "unknown_field") == 0)
		CHECK(names_unknown(obj, r->body, e->field));
	else
		CHECK(find(r->body, e->field) != NULL);
}

/* A refusal for one of the table's plain rules: the body breaks one of them. */
static bool plain_key(const char *key)
{
	static const char *const keys[] = {"unknown_field", "wrong_type", "missing_field",
					   "too_long", "invalid_id"};

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(key, keys[i]) == 0)
			return true;
	return false;
}

static void check_body(const struct fk_route *r, const char *text, size_t len)
{
	struct fk_err err;
	json_t *obj = (json_t *)1;
	int rc;

	fk_err_clear(&err);
	rc = fk_route_json_body(r, text, len, &obj, &err);
	if (rc == 0) {
		CHECK(json_is_object(obj) && plain_body_ok(obj, r->body));
		use_checked(obj, r->body);
	} else {
		check_refusal(obj, r, rc, &err);
		if (plain_key(err.key))
			CHECK(!plain_body_ok(obj, r->body));
	}
	json_decref(obj);
}

/* The body of the schema's fields from an array of values (see the head of the file). */
static char *built_body(const struct fk_route *r, json_t *values, size_t *len)
{
	json_t *obj = json_object();
	const struct fk_field *f = r->body;
	size_t i;
	json_t *v;
	char name[32], *text;

	json_array_foreach(values, i, v)
	{
		if (f && f->name) {
			if (!(json_is_object(v) && json_object_size(v) == 0))
				json_object_set(obj, f->name, v);
			f++;
			continue;
		}
		snprintf(name, sizeof(name), "extra%zu", i);
		json_object_set(obj, name, v);
	}
	text = json_dumps(obj, JSON_COMPACT);
	json_decref(obj);
	*len = text ? strlen(text) : 0;
	return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct fk_route *r;
	json_t *values;
	size_t len;
	char *text;

	if (!nroutes)
		collect();
	if (size == 0)
		return 0;
	r = routes[data[0] % nroutes];
	check_body(r, (const char *)data + 1, size - 1);
	values = json_loadb((const char *)data + 1, size - 1, JSON_REJECT_DUPLICATES, NULL);
	if (json_is_array(values)) {
		text = built_body(r, values, &len);
		if (text)
			check_body(r, text, len);
		free(text);
	}
	json_decref(values);
	return 0;
}
