/* tx: join-or-begin. A write helper that may be called alone or from inside a bigger
 * transaction (a bulk loader, an audited request) opens its own transaction only when none is
 * open, and ends only what it opened; see fk_tx_begin in db.h. */
#include "store/db.h"

int fk_tx_begin(struct fk_db *db, struct fk_tx *tx, struct fk_err *err)
{
	int rc;

	tx->open = false;
	tx->own = !fk_db_in_tx(db);
	if (tx->own) {
		rc = fk_db_begin(db, true, err);
		if (rc < 0) {
			tx->own = false;
			return rc;
		}
	}
	tx->open = true;
	return 0;
}

int fk_tx_end(struct fk_db *db, struct fk_tx *tx, int rc, struct fk_err *err)
{
	bool own = tx->open && tx->own;
	int crc;

	tx->open = tx->own = false;
	if (!own)
		return rc;
	if (rc < 0) {
		fk_db_rollback(db);
		return rc;
	}
	/* The work may have ended the transaction itself (rolled back a conflict). */
	if (!fk_db_in_tx(db))
		return rc;
	/* A failed commit has rolled back already (fk_db_commit). */
	crc = fk_db_commit(db, err);
	return crc < 0 ? crc : rc;
}
