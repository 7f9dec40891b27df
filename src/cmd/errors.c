/* errors: `fangkong errors [--json]`, the table of error codes (base/err.c) the server answers
 * with. The OpenAPI test compares the --json list with docs/openapi.yaml's x-error-codes. */
#include <stdio.h>
#include <string.h>
#include <jansson.h>
#include "base/err.h"
#include "cmd/cmd.h"

static json_t *code_json(const struct fk_code_info *c)
{
	return json_pack("{s:i, s:s, s:i, s:s, s:s}", "code", c->code, "name", c->name, "status",
			 c->http_status, "key", c->key, "meaning", c->meaning);
}

int cmd_errors(int argc, char **argv, struct cmd_ctx *ctx)
{
	json_t *all;

	(void)ctx;
	if (argc > 2 || (argc == 2 && strcmp(argv[1], "--json") != 0))
		die("usage: fangkong errors [--json]");
	if (argc == 1) {
		for (int i = 0; i < fk_ncodes; i++)
			printf("%d\t%s\t%d\t%s\t%s\n", fk_codes[i].code, fk_codes[i].name,
			       fk_codes[i].http_status, fk_codes[i].key, fk_codes[i].meaning);
		return 0;
	}
	all = json_array();
	for (int i = 0; i < fk_ncodes; i++)
		json_array_append_new(all, code_json(&fk_codes[i]));
	json_dumpf(all, stdout, JSON_INDENT(2));
	putchar('\n');
	json_decref(all);
	return 0;
}
