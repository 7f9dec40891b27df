/* internal: what the files of the health module share. A function that writes expects the
 * caller's write transaction (fk_tx_begin or the request's audited one) unless it says
 * otherwise.
 *
 *   half.c    half-days: which one a time falls in, their deadlines, symptom keys
 *   report.c  a report: its checks, its write (one per person and half-day), its JSON
 *   missing.c who has not reported a half-day (scoped list) and the job that records the
 *             misses once a half-day's deadline passes and alerts each grid once
 *   api.c     the handlers */
#ifndef FK_HEALTH_INTERNAL_H
#define FK_HEALTH_INTERNAL_H
#include <stdbool.h>
#include <stdint.h>
#include "area/area.h"
#include "audit/audit.h"
#include "http/http.h"
#include "platform/module.h"
#include "policy/policy.h"
#include "users/principal.h"
#include "health/health.h"

enum { HL_POL_MORNING, HL_POL_EVENING, HL_POL_FEVER, HL_POL_GRACE };
extern const struct fk_policy_def hl_policies[];

#define HL_DAY_LEN     11   /* "YYYY-MM-DD" and its NUL */
#define HL_TEMP_MIN    34.0 /* ℃: below or above is a misreading, refused */
#define HL_TEMP_MAX    43.0
#define HL_SYMPTOM_MAX 8 /* keys in one report */

/* A half-day: a calendar day in China Standard Time and "am" or "pm". */
struct hl_half {
	char day[HL_DAY_LEN];
	char half[3];
};

/* ---- half.c ---- */

/* The half-day epoch_ms falls in: am before 12:00 China Standard Time, pm from then on. */
void hl_half_at(int64_t epoch_ms, struct hl_half *out);
/* The half-day before h (pm of the day before for am). */
void hl_half_prev(const struct hl_half *h, struct hl_half *out);
/* <0, 0, >0 as a comes before, with or after b. */
int hl_half_cmp(const struct hl_half *a, const struct hl_half *b);
/* When h's report is missed: its report time (health.report_morning or _evening) plus
 * health.report_grace_hours, as epoch ms. h must be a valid half-day. */
int64_t hl_deadline_ms(const struct fk_policy_snap *s, const struct hl_half *h);
/* FK_EINVAL naming field ("day" or "half") unless day is a real "YYYY-MM-DD" and half am|pm. */
int hl_half_check(const struct hl_half *h, struct fk_err *err);
/* Whether key is a symptom key (fever, cough, sore_throat, fatigue, loss_of_taste_smell,
 * diarrhoea, short_breath, other). */
bool hl_symptom_valid(const char *key);

/* ---- report.c ---- */

struct hl_report {
	int64_t id, placement_id, person_id, by_user, reported_at;
	struct hl_half h;
	double temperature, fever_at;
	char symptoms[256]; /* the JSON array as stored */
	bool fever, late, by_self;
	char area_path[FK_AREA_PATH_MAX];
	char name[260]; /* the person's, for the fever alert */
};

/* Fills r from a checked body for who at now: the person (a resident: its own; a person_id
 * naming another is FK_EPERM "not_own_person"; a worker must name one), the half-day (the
 * current one unless day/half say), the temperature (FK_EUNPROC "temperature_out_of_range"
 * outside 34–43 ℃) and the symptom keys (FK_EINVAL "unknown_symptom"). A half-day after the
 * current one is FK_EUNPROC "future_half_day" naming day or half. No store access. */
int hl_report_parse(json_t *body, const struct fk_principal *who, int64_t now, struct hl_report *r,
		    struct fk_err *err);
/* The reads before the write: the person in who's scope (FK_ENOTFOUND "person_not_found"
 * naming person_id, as for an unknown id), the placement covering the day (FK_EUNPROC
 * "not_under_placement" naming person_id), late, and the fever threshold from s. */
int hl_report_prep(struct fk_db *db, const struct fk_principal *who, const struct fk_policy_snap *s,
		   int64_t now, struct hl_report *r, struct fk_err *err);
/* Stores r (r->id assigned) and raises the fever alert to the person's area when r->fever.
 * FK_ECONFLICT "already_reported" naming half when the person has a report for the half-day. */
int hl_report_insert(struct fk_db *db, struct hl_report *r, struct fk_err *err);
/* The report JSON of the API (a new reference). */
json_t *hl_report_json(const struct hl_report *r);
/* Appends to items the reports of person_id, newest first (at most 200). The caller checked
 * the person is in scope. */
int hl_reports_of(struct fk_db *db, int64_t person_id, json_t *items, struct fk_err *err);
/* The person's report of half-day h into *out (NULL when none; a new reference). */
int hl_report_of_half(struct fk_db *db, int64_t person_id, const struct hl_half *h, json_t **out,
		      struct fk_err *err);

/* ---- missing.c ---- */

struct hl_missing_query {
	struct hl_half h;
	const char *under; /* an area path in scope, or NULL: the whole scope */
	int64_t after;	   /* the cursor: placement ids above it */
	int limit;
};
/* The people under a placement on h's day with no report for h, in who's scope (under
 * narrows), by placement id: out gets {total, items:[{person, placement_id, kind,
 * area_name}], next_cursor}. IDs masked unless who may see them. */
int hl_missing_list(struct fk_db *db, const struct fk_principal *who,
		    const struct hl_missing_query *q, json_t *out, struct fk_err *err);
/* The job health.missed: for each half-day of yesterday and today whose deadline has passed
 * by now and that no run has swept yet, records in one statement every placement covering
 * its day with no report (health_misses), then raises one alert per grid naming the count.
 * Runs in a transaction of its own per half-day. *missed (may be NULL) gets how many misses
 * it recorded. */
int hl_sweep(struct fk_db *db, int64_t now, int64_t *missed, struct fk_err *err);
int hl_missed_job(struct fk_app *app, struct fk_db *db, struct fk_err *err);

/* ---- api.c ---- */

extern const struct fk_field hl_body_report[];
int hl_api_report(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int hl_api_reports(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int hl_api_missing(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int hl_api_me(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);

#endif
