/* run: a delivery run — the households of its building (the people module's household values
 * of the people who live there; under a door-to-door zone drawn inside the building, only the
 * households the zone covers), its rows, its JSON and the list. It reads the people table in
 * its own SQL, as a list over people does; the zone through platform/zone_rule.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/buf.h"
#include "base/clock.h"
#include "base/id.h"
#include "base/json.h"
#include "platform/module.h"
#include "deliveries/internal.h"

bool dl_run_visible(const struct dl_run *r, const struct fk_principal *who)
{
	char id[24], quoted[28];

	if (fk_scope_covers(who, r->area_path))
		return true;
	snprintf(quoted, sizeof(quoted), "\"%s\"", fk_id_format(who->user_id, id));
	return strstr(r->assignees, quoted) != NULL;
}

static void run_row(struct fk_q *q, struct dl_run *r)
{
	r->id = fk_q_i64(q, 0);
	r->area_id = fk_q_i64(q, 1);
	snprintf(r->area_path, sizeof(r->area_path), "%s", fk_q_text(q, 2));
	snprintf(r->area_name, sizeof(r->area_name), "%s", fk_q_text(q, 3));
	snprintf(r->day, sizeof(r->day), "%s", fk_q_text(q, 4));
	snprintf(r->assignees, sizeof(r->assignees), "%s", fk_q_text(q, 5));
	r->total = fk_q_i64(q, 6);
	r->done = fk_q_i64(q, 7);
	r->created_by = fk_q_i64(q, 8);
	r->created_at = fk_q_i64(q, 9);
}

#define RUN_COLS                                                                                   \
	"id, area_id, area_path, area_name, day, assignees, total, done, created_by, created_at"

int dl_run_get(struct fk_db *db, const struct fk_principal *who, int64_t id, struct dl_run *r,
	       struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q, "SELECT " RUN_COLS " FROM delivery_runs WHERE id = ?", err);

	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, id);
	rc = fk_q_step(q, err);
	if (rc > 0)
		run_row(q, r);
	fk_q_done(q);
	if (rc < 0)
		return rc;
	if (rc == 0 || !dl_run_visible(r, who))
		return fk_err_set(err, FK_ENOTFOUND, "run_not_found", "id", "没有该配送任务",
				  "there is no such delivery run");
	return 0;
}

/* ---- the households of a building ---- */

/* The paths of door-to-door zones drawn inside the building (not over it): the households
 * they cover are the run's. *paths (a new reference) is empty when a zone covers the whole
 * building, or none is drawn in it. */
static int zone_paths(struct fk_req *req, const char *building, json_t **paths, struct fk_err *err)
{
	struct fk_zone_rule z;
	json_t *all = json_array();
	size_t i, n = strlen(building);
	json_t *v;
	int rc = fk_zone_of(req->app, req->db, building, &z, err);

	*paths = json_array();
	if (rc == 0 && z.zone_id == 0)
		rc = fk_zone_door_paths(req->app, req->db, building, all, err);
	json_array_foreach(all, i, v)
	{
		const char *p = json_string_value(v);
		if (p && strlen(p) > n && strncmp(p, building, n) == 0)
			json_array_append(*paths, v);
	}
	json_decref(all);
	return rc;
}

static bool under_any(const char *path, json_t *paths)
{
	size_t i;
	json_t *v;

	if (json_array_size(paths) == 0)
		return true;
	json_array_foreach(paths, i, v)
	{
		const char *p = json_string_value(v);
		if (strncmp(path, p, strlen(p)) == 0)
			return true;
	}
	return false;
}

/* Adds to hh (an object: key -> {people_count}) the households of the people under building,
 * those under one of paths when it is not empty. */
