/* policy: grid size bounds (SPEC §1): an urban grid holds 300-500 households and at most
 * 2,500 residents, a rural grid about 300 households. GET /areas/{id} warns about a grid over
 * the residents bound; the household bounds are declared for the grid checks to come. */
#include "area/area_int.h"

static int check_households(json_t *values, struct fk_err *err)
{
	if (json_integer_value(json_object_get(values, "area.grid_households_min")) >
	    json_integer_value(json_object_get(values, "area.grid_households_max")))
		return fk_err_set(err, FK_EUNPROC, "min_over_max", "area.grid_households_min",
				  "网格户数的下限不能高于上限",
				  "households per grid: the minimum cannot exceed the maximum");
	return 0;
}

const struct fk_policy_def area_policies[] = {
    [AREA_POL_GRID_RESIDENTS_MAX] = {.key = "area.grid_residents_max",
				     .type = FK_POLICY_INT,
				     .def = "2500",
				     .min = 1,
				     .max = 100000,
				     .label_zh = "城市网格居民数上限",
				     .label_en = "Residents per urban grid (most)",
				     .help_zh = "网格居民超过此数时，区域详情给出提示",
				     .help_en =
					 "An area's page warns about a grid with more residents"},
    [AREA_POL_GRID_HOUSEHOLDS_MIN] = {.key = "area.grid_households_min",
				      .type = FK_POLICY_INT,
				      .def = "300",
				      .min = 10,
				      .max = 10000,
				      .label_zh = "城市网格户数（下限）",
				      .label_en = "Households per urban grid (fewest)",
				      .help_zh = "城市网格一般 300–500 户",
				      .help_en = "An urban grid usually holds 300-500 households"},
    [AREA_POL_GRID_HOUSEHOLDS_MAX] = {.key = "area.grid_households_max",
				      .type = FK_POLICY_INT,
				      .def = "500",
				      .min = 10,
				      .max = 10000,
				      .label_zh = "城市网格户数（上限）",
				      .label_en = "Households per urban grid (most)",
				      .help_zh = "城市网格一般 300–500 户",
				      .help_en = "An urban grid usually holds 300-500 households",
				      .check = check_households},
    [AREA_POL_RURAL_GRID_HOUSEHOLDS] = {.key = "area.rural_grid_households",
					.type = FK_POLICY_INT,
					.def = "300",
					.min = 10,
					.max = 10000,
					.label_zh = "农村网格户数",
					.label_en = "Households per rural grid",
					.help_zh = "农村网格约 300 户",
					.help_en = "A rural grid holds about 300 households"},
    [AREA_POL_COUNT] = FK_POLICIES_END,
};
