/* module: the zones module's descriptor — its routes, policies (the scheme in force, how a
 * sealed zone is sampled, the lift rule's days, the first screening's deadlines), the job that
 * proposes lifts, the listener of positive pools, and init, which installs the zone rule hook
 * (app->zone_of, app->zone_door_paths) over the cache of active zones.
 *
 * Its SQL reads the area module's areas (a zone's area name, code and kind; a proposal's area
 * name and code; the area of each person of a zone) and the people module's people (the people of a
 * zone, paged), joined where a call through their headers would cost one store read per row. */
#include "platform/jobs.h"
#include "tubes/tubes.h"
#include "zones/internal.h"

#define ROLES_ZONE_WRITE (FK_R(ADMIN) | FK_R(COMMANDER))
#define ROLES_ZONE_READ	 FK_ROLES_PEOPLE

static const int64_t scheme_choices[] = {ZN_SCHEME_2204, ZN_SCHEME_2206, ZN_SCHEME_2211, 0};
static const int64_t sampling_choices[] = {1, 2, 0};

const struct fk_policy_def zn_policies[] = {
    [ZN_POL_SCHEME] = {.key = "zones.scheme",
		       .type = FK_POLICY_INT,
		       .def = "202206",
		       .min = 202204,
		       .max = 202211,
		       .choices = scheme_choices,
		       .label_zh = "区域划分方案",
		       .label_en = "Zone scheme",
		       .help_zh =
			   "202204：封控区/管控区/防范区；202206（第九版）：高/中/低风险区；"
			   "202211：高/低风险区。已划区域保留原类型，新划区域须用现行方案的类型",
		       .help_en = "202204: sealed/controlled/precaution; 202206 (9th edition): "
				  "high/medium/low; 202211: high/low. Existing zones keep their "
				  "kind; new ones use the scheme in force"},
    [ZN_POL_SEALED_SAMPLING] = {.key = "zones.sealed_sampling",
				.type = FK_POLICY_INT,
				.def = "1",
				.min = 1,
				.max = 2,
				.choices = sampling_choices,
				.label_zh = "封控区采样方式",
				.label_en = "Sealed zone sampling",
				.help_zh = "1：单采单检（一人一管）；2：一户一管",
				.help_en = "1: one person per tube; 2: one tube per household"},
    [ZN_POL_LEVEL3_DAYS] = {.key = "zones.level3_days",
			    .type = FK_POLICY_DURATION,
			    .def = "7",
			    .min = 1,
			    .max = 60,
			    .unit = FK_POLICY_DAYS,
			    .label_zh = "封控/高风险区降级天数",
			    .label_en = "Days before a sealed or high zone steps down",
			    .help_zh = "连续无新增阳性且最后一天全员阴性满此天数，提议降为下一级",
			    .help_en = "Days with no new positive and an all-negative round on the "
				       "last day before the next lower kind is proposed"},
    [ZN_POL_LEVEL2_DAYS] = {.key = "zones.level2_days",
			    .type = FK_POLICY_DURATION,
			    .def = "7",
			    .min = 1,
			    .max = 60,
			    .unit = FK_POLICY_DAYS,
			    .label_zh = "管控/中风险区降级天数",
			    .label_en = "Days before a controlled or medium zone steps down",
			    .help_zh = "满此天数提议降为防范区/低风险区",
			    .help_en = "Days before precaution/low is proposed"},
    [ZN_POL_HIGH_2211_DAYS] = {.key = "zones.high_2211_days",
			       .type = FK_POLICY_DURATION,
			       .def = "5",
			       .min = 1,
			       .max = 60,
			       .unit = FK_POLICY_DAYS,
			       .label_zh = "高风险区解封天数（202211 方案）",
			       .label_en = "Days before a high zone lifts (202211 scheme)",
			       .help_zh = "202211 方案下高风险区满此天数提议解除",
			       .help_en = "Under the 202211 scheme a high zone is proposed lifted "
					  "after these days"},
    [ZN_POL_FIRST3_HOURS] = {.key = "zones.first_screening_sealed",
			     .type = FK_POLICY_DURATION,
			     .def = "24",
			     .min = 1,
			     .max = 168,
			     .unit = FK_POLICY_HOURS,
			     .label_zh = "封控/高风险区首轮筛查时限",
			     .label_en = "First screening of a sealed or high zone",
			     .help_zh = "自划定起多少小时内完成首轮筛查",
			     .help_en =
				 "Hours from the zone's start to finish its first screening"},
    [ZN_POL_FIRST2_HOURS] = {.key = "zones.first_screening_controlled",
			     .type = FK_POLICY_DURATION,
			     .def = "48",
			     .min = 1,
			     .max = 168,
			     .unit = FK_POLICY_HOURS,
			     .label_zh = "管控/中风险区首轮筛查时限",
			     .label_en = "First screening of a controlled or medium zone",
			     .help_zh = "自划定起多少小时内完成首轮筛查",
			     .help_en =
				 "Hours from the zone's start to finish its first screening"},
    FK_POLICIES_END,
};

