/* person: one resident in the store — the upsert every bulk loader uses, create, read and
 * update. The upsert is one statement per person: INSERT ... ON CONFLICT DO UPDATE ... WHERE
 * something changed RETURNING id, so created, updated and unchanged are told apart without a
 * read first (an unchanged row returns nothing; a created one returns the id we made). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/buf.h"
#include "base/clock.h"
#include "base/id.h"
#include "people/internal.h"

static void copy_col(char *dst, size_t size, const char *s)
{
	snprintf(dst, size, "%s", s ? s : "");
}

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
	copy_col(out->name, sizeof(out->name), fk_q_text(q, 1));
	out->id_type = t < 0 ? FK_IDT_OTHER : (enum fk_id_type)t;
	copy_col(out->id_number, sizeof(out->id_number), fk_q_text(q, 3));
	copy_col(out->phone, sizeof(out->phone), fk_q_text(q, 4));
	out->sex = sex && (sex[0] == 'M' || sex[0] == 'F') ? sex[0] : 0;
	copy_col(out->birth_date, sizeof(out->birth_date), fk_q_text(q, 6));
	out->area_id = fk_q_i64(q, 7);
	copy_col(out->area_path, sizeof(out->area_path), fk_q_text(q, 8));
	copy_col(out->household, sizeof(out->household), fk_q_text(q, 9));
	copy_col(out->residence, sizeof(out->residence), fk_q_text(q, 10));
	tags_split(fk_q_text(q, 11), out);
	copy_col(out->note, sizeof(out->note), fk_q_text(q, 12));
	out->created_at = fk_q_i64(q, 13);
	out->updated_at = fk_q_i64(q, 14);
	out->version = fk_q_i64(q, 15);
}

int pp_person_area(struct fk_db *db, struct pp_cache *c, const struct fk_principal *who,
		   struct fk_person *p, const char *out_of_scope_key, struct fk_err *err)
{
	const struct pp_area *a;
	int rc = pp_area_get(db, c, p->area_id, &a, err);

	if (rc == FK_ENOTFOUND || (rc == 0 && who && !out_of_scope_key &&
				   !fk_scope_covers(who, a->path)))
		return fk_err_set(err, FK_EINVAL, "unknown_area", "area_id", "所在区域不存在",
				  "the area does not exist");
	if (rc < 0)
		return rc;
	if (who && !fk_scope_covers(who, a->path))
		return fk_err_set(err, FK_EUNPROC, out_of_scope_key, "area_id",
				  "区域“%s”不在您的管辖范围内", "area \"%s\" is outside your scope",
				  a->name);
	if (!pp_area_kind_ok(a->kind))
		return fk_err_set(err, FK_EUNPROC, "area_kind", "area_id",
				  "人员不能直接登记在%s级区域“%s”，请选择网格、楼栋、单元或户",
				  "people cannot be filed directly under the %s \"%s\"; choose a grid, "
				  "building, unit or household",
				  a->kind, a->name);
	copy_col(p->area_path, sizeof(p->area_path), a->path);
	return 0;
}

/* ---- binding a person ---- */

static void bind_opt(struct fk_q *q, int idx, const char *s)
{
	fk_q_bind_text(q, idx, s && *s ? s : NULL);
}

/* Binds the 12 data columns name..note from index first (in the order of DATA_COLS). */
#define DATA_COLS                                                                               \
	"name, id_type, id_number, phone, sex, birth_date, area_id, area_path, household, "     \
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

/* Replaces the person's rows in person_tags by p's tags. */
static int tags_write(struct fk_db *db, const struct fk_person *p, bool fresh, struct fk_err *err)
{
	struct fk_q *q;
	int rc = 0;

	if (!fresh && fk_db_run(db, err, "DELETE FROM person_tags WHERE person_id = ?", "i",
				p->id) < 0)
		return err ? err->code : FK_EDB;
	if (p->ntags == 0)
		return 0;
	if (fk_db_query(db, &q,
			"INSERT INTO person_tags (person_id, tag, area_path) VALUES (?, ?, ?)",
			err) < 0)
		return err ? err->code : FK_EDB;
	for (int i = 0; rc >= 0 && i < p->ntags; i++) {
		fk_q_bind_i64(q, 1, p->id);
		fk_q_bind_text(q, 2, p->tags[i]);
		fk_q_bind_text(q, 3, p->area_path);
		rc = fk_q_step(q, err);
		fk_q_done(q);
		if (rc >= 0 && i + 1 < p->ntags &&
		    fk_db_query(db, &q,
				"INSERT INTO person_tags (person_id, tag, area_path) VALUES (?, ?, ?)",
				err) < 0)
			return err ? err->code : FK_EDB;
	}
	return rc < 0 ? rc : 0;
}

