/* staff: the duty staff of a checkpoint, bound the way registrars are bound to sampling sites.
 * Gate duty is the volunteer role's (SPEC §0: volunteers 志愿者·下沉干部 do gate duty): an
 * account may be bound when it exists, is enabled, has role volunteer and holds a scope
 * overlapping the checkpoint's area. An account that shares no area with the caller belongs
 * to another jurisdiction and reads as unknown. Accounts are read through the users module's
 * header and never written here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/xmalloc.h"
#include "users/users.h"
#include "gates/internal.h"

static bool under(const char *path, const char *prefix)
{
	return prefix[0] && strncmp(path, prefix, strlen(prefix)) == 0;
}

/* Does any of u's scopes overlap path (path inside it, or it inside path)? With who, the
 * same against who's scopes instead. */
static int scopes_meet(struct fk_db *db, const struct fk_user *u, const char *path,
		       const struct fk_principal *who, bool *out, struct fk_err *err)
{
	int n = u->nscopes < FK_MAX_SCOPES ? u->nscopes : FK_MAX_SCOPES, rc = 0;

	*out = false;
	for (int i = 0; rc == 0 && !*out && i < n; i++) {
		struct fk_area a = {0};
		rc = fk_area_get(db, u->scope_ids[i], &a, err);
		if (rc == FK_ENOTFOUND) {
			fk_err_clear(err);
			rc = 0;
		} else if (rc == 0) {
			*out = who ? fk_scope_overlaps(who, a.path)
				   : under(path, a.path) || under(a.path, path);
		}
		fk_area_release(&a);
	}
	return rc;
}

static int check_pick(struct fk_db *db, const struct gt_staff_pick *p, int i,
		      const struct fk_user *u, const char *path, struct fk_err *err)
{
	char label[80];
	bool ok = !p->who;
	int rc = 0;

	if (p->names)
		snprintf(label, sizeof(label), "%.64s", p->names[i]);
	else
		snprintf(label, sizeof(label), "%lld", (long long)p->ids[i]);
	if (u->id && p->who)
		rc = scopes_meet(db, u, path, p->who, &ok, err);
	if (rc < 0)
		return rc;
	if (u->id == 0 || !ok)
		return fk_err_set(err, p->names ? FK_EUNPROC : FK_EINVAL, "unknown_user", p->field,
				  "用户 %s 不存在", "user %s does not exist", label);
	if (u->role != FK_ROLE_VOLUNTEER || u->disabled)
		return fk_err_set(err, FK_EUNPROC, "not_a_volunteer", p->field,
				  "用户 %s 不是可用的志愿者账号",
				  "user %s is not an active volunteer", label);
	rc = scopes_meet(db, u, path, NULL, &ok, err);
	if (rc == 0 && !ok)
		rc = fk_err_set(err, FK_EUNPROC, "staff_out_of_scope", p->field,
				"志愿者 %s 的管辖范围不含本卡口所在区域",
				"volunteer %s holds no scope over the checkpoint's area", label);
	return rc;
}

static int check_all(struct fk_db *db, const struct gt_checkpoint *c, const struct gt_staff_pick *p,
		     int64_t *ids, struct fk_err *err)
{
	struct fk_user *users = fk_xcalloc((size_t)(p->n > 0 ? p->n : 1), sizeof(*users));
	int rc = fk_user_pick(db, p->names, p->ids, p->n, users, err);

	for (int i = 0; rc == 0 && i < p->n; i++) {
		rc = check_pick(db, p, i, &users[i], c->area_path, err);
		ids[i] = users[i].id;
	}
	free(users);
	return rc;
}

int gt_staff_set(struct fk_db *db, const struct gt_checkpoint *c, const struct gt_staff_pick *p,
		 struct fk_err *err)
{
	int64_t *ids = fk_xcalloc((size_t)(p->n > 0 ? p->n : 1), sizeof(*ids));
	int rc = check_all(db, c, p, ids, err);

	if (rc == 0)
		rc = fk_db_write(db, err, "DELETE FROM checkpoint_staff WHERE checkpoint_id = ?",
				 "i", c->id);
	for (int i = 0; rc == 0 && i < p->n; i++)
		rc = fk_db_write(
		    db, err,
		    "INSERT INTO checkpoint_staff (checkpoint_id, user_id) VALUES (?, ?) "
		    "ON CONFLICT (checkpoint_id, user_id) DO NOTHING",
		    "ii", c->id, ids[i]);
	free(ids);
	return rc;
}

/* Read beside the users module's table: a pass naming a staff member is on the hot path. */
int gt_staff_by_name(struct fk_db *db, int64_t id, const char *username, int64_t *user_id,
		     struct fk_err *err)
{
	char lower[64];
	size_t i;
	int rc;

	for (i = 0; username[i] && i + 1 < sizeof(lower); i++)
		lower[i] = (char)(username[i] >= 'A' && username[i] <= 'Z' ? username[i] + 32
									   : username[i]);
	lower[i] = '\0';
	*user_id = 0;
	rc = fk_db_one_i64(db, err, user_id,
			   "SELECT u.id FROM users u JOIN checkpoint_staff s ON s.user_id = u.id "
			   "WHERE s.checkpoint_id = ? AND u.username = ?",
			   "it", id, lower);
	return rc < 0 ? rc : 0;
}
