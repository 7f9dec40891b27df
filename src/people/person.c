/* person: one resident in the store — the upsert every bulk loader uses, create, read and
 * update. The upsert of a new person is one statement (INSERT ... ON CONFLICT DO NOTHING);
 * a known one is one UPDATE whose WHERE skips a row that would not change (RETURNING tells
 * updated from unchanged), so no read is needed first. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/buf.h"
#include "base/clock.h"
#include "base/id.h"
#include "people/internal.h"

static void tags_split(const char *list, struct fk_person *p)
{
	p->ntags = 0;
	while (list && *list && p->ntags < FK_PERSON_MAX_TAGS) {
		size_t n = strcspn(list, ",");
		if (n > 0 && n < sizeof(p->tags[0])) {
			memcpy(p->tags[p->ntags], list, n);
			p->tags[p->ntags++][n] = '\0';
		}
		list += n;
		if (*list == ',')
			list++;
	}
}

void pp_row(struct fk_q *q, struct fk_person *out)
{
	const char *sex = fk_q_text(q, 5);
	int t = fk_idtype_parse(fk_q_text(q, 2));

	memset(out, 0, sizeof(*out));
	out->id = fk_q_i64(q, 0);
	fk_copy_text(out->name, sizeof(out->name), fk_q_text(q, 1));
	out->id_type = t < 0 ? FK_IDT_OTHER : (enum fk_id_type)t;
	fk_copy_text(out->id_number, sizeof(out->id_number), fk_q_text(q, 3));
	fk_copy_text(out->phone, sizeof(out->phone), fk_q_text(q, 4));
	out->sex = sex && (sex[0] == 'M' || sex[0] == 'F') ? sex[0] : 0;
	fk_copy_text(out->birth_date, sizeof(out->birth_date), fk_q_text(q, 6));
	out->area_id = fk_q_i64(q, 7);
	fk_copy_text(out->area_path, sizeof(out->area_path), fk_q_text(q, 8));
	fk_copy_text(out->household, sizeof(out->household), fk_q_text(q, 9));
	fk_copy_text(out->residence, sizeof(out->residence), fk_q_text(q, 10));
	tags_split(fk_q_text(q, 11), out);
	fk_copy_text(out->note, sizeof(out->note), fk_q_text(q, 12));
	out->created_at = fk_q_i64(q, 13);
	out->updated_at = fk_q_i64(q, 14);
	out->version = fk_q_i64(q, 15);
}

int pp_person_area(struct fk_db *db, struct pp_cache *c, const struct fk_principal *who,
		   struct fk_person *p, struct fk_err *err)
{
	const struct pp_area *a;
	int rc = pp_area_get(db, c, p->area_id, &a, err);

	/* An area the caller may not see reads exactly as one that does not exist. */
	if (rc == FK_ENOTFOUND || (rc == 0 && who && !fk_scope_covers(who, a->path)))
		return fk_err_set(err, FK_EINVAL, "unknown_area", "area_id", "所在区域不存在",
				  "the area does not exist");
	if (rc < 0)
		return rc;
	if (!pp_area_kind_ok(a->kind))
		return fk_err_set(
		    err, FK_EUNPROC, "area_kind", "area_id",
		    "人员不能直接登记在%s级区域“%s”，请选择网格、楼栋、单元或户",
		    "people cannot be filed directly under the %s \"%s\"; choose a grid, "
		    "building, unit or household",
		    a->kind, a->name);
	fk_copy_text(p->area_path, sizeof(p->area_path), a->path);
	return 0;
}

/* ---- binding a person ---- */

static void bind_opt(struct fk_q *q, int idx, const char *s)
{
	fk_q_bind_text(q, idx, s && *s ? s : NULL);
}

/* Binds the 12 data columns name..note from index first (in the order of DATA_COLS). */
#define DATA_COLS                                                                                  \
	"name, id_type, id_number, phone, sex, birth_date, area_id, area_path, household, "        \
	"residence, tags, note"
static int bind_data(struct fk_q *q, int i, const struct fk_person *p)
{
	char sex[2] = {p->sex, '\0'};
	char tags[FK_PERSON_MAX_TAGS * 32];

	pp_tags_join(p, tags, sizeof(tags));
	fk_q_bind_text(q, i++, p->name);
	fk_q_bind_text(q, i++, fk_idtype_name(p->id_type));
	fk_q_bind_text(q, i++, p->id_number);
	bind_opt(q, i++, p->phone);
	bind_opt(q, i++, sex);
	bind_opt(q, i++, p->birth_date);
	fk_q_bind_i64(q, i++, p->area_id);
	fk_q_bind_text(q, i++, p->area_path);
	bind_opt(q, i++, p->household);
	bind_opt(q, i++, p->residence);
	bind_opt(q, i++, tags);
	bind_opt(q, i++, p->note);
	return i;
}

