/* account: the users and user_scopes tables — create, read, list, change — and the rules an
 * account obeys: valid username and password, a known role, one to FK_MAX_SCOPES areas that
 * exist and, when an admin grants them, lie inside the admin's own scope. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "area/area.h"
#include "base/clock.h"
#include "base/id.h"
#include "base/xmalloc.h"
#include "users/internal.h"

/* The lock shown is the latest on the account's name from any address; the users table's own
 * lock columns are no longer used. */
#define USER_COLS                                                                                  \
	"id, username, display_name, role, person_id, disabled, "                                  \
	"(SELECT COALESCE(MAX(f.locked_until), 0) FROM login_failures f "                          \
	"WHERE f.username = users.username), created_at, updated_at"

static void copy_text(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

static void users_read_row(struct fk_q *q, struct users_row *r)
{
	int role = fk_role_parse(fk_q_text(q, 3));

	memset(r, 0, sizeof *r);
	r->u.id = fk_q_i64(q, 0);
	copy_text(r->u.username, sizeof r->u.username, fk_q_text(q, 1));
	copy_text(r->u.display_name, sizeof r->u.display_name, fk_q_text(q, 2));
	/* An unknown role in the store matches no route's role mask: such a user can do nothing. */
	r->u.role = role < 0 ? FK_ROLE_COUNT : (enum fk_role)role;
	r->u.person_id = fk_q_i64(q, 4);
	r->u.disabled = fk_q_i64(q, 5) != 0;
	r->locked_until = fk_q_i64(q, 6);
	r->created_at = fk_q_i64(q, 7);
	r->updated_at = fk_q_i64(q, 8);
}

static int users_load_scopes(struct fk_db *db, struct fk_user *u, struct fk_err *err)
{
	struct fk_q *q;
	int rc;

	rc = fk_db_query(db, &q,
			 "SELECT area_id FROM user_scopes WHERE user_id = ? ORDER BY area_id", err);
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, u->id);
	u->nscopes = 0;
	while ((rc = fk_q_step(q, err)) > 0)
		if (u->nscopes < FK_MAX_SCOPES)
			u->scope_ids[u->nscopes++] = fk_q_i64(q, 0);
	fk_q_done(q);
	return rc;
}

int users_get(struct fk_db *db, int64_t id, struct users_row *out, struct fk_err *err)
{
	struct fk_q *q;
	int rc;

	rc = fk_db_query(db, &q, "SELECT " USER_COLS " FROM users WHERE id = ?", err);
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, id);
	rc = fk_q_step(q, err);
	if (rc > 0)
		users_read_row(q, out);
	fk_q_done(q);
	if (rc == 0)
		return fk_err_set(err, FK_ENOTFOUND, "not_found", NULL, "用户不存在",
				  "no such user");
	if (rc < 0)
		return rc;
	return users_load_scopes(db, &out->u, err);
}

/* ---- listing: both tables read whole, then joined in memory, so no statement stays open
 * while the callback runs (it may query the store itself). ---- */

struct scope_pair {
	int64_t user_id;
	int64_t area_id;
};

struct users_all {
	struct users_row *rows;
	size_t nrows, caprows;
	struct scope_pair *pairs;
	size_t npairs, cappairs;
};

/* Staff accounts are a few thousand at most; residents' accounts, made in bulk, one per
 * resident with a phone, may be millions: a walk reads them only when asked, and then at most
 * USERS_RESIDENTS_WALK_MAX of them. */
static int users_read_all(struct fk_db *db, bool residents, struct users_all *all,
			  struct fk_err *err)
{
	struct fk_q *q;
	int rc;

	rc = fk_db_query(db, &q,
			 residents ? "SELECT " USER_COLS " FROM users WHERE role = 'resident' "
				     "ORDER BY username LIMIT ?"
				   : "SELECT " USER_COLS " FROM users WHERE role <> 'resident' "
				     "ORDER BY username",
			 err);
	if (rc < 0)
		return rc;
	if (residents)
		fk_q_bind_i64(q, 1, USERS_RESIDENTS_WALK_MAX);
	while ((rc = fk_q_step(q, err)) > 0) {
		if (all->nrows == all->caprows) {
			all->caprows = all->caprows ? 2 * all->caprows : 64;
			all->rows = fk_xrealloc(all->rows, all->caprows * sizeof *all->rows);
		}
		users_read_row(q, &all->rows[all->nrows++]);
	}
	fk_q_done(q);
	return rc;
}

