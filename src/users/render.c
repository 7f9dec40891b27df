/* render: the JSON of accounts. Ids are decimal strings, times ISO 8601, and a scope is shown
 * as its areas {id,name,kind,code,path} so the web app needs no second request. */
#include "base/clock.h"
#include "base/json.h"
#include "users/internal.h"

json_t *users_render_area(const struct users_area *a)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", fk_json_idv(a->id));
	json_object_set_new(o, "name", fk_json_strv(a->name));
	json_object_set_new(o, "kind", fk_json_strv(a->kind));
	json_object_set_new(o, "code", fk_json_strv(a->code));
	json_object_set_new(o, "path", fk_json_strv(a->path));
	return o;
}

static json_t *render_scopes(const struct users_area *a, int n)
{
	json_t *arr = json_array();

	for (int i = 0; i < n; i++)
		json_array_append_new(arr, users_render_area(&a[i]));
	return arr;
}

static json_t *id_or_null(int64_t id)
{
	return id > 0 ? fk_json_idv(id) : json_null();
}

json_t *users_render_principal(struct fk_db *db, const struct fk_principal *who, struct fk_err *err)
{
	struct fk_user u = {.id = who->user_id, .nscopes = who->nscopes};
	struct users_area areas[FK_MAX_SCOPES];
	json_t *o;
	int n = 0;

	for (int i = 0; i < who->nscopes; i++)
		u.scope_ids[i] = who->scope_ids[i];
	if (users_scopes_resolve(db, &u, areas, &n, err) < 0)
		return NULL;
	o = json_object();
	json_object_set_new(o, "id", fk_json_idv(who->user_id));
	json_object_set_new(o, "username", fk_json_strv(who->username));
	json_object_set_new(o, "display_name", fk_json_strv(who->display_name));
	json_object_set_new(o, "role", fk_json_strv(fk_role_name(who->role)));
	json_object_set_new(o, "person_id", id_or_null(who->person_id));
	json_object_set_new(o, "scopes", render_scopes(areas, n));
	return o;
}

json_t *users_render_row(const struct users_row *row, const struct users_area *a, int n)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", fk_json_idv(row->u.id));
	json_object_set_new(o, "username", fk_json_strv(row->u.username));
	json_object_set_new(o, "display_name", fk_json_strv(row->u.display_name));
	json_object_set_new(o, "role", fk_json_strv(fk_role_name(row->u.role)));
	json_object_set_new(o, "person_id", id_or_null(row->u.person_id));
	json_object_set_new(o, "disabled", json_boolean(row->u.disabled));
	json_object_set_new(o, "locked_until",
			    row->locked_until > fk_now_ms() ? fk_json_timev(row->locked_until)
							    : json_null());
	json_object_set_new(o, "scopes", render_scopes(a, n));
	json_object_set_new(o, "created_at", fk_json_timev(row->created_at));
	json_object_set_new(o, "updated_at", fk_json_timev(row->updated_at));
	return o;
}
