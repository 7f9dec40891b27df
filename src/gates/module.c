/* module: the gates module's descriptor, its route table and its policy (the fever
 * threshold). It declares the area paths of checkpoints, passes and referrals (the area module
 * keeps them right on a move and refuses deleting an area a checkpoint still guards).
 *
 * It reads other modules' tables in its own SQL only on a pass's hot path or for display:
 * - people (id, name, id_number, phone, area_path) by id or ID number when a pass names a
 *   resident (pass.c), one row by its key;
 * - users (id, username, display_name) beside checkpoint_staff, for a pass naming a staff
 *   member (staff.c), to list a checkpoint's staff (checkpoint.c), and the username of
 *   each step of a fever referral (referral.c).
 * Everything else it reads through headers: areas and scopes (area.h), accounts (users.h),
 * sampling codes (tubes.h), zones (platform/zone_rule.h). */
#include "platform/module.h"
#include "gates/internal.h"

extern const struct fk_migration fk_migrations_gates[]; /* from schema/ */

const struct fk_policy_def gt_policies[] = {
    [GT_POL_FEVER] = {.key = "gates.fever_celsius",
		      .type = FK_POLICY_NUMBER,
		      .def = "37.3",
		      .min = 36.0,
		      .max = 40.0,
		      .label_zh = "发热体温（℃）",
		      .label_en = "Fever threshold (°C)",
		      .help_zh = "卡口测温达到此温度即为发热，开立发热转诊并跟踪至关闭",
		      .help_en = "A temperature at or above it at a gate is a fever and opens a "
				 "fever referral, followed until it is closed"},
    FK_POLICIES_END,
};

static const struct fk_route gt_routes[] = {
    {.method = "GET",
     .path = "/api/v1/checkpoints",
     .fn = gt_api_checkpoint_list,
     .roles = GT_ROLES_DUTY,
     .summary = "Checkpoints in the caller's scope (a volunteer: those it is on duty at)"},
    {.method = "POST",
     .path = "/api/v1/checkpoints",
     .fn = gt_api_checkpoint_create,
     .roles = GT_ROLES_MANAGE,
     .body = gt_body_checkpoint_create,
     .summary = "Create a checkpoint (gate or road) over an area of the caller's scope"},
    {.method = "GET",
     .path = "/api/v1/checkpoints/{id}",
     .fn = gt_api_checkpoint_get,
     .roles = GT_ROLES_DUTY,
     .summary = "One checkpoint with its duty staff"},
    {.method = "PATCH",
     .path = "/api/v1/checkpoints/{id}",
     .fn = gt_api_checkpoint_update,
     .roles = GT_ROLES_MANAGE,
     .body = gt_body_checkpoint_update,
     .summary = "Change a checkpoint"},
    {.method = "PUT",
     .path = "/api/v1/checkpoints/{id}/staff",
     .fn = gt_api_staff,
     .roles = GT_ROLES_MANAGE,
     .body = gt_body_staff,
     .summary = "Set the duty staff (volunteer accounts) of a checkpoint, by usernames or ids"},
    {.method = "POST",
     .path = "/api/v1/checkpoints/{id}/passes",
     .fn = gt_api_pass,
     .roles = GT_ROLES_DUTY,
     .body = gt_body_pass,
     .summary = "Log a pass; the server decides the verdict under the zones in force; "
		"idempotent by client_key"},
    {.method = "GET",
     .path = "/api/v1/checkpoints/{id}/passes",
     .fn = gt_api_pass_day,
     .roles = GT_ROLES_DUTY,
     .summary = "A checkpoint's passes of a day (?date=YYYY-MM-DD, today) with counts in and "
		"out"},
    {.method = "GET",
     .path = "/api/v1/fever-referrals",
     .fn = gt_api_referral_list,
     .roles = GT_ROLES_MANAGE,
     .summary = "Fever referrals in the caller's scope, newest first (status, limit)"},
    {.method = "GET",
     .path = "/api/v1/fever-referrals/{id}",
     .fn = gt_api_referral_get,
     .roles = GT_ROLES_MANAGE,
     .summary = "One fever referral with its steps"},
    {.method = "POST",
     .path = "/api/v1/fever-referrals/{id}/send",
     .fn = gt_api_referral_send,
     .roles = GT_ROLES_MANAGE,
     .body = gt_body_send,
     .summary = "An open referral is sent to a clinic"},
    {.method = "POST",
     .path = "/api/v1/fever-referrals/{id}/result",
     .fn = gt_api_referral_result,
     .roles = GT_ROLES_MANAGE,
     .body = gt_body_result,
     .summary = "The clinic's result of a sent referral"},
    {.method = "POST",
     .path = "/api/v1/fever-referrals/{id}/close",
     .fn = gt_api_referral_close,
     .roles = GT_ROLES_MANAGE,
     .body = gt_body_close,
     .summary = "Close a resulted referral with a note (a second close: 409)"},
    FK_ROUTES_END,
};

static const struct fk_area_path gt_area_paths[] = {
    {.table = "checkpoints", .column = "area_path", .blocks_delete = "checkpoints"},
    {.table = "passes", .column = "area_path"},
    {.table = "fever_referrals", .column = "area_path"},
    {0},
};

const struct fk_module fk_module_gates = {
    .name = "gates",
    .routes = gt_routes,
    .migrations = fk_migrations_gates,
    .area_paths = gt_area_paths,
    .policies = gt_policies,
    /* the pass log (names, ID numbers, phones, temperatures as shown at the gate) and the
     * closed fever referrals, past retention (platform/retention.c); open referrals stay */
    .purges =
	(const struct fk_purge[]){
	    {.table = "passes", .time_column = "at"},
	    {.table = "fever_referrals", .time_column = "opened_at", .where = "status = 'closed'"},
	    {0},
	},
};