static int building_households(struct fk_db *db, const char *building, json_t *paths, json_t *hh,
			       struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q,
			     "SELECT household, area_path FROM people WHERE area_path >= ? AND "
			     "area_path < ? AND household IS NOT NULL AND household <> ''",
			     err);

	if (rc < 0)
		return rc;
	fk_subtree_bind(building, q, 1);
	while ((rc = fk_q_step(q, err)) > 0) {
		const char *key = fk_q_text(q, 0);
		json_t *h = json_object_get(hh, key);
		if (!under_any(fk_q_text(q, 1), paths))
			continue;
		if (!h)
			json_object_set_new(hh, key, json_pack("{s:I}", "people_count", 1));
		else
			json_object_set_new(
			    h, "people_count",
			    json_integer(json_integer_value(json_object_get(h, "people_count")) +
					 1));
	}
	fk_q_done(q);
	return rc;
}

/* Keeps in hh only the households chosen (an array of keys): FK_EINVAL "unknown_household"
 * naming households for a key not in the building. */
static int keep_chosen(json_t *hh, json_t *chosen, struct fk_err *err)
{
	json_t *kept = json_object(), *v;
	size_t i;

	json_array_foreach(chosen, i, v)
	{
		json_t *h = json_object_get(hh, json_string_value(v));
		if (!h) {
			json_decref(kept);
			return fk_err_set(err, FK_EINVAL, "unknown_household", "households",
					  "该楼栋没有此户", "the building has no such household");
		}
		json_object_set(kept, json_string_value(v), h);
	}
	json_object_clear(hh);
	json_object_update(hh, kept);
	json_decref(kept);
	return 0;
}

/* ---- the insert ---- */

static int check_building(struct fk_req *req, int64_t area_id, struct fk_area *a,
			  struct fk_err *err)
{
	int rc = fk_area_get_in_scope(req->db, req->who, area_id, "area_id", a, err);

	if (rc == 0 && strcmp(a->kind, "building") != 0)
		rc = fk_err_set(err, FK_EINVAL, "not_a_building", "area_id", "配送任务须按楼栋",
				"a delivery run is for a building");
	return rc;
}

static int insert_households(struct fk_db *db, int64_t run_id, const char *building, json_t *hh,
			     struct fk_err *err)
{
	const char *key;
	json_t *h;
	int rc = 0;

	json_object_foreach(hh, key, h)
	{
		char address[512];
		snprintf(address, sizeof(address), "%s %s", building, key);
		rc = fk_db_write(db, err,
				 "INSERT INTO delivery_households (run_id, hkey, address, "
				 "people_count) VALUES (?, ?, ?, ?)",
				 "itti", run_id, key, address,
				 (int64_t)json_integer_value(json_object_get(h, "people_count")));
		if (rc < 0)
			break;
	}
	return rc;
}

static json_t *assignees_of(json_t *body)
{
	json_t *out = json_array(), *v;
	size_t i;
	char id[24];

	json_array_foreach(json_object_get(body, "assignees"), i, v)
	    json_array_append_new(out, json_string(fk_id_format(fk_json_id_value(v), id)));
	return out;
}

static int insert_run(struct fk_req *req, json_t *body, const struct fk_area *a, json_t *hh,
		      int64_t now, int64_t *id, struct fk_err *err)
{
	json_t *as = assignees_of(body);
	char *text = json_dumps(as, JSON_COMPACT);
	int rc;

	*id = fk_id_next();
	rc = fk_db_write(
	    req->db, err,
	    "INSERT INTO delivery_runs (id, area_id, area_path, area_name, day, "
	    "item_note, assignees, total, created_by, created_at) VALUES (?, ?, ?, ?, ?, "
	    "?, ?, ?, ?, ?)",
	    "iitttttiii", *id, a->id, a->path, a->name, fk_json_str(body, "day"),
	    fk_json_str(body, "item_note"), text, (int64_t)json_object_size(hh), req->who->user_id,
	    now);
	free(text);
	json_decref(as);
	if (rc == 0)
		rc = insert_households(req->db, *id, a->name, hh, err);
	return rc;
}

