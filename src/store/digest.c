/* digest: per-table row counts and BLAKE2b checksums of a store, read through the store
 * interface (the catalog queries are the backends'; see backend.h). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/buf.h"
#include "base/xmalloc.h"
#include "store/backend.h"
#include "store/digest.h"

#define DIGEST_BYTES 32

struct name {
	char s[FK_DIGEST_NAME_MAX];
	bool dbl; /* a column of doubles (columns_sql's second column) */
};

static void name_row(struct fk_q *q, void *rec)
{
	struct name *n = rec;

	fk_copy_text(n->s, FK_DIGEST_NAME_MAX, fk_q_text(q, 0));
	n->dbl = fk_q_columns(q) > 1 && fk_q_i64(q, 1) != 0;
}

/* The first column of sql's rows (with param bound to ?1 when not NULL). */
static int names(struct fk_db *db, const char *sql, const char *param, struct name **out, int *n,
		 struct fk_err *err)
{
	struct fk_q *q;

	*out = NULL;
	*n = 0;
	if (fk_db_query(db, &q, sql, err) < 0)
		return FK_EDB;
	if (param)
		fk_q_bind_text(q, 1, param);
	return fk_q_collect(q, sizeof(struct name), name_row, (void **)out, n, err);
}

static int put_ident(struct fk_buf *b, const char *s)
{
	return fk_buf_printf(b, "\"%s\"", s);
}

/* SELECT every column of table ORDER BY its key (or every column), NULLs first. */
static int select_sql(struct fk_buf *b, const char *table, const struct name *cols, int ncols,
		      const struct name *key, int nkey)
{
	int rc = fk_buf_puts(b, "SELECT ");

	for (int i = 0; rc == 0 && i < ncols; i++)
		if ((rc = fk_buf_puts(b, i ? ", " : "")) == 0)
			rc = put_ident(b, cols[i].s);
	if (rc == 0 && (rc = fk_buf_puts(b, " FROM ")) == 0)
		rc = put_ident(b, table);
	if (nkey == 0) {
		key = cols;
		nkey = ncols;
	}
	for (int i = 0; rc == 0 && i < nkey; i++)
		if ((rc = fk_buf_puts(b, i ? ", " : " ORDER BY ")) == 0 &&
		    (rc = put_ident(b, key[i].s)) == 0)
			rc = fk_buf_puts(b, " NULLS FIRST");
	return rc;
}

static void hash_value(crypto_generichash_state *st, struct fk_q *q, int col, bool dbl)
{
	unsigned char mark = 0;
	const char *s;
	char num[40];
	uint32_t len;
	unsigned char le[4];

	if (fk_q_isnull(q, col)) {
		crypto_generichash_update(st, &mark, 1);
		return;
	}
	if (dbl) {
		snprintf(num, sizeof(num), "%.17g", fk_q_double(q, col));
		s = num;
	} else {
		s = fk_q_text(q, col);
		s = s ? s : "";
	}
	len = (uint32_t)strlen(s);
	for (int i = 0; i < 4; i++)
		le[i] = (unsigned char)(len >> (8 * i));
	mark = 1;
	crypto_generichash_update(st, &mark, 1);
	crypto_generichash_update(st, le, sizeof(le));
	crypto_generichash_update(st, (const unsigned char *)s, len);
}

static int hash_rows(struct fk_db *db, const char *sql, const struct name *cols, int ncols,
		     crypto_generichash_state *st, int64_t *rows, struct fk_err *err)
{
	struct fk_q *q;
	int rc;

	if (fk_db_query(db, &q, sql, err) < 0)
		return FK_EDB;
	while ((rc = fk_q_step(q, err)) > 0) {
		for (int c = 0; c < ncols; c++)
			hash_value(st, q, c, cols[c].dbl);
		(*rows)++;
	}
	fk_q_done(q);
	return rc;
}

static int digest_table(struct fk_db *db, struct fk_table_digest *t, struct fk_err *err)
{
	struct name *cols = NULL, *key = NULL;
	int ncols = 0, nkey = 0, rc;
	struct fk_buf sql;
	crypto_generichash_state st;
	unsigned char h[DIGEST_BYTES];

	fk_buf_init(&sql, FK_BUF_SQL_MAX);
	rc = names(db, db->be->columns_sql, t->name, &cols, &ncols, err);
	if (rc == 0)
		rc = names(db, db->be->pkey_sql, t->name, &key, &nkey, err);
	if (rc == 0 && select_sql(&sql, t->name, cols, ncols, key, nkey) < 0)
		rc = fk_err_set(err, FK_ETOOBIG, "too_many_columns", NULL, "表 %s 的列过多",
				"table %s has too many columns", t->name);
	if (rc == 0) {
		crypto_generichash_init(&st, NULL, 0, sizeof(h));
		for (int i = 0; i < ncols; i++)
			crypto_generichash_update(&st, (const unsigned char *)cols[i].s,
						  strlen(cols[i].s) + 1);
		t->rows = 0;
		rc = hash_rows(db, sql.data, cols, ncols, &st, &t->rows, err);
	}
	if (rc == 0) {
		crypto_generichash_final(&st, h, sizeof(h));
		sodium_bin2hex(t->blake2b, sizeof(t->blake2b), h, sizeof(h));
	}
	free(cols);
	free(key);
	fk_buf_release(&sql);
	return rc;
}

int fk_store_tables(struct fk_db *db, struct fk_table_digest **out, int *n, struct fk_err *err)
{
	struct name *list = NULL;
	int rc = names(db, db->be->tables_sql, NULL, &list, n, err);

	*out = NULL;
	if (rc < 0)
		return rc;
	*out = fk_xcalloc(*n ? (size_t)*n : 1, sizeof(**out));
	for (int i = 0; i < *n; i++)
		fk_copy_text((*out)[i].name, sizeof((*out)[i].name), list[i].s);
	free(list);
	return 0;
}

int fk_store_count_rows(struct fk_db *db, struct fk_table_digest *t, int n, struct fk_err *err)
{
	struct fk_buf sql;
	int rc = 0;

	fk_buf_init(&sql, FK_BUF_SQL_MAX);
	for (int i = 0; rc == 0 && i < n; i++) {
		fk_buf_reset(&sql);
		if (fk_buf_puts(&sql, "SELECT COUNT(*) FROM ") < 0 ||
		    put_ident(&sql, t[i].name) < 0)
			rc = FK_ETOOBIG;
		else if (fk_db_one_i64(db, err, &t[i].rows, sql.data, "") < 0)
			rc = FK_EDB;
	}
	fk_buf_release(&sql);
	return rc;
}

int fk_store_digest(struct fk_db *db, struct fk_table_digest **out, int *n, struct fk_err *err)
{
	bool own = !fk_db_in_tx(db);
	int rc;

	*out = NULL;
	*n = 0;
	if (own && fk_db_begin(db, false, err) < 0)
		return FK_EDB;
	rc = fk_store_tables(db, out, n, err);
	for (int i = 0; rc == 0 && i < *n; i++)
		rc = digest_table(db, &(*out)[i], err);
	if (own)
		fk_db_rollback(db);
	if (rc < 0) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return rc;
}
