/* counts: counters bumped at the commit (fk_db_count in db.h). The queue is an array of
 * deltas in the order they came, so that a savepoint's rollback cuts it back to a mark; the
 * commit sorts a copy by row, sums the deltas of each row and applies them in that order. */
#include <stdlib.h>
#include <string.h>
#include "base/xmalloc.h"
#include "store/backend.h"

struct count {
	const struct fk_counter *counter;
	int64_t a, b;
	int64_t d[FK_COUNT_N];
};

struct fk_counts {
	bool defer;
	struct count *v;
	size_t n, cap;
};

static struct fk_counts *counts_of(struct fk_db *db)
{
	if (!db->counts)
		db->counts = fk_xcalloc(1, sizeof(*db->counts));
	return db->counts;
}

void fk_db_defer_counts(struct fk_db *db, bool on)
{
	if (on || db->counts)
		counts_of(db)->defer = on;
}

int fk_db_count(struct fk_db *db, const struct fk_counter *counter, int64_t a, int64_t b,
		const int64_t d[FK_COUNT_N], struct fk_err *err)
{
	struct fk_counts *c = db->counts;

	if (!c || !c->defer || !db->in_tx)
		return counter->apply(db, a, b, d, err);
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 64;
		c->v = fk_xrealloc(c->v, c->cap * sizeof(*c->v));
	}
	c->v[c->n] = (struct count){.counter = counter, .a = a, .b = b};
	memcpy(c->v[c->n].d, d, sizeof(c->v[c->n].d));
	c->n++;
	return 0;
}

size_t fk_db_counts_mark(struct fk_db *db)
{
	return db->counts ? db->counts->n : 0;
}

void fk_db_counts_rewind(struct fk_db *db, size_t mark)
{
	if (db->counts && mark < db->counts->n)
		db->counts->n = mark;
}

static int by_row(const void *x, const void *y)
{
	const struct count *p = x, *q = y;
	int k = p->counter == q->counter ? 0 : strcmp(p->counter->name, q->counter->name);

	if (k != 0)
		return k;
	if (p->a != q->a)
		return p->a < q->a ? -1 : 1;
	return p->b < q->b ? -1 : p->b > q->b;
}

static bool same_row(const struct count *p, const struct count *q)
{
	return p->counter == q->counter && p->a == q->a && p->b == q->b;
}

static bool all_zero(const int64_t d[FK_COUNT_N])
{
	for (int i = 0; i < FK_COUNT_N; i++)
		if (d[i] != 0)
			return false;
	return true;
}

/* Sums the deltas of each row into its first entry (the queue sorted by row) and applies the
 * sums in order. */
static int apply_sorted(struct fk_db *db, struct count *v, size_t n, struct fk_err *err)
{
	int rc = 0;

	for (size_t i = 0, j; rc == 0 && i < n; i = j) {
		for (j = i + 1; j < n && same_row(&v[i], &v[j]); j++)
			for (int k = 0; k < FK_COUNT_N; k++)
				v[i].d[k] += v[j].d[k];
		if (!all_zero(v[i].d))
			rc = v[i].counter->apply(db, v[i].a, v[i].b, v[i].d, err);
	}
	return rc;
}

int fk_db_counts_flush(struct fk_db *db, struct fk_err *err)
{
	struct fk_counts *c = db->counts;
	size_t n = c ? c->n : 0;

	if (n == 0)
		return 0;
	/* Taken first: an apply that counts (it should not) goes straight to the store. */
	struct count *v = c->v;
	size_t cap = c->cap;
	bool defer = c->defer;
	c->v = NULL;
	c->n = c->cap = 0;
	c->defer = false;
	qsort(v, n, sizeof(*v), by_row);
	int rc = apply_sorted(db, v, n, err);
	c->defer = defer;
	if (!c->v) {
		c->v = v; /* keeps the array for the next transaction */
		c->cap = cap;
	} else {
		free(v);
	}
	return rc;
}

void fk_db_counts_free(struct fk_db *db)
{
	if (!db->counts)
		return;
	free(db->counts->v);
	free(db->counts);
	db->counts = NULL;
}
