/* render: a person as the API shows it — ID number and phone masked unless the caller's role
 * may see them (principal see_id / see_phone), age from the birth date in China's calendar. */
#include <string.h>
#include "base/clock.h"
#include "base/mask.h"
#include "people/internal.h"

static json_t *opt_str(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static json_t *age_json(const char *birth)
{
	int by, bm, bd, y, m, d;

	if (!birth || !*birth || fk_date_parse(birth, &by, &bm, &bd) < 0)
		return json_null();
	fk_date_today(&y, &m, &d);
	return json_integer(fk_age_years(by, bm, bd, y, m, d));
}

static json_t *tags_json(const struct fk_person *p)
{
	json_t *a = json_array();

	for (int i = 0; i < p->ntags; i++)
		json_array_append_new(a, json_string(p->tags[i]));
	return a;
}

json_t *pp_person_json(const struct fk_person *p, const struct fk_principal *who,
		       const char *area_name)
{
	bool see_id = who && who->see_id, see_phone = who && who->see_phone;
	char id[48], phone[32], sex[2] = {p->sex, '\0'};
	json_t *o = json_object(), *masked = json_object();

	if (!see_id)
		fk_mask_id(p->id_number, id, sizeof(id));
	if (!see_phone)
		fk_mask_phone(p->phone, phone, sizeof(phone));
	json_object_set_new(o, "id", fk_json_idv(p->id));
	json_object_set_new(o, "name", json_string(p->name));
	json_object_set_new(o, "id_type", json_string(fk_idtype_name(p->id_type)));
	json_object_set_new(o, "id_number", json_string(see_id ? p->id_number : id));
	json_object_set_new(o, "phone", opt_str(see_phone ? p->phone : phone));
	json_object_set_new(o, "sex", opt_str(sex));
	json_object_set_new(o, "birth_date", opt_str(p->birth_date));
	json_object_set_new(o, "age", age_json(p->birth_date));
	json_object_set_new(o, "area_id", fk_json_idv(p->area_id));
	json_object_set_new(o, "area_path", json_string(p->area_path));
	json_object_set_new(o, "area_name", opt_str(area_name));
	json_object_set_new(o, "household", opt_str(p->household));
	json_object_set_new(o, "residence", opt_str(p->residence));
	json_object_set_new(o, "tags", tags_json(p));
	json_object_set_new(o, "note", opt_str(p->note));
	json_object_set_new(o, "created_at", fk_json_timev(p->created_at));
	json_object_set_new(o, "updated_at", fk_json_timev(p->updated_at));
	json_object_set_new(o, "version", json_integer(p->version));
	json_object_set_new(masked, "id_number", json_boolean(!see_id));
	json_object_set_new(masked, "phone", json_boolean(!see_phone && p->phone[0]));
	json_object_set_new(o, "masked", masked);
	return o;
}
