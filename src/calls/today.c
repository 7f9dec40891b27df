/* today: the day's call list. Whom to call is read from three modules' tables in this
 * module's own SQL, each in the caller's scope: the screening module's screening_call_days
 * (a key person's plan names the day: reason returnee), the people module's person_tags
 * (key_person, elderly_alone: every day) and the isolation module's placements (under one on
 * the day, active or overdue: reason placement); the people module's people and the area
 * module's areas give the names. A person comes once, with every reason, and with the day's
 * calls (this module's calls, the users module's users for the caller's name). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "base/buf.h"
#include "base/clock.h"
#include "base/json.h"
#include "base/mask.h"
#include "base/xmalloc.h"
#include "calls/internal.h"

#define PERSON_COLS                                                                                \
	"p.id, p.name, p.id_number, p.phone, p.area_id, a.name, p.household, p.area_path"

void cl_day_add(const char *day, int64_t n, char out[CL_DAY])
{
	int y = 0, m = 0, d = 0;
	time_t t;
	struct tm tm;

	fk_date_parse(day, &y, &m, &d);
	t = (time_t)((fk_date_days(y, m, d) + n) * 86400);
	gmtime_r(&t, &tm);
	strftime(out, CL_DAY, "%Y-%m-%d", &tm);
}

void cl_today(char out[CL_DAY])
{
	int y, m, d;

	fk_date_today(&y, &m, &d);
	snprintf(out, CL_DAY, "%04d-%02d-%02d", y, m, d);
}

struct item {
	int64_t id;
	unsigned reasons;
	char path[FK_AREA_PATH_MAX];
	char name[260];
	json_t *person, *calls;
};

struct list {
	struct item *items;
	int n, cap;
	json_t *index; /* person id (text) -> position in items */
	bool full;     /* CL_LIST_MAX people met: more were left out */
};

static json_t *person_json(const struct fk_principal *who, struct fk_q *q)
{
	const char *id = fk_q_text(q, 2), *phone = fk_q_text(q, 3);
	char mid[48], mphone[32];

	fk_mask_id(id ? id : "", mid, sizeof(mid));
	fk_mask_phone(phone ? phone : "", mphone, sizeof(mphone));
	return json_pack("{s:o, s:s, s:s, s:s, s:b, s:o, s:s, s:o}", "id",
			 fk_json_idv(fk_q_i64(q, 0)), "name", fk_q_text(q, 1), "id_number",
			 who->see_id ? (id ? id : "") : mid, "phone",
			 who->see_phone ? (phone ? phone : "") : mphone, "masked", !who->see_id,
			 "area_id", fk_json_idv(fk_q_i64(q, 4)), "area_name", fk_q_text(q, 5),
			 "household", fk_json_strv(fk_q_text(q, 6)));
}

/* The item of the row's person, made on first sight; NULL when the list is full. */
static struct item *item_of(struct list *l, const struct fk_principal *who, struct fk_q *q)
{
	char key[24];
	json_t *at;
	struct item *it;

	snprintf(key, sizeof(key), "%lld", (long long)fk_q_i64(q, 0));
	if ((at = json_object_get(l->index, key)))
		return &l->items[json_integer_value(at)];
	if (l->n == CL_LIST_MAX) {
		l->full = true;
		return NULL;
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->items = fk_xrealloc(l->items, (size_t)l->cap * sizeof(*l->items));
	}
	it = &l->items[l->n];
	memset(it, 0, sizeof(*it));
	it->id = fk_q_i64(q, 0);
	fk_copy_text(it->path, sizeof(it->path), fk_q_text(q, 7));
	fk_copy_text(it->name, sizeof(it->name), fk_q_text(q, 1));
	it->person = person_json(who, q);
	it->calls = json_array();
	json_object_set_new(l->index, key, json_integer(l->n++));
	return it;
}

static unsigned reason_of(const char *tag)
{
	return strcmp(tag, "key_person") == 0 ? CL_KEY_PERSON : CL_ELDERLY_ALONE;
}

/* Adds the rows of one source; reason 0: the tag in column 8 says. Binds: day nbind times. */
struct source {
	const char *head; /* the SELECT up to its scope condition */
	const char *col;  /* the path the scope limits */
	int nbind;	  /* placeholders of head, each bound to the day */
	unsigned reason;  /* 0: the tag in column 8 says */
};

