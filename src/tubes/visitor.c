/* visitor: who a scan names, and people added at the desk. A registrar scans a resident's
 * sampling code, or types (or wedge-scans) an ID number; someone not in the register is added
 * as a visitor resident after an ID check, filed in the site's area, and scanned like anyone
 * else. Every lookup runs within the registrar's scope, through the people module. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "base/idcard.h"
#include "base/norm.h"
#include "base/utf8.h"
#include "tubes/internal.h"

static void from_person(const struct fk_person *p, struct tb_person *out)
{
	memset(out, 0, sizeof(*out));
	out->id = p->id;
	out->area_id = p->area_id;
	snprintf(out->name, sizeof(out->name), "%s", p->name);
	snprintf(out->id_number, sizeof(out->id_number), "%s", p->id_number);
	snprintf(out->area_path, sizeof(out->area_path), "%s", p->area_path);
}

/* What a scan needs of a person, by id, inside who's scope (the scan's hot path: one row by
 * its key, the scope checked on the path read). */
static int person_by_id(struct fk_db *db, const struct fk_principal *who, int64_t id,
			struct tb_person *out, struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(
	    db, &q, "SELECT id, area_id, name, id_number, area_path FROM people WHERE id = ?", err);

	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, id);
	rc = fk_q_step(q, err);
	if (rc > 0 && fk_scope_covers(who, fk_q_text(q, 4))) {
		memset(out, 0, sizeof(*out));
		out->id = fk_q_i64(q, 0);
		out->area_id = fk_q_i64(q, 1);
		fk_copy_text(out->name, sizeof(out->name), fk_q_text(q, 2));
		fk_copy_text(out->id_number, sizeof(out->id_number), fk_q_text(q, 3));
		fk_copy_text(out->area_path, sizeof(out->area_path), fk_q_text(q, 4));
	} else if (rc > 0) {
		rc = 0;
	}
	fk_q_done(q);
	return rc < 0 ? rc : rc == 0 ? FK_ENOTFOUND : 0;
}

static int unknown_person(struct fk_err *err, const char *field)
{
	return fk_err_set(err, FK_ENOTFOUND, "unknown_person", field,
			  "查无此人（或不在您的管辖范围内）：请核对，或作为外来人员登记",
			  "no such person (or outside your areas): check, or add as a visitor");
}

/* The number as stored (base/norm.h: full-width forms folded, spaces dropped, upper case);
 * what is left must be letters and digits. */
static int norm_id(const char *in, char *out, size_t size, struct fk_err *err)
{
	if (fk_norm_id_number(in, out, size, NULL) < 0)
		goto bad;
	if (!out[0])
		return fk_err_set(err, FK_EINVAL, "invalid_id_number", "id_number", "证件号码为空",
				  "the ID number is empty");
	for (const char *s = out; *s; s++) {
		if (!isalnum((unsigned char)*s))
			goto bad;
	}
	return 0;
bad:
	return fk_err_set(err, FK_EINVAL, "invalid_id_number", "id_number", "证件号码无效",
			  "the ID number is not valid");
}

/* The person with this ID number (any ID type; a resident ID first), within who's scope.
 * 1 = found, 0 = none. */
static int by_id_number(struct fk_db *db, const struct fk_principal *who, const char *number,
			struct fk_person *out, struct fk_err *err)
{
	struct fk_people_query f = {.id_number = number, .limit = 10};
	struct fk_person_list l = {0};
	int found = 0, rc = fk_people_search(db, who, &f, &l, err);

	for (int i = 0; rc == 0 && i < l.n; i++) {
		if (strcmp(l.items[i].id_number, number) != 0)
			continue;
		if (!found || l.items[i].id_type == FK_IDT_RESIDENT)
			*out = l.items[i];
		found = 1;
	}
	fk_person_list_release(&l);
	return rc < 0 ? rc : found;
}

int tb_person_get(struct fk_db *db, const struct fk_principal *who, int64_t id,
		  struct tb_person *out, struct fk_err *err)
{
	int rc = person_by_id(db, who, id, out, err);

	return rc == FK_ENOTFOUND ? unknown_person(err, "person_code") : rc;
}

int tb_person_by_number(struct fk_db *db, const struct fk_principal *who, const char *id_number,
			struct tb_person *out, struct fk_err *err)
{
	struct fk_person p;
	char number[40];
	int rc = norm_id(id_number, number, sizeof(number), err);

	if (rc == 0)
		rc = by_id_number(db, who, number, &p, err);
	if (rc == 0)
		return unknown_person(err, "id_number");
	if (rc > 0)
		from_person(&p, out);
	return rc > 0 ? 0 : rc;
}

/* ---- visitors ---- */

static int visitor_fill(const struct tb_visitor *v, int64_t area_id, struct fk_person *p,
			struct fk_err *err)
{
	int type = fk_idtype_parse(v->id_type);

	memset(p, 0, sizeof(*p));
	if (type < 0)
		return fk_err_set(err, FK_EINVAL, "invalid_id_type", "id_type", "证件类型“%s”无效",
				  "ID type \"%s\" is not valid", v->id_type);
	if (fk_idcard_parse((enum fk_id_type)type, v->id_number, NULL, err) < 0)
		return FK_EINVAL;
	p->id_type = (enum fk_id_type)type;
	p->area_id = area_id;
	snprintf(p->residence, sizeof(p->residence), "visitor");
	if (fk_norm_id_number(v->id_number, p->id_number, sizeof(p->id_number), err) < 0 ||
	    fk_norm_phone(v->phone, p->phone, sizeof(p->phone), err) < 0)
		return FK_EINVAL;
	if (snprintf(p->name, sizeof(p->name), "%s", v->name) >= (int)sizeof(p->name) ||
	    snprintf(p->household, sizeof(p->household), "%s", v->household ? v->household : "") >=
		(int)sizeof(p->household))
		return fk_err_set(err, FK_EINVAL, "too_long", "name", "字段过长",
				  "a field is too long");
	fk_utf8_trim(p->name);
	if (!p->name[0])
		return fk_err_set(err, FK_EINVAL, "missing_field", "name", "请填写姓名",
				  "the name is required");
	return 0;
}

int tb_visitor_register(struct fk_db *db, const struct fk_principal *who, const char *code,
			const struct tb_visitor *v, struct tb_person *out, bool *created,
			struct fk_err *err)
{
	struct fk_person p;
	struct tb_tube t;
	struct fk_site_desk s;
	struct fk_idcard card;
	int rc = tb_tube_read(db, who, code, &t, err);
	int type = fk_idtype_parse(v->id_type);

	*created = false;
	if (rc == 0)
		rc = tb_site_read(db, who, t.site_id, &s, err);
	if (rc == FK_ENOTFOUND)
		rc = fk_err_set(err, FK_ENOTFOUND, "unknown_tube", "code", "试管 %.40s 不存在",
				"there is no tube %.40s", code);
	if (rc == 0)
		rc = visitor_fill(v, v->area_id ? v->area_id : s.area_id, &p, err);
	if (rc < 0)
		return rc;
	/* Someone already registered (by this ID) is scanned as they are. */
	if (fk_idcard_parse((enum fk_id_type)type, v->id_number, &card, NULL) == 0)
		rc = by_id_number(db, who, card.number, &p, err);
	if (rc > 0) {
		from_person(&p, out);
		return 0;
	}
	if (rc == 0)
		rc = fk_person_create(db, who, &p, err);
	if (rc == 0) {
		from_person(&p, out);
		*created = true;
	}
	return rc;
}
