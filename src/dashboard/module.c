/* module: the dashboard module's descriptor — its routes, the snapshot job and its policy,
 * and the area path of its snapshots. Every figure it shows is read through another
 * module's public header (see figures.c); its own SQL reads only its snapshots and, in the
 * job, the list of areas down to community level. */
#include "dashboard/internal.h"
#include "platform/jobs.h"

extern const struct fk_migration fk_migrations_dashboard[]; /* from schema/ */

#define DB_READ (FK_R(ADMIN) | FK_R(COMMANDER) | FK_R(COMMUNITY) | FK_R(GRID))

static const struct fk_route db_routes[] = {
    {.method = "GET",
     .path = "/api/v1/dashboard",
     .fn = db_api_dashboard,
     .roles = DB_READ,
     .flags = FK_RF_REPLICA,
     .summary = "The dashboard of an area in scope (?area_id, default the caller's scope root; "
		"?round_id, default the open round): panels and the children one level down "
		"with their headline figures"},
    {.method = "GET",
     .path = "/api/v1/dashboard/curve",
     .fn = db_api_curve,
     .roles = DB_READ,
     .flags = FK_RF_REPLICA,
     .summary = "A round's progress over time in an area (?round_id&area_id): the job's "
		"snapshots, then the live figure"},
    {.method = "GET",
     .path = "/api/v1/dashboard/shapes",
     .fn = db_api_shapes,
     .roles = DB_READ,
     .flags = FK_RF_REPLICA,
     .summary = "The shapes of an area's children as a GeoJSON FeatureCollection (?area_id)"},
    {.method = "PUT",
     .path = "/api/v1/areas/{id}/geometry",
     .fn = db_api_geometry,
     .roles = FK_R(ADMIN),
     .body = db_body_geometry,
     .max_body = 4u << 20,
     .summary = "Set an area's shape (a GeoJSON Polygon or MultiPolygon; null clears it)"},
    FK_ROUTES_END,
};

static const struct fk_job db_jobs[] = {
    {.name = "dashboard.snapshot", .every_ms = 60 * 1000, .run = db_snapshot_job},
    FK_JOBS_END,
};

const struct fk_module fk_module_dashboard = {
    .name = "dashboard",
    .routes = db_routes,
    .migrations = fk_migrations_dashboard,
    .area_paths =
	(const struct fk_area_path[]){
	    {.table = "dashboard_snapshots", .column = "area_path"},
	    {0},
	},
    .policies = db_policies,
    .jobs = db_jobs,
};
