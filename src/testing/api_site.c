/* api_site: the HTTP handlers of /api/v1/sites — sampling sites, the areas each serves, the
 * registrars bound to it (by usernames or user ids) and the registrar accounts it may bind.
 * Writes run in one transaction with their audit row. */
#include <string.h>
#include "base/id.h"
#include "testing/internal.h"

#define REGISTRARS_MAX	 100 /* bound to one site */
#define CANDIDATES_LIMIT 20  /* a page of registrar candidates, unless ?limit= says */
#define CANDIDATES_MAX	 100
#define CANDIDATE_Q_MAX	 64 /* bytes of ?q= */

const struct fk_field tr_site_create_body[] = {
    {.name = "area_id", .type = FK_J_ID, .required = true},
    {.name = "code", .type = FK_J_STRING, .required = true, .max_len = 64},
    {.name = "name", .type = FK_J_STRING, .required = true, .max_len = FK_AREA_NAME_MAX * 4},
    {.name = "kind", .type = FK_J_STRING, .nullable = true, .max_len = 16},
    {.name = "desks",
     .type = FK_J_INT,
     .nullable = true,
     .min = 1,
     .max = 200,
     .range_key = "invalid_desks"},
    {.name = "hours", .type = FK_J_STRING, .nullable = true, .max_len = 128 * 4},
    FK_LAT_FIELD("invalid_point"),
    FK_LNG_FIELD("invalid_point"),
    {.name = "active", .type = FK_J_BOOL, .nullable = true},
    {.name = "area_ids", .type = FK_J_IDS, .nullable = true, .max_len = 1000},
    FK_FIELDS_END,
};

const struct fk_field tr_site_update_body[] = {
    {.name = "area_id", .type = FK_J_ID},
    {.name = "code", .type = FK_J_STRING, .max_len = 64},
    {.name = "name", .type = FK_J_STRING, .max_len = FK_AREA_NAME_MAX * 4},
    {.name = "kind", .type = FK_J_STRING, .max_len = 16},
    {.name = "desks", .type = FK_J_INT, .min = 1, .max = 200, .range_key = "invalid_desks"},
    {.name = "hours", .type = FK_J_STRING, .nullable = true, .max_len = 128 * 4},
    FK_LAT_FIELD("invalid_point"),
    FK_LNG_FIELD("invalid_point"),
    {.name = "active", .type = FK_J_BOOL},
    FK_FIELDS_END,
};

const struct fk_field tr_site_areas_body[] = {
    {.name = "area_ids", .type = FK_J_IDS, .required = true, .max_len = 1000},
    FK_FIELDS_END,
};

/* Exactly one of the two: checked by the handler, which names the member at fault. */
const struct fk_field tr_site_registrars_body[] = {
    {.name = "user_ids", .type = FK_J_IDS, .max_len = REGISTRARS_MAX},
    {.name = "usernames", .type = FK_J_STRINGS, .max_len = REGISTRARS_MAX},
    FK_FIELDS_END,
};

static void copy_str(json_t *b, const char *name, char *dst, size_t size)
{
	const char *s = fk_json_str(b, name);

	if (fk_json_has(b, name))
		snprintf(dst, size, "%s", s ? s : "");
}

static double number(json_t *b, const char *name)
{
	return json_number_value(json_object_get(b, name));
}

/* Applies the members present in the body onto s (a new or a stored site). */
static void body_site(json_t *b, struct tr_site *s)
{
	if (fk_json_has(b, "area_id"))
		s->area_id = fk_json_id(b, "area_id");
	copy_str(b, "code", s->code, sizeof(s->code));
	copy_str(b, "name", s->name, sizeof(s->name));
	copy_str(b, "kind", s->kind, sizeof(s->kind));
	copy_str(b, "hours", s->hours, sizeof(s->hours));
	if (fk_json_has(b, "desks") && !json_is_null(json_object_get(b, "desks")))
		s->desks = (int)(fk_json_int(b, "desks", 0) > 100000 ? 100000
								     : fk_json_int(b, "desks", 0));
	if (fk_json_has(b, "active") && !json_is_null(json_object_get(b, "active")))
		s->active = json_is_true(json_object_get(b, "active"));
	if (fk_json_has(b, "lat") || fk_json_has(b, "lng")) {
		s->has_point = json_is_number(json_object_get(b, "lat")) &&
			       json_is_number(json_object_get(b, "lng"));
		s->lat = number(b, "lat");
		s->lng = number(b, "lng");
	}
}

