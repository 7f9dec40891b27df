/* placement: reading placements — one by id, a scoped list with filters, the JSON the routes
 * give, and fk_placement_on for the modules above. Reads people (name, ID number, phone,
 * area) and areas (name) in its own SQL, to render a page of placements in one query. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/buf.h"
#include "base/mask.h"
#include "isolation/internal.h"

#define PL_COLS                                                                                    \
	"pl.id, pl.person_id, pl.area_path, pl.kind, pl.reason, pl.contact_id, pl.case_id, "       \
	"pl.follows_id, pl.facility_id, pl.room_id, pl.start_day, pl.end_day, pl.test_days, "      \
	"pl.status, pl.released_at, pl.policy_version, p.name, p.id_number, p.phone, p.area_id, "  \
	"a.name, f.name, r.number FROM placements pl JOIN people p ON p.id = pl.person_id JOIN "   \
	"areas a ON a.id = p.area_id LEFT JOIN facilities f ON f.id = pl.facility_id LEFT JOIN "   \
	"rooms r ON r.id = pl.room_id"

#define COPY(dst, col) fk_copy_text(dst, sizeof(dst), fk_q_text(q, col) ? fk_q_text(q, col) : "")

static void pl_row(struct fk_q *q, void *rec)
{
	struct is_placement *p = rec;

	p->id = fk_q_i64(q, 0);
	p->person_id = fk_q_i64(q, 1);
	COPY(p->area_path, 2);
	COPY(p->kind, 3);
	COPY(p->reason, 4);
	p->contact_id = fk_q_i64(q, 5);
	p->case_id = fk_q_i64(q, 6);
	p->follows_id = fk_q_i64(q, 7);
	p->facility_id = fk_q_i64(q, 8);
	p->room_id = fk_q_i64(q, 9);
	COPY(p->start_day, 10);
	COPY(p->end_day, 11);
	COPY(p->test_days, 12);
	COPY(p->status, 13);
	p->released_at = fk_q_i64(q, 14);
	p->policy_version = fk_q_i64(q, 15);
	COPY(p->name, 16);
	COPY(p->id_number, 17);
	COPY(p->phone, 18);
	p->area_id = fk_q_i64(q, 19);
	COPY(p->area_name, 20);
	COPY(p->facility_name, 21);
	COPY(p->room_number, 22);
}

int is_placement_get(struct fk_db *db, const struct fk_principal *who, int64_t id,
		     struct is_placement *out, struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q, "SELECT " PL_COLS " WHERE pl.id = ?", err);

	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, id);
	rc = fk_q_step(q, err);
	if (rc > 0)
		pl_row(q, out);
	fk_q_done(q);
	if (rc < 0)
		return rc;
	if (rc == 0 || (who && !fk_scope_covers(who, out->area_path)))
		return fk_err_set(err, FK_ENOTFOUND, "placement_not_found", NULL, "隔离记录不存在",
				  "the placement does not exist");
	return 0;
}

static json_t *id_or_null(int64_t id)
{
	return id ? fk_json_idv(id) : json_null();
}

static json_t *text_or_null(const char *s)
{
	return *s ? json_string(s) : json_null();
}

static json_t *person_json(const struct fk_principal *who, const struct is_placement *p)
{
	char id[48], phone[32];

	if (!who || !who->see_id)
		fk_mask_id(p->id_number, id, sizeof(id));
	if (!who || !who->see_phone)
		fk_mask_phone(p->phone, phone, sizeof(phone));
	return json_pack("{s:o, s:s, s:s, s:s, s:o, s:s}", "id", fk_json_idv(p->person_id), "name",
			 p->name, "id_number", who && who->see_id ? p->id_number : id, "phone",
			 who && who->see_phone ? p->phone : phone, "area_id",
			 fk_json_idv(p->area_id), "area_name", p->area_name);
}

/* Today's day number: 1 on start_day. */
static json_int_t day_no(const struct is_placement *p)
{
	char today[IS_DAY];

	is_day_today(today);
	return (json_int_t)(is_day_diff(today, p->start_day) + 1);
}

static json_t *base_json(const struct fk_principal *who, const struct is_placement *p)
{
	json_t *tests = json_loads(p->test_days, 0, NULL);

	return json_pack(
	    "{s:o, s:o, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:s, s:s, s:I, s:o, s:s, "
	    "s:o, s:I}",
	    "id", fk_json_idv(p->id), "person", person_json(who, p), "kind", p->kind, "reason",
	    p->reason, "contact_id", id_or_null(p->contact_id), "case_id", id_or_null(p->case_id),
	    "follows_id", id_or_null(p->follows_id), "facility_id", id_or_null(p->facility_id),
	    "facility_name", text_or_null(p->facility_name), "room_id", id_or_null(p->room_id),
	    "room_number", text_or_null(p->room_number), "start_day", p->start_day, "end_day",
	    p->end_day, "day_no", day_no(p), "test_days", tests ? tests : json_array(), "status",
	    p->status, "released_at", fk_json_timev(p->released_at), "policy_version",
	    (json_int_t)p->policy_version);
}

