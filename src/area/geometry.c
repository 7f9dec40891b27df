/* geometry: an area's shape (areas.geometry, a GeoJSON Polygon or MultiPolygon in WGS 84
 * longitude/latitude) — its check, its write, the import of a FeatureCollection by area code
 * (all or none) and the shapes of an area's children, which the dashboard draws with ECharts
 * (no tile server). */
#include <math.h>
#include <string.h>
#include "area/area_int.h"
#include "base/clock.h"
#include "base/json.h"

static int bad(struct fk_err *err, const char *field, const char *zh, const char *en)
{
	return fk_err_set(err, FK_EUNPROC, "invalid_geometry", field, "%s：%s%.0s", "%s: %.0s%s",
			  field, zh, en);
}

/* A position [lng, lat] with longitude in [-180, 180] and latitude in [-90, 90]. */
static bool position_ok(json_t *p)
{
	json_t *x = json_array_get(p, 0), *y = json_array_get(p, 1);

	if (!json_is_array(p) || json_array_size(p) < 2 || !json_is_number(x) || !json_is_number(y))
		return false;
	double lng = json_number_value(x), lat = json_number_value(y);
	return isfinite(lng) && isfinite(lat) && fabs(lng) <= 180 && fabs(lat) <= 90;
}

static bool same_position(json_t *a, json_t *b)
{
	return json_number_value(json_array_get(a, 0)) == json_number_value(json_array_get(b, 0)) &&
	       json_number_value(json_array_get(a, 1)) == json_number_value(json_array_get(b, 1));
}

/* A closed ring of at least four positions; *points counts them against the cap. */
static int ring_check(json_t *ring, const char *field, size_t *points, struct fk_err *err)
{
	size_t n = json_array_size(ring), i;
	json_t *p;

	if (!json_is_array(ring) || n < 4)
		return bad(err, field, "环须至少有 4 个点", "a ring needs at least 4 positions");
	json_array_foreach(ring, i, p)
	{
		if (!position_ok(p))
			return bad(err, field, "点须为 [经度, 纬度] 且在范围内",
				   "a position must be [longitude, latitude] within range");
	}
	if (!same_position(json_array_get(ring, 0), json_array_get(ring, n - 1)))
		return bad(err, field, "环须首尾相同", "a ring must end where it starts");
	*points += n;
	if (*points > FK_AREA_GEOMETRY_MAX_POINTS)
		return bad(err, field, "点数过多", "too many positions");
	return 0;
}

static int polygon_check(json_t *poly, const char *field, size_t *points, struct fk_err *err)
{
	char f[64];
	size_t i;
	json_t *ring;
	int rc = 0;

	if (!json_is_array(poly) || json_array_size(poly) == 0)
		return bad(err, field, "多边形须为环的数组", "a polygon must be an array of rings");
	json_array_foreach(poly, i, ring)
	{
		snprintf(f, sizeof(f), "%s[%zu]", field, i);
		if ((rc = ring_check(ring, f, points, err)) < 0)
			return rc;
	}
	return 0;
}

int fk_area_geometry_check(json_t *g, const char *field, struct fk_err *err)
{
	const char *type = json_string_value(json_object_get(g, "type"));
	json_t *coords = json_object_get(g, "coordinates");
	char f[64];
	size_t points = 0, i;
	json_t *poly;
	int rc;

	if (!json_is_object(g) || !type)
		return bad(err, field, "须为 GeoJSON 几何对象",
			   "must be a GeoJSON geometry object");
	snprintf(f, sizeof(f), "%s.coordinates", field);
	if (strcmp(type, "Polygon") == 0)
		return polygon_check(coords, f, &points, err);
	if (strcmp(type, "MultiPolygon") != 0)
		return bad(err, field, "类型须为 Polygon 或 MultiPolygon",
			   "type must be Polygon or MultiPolygon");
	if (!json_is_array(coords) || json_array_size(coords) == 0)
		return bad(err, f, "须为多边形的数组", "must be an array of polygons");
	json_array_foreach(coords, i, poly)
	{
		snprintf(f, sizeof(f), "%s.coordinates[%zu]", field, i);
		if ((rc = polygon_check(poly, f, &points, err)) < 0)
			return rc;
	}
	return 0;
}

