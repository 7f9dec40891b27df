/* import: residents from a CSV file or from rows parsed in the browser, in two passes.
 *
 * Pass 1 reads the whole input without writing: a broken quote, a bad encoding or a missing
 * required column rejects it with nothing written, and it notes the last line of every ID
 * number. Pass 2 turns each row into a person and writes it, committing a batch every
 * BATCH_MS or BATCH_ROWS rows (unless the caller holds a transaction) so a long import does not
 * hold the write lock throughout. Batches are as large as that allows: every commit rewrites
 * the index pages the batch touched, and the IDs, names and phones of a file are in no order.
 *
 * An ID met on several lines is one person and the last valid line wins: earlier valid lines
 * wait in memory (only IDs that repeat, so memory stays small) and are counted as merged
 * (updated, or unchanged when the winner changed nothing). The earlier lines are never
 * written, which keeps a second import of the same file from changing anything. If the last
 * line is bad, the latest valid earlier one is written instead. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/buf.h"
#include "base/clock.h"
#include "base/utf8.h"
#include "base/xmalloc.h"
#include "people/import.h"

#define BATCH_ROWS	  200000
#define BATCH_MS	  2000
#define CLOCK_EVERY	  1024 /* rows between looks at the clock */
#define PENDING_BUCKETS	  1024
#define IMPORT_CACHE_SIZE 4096

/* ---- pass 1: the last line of every ID, by a 64-bit hash of the key ---- */

struct keymap {
	uint64_t *h; /* 0 = empty */
	long *line;
	size_t cap, n;
};

static uint64_t key_hash(const char *k)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (; *k; k++)
		h = (h ^ (unsigned char)*k) * 0x100000001b3ull;
	h ^= h >> 31;
	return h ? h : 1;
}

static void keymap_grow(struct keymap *m);

static void keymap_put(struct keymap *m, uint64_t h, long line)
{
	size_t i;

	if ((m->n + 1) * 2 > m->cap)
		keymap_grow(m);
	for (i = h & (m->cap - 1); m->h[i] && m->h[i] != h; i = (i + 1) & (m->cap - 1))
		;
	if (!m->h[i]) {
		m->h[i] = h;
		m->n++;
	}
	m->line[i] = line;
}

static void keymap_grow(struct keymap *m)
{
	struct keymap old = *m;

	m->cap = old.cap ? old.cap * 2 : 4096;
	m->h = fk_xcalloc(m->cap, sizeof(*m->h));
	m->line = fk_xcalloc(m->cap, sizeof(*m->line));
	m->n = 0;
	for (size_t i = 0; i < old.cap; i++)
		if (old.h[i])
			keymap_put(m, old.h[i], old.line[i]);
	free(old.h);
	free(old.line);
}

static long keymap_get(const struct keymap *m, uint64_t h)
{
	if (!m->cap)
		return 0;
	for (size_t i = h & (m->cap - 1); m->h[i]; i = (i + 1) & (m->cap - 1))
		if (m->h[i] == h)
			return m->line[i];
	return 0;
}

/* ---- pass 2: valid earlier lines of repeated IDs ---- */

struct pend_entry {
	char key[48];
	struct fk_person p; /* the latest valid earlier line */
	long line;
	int nvalid; /* valid earlier lines seen */
	struct pend_entry *next;
};

struct pending {
	struct pend_entry *b[PENDING_BUCKETS];
};

static void pending_put(struct imp *im, const char *key, const struct fk_person *p, long line)
{
	struct pend_entry **pp = &im->pend->b[key_hash(key) % PENDING_BUCKETS];

	while (*pp && strcmp((*pp)->key, key) != 0)
		pp = &(*pp)->next;
	if (!*pp) {
		*pp = fk_xcalloc(1, sizeof(**pp));
		snprintf((*pp)->key, sizeof((*pp)->key), "%s", key);
	}
	(*pp)->p = *p;
	(*pp)->line = line;
	(*pp)->nvalid++;
}

static struct pend_entry *pending_take(struct imp *im, const char *key)
{
	struct pend_entry **pp = &im->pend->b[key_hash(key) % PENDING_BUCKETS], *e;

	while (*pp && strcmp((*pp)->key, key) != 0)
		pp = &(*pp)->next;
	e = *pp;
	if (e)
		*pp = e->next;
	return e;
}

/* ---- outcomes ---- */