static int users_read_pairs(struct fk_db *db, bool residents, struct users_all *all,
			    struct fk_err *err)
{
	struct fk_q *q;
	int rc;

	rc = fk_db_query(db, &q,
			 residents
			     ? "SELECT user_id, area_id FROM user_scopes WHERE user_id IN "
			       "(SELECT id FROM users WHERE role = 'resident' ORDER BY username "
			       "LIMIT ?) ORDER BY user_id, area_id"
			     : "SELECT s.user_id, s.area_id FROM user_scopes s JOIN users u ON "
			       "u.id = s.user_id WHERE u.role <> 'resident' ORDER BY s.user_id, "
			       "s.area_id",
			 err);
	if (rc < 0)
		return rc;
	if (residents)
		fk_q_bind_i64(q, 1, USERS_RESIDENTS_WALK_MAX);
	while ((rc = fk_q_step(q, err)) > 0) {
		if (all->npairs == all->cappairs) {
			all->cappairs = all->cappairs ? 2 * all->cappairs : 64;
			all->pairs = fk_xrealloc(all->pairs, all->cappairs * sizeof *all->pairs);
		}
		all->pairs[all->npairs].user_id = fk_q_i64(q, 0);
		all->pairs[all->npairs].area_id = fk_q_i64(q, 1);
		all->npairs++;
	}
	fk_q_done(q);
	return rc;
}

static int pair_cmp(const void *key, const void *elem)
{
	int64_t a = *(const int64_t *)key, b = ((const struct scope_pair *)elem)->user_id;
	return a < b ? -1 : a > b;
}

static void users_attach_scopes(struct users_all *all, struct fk_user *u)
{
	const struct scope_pair *p, *end = all->pairs + all->npairs;

	u->nscopes = 0;
	p = all->npairs ? bsearch(&u->id, all->pairs, all->npairs, sizeof *p, pair_cmp) : NULL;
	if (!p)
		return;
	while (p > all->pairs && p[-1].user_id == u->id)
		p--;
	for (; p < end && p->user_id == u->id && u->nscopes < FK_MAX_SCOPES; p++)
		u->scope_ids[u->nscopes++] = p->area_id;
}

int users_each(struct fk_db *db, bool residents, int (*fn)(void *ctx, const struct users_row *row),
	       void *ctx, struct fk_err *err)
{
	struct users_all all = {0};
	int rc;

	rc = users_read_all(db, residents, &all, err);
	if (rc == 0)
		rc = users_read_pairs(db, residents, &all, err);
	for (size_t i = 0; rc == 0 && i < all.nrows; i++) {
		users_attach_scopes(&all, &all.rows[i].u);
		rc = fn(ctx, &all.rows[i]);
	}
	free(all.rows);
	free(all.pairs);
	return rc;
}

struct list_ctx {
	int (*fn)(void *ctx, const struct fk_user *u);
	void *ctx;
};

static int list_one(void *ctx, const struct users_row *row)
{
	struct list_ctx *l = ctx;
	return l->fn(l->ctx, &row->u);
}

int fk_user_list(struct fk_db *db, int (*fn)(void *ctx, const struct fk_user *u), void *ctx,
		 struct fk_err *err)
{
	struct list_ctx l = {fn, ctx};
	return users_each(db, false, list_one, &l, err);
}

struct pick_ctx {
	const char *const *names;
	const int64_t *ids;
	int n;
	struct fk_user *out;
};

static int pick_one(void *ctx, const struct fk_user *u)
{
	struct pick_ctx *k = ctx;

	for (int i = 0; i < k->n; i++)
		if (k->names ? strcasecmp(k->names[i], u->username) == 0 : k->ids[i] == u->id)
			k->out[i] = *u;
	return 0;
}

int fk_user_pick(struct fk_db *db, const char *const *names, const int64_t *ids, int n,
		 struct fk_user *out, struct fk_err *err)
{
	struct pick_ctx k = {names, ids, n, out};

	memset(out, 0, (size_t)n * sizeof(*out));
	return fk_user_list(db, pick_one, &k, err);
}

