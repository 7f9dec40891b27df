/* team: teams 突击队 (assault) / 志愿服务队 (volunteer) and posts 先锋岗 (vanguard_post), each
 * over an area with a leader among its members; and dispatch batches — the cadres an
 * organisation sent to a community on a day ("双报到"), recorded per batch. Every member is a
 * worker in the caller's scope. */
#include <stdlib.h>
#include <string.h>
#include "base/buf.h"
#include "base/clock.h"
#include "base/id.h"
#include "base/utf8.h"
#include "base/xmalloc.h"
#include "workforce/internal.h"

/* Checks that every id of arr (field) is a worker in who's scope, named once. */
static int members_check(struct fk_db *db, const struct fk_principal *who, json_t *arr,
			 const char *field, struct fk_err *err)
{
	struct wf_worker w;
	size_t i, k;
	json_t *v;

	json_array_foreach(arr, i, v)
	{
		int rc = wf_worker_read(db, who, fk_json_id_value(v), field, &w, err);
		if (rc < 0)
			return rc;
		for (k = 0; k < i; k++)
			if (fk_json_id_value(json_array_get(arr, k)) == w.id)
				return fk_err_set(err, FK_EINVAL, "duplicate_member", field,
						  "人员 %lld 重复", "worker %lld is named twice",
						  (long long)w.id);
	}
	return 0;
}

/* Replaces the members of id: sql_del (NULL: none to remove), then sql_add per worker. */
static int members_write(struct fk_db *db, const char *sql_del, const char *sql_add, int64_t id,
			 json_t *arr, struct fk_err *err)
{
	size_t i;
	json_t *v;
	int rc = sql_del ? fk_db_write(db, err, sql_del, "i", id) : 0;

	json_array_foreach(arr, i, v)
	{
		if (rc == 0)
			rc = fk_db_write(db, err, sql_add, "ii", id, fk_json_id_value(v));
	}
	return rc;
}

/* Workers of a member table as a JSON array of workers. */
static int members_json(struct fk_db *db, const struct fk_principal *who, const char *sql,
			int64_t id, json_t **out, struct fk_err *err)
{
	struct fk_q *q;
	int64_t *ids = NULL;
	int n = 0, cap = 0, rc = fk_db_query(db, &q, sql, err);

	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, id);
	while ((rc = fk_q_step(q, err)) > 0) {
		if (n == cap)
			ids = fk_xrealloc(ids, (size_t)(cap = cap ? cap * 2 : 16) * sizeof(*ids));
		ids[n++] = fk_q_i64(q, 0);
	}
	fk_q_done(q);
	*out = json_array();
	for (int i = 0; rc == 0 && i < n; i++) {
		struct wf_worker w;
		json_t *o;
		rc = wf_worker_read(db, NULL, ids[i], "worker_id", &w, err);
		if (rc == 0)
			rc = wf_worker_json(db, who, &w, &o, err);
		if (rc == 0)
			json_array_append_new(*out, o);
	}
	free(ids);
	return rc;
}

/* ---- teams ---- */

struct t_row {
	int64_t id, area_id, leader_id;
	char name[WF_NAME_MAX * 4 + 1], kind[16], area_path[FK_AREA_PATH_MAX];
};

#define T_COLS "t.id, t.name, t.kind, t.area_id, t.area_path, t.leader_id"

static void t_row(struct fk_q *q, void *rec)
{
	struct t_row *t = rec;

	memset(t, 0, sizeof(*t));
	t->id = fk_q_i64(q, 0);
	fk_copy_text(t->name, sizeof(t->name), fk_q_text(q, 1));
	fk_copy_text(t->kind, sizeof(t->kind), fk_q_text(q, 2));
	t->area_id = fk_q_i64(q, 3);
	fk_copy_text(t->area_path, sizeof(t->area_path), fk_q_text(q, 4));
	t->leader_id = fk_q_i64(q, 5);
}

static int t_read(struct fk_db *db, const struct fk_principal *who, int64_t id, struct t_row *t,
		  struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q, "SELECT " T_COLS " FROM teams t WHERE t.id = ?", err);

	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, id);
	rc = fk_q_step(q, err);
	if (rc > 0)
		t_row(q, t);
	fk_q_done(q);
	if (rc < 0)
		return rc;
	if (rc == 0 || !fk_scope_covers(who, t->area_path))
		return fk_err_set(err, FK_ENOTFOUND, "team_not_found", NULL, "队伍不存在",
				  "the team does not exist");
	return 0;
}

