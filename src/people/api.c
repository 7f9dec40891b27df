/* api: the HTTP handlers of /api/v1/people. They parse, call the module's functions and
 * render; every read is audited (one row per search, one per record read) and every write
 * runs in one transaction with its audit row. A person outside the caller's scope is 404, as
 * a missing one. */
#include <stdlib.h>
#include <string.h>
#include "audit/audit.h"
#include "base/id.h"
#include "base/mask.h"
#include "base/norm.h"
#include "people/internal.h"

#define ROLES_READ   (FK_ROLES_PEOPLE | FK_R(RESIDENT))
#define ROLES_WRITE  FK_ROLES_PEOPLE
#define ROLES_IMPORT (FK_R(ADMIN) | FK_R(COMMANDER) | FK_R(COMMUNITY))
#define IMPORT_MAX   (256u << 20)

/* JSON detail text for an audit row, living in the request's arena. */
static const char *area_name(struct fk_req *req, int64_t area_id)
{
	const struct pp_area *a;

	if (pp_area_get(req->db, pp_cache_thread(), area_id, &a, NULL) < 0)
		return NULL;
	return fk_arena_strdup(req->arena, a->name);
}

static json_t *person_json(struct fk_req *req, const struct fk_person *p)
{
	return pp_person_json(p, req->who, area_name(req, p->area_id));
}

/* ---- reads ---- */

/* What the audit log keeps of a search value: ID numbers and phones masked as the list
 * masks them, since the log is read by roles that may not see them in full, and masked as the
 * number searched for (folded, spaces dropped, upper case), not as typed. */
static json_t *audit_value(const char *name, const char *v)
{
	char folded[300], out[64];
	size_t digits;

	if (strcmp(name, "phone") != 0 && strcmp(name, "id_number") != 0 && strcmp(name, "q") != 0)
		return json_string(v);
	if (fk_norm_id_number(v, folded, sizeof(folded), NULL) < 0)
		return json_string("");
	digits = strspn(folded, "0123456789");
	if (strcmp(name, "phone") == 0 ||
	    (strcmp(name, "q") == 0 && digits == 11 && folded[0] == '1'))
		return json_string(fk_mask_phone(folded, out, sizeof(out)));
	if (strcmp(name, "id_number") == 0 ||
	    (strcmp(name, "q") == 0 && strpbrk(folded, "0123456789")))
		return json_string(fk_mask_id(folded, out, sizeof(out)));
	return json_string(v);
}

static int parse_query(struct fk_req *req, struct fk_people_query *f, json_t *d, struct fk_err *err)
{
	static const char *const names[] = {"q", "name", "id_number", "phone", "tag", "area_id"};
	const char *v[6];
	int64_t limit;

	memset(f, 0, sizeof(*f));
	for (int i = 0; i < 6; i++) {
		v[i] = fk_req_query(req, names[i]);
		if (v[i] && strlen(v[i]) > 256)
			return fk_err_set(err, FK_EINVAL, "too_long", names[i], "参数 %s 过长",
					  "parameter %s is too long", names[i]);
		if (v[i] && *v[i])
			json_object_set_new(d, names[i], audit_value(names[i], v[i]));
	}
	*f = (struct fk_people_query){
	    .q = v[0], .name = v[1], .id_number = v[2], .phone = v[3], .tag = v[4]};
	if (v[5] && *v[5] && !fk_id_parse(v[5], &f->area_id))
		return fk_err_set(err, FK_EINVAL, "invalid_id", "area_id", "area_id 不是有效的编号",
				  "area_id is not a valid id");
	if (fk_req_query_int(req, "limit", 50, 1, 500, &limit, err) < 0)
		return FK_EINVAL;
	f->limit = (int)limit;
	f->cursor = fk_req_query(req, "cursor");
	return 0;
}

static int api_list(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct fk_audit_entry e = {.action = "people.search", .target_kind = "person"};
	struct fk_people_query f;
	struct fk_person_list l = {0};
	json_t *d = json_object(), *items;
	int rc = parse_query(req, &f, d, err);

	if (rc == 0)
		rc = fk_people_search(req->db, req->who, &f, &l, err);
	if (rc < 0) {
		json_decref(d);
		return rc;
	}
	json_object_set_new(d, "results", json_integer(l.n));
	e.detail = d;
	rc = fk_audit(req, &e, err);
	items = json_array();
	for (int i = 0; rc == 0 && i < l.n; i++)
		json_array_append_new(items, person_json(req, &l.items[i]));
	if (rc == 0)
		fk_resp_json(
		    resp, 200,
		    json_pack("{s:o, s:o}", "items", items, "next_cursor",
			      l.next_cursor[0] ? json_string(l.next_cursor) : json_null()));
	else
		json_decref(items);
	fk_person_list_release(&l);
	return rc;
}

