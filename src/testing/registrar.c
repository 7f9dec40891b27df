/* registrar: registrar accounts as sampling sites see them, read through the users module's
 * header and never written here. An account may be bound to a site when it exists, is enabled,
 * has role registrar and holds a scope overlapping the site's area (the site's own area, one
 * above it or one below it). The same rule checks a binding by user id or by username and
 * filters the candidates a site's page offers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/xmalloc.h"
#include "users/users.h"
#include "testing/internal.h"

#define PATHS_CACHED   32
#define CANDIDATES_MAX 20000 /* registrars one listing reads; far above a district's */

/* Paths of scope areas already read in this call: most registrars share a few scopes. */
struct path_cache {
	int n;
	int64_t id[PATHS_CACHED];
	char path[PATHS_CACHED][FK_AREA_PATH_MAX];
};

/* The path of area id into out; "" for an area since deleted (it covers nothing). */
static int scope_path(struct fk_db *db, struct path_cache *c, int64_t id, char *out,
		      struct fk_err *err)
{
	struct fk_area a = {0};
	int rc;

	for (int i = 0; i < c->n; i++) {
		if (c->id[i] == id) {
			snprintf(out, FK_AREA_PATH_MAX, "%s", c->path[i]);
			return 0;
		}
	}
	rc = fk_area_get(db, id, &a, err);
	if (rc == FK_ENOTFOUND) {
		fk_err_clear(err);
		rc = 0;
	}
	snprintf(out, FK_AREA_PATH_MAX, "%s", rc == 0 ? a.path : "");
	fk_area_release(&a);
	if (rc == 0 && c->n < PATHS_CACHED) {
		c->id[c->n] = id;
		snprintf(c->path[c->n++], FK_AREA_PATH_MAX, "%s", out);
	}
	return rc;
}

static bool paths_overlap(const char *a, const char *b)
{
	return a[0] && b[0] && (tr_path_under(a, b) || tr_path_under(b, a));
}

/* Does any of u's scopes overlap the caller's? An account that shares no area with the caller
 * belongs to another jurisdiction, and is not the caller's to learn of. */
static int visible(struct fk_db *db, struct path_cache *c, const struct fk_principal *who,
		   const struct fk_user *u, bool *out, struct fk_err *err)
{
	char path[FK_AREA_PATH_MAX];
	int n = u->nscopes < FK_MAX_SCOPES ? u->nscopes : FK_MAX_SCOPES, rc = 0;

	*out = !who || u->id == 0;
	for (int i = 0; rc == 0 && !*out && i < n; i++) {
		rc = scope_path(db, c, u->scope_ids[i], path, err);
		*out = rc == 0 && path[0] && fk_scope_overlaps(who, path);
	}
	return rc;
}

static int scope_overlaps(struct fk_db *db, struct path_cache *c, const struct fk_user *u,
			  const char *site_path, bool *out, struct fk_err *err)
{
	char path[FK_AREA_PATH_MAX];
	int n = u->nscopes < FK_MAX_SCOPES ? u->nscopes : FK_MAX_SCOPES, rc = 0;

	*out = false;
	for (int i = 0; rc == 0 && !*out && i < n; i++) {
		rc = scope_path(db, c, u->scope_ids[i], path, err);
		*out = rc == 0 && paths_overlap(path, site_path);
	}
	return rc;
}

/* ---- checking a binding ---- */

static void pick_label(const struct tr_registrar_pick *p, int i, char *out, size_t size)
{
	if (p->names)
		snprintf(out, size, "%.64s", p->names[i]);
	else
		snprintf(out, size, "%lld", (long long)p->ids[i]);
}

/* An id naming no account is a bad reference (400, as an unknown area id is); a username
 * naming none is what a person typed, refused as the form's error (422). */
