/* kinds: what can be exported, who may read it, and where its rows come from — each kind's
 * rows are a page read in the owning module's header. */
#include <string.h>
#include "exports/internal.h"
#include "isolation/isolation.h"
#include "people/people.h"
#include "requests/requests.h"
#include "testing/testing.h"
#include "tubes/tubes.h"

#define EX_SCOPED (FK_R(ADMIN) | FK_R(COMMANDER) | FK_R(COMMUNITY) | FK_R(GRID))

/* The page's start, copied out of j->cursor, which the read overwrites with the next one. */
static const char *from(const struct ex_job *j, char after[FK_EXPORT_CURSOR_MAX])
{
	memcpy(after, j->cursor, FK_EXPORT_CURSOR_MAX);
	return after;
}

static int residents(struct fk_db *db, struct ex_job *j, ex_row_fn row, void *ctx,
		     struct fk_err *err)
{
	char after[FK_EXPORT_CURSOR_MAX];

	return fk_people_export_page(db, j->under, from(j, after), EX_PAGE, row, ctx, j->cursor,
				     sizeof(j->cursor), err);
}

static int results(struct fk_db *db, struct ex_job *j, ex_row_fn row, void *ctx, struct fk_err *err)
{
	char after[FK_EXPORT_CURSOR_MAX];

	return fk_tubes_results_page(db, j->round_id, j->under, from(j, after), EX_PAGE, row, ctx,
				     j->cursor, sizeof(j->cursor), err);
}

static int missing(struct fk_db *db, struct ex_job *j, ex_row_fn row, void *ctx, struct fk_err *err)
{
	char after[FK_EXPORT_CURSOR_MAX];

	return fk_round_missing_page(db, j->round_id, j->under, from(j, after), EX_PAGE, row, ctx,
				     j->cursor, sizeof(j->cursor), err);
}

static int requests(struct fk_db *db, struct ex_job *j, ex_row_fn row, void *ctx,
		    struct fk_err *err)
{
	char after[FK_EXPORT_CURSOR_MAX];

	return fk_requests_export_page(db, j->under, from(j, after), EX_PAGE, row, ctx, j->cursor,
				       sizeof(j->cursor), err);
}

static int placements(struct fk_db *db, struct ex_job *j, ex_row_fn row, void *ctx,
		      struct fk_err *err)
{
	char after[FK_EXPORT_CURSOR_MAX];

	return fk_placements_export_page(db, j->under, from(j, after), EX_PAGE, row, ctx, j->cursor,
					 sizeof(j->cursor), err);
}

static const struct ex_kind kinds[] = {
    {"residents", FK_ROLES_PEOPLE, false, fk_people_export_keys, fk_people_export_heads, residents},
    {"results", EX_SCOPED, true, fk_tubes_results_keys, fk_tubes_results_heads, results},
    {"missing", EX_SCOPED, true, fk_round_missing_keys, fk_round_missing_heads, missing},
    {"requests", FK_ROLES_PEOPLE, false, fk_requests_export_keys, fk_requests_export_heads,
     requests},
    {"placements", EX_SCOPED, false, fk_placements_export_keys, fk_placements_export_heads,
     placements},
};

const struct ex_kind *ex_kind_find(const char *name)
{
	for (size_t i = 0; name && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kinds[i].name, name) == 0)
			return &kinds[i];
	return NULL;
}
