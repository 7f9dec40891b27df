/* routes: `fangkong routes [--json]`, every HTTP route the server would answer (the built-in
 * ones, then each module's, then the test clock's, which only `serve --test-clock` adds),
 * read from the same tables the router compiles. The OpenAPI test
 * compares the --json list with docs/openapi.yaml. */
#include <stdio.h>
#include <string.h>
#include <jansson.h>
#include "cmd/cmd.h"
#include "http/server.h"
#include "modules.h"
#include "platform/jobs.h"

static json_t *role_list(unsigned roles)
{
	json_t *a = json_array();

	for (int i = 0; i < FK_ROLE_COUNT; i++)
		if (roles & (1u << i))
			json_array_append_new(a, json_string(fk_role_name((enum fk_role)i)));
	return a;
}

static void roles_text(unsigned roles, char *out, size_t size)
{
	size_t n = 0;

	if (roles == 0 || (roles & FK_ROLES_ALL) == FK_ROLES_ALL) {
		snprintf(out, size, "%s", roles ? "all" : "public");
		return;
	}
	out[0] = '\0';
	for (int i = 0; i < FK_ROLE_COUNT && n < size; i++)
		if (roles & (1u << i))
			n += (size_t)snprintf(out + n, size - n, "%s%s", n ? "," : "",
					      fk_role_name((enum fk_role)i));
}

static const char *const jtype_names[] = {
    [FK_J_STRING] = "string", [FK_J_INT] = "integer",	  [FK_J_ID] = "id",
    [FK_J_BOOL] = "boolean",  [FK_J_NUMBER] = "number",	  [FK_J_ARRAY] = "array",
    [FK_J_OBJECT] = "object", [FK_J_STRINGS] = "strings", [FK_J_IDS] = "ids",
    [FK_J_ANY] = "any",
};

/* The body schema: [{name, type, required, nullable, max_len, minimum, maximum}], the range
 * only on a numeric field that has one; NULL without a JSON body. */
static json_t *fields_json(const struct fk_field *f)
{
	json_t *a;

	if (!f)
		return json_null();
	a = json_array();
	for (; f->name; f++) {
		json_t *o = json_pack("{s:s, s:s, s:b, s:b, s:I}", "name", f->name, "type",
				      jtype_names[f->type], "required", f->required, "nullable",
				      f->nullable, "max_len", (json_int_t)f->max_len);

		if (f->min != 0 || f->max != 0) {
			json_object_set_new(o, "minimum", json_real(f->min));
			json_object_set_new(o, "maximum", json_real(f->max));
		}
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *route_json(const struct fk_module *m, const struct fk_route *r)
{
	bool write = strcmp(r->method, "GET") != 0;
	const char *body = (r->flags & FK_RF_RAW_BODY) ? "raw" : r->body ? "json" : NULL;

	return json_pack("{s:s, s:s, s:s, s:o, s:b, s:b, s:o, s:o, s:I, s:s}", "method", r->method,
			 "path", r->path, "module", m->name, "roles", role_list(r->roles), "public",
			 r->roles == 0, "csrf", write && r->roles && !(r->flags & FK_RF_NO_CSRF),
			 "body", body ? json_string(body) : json_null(), "fields",
			 fields_json(r->body), "max_body", (json_int_t)r->max_body, "summary",
			 r->summary ? r->summary : "");
}

static void print_module(const struct fk_module *m, json_t *all)
{
	char roles[256];

	for (const struct fk_route *r = m->routes; r && r->method; r++) {
		if (all) {
			json_array_append_new(all, route_json(m, r));
			continue;
		}
		roles_text(r->roles, roles, sizeof(roles));
		printf("%s\t%s\t%s\t%s\n", r->method, r->path, roles, r->summary ? r->summary : "");
	}
}

int cmd_routes(int argc, char **argv, struct cmd_ctx *ctx)
{
	json_t *all = NULL;

	(void)ctx;
	if (argc > 2 || (argc == 2 && strcmp(argv[1], "--json") != 0))
		die("usage: fangkong routes [--json]");
	if (argc == 2)
		all = json_array();
	print_module(&fk_http_builtin, all);
	for (int i = 0; fk_modules[i]; i++)
		print_module(fk_modules[i], all);
	print_module(&fk_module_test_clock, all);
	if (all) {
		json_dumpf(all, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(all);
	}
	return 0;
}