int is_placement_json(struct fk_db *db, const struct fk_principal *who,
		      const struct is_placement *p, json_t **out, struct fk_err *err)
{
	json_t *tests = json_array();
	int rc = is_tests_json(db, p->id, tests, err);

	if (rc < 0) {
		json_decref(tests);
		return rc;
	}
	*out = base_json(who, p);
	json_object_set_new(*out, "tests", tests);
	return 0;
}

/* ---- lists ---- */

static void bind_filters(struct fk_q *q, const struct is_list_query *f)
{
	const char *texts[] = {f->status, f->kind, f->reason, f->end_day, f->arriving};
	int i = 1;

	for (int k = 0; k < 5; k++) {
		fk_q_bind_text(q, i++, texts[k] ? texts[k] : "");
		fk_q_bind_text(q, i++, texts[k] ? texts[k] : "");
	}
	fk_q_bind_i64(q, i++, f->facility_id);
	fk_q_bind_i64(q, i++, f->facility_id);
	fk_q_bind_i64(q, i++, f->person_id);
	fk_q_bind_i64(q, i++, f->person_id);
	fk_q_bind_i64(q, i, f->after ? f->after : INT64_MAX);
}

static int list_rows(struct fk_db *db, const struct fk_principal *who,
		     const struct is_list_query *f, void **rows, int *n, struct fk_err *err)
{
	const struct fk_scoped_query sq = {
	    .head =
		"SELECT " PL_COLS " WHERE (? = '' OR pl.status = ?) AND (? = '' OR pl.kind = "
		"?) AND (? = '' OR pl.reason = ?) AND (? = '' OR pl.end_day = ?) AND (? = '' OR "
		"pl.start_day = ? OR EXISTS (SELECT 1 FROM transfers tr WHERE tr.placement_id "
		"= pl.id AND tr.arrived_at IS NULL)) AND (CAST(? AS BIGINT) = 0 OR "
		"pl.facility_id = ?) AND (CAST(? AS BIGINT) = 0 OR pl.person_id = ?) AND pl.id < "
		"? AND ",
	    .nhead = 15,
	    .col = "pl.area_path",
	    .under = f->under,
	    .tail = " ORDER BY pl.id DESC LIMIT ?"};
	struct fk_q *q;
	int i, rc = fk_scoped_query(db, who, &sq, &q, &i, err);

	if (rc < 0)
		return rc;
	bind_filters(q, f);
	fk_q_bind_i64(q, i, f->limit + 1);
	return fk_q_collect(q, sizeof(struct is_placement), pl_row, rows, n, err);
}

int is_placement_list(struct fk_db *db, const struct fk_principal *who,
		      const struct is_list_query *f, json_t *items, int64_t *next,
		      struct fk_err *err)
{
	struct is_placement *l;
	void *rows = NULL;
	int n = 0, rc = list_rows(db, who, f, &rows, &n, err);

	l = rows;
	*next = 0;
	if (rc == 0 && n > f->limit) {
		n = f->limit;
		*next = l[n - 1].id;
	}
	for (int k = 0; rc == 0 && k < n; k++) {
		json_t *o;
		rc = is_placement_json(db, who, &l[k], &o, err);
		if (rc == 0)
			json_array_append_new(items, o);
	}
	free(l);
	return rc < 0 ? rc : 0;
}

/* ---- for the modules above ---- */

int fk_placement_on(struct fk_db *db, int64_t person_id, const char *day, struct fk_placement *out,
		    bool *found, struct fk_err *err)
{
	struct fk_q *q;
	int rc =
	    fk_db_query(db, &q,
			"SELECT id, person_id, area_path, kind, status, start_day, end_day FROM "
			"placements WHERE person_id = ? AND start_day <= ? AND end_day > ? AND "
			"status <> 'cancelled' ORDER BY start_day DESC LIMIT 1",
			err);

	*found = false;
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, person_id);
	fk_q_bind_text(q, 2, day);
	fk_q_bind_text(q, 3, day);
	rc = fk_q_step(q, err);
	if (rc > 0) {
		memset(out, 0, sizeof(*out));
		out->id = fk_q_i64(q, 0);
		out->person_id = fk_q_i64(q, 1);
		COPY(out->area_path, 2);
		COPY(out->kind, 3);
		COPY(out->status, 4);
		COPY(out->start_day, 5);
		COPY(out->end_day, 6);
		*found = true;
	}
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}
