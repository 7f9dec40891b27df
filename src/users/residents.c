/* residents: a passwordless resident account for every person under an area who has a mobile
 * number, made in batches of USERS_BULK_BATCH people, each batch its own transaction (a
 * district may have a million). The people are walked in the order of the people module's
 * index (area_path, name, id), from where the last batch stopped, so each batch reads only its
 * own rows. A person who has an account already is counted as existing (a resident account
 * without a number gets the person's first); one whose number another account holds (family
 * members share phones) as shared_phone; so the call can be repeated and makes only what is
 * missing. Reads the people module's table (see module.c). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/clock.h"
#include "base/id.h"
#include "users/internal.h"

#define USERS_BULK_BATCH 1000

struct bulk_person {
	int64_t id, user_id, area_id;
	char name[260];
	char phone[24];
	char path[FK_AREA_PATH_MAX];
};

struct bulk_walk {
	const char *path;
	char upper[FK_AREA_PATH_MAX + 8];
	struct bulk_person last; /* the keyset cursor: path, name, id of the last one read */
};

static void person_row(struct fk_q *q, void *rec)
{
	struct bulk_person *p = rec;

	p->id = fk_q_i64(q, 0);
	snprintf(p->name, sizeof p->name, "%s", fk_q_text(q, 1));
	snprintf(p->phone, sizeof p->phone, "%s", fk_q_text(q, 2) ? fk_q_text(q, 2) : "");
	snprintf(p->path, sizeof p->path, "%s", fk_q_text(q, 3));
	p->user_id = fk_q_i64(q, 4);
	p->area_id = fk_q_i64(q, 5);
}

/* The next batch of people with a number, after w->last. */
static int batch_read(struct fk_db *db, struct bulk_walk *w, struct bulk_person **out, int *n,
		      struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(
	    db, &q,
	    "SELECT p.id, p.name, p.phone, p.area_path, (SELECT MIN(u.id) FROM users u WHERE "
	    "u.person_id = p.id), p.area_id FROM people p "
	    "WHERE p.area_path >= ? AND p.area_path < ? AND (p.area_path, p.name, p.id) > (?, ?, "
	    "?) "
	    "AND p.phone IS NOT NULL AND p.phone <> '' ORDER BY p.area_path, p.name, p.id LIMIT ?",
	    err);

	if (rc < 0)
		return rc;
	fk_q_bind_text(q, 1, w->path);
	fk_q_bind_text(q, 2, w->upper);
	fk_q_bind_text(q, 3, w->last.path);
	fk_q_bind_text(q, 4, w->last.name);
	fk_q_bind_i64(q, 5, w->last.id);
	fk_q_bind_i64(q, 6, USERS_BULK_BATCH);
	return fk_q_collect(q, sizeof **out, person_row, (void **)out, n, err);
}

static bool is_mobile(const char *phone)
{
	return strlen(phone) == 11 && phone[0] == '1';
}

/* The account, scoped on the person's own area as a resident's is (people.h reads a
 * resident's record through its scope). *made is false when the number or name is taken. */
static int account_insert(struct fk_db *db, const struct bulk_person *p, int64_t now, bool *made,
			  struct fk_err *err)
{
	char username[32];
	int64_t id = fk_id_next(), rc;

	snprintf(username, sizeof username, "r%" PRId64, p->id);
	rc = fk_db_run(db, err,
		       "INSERT INTO users (id, username, display_name, role, person_id, phone, "
		       "password_hash, disabled, created_at, updated_at) VALUES (?, ?, ?, "
		       "'resident', ?, ?, '', 0, ?, ?) ON CONFLICT DO NOTHING",
		       "ittitii", id, username, p->name, p->id, p->phone, now, now);
	*made = rc == 1;
	if (*made)
		rc = fk_db_run(db, err, "INSERT INTO user_scopes (user_id, area_id) VALUES (?, ?)",
			       "ii", id, p->area_id);
	return rc < 0 ? (int)rc : 0;
}

/* Resident accounts made before, by hand, without a number get their person's (unless
 * another account holds it), before any account is made: the person's own account comes
 * before a family member's new one. One transaction; such accounts are few. */
struct bulk_phone {
	int64_t user_id;
	char phone[24];
};