int fk_user_count(struct fk_db *db, int64_t *n, struct fk_err *err)
{
	int rc = fk_db_one_i64(db, err, n, "SELECT COUNT(*) FROM users", "");
	return rc < 0 ? rc : 0;
}

/* ---- scopes ---- */

static void area_to_scope(const struct fk_area *a, struct users_area *out)
{
	out->id = a->id;
	copy_text(out->path, sizeof out->path, a->path);
	copy_text(out->name, sizeof out->name, a->name);
	copy_text(out->kind, sizeof out->kind, a->kind);
	copy_text(out->code, sizeof out->code, a->code);
}

int users_scopes_resolve(struct fk_db *db, const struct fk_user *u, struct users_area *out, int *n,
			 struct fk_err *err)
{
	*n = 0;
	for (int i = 0; i < u->nscopes; i++) {
		struct fk_area a = {0};
		int rc = fk_area_get(db, u->scope_ids[i], &a, err);
		if (rc == FK_ENOTFOUND)
			continue; /* the area was deleted: the scope no longer covers anything */
		if (rc < 0)
			return rc;
		area_to_scope(&a, &out[(*n)++]);
		fk_area_release(&a);
	}
	fk_err_clear(err);
	return 0;
}

bool users_scopes_within(const struct fk_principal *who, const struct users_area *a, int n)
{
	for (int i = 0; i < n; i++)
		if (!fk_scope_covers(who, a[i].path))
			return false;
	return true;
}

static int unknown_area(int64_t id, struct fk_err *err)
{
	char buf[24];
	return fk_err_set(err, FK_ENOTFOUND, "unknown_area", "area_ids", "区域 %s 不存在",
			  "area %s does not exist", fk_id_format(id, buf));
}

static int id_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* Sorts and de-duplicates ids in place, then checks each area exists and, for an admin,
 * lies inside the admin's scope (an area outside it answers like a missing one). */
static int users_check_scopes(struct fk_db *db, int64_t *ids, int *n,
			      const struct fk_principal *grantor, struct fk_err *err)
{
	int m = 0;

	if (*n < 1 || *n > FK_MAX_SCOPES)
		return fk_err_set(err, FK_EINVAL, "invalid_area_ids", "area_ids",
				  "须指定 1 到 %d 个管辖区域", "give 1 to %d areas for the scope",
				  FK_MAX_SCOPES);
	qsort(ids, (size_t)*n, sizeof *ids, id_cmp);
	for (int i = 0; i < *n; i++)
		if (m == 0 || ids[m - 1] != ids[i])
			ids[m++] = ids[i];
	*n = m;
	for (int i = 0; i < m; i++) {
		struct fk_area a = {0};
		int rc = fk_area_get(db, ids[i], &a, err);
		bool ok = rc == 0 && (!grantor || fk_scope_covers(grantor, a.path));
		fk_area_release(&a);
		if (rc < 0 && rc != FK_ENOTFOUND)
			return rc;
		if (!ok)
			return unknown_area(ids[i], err);
	}
	return 0;
}

static int users_check_display(const char *s, struct fk_err *err)
{
	if (s && strlen(s) >= sizeof((struct fk_user *)0)->display_name)
		return fk_err_set(err, FK_EINVAL, "invalid_display_name", "display_name",
				  "显示名称过长（最多 %d 字节）",
				  "display name too long (at most %d bytes)",
				  (int)sizeof((struct fk_user *)0)->display_name - 1);
	return 0;
}

static int users_check_role(int role, int64_t person_id, struct fk_err *err)
{
	if (role < 0 || role >= FK_ROLE_COUNT)
		return fk_err_set(err, FK_EINVAL, "invalid_role", "role", "未知的角色",
				  "unknown role");
	if (role == FK_ROLE_RESIDENT && person_id <= 0)
		return fk_err_set(err, FK_EINVAL, "person_id_required", "person_id",
				  "居民账号须关联居民档案（person_id）",
				  "a resident account needs its person record (person_id)");
	return 0;
}

/* A resident's person record exists and lies in the grantor's scope; one outside it reads like
 * an unknown one. Reads the people module's table (users sits below it). */