static int ids_of(struct fk_req *req, const char *name, int64_t **out, int *n)
{
	json_t *a = json_object_get(req->body, name), *v;
	size_t i;

	*n = (int)json_array_size(a);
	*out = fk_arena_alloc(req->arena, sizeof(int64_t) * (size_t)(*n + 1));
	json_array_foreach(a, i, v)
	{
		(*out)[i] = fk_json_id_value(v);
	}
	return 0;
}

static int reply_site(struct fk_req *req, struct fk_resp *resp, int status, int64_t id,
		      struct fk_err *err)
{
	struct tr_site s;
	json_t *o;
	int rc = tr_site_get(req->db, NULL, id, &s, err);

	if (rc == 0)
		rc = tr_site_json(req->db, &s, &o, err);
	if (rc == 0)
		fk_resp_json(resp, status, o);
	return rc;
}

static int audit_end(struct fk_req *req, int rc, const char *action, const struct tr_site *s,
		     struct fk_err *err)
{
	struct fk_audit_entry e = {.action = action, .target_kind = "site", .target_id = s->id};

	e.detail = json_pack("{s:s, s:s}", "code", s->code, "name", s->name);
	return fk_audit_tx_end(req, rc, &e, err);
}

int tr_api_site_create(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct tr_site *s = fk_arena_alloc(req->arena, sizeof(*s));
	int64_t *ids;
	int n, rc;

	*s = (struct tr_site){.kind = "fixed", .desks = 1, .active = true};
	body_site(req->body, s);
	ids_of(req, "area_ids", &ids, &n);
	rc = fk_audit_tx_begin(req, err);
	if (rc < 0)
		return rc;
	rc = tr_site_save(req->db, req->who, s, true, err);
	if (rc == 0 && n > 0)
		rc = tr_site_set_areas(req->db, req->who, s->id, ids, n, err);
	rc = audit_end(req, rc, "site.create", s, err);
	return rc < 0 ? rc : reply_site(req, resp, 201, s->id, err);
}

/* The site of the path, in the caller's scope (404 otherwise), for a change. */
static int path_site(struct fk_req *req, struct tr_site *s, struct fk_err *err)
{
	int64_t id;
	int rc = fk_req_param_id(req, "id", &id, err);

	if (rc == 0)
		rc = tr_site_get(req->db, req->who, id, s, err);
	return rc;
}

int tr_api_site_get(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct tr_site *s = fk_arena_alloc(req->arena, sizeof(*s));
	json_t *o;
	int rc = path_site(req, s, err);

	if (rc == 0)
		rc = tr_site_json(req->db, s, &o, err);
	if (rc == 0)
		fk_resp_json(resp, 200, o);
	return rc;
}

int tr_api_site_list(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	const char *under;
	json_t *items = json_array();
	int rc = fk_req_area_under(req, "area_id", &under, err);

	if (rc == 0)
		rc = tr_site_list(req->db, req->who, under, items, err);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	fk_resp_json(resp, 200, json_pack("{s:o}", "items", items));
	return 0;
}

int tr_api_site_update(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct tr_site *s = fk_arena_alloc(req->arena, sizeof(*s));
	int rc = fk_audit_tx_begin(req, err);

	if (rc < 0)
		return rc;
	rc = path_site(req, s, err);
	if (rc == 0) {
		body_site(req->body, s);
		rc = tr_site_save(req->db, req->who, s, false, err);
	}
	rc = audit_end(req, rc, "site.update", s, err);
	return rc < 0 ? rc : reply_site(req, resp, 200, s->id, err);
}

int tr_api_site_areas(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct tr_site *s = fk_arena_alloc(req->arena, sizeof(*s));
	int64_t *ids;
	int n, rc = fk_audit_tx_begin(req, err);

	if (rc < 0)
		return rc;
	ids_of(req, "area_ids", &ids, &n);
	rc = path_site(req, s, err);
	if (rc == 0)
		rc = tr_site_set_areas(req->db, req->who, s->id, ids, n, err);
	rc = audit_end(req, rc, "site.areas", s, err);
	return rc < 0 ? rc : reply_site(req, resp, 200, s->id, err);
}

