/* module: the supplies module's descriptor — its policy (days of stock under which it is
 * low), its routes, the area paths of its places, moves and lots, and its listener of the
 * tubes module's tubes.opened (listen.c).
 *
 * It reads the area module's areas in its own SQL (names beside places); everything else goes
 * through headers: an area in scope (area.h), alerts (events.h), the signal (tubes.h). */
#include "supplies/internal.h"

extern const struct fk_migration fk_migrations_supplies[]; /* from schema/ */

const struct fk_policy_def sp_policies[] = {
    [SP_POL_LOW_DAYS] = {.key = "supplies.low_days",
			 .type = FK_POLICY_INT,
			 .def = "3",
			 .min = 1,
			 .max = 90,
			 .label_zh = "库存告急天数",
			 .label_en = "Stock low under (days left)",
			 .help_zh =
			     "按近 7 天用量，库存可用天数少于此数即为告急，提醒库存点所在区域",
			 .help_en = "Stock that lasts fewer days than this at the last 7 days' use "
				    "is low and alerts the place's area"},
    FK_POLICIES_END,
};

#define SP_CATALOG (FK_R(ADMIN) | FK_R(COMMANDER))
#define SP_MOVE	   (SP_CATALOG | FK_R(COMMUNITY))
#define SP_READ	   (SP_MOVE | FK_R(GRID))

static const struct fk_route sp_routes[] = {
    {.method = "POST",
     .path = "/api/v1/stock/places",
     .fn = sp_api_place_create,
     .roles = SP_CATALOG,
     .body = sp_body_place,
     .summary = "Set up a stock place: a warehouse, or the stock of a site, checkpoint or "
		"facility (ref_id), in an area in scope"},
    {.method = "GET",
     .path = "/api/v1/stock/places",
     .fn = sp_api_places,
     .roles = SP_READ,
     .summary = "The stock places in the caller's scope (?area_id)"},
    {.method = "POST",
     .path = "/api/v1/stock/items",
     .fn = sp_api_item_create,
     .roles = SP_CATALOG,
     .body = sp_body_item,
     .summary = "Add an item: name, unit, category and the low threshold (low_at)"},
    {.method = "GET",
     .path = "/api/v1/stock/items",
     .fn = sp_api_items,
     .roles = SP_READ,
     .summary = "Every item, by name"},
    {.method = "POST",
     .path = "/api/v1/stock/moves",
     .fn = sp_api_move,
     .roles = SP_MOVE,
     .body = sp_body_move,
     .summary = "Record a move (receive, issue, transfer, adjust) at a place in scope; an "
		"issue takes the earliest expiry first; idempotent by client_key"},
    {.method = "GET",
     .path = "/api/v1/stock/moves",
     .fn = sp_api_moves,
     .roles = SP_READ,
     .summary = "The ledger in the caller's scope, newest first (?place_id&item_id&cursor&"
		"limit)"},
    {.method = "GET",
     .path = "/api/v1/stock/balances",
     .fn = sp_api_balances,
     .roles = SP_READ,
     .summary = "Balances per place and item with their lots, last 7 days' use, days left and "
		"low (?place_id&item_id&area_id)"},
    {.method = "GET",
     .path = "/api/v1/stock/alerts",
     .fn = sp_api_alerts,
     .roles = SP_READ,
     .summary = "The balances that are low, by threshold or by days left "
		"(?place_id&item_id&area_id)"},
    FK_ROUTES_END,
};

const struct fk_module fk_module_supplies = {
    .name = "supplies",
    .routes = sp_routes,
    .migrations = fk_migrations_supplies,
    .area_paths =
	(const struct fk_area_path[]){
	    {.table = "stock_places", .column = "area_path", .blocks_delete = "stock places"},
	    {.table = "stock_moves", .column = "area_path"},
	    {.table = "stock_lots", .column = "area_path"},
	    {0},
	},
    .policies = sp_policies,
    .listeners = sp_listeners,
};