static void phone_row(struct fk_q *q, void *rec)
{
	struct bulk_phone *b = rec;

	b->user_id = fk_q_i64(q, 0);
	snprintf(b->phone, sizeof b->phone, "%s", fk_q_text(q, 1));
}

static int phones_missing(struct fk_db *db, const struct bulk_walk *w, struct bulk_phone **out,
			  int *n, struct fk_err *err)
{
	struct fk_q *q;
	int rc =
	    fk_db_query(db, &q,
			"SELECT u.id, p.phone FROM users u JOIN people p ON p.id = u.person_id "
			"WHERE u.role = 'resident' AND u.phone IS NULL AND p.area_path >= ? AND "
			"p.area_path < ? AND p.phone IS NOT NULL AND p.phone <> '' ORDER BY u.id",
			err);

	if (rc < 0)
		return rc;
	fk_q_bind_text(q, 1, w->path);
	fk_q_bind_text(q, 2, w->upper);
	return fk_q_collect(q, sizeof **out, phone_row, (void **)out, n, err);
}

static int phones_fill(struct fk_db *db, const struct bulk_walk *w, struct fk_err *err)
{
	struct bulk_phone *b = NULL;
	struct fk_tx tx;
	int n = 0;
	int rc = fk_tx_begin(db, &tx, err);

	if (rc == 0)
		rc = phones_missing(db, w, &b, &n, err);
	for (int i = 0; rc == 0 && i < n; i++)
		if (is_mobile(b[i].phone))
			rc = fk_db_write(db, err,
					 "UPDATE users SET phone = ? WHERE id = ? AND NOT EXISTS "
					 "(SELECT 1 FROM users x WHERE x.phone = ?)",
					 "tit", b[i].phone, b[i].user_id, b[i].phone);
	free(b);
	return fk_tx_end(db, &tx, rc, err);
}

static int batch_write(struct fk_db *db, const struct bulk_person *ps, int n,
		       struct fk_user_bulk *out, struct fk_err *err)
{
	int64_t now = fk_now_ms();
	bool made;
	int rc = 0;

	for (int i = 0; rc == 0 && i < n; i++) {
		const struct bulk_person *p = &ps[i];
		if (!is_mobile(p->phone)) {
			out->no_phone++;
		} else if (p->user_id) {
			out->existing++;
		} else {
			rc = account_insert(db, p, now, &made, err);
			*(made ? &out->created : &out->shared_phone) += 1;
		}
	}
	return rc;
}

/* One batch in its own transaction; *more is false after the last. */
static int batch_run(struct fk_db *db, struct bulk_walk *w, struct fk_user_bulk *out, bool *more,
		     struct fk_err *err)
{
	struct bulk_person *ps = NULL;
	struct fk_tx tx;
	int n = 0;
	int rc = fk_tx_begin(db, &tx, err);

	if (rc == 0)
		rc = batch_read(db, w, &ps, &n, err);
	if (rc == 0)
		rc = batch_write(db, ps, n, out, err);
	rc = fk_tx_end(db, &tx, rc, err);
	*more = rc == 0 && n == USERS_BULK_BATCH;
	if (n > 0)
		w->last = ps[n - 1];
	free(ps);
	return rc;
}

static int count_no_phone(struct fk_db *db, const struct bulk_walk *w, int64_t *n,
			  struct fk_err *err)
{
	int rc = fk_db_one_i64(db, err, n,
			       "SELECT COUNT(*) FROM people WHERE area_path >= ? AND area_path < ? "
			       "AND (phone IS NULL OR phone = '')",
			       "tt", w->path, w->upper);

	return rc < 0 ? rc : 0;
}

int fk_user_residents(struct fk_db *db, const char *path, struct fk_user_bulk *out,
		      struct fk_err *err)
{
	struct bulk_walk w = {.path = path};
	bool more = true;
	int rc;

	memset(out, 0, sizeof *out);
	fk_prefix_upper(path, w.upper);
	rc = count_no_phone(db, &w, &out->no_phone, err);
	if (rc == 0)
		rc = phones_fill(db, &w, err);
	while (rc == 0 && more)
		rc = batch_run(db, &w, out, &more, err);
	return rc;
}
