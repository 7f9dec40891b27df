/* fuzz_sqlparam: libFuzzer harness for the store's '?' -> $n rewrite (fk_sql_dollar_params in
 * src/store/sqlparam.c). A small lexer written apart from it (plain state machine: normal,
 * '...' string, "..." identifier, -- comment, block comment) must agree: the output has
 * exactly as many $n as the input has '?' outside quotes and comments, no such '?' is left,
 * *nparams is that count, and the output is the input with the k-th of them replaced by $k. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store/backend.h"

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_sqlparam: check failed at line %d: %s\n", __LINE__,  \
				#cond);                                                            \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum lex { CODE, STRING, IDENT, LINE_COMMENT, BLOCK_COMMENT };

struct tally {
	int marks;   /* '?' in code */
	int dollars; /* '$' + digit in code */
};

/* Walks s; in code, a '?' is a placeholder and is written as $n to out (when not NULL). */
static void lex(const char *s, struct tally *t, char *out, size_t cap)
{
	enum lex st = CODE;
	size_t o = 0;

	memset(t, 0, sizeof(*t));
	for (size_t i = 0; s[i]; i++) {
		char c = s[i];
		bool two = false;

		switch (st) {
		case CODE:
			if (c == '?') {
				t->marks++;
				if (out)
					o += (size_t)snprintf(out + o, cap - o, "$%d", t->marks);
				continue;
			}
			t->dollars += c == '$' && s[i + 1] >= '0' && s[i + 1] <= '9';
			if (c == '\'')
				st = STRING;
			else if (c == '"')
				st = IDENT;
			else if (c == '-' && s[i + 1] == '-')
				st = LINE_COMMENT, two = true;
			else if (c == '/' && s[i + 1] == '*')
				st = BLOCK_COMMENT, two = true;
			break;
		case STRING:
			st = c == '\'' ? CODE : st;
			break;
		case IDENT:
			st = c == '"' ? CODE : st;
			break;
		case LINE_COMMENT:
			st = c == '\n' ? CODE : st;
			break;
		case BLOCK_COMMENT:
			if (c == '*' && s[i + 1] == '/')
				st = CODE, two = true;
			break;
		}
		if (out)
			out[o++] = c;
		if (two) {
			i++;
			if (out)
				out[o++] = s[i];
		}
	}
	if (out)
		out[o] = '\0';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *sql = malloc(size + 1), *got, *want;
	size_t cap = size * 12 + 1;
	struct tally in, outt;
	int n = -1;

	if (!sql)
		return 0;
	memcpy(sql, data, size);
	sql[size] = '\0';
	want = malloc(cap);
	if (!want) {
		free(sql);
		return 0;
	}
	lex(sql, &in, want, cap);
	got = fk_sql_dollar_params(sql, &n);
	CHECK(got != NULL);
	lex(got, &outt, NULL, 0);
	CHECK(n == in.marks);
	CHECK(outt.marks == 0);
	CHECK(outt.dollars == in.dollars + in.marks);
	if (strcmp(got, want) != 0)
		fprintf(stderr, "fuzz_sqlparam: in  [%s]\n got [%s]\nwant [%s]\n", sql, got, want);
	CHECK(strcmp(got, want) == 0);
	free(got);
	free(want);
	free(sql);
	return 0;
}