static int users_check_person(struct fk_db *db, int64_t person_id,
			      const struct fk_principal *grantor, struct fk_err *err)
{
	char path[FK_AREA_PATH_MAX] = "";
	struct fk_q *q;
	int rc;

	if (person_id <= 0)
		return 0;
	rc = fk_db_query(db, &q, "SELECT area_path FROM people WHERE id = ?", err);
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, person_id);
	rc = fk_q_step(q, err);
	if (rc > 0)
		snprintf(path, sizeof path, "%s", fk_q_text(q, 0));
	fk_q_done(q);
	if (rc < 0)
		return rc;
	if (rc == 0 || (grantor && !fk_scope_covers(grantor, path)))
		return fk_err_set(err, FK_ENOTFOUND, "person_not_found", "person_id",
				  "居民档案不存在", "there is no such person");
	return 0;
}

static int users_put_scopes(struct fk_db *db, int64_t user_id, const int64_t *ids, int n,
			    struct fk_err *err)
{
	int64_t rc = fk_db_run(db, err, "DELETE FROM user_scopes WHERE user_id = ?", "i", user_id);

	for (int i = 0; rc >= 0 && i < n; i++)
		rc = fk_db_run(db, err, "INSERT INTO user_scopes (user_id, area_id) VALUES (?, ?)",
			       "ii", user_id, ids[i]);
	return rc < 0 ? (int)rc : 0;
}

static int username_taken(const char *name, struct fk_err *err)
{
	return fk_err_set(err, FK_ECONFLICT, "username_taken", "username", "用户名 %s 已被使用",
			  "username %s is taken", name);
}

static int users_insert(struct fk_db *db, const struct fk_user *u, const char *hash, int64_t id,
			struct fk_err *err)
{
	struct fk_q *q;
	int64_t now = fk_now_ms();
	int rc;

	rc = fk_db_query(db, &q,
			 "INSERT INTO users (id, username, display_name, role, person_id, "
			 "password_hash, disabled, created_at, updated_at) "
			 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
			 err);
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, id);
	fk_q_bind_text(q, 2, u->username);
	fk_q_bind_text(q, 3, u->display_name[0] ? u->display_name : u->username);
	fk_q_bind_text(q, 4, fk_role_name(u->role));
	if (u->person_id > 0)
		fk_q_bind_i64(q, 5, u->person_id);
	else
		fk_q_bind_null(q, 5);
	fk_q_bind_text(q, 6, hash);
	fk_q_bind_i64(q, 7, u->disabled ? 1 : 0);
	fk_q_bind_i64(q, 8, now);
	fk_q_bind_i64(q, 9, now);
	rc = fk_q_step(q, err);
	fk_q_done(q);
	if (rc == FK_ECONFLICT)
		return username_taken(u->username, err);
	return rc < 0 ? rc : 0;
}

static int users_validate_new(struct fk_db *db, struct fk_user *u, const char *password,
			      const struct fk_principal *grantor, struct fk_err *err)
{
	int rc = users_check_username(u->username, err);

	if (rc == 0)
		rc = users_check_password(password, u->username, err);
	if (rc == 0)
		rc = users_check_display(u->display_name, err);
	if (rc == 0)
		rc = users_check_role((int)u->role, u->person_id, err);
	if (rc == 0)
		rc = users_check_person(db, u->person_id, grantor, err);
	if (rc == 0)
		rc = users_check_scopes(db, u->scope_ids, &u->nscopes, grantor, err);
	return rc;
}

static int run_hook(const struct users_hook *hook, int64_t id, struct fk_err *err)
{
	return hook && hook->fn ? hook->fn(hook->ctx, id, err) : 0;
}

int users_create(struct fk_db *db, const struct fk_user *in, const char *password,
		 const struct fk_principal *grantor, const struct users_hook *hook, int64_t *id,
		 struct fk_err *err)
{
	struct fk_user u = *in;
	char hash[crypto_pwhash_STRBYTES];
	int64_t existing = 0, new_id = fk_id_next();
	struct fk_tx tx;
	int rc;