/* Replaces the person's rows in person_tags by p's tags (with its current name and area). */
static int tags_write(struct fk_db *db, const struct fk_person *p, bool fresh, struct fk_err *err)
{
	int64_t rc = 0;

	if (!fresh)
		rc = fk_db_run(db, err, "DELETE FROM person_tags WHERE person_id = ?", "i", p->id);
	for (int i = 0; rc >= 0 && i < p->ntags; i++)
		rc = fk_db_run(db, err,
			       "INSERT INTO person_tags (person_id, tag, name, area_id) "
			       "VALUES (?, ?, ?, ?)",
			       "itti", p->id, p->tags[i], p->name, p->area_id);
	return rc < 0 ? (int)rc : 0;
}

/* ---- the upsert ---- */

/* The bulk path is an insert that yields on a taken ID (changes() tells which happened); only
 * then does an update run, and its WHERE leaves a row that would not change alone, so
 * re-importing a file writes nothing. Empty optional values keep the stored ones. */
static const char insert_sql[] = "INSERT INTO people (id, " DATA_COLS ", created_at, updated_at) "
				 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
				 "ON CONFLICT (id_number, id_type) DO NOTHING";

static const char update_sql[] =
    "UPDATE people SET name = ?, phone = COALESCE(?, phone), sex = COALESCE(?, sex), "
    "birth_date = COALESCE(?, birth_date), area_id = ?, area_path = ?, "
    "household = COALESCE(?, household), residence = COALESCE(?, residence), "
    "tags = COALESCE(?, tags), note = COALESCE(?, note), updated_at = ?, "
    "version = version + 1 "
    "WHERE id_number = ? AND id_type = ? AND (name <> ? OR area_id <> ? OR area_path <> ? "
    "OR COALESCE(?, phone) IS DISTINCT FROM phone OR COALESCE(?, sex) IS DISTINCT FROM sex "
    "OR COALESCE(?, birth_date) IS DISTINCT FROM birth_date "
    "OR COALESCE(?, household) IS DISTINCT FROM household "
    "OR COALESCE(?, residence) IS DISTINCT FROM residence "
    "OR COALESCE(?, tags) IS DISTINCT FROM tags OR COALESCE(?, note) IS DISTINCT FROM note) "
    "RETURNING id, tags, created_at, version";

static const char by_key_sql[] = "SELECT " PP_COLS " FROM people p "
				 "WHERE p.id_number = ? AND p.id_type = ?";

/* The stored person with p's ID (found: 1, none: 0). */
static int read_by_key(struct fk_db *db, const struct fk_person *p, struct fk_person *out,
		       struct fk_err *err)
{
	struct fk_q *q;
	int rc;

	rc = fk_db_query(db, &q, by_key_sql, err);
	if (rc < 0)
		return rc;
	fk_q_bind_text(q, 1, p->id_number);
	fk_q_bind_text(q, 2, fk_idtype_name(p->id_type));
	rc = fk_q_step(q, err);
	if (rc > 0)
		pp_row(q, out);
	fk_q_done(q);
	return rc;
}

/* Inserts p unless its ID is taken; *created tells which. */
static int insert_new(struct fk_db *db, struct fk_person *p, bool *created, struct fk_err *err)
{
	int64_t id = fk_id_next(), now = fk_now_ms();
	struct fk_q *q;
	int rc, i;

	*created = false;
	rc = fk_db_query(db, &q, insert_sql, err);
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, id);
	i = bind_data(q, 2, p);
	fk_q_bind_i64(q, i++, now);
	fk_q_bind_i64(q, i, now);
	rc = fk_q_step(q, err);
	if (rc >= 0 && fk_q_changes(q) > 0) {
		*created = true;
		p->id = id;
		p->created_at = p->updated_at = now;
		p->version = 1;
	}
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

