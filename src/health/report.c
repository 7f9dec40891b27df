/* report: one health report — a temperature and symptom keys for one person and half-day,
 * filed by the person (a resident, on the phone) or by a worker for someone in scope, under
 * the placement covering the day. One per person and half-day (the table's unique key); a
 * report filed once the placement has ended is still stored, marked late. A temperature at
 * or over health.fever_celsius raises an alert to the person's area (the grid worker's
 * scope covers it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/clock.h"
#include "base/id.h"
#include "base/json.h"
#include "base/xmalloc.h"
#include "events/events.h"
#include "isolation/isolation.h"
#include "people/people.h"
#include "health/internal.h"

static int parse_person(json_t *body, const struct fk_principal *who, struct hl_report *r,
			struct fk_err *err)
{
	int64_t named = fk_json_id(body, "person_id");

	r->by_self = who->role == FK_ROLE_RESIDENT;
	if (r->by_self) {
		if (who->person_id <= 0 || (named && named != who->person_id))
			return fk_err_set(err, FK_EPERM, "not_own_person", "person_id",
					  "居民只能为本人上报",
					  "a resident reports only for themself");
		r->person_id = who->person_id;
	} else if (!named) {
		return fk_err_set(err, FK_EINVAL, "missing_field", "person_id",
				  "代为上报须填写 person_id", "person_id is required");
	} else {
		r->person_id = named;
	}
	r->by_user = who->user_id;
	return 0;
}

/* The half-day asked (the current one by default), never after the current one. The body
 * schema caps day at 10 bytes and half at 2, so they fit. */
static int parse_half(json_t *body, int64_t now, struct hl_report *r, struct fk_err *err)
{
	const char *day = fk_json_str(body, "day"), *half = fk_json_str(body, "half");
	struct hl_half cur;
	int rc;

	hl_half_at(now, &cur);
	snprintf(r->h.day, sizeof(r->h.day), "%s", day ? day : cur.day);
	snprintf(r->h.half, sizeof(r->h.half), "%s", half ? half : cur.half);
	if ((rc = hl_half_check(&r->h, err)) < 0)
		return rc;
	if (hl_half_cmp(&r->h, &cur) > 0)
		return fk_err_set(err, FK_EUNPROC, "future_half_day",
				  strcmp(r->h.day, cur.day) > 0 ? "day" : "half",
				  "不能为尚未到来的半天上报", "the half-day has not come yet");
	return 0;
}

static int parse_symptoms(json_t *body, struct hl_report *r, struct fk_err *err)
{
	json_t *a = json_object_get(body, "symptoms"), *v;
	size_t i;
	char *text;

	if (!a || json_is_null(a)) {
		snprintf(r->symptoms, sizeof(r->symptoms), "[]");
		return 0;
	}
	json_array_foreach(a, i, v)
	{
		if (!hl_symptom_valid(json_string_value(v)))
			return fk_err_set(err, FK_EINVAL, "unknown_symptom", "symptoms",
					  "未知的症状：%s", "unknown symptom: %s",
					  json_string_value(v));
	}
	text = json_dumps(a, JSON_COMPACT);
	snprintf(r->symptoms, sizeof(r->symptoms), "%s", text ? text : "[]");
	free(text);
	return 0;
}

int hl_report_parse(json_t *body, const struct fk_principal *who, int64_t now, struct hl_report *r,
		    struct fk_err *err)
{
	int rc = parse_person(body, who, r, err);

	if (rc == 0)
		rc = parse_half(body, now, r, err);
	if (rc < 0)
		return rc;
	r->temperature = json_number_value(json_object_get(body, "temperature"));
	if (!(r->temperature >= HL_TEMP_MIN && r->temperature <= HL_TEMP_MAX))
		return fk_err_set(err, FK_EUNPROC, "temperature_out_of_range", "temperature",
				  "体温须在 34.0–43.0 ℃ 之间",
				  "the temperature must be 34.0–43.0 °C");
	return parse_symptoms(body, r, err);
}

int hl_report_prep(struct fk_db *db, const struct fk_principal *who, const struct fk_policy_snap *s,
		   int64_t now, struct hl_report *r, struct fk_err *err)
{
	struct fk_person *p = fk_xcalloc(1, sizeof(*p));
	struct fk_placement pl;
	struct hl_half cur;
	bool found = false;
	int rc = fk_person_get(db, who, r->person_id, p, err);

	if (rc == FK_ENOTFOUND)
		rc = fk_err_set(err, rc, "person_not_found", "person_id", "没有该人员",
				"there is no such person");
	if (rc == 0) {
		snprintf(r->area_path, sizeof(r->area_path), "%s", p->area_path);
		snprintf(r->name, sizeof(r->name), "%s", p->name);
		rc = fk_placement_on(db, r->person_id, r->h.day, &pl, &found, err);
	}
	free(p);
	if (rc < 0)
		return rc;
	if (!found)
		return fk_err_set(err, FK_EUNPROC, "not_under_placement", "person_id",
				  "该人员当天不在隔离或健康监测中",
				  "the person is not under a placement on that day");
	hl_half_at(now, &cur);
	r->placement_id = pl.id;
	r->late = strcmp(cur.day, pl.end_day) >= 0 || strcmp(pl.status, "released") == 0;
	r->fever_at = fk_policy_snap_number(s, &hl_policies[HL_POL_FEVER]);
	r->fever = r->temperature >= r->fever_at;
	r->reported_at = now;
	return 0;
}