/* Writes the geometry's compact text (NULL clears it) to area id; FK_ENOTFOUND when none. */
static int geometry_write(struct fk_db *db, int64_t id, json_t *g, struct fk_err *err)
{
	char *text = g ? json_dumps(g, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	int64_t n = fk_db_run(db, err, "UPDATE areas SET geometry = ?, updated_at = ? WHERE id = ?",
			      "tii", text, fk_now_ms(), id);

	free(text);
	if (n == 0)
		return fk_err_set(err, FK_ENOTFOUND, "area_not_found", "id", "区域不存在",
				  "the area does not exist");
	return n < 0 ? (int)n : 0;
}

int fk_area_geometry_set(struct fk_db *db, int64_t id, json_t *g, struct fk_err *err)
{
	int rc = g ? fk_area_geometry_check(g, "geometry", err) : 0;

	return rc < 0 ? rc : geometry_write(db, id, g, err);
}

/* One feature of an import: its area by properties.code, its geometry checked. */
static int feature_import(struct fk_db *db, json_t *feat, size_t i, struct fk_err *err)
{
	const char *code =
	    json_string_value(json_object_get(json_object_get(feat, "properties"), "code"));
	char f[64];
	struct fk_area a = {0};
	int rc;

	snprintf(f, sizeof(f), "features[%zu].properties.code", i);
	if (!code || !*code)
		return fk_err_set(err, FK_EINVAL, "missing_field", f, "%s：缺少区域编码",
				  "%s: the area code is missing", f);
	rc = fk_area_get_by_code(db, code, &a, err);
	fk_area_release(&a);
	if (rc == FK_ENOTFOUND)
		return fk_err_set(err, FK_EUNPROC, "unknown_area", f, "%s：无此区域编码 %s",
				  "%s: no area has the code %s", f, code);
	snprintf(f, sizeof(f), "features[%zu].geometry", i);
	if (rc == 0)
		rc = fk_area_geometry_check(json_object_get(feat, "geometry"), f, err);
	return rc < 0 ? rc : geometry_write(db, a.id, json_object_get(feat, "geometry"), err);
}

int fk_area_import_geometry(struct fk_db *db, json_t *fc, size_t *count, struct fk_err *err)
{
	json_t *features = json_object_get(fc, "features"), *feat;
	struct fk_tx tx;
	size_t i;
	int rc;

	*count = 0;
	if (!json_is_object(fc) ||
	    strcmp(fk_json_str(fc, "type") ? fk_json_str(fc, "type") : "", "FeatureCollection") ||
	    !json_is_array(features))
		return fk_err_set(err, FK_EINVAL, "invalid_geojson", "type",
				  "须为带 features 数组的 GeoJSON FeatureCollection",
				  "must be a GeoJSON FeatureCollection with a features array");
	rc = fk_tx_begin(db, &tx, err);
	if (rc < 0)
		return rc;
	json_array_foreach(features, i, feat)
	{
		if ((rc = feature_import(db, feat, i, err)) < 0)
			break;
	}
	rc = fk_tx_end(db, &tx, rc, err);
	if (rc == 0)
		*count = json_array_size(features);
	return rc;
}

static json_t *feature_row(struct fk_q *q)
{
	json_error_t jerr;
	json_t *g = json_loads(fk_q_text(q, 5), 0, &jerr);

	return json_pack("{s:s, s:{s:o, s:s, s:s, s:s}, s:o}", "type", "Feature", "properties",
			 "id", fk_json_idv(fk_q_i64(q, 0)), "code", fk_q_text(q, 1), "name",
			 fk_q_text(q, 2), "kind", fk_q_text(q, 3), "geometry", g ? g : json_null());
}

int fk_area_children_shapes(struct fk_db *db, int64_t parent_id, json_t **out, struct fk_err *err)
{
	json_t *features = json_array();
	struct fk_q *q;
	int rc;

	*out = NULL;
	rc = fk_db_query(
	    db, &q,
	    "SELECT id, code, name, kind, path, geometry FROM areas WHERE parent_id = ? "
	    "AND geometry IS NOT NULL ORDER BY code",
	    err);
	if (rc < 0) {
		json_decref(features);
		return rc;
	}
	fk_q_bind_i64(q, 1, parent_id);
	while ((rc = fk_q_step(q, err)) > 0)
		json_array_append_new(features, feature_row(q));
	fk_q_done(q);
	if (rc < 0) {
		json_decref(features);
		return rc;
	}
	*out = json_pack("{s:s, s:o}", "type", "FeatureCollection", "features", features);
	return 0;
}