static int households_for(struct fk_req *req, json_t *body, const struct fk_area *a, json_t *hh,
			  struct fk_err *err)
{
	json_t *paths = NULL, *chosen = json_object_get(body, "households");
	int rc = zone_paths(req, a->path, &paths, err);

	if (rc == 0)
		rc = building_households(req->db, a->path, paths, hh, err);
	json_decref(paths);
	if (rc == 0 && json_is_array(chosen))
		rc = keep_chosen(hh, chosen, err);
	if (rc == 0 && json_object_size(hh) == 0)
		rc = fk_err_set(err, FK_EUNPROC, "no_households", "area_id",
				"该楼栋没有需配送的住户",
				"the building has no household to deliver to");
	return rc;
}

int dl_run_create(struct fk_req *req, json_t *body, int64_t now, int64_t *id, struct fk_err *err)
{
	struct fk_area a = {0};
	json_t *hh = json_object();
	int rc = fk_date_parse(fk_json_str(body, "day"), NULL, NULL, NULL) < 0
		     ? fk_err_set(err, FK_EINVAL, "invalid_day", "day", "日期须为 YYYY-MM-DD",
				  "the day must be YYYY-MM-DD")
		     : 0;

	if (rc == 0)
		rc = check_building(req, fk_json_id(body, "area_id"), &a, err);
	if (rc == 0)
		rc = households_for(req, body, &a, hh, err);
	if (rc == 0)
		rc = insert_run(req, body, &a, hh, now, id, err);
	json_decref(hh);
	fk_area_release(&a);
	return rc;
}

/* ---- JSON ---- */

static json_t *header_json(const struct dl_run *r)
{
	json_t *as = json_loads(r->assignees, 0, NULL);

	return json_pack("{s:o, s:o, s:s, s:s, s:s, s:I, s:I, s:o, s:o}", "id", fk_json_idv(r->id),
			 "area_id", fk_json_idv(r->area_id), "area_name", r->area_name, "day",
			 r->day, "status", r->done >= r->total ? "done" : "open", "done",
			 (json_int_t)r->done, "total", (json_int_t)r->total, "assignees",
			 as ? as : json_array(), "created_at", fk_json_timev(r->created_at));
}

int dl_run_json(struct fk_db *db, const struct dl_run *r, json_t **out, struct fk_err *err)
{
	json_t *o = header_json(r), *items = json_array();
	struct fk_q *q;
	int rc =
	    fk_db_query(db, &q,
			"SELECT hkey, address, people_count, outcome, note, photo IS NOT NULL, "
			"signed_at, signed_by, signed_by_name FROM delivery_households WHERE "
			"run_id = ? ORDER BY hkey",
			err);

	if (rc == 0) {
		fk_q_bind_i64(q, 1, r->id);
		while ((rc = fk_q_step(q, err)) > 0)
			json_array_append_new(items, dl_household_json(q));
		fk_q_done(q);
	}
	json_object_set_new(o, "households", items);
	if (rc < 0) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return 0;
}

#define LIST_SQL "SELECT " RUN_COLS " FROM delivery_runs WHERE area_path >= ? AND area_path < ?"
#define LIST_END " ORDER BY id DESC LIMIT 2000"

int dl_run_list(struct fk_db *db, const struct fk_principal *who, const char *under,
		const char *day, json_t **out, struct fk_err *err)
{
	struct fk_q *q;
	json_t *items = json_array();
	int rc =
	    fk_db_query(db, &q, day ? LIST_SQL " AND day = ?" LIST_END : LIST_SQL LIST_END, err);

	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	fk_subtree_bind(under ? under : "/", q, 1);
	if (day)
		fk_q_bind_text(q, 3, day);
	while ((rc = fk_q_step(q, err)) > 0 && json_array_size(items) < 200) {
		struct dl_run r;
		run_row(q, &r);
		if (dl_run_visible(&r, who))
			json_array_append_new(items, header_json(&r));
	}
	fk_q_done(q);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o}", "items", items);
	return 0;
}