static int add_source(struct fk_db *db, const struct fk_principal *who, const struct source *src,
		      const char *day, const char *under, struct list *l, struct fk_err *err)
{
	const struct fk_scoped_query sq = {.head = src->head,
					   .nhead = src->nbind,
					   .col = src->col,
					   .under = under,
					   .tail = " LIMIT 20001"};
	const int nbind = src->nbind;
	const unsigned reason = src->reason;
	struct fk_q *q;
	struct item *it;
	int i, rc = fk_scoped_query(db, who, &sq, &q, &i, err);

	if (rc < 0)
		return rc;
	for (int k = 1; k <= nbind; k++)
		fk_q_bind_text(q, k, day);
	while ((rc = fk_q_step(q, err)) > 0)
		if ((it = item_of(l, who, q)))
			it->reasons |= reason ? reason : reason_of(fk_q_text(q, 8));
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

static const struct source sources[] = {
    {.head = "SELECT " PERSON_COLS " FROM screening_call_days s JOIN people p ON p.id = "
	     "s.person_id JOIN areas a ON a.id = p.area_id WHERE s.day = ? AND ",
     .col = "s.area_path",
     .nbind = 1,
     .reason = CL_RETURNEE},
    {.head = "SELECT " PERSON_COLS ", t.tag FROM person_tags t JOIN people p ON p.id = "
	     "t.person_id JOIN areas a ON a.id = p.area_id WHERE t.tag IN ('key_person', "
	     "'elderly_alone') AND ",
     .col = "p.area_path"},
    {.head = "SELECT " PERSON_COLS " FROM placements s JOIN people p ON p.id = s.person_id "
	     "JOIN areas a ON a.id = p.area_id WHERE s.status IN ('active', 'overdue') AND "
	     "s.start_day <= ? AND (s.end_day > ? OR s.status = 'overdue') AND ",
     .col = "s.area_path",
     .nbind = 2,
     .reason = CL_PLACEMENT},
};

static int add_sources(struct fk_db *db, const struct fk_principal *who, const char *day,
		       const char *under, struct list *l, struct fk_err *err)
{
	int rc = 0;

	for (size_t k = 0; rc == 0 && k < sizeof(sources) / sizeof(sources[0]); k++)
		rc = add_source(db, who, &sources[k], day, under, l, err);
	return rc;
}

/* The day's calls of the listed people. */
static int add_calls(struct fk_db *db, const struct fk_principal *who, const char *day,
		     const char *under, struct list *l, struct fk_err *err)
{
	const struct fk_scoped_query sq = {
	    .head = "SELECT c.person_id, c.id, c.outcome, c.note, c.at, u.display_name, "
		    "c.request_id FROM calls c LEFT JOIN users u ON u.id = c.user_id WHERE "
		    "c.day = ? AND ",
	    .nhead = 1,
	    .col = "c.area_path",
	    .under = under,
	    .tail = " ORDER BY c.at, c.id"};
	struct fk_q *q;
	char key[24];
	json_t *at;
	int i, rc = fk_scoped_query(db, who, &sq, &q, &i, err);

	if (rc < 0)
		return rc;
	fk_q_bind_text(q, 1, day);
	while ((rc = fk_q_step(q, err)) > 0) {
		snprintf(key, sizeof(key), "%lld", (long long)fk_q_i64(q, 0));
		if (!(at = json_object_get(l->index, key)))
			continue;
		json_array_append_new(l->items[json_integer_value(at)].calls,
				      json_pack("{s:o, s:s, s:s, s:o, s:o, s:o}", "id",
						fk_json_idv(fk_q_i64(q, 1)), "outcome",
						fk_q_text(q, 2), "note", fk_q_text(q, 3), "at",
						fk_json_timev(fk_q_i64(q, 4)), "by_name",
						fk_json_strv(fk_q_text(q, 5)), "request_id",
						fk_json_idv(fk_q_i64(q, 6))));
	}
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

static int item_cmp(const void *a, const void *b)
{
	const struct item *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	return c ? c : strcmp(x->name, y->name);
}

static json_t *reasons_json(unsigned r)
{
	static const char *const names[] = {"returnee", "key_person", "elderly_alone", "placement"};
	json_t *a = json_array();

	for (int i = 0; i < 4; i++)
		if (r & (1u << i))
			json_array_append_new(a, json_string(names[i]));
	return a;
}

int cl_today_list(struct fk_db *db, const struct fk_principal *who, const char *day,
		  const char *under, json_t *items, bool *truncated, struct fk_err *err)
{
	struct list l = {.index = json_object()};
	int rc = add_sources(db, who, day, under, &l, err);

	if (rc == 0)
		rc = add_calls(db, who, day, under, &l, err);
	if (rc == 0 && l.n)
		qsort(l.items, (size_t)l.n, sizeof(*l.items), item_cmp);
	for (int k = 0; k < l.n; k++) {
		if (rc == 0)
			json_array_append_new(items, json_pack("{s:O, s:o, s:O}", "person",
							       l.items[k].person, "reasons",
							       reasons_json(l.items[k].reasons),
							       "calls", l.items[k].calls));
		json_decref(l.items[k].person);
		json_decref(l.items[k].calls);
	}
	free(l.items);
	json_decref(l.index);
	*truncated = l.full;
	return rc;
}
