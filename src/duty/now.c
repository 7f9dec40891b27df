/* now: the on-duty-now board — every active place under the areas asked, who is on duty
 * there at a moment, what the place needs by the policies (staff per desk of a site, per
 * checkpoint, per facility) and whether it is short. Two reads per area: the places (through
 * their modules' headers) and the shifts running at that moment, matched in memory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/clock.h"
#include "base/json.h"
#include "base/xmalloc.h"
#include "duty/internal.h"

#define PER_DEF(k, d, zh, en, hzh, hen)                                                            \
	{                                                                                          \
		.key = "duty." k, .type = FK_POLICY_INT, .def = d, .min = 0, .max = 100,           \
		.label_zh = zh, .label_en = en, .help_zh = hzh, .help_en = hen                     \
	}

const struct fk_policy_def du_policies[] = {
    [DU_POL_PER_DESK] = PER_DEF(
	"staff_per_desk", "2", "采样点每个采样台的在岗人数", "Staff on duty per sampling desk",
	"采样点所需人数 = 此数 × 采样台数；不足即标为缺员",
	"A site needs this many times its desks; fewer on duty shows it short"),
    [DU_POL_PER_GATE] =
	PER_DEF("staff_per_gate", "2", "每个卡口的在岗人数", "Staff on duty per checkpoint",
		"卡口在岗人数少于此数即标为缺员", "A checkpoint with fewer on duty shows short"),
    [DU_POL_PER_FACILITY] = PER_DEF(
	"staff_per_facility", "4", "每个隔离场所的在岗人数", "Staff on duty per isolation facility",
	"隔离场所在岗人数少于此数即标为缺员", "A facility with fewer on duty shows short"),
    FK_POLICIES_END,
};

struct on_duty {
	int64_t shift_id, worker_id, place_id, ends_at;
	int kind;
	char worker_name[260];
};

static int place_cmp(const void *a, const void *b)
{
	const struct du_place *x = a, *y = b;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static void on_duty_row(struct fk_q *q, void *rec)
{
	struct on_duty *d = rec;
	const char *name = fk_q_text(q, 2);

	d->shift_id = fk_q_i64(q, 0);
	d->worker_id = fk_q_i64(q, 1);
	if (name)
		snprintf(d->worker_name, sizeof(d->worker_name), "%s", name);
	d->kind = du_kind_parse(fk_q_text(q, 3));
	d->place_id = fk_q_i64(q, 4);
	d->ends_at = fk_q_i64(q, 5);
}

/* The shifts under path running at at, appended to *all. */
static int on_duty_under(struct fk_db *db, const char *path, int64_t at, struct on_duty **all,
			 int *n, struct fk_err *err)
{
	char upper[FK_AREA_PATH_MAX + 5];
	struct on_duty *some = NULL;
	int got = 0;
	struct fk_q *q;
	int rc =
	    fk_db_query(db, &q,
			"SELECT id, worker_id, worker_name, place_kind, place_id, ends_at FROM "
			"shifts WHERE starts_at <= ? AND starts_at > ? AND ends_at > ? AND "
			"area_path >= ? AND area_path < ?",
			err);

	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, at);
	fk_q_bind_i64(q, 2, at - DU_SHIFT_MAX_MS);
	fk_q_bind_i64(q, 3, at);
	fk_q_bind_text(q, 4, path);
	fk_q_bind_text(q, 5, fk_prefix_upper(path, upper));
	rc = fk_q_collect(q, sizeof(*some), on_duty_row, (void **)&some, &got, err);
	if (rc == 0 && got > 0) {
		*all = fk_xrealloc(*all, (size_t)(*n + got) * sizeof(**all));
		memcpy(*all + *n, some, (size_t)got * sizeof(*some));
		*n += got;
	}
	free(some);
	return rc;
}

struct needs {
	int per_desk, per_gate, per_facility;
};

static json_t *place_json(const struct du_place *p, const struct needs *nd)
{
	int need = du_need(p->kind, p->desks, nd->per_desk, nd->per_gate, nd->per_facility);

	return json_pack("{s:s, s:o, s:s, s:s, s:o, s:[], s:i, s:i, s:b}", "kind",
			 du_kind_name(p->kind), "id", fk_json_idv(p->id), "name", p->name,
			 "area_name", p->area_name, "area_id", fk_json_idv(p->area_id), "on_duty",
			 "need", need, "desks", p->desks, "short", need > 0);
}

static void add_on_duty(json_t *place, const struct on_duty *d)
{
	json_t *list = json_object_get(place, "on_duty");
	int need = (int)json_integer_value(json_object_get(place, "need"));
	char iso[32];

	json_array_append_new(list, json_pack("{s:{s:o, s:s}, s:o, s:s}", "worker", "id",
					      fk_json_idv(d->worker_id), "name", d->worker_name,
					      "shift_id", fk_json_idv(d->shift_id), "ends_at",
					      fk_iso8601(d->ends_at, iso)));
	json_object_set_new(place, "short", json_boolean((int)json_array_size(list) < need));
}

static json_t *board_json(const struct du_place *p, int np, const struct on_duty *d, int nd,
			  const struct needs *needs, int64_t at)
{
	json_t *places = json_array();
	char iso[32];

	for (int i = 0; i < np; i++)
		json_array_append_new(places, place_json(&p[i], needs));
	for (int i = 0; i < nd; i++) {
		struct du_place key = {.kind = d[i].kind, .id = d[i].place_id};
		const struct du_place *hit = bsearch(&key, p, (size_t)np, sizeof(*p), place_cmp);
		if (hit) /* a place since made inactive is not on the board */
			add_on_duty(json_array_get(places, (size_t)(hit - p)), &d[i]);
	}
	return json_pack("{s:s, s:o}", "at", fk_iso8601(at, iso), "places", places);
}

static void read_needs(struct fk_db *db, struct needs *n)
{
	struct fk_policy_snap *s = fk_policy_snap(db);

	n->per_desk = (int)fk_policy_snap_i64(s, &du_policies[DU_POL_PER_DESK]);
	n->per_gate = (int)fk_policy_snap_i64(s, &du_policies[DU_POL_PER_GATE]);
	n->per_facility = (int)fk_policy_snap_i64(s, &du_policies[DU_POL_PER_FACILITY]);
	fk_policy_snap_release(s);
}

int du_now(struct fk_db *db, const char *const *paths, int npaths, int64_t at, json_t **out,
	   struct fk_err *err)
{
	struct du_place *p = NULL;
	struct on_duty *d = NULL;
	struct needs needs;
	int np = 0, nd = 0, rc = 0;

	*out = NULL;
	for (int i = 0; rc == 0 && i < npaths; i++)
		if (!du_path_covered(paths, npaths, i))
			rc = du_places_under(db, paths[i], &p, &np, err);
	for (int i = 0; rc == 0 && i < npaths; i++)
		if (!du_path_covered(paths, npaths, i))
			rc = on_duty_under(db, paths[i], at, &d, &nd, err);
	if (rc == 0) {
		read_needs(db, &needs);
		if (np > 1)
			qsort(p, (size_t)np, sizeof(*p), place_cmp);
		*out = board_json(p, np, d, nd, &needs, at);
	}
	free(p);
	free(d);
	return rc;
}
