/* principal: turns a user id into who is calling — role, scope areas with their paths, and
 * what the role may see unmasked (SPEC §12): ID numbers only community staff, who register
 * and verify residents; phones community, grid and building staff, who call them. */
#include <stdio.h>
#include <string.h>
#include "users/internal.h"

void users_role_masks(enum fk_role role, bool *see_id, bool *see_phone)
{
	*see_id = role == FK_ROLE_COMMUNITY;
	*see_phone = role == FK_ROLE_COMMUNITY || role == FK_ROLE_GRID || role == FK_ROLE_BUILDING;
}

int users_principal_load(struct fk_db *db, int64_t user_id, struct fk_principal *who,
			 bool *disabled, struct fk_err *err)
{
	struct users_row row;
	struct users_area areas[FK_MAX_SCOPES];
	int n = 0, rc;

	rc = users_get(db, user_id, &row, err);
	if (rc == FK_ENOTFOUND)
		return fk_err_set(err, FK_EAUTH, "unauthenticated", NULL, "账号不存在，请重新登录",
				  "the account no longer exists; please log in again");
	if (rc == 0)
		rc = users_scopes_resolve(db, &row.u, areas, &n, err);
	if (rc < 0)
		return rc;
	memset(who, 0, sizeof *who);
	who->user_id = row.u.id;
	snprintf(who->username, sizeof who->username, "%s", row.u.username);
	snprintf(who->display_name, sizeof who->display_name, "%s", row.u.display_name);
	who->role = row.u.role;
	who->person_id = row.u.person_id;
	who->nscopes = n;
	for (int i = 0; i < n; i++) {
		who->scope_ids[i] = areas[i].id;
		snprintf(who->scope_paths[i], sizeof who->scope_paths[i], "%s", areas[i].path);
	}
	users_role_masks(who->role, &who->see_id, &who->see_phone);
	*disabled = row.u.disabled;
	return 0;
}