static int check_pick(struct fk_db *db, struct path_cache *c, const struct tr_registrar_pick *p,
		      int i, const struct fk_user *u, const char *site_path, struct fk_err *err)
{
	char who[80];
	bool ok;
	int rc;

	pick_label(p, i, who, sizeof(who));
	rc = visible(db, c, p->who, u, &ok, err);
	if (rc < 0)
		return rc;
	if (u->id == 0 || !ok)
		return fk_err_set(err, p->names ? FK_EUNPROC : FK_EINVAL, "unknown_user", p->field,
				  "用户 %s 不存在", "user %s does not exist", who);
	if (u->role != FK_ROLE_REGISTRAR || u->disabled)
		return fk_err_set(err, FK_EUNPROC, "not_a_registrar", p->field,
				  "用户 %s 不是可用的登记员账号",
				  "user %s is not an active registrar", who);
	rc = scope_overlaps(db, c, u, site_path, &ok, err);
	if (rc == 0 && !ok)
		rc = fk_err_set(err, FK_EUNPROC, "registrar_out_of_scope", p->field,
				"登记员 %s 的管辖范围不含本采样点所在区域",
				"registrar %s holds no scope over the site's area", who);
	return rc;
}

int tr_registrars_check(struct fk_db *db, const char *site_path, const struct tr_registrar_pick *p,
			int64_t *out, struct fk_err *err)
{
	struct fk_user *users = fk_xcalloc((size_t)(p->n > 0 ? p->n : 1), sizeof(*users));
	struct path_cache *c = fk_xcalloc(1, sizeof(*c));
	int rc = fk_user_pick(db, p->names, p->ids, p->n, users, err);

	for (int i = 0; rc == 0 && i < p->n; i++) {
		rc = check_pick(db, c, p, i, &users[i], site_path, err);
		out[i] = users[i].id;
	}
	free(users);
	free(c);
	return rc;
}

/* ---- candidates ---- */

struct collect {
	const struct tr_candidate_query *f;
	struct fk_user *l;
	int n, cap;
};

static bool candidate(const struct tr_candidate_query *f, const struct fk_user *u)
{
	if (u->role != FK_ROLE_REGISTRAR || u->disabled)
		return false;
	if (f->cursor && strcmp(u->username, f->cursor) <= 0)
		return false;
	return !f->q || strncasecmp(u->username, f->q, strlen(f->q)) == 0 ||
	       strstr(u->display_name, f->q) != NULL;
}

static int collect_one(void *ctx, const struct fk_user *u)
{
	struct collect *k = ctx;

	if (!candidate(k->f, u) || k->n == CANDIDATES_MAX)
		return 0;
	if (k->n == k->cap) {
		k->cap = k->cap ? k->cap * 2 : 64;
		k->l = fk_xrealloc(k->l, (size_t)k->cap * sizeof(*k->l));
	}
	k->l[k->n++] = *u;
	return 0;
}

/* Sorted here rather than trusting the store's collation, so the cursor compares alike. */
static int by_username(const void *a, const void *b)
{
	return strcmp(((const struct fk_user *)a)->username, ((const struct fk_user *)b)->username);
}

static json_t *candidate_json(const struct fk_user *u)
{
	return json_pack("{s:o, s:o, s:o}", "id", fk_json_idv(u->id), "username",
			 fk_json_strv(u->username), "display_name", fk_json_strv(u->display_name));
}

/* Appends the page to items; next gets the last username shown when more follow. */
static int page(struct fk_db *db, const struct tr_candidate_query *f, const struct collect *k,
		json_t *items, char *next, size_t next_size, struct fk_err *err)
{
	struct path_cache *c = fk_xcalloc(1, sizeof(*c));
	const struct fk_user *last = NULL;
	int rc = 0, shown = 0;

	next[0] = '\0';
	for (int i = 0; rc == 0 && i < k->n; i++) {
		bool ok;
		rc = scope_overlaps(db, c, &k->l[i], f->site_path, &ok, err);
		if (rc < 0 || !ok)
			continue;
		if (shown == f->limit) {
			snprintf(next, next_size, "%s", last->username);
			break;
		}
		json_array_append_new(items, candidate_json(&k->l[i]));
		last = &k->l[i];
		shown++;
	}
	free(c);
	return rc;
}

int tr_registrar_candidates(struct fk_db *db, const struct tr_candidate_query *f, json_t *items,
			    char *next, size_t next_size, struct fk_err *err)
{
	struct collect k = {.f = f};
	int rc = fk_user_list(db, collect_one, &k, err);

	if (rc == 0 && k.n > 0)
		qsort(k.l, (size_t)k.n, sizeof(*k.l), by_username);
	if (rc == 0)
		rc = page(db, f, &k, items, next, next_size, err);
	free(k.l);
	return rc;
}
