/* supplies: stock (SPEC §9) — warehouses and the places that keep stock (sampling sites,
 * checkpoints, facilities), items with units, lots and expiry dates, and one ledger of moves:
 * receive (donation, purchase, transfer in), issue, transfer, adjustment with its reason. A
 * balance is the sum of its moves, never edited; issue takes the earliest expiry first; low
 * stock by the policy's threshold and by days left at the last 7 days' use. A tube opened at a
 * sampling site draws from the site's stock (it listens to tubes' signal).
 *
 * Modules above it (donations, deliveries) record stock moves through the call below. */
#ifndef FK_SUPPLIES_H
#define FK_SUPPLIES_H
#include <stdint.h>
#include "base/err.h"
#include "platform/module.h"
#include "store/db.h"
#include "users/principal.h"

extern const struct fk_module fk_module_supplies;

/* A receipt into a stock place: qty (> 0) of item_id, lot and expiry day "YYYY-MM-DD" (may be
 * NULL), from source (donation, purchase, transfer_in) with ref (e.g. "donation:123", may be
 * NULL). */
struct fk_stock_receipt {
	int64_t place_id, item_id;
	double qty;
	const char *lot, *expiry, *source, *ref;
};

/* Records r for who (the place in who's scope: FK_ENOTFOUND "place_not_found" naming place_id
 * otherwise) in the caller's transaction; *move_id (may be NULL) gets the move's id.
 * FK_EINVAL naming the field for a bad item, quantity, expiry or source; else 0 or a store
 * error. */
int fk_stock_receive(struct fk_db *db, const struct fk_principal *who,
		     const struct fk_stock_receipt *r, int64_t *move_id, struct fk_err *err);

#endif