static int fatal(struct imp *im, int rc, const struct fk_err *e)
{
	im->fatal = *e;
	im->fatal_rc = rc;
	return 1;
}

static bool is_fatal(int rc, const struct fk_err *e)
{
	return rc == FK_EDB || rc == FK_EINTERNAL ||
	       (rc == FK_ECONFLICT && strcmp(e->key, "retry") == 0);
}

static void row_fail(struct imp *im, long line, const struct fk_err *e)
{
	int col = im->err_col;

	if (col < 0) {
		col = imp_col_of(&im->map, e->field);
		if (!col && (!strcmp(e->field, "sex") || !strcmp(e->field, "birth_date")))
			col = imp_col_of(&im->map, "id_number");
		if (!col && !strcmp(e->field, "area_id"))
			col = imp_col_of(&im->map, "building");
	}
	fk_report_add_err(im->rep, line, col, e);
	im->rep->failed++;
}

static void count(struct imp *im, char outcome, long n)
{
	if (outcome == 'c')
		im->rep->created += n;
	else if (outcome == 'u')
		im->rep->updated += n;
	else
		im->rep->unchanged += n;
}

static int write_person(struct imp *im, struct fk_person *p, char *outcome, struct fk_err *e)
{
	int rc;

	if (!im->tx.open) {
		rc = fk_tx_begin(im->db, &im->tx, e);
		if (rc < 0)
			return rc;
		im->tx_start_ns = fk_mono_ns();
	}
	return pp_person_write(im->db, im->who, p, outcome, e);
}

/* Writes the winner of key: p (line) or, when p is NULL, the latest valid earlier line. */
static int settle(struct imp *im, const char *key, struct fk_person *p, long line)
{
	struct pend_entry *pe = pending_take(im, key);
	long merged = pe ? pe->nvalid : 0;
	struct fk_err e = {0};
	char outcome = 0;
	int rc;

	if (!p && pe) {
		p = &pe->p;
		line = pe->line;
		merged--;
	}
	rc = p ? write_person(im, p, &outcome, &e) : 0;
	if (rc < 0 && is_fatal(rc, &e)) {
		free(pe);
		return fatal(im, rc, &e);
	}
	im->err_col = -1;
	if (rc < 0) {
		row_fail(im, line, &e);
		im->rep->failed += merged;
	} else if (p) {
		count(im, outcome, 1);
		count(im, outcome == '=' ? '=' : 'u', merged);
	}
	free(pe);
	return 0;
}

static bool all_empty(char **f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (f[i] && f[i][0])
			return false;
	return true;
}

static int process_row(struct imp *im, long line, char **f, size_t n)
{
	struct fk_person p;
	struct fk_err e = {0};
	char key[48];
	bool has_key = imp_key(&im->map, f, n, key, sizeof(key)) == 0;
	bool last = !has_key || keymap_get(im->keys, key_hash(key)) == line;
	int rc = imp_row_person(im, f, n, &p, &e);

	if (rc < 0 && is_fatal(rc, &e))
		return fatal(im, rc, &e);
	if (rc < 0) {
		row_fail(im, line, &e);
		return last && has_key ? settle(im, key, NULL, 0) : 0;
	}
	if (!last) {
		pending_put(im, key, &p, line);
		return 0;
	}
	return settle(im, has_key ? key : "", &p, line);
}

static int commit_batch(struct imp *im)
{
	struct fk_err e = {0};
	int rc;

	if (!im->tx.open)
		return 0;
	im->in_tx = 0;
	rc = fk_tx_end(im->db, &im->tx, 0, &e);
	return rc < 0 ? fatal(im, rc, &e) : 0;
}

static bool batch_full(struct imp *im)
{
	++im->in_tx;
	if (im->in_tx >= BATCH_ROWS)
		return true;
	return im->in_tx % CLOCK_EVERY == 0 &&
	       fk_mono_ns() - im->tx_start_ns >= (uint64_t)BATCH_MS * 1000000;
}

