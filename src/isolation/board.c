/* board: a facility's board — its rooms with today's occupants, occupancy, arrivals and
 * releases for the next days, and today's arrivals (with the transfers on their way) and
 * releases as placements. The figures carry no personal data; the lists are scoped. */
#include "isolation/internal.h"

static int day_count(struct fk_db *db, const char *sql, int64_t facility_id, const char *day,
		     int nday, int64_t *n, struct fk_err *err)
{
	int rc = nday == 2 ? fk_db_one_i64(db, err, n, sql, "itt", facility_id, day, day)
			   : fk_db_one_i64(db, err, n, sql, "it", facility_id, day);

	return rc < 0 ? rc : 0;
}

static int day_json(struct fk_db *db, int64_t facility_id, const char *day, json_t **out,
		    struct fk_err *err)
{
	int64_t occupied = 0, arrivals = 0, releases = 0;
	int rc = day_count(db,
			   "SELECT COUNT(*) FROM placements WHERE facility_id = ? AND status IN "
			   "('active', 'overdue') AND start_day <= ? AND end_day > ?",
			   facility_id, day, 2, &occupied, err);

	if (rc == 0)
		rc = day_count(db,
			       "SELECT COUNT(*) FROM placements WHERE facility_id = ? AND status "
			       "<> 'cancelled' AND start_day = ?",
			       facility_id, day, 1, &arrivals, err);
	if (rc == 0)
		rc = day_count(db,
			       "SELECT COUNT(*) FROM placements WHERE facility_id = ? AND status "
			       "<> 'cancelled' AND end_day = ?",
			       facility_id, day, 1, &releases, err);
	if (rc == 0)
		*out =
		    json_pack("{s:s, s:I, s:I, s:I}", "day", day, "occupied", (json_int_t)occupied,
			      "arrivals", (json_int_t)arrivals, "releases", (json_int_t)releases);
	return rc;
}

static int board_days(struct fk_db *db, int64_t facility_id, const char *today, int days,
		      json_t *out, struct fk_err *err)
{
	int rc = 0;

	for (int i = 0; rc == 0 && i < days; i++) {
		char day[IS_DAY];
		json_t *o;
		is_day_add(today, i, day);
		rc = day_json(db, facility_id, day, &o, err);
		if (rc == 0)
			json_array_append_new(out, o);
	}
	return rc;
}

static int board_lists(struct fk_db *db, const struct fk_principal *who, int64_t facility_id,
		       const char *today, json_t *o, struct fk_err *err)
{
	struct is_list_query arriving = {
	    .facility_id = facility_id, .arriving = today, .status = "active", .limit = 1000};
	struct is_list_query leaving = {
	    .facility_id = facility_id, .end_day = today, .limit = 1000};
	json_t *arrivals = json_array(), *releases = json_array();
	int64_t next;
	int rc = is_placement_list(db, who, &arriving, arrivals, &next, err);

	if (rc == 0)
		rc = is_placement_list(db, who, &leaving, releases, &next, err);
	json_object_set_new(o, "arrivals", arrivals);
	json_object_set_new(o, "releases", releases);
	return rc;
}

int is_board(struct fk_db *db, const struct fk_principal *who, const struct is_facility *f,
	     int days, json_t **out, struct fk_err *err)
{
	char today[IS_DAY];
	json_t *facility = NULL, *rooms = json_array(), *list = json_array();
	int rc = is_facility_json(db, f, &facility, err);

	is_day_today(today);
	if (rc == 0)
		rc = is_rooms_board(db, who, f->id, today, rooms, err);
	if (rc == 0)
		rc = board_days(db, f->id, today, days, list, err);
	*out = json_pack("{s:o?, s:s, s:o, s:o}", "facility", facility, "day", today, "rooms",
			 rooms, "days", list);
	if (rc == 0)
		rc = board_lists(db, who, f->id, today, *out, err);
	if (rc < 0) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}