static int t_json(struct fk_db *db, const struct fk_principal *who, const struct t_row *t,
		  json_t **out, struct fk_err *err)
{
	json_t *members = NULL, *ids = json_array();
	size_t i;
	json_t *m;
	int rc = members_json(db, who,
			      "SELECT worker_id FROM team_members WHERE team_id = ? ORDER BY "
			      "worker_id",
			      t->id, &members, err);

	if (rc < 0) {
		json_decref(members);
		json_decref(ids);
		return rc;
	}
	json_array_foreach(members, i, m) json_array_append(ids, json_object_get(m, "id"));
	*out = json_pack("{s:o, s:s, s:s, s:o, s:o, s:o, s:o}", "id", fk_json_idv(t->id), "name",
			 t->name, "kind", t->kind, "area_id", fk_json_idv(t->area_id), "leader_id",
			 fk_json_idv(t->leader_id), "member_ids", ids, "members", members);
	return 0;
}

static int t_body(struct fk_db *db, const struct fk_principal *who, json_t *b, struct t_row *t,
		  struct fk_err *err)
{
	struct fk_area a = {0};
	json_t *ids = json_object_get(b, "member_ids");
	int rc;

	if (fk_json_str(b, "name"))
		fk_copy_text(t->name, sizeof(t->name), fk_json_str(b, "name"));
	if (fk_json_str(b, "kind"))
		fk_copy_text(t->kind, sizeof(t->kind), fk_json_str(b, "kind"));
	if (fk_json_has(b, "area_id"))
		t->area_id = fk_json_id(b, "area_id");
	if (fk_json_has(b, "leader_id"))
		t->leader_id = fk_json_id(b, "leader_id");
	fk_utf8_trim(t->name);
	rc = wf_text_check(t->name, "name", WF_NAME_MAX, true, err);
	if (rc == 0 && !wf_team_kind_valid(t->kind))
		rc = fk_err_set(err, FK_EINVAL, "invalid_kind", "kind",
				"类型须为 assault（突击队）、volunteer（志愿服务队）或 "
				"vanguard_post（先锋岗）",
				"kind must be assault, volunteer or vanguard_post");
	if (rc == 0)
		rc = fk_area_get_in_scope(db, who, t->area_id, "area_id", &a, err);
	if (rc == 0)
		fk_copy_text(t->area_path, sizeof(t->area_path), a.path);
	fk_area_release(&a);
	if (rc == 0)
		rc = members_check(db, who, ids, "member_ids", err);
	return rc;
}

/* The leader must be a member: given with the members, or already one. */
static int leader_check(struct fk_db *db, const struct fk_principal *who, const struct t_row *t,
			struct fk_err *err)
{
	struct wf_worker w;
	int64_t one = 0;
	int rc;

	if (t->leader_id == 0)
		return 0;
	rc = wf_worker_read(db, who, t->leader_id, "leader_id", &w, err);
	if (rc == 0)
		rc = fk_db_one_i64(db, err, &one,
				   "SELECT 1 FROM team_members WHERE team_id = ? AND worker_id = ?",
				   "ii", t->id, t->leader_id);
	if (rc == 0)
		return fk_err_set(err, FK_EUNPROC, "leader_not_member", "leader_id",
				  "队长须为本队成员", "the leader must be one of the members");
	return rc < 0 ? rc : 0;
}

