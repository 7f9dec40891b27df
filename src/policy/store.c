/* store: policy versions in the store (policy/schema/001_policies.sql). An edit is checked whole —
 * every key known, every value valid, every cross-field rule kept over the values it would leave —
 * and then written as one version row (who, when, why, each change from -> to) and the
 * changed values, in the caller's transaction: all of it or none. */
#include <stdlib.h>
#include <string.h>
#include "base/clock.h"
#include "base/utf8.h"
#include "base/xmalloc.h"
#include "policy/internal.h"

static int check_reason(const char *reason, struct fk_err *err)
{
	char *r = fk_xstrdup(reason ? reason : "");
	size_t n = fk_utf8_chars(fk_utf8_trim(r));

	free(r);
	if (n == 0)
		return fk_err_set(err, FK_EINVAL, "missing_reason", "reason",
				  "请填写修改策略的原因", "give the reason for the change");
	if (n > POLICY_REASON_MAX)
		return fk_err_set(err, FK_EINVAL, "too_long", "reason", "原因不能超过 %d 个字",
				  "the reason must be at most %d characters", POLICY_REASON_MAX);
	return 0;
}

/* Each key collected, each value valid on its own. */
static int check_values(json_t *values, struct fk_err *err)
{
	const char *k;
	json_t *v;

	if (!json_is_object(values) || json_object_size(values) == 0)
		return fk_err_set(err, FK_EINVAL, "no_values", "values", "请至少修改一项策略",
				  "change at least one policy");
	json_object_foreach(values, k, v)
	{
		const struct fk_policy_def *d = fk_policy_find(k, NULL);
		int rc;
		if (!d)
			return fk_err_set(err, FK_EINVAL, "unknown_policy", k, "没有名为 %s 的策略",
					  "there is no policy named %s", k);
		rc = fk_policy_check_value(d, v, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int check_rules(json_t *all, struct fk_err *err)
{
	for (int i = 0; i < fk_policy_count(); i++) {
		const struct fk_policy_def *d = fk_policy_at(i, NULL);
		int rc = d->check ? d->check(all, err) : 0;
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* {key: {"from": old, "to": new}} for the values that really change. */
static json_t *diff(const struct fk_policy_snap *snap, json_t *values)
{
	json_t *out = json_object(), *v;
	const char *k;

	json_object_foreach(values, k, v)
	{
		json_t *old = fk_policy_snap_json(snap, fk_policy_find(k, NULL));
		if (!json_equal(old, v))
			json_object_set_new(out, k, json_pack("{s:o, s:O}", "from", old, "to", v));
		else
			json_decref(old);
	}
	return out;
}

static int write_version(struct fk_db *db, const struct fk_policy_edit *e, int64_t version,
			 json_t *changes, struct fk_err *err)
{
	char *text = json_dumps(changes, JSON_COMPACT | JSON_SORT_KEYS);
	const char *k;
	json_t *c;
	int64_t rc = fk_db_run(db, err,
			       "INSERT INTO policy_versions (version, changed_by, changed_by_name, "
			       "changed_at, reason, changes) VALUES (?, ?, ?, ?, ?, ?)",
			       "iititt", version, e->user_id, e->username ? e->username : "",
			       fk_now_ms(), e->reason, text);

	free(text);
	json_object_foreach(changes, k, c)
	{
		if (rc < 0)
			break;
		text = json_dumps(json_object_get(c, "to"), JSON_COMPACT | JSON_ENCODE_ANY);
		rc = fk_db_run(db, err,
			       "INSERT INTO policy_values (name, value, version) VALUES (?, ?, ?) "
			       "ON CONFLICT (name) DO UPDATE SET value = excluded.value, "
			       "version = excluded.version",
			       "tti", k, text, version);
		free(text);
	}
	return rc < 0 ? (int)rc : 0;
}

/* The checks that need the stored values: the editor saw the latest version, the whole set
 * keeps every rule, something changes. */
static int check_against(const struct fk_policy_snap *snap, const struct fk_policy_edit *e,
			 json_t *changes, struct fk_err *err)
{
	json_t *all;
	int rc;

	if (e->base_version >= 0 && e->base_version != snap->version)
		return fk_err_set(err, FK_ECONFLICT, "policy_changed", "base_version",
				  "策略已被他人修改（当前版本 %lld），请刷新后再改",
				  "the policies changed meanwhile (now version %lld); reload and "
				  "edit again",
				  (long long)snap->version);
	all = policy_values_all(snap, e->values);
	rc = check_rules(all, err);
	json_decref(all);
	if (rc == 0 && json_object_size(changes) == 0)
		rc = fk_err_set(err, FK_EUNPROC, "no_change", "values",
				"所填取值与当前策略相同，没有可保存的修改",
				"the values are the current ones: nothing to save");
	return rc;
}

int fk_policy_edit(struct fk_db *db, const struct fk_policy_edit *e, int64_t *version,
		   struct fk_err *err)
{
	struct fk_policy_snap *snap = NULL;
	json_t *values = NULL, *changes = NULL;
	int64_t latest = 0;
	int rc = check_reason(e->reason, err);

	if (rc == 0)
		rc = check_values(e->values, err);
	if (rc == 0)
		rc = fk_policy_load(db, &values, &latest, err);
	if (rc == 0) {
		snap = policy_snap_new(values, latest);
		changes = diff(snap, e->values);
		rc = check_against(snap, e, changes, err);
	}
	if (rc == 0)
		rc = write_version(db, e, latest + 1, changes, err);
	if (rc == 0)
		*version = latest + 1;
	json_decref(changes);
	fk_policy_snap_release(snap);
	return rc;
}

static json_t *version_json(struct fk_q *q)
{
	json_t *changes = json_loads(fk_q_text(q, 5) ? fk_q_text(q, 5) : "{}", 0, NULL);

	return json_pack(
	    "{s:I, s:{s:o, s:s}, s:o, s:s, s:o}", "version", (json_int_t)fk_q_i64(q, 0),
	    "changed_by", "id", fk_json_idv(fk_q_i64(q, 1)), "username",
	    fk_q_text(q, 2) ? fk_q_text(q, 2) : "", "changed_at", fk_json_timev(fk_q_i64(q, 3)),
	    "reason", fk_q_text(q, 4) ? fk_q_text(q, 4) : "", "changes",
	    changes ? changes : json_object());
}

int policy_history(struct fk_db *db, int64_t before, int64_t limit, json_t *items,
		   struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q,
			     "SELECT version, changed_by, changed_by_name, changed_at, reason, "
			     "changes FROM policy_versions WHERE version < ? "
			     "ORDER BY version DESC LIMIT ?",
			     err);

	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, before > 0 ? before : INT64_MAX);
	fk_q_bind_i64(q, 2, limit);
	while ((rc = fk_q_step(q, err)) > 0)
		json_array_append_new(items, version_json(q));
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}
