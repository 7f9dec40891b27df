/* sqlparam: rewrites the common dialect's '?' placeholders as PostgreSQL's $1, $2, ...
 * A '?' inside a quoted string, a quoted identifier or a comment is text, not a parameter. */
#include <stdio.h>
#include <string.h>
#include "base/xmalloc.h"
#include "store/backend.h"

/* Returns the index just past the quoted run that starts at s[i] (a quote char). A doubled
 * quote inside is an escaped quote, which this handles for free: it ends one run and the
 * next starts at once. */
static size_t skip_quoted(const char *s, size_t i)
{
	char quote = s[i++];
	while (s[i] && s[i] != quote)
		i++;
	return s[i] ? i + 1 : i;
}

static size_t skip_comment(const char *s, size_t i)
{
	if (s[i] == '-') {
		while (s[i] && s[i] != '\n')
			i++;
		return i;
	}
	i += 2;
	while (s[i] && !(s[i] == '*' && s[i + 1] == '/'))
		i++;
	return s[i] ? i + 2 : i;
}

/* Copies what the scanner skipped, or writes $n for a placeholder. */
char *fk_sql_dollar_params(const char *sql, int *nparams)
{
	size_t len = strlen(sql), i = 0, o = 0, next;
	size_t cap = len + 1, marks = 0;
	char *out;
	int n = 0;

	for (size_t k = 0; k < len; k++)
		marks += sql[k] == '?';
	cap += marks * 11;
	out = fk_xmalloc(cap);
	while (i < len) {
		char c = sql[i];
		if (c == '?') {
			o += (size_t)snprintf(out + o, cap - o, "$%d", ++n);
			i++;
			continue;
		}
		if (c == '\'' || c == '"')
			next = skip_quoted(sql, i);
		else if ((c == '-' && sql[i + 1] == '-') || (c == '/' && sql[i + 1] == '*'))
			next = skip_comment(sql, i);
		else
			next = i + 1;
		memcpy(out + o, sql + i, next - i);
		o += next - i;
		i = next;
	}
	out[o] = '\0';
	*nparams = n;
	return out;
}
