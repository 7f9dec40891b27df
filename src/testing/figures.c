/* figures: what the dashboard reads of rounds — the open round over an area and the sums of
 * its counters (round_stats) under a path. */
#include <string.h>
#include "testing/internal.h"

/* The newest open round one of whose areas lies under path or holds it; rounds are few. */
static const char open_sql[] =
    "SELECT r.id FROM rounds r WHERE r.status = 'sampling' AND EXISTS (SELECT 1 FROM "
    "round_areas ra WHERE ra.round_id = r.id AND ((ra.area_path >= ? AND ra.area_path < ?) "
    "OR substr(CAST(? AS TEXT), 1, length(ra.area_path)) = ra.area_path)) "
    "ORDER BY r.opened_at DESC, r.id DESC LIMIT 1";

int fk_round_open_over(struct fk_db *db, const char *path, int64_t *round_id, struct fk_err *err)
{
	char upper[FK_AREA_PATH_MAX + 8];
	int rc;

	*round_id = 0;
	if (strlen(path) >= FK_AREA_PATH_MAX)
		return fk_err_set(err, FK_EINVAL, "too_long", "area_path", "区域路径过长",
				  "the area path is too long");
	rc = fk_db_one_i64(db, err, round_id, open_sql, "ttt", path, fk_prefix_upper(path, upper),
			   path);
	return rc < 0 ? rc : 0;
}

int fk_round_figures_under(struct fk_db *db, int64_t round_id, const char *path,
			   struct fk_round_figures *out, struct fk_err *err)
{
	struct tr_counts c;
	int rc;

	memset(out, 0, sizeof(*out));
	if (strlen(path) >= FK_AREA_PATH_MAX)
		return fk_err_set(err, FK_EINVAL, "too_long", "area_path", "区域路径过长",
				  "the area path is too long");
	rc = tr_counts_under(db, round_id, path, &c, err);
	if (rc < 0)
		return rc;
	out->expected = c.expected;
	out->exempt = c.exempt;
	out->sampled = c.sampled;
	out->resulted = c.resulted;
	out->positive = c.positive;
	return 0;
}

static void id_row(struct fk_q *q, void *rec)
{
	*(int64_t *)rec = fk_q_i64(q, 0);
}

int fk_rounds_open(struct fk_db *db, int64_t **ids, int *n, struct fk_err *err)
{
	struct fk_q *q;
	int rc;

	*ids = NULL;
	*n = 0;
	rc =
	    fk_db_query(db, &q, "SELECT id FROM rounds WHERE status = 'sampling' ORDER BY id", err);
	return rc < 0 ? rc : fk_q_collect(q, sizeof(int64_t), id_row, (void **)ids, n, err);
}
