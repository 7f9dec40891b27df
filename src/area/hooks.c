/* hooks: callbacks higher modules register so that area rules can reach rows area does not
 * own (people's area_path on a move, residents blocking a delete). See area.h. */
#include "area/area_int.h"
#include "base/log.h"

#define MAX_HOOKS 8

static fk_area_moved_fn moved_hooks[MAX_HOOKS];
static int nmoved;
static fk_area_count_fn delete_hooks[MAX_HOOKS];
static int ndelete;
static fk_area_count_fn residents_counter;

void fk_area_on_move(fk_area_moved_fn fn)
{
	for (int i = 0; i < nmoved; i++)
		if (moved_hooks[i] == fn)
			return;
	if (nmoved == MAX_HOOKS)
		FK_BUG("too many area move hooks");
	moved_hooks[nmoved++] = fn;
}

void fk_area_on_delete_check(fk_area_count_fn fn)
{
	for (int i = 0; i < ndelete; i++)
		if (delete_hooks[i] == fn)
			return;
	if (ndelete == MAX_HOOKS)
		FK_BUG("too many area delete checks");
	delete_hooks[ndelete++] = fn;
}

void fk_area_set_residents_counter(fk_area_count_fn fn)
{
	residents_counter = fn;
}

int area_hooks_moved(struct fk_db *db, const char *old_prefix, const char *new_prefix,
		     struct fk_err *err)
{
	for (int i = 0; i < nmoved; i++) {
		int rc = moved_hooks[i](db, old_prefix, new_prefix, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int fk_area_residents_count(struct fk_db *db, const char *path, int64_t *out, struct fk_err *err)
{
	*out = 0;
	return residents_counter ? residents_counter(db, path, out, err) : 0;
}

int area_hooks_blocking(struct fk_db *db, const char *path, int64_t *count, struct fk_err *err)
{
	int64_t n = 0;
	int rc = fk_area_residents_count(db, path, &n, err);

	*count = n;
	for (int i = 0; rc == 0 && i < ndelete; i++) {
		n = 0;
		rc = delete_hooks[i](db, path, &n, err);
		*count += n;
	}
	return rc;
}