/* The values of the update's SET list, then of its WHERE, in update_sql's order. */
static void bind_update(struct fk_q *q, const struct fk_person *p, int64_t now)
{
	char sex[2] = {p->sex, '\0'};
	char tags[FK_PERSON_MAX_TAGS * 32];
	const char *opt[7] = {p->phone,	    sex,  p->birth_date, p->household,
			      p->residence, tags, p->note};
	int i = 1;

	pp_tags_join(p, tags, sizeof(tags));
	fk_q_bind_text(q, i++, p->name);
	for (int k = 0; k < 3; k++)
		bind_opt(q, i++, opt[k]);
	fk_q_bind_i64(q, i++, p->area_id);
	fk_q_bind_text(q, i++, p->area_path);
	for (int k = 3; k < 7; k++)
		bind_opt(q, i++, opt[k]);
	fk_q_bind_i64(q, i++, now);
	fk_q_bind_text(q, i++, p->id_number);
	fk_q_bind_text(q, i++, fk_idtype_name(p->id_type));
	fk_q_bind_text(q, i++, p->name);
	fk_q_bind_i64(q, i++, p->area_id);
	fk_q_bind_text(q, i++, p->area_path);
	for (int k = 0; k < 7; k++)
		bind_opt(q, i++, opt[k]);
}

/* Updates the person holding p's ID; *changed false when nothing differed. */
static int update_existing(struct fk_db *db, struct fk_person *p, bool *changed, struct fk_err *err)
{
	int64_t now = fk_now_ms();
	struct fk_q *q;
	int rc;

	*changed = false;
	rc = fk_db_query(db, &q, update_sql, err);
	if (rc < 0)
		return rc;
	bind_update(q, p, now);
	rc = fk_q_step(q, err);
	if (rc > 0) {
		*changed = true;
		p->id = fk_q_i64(q, 0);
		tags_split(fk_q_text(q, 1), p);
		p->created_at = fk_q_i64(q, 2);
		p->version = fk_q_i64(q, 3);
		p->updated_at = now;
	}
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

static int out_of_scope(struct fk_err *err)
{
	return fk_err_set(err, FK_ECONFLICT, "id_number_out_of_scope", "id_number",
			  "该证件号码已登记在您管辖范围以外的区域",
			  "this ID number is registered outside your scope");
}

int pp_person_write(struct fk_db *db, const struct fk_principal *who, struct fk_person *p,
		    char *outcome, struct fk_err *err)
{
	struct fk_person old;
	bool done = false;
	int rc = 0, found = 0;

	*outcome = 0;
	/* A scoped caller must not take over a person filed elsewhere, so it pays one read. */
	if (who) {
		found = read_by_key(db, p, &old, err);
		if (found < 0)
			return found;
		if (found && !fk_scope_covers(who, old.area_path))
			return out_of_scope(err);
	}
	if (!found)
		rc = insert_new(db, p, &done, err);
	if (rc == 0 && done)
		rc = pp_count_add(db, p->area_id, p->area_path, 1, err);
	if (rc < 0 || done) {
		*outcome = 'c';
		return rc < 0 ? rc : tags_write(db, p, true, err);
	}
	/* The ID is taken: the stored person's area moves the residents counters, and one
	 * taken since the read (a race) by someone outside the scope is refused. */
	if (!found) {
		found = read_by_key(db, p, &old, err);
		if (found < 0)
			return found;
		if (who && found && !fk_scope_covers(who, old.area_path))
			return out_of_scope(err);
	}
	rc = update_existing(db, p, &done, err);
	if (rc == 0 && done && found)
		rc = pp_count_moved(db, &old, p, err);
	if (rc < 0)
		return rc;
	*outcome = done ? 'u' : '=';
	if (done)
		return tags_write(db, p, false, err);
	if (!found) {
		found = read_by_key(db, p, &old, err);
		if (found < 0)
			return found;
	}
	*p = old;
	return 0;
}

int fk_person_upsert(struct fk_db *db, struct fk_person *p, char *outcome, struct fk_err *err)
{
	char dummy;
	int rc;

	if (!outcome)
		outcome = &dummy;
	*outcome = 0;
	rc = pp_person_check(p, err);
	if (rc == 0)
		rc = pp_person_area(db, pp_cache_thread(), NULL, p, err);
	if (rc == 0)
		rc = pp_person_write(db, NULL, p, outcome, err);
	return rc;
}

/* ---- create, read, update ---- */

/* Runs fn inside a write transaction unless the caller holds one. */
static int in_tx(struct fk_db *db, int fn(struct fk_db *, void *, struct fk_err *), void *arg,
		 struct fk_err *err)
{
	struct fk_tx tx;
	int rc = fk_tx_begin(db, &tx, err);

	if (rc == 0)
		rc = fn(db, arg, err);
	return fk_tx_end(db, &tx, rc, err);
}

static int duplicate(struct fk_err *err)
{
	return fk_err_set(err, FK_ECONFLICT, "duplicate_id_number", "id_number", "该证件号码已登记",
			  "a person with this ID number is already registered");
}

static int create_fn(struct fk_db *db, void *arg, struct fk_err *err)
{
	struct fk_person *p = arg;
	int64_t now = fk_now_ms();
	struct fk_q *q;
	int rc, i;

	p->id = fk_id_next();
	rc = fk_db_query(db, &q,
			 "INSERT INTO people (id, " DATA_COLS ", created_at, updated_at) "
			 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			 err);
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, p->id);
	i = bind_data(q, 2, p);
	fk_q_bind_i64(q, i++, now);
	fk_q_bind_i64(q, i, now);
	rc = fk_q_step(q, err);
	fk_q_done(q);
	if (rc == FK_ECONFLICT)
		return duplicate(err);
	if (rc < 0)
		return rc;
	p->created_at = p->updated_at = now;
	p->version = 1;
	rc = pp_count_add(db, p->area_id, p->area_path, 1, err);
	return rc < 0 ? rc : tags_write(db, p, true, err);
}

