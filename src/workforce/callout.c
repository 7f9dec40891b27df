/* callout: a call for people (how many, which skills, where, when) with a public sign-up
 * link whose secret token is 24 random bytes from libsodium, hex. Staff see and change the
 * call-outs whose area lies in their scope; the public sees one only by its token. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/buf.h"
#include "base/clock.h"
#include "base/id.h"
#include "base/utf8.h"
#include "workforce/internal.h"

#define C_COLS                                                                                     \
	"c.id, c.title, c.area_id, c.area_path, c.skills, c.wanted, c.place_text, c.starts_at, "   \
	"c.ends_at, c.status, c.token"
#define WF_WANTED_MAX 100000

static void c_row(struct fk_q *q, void *rec)
{
	struct wf_callout *c = rec;

	memset(c, 0, sizeof(*c));
	c->id = fk_q_i64(q, 0);
	fk_copy_text(c->title, sizeof(c->title), fk_q_text(q, 1));
	c->area_id = fk_q_i64(q, 2);
	fk_copy_text(c->area_path, sizeof(c->area_path), fk_q_text(q, 3));
	fk_copy_text(c->skills, sizeof(c->skills), fk_q_text(q, 4));
	c->wanted = fk_q_i64(q, 5);
	fk_copy_text(c->place_text, sizeof(c->place_text), fk_q_text(q, 6));
	c->starts_at = fk_q_i64(q, 7);
	c->ends_at = fk_q_i64(q, 8);
	fk_copy_text(c->status, sizeof(c->status), fk_q_text(q, 9));
	fk_copy_text(c->token, sizeof(c->token), fk_q_text(q, 10));
}

static int c_not_found(struct fk_err *err)
{
	return fk_err_set(err, FK_ENOTFOUND, "callout_not_found", NULL, "没有该招募",
			  "there is no such call-out");
}

static int c_one(struct fk_db *db, const char *sql, int64_t id, const char *token,
		 struct wf_callout *c, struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q, sql, err);

	if (rc < 0)
		return rc;
	if (token)
		fk_q_bind_text(q, 1, token);
	else
		fk_q_bind_i64(q, 1, id);
	rc = fk_q_step(q, err);
	if (rc > 0)
		c_row(q, c);
	fk_q_done(q);
	return rc < 0 ? rc : rc == 0 ? c_not_found(err) : 0;
}

int wf_callout_read(struct fk_db *db, const struct fk_principal *who, int64_t id,
		    struct wf_callout *c, struct fk_err *err)
{
	int rc = c_one(db, "SELECT " C_COLS " FROM callouts c WHERE c.id = ?", id, NULL, c, err);

	if (rc == 0 && who && !fk_scope_covers(who, c->area_path))
		return c_not_found(err);
	return rc;
}

int wf_callout_by_token(struct fk_db *db, const char *token, struct wf_callout *c,
			struct fk_err *err)
{
	if (!token || strlen(token) != 48)
		return c_not_found(err);
	return c_one(db, "SELECT " C_COLS " FROM callouts c WHERE c.token = ?", 0, token, c, err);
}

/* ---- checks and writes ---- */

static int c_check(struct wf_callout *c, struct fk_err *err)
{
	int rc;

	fk_utf8_trim(c->title);
	fk_utf8_trim(c->place_text);
	rc = wf_text_check(c->title, "title", WF_NAME_MAX, true, err);

	if (rc == 0)
		rc = wf_text_check(c->place_text, "place_text", WF_TEXT_MAX, false, err);
	if (rc == 0 && (c->wanted < 1 || c->wanted > WF_WANTED_MAX))
		rc = fk_err_set(err, FK_EINVAL, "invalid_wanted", "wanted", "招募人数须为 1 至 %d",
				"wanted must be 1 to %d", WF_WANTED_MAX);
	if (rc == 0 && strcmp(c->status, "open") && strcmp(c->status, "closed"))
		rc = fk_err_set(err, FK_EINVAL, "invalid_status", "status",
				"状态须为 open 或 closed", "status must be open or closed");
	if (rc == 0 && c->starts_at && c->ends_at && c->ends_at <= c->starts_at)
		rc = fk_err_set(err, FK_EINVAL, "invalid_range", "ends_at",
				"结束时间须晚于开始时间", "ends_at must be after starts_at");
	return rc;
}

static void token_new(char out[49])
{
	unsigned char raw[24];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(out, 49, raw, sizeof(raw));
	sodium_memzero(raw, sizeof(raw));
}

