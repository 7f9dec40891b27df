/* demo_shapes: simple synthetic shapes for the demo district, so the dashboard's map has
 * something to draw without a survey: the district a rectangle, its streets side-by-side
 * strips, each street's ten communities a 2 x 5 block of rectangles inside it, and each
 * community's ten grids a 2 x 5 block inside that. Buildings get no shape. */
#include <stdio.h>
#include <jansson.h>
#include "area/area.h"
#include "cmd/demo_int.h"

#define LNG0	 120.40 /* the district's south-west corner */
#define LAT0	 36.05
#define STREET_W 0.10 /* degrees of longitude per street */
#define HEIGHT	 0.30 /* degrees of latitude of the district */

struct rect {
	double x0, y0, x1, y1;
};

static json_t *polygon(const struct rect *r)
{
	return json_pack("{s:s, s:[[[f,f],[f,f],[f,f],[f,f],[f,f]]]}", "type", "Polygon",
			 "coordinates", r->x0, r->y0, r->x1, r->y0, r->x1, r->y1, r->x0, r->y1,
			 r->x0, r->y0);
}

/* The i-th of ten cells of r, two columns by five rows, south to north. */
static struct rect cell(const struct rect *r, int i)
{
	double w = (r->x1 - r->x0) / 2, h = (r->y1 - r->y0) / 5;
	struct rect c = {r->x0 + (i % 2) * w, r->y0 + (i / 2) * h, 0, 0};

	c.x1 = c.x0 + w;
	c.y1 = c.y0 + h;
	return c;
}

static int shape(struct fk_db *db, const char *code, const struct rect *r, struct fk_err *err)
{
	struct fk_area a = {0};
	json_t *g;
	int rc = fk_area_get_by_code(db, code, &a, err);

	fk_area_release(&a);
	if (rc < 0)
		return rc;
	g = polygon(r);
	rc = fk_area_geometry_set(db, a.id, g, err);
	json_decref(g);
	return rc;
}

static int community_shapes(struct fk_db *db, const char *ccode, const struct rect *cr,
			    struct fk_err *err)
{
	char code[40];
	int rc = shape(db, ccode, cr, err);

	for (int g = 0; rc == 0 && g < FK_DEMO_FANOUT; g++) {
		struct rect gr = cell(cr, g);
		snprintf(code, sizeof(code), "%.24sG%02d", ccode, g + 1);
		rc = shape(db, code, &gr, err);
	}
	return rc;
}

int demo_shapes_create(struct fk_db *db, struct fk_err *err)
{
	struct rect d = {LNG0, LAT0, LNG0 + FK_DEMO_STREETS * STREET_W, LAT0 + HEIGHT};
	char code[40], ccode[40];
	int rc = shape(db, FK_DEMO_DISTRICT_CODE, &d, err);

	for (int s = 0; rc == 0 && s < FK_DEMO_STREETS; s++) {
		struct rect sr = {LNG0 + s * STREET_W, LAT0, LNG0 + (s + 1) * STREET_W,
				  LAT0 + HEIGHT};
		snprintf(code, sizeof(code), FK_DEMO_DISTRICT_CODE "%03d", s + 1);
		rc = shape(db, code, &sr, err);
		for (int c = 0; rc == 0 && c < FK_DEMO_FANOUT; c++) {
			struct rect cr = cell(&sr, c);
			snprintf(ccode, sizeof(ccode), "%.24s%03d", code, c + 1);
			rc = community_shapes(db, ccode, &cr, err);
		}
	}
	return rc;
}
