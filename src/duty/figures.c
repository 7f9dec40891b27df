/* figures: what the dashboard reads of duty — the staff on duty now at the places under a
 * path and the places short of their rule, counted off the on-duty board (du_now), which
 * reads the active places under the path and the shifts in force. */
#include <string.h>
#include "duty/internal.h"

int fk_duty_figures(struct fk_db *db, const char *path, int64_t at, struct fk_duty_figures *out,
		    struct fk_err *err)
{
	json_t *board = NULL, *place;
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = du_now(db, &path, 1, at, &board, err);
	if (rc < 0)
		return rc;
	json_array_foreach(json_object_get(board, "places"), i, place)
	{
		out->places++;
		out->on_duty += (int64_t)json_array_size(json_object_get(place, "on_duty"));
		if (json_is_true(json_object_get(place, "short")))
			out->short_places++;
	}
	json_decref(board);
	return 0;
}