int fk_person_create(struct fk_db *db, const struct fk_principal *who, struct fk_person *p,
		     struct fk_err *err)
{
	int rc = pp_person_check(p, err);

	if (rc == 0)
		rc = pp_person_area(db, pp_cache_thread(), who, p, err);
	if (rc == 0)
		rc = in_tx(db, create_fn, p, err);
	return rc;
}

static int not_found(struct fk_err *err)
{
	return fk_err_set(err, FK_ENOTFOUND, "not_found", NULL, "人员不存在",
			  "the person does not exist");
}

int fk_person_get(struct fk_db *db, const struct fk_principal *who, int64_t id,
		  struct fk_person *out, struct fk_err *err)
{
	const struct fk_scoped_query sq = {.head = "SELECT " PP_COLS
						   " FROM people p WHERE p.id = ? AND ",
					   .nhead = 1,
					   .col = "p.area_path"};
	struct fk_q *q;
	int rc, next;

	memset(out, 0, sizeof(*out));
	if (!who || (who->role == FK_ROLE_RESIDENT && who->person_id != id))
		return not_found(err);
	rc = fk_scoped_query(db, who, &sq, &q, &next, err);
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, id);
	rc = fk_q_step(q, err);
	if (rc > 0)
		pp_row(q, out);
	fk_q_done(q);
	if (rc < 0)
		return rc;
	return rc == 0 ? not_found(err) : 0;
}

struct update_args {
	struct fk_person *p;
	const struct fk_person *old;
	int64_t version;
};

static int update_fn(struct fk_db *db, void *arg, struct fk_err *err)
{
	struct update_args *u = arg;
	struct fk_person *p = u->p;
	int64_t now = fk_now_ms();
	struct fk_q *q;
	int rc, i;

	rc = fk_db_query(db, &q,
			 "UPDATE people SET (" DATA_COLS ", updated_at, version) = "
			 "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, version + 1) "
			 "WHERE id = ? AND version = ?",
			 err);
	if (rc < 0)
		return rc;
	i = bind_data(q, 1, p);
	fk_q_bind_i64(q, i++, now);
	fk_q_bind_i64(q, i++, p->id);
	fk_q_bind_i64(q, i, u->version);
	rc = fk_q_step(q, err);
	if (rc >= 0 && fk_q_changes(q) == 0)
		rc = fk_err_set(err, FK_ECONFLICT, "version_conflict", "version",
				"该人员信息已被他人修改，请刷新后重试",
				"the person was changed by someone else; reload and try again");
	fk_q_done(q);
	if (rc == FK_ECONFLICT && strcmp(err ? err->key : "", "duplicate") == 0)
		return duplicate(err);
	if (rc < 0)
		return rc;
	p->updated_at = now;
	p->version = u->version + 1;
	rc = pp_count_moved(db, u->old, p, err);
	return rc < 0 ? rc : tags_write(db, p, false, err);
}

int fk_person_update(struct fk_db *db, const struct fk_principal *who, struct fk_person *p,
		     int64_t version, struct fk_err *err)
{
	struct update_args u = {.p = p, .version = version};
	struct fk_person old;
	int rc = fk_person_get(db, who, p->id, &old, err);

	if (rc < 0)
		return rc;
	if (version > 0 && version != old.version)
		return fk_err_set(err, FK_ECONFLICT, "version_conflict", "version",
				  "该人员信息已被他人修改，请刷新后重试",
				  "the person was changed by someone else; reload and try again");
	u.version = old.version;
	u.old = &old;
	rc = pp_person_check(p, err);
	if (rc == 0)
		rc = pp_person_area(db, pp_cache_thread(), who, p, err);
	if (rc == 0)
		rc = in_tx(db, update_fn, &u, err);
	if (rc == 0)
		p->created_at = old.created_at;
	return rc;
}
