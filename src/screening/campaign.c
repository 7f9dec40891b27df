/* campaign: screening campaigns — a name, the area they cover, the criteria of who is to
 * register ("自X市返回"), from which day (and until which), active or not, and the public
 * link's secret token (32 random bytes from libsodium, hex). Staff see and change the
 * campaigns whose area lies in their scope; the public sees a campaign only by its token, and
 * only while it is active and not past its last day.
 *
 * The public view lists the buildings and units under the campaign's area, read from the
 * area module's table areas in this module's own SQL (a subtree by path, as every scope is). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/buf.h"
#include "base/clock.h"
#include "base/id.h"
#include "base/utf8.h"
#include "screening/internal.h"

#define CAMPAIGN_COLS                                                                              \
	"c.id, c.name, c.area_id, c.area_path, a.name, c.criteria, c.from_day, c.until_day, "      \
	"c.active, c.token, c.created_by, c.created_at, c.updated_at, (SELECT COUNT(*) FROM "      \
	"screening_registrations r WHERE r.campaign_id = c.id), (SELECT COUNT(*) FROM "            \
	"screening_registrations r WHERE r.campaign_id = c.id AND r.key_person = 1)"
#define CAMPAIGN_FROM	 " FROM screening_campaigns c JOIN areas a ON a.id = c.area_id "
#define PUBLIC_AREAS_MAX 2000

static void copy_body(json_t *body, const char *name, char *dst, size_t size)
{
	const char *s = fk_json_str(body, name);

	if (s)
		fk_copy_text(dst, size, s);
}

void sc_campaign_from_body(json_t *body, struct sc_campaign *c)
{
	if (fk_json_has(body, "area_id"))
		c->area_id = fk_json_id(body, "area_id");
	copy_body(body, "name", c->name, sizeof(c->name));
	copy_body(body, "criteria", c->criteria, sizeof(c->criteria));
	copy_body(body, "from_day", c->from_day, sizeof(c->from_day));
	if (fk_json_has(body, "until_day")) {
		c->until_day[0] = '\0';
		copy_body(body, "until_day", c->until_day, sizeof(c->until_day));
	}
	if (json_is_boolean(json_object_get(body, "active")))
		c->active = json_is_true(json_object_get(body, "active"));
}

static void row_campaign(struct fk_q *q, struct sc_campaign *c)
{
	memset(c, 0, sizeof(*c));
	c->id = fk_q_i64(q, 0);
	fk_copy_text(c->name, sizeof(c->name), fk_q_text(q, 1));
	c->area_id = fk_q_i64(q, 2);
	fk_copy_text(c->area_path, sizeof(c->area_path), fk_q_text(q, 3));
	fk_copy_text(c->area_name, sizeof(c->area_name), fk_q_text(q, 4));
	fk_copy_text(c->criteria, sizeof(c->criteria), fk_q_text(q, 5));
	fk_copy_text(c->from_day, sizeof(c->from_day), fk_q_text(q, 6));
	fk_copy_text(c->until_day, sizeof(c->until_day), fk_q_text(q, 7));
	c->active = fk_q_i64(q, 8) != 0;
	fk_copy_text(c->token, sizeof(c->token), fk_q_text(q, 9));
	c->created_by = fk_q_i64(q, 10);
	c->created_at = fk_q_i64(q, 11);
	c->updated_at = fk_q_i64(q, 12);
	c->registered = fk_q_i64(q, 13);
	c->key_persons = fk_q_i64(q, 14);
}

/* ---- checks ---- */

static bool day_ok(const char *s)
{
	return strlen(s) == SC_DAY - 1 && fk_date_parse(s, NULL, NULL, NULL) == 0;
}

static int text_check(char *s, size_t max_chars, const char *field, struct fk_err *err)
{
	char *t = fk_utf8_trim(s);

	if (!*t)
		return fk_err_set(err, FK_EINVAL, "missing_field", field, "%s 不能为空",
				  "%s must not be empty", field);
	if (fk_utf8_chars(t) > max_chars)
		return fk_err_set(err, FK_EINVAL, "too_long", field, "%s 最多 %d 个字",
				  "%s is at most %d characters", field, (int)max_chars);
	return 0;
}

static int campaign_check(struct sc_campaign *c, struct fk_err *err)
{
	int rc = text_check(c->name, SC_NAME_MAX, "name", err);

	if (rc == 0)
		rc = text_check(c->criteria, SC_TEXT_MAX, "criteria", err);
	if (rc < 0)
		return rc;
	if (!day_ok(c->from_day))
		return fk_err_set(err, FK_EINVAL, "invalid_day", "from_day",
				  "from_day 须为日期 YYYY-MM-DD",
				  "from_day must be a YYYY-MM-DD day");
	if (c->until_day[0] && !day_ok(c->until_day))
		return fk_err_set(err, FK_EINVAL, "invalid_day", "until_day",
				  "until_day 须为日期 YYYY-MM-DD",
				  "until_day must be a YYYY-MM-DD day");
	if (c->until_day[0] && strcmp(c->until_day, c->from_day) < 0)
		return fk_err_set(err, FK_EUNPROC, "until_before_from", "until_day",
				  "结束日期不能早于开始日期", "until_day comes before from_day");
	return 0;
}

