/* person: the people of cases and contacts as the module shows them (ID number and phone
 * masked unless the role may see them, as every module shows a person), and the person an API
 * body names: one of the registry by person_id, or an unknown one registered in full through
 * the people module. */
#include <stdio.h>
#include <string.h>
#include "base/buf.h"
#include "base/mask.h"
#include "people/people.h"
#include "trace/internal.h"

json_t *tc_person_json(const struct fk_principal *who, struct fk_q *q, int col)
{
	const char *id = fk_q_text(q, col + 2), *phone = fk_q_text(q, col + 3);
	char mid[48], mphone[32];

	if (id && !who->see_id)
		id = fk_mask_id(id, mid, sizeof(mid));
	if (phone && !who->see_phone)
		phone = fk_mask_phone(phone, mphone, sizeof(mphone));
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "id", fk_json_idv(fk_q_i64(q, col)),
			 "name", fk_json_strv(fk_q_text(q, col + 1)), "id_number", fk_json_strv(id),
			 "phone", fk_json_strv(phone && *phone ? phone : NULL), "area_id",
			 fk_json_idv(fk_q_i64(q, col + 4)), "area_name",
			 fk_json_strv(fk_q_text(q, col + 5)));
}

static int person_known(struct fk_db *db, const struct fk_principal *who, int64_t id, int64_t *out,
			char *area_path, struct fk_err *err)
{
	struct fk_person p;
	int rc = id ? fk_person_get(db, who, id, &p, err) : FK_ENOTFOUND;

	if (rc == FK_ENOTFOUND)
		return fk_err_set(err, FK_ENOTFOUND, "person_not_found", "person_id", "人员不存在",
				  "the person does not exist");
	if (rc < 0)
		return rc;
	*out = p.id;
	fk_copy_text(area_path, FK_AREA_PATH_MAX, p.area_path);
	return 0;
}

static int person_new(struct fk_db *db, const struct fk_principal *who, json_t *o, int64_t *out,
		      char *area_path, struct fk_err *err)
{
	struct fk_person p;
	const char *name = fk_json_str(o, "name"), *id = fk_json_str(o, "id_number");
	const char *phone = fk_json_str(o, "phone");
	int rc;

	memset(&p, 0, sizeof(p));
	fk_copy_text(p.name, sizeof(p.name), name ? name : "");
	fk_copy_text(p.id_number, sizeof(p.id_number), id ? id : "");
	fk_copy_text(p.phone, sizeof(p.phone), phone ? phone : "");
	p.area_id = fk_json_id(o, "area_id");
	rc = fk_person_create(db, who, &p, err);
	if (rc < 0) {
		char field[sizeof(err->field) + 8];

		/* the fields are the person object's */
		snprintf(field, sizeof(field), "person.%s", err->field[0] ? err->field : "name");
		fk_copy_text(err->field, sizeof(err->field), field);
		return rc;
	}
	*out = p.id;
	fk_copy_text(area_path, FK_AREA_PATH_MAX, p.area_path);
	return 0;
}

int tc_person_pick(struct fk_db *db, const struct fk_principal *who, json_t *body, int64_t *id,
		   char *area_path, struct fk_err *err)
{
	json_t *o = json_object_get(body, "person");
	bool by_id =
	    fk_json_has(body, "person_id") && !json_is_null(json_object_get(body, "person_id"));

	if (by_id == json_is_object(o))
		return fk_err_set(err, FK_EINVAL, "person_required", "person_id",
				  "请给出 person_id 或 person（二者取一）",
				  "give person_id or person (one of them)");
	if (by_id)
		return person_known(db, who, fk_json_id(body, "person_id"), id, area_path, err);
	return person_new(db, who, o, id, area_path, err);
}