int wf_team_save(struct fk_db *db, const struct fk_principal *who, int64_t id, json_t *b,
		 json_t **out, struct fk_err *err)
{
	struct t_row t = {0};
	int64_t now = fk_now_ms();
	json_t *ids = json_object_get(b, "member_ids");
	int rc = id ? t_read(db, who, id, &t, err) : 0;

	if (rc == 0)
		rc = t_body(db, who, b, &t, err);
	if (rc == 0 && !id) {
		t.id = fk_id_next();
		rc =
		    fk_db_write(db, err,
				"INSERT INTO teams (id, name, kind, area_id, area_path, leader_id, "
				"created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
				"ittitiii", t.id, t.name, t.kind, t.area_id, t.area_path,
				t.leader_id, now, now);
	} else if (rc == 0)
		rc = fk_db_write(db, err,
				 "UPDATE teams SET name = ?, kind = ?, area_id = ?, area_path = ?, "
				 "leader_id = ?, updated_at = ? WHERE id = ?",
				 "ttitiii", t.name, t.kind, t.area_id, t.area_path, t.leader_id,
				 now, t.id);
	if (rc == 0 && ids)
		rc = members_write(db, "DELETE FROM team_members WHERE team_id = ?",
				   "INSERT INTO team_members (team_id, worker_id) VALUES (?, ?)",
				   t.id, ids, err);
	if (rc == 0)
		rc = leader_check(db, who, &t, err);
	return rc < 0 ? rc : t_json(db, who, &t, out, err);
}

int wf_team_json(struct fk_db *db, const struct fk_principal *who, int64_t id, json_t **out,
		 struct fk_err *err)
{
	struct t_row t;
	int rc = t_read(db, who, id, &t, err);

	return rc < 0 ? rc : t_json(db, who, &t, out, err);
}

int wf_team_list(struct fk_db *db, const struct fk_principal *who, const char *under, json_t *items,
		 struct fk_err *err)
{
	struct fk_scoped_query sq = {.head = "SELECT " T_COLS " FROM teams t WHERE ",
				     .col = "t.area_path",
				     .under = under,
				     .tail = " ORDER BY t.name, t.id LIMIT 1000"};
	struct t_row *l;
	void *rows = NULL;
	struct fk_q *q;
	int n = 0, next, rc = fk_scoped_query(db, who, &sq, &q, &next, err);

	if (rc == 0)
		rc = fk_q_collect(q, sizeof(*l), t_row, &rows, &n, err);
	l = rows;
	for (int i = 0; rc == 0 && i < n; i++) {
		json_t *o;
		rc = t_json(db, who, &l[i], &o, err);
		if (rc == 0)
			json_array_append_new(items, o);
	}
	free(rows);
	return rc;
}

/* ---- dispatch batches (to a community: the area a batch reports to) ---- */

struct b_row {
	int64_t id, area_id;
	char name[WF_NAME_MAX * 4 + 1], organisation[WF_NAME_MAX * 4 + 1], day[16];
	char area_path[FK_AREA_PATH_MAX], area_name[260];
};

#define B_COLS                                                                                     \
	"b.id, b.name, b.organisation, b.area_id, b.area_path, b.day, (SELECT a.name FROM areas "  \
	"a WHERE a.id = b.area_id)"

static void b_row(struct fk_q *q, void *rec)
{
	struct b_row *b = rec;

	memset(b, 0, sizeof(*b));
	b->id = fk_q_i64(q, 0);
	fk_copy_text(b->name, sizeof(b->name), fk_q_text(q, 1));
	fk_copy_text(b->organisation, sizeof(b->organisation), fk_q_text(q, 2));
	b->area_id = fk_q_i64(q, 3);
	fk_copy_text(b->area_path, sizeof(b->area_path), fk_q_text(q, 4));
	fk_copy_text(b->day, sizeof(b->day), fk_q_text(q, 5));
	fk_copy_text(b->area_name, sizeof(b->area_name), fk_q_text(q, 6));
}

static int b_json(struct fk_db *db, const struct fk_principal *who, const struct b_row *b,
		  json_t **out, struct fk_err *err)
{
	json_t *members = NULL, *ids = json_array();
	size_t i;
	json_t *m;
	int rc = members_json(db, who,
			      "SELECT worker_id FROM worker_batch_members WHERE batch_id = ? "
			      "ORDER BY worker_id",
			      b->id, &members, err);

	if (rc < 0) {
		json_decref(members);
		json_decref(ids);
		return rc;
	}
	json_array_foreach(members, i, m) json_array_append(ids, json_object_get(m, "id"));
	*out = json_pack("{s:o, s:s, s:o, s:o, s:o, s:s, s:I, s:o, s:o}", "id", fk_json_idv(b->id),
			 "name", b->name, "organisation",
			 fk_json_strv(b->organisation[0] ? b->organisation : NULL), "area_id",
			 fk_json_idv(b->area_id), "area_name", fk_json_strv(b->area_name), "day",
			 b->day, "count", (json_int_t)json_array_size(ids), "worker_ids", ids,
			 "workers", members);
	return 0;
}