static int c_write(struct fk_db *db, const struct fk_principal *who, const struct wf_callout *c,
		   bool create, struct fk_err *err)
{
	int64_t now = fk_now_ms();
	const char *place = c->place_text[0] ? c->place_text : NULL;

	if (create)
		return fk_db_write(
		    db, err,
		    "INSERT INTO callouts (id, title, area_id, area_path, skills, wanted, "
		    "place_text, "
		    "starts_at, ends_at, status, token, created_by, created_at, updated_at) VALUES "
		    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		    "itittitiittiii", c->id, c->title, c->area_id, c->area_path, c->skills,
		    c->wanted, place, c->starts_at, c->ends_at, c->status, c->token,
		    who ? who->user_id : 0, now, now);
	return fk_db_write(db, err,
			   "UPDATE callouts SET title = ?, area_id = ?, area_path = ?, skills = ?, "
			   "wanted = ?, place_text = ?, starts_at = ?, ends_at = ?, status = ?, "
			   "updated_at = ? WHERE id = ?",
			   "tittitiitii", c->title, c->area_id, c->area_path, c->skills, c->wanted,
			   place, c->starts_at, c->ends_at, c->status, now, c->id);
}

int wf_callout_save(struct fk_db *db, const struct fk_principal *who, struct wf_callout *c,
		    bool create, struct fk_err *err)
{
	struct fk_area a = {0};
	int rc = c_check(c, err);

	if (rc == 0)
		rc = fk_area_get_in_scope(db, who, c->area_id, "area_id", &a, err);
	if (rc == 0)
		fk_copy_text(c->area_path, sizeof(c->area_path), a.path);
	fk_area_release(&a);
	if (rc == 0 && create) {
		c->id = fk_id_next();
		token_new(c->token);
	}
	return rc < 0 ? rc : c_write(db, who, c, create, err);
}

int wf_callout_counts(struct fk_db *db, int64_t id, int64_t *signed_up, int64_t *accepted,
		      struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q,
			     "SELECT COUNT(*), COALESCE(SUM(CASE WHEN status IN ('accepted', "
			     "'dispatched') THEN 1 ELSE 0 END), 0) FROM callout_signups WHERE "
			     "callout_id = ? AND status <> 'declined'",
			     err);

	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, id);
	rc = fk_q_step(q, err);
	if (rc > 0) {
		*signed_up = fk_q_i64(q, 0);
		*accepted = fk_q_i64(q, 1);
	}
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

/* ---- JSON and the list ---- */

int wf_callout_json(struct fk_db *db, const struct wf_callout *c, bool public, json_t **out,
		    struct fk_err *err)
{
	int64_t signed_up = 0, accepted = 0;
	int rc = wf_callout_counts(db, c->id, &signed_up, &accepted, err);
	bool open = strcmp(c->status, "open") == 0 && !(c->ends_at && fk_now_ms() >= c->ends_at);
	json_t *o;

	if (rc < 0)
		return rc;
	o = json_pack("{s:s, s:o, s:I, s:I, s:o, s:o, s:o, s:s, s:b}", "title", c->title, "skills",
		      wf_skills_json(c->skills), "wanted", (json_int_t)c->wanted, "signed_up",
		      (json_int_t)signed_up, "place_text",
		      fk_json_strv(c->place_text[0] ? c->place_text : NULL), "starts_at",
		      fk_json_timev(c->starts_at), "ends_at", fk_json_timev(c->ends_at), "status",
		      open ? "open" : "closed", "full", signed_up >= c->wanted);
	if (!public) {
		char url[80];
		snprintf(url, sizeof(url), "/v/%s", c->token);
		json_object_set_new(o, "id", fk_json_idv(c->id));
		json_object_set_new(o, "area_id", fk_json_idv(c->area_id));
		json_object_set_new(o, "accepted", json_integer(accepted));
		json_object_set_new(o, "token", json_string(c->token));
		json_object_set_new(o, "public_url", json_string(url));
	}
	*out = o;
	return 0;
}

int wf_callout_list(struct fk_db *db, const struct fk_principal *who, const char *under,
		    json_t *items, struct fk_err *err)
{
	struct fk_scoped_query sq = {.head = "SELECT " C_COLS " FROM callouts c WHERE ",
				     .col = "c.area_path",
				     .under = under,
				     .tail = " ORDER BY c.id DESC LIMIT 1000"};
	struct wf_callout *l;
	void *rows = NULL;
	struct fk_q *q;
	int n = 0, next, rc = fk_scoped_query(db, who, &sq, &q, &next, err);

	if (rc == 0)
		rc = fk_q_collect(q, sizeof(*l), c_row, &rows, &n, err);
	l = rows;
	for (int i = 0; rc == 0 && i < n; i++) {
		json_t *o;
		rc = wf_callout_json(db, &l[i], false, &o, err);
		if (rc == 0)
			json_array_append_new(items, o);
	}
	free(rows);
	return rc;
}
