/* module: the tubes module's descriptor and its route table — tubes and scans, desk visitors,
 * sampling codes and QR images, transport boxes, lab results and plates, positive pools and
 * their retests. It stands on the testing module: a tube belongs to a round and a site.
 *
 * Its tables (tubes, samples, boxes, retests, secrets) were created by the testing module's
 * migrations 002_tubes.sql and 003_keys_to_platform.sql (which moved its scan keys into the
 * platform's client_keys), recorded in every store as ("testing", 2) and ("testing", 3); they
 * stay there, as a migration never moves once it has landed, and this module has none of its
 * own yet.
 *
 * It writes testing's tables only through testing.h (fk_round_stats_add). It reads them in
 * its own SQL where a call through testing.h would cost a hot path one more store round trip,
 * or a list its filter:
 * - rounds.status, sites (area_path, name) and site_registrars in the tube read (tube.c,
 *   TUBE_SQL), which every scan, tube open and lab result runs, for speed;
 * - rounds.status in the scan's claim of a place (tube.c, claim_place), so that a round
 *   closing between the check and the write refuses the scan inside one UPDATE;
 * - sites.area_path and site_registrars in the box list (transport.c), which filters the
 *   caller's scope and a registrar's sites in SQL.
 * Everything else (a round, a site for a desk) it reads through testing.h.
 *
 * It declares the area paths of samples and retests (the area module keeps them right on a
 * move) and its three signals, a positive pool, a positive retest and a tube opened
 * (tubes.h); init keeps the sampling-code key, fini lets it go. */
#include "platform/module.h"
#include "tubes/internal.h"