static int b_check(struct fk_db *db, const struct fk_principal *who, json_t *body, struct b_row *b,
		   struct fk_err *err)
{
	struct fk_area a = {0};
	json_t *ids = json_object_get(body, "worker_ids");
	int rc;

	fk_copy_text(b->name, sizeof(b->name), fk_json_str(body, "name"));
	fk_copy_text(b->organisation, sizeof(b->organisation), fk_json_str(body, "organisation"));
	fk_copy_text(b->day, sizeof(b->day), fk_json_str(body, "day"));
	b->area_id = fk_json_id(body, "area_id");
	fk_utf8_trim(b->name);
	fk_utf8_trim(b->organisation);
	rc = wf_text_check(b->name, "name", WF_NAME_MAX, true, err);
	if (rc == 0)
		rc = wf_text_check(b->organisation, "organisation", WF_NAME_MAX, false, err);
	if (rc == 0 && fk_date_parse(b->day, NULL, NULL, NULL) < 0)
		rc = fk_err_set(err, FK_EINVAL, "invalid_day", "day", "日期须为 YYYY-MM-DD",
				"day must be YYYY-MM-DD");
	if (rc == 0 && json_array_size(ids) == 0)
		rc = fk_err_set(err, FK_EINVAL, "missing_field", "worker_ids",
				"请选择本批派出的人员", "worker_ids: name the workers sent");
	if (rc == 0)
		rc = fk_area_get_in_scope(db, who, b->area_id, "area_id", &a, err);
	if (rc == 0 && strcmp(a.kind, "community") != 0)
		rc = fk_err_set(err, FK_EUNPROC, "not_a_community", "area_id", "派驻批次须派往社区",
				"a batch is sent to a community");
	if (rc == 0)
		fk_copy_text(b->area_path, sizeof(b->area_path), a.path);
	if (rc == 0)
		fk_copy_text(b->area_name, sizeof(b->area_name), a.name);
	fk_area_release(&a);
	return rc < 0 ? rc : members_check(db, who, ids, "worker_ids", err);
}

int wf_batch_create(struct fk_db *db, const struct fk_principal *who, json_t *body, json_t **out,
		    struct fk_err *err)
{
	struct b_row b;
	int rc = b_check(db, who, body, &b, err);

	if (rc < 0)
		return rc;
	b.id = fk_id_next();
	rc = fk_db_write(db, err,
			 "INSERT INTO worker_batches (id, name, organisation, area_id, area_path, "
			 "day, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			 "ittittii", b.id, b.name, b.organisation[0] ? b.organisation : NULL,
			 b.area_id, b.area_path, b.day, who ? who->user_id : 0, fk_now_ms());
	if (rc == 0)
		rc = members_write(
		    db, NULL,
		    "INSERT INTO worker_batch_members (batch_id, worker_id) VALUES (?, ?)", b.id,
		    json_object_get(body, "worker_ids"), err);
	return rc < 0 ? rc : b_json(db, who, &b, out, err);
}

int wf_batch_list(struct fk_db *db, const struct fk_principal *who, const char *under,
		  json_t *items, struct fk_err *err)
{
	struct fk_scoped_query sq = {.head = "SELECT " B_COLS " FROM worker_batches b WHERE ",
				     .col = "b.area_path",
				     .under = under,
				     .tail = " ORDER BY b.day DESC, b.id DESC LIMIT 1000"};
	struct b_row *l;
	void *rows = NULL;
	struct fk_q *q;
	int n = 0, next, rc = fk_scoped_query(db, who, &sq, &q, &next, err);

	if (rc == 0)
		rc = fk_q_collect(q, sizeof(*l), b_row, &rows, &n, err);
	l = rows;
	for (int i = 0; rc == 0 && i < n; i++) {
		json_t *o;
		rc = b_json(db, who, &l[i], &o, err);
		if (rc == 0)
			json_array_append_new(items, o);
	}
	free(rows);
	return rc;
}
