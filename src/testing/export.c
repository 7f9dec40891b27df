/* export: the testing module's rows for exports (testing.h): the people of a round's areas
 * under an area not yet sampled nor exempt, by person id, a page at a time, unmasked. */
#include <stdio.h>
#include <string.h>
#include "area/area.h"
#include "testing/testing.h"

const char *const fk_round_missing_keys[] = {"id",	  "name",      "id_number", "phone",
					     "household", "area_code", "area_name", NULL};
const char *const fk_round_missing_heads[] = {"编号", "姓名",	  "证件号码", "手机号",
					      "户室", "区域编码", "区域",     NULL};

#define NCOLS 7

/* One row's columns as text; NULL as "". */
static int emit(struct fk_q *q, int (*row)(void *ctx, const char *const *v, int n), void *ctx,
		int64_t *last_id)
{
	const char *v[NCOLS];

	for (int i = 0; i < NCOLS; i++) {
		v[i] = fk_q_text(q, i);
		if (!v[i])
			v[i] = "";
	}
	*last_id = fk_q_i64(q, 0);
	return row(ctx, v, NCOLS);
}

int fk_round_missing_page(struct fk_db *db, int64_t round_id, const char *under, int64_t after_id,
			  int limit, int (*row)(void *ctx, const char *const *v, int n), void *ctx,
			  int64_t *last_id, struct fk_err *err)
{
	char upper[FK_AREA_PATH_MAX + 5];
	struct fk_q *q;
	int rc;

	*last_id = after_id;
	if (strlen(under) >= FK_AREA_PATH_MAX)
		return 0;
	fk_prefix_upper(under, upper);
	rc = fk_db_query(
	    db, &q,
	    "SELECT p.id, p.name, p.id_number, p.phone, p.household, a.code, a.name FROM people p "
	    "JOIN areas a ON a.id = p.area_id WHERE p.area_path >= ? AND p.area_path < ? AND "
	    "p.id > ? AND EXISTS (SELECT 1 FROM round_areas ra WHERE ra.round_id = ? AND "
	    "substr(p.area_path, 1, length(ra.area_path)) = ra.area_path) AND NOT EXISTS (SELECT "
	    "1 FROM samples s WHERE s.round_id = ? AND s.person_id = p.id AND s.voided = 0) AND "
	    "NOT EXISTS (SELECT 1 FROM round_exempt e WHERE e.round_id = ? AND e.person_id = "
	    "p.id) ORDER BY p.id LIMIT ?",
	    err);
	if (rc < 0)
		return rc;
	fk_q_bind_text(q, 1, under);
	fk_q_bind_text(q, 2, upper);
	fk_q_bind_i64(q, 3, after_id);
	fk_q_bind_i64(q, 4, round_id);
	fk_q_bind_i64(q, 5, round_id);
	fk_q_bind_i64(q, 6, round_id);
	fk_q_bind_i64(q, 7, limit);
	while ((rc = fk_q_step(q, err)) > 0)
		if ((rc = emit(q, row, ctx, last_id)) < 0)
			break;
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}
