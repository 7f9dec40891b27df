/* figures: the dashboard's panels and drill-down rows. Every figure is one call to its
 * owning module's public read (people.h, testing.h, trace.h, zones.h, isolation.h,
 * requests.h, duty.h, events.h, deliveries.h), each a sum of counters or an indexed count of the
 * rows in force, so a district of ten million residents costs a few small reads. */
#include <math.h>
#include "base/json.h"
#include "base/clock.h"
#include "dashboard/internal.h"
#include "deliveries/deliveries.h"
#include "duty/duty.h"
#include "events/events.h"
#include "isolation/isolation.h"
#include "people/people.h"
#include "requests/requests.h"
#include "testing/testing.h"
#include "trace/trace.h"
#include "zones/zones.h"

double db_pct(int64_t sampled, int64_t registered)
{
	if (registered <= 0)
		return 0;
	return round(1000.0 * (double)sampled / (double)registered) / 10.0;
}

static int round_panel(struct fk_db *db, const char *path, int64_t round_id, json_t *panels,
		       struct fk_err *err)
{
	struct fk_round r;
	struct fk_round_figures f;
	int rc = fk_round_get(db, round_id, &r, err);

	if (rc == 0)
		rc = fk_round_figures_under(db, round_id, path, &f, err);
	if (rc < 0)
		return rc;
	json_object_set_new(
	    panels, "round",
	    json_pack("{s:o, s:s, s:s, s:I, s:I, s:f, s:I, s:I, s:I}", "id", fk_json_idv(r.id),
		      "name", r.name, "status", fk_round_status_name(r.status), "registered",
		      (json_int_t)f.expected, "sampled", (json_int_t)f.sampled, "pct",
		      db_pct(f.sampled, f.expected), "resulted", (json_int_t)f.resulted,
		      "positives", (json_int_t)f.positive, "exempt", (json_int_t)f.exempt));
	return 0;
}

static int people_panels(struct fk_db *db, const char *path, json_t *panels, struct fk_err *err)
{
	struct fk_case_figures c;
	struct fk_zone_figures z;
	int64_t people = 0;
	int rc = fk_people_count_under(db, path, &people, err);

	if (rc == 0)
		rc = fk_trace_case_figures(db, path, &c, err);
	if (rc == 0)
		rc = fk_zone_figures(db, path, &z, err);
	if (rc < 0)
		return rc;
	json_object_set_new(panels, "people", json_pack("{s:I}", "residents", (json_int_t)people));
	json_object_set_new(
	    panels, "cases",
	    json_pack("{s:I, s:I}", "active", (json_int_t)c.active, "total", (json_int_t)c.total));
	json_object_set_new(panels, "zones",
			    json_pack("{s:I, s:I, s:I, s:I}", "total", (json_int_t)z.total,
				      "sealed", (json_int_t)z.level[3], "controlled",
				      (json_int_t)z.level[2], "precaution",
				      (json_int_t)z.level[1]));
	return 0;
}

/* Today's delivery runs (the day in China Standard Time). */
static int deliveries_panel(struct fk_db *db, const char *path, json_t *panels, struct fk_err *err)
{
	struct fk_delivery_figures f;
	char day[16];
	int y, m, d, rc;

	fk_date_today(&y, &m, &d);
	snprintf(day, sizeof(day), "%04d-%02d-%02d", y, m, d);
	rc = fk_delivery_figures(db, path, day, &f, err);
	if (rc < 0)
		return rc;
	json_object_set_new(panels, "deliveries",
			    json_pack("{s:I, s:I, s:I}", "runs", (json_int_t)f.runs, "households",
				      (json_int_t)f.households, "done", (json_int_t)f.done));
	return 0;
}

static int work_panels(struct fk_db *db, const char *path, int64_t now, json_t *panels,
		       struct fk_err *err)
{
	struct fk_placement_figures p;
	struct fk_request_figures r;
	struct fk_duty_figures d;
	int64_t stock = 0, alerts = 0;
	int rc = fk_placement_figures(db, path, &p, err);

	if (rc == 0)
		rc = fk_request_figures(db, path, now, &r, err);
	if (rc == 0)
		rc = fk_duty_figures(db, path, now, &d, err);
	if (rc == 0)
		rc = fk_alerts_open_count(db, path, "stock_low", &stock, err);
	if (rc == 0)
		rc = fk_alerts_open_count(db, path, NULL, &alerts, err);
	if (rc < 0)
		return rc;
	json_object_set_new(panels, "placements",
			    json_pack("{s:I, s:I}", "under", (json_int_t)p.under, "overdue",
				      (json_int_t)p.overdue));
	json_object_set_new(
	    panels, "requests",
	    json_pack("{s:I, s:I}", "open", (json_int_t)r.open, "overdue", (json_int_t)r.overdue));
	json_object_set_new(panels, "duty",
			    json_pack("{s:I, s:I, s:I}", "on_duty", (json_int_t)d.on_duty,
				      "short_places", (json_int_t)d.short_places, "places",
				      (json_int_t)d.places));
	json_object_set_new(panels, "stock", json_pack("{s:I}", "alerts", (json_int_t)stock));
	json_object_set_new(panels, "alerts", json_pack("{s:I}", "open", (json_int_t)alerts));
	return deliveries_panel(db, path, panels, err);
}

int db_panels(struct fk_db *db, const char *path, int64_t round_id, int64_t now, json_t **out,
	      struct fk_err *err)
{
	json_t *panels = json_object();
	int rc = people_panels(db, path, panels, err);

	if (rc == 0 && round_id > 0)
		rc = round_panel(db, path, round_id, panels, err);
	if (rc == 0)
		rc = work_panels(db, path, now, panels, err);
	if (rc < 0) {
		json_decref(panels);
		return rc;
	}
	*out = panels;
	return 0;
}

/* The highest level of the zones in force (3 sealed/high ... 0 none), to colour a map. */
static int64_t max_level(const struct fk_zone_figures *z)
{
	for (int l = 3; l > 0; l--)
		if (z->level[l] > 0)
			return l;
	return 0;
}

int db_headline(struct fk_db *db, const char *path, int64_t round_id, int64_t now, json_t **out,
		struct fk_err *err)
{
	struct fk_round_figures f = {0};
	struct fk_case_figures c;
	struct fk_zone_figures z;
	struct fk_placement_figures p;
	struct fk_request_figures r;
	int64_t people = 0;
	int rc = fk_people_count_under(db, path, &people, err);

	if (rc == 0 && round_id > 0)
		rc = fk_round_figures_under(db, round_id, path, &f, err);
	if (rc == 0)
		rc = fk_trace_case_figures(db, path, &c, err);
	if (rc == 0)
		rc = fk_zone_figures(db, path, &z, err);
	if (rc == 0)
		rc = fk_placement_figures(db, path, &p, err);
	if (rc == 0)
		rc = fk_request_figures(db, path, now, &r, err);
	if (rc < 0)
		return rc;
	*out = json_pack("{s:I, s:I, s:I, s:f, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "people",
			 (json_int_t)people, "registered", (json_int_t)f.expected, "sampled",
			 (json_int_t)f.sampled, "pct", db_pct(f.sampled, f.expected), "positives",
			 (json_int_t)f.positive, "cases", (json_int_t)c.active, "zones",
			 (json_int_t)z.total, "zone_level", (json_int_t)max_level(&z), "placements",
			 (json_int_t)p.under, "requests_open", (json_int_t)r.open,
			 "requests_overdue", (json_int_t)r.overdue);
	return 0;
}