/* ---- the upsert ---- */

/* Empty optional values keep the stored ones (COALESCE), and the WHERE lets a row that would
 * not change anything alone, so re-importing a file writes nothing. */
static const char upsert_sql[] =
	"INSERT INTO people (id, " DATA_COLS ", created_at, updated_at) "
	"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
	"ON CONFLICT (id_number, id_type) DO UPDATE SET name = excluded.name, "
	"phone = COALESCE(excluded.phone, people.phone), "
	"sex = COALESCE(excluded.sex, people.sex), "
	"birth_date = COALESCE(excluded.birth_date, people.birth_date), "
	"area_id = excluded.area_id, area_path = excluded.area_path, "
	"household = COALESCE(excluded.household, people.household), "
	"residence = COALESCE(excluded.residence, people.residence), "
	"tags = COALESCE(excluded.tags, people.tags), "
	"note = COALESCE(excluded.note, people.note), "
	"updated_at = excluded.updated_at, version = people.version + 1 "
	"WHERE people.name <> excluded.name OR people.area_id <> excluded.area_id "
	"OR people.area_path <> excluded.area_path "
	"OR COALESCE(excluded.phone, people.phone) IS DISTINCT FROM people.phone "
	"OR COALESCE(excluded.sex, people.sex) IS DISTINCT FROM people.sex "
	"OR COALESCE(excluded.birth_date, people.birth_date) IS DISTINCT FROM people.birth_date "
	"OR COALESCE(excluded.household, people.household) IS DISTINCT FROM people.household "
	"OR COALESCE(excluded.residence, people.residence) IS DISTINCT FROM people.residence "
	"OR COALESCE(excluded.tags, people.tags) IS DISTINCT FROM people.tags "
	"OR COALESCE(excluded.note, people.note) IS DISTINCT FROM people.note "
	"RETURNING id, tags, created_at, version";

static const char by_key_sql[] = "SELECT " PP_COLS " FROM people p "
				 "WHERE p.id_number = ? AND p.id_type = ?";

/* The stored person with p's ID (found: 1, none: 0). */
static int read_by_key(struct fk_db *db, const struct fk_person *p, struct fk_person *out,
		       struct fk_err *err)
{
	struct fk_q *q;
	int rc;

	if (fk_db_query(db, &q, by_key_sql, err) < 0)
		return err ? err->code : FK_EDB;
	fk_q_bind_text(q, 1, p->id_number);
	fk_q_bind_text(q, 2, fk_idtype_name(p->id_type));
	rc = fk_q_step(q, err);
	if (rc > 0)
		pp_row(q, out);
	fk_q_done(q);
	return rc;
}