/* The row callback of both passes (fk_csv_row_fn). */
static int row_cb(void *ctx, long line, char **f, size_t n)
{
	struct imp *im = ctx;
	struct fk_err e = {0};
	int rc;

	if (!im->header_seen) {
		im->header_seen = true;
		rc = im->pass == 1 ? imp_map_header(&im->map, f, n, &e) : 0;
		return rc < 0 ? fatal(im, rc, &e) : 0;
	}
	if (all_empty(f, n))
		return 0;
	if (im->pass == 1) {
		char key[48];
		im->rep->total++;
		if (imp_key(&im->map, f, n, key, sizeof(key)) == 0)
			keymap_put(im->keys, key_hash(key), line);
		return 0;
	}
	rc = process_row(im, line, f, n);
	if (rc == 0 && batch_full(im))
		rc = commit_batch(im);
	return rc;
}

/* ---- running an import ---- */

typedef int (*feed_fn)(struct imp *im, void *arg, struct fk_err *err);

static int set_default_area(struct imp *im, int64_t id, struct fk_err *err)
{
	const struct pp_area *a;
	int rc;

	if (!id)
		return 0;
	rc = pp_area_get(im->db, im->cache, id, &a, err);
	if (rc == FK_ENOTFOUND || (rc == 0 && im->who && !fk_scope_covers(im->who, a->path)))
		return fk_err_set(err, FK_ENOTFOUND, "area_not_found", "area_id",
				  "导入的目标区域不存在", "the area to import into does not exist");
	if (rc == 0)
		im->dflt = *a;
	return rc;
}

static int flush_pending(struct imp *im)
{
	for (int i = 0; i < PENDING_BUCKETS; i++) {
		while (im->pend->b[i]) {
			char key[48];
			snprintf(key, sizeof(key), "%s", im->pend->b[i]->key);
			if (settle(im, key, NULL, 0))
				return 1;
		}
	}
	return 0;
}

static int passes(struct imp *im, feed_fn feed, void *arg, struct fk_err *err)
{
	int rc;

	im->pass = 1;
	rc = feed(im, arg, err);
	if (rc == 0 && !im->header_seen)
		return fk_err_set(err, FK_EINVAL, "empty_file", NULL, "文件为空，没有表头",
				  "the file is empty: no header line");
	if (rc != 0)
		return rc;
	im->pass = 2;
	im->header_seen = false;
	rc = feed(im, arg, err);
	if (rc == 0)
		rc = flush_pending(im);
	if (rc == 0)
		rc = commit_batch(im);
	return rc;
}

static int run_import(struct fk_db *db, int64_t default_area_id, const struct fk_principal *who,
		      struct fk_import_report *rep, feed_fn feed, void *arg, struct fk_err *err)
{
	struct imp *im = fk_xcalloc(1, sizeof(*im));
	int rc;

	im->db = db;
	im->who = who;
	im->rep = rep;
	im->cache = pp_cache_new(IMPORT_CACHE_SIZE);
	im->keys = fk_xcalloc(1, sizeof(*im->keys));
	im->pend = fk_xcalloc(1, sizeof(*im->pend));
	im->err_col = -1;
	rc = set_default_area(im, default_area_id, err);
	if (rc == 0)
		rc = passes(im, feed, arg, err);
	if (rc > 0 || im->fatal_rc < 0) { /* stopped by a callback */
		if (err)
			*err = im->fatal;
		rc = im->fatal_rc < 0 ? im->fatal_rc : FK_EINTERNAL;
	}
	if (rc < 0)
		fk_tx_end(db, &im->tx, rc, NULL);
	for (int i = 0; i < PENDING_BUCKETS; i++) {
		struct pend_entry *e;
		while ((e = im->pend->b[i])) {
			im->pend->b[i] = e->next;
			free(e);
		}
	}
	imp_areas_release(&im->areas);
	pp_cache_free(im->cache);
	free(im->keys->h);
	free(im->keys->line);
	free(im->keys);
	free(im->pend);
	free(im);
	return rc;
}

/* ---- CSV ---- */

struct csv_src {
	const char *data;
	size_t len;
	enum fk_csv_enc enc;
};

static int feed_csv(struct imp *im, void *arg, struct fk_err *err)
{
	struct csv_src *s = arg;
	enum fk_csv_enc used = s->enc;
	int rc = fk_csv_parse(s->data, s->len, s->enc, row_cb, im, &used, err);

	if (rc == 0 && im->pass == 1) {
		im->rep->enc = used;
		s->enc = used; /* pass 2 need not guess again */
	}
	return rc;
}

int fk_people_import_csv(struct fk_db *db, const char *data, size_t len, enum fk_csv_enc enc,
			 int64_t default_area_id, const struct fk_principal *who,
			 struct fk_import_report *rep, struct fk_err *err)
{
	struct csv_src src = {data, len, enc};