static int fever_alert(struct fk_db *db, const struct hl_report *r, struct fk_err *err)
{
	char zh[512], en[512]; /* bytes: the titles stay under FK_ALERT_TITLE_MAX characters */
	json_t *payload = json_pack("{s:o, s:o, s:o, s:s, s:s, s:f}", "report_id",
				    fk_json_idv(r->id), "person_id", fk_json_idv(r->person_id),
				    "placement_id", fk_json_idv(r->placement_id), "day", r->h.day,
				    "half", r->h.half, "temperature", r->temperature);

	snprintf(zh, sizeof(zh), "发热：%s %.1f ℃（%s %s）", r->name, r->temperature, r->h.day,
		 strcmp(r->h.half, "am") == 0 ? "上午" : "下午");
	snprintf(en, sizeof(en), "Fever: %s %.1f °C (%s %s)", r->name, r->temperature, r->h.day,
		 r->h.half);
	return fk_alert_raise(db, "health_fever", r->area_path, zh, en, payload, NULL, err);
}

int hl_report_insert(struct fk_db *db, struct hl_report *r, struct fk_err *err)
{
	int64_t seen = 0;
	int rc = fk_db_one_i64(db, err, &seen,
			       "SELECT id FROM health_reports WHERE person_id = ? AND day = ? AND "
			       "half = ?",
			       "itt", r->person_id, r->h.day, r->h.half);

	if (rc > 0)
		return fk_err_set(err, FK_ECONFLICT, "already_reported", "half",
				  "该人员本半天已经上报过",
				  "the person has reported this half-day");
	if (rc < 0)
		return rc;
	r->id = fk_id_next();
	rc = fk_db_write(db, err,
			 "INSERT INTO health_reports (id, placement_id, person_id, area_path, day, "
			 "half, temperature, symptoms, fever, late, by_user, by_self, reported_at) "
			 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			 "iiitttdtiiiii", r->id, r->placement_id, r->person_id, r->area_path,
			 r->h.day, r->h.half, r->temperature, r->symptoms, (int64_t)r->fever,
			 (int64_t)r->late, r->by_user, (int64_t)r->by_self, r->reported_at);
	if (rc == FK_ECONFLICT) /* a twin with another key won the unique key */
		return fk_err_set(err, FK_ECONFLICT, "already_reported", "half",
				  "该人员本半天已经上报过",
				  "the person has reported this half-day");
	return rc < 0 ? rc : r->fever ? fever_alert(db, r, err) : 0;
}

json_t *hl_report_json(const struct hl_report *r)
{
	json_error_t e;
	json_t *sym = json_loads(r->symptoms, 0, &e);

	return json_pack("{s:o, s:o, s:o, s:s, s:s, s:f, s:o, s:b, s:b, s:b, s:o}", "id",
			 fk_json_idv(r->id), "person_id", fk_json_idv(r->person_id), "placement_id",
			 fk_json_idv(r->placement_id), "day", r->h.day, "half", r->h.half,
			 "temperature", r->temperature, "symptoms", sym ? sym : json_array(),
			 "fever", r->fever, "late", r->late, "by_self", r->by_self, "reported_at",
			 fk_json_timev(r->reported_at));
}

#define REPORT_COLS                                                                                \
	"id, placement_id, person_id, day, half, temperature, symptoms, fever, late, by_self, "    \
	"reported_at"

static json_t *row_json(struct fk_q *q)
{
	struct hl_report r = {0};

	r.id = fk_q_i64(q, 0);
	r.placement_id = fk_q_i64(q, 1);
	r.person_id = fk_q_i64(q, 2);
	snprintf(r.h.day, sizeof(r.h.day), "%s", fk_q_text(q, 3));
	snprintf(r.h.half, sizeof(r.h.half), "%s", fk_q_text(q, 4));
	r.temperature = fk_q_double(q, 5);
	snprintf(r.symptoms, sizeof(r.symptoms), "%s", fk_q_text(q, 6));
	r.fever = fk_q_i64(q, 7) != 0;
	r.late = fk_q_i64(q, 8) != 0;
	r.by_self = fk_q_i64(q, 9) != 0;
	r.reported_at = fk_q_i64(q, 10);
	return hl_report_json(&r);
}

int hl_reports_of(struct fk_db *db, int64_t person_id, json_t *items, struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q,
			     "SELECT " REPORT_COLS " FROM health_reports WHERE person_id = ? "
			     "ORDER BY day DESC, half DESC LIMIT 200",
			     err);

	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, person_id);
	while ((rc = fk_q_step(q, err)) > 0)
		json_array_append_new(items, row_json(q));
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

int hl_report_of_half(struct fk_db *db, int64_t person_id, const struct hl_half *h, json_t **out,
		      struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q,
			     "SELECT " REPORT_COLS " FROM health_reports WHERE person_id = ? AND "
			     "day = ? AND half = ?",
			     err);

	*out = NULL;
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, person_id);
	fk_q_bind_text(q, 2, h->day);
	fk_q_bind_text(q, 3, h->half);
	if ((rc = fk_q_step(q, err)) > 0)
		*out = row_json(q);
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}
