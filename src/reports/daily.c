/* daily: the daily report of an area — the date's checks, the area's figures and its
 * children's one level down (the drill-down rows), and its JSON. */
#include <stdlib.h>
#include <string.h>
#include "area/area.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/json.h"
#include "base/xmalloc.h"
#include "reports/internal.h"

static const struct {
	const char *key, *zh;
} figs[FK_DF_COUNT] = {
    [FK_DF_TESTED] = {"tested", "检测人次"},
    [FK_DF_POSITIVES] = {"positives", "阳性"},
    [FK_DF_CASES] = {"cases", "病例"},
    [FK_DF_PLACED] = {"placed", "隔离管控人数"},
    [FK_DF_HOTLINE_TICKETS] = {"hotline_tickets", "热线工单"},
    [FK_DF_CALLS_ANSWERED] = {"calls_answered", "电话接通"},
    [FK_DF_FOLLOW_UPS] = {"follow_ups", "随访次数"},
    [FK_DF_REQUESTS_HANDLED] = {"requests_handled", "诉求办结"},
    [FK_DF_REQUESTS_OVERDUE] = {"requests_overdue", "诉求超时"},
    [FK_DF_STAFF_DEPLOYED] = {"staff_deployed", "在岗人员"},
    [FK_DF_SUPPLIES_DELIVERED] = {"supplies_delivered", "物资送达户数"},
};

const char *fk_daily_fig_key(enum fk_daily_fig f)
{
	return (unsigned)f < FK_DF_COUNT ? figs[f].key : "";
}

const char *fk_daily_fig_zh(enum fk_daily_fig f)
{
	return (unsigned)f < FK_DF_COUNT ? figs[f].zh : "";
}

int fk_daily_date_check(const char *date, const char *field, struct fk_err *err)
{
	int y, m, d, ty, tm, td;

	if (!date || fk_date_parse(date, &y, &m, &d) < 0)
		return fk_err_set(err, FK_EINVAL, "invalid_date", field,
				  "%s 须为 YYYY-MM-DD 格式的日期", "%s must be a date YYYY-MM-DD",
				  field);
	fk_date_today(&ty, &tm, &td);
	if (fk_date_days(y, m, d) > fk_date_days(ty, tm, td))
		return fk_err_set(err, FK_EUNPROC, "date_in_future", field, "%s 不能晚于今天",
				  "%s is after today", field);
	return 0;
}

static void row_of(const struct fk_area *a, struct fk_daily_row *row)
{
	memset(row, 0, sizeof(*row));
	row->area_id = a->id;
	fk_copy_text(row->code, sizeof(row->code), a->code);
	fk_copy_text(row->name, sizeof(row->name), a->name);
	fk_copy_text(row->kind, sizeof(row->kind), a->kind);
}

/* The areas one level down, as rows with their figures. The caller's scope already covers
 * the parent, so the system principal over it lists them all. */
static int children(struct fk_db *db, const struct fk_area *a, int64_t from, int64_t to,
		    struct fk_daily_report *out, struct fk_err *err)
{
	struct fk_principal sys = {.role = FK_ROLE_ADMIN, .nscopes = 1};
	struct fk_area_query f = {.parent_id = a->id};
	struct fk_area_list l = {0};
	int rc;

	sys.scope_ids[0] = a->id;
	fk_copy_text(sys.scope_paths[0], sizeof(sys.scope_paths[0]), a->path);
	if ((rc = fk_area_list(db, &sys, &f, &l, err)) < 0)
		return rc;
	if (l.n)
		out->children = fk_xcalloc(l.n, sizeof(*out->children));
	for (size_t i = 0; rc == 0 && i < l.n; i++) {
		row_of(&l.items[i], &out->children[i]);
		out->nchildren++;
		rc = rp_area_figures(db, l.items[i].path, out->date, from, to, &out->children[i],
				     err);
	}
	fk_area_list_release(&l);
	return rc;
}

int fk_daily_report_make(struct fk_db *db, const struct fk_principal *who, int64_t area_id,
			 const char *date, struct fk_daily_report *out, struct fk_err *err)
{
	struct fk_area a = {0};
	int64_t from, to;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = fk_daily_date_check(date, "date", err)) < 0)
		return rc;
	fk_copy_text(out->date, sizeof(out->date), date);
	if ((rc = fk_area_get_in_scope(db, who, area_id, "area_id", &a, err)) < 0)
		return rc;
	rp_day_bounds(date, &from, &to);
	row_of(&a, &out->area);
	rc = rp_area_figures(db, a.path, date, from, to, &out->area, err);
	if (rc == 0)
		rc = children(db, &a, from, to, out, err);
	fk_area_release(&a);
	return rc;
}

void fk_daily_report_release(struct fk_daily_report *r)
{
	free(r->children);
	r->children = NULL;
	r->nchildren = 0;
}

static json_t *figures_json(const struct fk_daily_row *row)
{
	json_t *o = json_object();

	for (int i = 0; i < FK_DF_COUNT; i++)
		json_object_set_new(o, figs[i].key, json_integer(row->fig[i]));
	return o;
}

static json_t *area_json(const struct fk_daily_row *row)
{
	return json_pack("{s:o, s:s, s:s, s:s}", "id", fk_json_idv(row->area_id), "code", row->code,
			 "name", row->name, "kind", row->kind);
}

json_t *fk_daily_report_json(const struct fk_daily_report *r)
{
	json_t *kids = json_array();

	for (int i = 0; i < r->nchildren; i++)
		json_array_append_new(kids,
				      json_pack("{s:o, s:o}", "area", area_json(&r->children[i]),
						"figures", figures_json(&r->children[i])));
	return json_pack("{s:o, s:s, s:o, s:o}", "area", area_json(&r->area), "date", r->date,
			 "figures", figures_json(&r->area), "children", kids);
}
