/* level: where a request sits. The levels are the area kinds building, grid, community,
 * street and district; a request sits at the lowest of them over the person's home area
 * that has an active account of the level's role scoped on that very area (building, grid,
 * community; commander for street and district), so someone receives it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/id.h"
#include "requests/internal.h"

static const char *const levels[5] = {"building", "grid", "community", "street", "district"};

bool rq_level_kind(const char *kind)
{
	for (int i = 0; kind && i < 5; i++)
		if (strcmp(kind, levels[i]) == 0)
			return true;
	return false;
}

const char *rq_level_role(const char *level)
{
	if (strcmp(level, "street") == 0 || strcmp(level, "district") == 0)
		return "commander";
	return level;
}

int rq_path_depth(const char *path)
{
	int n = 0;

	for (const char *p = path; *p; p++)
		n += *p == '/';
	return n > 0 ? n - 1 : 0;
}

int rq_level_pick(const struct rq_cand *c, int n, int below_depth)
{
	int best = -1;

	for (int i = 0; i < n; i++)
		if (c[i].staffed && c[i].depth < below_depth &&
		    (best < 0 || c[i].depth > c[best].depth))
			best = i;
	return best;
}

/* The ids of the areas on path, root first; *n gets how many (at most RQ_MAX_DEPTH). */
static void path_ids(const char *path, int64_t ids[RQ_MAX_DEPTH], int *n)
{
	char part[24];
	size_t len;

	*n = 0;
	for (const char *p = path; *p && *n < RQ_MAX_DEPTH;) {
		if (*p == '/') {
			p++;
			continue;
		}
		len = strcspn(p, "/");
		snprintf(part, sizeof(part), "%.*s", (int)(len < 23 ? len : 23), p);
		if (fk_id_parse(part, &ids[*n]))
			(*n)++;
		p += len;
	}
}

static void cand_row(struct fk_q *q, struct rq_cand *c)
{
	c->id = fk_q_i64(q, 0);
	snprintf(c->kind, sizeof(c->kind), "%s", fk_q_text(q, 1));
	snprintf(c->path, sizeof(c->path), "%s", fk_q_text(q, 2));
	c->depth = rq_path_depth(c->path);
	c->staffed = fk_q_i64(q, 3) != 0;
	snprintf(c->name, sizeof(c->name), "%s", fk_q_text(q, 4));
}

int rq_level_cands(struct fk_db *db, const char *path, struct rq_cand *c, int *n,
		   struct fk_err *err)
{
	int64_t ids[RQ_MAX_DEPTH];
	struct fk_q *q;
	int nids,
	    rc = fk_db_query(
		db, &q,
		"SELECT a.id, a.kind, a.path, EXISTS (SELECT 1 FROM user_scopes s JOIN users "
		"u ON u.id = s.user_id WHERE s.area_id = a.id AND u.disabled = 0 AND u.role = "
		"(CASE WHEN a.kind IN ('street', 'district') THEN 'commander' ELSE a.kind "
		"END)), a.name FROM areas a WHERE a.kind IN ('building', 'grid', 'community', "
		"'street', 'district') AND a.id IN (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
		"?, ?)",
		err);

	*n = 0;
	if (rc < 0)
		return rc;
	path_ids(path, ids, &nids);
	for (int i = 0; i < RQ_MAX_DEPTH; i++)
		fk_q_bind_i64(q, i + 1, i < nids ? ids[i] : 0);
	while ((rc = fk_q_step(q, err)) > 0 && *n < RQ_MAX_DEPTH)
		cand_row(q, &c[(*n)++]);
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

int rq_cand_cmp(const void *a, const void *b)
{
	return strcmp(((const struct rq_cand *)a)->path, ((const struct rq_cand *)b)->path);
}

const struct rq_cand *rq_staffed_above(const struct rq_cand *sorted, int n, const char *path)
{
	struct rq_cand key;
	size_t len;

	snprintf(key.path, sizeof(key.path), "%s", path);
	len = strlen(key.path);
	while (len > 1) {
		const struct rq_cand *hit;

		key.path[--len] = '\0'; /* drop the trailing slash, then the last id */
		while (len > 0 && key.path[len - 1] != '/')
			key.path[--len] = '\0';
		if (len <= 1 || n == 0)
			break;
		hit = bsearch(&key, sorted, (size_t)n, sizeof(*sorted), rq_cand_cmp);
		if (hit)
			return hit;
	}
	return NULL;
}