static int api_get(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct fk_audit_entry e = {.action = "people.read", .target_kind = "person"};
	struct fk_person *p = fk_arena_alloc(req->arena, sizeof(*p));
	int64_t id;
	int rc = fk_req_param_id(req, "id", &id, err);

	if (rc == 0)
		rc = fk_person_get(req->db, req->who, id, p, err);
	e.target_id = id;
	if (rc == 0)
		rc = fk_audit(req, &e, err);
	if (rc == 0)
		fk_resp_json(resp, 200, person_json(req, p));
	return rc;
}

/* ---- writes ---- */

static const struct fk_field create_body[] = {
    {.name = "name", .type = FK_J_STRING, .required = true, .max_len = FK_PERSON_NAME_MAX * 4},
    {.name = "id_type", .type = FK_J_STRING, .nullable = true, .max_len = 64},
    {.name = "id_number", .type = FK_J_STRING, .required = true, .max_len = FK_NORM_TYPED_MAX},
    {.name = "phone", .type = FK_J_STRING, .nullable = true, .max_len = FK_NORM_TYPED_MAX},
    {.name = "sex", .type = FK_J_STRING, .nullable = true, .max_len = 16},
    {.name = "birth_date", .type = FK_J_STRING, .nullable = true, .max_len = 16},
    {.name = "area_id", .type = FK_J_ID, .required = true},
    {.name = "household",
     .type = FK_J_STRING,
     .nullable = true,
     .max_len = FK_PERSON_HOUSEHOLD_MAX * 4},
    {.name = "residence", .type = FK_J_STRING, .nullable = true, .max_len = 32},
    {.name = "tags", .type = FK_J_STRINGS, .nullable = true, .max_len = FK_PERSON_MAX_TAGS},
    {.name = "note", .type = FK_J_STRING, .nullable = true, .max_len = FK_PERSON_NOTE_MAX * 4},
    FK_FIELDS_END,
};

/* The same members, none required, and the version read last (optimistic locking). */
static const struct fk_field update_body[] = {
    {.name = "name", .type = FK_J_STRING, .max_len = FK_PERSON_NAME_MAX * 4},
    {.name = "id_type", .type = FK_J_STRING, .nullable = true, .max_len = 64},
    {.name = "id_number", .type = FK_J_STRING, .max_len = FK_NORM_TYPED_MAX},
    {.name = "phone", .type = FK_J_STRING, .nullable = true, .max_len = FK_NORM_TYPED_MAX},
    {.name = "sex", .type = FK_J_STRING, .nullable = true, .max_len = 16},
    {.name = "birth_date", .type = FK_J_STRING, .nullable = true, .max_len = 16},
    {.name = "area_id", .type = FK_J_ID},
    {.name = "household",
     .type = FK_J_STRING,
     .nullable = true,
     .max_len = FK_PERSON_HOUSEHOLD_MAX * 4},
    {.name = "residence", .type = FK_J_STRING, .nullable = true, .max_len = 32},
    {.name = "tags", .type = FK_J_STRINGS, .nullable = true, .max_len = FK_PERSON_MAX_TAGS},
    {.name = "note", .type = FK_J_STRING, .nullable = true, .max_len = FK_PERSON_NOTE_MAX * 4},
    {.name = "version", .type = FK_J_INT, .nullable = true, .min = 0, .max = INT32_MAX},
    FK_FIELDS_END,
};

static int body_text(json_t *b, const char *name, char *dst, size_t size, struct fk_err *err)
{
	const char *s;

	if (!fk_json_has(b, name))
		return 0;
	s = fk_json_str(b, name);
	return pp_copy(dst, size, s ? s : "", name, err);
}

static int body_tags(json_t *b, struct fk_person *p, struct fk_err *err)
{
	json_t *a = json_object_get(b, "tags"), *v;
	size_t i;
	int rc = 0;

	if (!fk_json_has(b, "tags"))
		return 0;
	p->ntags = 0;
	json_array_foreach(a, i, v)
	{
		if (p->ntags >= FK_PERSON_MAX_TAGS)
			return fk_err_set(err, FK_EINVAL, "too_many_tags", "tags",
					  "标签过多（最多 %d 个）", "too many tags (at most %d)",
					  FK_PERSON_MAX_TAGS);
		rc = pp_copy(p->tags[p->ntags++], sizeof(p->tags[0]), json_string_value(v), "tags",
			     err);
		if (rc < 0)
			return fk_err_set(err, FK_EINVAL, "unknown_tag", "tags", "未知的标签“%s”",
					  "unknown tag \"%s\"", json_string_value(v));
	}
	return 0;
}