	return run_import(db, default_area_id, who, rep, feed_csv, &src, err);
}

/* ---- JSON rows ---- */

struct json_src {
	json_t *rows;
	json_t *index;	    /* header name -> column number */
	const char **names; /* header names, owned by the rows */
	size_t n;
};

/* The value as the text a CSV cell would hold. */
static void cell_text(json_t *v, struct fk_buf *b)
{
	double d;

	if (json_is_string(v)) {
		fk_buf_puts(b, json_string_value(v));
	} else if (json_is_integer(v)) {
		fk_buf_printf(b, "%lld", (long long)json_integer_value(v));
	} else if (json_is_real(v)) {
		d = json_real_value(v);
		if (d == floor(d) && fabs(d) < 1e15)
			fk_buf_printf(b, "%.0f", d);
		else
			fk_buf_printf(b, "%.15g", d);
	} else if (json_is_boolean(v)) {
		fk_buf_puts(b, json_is_true(v) ? "true" : "false");
	}
}

static int feed_json_row(struct imp *im, struct json_src *s, size_t i, struct fk_buf *b)
{
	json_t *row = json_array_get(s->rows, i);
	size_t off[FK_CSV_MAX_FIELDS];
	char *f[FK_CSV_MAX_FIELDS];

	if (!json_is_object(row)) {
		struct fk_err e;
		if (im->pass == 1)
			im->rep->total++;
		fk_err_set(&e, FK_EINVAL, "row_not_object", NULL, "该行不是对象",
			   "the row is not an object");
		im->err_col = 0;
		if (im->pass == 2)
			row_fail(im, (long)i + 2, &e);
		return 0;
	}
	fk_buf_reset(b);
	for (size_t c = 0; c < s->n; c++) {
		off[c] = b->len;
		cell_text(json_object_get(row, s->names[c]), b);
		fk_buf_putc(b, '\0');
	}
	for (size_t c = 0; c < s->n; c++)
		f[c] = fk_utf8_trim(b->data + off[c]);
	return row_cb(im, (long)i + 2, f, s->n);
}

static int feed_json(struct imp *im, void *arg, struct fk_err *err)
{
	struct json_src *s = arg;
	struct fk_buf b;
	int rc;

	(void)err;
	rc = row_cb(im, 1, (char **)s->names, s->n);
	fk_buf_init(&b, FK_BUF_PAGE_MAX); /* one row at a time */
	for (size_t i = 0; rc == 0 && i < json_array_size(s->rows); i++)
		rc = feed_json_row(im, s, i, &b);
	fk_buf_release(&b);
	return rc;
}

/* The union of the rows' keys, in order of first appearance (a spreadsheet reader leaves
 * empty cells out of a row). */
static int json_header(struct json_src *s, struct fk_err *err)
{
	size_t i;
	json_t *row;
	const char *k;
	json_t *v;

	json_array_foreach(s->rows, i, row)
	{
		if (!json_is_object(row))
			continue;
		json_object_foreach(row, k, v)
		{
			if (json_object_get(s->index, k))
				continue;
			if (s->n >= FK_CSV_MAX_FIELDS)
				return fk_err_set(err, FK_EINVAL, "too_many_columns", "rows",
						  "列过多（最多 %d 列）",
						  "too many columns (at most %d)",
						  FK_CSV_MAX_FIELDS);
			json_object_set_new(s->index, k, json_integer((json_int_t)s->n));
			s->names[s->n++] = k;
		}
	}
	return 0;
}

int fk_people_import_rows(struct fk_db *db, json_t *rows, int64_t default_area_id,
			  const struct fk_principal *who, struct fk_import_report *rep,
			  struct fk_err *err)
{
	struct json_src s = {rows, json_object(), NULL, 0};
	int rc;

	rep->enc = FK_ENC_UTF8;
	s.names = fk_xcalloc(FK_CSV_MAX_FIELDS, sizeof(*s.names));
	if (!json_is_array(rows))
		rc = fk_err_set(err, FK_EINVAL, "rows_not_array", "rows", "rows 应为数组",
				"rows must be an array");
	else
		rc = json_header(&s, err);
	if (rc == 0)
		rc = run_import(db, default_area_id, who, rep, feed_json, &s, err);
	json_decref(s.index);
	free(s.names);
	return rc;
}
