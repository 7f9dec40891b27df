/* digest: a fingerprint of a store's data, the same on SQLite and PostgreSQL for the same rows:
 * for each of the store's tables, its row count and a BLAKE2b-256 checksum over its rows read
 * in primary-key order (every column when a table has no primary key). Backups write it into
 * their manifest and restores compare against it.
 *
 * What a table contributes: its column names, then per row per column a NULL mark or the
 * value's text, with its length. A column of doubles (DOUBLE PRECISION, REAL) is written as
 * %.17g of the value, so the two stores' spellings of one double agree; everything else is
 * the text the store returns. */
#ifndef FK_STORE_DIGEST_H
#define FK_STORE_DIGEST_H
#include <stdint.h>
#include "store/db.h"

#define FK_DIGEST_NAME_MAX 64
#define FK_DIGEST_HEX	   65 /* 32 bytes as hex, NUL */

struct fk_table_digest {
	char name[FK_DIGEST_NAME_MAX];
	int64_t rows;
	char blake2b[FK_DIGEST_HEX];
};

/* Reads every table of db in one read transaction (or in the caller's, when one is open on
 * db). *out (malloc'd, the caller frees) gets one entry per table in name order, *n their
 * number. 0 or <0 with err filled. */
int fk_store_digest(struct fk_db *db, struct fk_table_digest **out, int *n, struct fk_err *err);

/* The store's tables in name order, as fk_store_digest lists them, with no rows read: *out
 * (malloc'd) and *n. */
int fk_store_tables(struct fk_db *db, struct fk_table_digest **out, int *n, struct fk_err *err);

/* Counts the rows of each entry of t (rows filled, blake2b left alone). */
int fk_store_count_rows(struct fk_db *db, struct fk_table_digest *t, int n, struct fk_err *err);

#endif