	rc = users_validate_new(db, &u, password, grantor, err);
	if (rc == 0) /* hashed before the write lock is taken: it takes a while */
		rc = fk_password_hash(password, hash, err);
	if (rc < 0)
		return rc;
	rc = fk_tx_begin(db, &tx, err);
	if (rc < 0)
		return rc;
	rc = fk_db_one_i64(db, err, &existing, "SELECT id FROM users WHERE username = ?", "t",
			   u.username);
	if (rc > 0)
		rc = username_taken(u.username, err);
	if (rc == 0)
		rc = users_insert(db, &u, hash, new_id, err);
	if (rc == 0)
		rc = users_put_scopes(db, new_id, u.scope_ids, u.nscopes, err);
	if (rc == 0)
		rc = run_hook(hook, new_id, err);
	rc = fk_tx_end(db, &tx, rc, err);
	sodium_memzero(hash, sizeof hash);
	if (rc == 0 && id)
		*id = new_id;
	return rc;
}

int fk_user_add(struct fk_db *db, const struct fk_user *u, const char *password, int64_t *id,
		struct fk_err *err)
{
	return users_create(db, u, password, NULL, NULL, id, err);
}

/* ---- changes ---- */

static int db_rc(int64_t rc)
{
	return rc < 0 ? (int)rc : 0;
}

static int users_set_text(struct fk_db *db, const char *sql, const char *v, int64_t id,
			  struct fk_err *err)
{
	return db_rc(fk_db_run(db, err, sql, "ti", v, id));
}

static int users_set_person(struct fk_db *db, int64_t id, int64_t person_id, struct fk_err *err)
{
	if (person_id > 0)
		return db_rc(fk_db_run(db, err, "UPDATE users SET person_id = ? WHERE id = ?", "ii",
				       person_id, id));
	return db_rc(fk_db_run(db, err, "UPDATE users SET person_id = NULL WHERE id = ?", "i", id));
}

/* A new password lifts the name's locks: whoever set it may log in with it at once. */
static int users_set_password(struct fk_db *db, int64_t id, const char *username, const char *hash,
			      struct fk_err *err)
{
	int rc = db_rc(
	    fk_db_run(db, err, "UPDATE users SET password_hash = ? WHERE id = ?", "ti", hash, id));

	return rc < 0 ? rc : users_lockout_clear(db, username, err);
}

static int users_patch_check(struct fk_db *db, const struct users_row *cur, struct users_patch *p,
			     const struct fk_principal *grantor, struct fk_err *err)
{
	bool self = grantor && grantor->user_id == cur->u.id;
	int rc = 0;

	if (p->display_name)
		rc = users_check_display(p->display_name, err);
	if (rc == 0 && (p->role >= 0 || p->set_person))
		rc = users_check_role(p->role >= 0 ? p->role : (int)cur->u.role,
				      p->set_person ? p->person_id : cur->u.person_id, err);
	if (rc == 0 && p->set_person)
		rc = users_check_person(db, p->person_id, grantor, err);
	if (rc == 0 && p->set_scopes)
		rc = users_check_scopes(db, p->scope_ids, &p->nscopes, grantor, err);
	if (rc == 0 && p->password)
		rc = users_check_password(p->password, cur->u.username, err);
	if (rc == 0 && self && (p->disabled == 1 || (p->role >= 0 && p->role != FK_ROLE_ADMIN)))
		rc = fk_err_set(err, FK_EUNPROC, "self_lockout",
				p->disabled == 1 ? "disabled" : "role",
				"不能停用自己的账号或取消自己的管理员角色",
				"you cannot disable your own account or drop your own admin role");
	return rc;
}

/* An admin sees and manages only accounts whose whole scope lies inside the admin's own;
 * any other answers like a missing one. */
static int users_check_visible(struct fk_db *db, const struct users_row *cur,
			       const struct fk_principal *grantor, struct fk_err *err)
{
	struct users_area areas[FK_MAX_SCOPES];
	int n = 0, rc;

	if (!grantor)
		return 0;
	rc = users_scopes_resolve(db, &cur->u, areas, &n, err);
	if (rc == 0 && !users_scopes_within(grantor, areas, n))
		rc = fk_err_set(err, FK_ENOTFOUND, "not_found", NULL, "用户不存在", "no such user");
	return rc;
}

static int users_patch_apply(struct fk_db *db, const struct users_row *cur,
			     const struct users_patch *p, const char *hash, int64_t keep_session,
			     struct fk_err *err)
{
	int64_t id = cur->u.id;
	int rc = 0;

