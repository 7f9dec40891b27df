/* site_brief: a site as another module's roster names it — by id, or every active site under
 * an area (the duty board of a district reads them in one query). */
#include <string.h>
#include "base/buf.h"
#include "testing/testing.h"

#define BRIEF_SELECT                                                                               \
	"SELECT s.id, s.area_id, s.name, a.name, s.area_path, s.desks, s.active FROM sites s "     \
	"LEFT JOIN areas a ON a.id = s.area_id "

static void brief_row(struct fk_q *q, void *rec)
{
	struct fk_site_brief *b = rec;

	b->id = fk_q_i64(q, 0);
	b->area_id = fk_q_i64(q, 1);
	fk_copy_text(b->name, sizeof(b->name), fk_q_text(q, 2));
	fk_copy_text(b->area_name, sizeof(b->area_name), fk_q_text(q, 3));
	fk_copy_text(b->path, sizeof(b->path), fk_q_text(q, 4));
	b->desks = (int)fk_q_i64(q, 5);
	b->active = fk_q_i64(q, 6) != 0;
}

int fk_testing_site_brief(struct fk_db *db, int64_t id, const char *field,
			  struct fk_site_brief *out, struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q, BRIEF_SELECT "WHERE s.id = ?", err);

	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, id);
	memset(out, 0, sizeof(*out));
	rc = fk_q_first(q, brief_row, out, err);
	if (rc < 0)
		return rc;
	return rc == 0 ? fk_testing_site_not_found(field, err) : 0;
}

int fk_testing_sites_under(struct fk_db *db, const char *path, struct fk_site_brief **out, int *n,
			   struct fk_err *err)
{
	char upper[FK_AREA_PATH_MAX + 5];
	struct fk_q *q;
	int rc = fk_db_query(db, &q,
			     BRIEF_SELECT "WHERE s.area_path >= ? AND s.area_path < ? AND "
					  "s.active = 1 ORDER BY s.id",
			     err);

	*out = NULL;
	*n = 0;
	if (rc < 0)
		return rc;
	fk_q_bind_text(q, 1, path);
	fk_q_bind_text(q, 2, fk_prefix_upper(path, upper));
	return fk_q_collect(q, sizeof(**out), brief_row, (void **)out, n, err);
}
