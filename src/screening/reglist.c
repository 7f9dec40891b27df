/* reglist: a campaign's registrations as staff see them, in their scope (the registration's
 * address), with the person of the registry they name (the people module's people and the
 * area module's areas read in this module's own SQL, as the list shows their names) and the
 * plan's call days. ID numbers and phones are masked unless the caller's role may see them. */
#include <string.h>
#include "base/json.h"
#include "base/mask.h"
#include "screening/internal.h"

#define REG_SELECT                                                                                 \
	"SELECT r.id, r.person_id, pe.name, pe.id_number, pe.phone, pe.area_id, pa.name, "         \
	"r.from_place, r.arrived_day, r.travel_code, r.address_detail, r.key_person, "             \
	"r.registered_by, r.matched, r.created_at, pl.call_days, r.area_id, ra.name, "             \
	"r.campaign_id, pe.area_path FROM screening_registrations r JOIN people pe ON pe.id = "    \
	"r.person_id "                                                                             \
	"JOIN areas pa ON pa.id = pe.area_id JOIN areas ra ON ra.id = r.area_id LEFT JOIN "        \
	"screening_plans pl ON pl.registration_id = r.id WHERE "

/* The person as the list shows them. A person linked by ID number may live outside the
 * caller's scope: their home (area) is then left out, as for anyone out of scope. */
static json_t *person_json(const struct fk_principal *who, struct fk_q *q)
{
	const char *id = fk_q_text(q, 3), *phone = fk_q_text(q, 4);
	bool home = fk_scope_covers(who, fk_q_text(q, 19));
	char mid[48], mphone[32];

	fk_mask_id(id ? id : "", mid, sizeof(mid));
	fk_mask_phone(phone ? phone : "", mphone, sizeof(mphone));
	return json_pack("{s:o, s:s, s:s, s:s, s:b, s:o, s:o}", "id", fk_json_idv(fk_q_i64(q, 1)),
			 "name", fk_q_text(q, 2), "id_number", who->see_id ? (id ? id : "") : mid,
			 "phone", who->see_phone ? (phone ? phone : "") : mphone, "masked",
			 !who->see_id, "area_id", home ? fk_json_idv(fk_q_i64(q, 5)) : json_null(),
			 "area_name", home ? fk_json_strv(fk_q_text(q, 6)) : json_null());
}

static json_t *plan_json(const char *days)
{
	json_error_t e;
	json_t *a = days ? json_loads(days, 0, &e) : NULL;

	return a ? json_pack("{s:o}", "call_days", a) : json_null();
}

static json_t *item_json(const struct fk_principal *who, struct fk_q *q)
{
	return json_pack("{s:o, s:o, s:o, s:o, s:s, s:s, s:s, s:s, s:b, s:o, s:s, s:s, s:o, s:o}",
			 "id", fk_json_idv(fk_q_i64(q, 0)), "campaign_id",
			 fk_json_idv(fk_q_i64(q, 18)), "person", person_json(who, q), "area_id",
			 fk_json_idv(fk_q_i64(q, 16)), "area_name", fk_q_text(q, 17), "from_place",
			 fk_q_text(q, 7), "arrived_day", fk_q_text(q, 8), "travel_code",
			 fk_q_text(q, 9), "key_person", fk_q_i64(q, 11) != 0, "plan",
			 plan_json(fk_q_text(q, 15)), "registered_by", fk_q_text(q, 12), "matched",
			 fk_q_text(q, 13), "created_at", fk_json_timev(fk_q_i64(q, 14)),
			 "address_detail", fk_json_strv(fk_q_text(q, 10)));
}

int sc_registration_list(struct fk_db *db, const struct fk_principal *who,
			 const struct sc_reg_query *rq, json_t *items, struct fk_err *err)
{
	const struct fk_scoped_query sq = {.head = REG_SELECT
					   "r.campaign_id = ? AND (? = 0 OR r.key_person = 1) AND ",
					   .nhead = 2,
					   .col = "r.area_path",
					   .under = rq->under,
					   .tail = " ORDER BY r.id DESC LIMIT 2000"};
	struct fk_q *q;
	int i, rc = fk_scoped_query(db, who, &sq, &q, &i, err);

	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, rq->campaign_id);
	fk_q_bind_i64(q, 2, rq->key_only ? 1 : 0);
	while ((rc = fk_q_step(q, err)) > 0)
		json_array_append_new(items, item_json(who, q));
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

int sc_registration_one(struct fk_db *db, const struct fk_principal *who, int64_t id, json_t **out,
			struct fk_err *err)
{
	const struct fk_scoped_query sq = {
	    .head = REG_SELECT "r.id = ? AND ", .nhead = 1, .col = "r.area_path"};
	struct fk_q *q;
	int i, rc = fk_scoped_query(db, who, &sq, &q, &i, err);

	*out = NULL;
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, id);
	if ((rc = fk_q_step(q, err)) > 0)
		*out = item_json(who, q);
	fk_q_done(q);
	if (rc == 0)
		return fk_err_set(err, FK_ENOTFOUND, "registration_not_found", NULL, "没有该登记",
				  "there is no such registration");
	return rc < 0 ? rc : 0;
}