const struct fk_route tb_routes[] = {
    {.method = "POST",
     .path = "/api/v1/rounds/{id}/tubes",
     .fn = tb_api_tube_open,
     .roles = TB_ROLES_DESK,
     .body = tb_body_tube_open,
     .summary = "Open a tube by its barcode at a site (registrars: their sites only); idempotent "
		"by client_key"},
    {.method = "GET",
     .path = "/api/v1/tubes/{code}",
     .fn = tb_api_tube_get,
     .roles = TB_ROLES_DESK | FK_R(LAB),
     .summary = "A tube: status, chain-of-custody times, result; its people (not for the lab)"},
    {.method = "POST",
     .path = "/api/v1/tubes/{code}/scans",
     .fn = tb_api_scan,
     .roles = TB_ROLES_DESK,
     .body = tb_body_scan,
     .summary =
	 "Scan a person (sampling code or ID number) into an open tube; idempotent by client_key"},
    {.method = "DELETE",
     .path = "/api/v1/tubes/{code}/scans/{person_id}",
     .fn = tb_api_scan_undo,
     .roles = TB_ROLES_DESK,
     .summary = "Undo a wrong scan while the tube is not yet boxed"},
    {.method = "POST",
     .path = "/api/v1/tubes/{code}/close",
     .fn = tb_api_tube_close,
     .roles = TB_ROLES_DESK,
     .summary = "Close a tube by hand"},
    {.method = "POST",
     .path = "/api/v1/tubes/{code}/void",
     .fn = tb_api_tube_void,
     .roles = TB_ROLES_DESK,
     .summary = "Void an open or closed tube; its people may be sampled again"},
    {.method = "POST",
     .path = "/api/v1/tubes/{code}/visitors",
     .fn = tb_api_visitor,
     .roles = TB_ROLES_DESK,
     .body = tb_body_visitor,
     .summary = "Register a visitor at the desk (ID checked) and scan them into the tube"},
    {.method = "GET",
     .path = "/api/v1/tubes/{code}/label.svg",
     .fn = tb_api_tube_label,
     .roles = TB_ROLES_DESK,
     .summary = "Printable tube label: QR code of the barcode and its text (SVG)"},
    {.method = "GET",
     .path = "/api/v1/people/{id}/sampling-code",
     .fn = tb_api_person_code,
     .roles = TB_ROLES_PEOPLE_QR,
     .summary = "A resident's personal sampling code as text (what the QR code holds)"},
    {.method = "GET",
     .path = "/api/v1/people/{id}/qr.svg",
     .fn = tb_api_person_qr_svg,
     .roles = TB_ROLES_PEOPLE_QR,
     .summary = "A resident's personal sampling code as SVG"},
    {.method = "GET",
     .path = "/api/v1/people/{id}/qr.png",
     .fn = tb_api_person_qr_png,
     .roles = TB_ROLES_PEOPLE_QR,
     .summary = "A resident's personal sampling code as PNG (?scale=1..32)"},
    {.method = "GET",
     .path = "/api/v1/people/{id}/results",
     .fn = tb_api_person_results,
     .roles = TB_ROLES_PEOPLE_QR,
     .summary = "A person's test results by round, newest first (the resident: its own; staff: "
		"a person in scope, audited)"},
    {.method = "GET",
     .path = "/api/v1/areas/{id}/qr-sheet",
     .fn = tb_api_qr_sheet,
     .roles = FK_ROLES_PEOPLE,
     .summary = "Printable HTML sheet of the sampling codes of everyone in a building (audited)"},
    {.method = "GET",
     .path = "/api/v1/boxes",
     .fn = tb_api_box_list,
     .roles = TB_ROLES_BOX,
     .summary = "Transport boxes: round_id, status, limit"},
    {.method = "POST",
     .path = "/api/v1/boxes",
     .fn = tb_api_box_create,
     .roles = TB_ROLES_DESK,
     .body = tb_body_box,
     .summary = "Open a transport box at a site for a round"},
    {.method = "GET",
     .path = "/api/v1/boxes/{code}",
     .fn = tb_api_box_get,
     .roles = TB_ROLES_BOX,
     .summary = "A box with its chain of custody and tube codes"},
    {.method = "POST",
     .path = "/api/v1/boxes/{code}/tubes",
     .fn = tb_api_box_add,
     .roles = TB_ROLES_DESK,
     .body = tb_body_box_tube,
     .summary = "Put a closed tube into an open box"},
    {.method = "POST",
     .path = "/api/v1/boxes/{code}/seal",
     .fn = tb_api_box_seal,
     .roles = TB_ROLES_DESK,
     .summary = "Seal a box"},
    {.method = "POST",
     .path = "/api/v1/boxes/{code}/handover",
     .fn = tb_api_box_handover,
     .roles = TB_ROLES_DESK,
     .body = tb_body_handover,
     .summary = "Hand a sealed box over to a courier"},
    {.method = "POST",
     .path = "/api/v1/boxes/{code}/receive",
     .fn = tb_api_box_receive,
     .roles = FK_R(LAB) | FK_R(ADMIN),
     .summary = "Lab receipt of a handed-over box; its tubes become received"},
    {.method = "POST",
     .path = "/api/v1/tubes/{code}/result",
     .fn = tb_api_result,
     .roles = TB_ROLES_LAB,
     .body = tb_body_result,
     .summary =
	 "Record a received tube's result (negative, positive, invalid); idempotent by client_key"},
    {.method = "POST",
     .path = "/api/v1/rounds/{id}/plate",
     .fn = tb_api_plate,
     .roles = TB_ROLES_LAB,
     .flags = FK_RF_RAW_BODY,
     .max_body = 8u << 20,
     .summary = "Apply a plate file (CSV tube_code,result): bad rows reported, good rows applied"},
    {.method = "GET",
     .path = "/api/v1/rounds/{id}/retests",
     .fn = tb_api_retests,
     .roles = TB_ROLES_RETEST,
     .summary = "Single-tube retests of people in positive pools, in scope (area_id, limit)"},
    {.method = "POST",
     .path = "/api/v1/retests/{id}/result",
     .fn = tb_api_retest_result,
     .roles = TB_ROLES_RETEST_WRITE,
     .body = tb_body_retest_result,
     .summary = "Mark a retest sampled, or settle it negative or positive"},
    FK_ROUTES_END,
};

/* The module's state: the sampling-code key, kept once read. */
static int tubes_init(struct fk_app *app, void **state, struct fk_err *err)
{
	(void)app, (void)err;
	*state = tb_code_key_new();
	return 0;
}

static void tubes_fini(struct fk_app *app, void *state)
{
	(void)app;
	tb_code_key_free(state);
}

/* Where the module keeps area paths (the people's buildings): they follow moves. */
static const struct fk_area_path tb_area_paths[] = {
    {.table = "samples", .column = "area_path"},
    {.table = "retests", .column = "area_path"},
    {0},
};

const struct fk_module fk_module_tubes = {
    .name = "tubes",
    .routes = tb_routes,
    .area_paths = tb_area_paths,
    .signals = (const char *const[]){FK_SIGNAL_POSITIVE_POOL, FK_SIGNAL_POSITIVE_RETEST,
				     FK_SIGNAL_TUBE_OPENED, NULL},
    .init = tubes_init,
    .fini = tubes_fini,
};