static int body_id(json_t *b, struct fk_person *p, struct fk_err *err)
{
	const char *t = fk_json_str(b, "id_type");
	int type;

	if (!fk_json_has(b, "id_type"))
		return 0;
	type = fk_idtype_parse(t ? t : "");
	if (type < 0)
		return fk_err_set(err, FK_EINVAL, "invalid_id_type", "id_type", "证件类型“%s”无效",
				  "ID type \"%s\" is not valid", t);
	p->id_type = (enum fk_id_type)type;
	return 0;
}

/* Applies the members present in the body onto p (a new or a stored person). */
static int body_person(json_t *b, struct fk_person *p, struct fk_err *err)
{
	bool id_changed = fk_json_has(b, "id_number") || fk_json_has(b, "id_type");
	int rc = body_id(b, p, err);

	/* A new ID fixes sex and birth date afresh, unless they are given too. */
	if (id_changed && !fk_json_has(b, "sex") && p->id_type == FK_IDT_RESIDENT)
		p->sex = 0;
	if (id_changed && !fk_json_has(b, "birth_date") && p->id_type == FK_IDT_RESIDENT)
		p->birth_date[0] = '\0';
	if (rc == 0)
		rc = body_text(b, "name", p->name, sizeof(p->name), err);
	if (rc == 0 && fk_json_has(b, "id_number"))
		rc = fk_norm_id_number(fk_json_str(b, "id_number"), p->id_number,
				       sizeof(p->id_number), err);
	if (rc == 0 && fk_json_has(b, "phone"))
		rc = fk_norm_phone(fk_json_str(b, "phone"), p->phone, sizeof(p->phone), err);
	if (rc == 0 && fk_json_has(b, "sex"))
		rc = pp_sex_parse(fk_json_str(b, "sex"), &p->sex, err);
	if (rc == 0)
		rc = body_text(b, "birth_date", p->birth_date, sizeof(p->birth_date), err);
	if (rc == 0 && fk_json_has(b, "area_id"))
		p->area_id = fk_json_id(b, "area_id");
	if (rc == 0)
		rc = body_text(b, "household", p->household, sizeof(p->household), err);
	if (rc == 0)
		rc = body_text(b, "residence", p->residence, sizeof(p->residence), err);
	if (rc == 0)
		rc = body_tags(b, p, err);
	if (rc == 0)
		rc = body_text(b, "note", p->note, sizeof(p->note), err);
	return rc;
}

static int api_create(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct fk_audit_entry e = {.action = "people.create", .target_kind = "person"};
	struct fk_person *p = fk_arena_alloc(req->arena, sizeof(*p));
	int rc = body_person(req->body, p, err);

	if (rc == 0)
		rc = fk_audit_tx_begin(req, err);
	else
		return rc;
	rc = fk_person_create(req->db, req->who, p, err);
	e.target_id = p->id;
	rc = fk_audit_tx_end(req, rc, &e, err);
	if (rc == 0)
		fk_resp_json(resp, 201, person_json(req, p));
	return rc;
}

/* {"fields":[names given in the body]}: what a change touched, without the values. */
static json_t *changed_fields(json_t *body)
{
	json_t *names = json_array(), *v;
	const char *k;

	json_object_foreach(body, k, v)
	{
		json_array_append_new(names, json_string(k));
	}
	return json_pack("{s:o}", "fields", names);
}

static int api_update(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct fk_audit_entry e = {.action = "people.update", .target_kind = "person"};
	struct fk_person *p = fk_arena_alloc(req->arena, sizeof(*p));
	int64_t id, version = fk_json_int(req->body, "version", 0);
	int rc = fk_req_param_id(req, "id", &id, err);

	if (rc == 0)
		rc = fk_audit_tx_begin(req, err);
	if (rc < 0)
		return rc;
	rc = fk_person_get(req->db, req->who, id, p, err);
	if (rc == 0)
		rc = body_person(req->body, p, err);
	if (rc == 0)
		rc = fk_person_update(req->db, req->who, p, version, err);
	e.target_id = id;
	e.detail = changed_fields(req->body);
	rc = fk_audit_tx_end(req, rc, &e, err);
	if (rc == 0)
		fk_resp_json(resp, 200, person_json(req, p));
	return rc;
}

