/* util: what every file of the testing module leans on — subtree ranges of materialized
 * paths, ISO 8601 body members, an area's brief JSON. Audited write
 * transactions are fk_audit_tx_begin/_end, audit rows fk_audit_json (audit/audit.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/clock.h"
#include "testing/internal.h"

char *tr_upper(const char *path, char *out)
{
	return fk_prefix_upper(path, out);
}

bool tr_path_under(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);

	return n > 0 && strncmp(path, prefix, n) == 0;
}

int tr_body_time(json_t *body, const char *name, int64_t *out, struct fk_err *err)
{
	const char *s = fk_json_str(body, name);

	*out = 0;
	if (!s)
		return 0;
	if (fk_iso8601_parse(s, out) < 0 || *out <= 0)
		return fk_err_set(err, FK_EINVAL, "invalid_time", name,
				  "%s 不是有效的时间（例如 2022-04-01T08:00:00+08:00）",
				  "%s is not a valid time (e.g. 2022-04-01T08:00:00+08:00)", name);
	return 0;
}

json_t *tr_area_brief(const struct fk_area *a)
{
	return json_pack("{s:o, s:s, s:s, s:s, s:s}", "id", fk_json_idv(a->id), "name", a->name,
			 "code", a->code, "kind", a->kind, "path", a->path);
}