/* Runs the upsert; *outcome is 'c', 'u' or '=' (no row came back). */
static int upsert_row(struct fk_db *db, struct fk_person *p, char *outcome, struct fk_err *err)
{
	int64_t id = fk_id_next(), now = fk_now_ms();
	struct fk_q *q;
	int rc, i;

	if (fk_db_query(db, &q, upsert_sql, err) < 0)
		return err ? err->code : FK_EDB;
	fk_q_bind_i64(q, 1, id);
	i = bind_data(q, 2, p);
	fk_q_bind_i64(q, i++, now);
	fk_q_bind_i64(q, i, now);
	rc = fk_q_step(q, err);
	*outcome = '=';
	if (rc > 0) {
		p->id = fk_q_i64(q, 0);
		tags_split(fk_q_text(q, 1), p);
		p->created_at = fk_q_i64(q, 2);
		p->version = fk_q_i64(q, 3);
		p->updated_at = now;
		*outcome = p->id == id ? 'c' : 'u';
	}
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

int pp_person_write(struct fk_db *db, const struct fk_principal *who, struct fk_person *p,
		    char *outcome, struct fk_err *err)
{
	struct fk_person old;
	int rc, found = 0;

	/* A scoped caller must not take over a person filed elsewhere, so it pays one read. */
	if (who) {
		found = read_by_key(db, p, &old, err);
		if (found < 0)
			return found;
		if (found && !fk_scope_covers(who, old.area_path))
			return fk_err_set(err, FK_ECONFLICT, "id_number_out_of_scope", "id_number",
					  "该证件号码已登记在您管辖范围以外的区域",
					  "this ID number is registered outside your scope");
	}
	rc = upsert_row(db, p, outcome, err);
	if (rc < 0)
		return rc;
	if (*outcome == '=') {
		if (!found && read_by_key(db, p, &old, err) < 0)
			return err ? err->code : FK_EDB;
		*p = old;
		return 0;
	}
	return tags_write(db, p, *outcome == 'c', err);
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
		rc = pp_person_area(db, pp_cache_thread(), NULL, p, NULL, err);
	if (rc == 0)
		rc = pp_person_write(db, NULL, p, outcome, err);
	return rc;
}

/* ---- create, read, update ---- */

/* Runs fn inside a write transaction unless the caller holds one. */
static int in_tx(struct fk_db *db, int rc_of_fn(struct fk_db *, void *, struct fk_err *),
		 void *arg, struct fk_err *err)
{
	bool own = !fk_db_in_tx(db);
	int rc;

	if (own && fk_db_begin(db, true, err) < 0)
		return err ? err->code : FK_EDB;
	rc = rc_of_fn(db, arg, err);
	if (!own)
		return rc;
	if (rc < 0) {
		fk_db_rollback(db);
		return rc;
	}
	if (fk_db_commit(db, err) < 0)
		return err ? err->code : FK_EDB;
	return 0;
}

static int duplicate(struct fk_err *err)
{
	return fk_err_set(err, FK_ECONFLICT, "duplicate_id_number", "id_number",
			  "该证件号码已登记", "a person with this ID number is already registered");
}

static int create_fn(struct fk_db *db, void *arg, struct fk_err *err)
{
	struct fk_person *p = arg;
	int64_t now = fk_now_ms();
	struct fk_q *q;
	int rc, i;

	p->id = fk_id_next();
	if (fk_db_query(db, &q,
			"INSERT INTO people (id, " DATA_COLS ", created_at, updated_at) "
			"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			err) < 0)
		return err ? err->code : FK_EDB;
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
	return tags_write(db, p, true, err);
}

int fk_person_create(struct fk_db *db, const struct fk_principal *who, struct fk_person *p,
		     struct fk_err *err)
{
	int rc = pp_person_check(p, err);

	if (rc == 0)
		rc = pp_person_area(db, pp_cache_thread(), who, p, NULL, err);
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
	struct fk_buf sql;
	struct fk_q *q;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!who || (who->role == FK_ROLE_RESIDENT && who->person_id != id))
		return not_found(err);
	fk_buf_init(&sql, 0);
	fk_buf_puts(&sql, "SELECT " PP_COLS " FROM people p WHERE p.id = ? AND ");
	fk_scope_sql(who, "p.area_path", &sql);
	rc = fk_db_query(db, &q, sql.data, err);
	fk_buf_release(&sql);
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, id);
	fk_scope_bind(who, q, 2);
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
	int64_t version;
};

static int update_fn(struct fk_db *db, void *arg, struct fk_err *err)
{
	struct update_args *u = arg;
	struct fk_person *p = u->p;
	int64_t now = fk_now_ms();
	struct fk_q *q;
	int rc, i;

	if (fk_db_query(db, &q,
			"UPDATE people SET (" DATA_COLS ", updated_at, version) = "
			"(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, version + 1) "
			"WHERE id = ? AND version = ?",
			err) < 0)
		return err ? err->code : FK_EDB;
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
	return tags_write(db, p, false, err);
}

int fk_person_update(struct fk_db *db, const struct fk_principal *who, struct fk_person *p,
		     int64_t version, struct fk_err *err)
{
	struct update_args u = {p, version};
	struct fk_person old;
	int rc = fk_person_get(db, who, p->id, &old, err);

	if (rc < 0)
		return rc;
	if (version > 0 && version != old.version)
		return fk_err_set(err, FK_ECONFLICT, "version_conflict", "version",
				  "该人员信息已被他人修改，请刷新后重试",
				  "the person was changed by someone else; reload and try again");
	u.version = old.version;
	rc = pp_person_check(p, err);
	if (rc == 0)
		rc = pp_person_area(db, pp_cache_thread(), who, p, NULL, err);
	if (rc == 0)
		rc = in_tx(db, update_fn, &u, err);
	if (rc == 0)
		p->created_at = old.created_at;
	return rc;
}