/* ---- import ---- */

static bool is_json(struct fk_req *req)
{
	const char *ct = fk_req_header(req, "Content-Type");
	return ct && strncmp(ct, "application/json", 16) == 0;
}

static int import_json(struct fk_req *req, int64_t area_id, struct fk_import_report *rep,
		       struct fk_err *err)
{
	static const struct fk_field spec[] = {
	    {.name = "rows", .type = FK_J_ARRAY, .required = true, .max_len = 10000000},
	    FK_FIELDS_END,
	};
	json_t *body = NULL;
	int rc = fk_json_parse_object(req->raw_body, req->raw_len, &body, err);

	if (rc == 0)
		rc = fk_json_check(body, spec, err);
	if (rc == 0)
		rc = fk_people_import_rows(req->db, json_object_get(body, "rows"), area_id,
					   req->who, rep, err);
	json_decref(body);
	return rc;
}

static int import_params(struct fk_req *req, int *enc, int64_t *area_id, struct fk_err *err)
{
	const char *es = fk_req_query(req, "encoding");
	const char *as = fk_req_query(req, "area_id");

	*enc = es && *es ? fk_csv_enc_parse(es) : FK_ENC_AUTO;
	*area_id = 0;
	if (*enc < 0)
		return fk_err_set(err, FK_EINVAL, "invalid_encoding", "encoding",
				  "未知的编码：%s（可用 auto、utf-8、gbk）",
				  "unknown encoding: %s (use auto, utf-8 or gbk)", es);
	if (as && *as && !fk_id_parse(as, area_id))
		return fk_err_set(err, FK_EINVAL, "invalid_id", "area_id", "area_id 不是有效的编号",
				  "area_id is not a valid id");
	return 0;
}

static int api_import(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct fk_audit_entry e = {.action = "people.import", .target_kind = "import"};
	struct fk_import_report rep;
	int64_t area_id;
	int enc, rc = import_params(req, &enc, &area_id, err);

	if (rc < 0)
		return rc;
	fk_report_init(&rep);
	if (is_json(req))
		rc = import_json(req, area_id, &rep, err);
	else
		rc = fk_people_import_csv(req->db, req->raw_body, req->raw_len,
					  (enum fk_csv_enc)enc, area_id, req->who, &rep, err);
	e.target_id = area_id;
	e.detail = json_pack("{s:I, s:I, s:I, s:I, s:I, s:s}", "total", (json_int_t)rep.total,
			     "created", (json_int_t)rep.created, "updated", (json_int_t)rep.updated,
			     "unchanged", (json_int_t)rep.unchanged, "failed",
			     (json_int_t)rep.failed, "result", rc == 0 ? "ok" : err->key);
	/* Batches already committed stay, so even a failed import is audited. */
	if (fk_audit(req, &e, rc == 0 ? err : NULL) < 0 && rc == 0)
		rc = err->code;
	if (rc == 0)
		fk_resp_json(resp, 200, fk_report_to_json(&rep, req->lang));
	fk_report_release(&rep);
	return rc;
}

const struct fk_route people_routes[] = {
    {.method = "GET",
     .path = "/api/v1/people",
     .fn = api_list,
     .roles = ROLES_READ,
     .summary =
	 "Search people in the caller's scope: q, name (prefix), id_number, phone, tag, area_id, "
	 "limit, cursor"},
    {.method = "POST",
     .path = "/api/v1/people",
     .fn = api_create,
     .roles = ROLES_WRITE,
     .body = create_body,
     .summary = "Register a person in an area of the caller's scope"},
    {.method = "POST",
     .path = "/api/v1/people/import",
     .fn = api_import,
     .roles = ROLES_IMPORT,
     .flags = FK_RF_RAW_BODY,
     .max_body = IMPORT_MAX,
     .summary = "Import people from CSV (text/csv, ?encoding=auto|utf-8|gbk&area_id=) or JSON rows "
		"(application/json {rows:[{header: value}]})"},
    {.method = "GET",
     .path = "/api/v1/people/{id}",
     .fn = api_get,
     .roles = ROLES_READ,
     .summary = "One person (audited); a resident reads only its own record"},
    {.method = "PATCH",
     .path = "/api/v1/people/{id}",
     .fn = api_update,
     .roles = ROLES_WRITE,
     .body = update_body,
     .summary = "Change a person's fields (optional version for optimistic locking)"},
    FK_ROUTES_END,
};