void zn_days_from(const struct fk_policy_snap *s, struct zn_days *out)
{
	out->level3 = fk_policy_snap_i64(s, &zn_policies[ZN_POL_LEVEL3_DAYS]);
	out->level2 = fk_policy_snap_i64(s, &zn_policies[ZN_POL_LEVEL2_DAYS]);
	out->high_2211 = fk_policy_snap_i64(s, &zn_policies[ZN_POL_HIGH_2211_DAYS]);
	out->first3_ms = fk_policy_snap_ms(s, &zn_policies[ZN_POL_FIRST3_HOURS]);
	out->first2_ms = fk_policy_snap_ms(s, &zn_policies[ZN_POL_FIRST2_HOURS]);
}

static const struct fk_route zn_routes[] = {
    {.method = "POST",
     .path = "/api/v1/zones",
     .fn = zn_api_create,
     .roles = ROLES_ZONE_WRITE,
     .body = zn_body_draw,
     .summary = "Draw a zone over an area of the caller's scope (kind of the scheme in force)"},
    {.method = "GET",
     .path = "/api/v1/zones",
     .fn = zn_api_list,
     .roles = ROLES_ZONE_READ,
     .summary = "Zones in the caller's scope with days remaining and people count (kind, "
		"status, area_id, limit)"},
    {.method = "GET",
     .path = "/api/v1/zones/kinds",
     .fn = zn_api_kinds,
     .roles = ROLES_ZONE_READ,
     .summary = "The zone scheme in force and its kinds, strictest first"},
    {.method = "GET",
     .path = "/api/v1/zones/{id}",
     .fn = zn_api_get,
     .roles = ROLES_ZONE_READ,
     .summary = "A zone with its rule, history, pending proposals and days remaining"},
    {.method = "GET",
     .path = "/api/v1/zones/{id}/people",
     .fn = zn_api_people,
     .roles = ROLES_ZONE_READ,
     .summary = "Who is in a zone, in the caller's scope (cursor, limit; IDs masked; audited)"},
    {.method = "POST",
     .path = "/api/v1/zones/{id}/lift",
     .fn = zn_api_lift,
     .roles = ROLES_ZONE_WRITE,
     .body = zn_body_lift,
     .summary = "Lift a zone by hand, with a reason"},
    {.method = "GET",
     .path = "/api/v1/zones/of-person/{person_id}",
     .fn = zn_api_of_person,
     .roles = ROLES_ZONE_READ,
     .summary = "The strictest zone in force over a person's home, or null (audited)"},
    {.method = "GET",
     .path = "/api/v1/zones/of-area/{area_id}",
     .fn = zn_api_of_area,
     .roles = ROLES_ZONE_READ,
     .summary = "The strictest zone in force over an area, or null"},
    {.method = "GET",
     .path = "/api/v1/zone-proposals",
     .fn = zn_api_proposals,
     .roles = ROLES_ZONE_READ,
     .summary = "Proposals to draw, downgrade or lift zones (status: pending, confirmed, "
		"rejected, all)"},
    {.method = "POST",
     .path = "/api/v1/zone-proposals/{id}/confirm",
     .fn = zn_api_confirm,
     .roles = ROLES_ZONE_WRITE,
     .body = zn_body_decide,
     .summary = "Confirm a proposal: the zone is drawn, downgraded or lifted"},
    {.method = "POST",
     .path = "/api/v1/zone-proposals/{id}/reject",
     .fn = zn_api_reject,
     .roles = ROLES_ZONE_WRITE,
     .body = zn_body_lift,
     .summary = "Reject a proposal with a reason"},
    FK_ROUTES_END,
};

static int zn_propose(struct fk_app *app, struct fk_db *db, struct fk_err *err)
{
	return zn_propose_job(app, db, err);
}

static const struct fk_job zn_jobs[] = {
    {.name = "zones.propose", .every_ms = 60 * 60 * 1000, .run = zn_propose},
    FK_JOBS_END,
};

static const struct fk_listener zn_listeners[] = {
    {.signal = FK_SIGNAL_POSITIVE_POOL, .fn = zn_on_positive_pool},
    {0},
};

static const struct fk_area_path zn_area_paths[] = {
    {.table = "zones", .column = "area_path", .blocks_delete = "zones"},
    {.table = "zone_proposals", .column = "area_path"},
    {0},
};

static int zones_init(struct fk_app *app, void **state, struct fk_err *err)
{
	(void)err;
	*state = zn_cache_new();
	app->zone_of = zn_zone_of;
	app->zone_door_paths = zn_zone_door_paths;
	return 0;
}

static void zones_fini(struct fk_app *app, void *state)
{
	app->zone_of = NULL;
	app->zone_door_paths = NULL;
	zn_cache_free(state);
}

extern const struct fk_migration fk_migrations_zones[];

const struct fk_module fk_module_zones = {
    .name = "zones",
    .routes = zn_routes,
    .migrations = fk_migrations_zones,
    .area_paths = zn_area_paths,
    .jobs = zn_jobs,
    .policies = zn_policies,
    .listeners = zn_listeners,
    .init = zones_init,
    .fini = zones_fini,
};