	if (p->display_name)
		rc =
		    users_set_text(db, "UPDATE users SET display_name = ? WHERE id = ?",
				   p->display_name[0] ? p->display_name : cur->u.username, id, err);
	if (rc == 0 && p->role >= 0)
		rc = users_set_text(db, "UPDATE users SET role = ? WHERE id = ?",
				    fk_role_name((enum fk_role)p->role), id, err);
	if (rc == 0 && p->disabled >= 0)
		rc = db_rc(fk_db_run(db, err, "UPDATE users SET disabled = ? WHERE id = ?", "ii",
				     (int64_t)p->disabled, id));
	if (rc == 0 && p->set_person)
		rc = users_set_person(db, id, p->person_id, err);
	if (rc == 0 && hash)
		rc = users_set_password(db, id, cur->u.username, hash, err);
	if (rc == 0 && p->set_scopes)
		rc = users_put_scopes(db, id, p->scope_ids, p->nscopes, err);
	if (rc == 0 && (p->disabled == 1 || hash))
		rc = users_sessions_drop(db, id, keep_session, err);
	if (rc == 0)
		rc = db_rc(fk_db_run(db, err, "UPDATE users SET updated_at = ? WHERE id = ?", "ii",
				     fk_now_ms(), id));
	return rc;
}

int users_update(struct fk_db *db, int64_t id, const struct users_patch *in,
		 const struct fk_principal *grantor, const struct users_hook *hook,
		 struct fk_err *err)
{
	struct users_patch p = *in;
	struct users_row cur;
	char hash[crypto_pwhash_STRBYTES];
	struct fk_tx tx;
	int rc;

	rc = users_get(db, id, &cur, err);
	if (rc == 0)
		rc = users_check_visible(db, &cur, grantor, err);
	if (rc == 0)
		rc = users_patch_check(db, &cur, &p, grantor, err);
	if (rc == 0 && p.password)
		rc = fk_password_hash(p.password, hash, err);
	if (rc == 0)
		rc = fk_tx_begin(db, &tx, err);
	if (rc < 0)
		return rc;
	rc = users_patch_apply(db, &cur, &p, p.password ? hash : NULL,
			       grantor ? grantor->session_id : 0, err);
	if (rc == 0)
		rc = run_hook(hook, id, err);
	rc = fk_tx_end(db, &tx, rc, err);
	users_cache_forget_all();
	sodium_memzero(hash, sizeof hash);
	return rc;
}

int users_unlock(struct fk_db *db, int64_t id, const struct fk_principal *grantor,
		 const struct users_hook *hook, struct fk_err *err)
{
	struct users_row cur;
	struct fk_tx tx;
	int rc;

	rc = users_get(db, id, &cur, err);
	if (rc == 0)
		rc = users_check_visible(db, &cur, grantor, err);
	if (rc == 0)
		rc = fk_tx_begin(db, &tx, err);
	if (rc < 0)
		return rc;
	rc = users_lockout_clear(db, cur.u.username, err);
	if (rc == 0)
		rc = run_hook(hook, id, err);
	return fk_tx_end(db, &tx, rc, err);
}

int fk_user_passwd(struct fk_db *db, const char *username, const char *password, struct fk_err *err)
{
	char hash[crypto_pwhash_STRBYTES];
	int64_t id = 0;
	struct fk_tx tx;
	int rc;

	rc = users_check_password(password, username, err);
	if (rc == 0)
		rc = fk_password_hash(password, hash, err);
	if (rc == 0)
		rc = fk_tx_begin(db, &tx, err);
	if (rc < 0)
		return rc;
	rc = fk_db_one_i64(db, err, &id, "SELECT id FROM users WHERE username = ?", "t", username);
	if (rc == 0)
		rc = fk_err_set(err, FK_ENOTFOUND, "unknown_user", "username", "用户 %s 不存在",
				"no user named %s", username);
	if (rc > 0)
		rc = users_set_password(db, id, username, hash, err);
	if (rc == 0)
		rc = users_sessions_drop(db, id, 0, err);
	rc = fk_tx_end(db, &tx, rc, err);
	sodium_memzero(hash, sizeof hash);
	return rc;
}
