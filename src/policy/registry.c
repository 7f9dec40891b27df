/* registry: the policies every module declares, collected once at start. A definition that
 * could never hold — a malformed key, a default that does not parse or breaks its own bounds,
 * defaults that together break a cross-field rule, two definitions with one key — stops the
 * server at start with the key named, rather than failing an edit later. */
#include <stdlib.h>
#include <string.h>
#include "base/xmalloc.h"
#include "policy/internal.h"

struct entry {
	const struct fk_policy_def *def;
	const char *module;
};

static struct entry *entries;
static int nentries;

int fk_policy_count(void)
{
	return nentries;
}

const struct fk_policy_def *fk_policy_at(int i, const char **module)
{
	if (i < 0 || i >= nentries)
		return NULL;
	if (module)
		*module = entries[i].module;
	return entries[i].def;
}

const struct fk_policy_def *fk_policy_find(const char *key, const char **module)
{
	for (int i = 0; key && i < nentries; i++)
		if (strcmp(entries[i].def->key, key) == 0)
			return fk_policy_at(i, module);
	return NULL;
}

/* "prefix.name": lowercase letters, digits and '_', one or more dots, at most 63 bytes. */
static bool key_ok(const char *k)
{
	size_t n = k ? strlen(k) : 0;
	const char *dot = k ? strchr(k, '.') : NULL;

	if (n == 0 || n > 63 || !dot || dot == k || !k[n - 1] || k[n - 1] == '.')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyz0123456789_.", k[i]))
			return false;
	return true;
}

static int refuse(struct fk_err *err, const char *key, const char *zh, const char *en)
{
	return fk_err_set(err, FK_EINTERNAL, "bad_policy_definition", key,
			  "策略定义 %s 有误：%s%.0s", "policy definition %s is wrong: %.0s%s",
			  key ? key : "(null)", zh, en);
}

static int check_def(const struct fk_policy_def *d, struct fk_err *err)
{
	json_t *v;
	int rc;

	if (!key_ok(d->key))
		return refuse(err, d->key, "键名须为“模块.名称”（小写字母、数字、下划线）",
			      "the key must be \"module.name\" (lowercase letters, digits, '_')");
	if (!d->label_zh || !d->label_en || !d->help_zh || !d->help_en)
		return refuse(err, d->key, "缺少中英文名称或说明",
			      "a zh/en label or help is missing");
	if (d->min > d->max || (d->type == FK_POLICY_DURATION && !policy_unit_name(d->unit)))
		return refuse(err, d->key, "范围或单位无效", "its bounds or unit are invalid");
	v = json_loads(d->def ? d->def : "", JSON_DECODE_ANY, NULL);
	if (!v)
		return refuse(err, d->key, "默认值不是 JSON", "its default is not JSON");
	rc = fk_policy_check_value(d, v, err);
	json_decref(v);
	if (rc < 0)
		return refuse(err, d->key, "默认值不符合自身的规则",
			      "its default breaks its own rules");
	return 0;
}

static int add(const struct fk_policy_def *d, const char *module, struct fk_err *err)
{
	int rc = check_def(d, err);

	if (rc < 0)
		return rc;
	if (fk_policy_find(d->key, NULL))
		return refuse(err, d->key, "两个定义使用了同一个键",
			      "two definitions share the key");
	entries = fk_xrealloc(entries, (size_t)(nentries + 1) * sizeof *entries);
	entries[nentries++] = (struct entry){d, module};
	return 0;
}

/* The defaults together must keep every cross-field rule. */
static int check_defaults(struct fk_err *err)
{
	json_t *all = policy_values_all(NULL, NULL);
	int rc = 0;

	for (int i = 0; rc == 0 && i < nentries; i++)
		if (entries[i].def->check && entries[i].def->check(all, err) < 0)
			rc = refuse(err, entries[i].def->key, "默认值不符合跨项规则",
				    "the defaults break its cross-field rule");
	json_decref(all);
	return rc;
}

int fk_policy_registry_load(const struct fk_module *const *modules, struct fk_err *err)
{
	int rc = 0;

	free(entries);
	entries = NULL;
	nentries = 0;
	for (int i = 0; rc == 0 && modules && modules[i]; i++)
		for (const struct fk_policy_def *d = modules[i]->policies; rc == 0 && d && d->key;
		     d++)
			rc = add(d, modules[i]->name, err);
	if (rc == 0)
		rc = check_defaults(err);
	if (rc < 0) {
		free(entries);
		entries = NULL;
		nentries = 0;
	}
	return rc;
}

json_t *policy_values_all(const struct fk_policy_snap *snap, json_t *changes)
{
	json_t *all = json_object();

	for (int i = 0; i < nentries; i++) {
		const struct fk_policy_def *d = entries[i].def;
		json_t *v = changes ? json_object_get(changes, d->key) : NULL;
		if (v)
			json_object_set(all, d->key, v);
		else
			json_object_set_new(all, d->key,
					    snap ? fk_policy_snap_json(snap, d)
						 : fk_policy_default(d));
	}
	return all;
}
