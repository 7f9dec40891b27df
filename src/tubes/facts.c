/* facts: what the tubes module tells others about results (tubes.h): the last positive and the
 * last day's samples under an area, for the zones module's lift rule, and whether a tube is a
 * positive pool, for a zone that names its cause. Reads only. */
#include <string.h>
#include "tubes/internal.h"

/* Under the subtree [path, upper): the later of the last positive pool and positive retest. */
static int last_positive(struct fk_db *db, const char *path, const char *upper, int64_t to,
			 int64_t *out, struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(
	    db, &q,
	    "SELECT MAX(at) FROM (SELECT MAX(t.resulted_at) AS at FROM samples s JOIN tubes t "
	    "ON t.id = s.tube_id WHERE s.area_path >= ? AND s.area_path < ? "
	    "AND s.result = 'positive' AND t.resulted_at <= ? "
	    "UNION ALL SELECT MAX(x.settled_at) AS at FROM retests x WHERE x.area_path >= ? "
	    "AND x.area_path < ? AND x.status = 'positive' AND x.settled_at <= ?) m",
	    err);

	*out = 0;
	if (rc < 0)
		return rc;
	fk_q_bind_text(q, 1, path);
	fk_q_bind_text(q, 2, upper);
	fk_q_bind_i64(q, 3, to);
	fk_q_bind_text(q, 4, path);
	fk_q_bind_text(q, 5, upper);
	fk_q_bind_i64(q, 6, to);
	rc = fk_q_step(q, err);
	if (rc > 0)
		*out = fk_q_i64(q, 0);
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

static int day_samples(struct fk_db *db, const char *path, const char *upper, int64_t from,
		       int64_t to, struct fk_tubes_area_results *out, struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q,
			     "SELECT COUNT(*), COALESCE(SUM(CASE WHEN result = 'negative' THEN 1 "
			     "ELSE 0 END), 0) FROM samples WHERE area_path >= ? AND area_path < ? "
			     "AND voided = 0 AND scanned_at >= ? AND scanned_at < ?",
			     err);

	if (rc < 0)
		return rc;
	fk_q_bind_text(q, 1, path);
	fk_q_bind_text(q, 2, upper);
	fk_q_bind_i64(q, 3, from);
	fk_q_bind_i64(q, 4, to);
	rc = fk_q_step(q, err);
	if (rc > 0) {
		out->sampled = (int)fk_q_i64(q, 0);
		out->negative = (int)fk_q_i64(q, 1);
	}
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

int fk_tubes_area_results(struct fk_db *db, const char *area_path, int64_t from, int64_t to,
			  struct fk_tubes_area_results *out, struct fk_err *err)
{
	char upper[FK_AREA_PATH_MAX + 8];
	int rc;

	memset(out, 0, sizeof(*out));
	fk_prefix_upper(area_path, upper);
	rc = last_positive(db, area_path, upper, to, &out->last_positive_at, err);
	return rc < 0 ? rc : day_samples(db, area_path, upper, from, to, out, err);
}

int fk_tubes_is_positive(struct fk_db *db, const char *code, const char *field, bool *positive,
			 struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q, "SELECT COALESCE(result, '') FROM tubes WHERE code = ?", err);

	*positive = false;
	if (rc < 0)
		return rc;
	fk_q_bind_text(q, 1, code);
	rc = fk_q_step(q, err);
	if (rc > 0)
		*positive = strcmp(fk_q_text(q, 0), "positive") == 0;
	fk_q_done(q);
	if (rc == 0)
		return fk_err_set(err, FK_ENOTFOUND, "unknown_tube", field, "试管 %s 不存在",
				  "there is no tube %s", code);
	return rc < 0 ? rc : 0;
}