static int scoped_area(struct fk_db *db, const struct fk_principal *who, struct sc_campaign *c,
		       struct fk_err *err)
{
	struct fk_area a = {0};
	int rc = fk_area_get_in_scope(db, who, c->area_id, "area_id", &a, err);

	if (rc == 0) {
		fk_copy_text(c->area_path, sizeof(c->area_path), a.path);
		fk_copy_text(c->area_name, sizeof(c->area_name), a.name);
	}
	fk_area_release(&a);
	return rc;
}

static void token_new(char out[SC_TOKEN_HEX])
{
	unsigned char raw[SC_TOKEN_BYTES];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(out, SC_TOKEN_HEX, raw, sizeof(raw));
	sodium_memzero(raw, sizeof(raw));
}

int sc_campaign_save(struct fk_db *db, const struct fk_principal *who, struct sc_campaign *c,
		     bool create, struct fk_err *err)
{
	int64_t now = fk_now_ms();
	int rc = campaign_check(c, err);

	if (rc == 0)
		rc = scoped_area(db, who, c, err);
	if (rc < 0)
		return rc;
	c->updated_at = now;
	if (!create)
		return fk_db_write(
		    db, err,
		    "UPDATE screening_campaigns SET name = ?, area_id = ?, area_path = "
		    "?, criteria = ?, from_day = ?, until_day = ?, active = ?, "
		    "updated_at = ? WHERE id = ?",
		    "tittttiii", c->name, c->area_id, c->area_path, c->criteria, c->from_day,
		    c->until_day[0] ? c->until_day : NULL, (int64_t)c->active, now, c->id);
	c->id = fk_id_next();
	c->created_by = who ? who->user_id : 0;
	c->created_at = now;
	token_new(c->token);
	return fk_db_write(
	    db, err,
	    "INSERT INTO screening_campaigns (id, name, area_id, area_path, criteria, "
	    "from_day, until_day, active, token, created_by, created_at, updated_at) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    "itittttitiii", c->id, c->name, c->area_id, c->area_path, c->criteria, c->from_day,
	    c->until_day[0] ? c->until_day : NULL, (int64_t)c->active, c->token, c->created_by, now,
	    now);
}

/* ---- reads ---- */

static int not_found(struct fk_err *err)
{
	return fk_err_set(err, FK_ENOTFOUND, "campaign_not_found", NULL, "没有该排查登记活动",
			  "there is no such screening campaign");
}

static int read_one(struct fk_db *db, const char *sql, int64_t id, const char *token,
		    struct sc_campaign *out, struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q, sql, err);

	if (rc < 0)
		return rc;
	if (token)
		fk_q_bind_text(q, 1, token);
	else
		fk_q_bind_i64(q, 1, id);
	if ((rc = fk_q_step(q, err)) > 0)
		row_campaign(q, out);
	fk_q_done(q);
	return rc < 0 ? rc : rc > 0 ? 0 : not_found(err);
}

int sc_campaign_get(struct fk_db *db, const struct fk_principal *who, int64_t id,
		    struct sc_campaign *out, struct fk_err *err)
{
	int rc = read_one(db, "SELECT " CAMPAIGN_COLS CAMPAIGN_FROM "WHERE c.id = ?", id, NULL, out,
			  err);

	if (rc == 0 && who && !fk_scope_overlaps(who, out->area_path))
		return not_found(err);
	return rc;
}

int sc_campaign_by_token(struct fk_db *db, const char *token, struct sc_campaign *out,
			 struct fk_err *err)
{
	char today[SC_DAY];
	int y, m, d, rc;

	if (!token || strlen(token) != SC_TOKEN_HEX - 1)
		return not_found(err);
	rc = read_one(db, "SELECT " CAMPAIGN_COLS CAMPAIGN_FROM "WHERE c.token = ?", 0, token, out,
		      err);
	if (rc < 0)
		return rc;
	fk_date_today(&y, &m, &d);
	snprintf(today, sizeof(today), "%04d-%02d-%02d", y, m, d);
	if (!out->active || (out->until_day[0] && strcmp(out->until_day, today) < 0))
		return not_found(err);
	return 0;
}

static void row_list(struct fk_q *q, void *rec)
{
	row_campaign(q, rec);
}

/* A campaign names no person: staff see those over their areas and those inside them (a grid
 * worker sees its community's). Campaigns are few: read them all, keep those seen. */
