/* exempt: people not expected in a round, each with a reason (in hospital, away, isolated
 * elsewhere). An exemption lowers the expected count of the person's building by one and
 * raises its exempt count, at once when the round is open or when it opens; withdrawing it
 * undoes exactly that. Exempting someone already sampled is refused: their sample counts. */
#include <stdlib.h>
#include <string.h>
#include "base/buf.h"
#include "base/clock.h"
#include "people/people.h"
#include "base/xmalloc.h"
#include "testing/internal.h"

static int round_open_for_change(struct fk_db *db, const struct fk_principal *who, int64_t id,
				 struct fk_round *r, struct tr_round_areas *ra, struct fk_err *err)
{
	int rc = tr_round_visible(db, who, id, r, ra, err);

	if (rc == 0 && r->status == FK_ROUND_CLOSED)
		rc = fk_err_set(err, FK_EUNPROC, "round_closed", NULL,
				"该轮次已结束，不能再修改豁免",
				"the round is closed; exemptions can no longer change");
	return rc;
}

/* The person, in who's scope: 404 as a missing one. */
static int person_in_scope(struct fk_db *db, const struct fk_principal *who, int64_t person_id,
			   struct fk_person *p, struct fk_err *err)
{
	int rc = fk_person_get(db, who, person_id, p, err);

	if (rc == FK_ENOTFOUND)
		return fk_err_set(err, FK_ENOTFOUND, "person_not_found", "person_id", "人员不存在",
				  "the person does not exist");
	return rc;
}

/* The person, in who's scope and living in the round's areas. */
static int person_in_round(struct fk_db *db, const struct fk_principal *who, int64_t person_id,
			   const struct tr_round_areas *ra, struct fk_person *p, struct fk_err *err)
{
	int rc = person_in_scope(db, who, person_id, p, err);

	if (rc == 0 && !tr_round_has_path(ra, p->area_path))
		rc = fk_err_set(err, FK_EUNPROC, "person_not_in_round", "person_id",
				"%s 不在本轮检测的区域内", "%s does not live in the round's areas",
				p->name);
	return rc;
}

static int not_sampled(struct fk_db *db, int64_t round_id, const struct fk_person *p,
		       struct fk_err *err)
{
	int64_t one = 0;
	int rc = fk_db_one_i64(db, err, &one,
			       "SELECT 1 FROM samples WHERE round_id = ? AND person_id = ? AND "
			       "voided = 0",
			       "ii", round_id, p->id);

	if (rc < 0)
		return rc;
	if (rc > 0)
		return fk_err_set(err, FK_ECONFLICT, "already_sampled", "person_id",
				  "%s 本轮已采样，不能豁免", "%s has been sampled in this round",
				  p->name);
	return 0;
}

static int bump_exempt(struct fk_db *db, int64_t round_id, int64_t building, const char *path,
		       int sign, struct fk_err *err)
{
	const int64_t d[5] = {-sign, sign, 0, 0, 0};

	return tr_stats_bump(db, round_id, building, path, d, err);
}

int tr_exempt_add(struct fk_db *db, const struct fk_principal *who, int64_t round_id,
		  int64_t person_id, const char *reason, bool *created, struct fk_err *err)
{
	struct tr_round_areas *ra = fk_xmalloc(sizeof(*ra));
	struct fk_person *p = fk_xmalloc(sizeof(*p));
	struct fk_round r;
	int64_t now = fk_now_ms(), by = who ? who->user_id : 0, n = 0;
	int rc = round_open_for_change(db, who, round_id, &r, ra, err);

	*created = false;
	if (rc == 0)
		rc = person_in_round(db, who, person_id, ra, p, err);
	if (rc == 0)
		rc = not_sampled(db, round_id, p, err);
	if (rc == 0)
		n = fk_db_run(db, err,
			      "UPDATE round_exempt SET reason = ?, by_user = ?, at = ? "
			      "WHERE round_id = ? AND person_id = ?",
			      "tiiii", reason, by, now, round_id, person_id);
	if (rc == 0 && n == 0) {
		*created = true;
		n = fk_db_run(db, err,
			      "INSERT INTO round_exempt (round_id, person_id, building_id, "
			      "area_path, reason, by_user, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
			      "iiittii", round_id, person_id, p->area_id, p->area_path, reason, by,
			      now);
		if (n >= 0 && r.status == FK_ROUND_SAMPLING)
			n = bump_exempt(db, round_id, p->area_id, p->area_path, 1, err);
	}
	if (rc == 0 && n < 0)
		rc = (int)n;
	free(ra);
	free(p);
	return rc;
}

