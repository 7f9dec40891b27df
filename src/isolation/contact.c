/* contact: a contact of a case placed in one step — its person and the reason its kind
 * gives, read and marked through the trace module's header. */
#include <string.h>
#include "trace/trace.h"
#include "isolation/internal.h"

int is_contact_take(struct fk_db *db, const struct fk_principal *who, struct is_place_req *r,
		    int64_t *case_id, struct fk_err *err)
{
	struct fk_trace_contact c;
	const char *reason;
	int rc = fk_trace_contact_get(db, who, r->contact_id, "contact_id", &c, err);

	if (rc < 0)
		return rc;
	reason = strcmp(c.kind, "close") == 0 ? "close_contact" : "secondary_contact";
	if (strcmp(c.status, "listed") != 0)
		return fk_err_set(err, FK_ECONFLICT, "contact_placed", "contact_id",
				  "该密接已安置或已转为病例",
				  "the contact is already placed or a case");
	if (r->reason && strcmp(r->reason, reason) != 0)
		return fk_err_set(err, FK_EINVAL, "invalid_reason", "reason", "密接的原因须为 %s",
				  "the reason of this contact must be %s", reason);
	r->reason = reason;
	r->person_id = c.person_id;
	*case_id = c.case_id;
	return 0;
}

int is_contact_placed(struct fk_db *db, int64_t id, int64_t placement_id, struct fk_err *err)
{
	return fk_trace_contact_placed(db, id, placement_id, err);
}
