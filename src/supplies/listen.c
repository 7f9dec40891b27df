/* listen: the supplies module's reaction to the tubes module's signal tubes.opened — a tube
 * opened at a sampling site is issued from the site's stock place (one of its tube items,
 * earliest expiry first), in the open's own transaction. The tube is never refused: a site
 * with no stock place, no tube item or no tube left opens it all the same (the board shows
 * the stock low). */
#include <stdio.h>
#include <string.h>
#include "base/clock.h"
#include "base/id.h"
#include "tubes/tubes.h"
#include "supplies/internal.h"

/* The tube item the place holds most of: 1 found, 0 none. */
static int tube_item(struct fk_db *db, int64_t place_id, int64_t *item_id, struct fk_err *err)
{
	return fk_db_one_i64(db, err, item_id,
			     "SELECT l.item_id FROM stock_lots l JOIN stock_items i ON i.id = "
			     "l.item_id WHERE l.place_id = ? AND i.category = 'tube' AND l.qty > 0 "
			     "GROUP BY l.item_id ORDER BY SUM(l.qty) DESC, l.item_id LIMIT 1",
			     "i", place_id);
}

static int on_tube_opened(struct fk_app *app, struct fk_db *db, const json_t *payload,
			  struct fk_err *err)
{
	const char *site = json_string_value(json_object_get(payload, "site_id"));
	const char *tube = json_string_value(json_object_get(payload, "tube_id"));
	struct sp_place p;
	int64_t site_id = 0, item_id = 0;
	char ref[40];
	int rc;

	(void)app;
	if (!site || !fk_id_parse(site, &site_id))
		return 0;
	rc = sp_place_of(db, "site", site_id, &p, err);
	if (rc > 0)
		rc = tube_item(db, p.id, &item_id, err);
	if (rc <= 0)
		return rc;
	snprintf(ref, sizeof(ref), "tube:%s", tube ? tube : "");
	struct sp_move_req m = {
	    .kind = "issue", .place_id = p.id, .item_id = item_id, .qty = 1, .ref = ref};

	rc = sp_move_run(db, NULL, &m, fk_now_ms(), NULL, err);
	if (rc == FK_ECONFLICT && strcmp(err->key, "not_enough_stock") == 0)
		rc = 0; /* less than one tube left: the tube opens all the same */
	if (rc == 0)
		fk_err_clear(err);
	return rc;
}

const struct fk_listener sp_listeners[] = {
    {.signal = FK_SIGNAL_TUBE_OPENED, .fn = on_tube_opened},
    {0},
};