static void names_of(struct fk_req *req, struct tr_registrar_pick *p)
{
	json_t *a = json_object_get(req->body, "usernames"), *v;
	const char **l;
	size_t i;

	p->n = (int)json_array_size(a);
	l = fk_arena_alloc(req->arena, sizeof(*l) * (size_t)(p->n + 1));
	json_array_foreach(a, i, v)
	{
		l[i] = json_string_value(v);
	}
	p->names = l;
}

/* The registrars of the body: user_ids or usernames, never both nor neither. */
static int registrar_pick(struct fk_req *req, struct tr_registrar_pick *p, struct fk_err *err)
{
	bool by_id = fk_json_has(req->body, "user_ids");
	bool by_name = fk_json_has(req->body, "usernames");
	int64_t *ids;

	if (by_id && by_name)
		return fk_err_set(err, FK_EUNPROC, "both_user_ids_and_usernames", "user_ids",
				  "user_ids 与 usernames 只能给出其一",
				  "give either user_ids or usernames, not both");
	if (!by_id && !by_name)
		return fk_err_set(err, FK_EUNPROC, "missing_usernames", "usernames",
				  "请给出登记员的用户名 usernames（或用户编号 user_ids）",
				  "give the registrars' usernames (or their user_ids)");
	*p = (struct tr_registrar_pick){.field = by_id ? "user_ids" : "usernames", .who = req->who};
	if (by_name) {
		names_of(req, p);
		return 0;
	}
	ids_of(req, "user_ids", &ids, &p->n);
	p->ids = ids;
	return 0;
}

static int audit_registrars(struct fk_req *req, int rc, const struct tr_site *s,
			    const struct tr_registrar_pick *p, struct fk_err *err)
{
	struct fk_audit_entry e = {
	    .action = "site.registrars", .target_kind = "site", .target_id = s->id};
	json_t *who = json_array();

	for (int i = 0; i < p->n; i++)
		json_array_append_new(who,
				      p->names ? json_string(p->names[i]) : fk_json_idv(p->ids[i]));
	e.detail = json_pack("{s:s, s:s, s:o}", "code", s->code, "name", s->name, p->field, who);
	return fk_audit_tx_end(req, rc, &e, err);
}

int tr_api_site_registrars(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct tr_site *s = fk_arena_alloc(req->arena, sizeof(*s));
	struct tr_registrar_pick p;
	int rc = registrar_pick(req, &p, err);

	if (rc == 0)
		rc = fk_audit_tx_begin(req, err);
	if (rc < 0)
		return rc;
	rc = path_site(req, s, err);
	if (rc == 0)
		rc = tr_site_set_registrars(req->db, s, &p, err);
	rc = audit_registrars(req, rc, s, &p, err);
	return rc < 0 ? rc : reply_site(req, resp, 200, s->id, err);
}

static const char *query_or_null(struct fk_req *req, const char *name)
{
	const char *v = fk_req_query(req, name);

	return v && *v ? v : NULL;
}

static int candidate_query(struct fk_req *req, struct tr_candidate_query *f, struct fk_err *err)
{
	int64_t limit;

	if (fk_req_query_int(req, "limit", CANDIDATES_LIMIT, 1, CANDIDATES_MAX, &limit, err) < 0)
		return FK_EINVAL;
	f->limit = (int)limit;
	f->q = query_or_null(req, "q");
	f->cursor = query_or_null(req, "cursor");
	if (f->q && strlen(f->q) > CANDIDATE_Q_MAX)
		return fk_err_set(err, FK_EINVAL, "too_long", "q", "q 最长 %d 字节",
				  "q must be at most %d bytes long", CANDIDATE_Q_MAX);
	return 0;
}

int tr_api_site_candidates(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct tr_site *s = fk_arena_alloc(req->arena, sizeof(*s));
	struct tr_candidate_query f = {0};
	char next[sizeof(((struct fk_principal *)0)->username)];
	json_t *items;
	int rc = path_site(req, s, err);

	if (rc == 0)
		rc = candidate_query(req, &f, err);
	if (rc < 0)
		return rc;
	f.site_path = s->area_path;
	items = json_array();
	rc = tr_registrar_candidates(req->db, &f, items, next, sizeof(next), err);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	fk_resp_json(resp, 200,
		     json_pack("{s:o, s:o}", "items", items, "next_cursor",
			       next[0] ? json_string(next) : json_null()));
	return 0;
}