int sc_campaign_list(struct fk_db *db, const struct fk_principal *who, json_t *items,
		     struct fk_err *err)
{
	struct sc_campaign *list = NULL;
	struct fk_q *q;
	int n = 0,
	    rc = fk_db_query(
		db, &q, "SELECT " CAMPAIGN_COLS CAMPAIGN_FROM "ORDER BY c.id DESC LIMIT 5000", err);

	if (rc == 0)
		rc = fk_q_collect(q, sizeof(*list), row_list, (void **)&list, &n, err);
	for (int k = 0; rc == 0 && k < n; k++)
		if (fk_scope_overlaps(who, list[k].area_path))
			json_array_append_new(items, sc_campaign_json(&list[k]));
	free(list);
	return rc;
}

/* ---- JSON ---- */

json_t *sc_campaign_json(const struct sc_campaign *c)
{
	char url[SC_TOKEN_HEX + 8];

	snprintf(url, sizeof(url), "/s/%s", c->token);
	return json_pack(
	    "{s:o, s:s, s:o, s:s, s:s, s:s, s:o, s:b, s:s, s:s, s:I, s:I, s:o, s:o}", "id",
	    fk_json_idv(c->id), "name", c->name, "area_id", fk_json_idv(c->area_id), "area_name",
	    c->area_name, "criteria", c->criteria, "from_day", c->from_day, "until_day",
	    c->until_day[0] ? json_string(c->until_day) : json_null(), "active", c->active, "token",
	    c->token, "public_url", url, "registered", (json_int_t)c->registered, "key_persons",
	    (json_int_t)c->key_persons, "created_at", fk_json_timev(c->created_at), "updated_at",
	    fk_json_timev(c->updated_at));
}

/* The name of the area of path under the campaign's area: its ancestors' names from the
 * campaign's area down, joined by " / ". names maps the subtree's paths to names. */
static void path_name(json_t *names, const char *root, const char *path, struct fk_buf *b)
{
	char prefix[FK_AREA_PATH_MAX];
	size_t len = strlen(root);

	fk_buf_reset(b);
	for (size_t i = len; path[i]; i++) {
		if (path[i] != '/')
			continue;
		snprintf(prefix, sizeof(prefix), "%.*s", (int)(i + 1), path);
		if (b->len)
			fk_buf_puts(b, " / ");
		const char *name = json_string_value(json_object_get(names, prefix));

		fk_buf_puts(b, name ? name : "?");
	}
}

static int subtree_rows(struct fk_db *db, const char *root, json_t *names, json_t *picks,
			struct fk_err *err)
{
	char upper[FK_AREA_PATH_MAX + 5];
	struct fk_q *q;
	int rc = fk_db_query(db, &q,
			     "SELECT id, path, name, kind FROM areas WHERE path >= ? AND path < ? "
			     "AND kind NOT IN ('household') ORDER BY path LIMIT 20000",
			     err);

	if (rc < 0)
		return rc;
	fk_q_bind_text(q, 1, root);
	fk_q_bind_text(q, 2, fk_prefix_upper(root, upper));
	while ((rc = fk_q_step(q, err)) > 0) {
		const char *kind = fk_q_text(q, 3);

		json_object_set_new(names, fk_q_text(q, 1), json_string(fk_q_text(q, 2)));
		if ((strcmp(kind, "building") == 0 || strcmp(kind, "unit") == 0) &&
		    json_array_size(picks) < PUBLIC_AREAS_MAX)
			json_array_append_new(picks, json_pack("[I, s]", (json_int_t)fk_q_i64(q, 0),
							       fk_q_text(q, 1)));
	}
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

int sc_campaign_public_json(struct fk_db *db, const struct sc_campaign *c, json_t **out,
			    struct fk_err *err)
{
	json_t *names = json_object(), *picks = json_array(), *areas = json_array(), *v;
	struct fk_buf b;
	size_t i;
	int rc = subtree_rows(db, c->area_path, names, picks, err);

	fk_buf_init(&b, 4096);
	json_array_foreach(picks, i, v)
	{
		const char *path = json_string_value(json_array_get(v, 1));

		path_name(names, c->area_path, path, &b);
		json_array_append_new(
		    areas, json_pack("{s:o, s:s, s:s}", "id",
				     fk_json_idv(json_integer_value(json_array_get(v, 0))), "name",
				     json_string_value(json_object_get(names, path)), "path_name",
				     b.data ? b.data : ""));
	}
	fk_buf_release(&b);
	json_decref(names);
	json_decref(picks);
	if (rc < 0) {
		json_decref(areas);
		return rc;
	}
	*out = json_pack("{s:s, s:s, s:s, s:o, s:o}", "name", c->name, "criteria", c->criteria,
			 "from_day", c->from_day, "until_day",
			 c->until_day[0] ? json_string(c->until_day) : json_null(), "areas", areas);
	return 0;
}