int tr_exempt_remove(struct fk_db *db, const struct fk_principal *who, int64_t round_id,
		     int64_t person_id, struct fk_err *err)
{
	struct tr_round_areas *ra = fk_xmalloc(sizeof(*ra));
	struct fk_person *p = fk_xmalloc(sizeof(*p));
	struct fk_round r;
	int64_t building = 0;
	int rc = round_open_for_change(db, who, round_id, &r, ra, err);

	if (rc == 0)
		rc = person_in_scope(db, who, person_id, p, err);
	if (rc == 0)
		rc = fk_db_one_i64(db, err, &building,
				   "SELECT building_id FROM round_exempt WHERE round_id = ? AND "
				   "person_id = ?",
				   "ii", round_id, person_id);
	if (rc == 0)
		rc = fk_err_set(err, FK_ENOTFOUND, "exemption_not_found", "person_id",
				"该人员在本轮没有豁免", "the person is not exempt in this round");
	else if (rc > 0)
		rc = 0;
	if (rc == 0)
		rc = fk_db_write(db, err,
				 "DELETE FROM round_exempt WHERE round_id = ? AND person_id = ?",
				 "ii", round_id, person_id);
	if (rc == 0 && r.status == FK_ROUND_SAMPLING)
		rc = bump_exempt(db, round_id, building, NULL, -1, err);
	free(ra);
	free(p);
	return rc;
}

int tr_exempt_list(struct fk_db *db, const struct fk_principal *who, int64_t round_id,
		   const struct fk_area *area, int limit, json_t *items, struct fk_err *err)
{
	const struct fk_scoped_query sq = {
	    .head = "SELECT " TR_PERSON_COLS ", e.reason, e.at, e.by_user "
		    "FROM round_exempt e JOIN people p ON p.id = e.person_id "
		    "JOIN areas a ON a.id = p.area_id WHERE e.round_id = ? AND ",
	    .nhead = 1,
	    .col = "p.area_path",
	    .under = area ? area->path : NULL,
	    .tail = " ORDER BY p.area_path, p.id LIMIT ?"};
	struct fk_q *q;
	int rc, idx;

	rc = fk_scoped_query(db, who, &sq, &q, &idx, err);
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, round_id);
	fk_q_bind_i64(q, idx, limit);
	while ((rc = fk_q_step(q, err)) > 0) {
		json_t *o = tr_person_row_json(q, who);
		json_object_set_new(o, "reason", json_string(fk_q_text(q, TR_PERSON_NCOLS)));
		json_object_set_new(o, "exempt_at",
				    fk_json_timev(fk_q_i64(q, TR_PERSON_NCOLS + 1)));
		json_object_set_new(o, "exempt_by", fk_json_idv(fk_q_i64(q, TR_PERSON_NCOLS + 2)));
		json_array_append_new(items, o);
	}
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

struct pending {
	int64_t person, building;
	char path[FK_AREA_PATH_MAX];
};

static void pending_row(struct fk_q *q, void *rec)
{
	struct pending *x = rec;

	x->person = fk_q_i64(q, 0);
	x->building = fk_q_i64(q, 1);
	snprintf(x->path, sizeof(x->path), "%s", fk_q_text(q, 2));
}

/* Reads every exemption's person's current area first: the updates follow once the read is
 * done, so no statement runs while another is being stepped. */
static int read_pending(struct fk_db *db, int64_t round_id, struct pending **out, int *n,
			struct fk_err *err)
{
	struct fk_q *q;
	void *rows;
	int rc;

	*out = NULL;
	*n = 0;
	rc = fk_db_query(db, &q,
			 "SELECT p.id, p.area_id, p.area_path FROM round_exempt e "
			 "JOIN people p ON p.id = e.person_id WHERE e.round_id = ?",
			 err);
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, round_id);
	rc = fk_q_collect(q, sizeof(**out), pending_row, &rows, n, err);
	*out = rows;
	return rc;
}

int tr_exempt_apply(struct fk_db *db, int64_t round_id, const struct tr_round_areas *ra,
		    struct fk_err *err)
{
	struct pending *l;
	int n, rc = read_pending(db, round_id, &l, &n, err);

	for (int i = 0; rc == 0 && i < n; i++) {
		if (!tr_round_has_path(ra, l[i].path))
			continue;
		rc = fk_db_write(db, err,
				 "UPDATE round_exempt SET building_id = ?, area_path = ? "
				 "WHERE round_id = ? AND person_id = ?",
				 "itii", l[i].building, l[i].path, round_id, l[i].person);
		if (rc == 0)
			rc = bump_exempt(db, round_id, l[i].building, l[i].path, 1, err);
	}
	free(l);
	return rc;
}
