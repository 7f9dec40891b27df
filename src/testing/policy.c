/* policy: the numbers the testing module reads from policies (SPEC §3) — the validated pool
 * sizes, a new round's pool size and the pool size by group and zone kind, the 2022
 * guideline's 24 h / 6 h (12 h where hard) targets, and the planning rules for sites, desks
 * and samplers. The cross-field rules keep the set consistent: every pool size named is
 * allowed, targets nest, each "per N people" range has min <= max. */
#include "testing/internal.h"

static const int64_t pool_choices[] = {1, 5, 10, 20, 0};

static int64_t num(json_t *values, const char *key)
{
	return json_integer_value(json_object_get(values, key));
}

static bool allowed(json_t *values, int64_t k)
{
	json_t *x;
	size_t i;

	json_array_foreach(json_object_get(values, "testing.pool_sizes"), i,
			   x) if (json_integer_value(x) == k) return true;
	return false;
}

static int not_allowed(struct fk_err *err, const char *field, int64_t k)
{
	return fk_err_set(err, FK_EUNPROC, "pool_size_not_allowed", field,
			  "混采比例 %lld 不在允许的混采比例（testing.pool_sizes）之中",
			  "pool size %lld is not among the allowed pool sizes (testing.pool_sizes)",
			  (long long)k);
}

/* The default pool size and each group's are among the allowed sizes. */
static int check_pools(json_t *values, struct fk_err *err)
{
	const char *k;
	json_t *v;

	if (!allowed(values, num(values, "testing.pool_default")))
		return not_allowed(err, "testing.pool_default",
				   num(values, "testing.pool_default"));
	json_object_foreach(
	    json_object_get(values, "testing.pool_by_group"), k,
	    v) if (!allowed(values,
			    json_integer_value(v))) return not_allowed(err, "testing.pool_by_group",
								       json_integer_value(v));
	return 0;
}

static int check_targets(json_t *values, struct fk_err *err)
{
	int64_t sampling = num(values, "testing.sampling_target_hours");
	int64_t hard = num(values, "testing.sampling_hard_target_hours");

	if (sampling > hard)
		return fk_err_set(err, FK_EUNPROC, "targets_out_of_order",
				  "testing.sampling_target_hours",
				  "采样目标不能长于困难地区的采样目标",
				  "the sampling target cannot be longer than the hard-area one");
	if (hard > num(values, "testing.round_target_hours"))
		return fk_err_set(err, FK_EUNPROC, "targets_out_of_order",
				  "testing.sampling_hard_target_hours",
				  "采样目标不能长于整轮完成目标",
				  "a sampling target cannot be longer than the round target");
	return 0;
}

static int check_ranges(json_t *values, struct fk_err *err)
{
	if (num(values, "testing.site_people_min") > num(values, "testing.site_people_max"))
		return fk_err_set(err, FK_EUNPROC, "min_over_max", "testing.site_people_min",
				  "每个采样点服务人数的下限不能高于上限",
				  "people per site: the minimum cannot exceed the maximum");
	if (num(values, "testing.desk_people_min") > num(values, "testing.desk_people_max"))
		return fk_err_set(err, FK_EUNPROC, "min_over_max", "testing.desk_people_min",
				  "每个采样台服务人数的下限不能高于上限",
				  "people per desk: the minimum cannot exceed the maximum");
	return 0;
}

const struct fk_policy_def tr_policies[] = {
    [TR_POL_POOL_SIZES] = {.key = "testing.pool_sizes",
			   .type = FK_POLICY_INT_LIST,
			   .def = "[1,5,10,20]",
			   .min = 1,
			   .max = 20,
			   .choices = pool_choices,
			   .label_zh = "允许的混采比例",
			   .label_en = "Allowed pool sizes",
			   .help_zh =
			       "经验证可用的每管人数（1、5、10、20 中选）；新建和修改轮次时检查",
			   .help_en = "People per tube that are validated (among 1, 5, 10, 20); "
				      "checked when a round is made or changed"},
    [TR_POL_POOL_DEFAULT] = {.key = "testing.pool_default",
			     .type = FK_POLICY_INT,
			     .def = "10",
			     .min = 1,
			     .max = 20,
			     .choices = pool_choices,
			     .label_zh = "新建轮次的默认混采比例",
			     .label_en = "Default pool size of a new round",
			     .help_zh = "新建轮次未指定混采比例时采用",
			     .help_en = "Used when a new round names no pool size",
			     .check = check_pools},
    [TR_POL_POOL_BY_GROUP] = {.key = "testing.pool_by_group",
			      .type = FK_POLICY_OBJECT,
			      .def = "{\"isolation_site\":1,\"key_group\":1,\"sealed\":1,"
				     "\"controlled\":10,\"precaution\":20,\"elsewhere\":20}",
			      .min = 1,
			      .max = 20,
			      .choices = pool_choices,
			      .label_zh = "按人群和区域的混采比例",
			      .label_en = "Pool size by group and zone",
			      .help_zh = "隔离点和重点人群、封控区单采单检；管控区 10 混 1；"
					 "防范区及其他 20 混 1（2022 年前为 10 混 1）",
			      .help_en =
				  "Isolation sites, key groups and sealed zones single tube; "
				  "controlled zones 10 in 1; precaution zones and elsewhere "
				  "20 in 1 (10 in 1 before 2022)"},
    [TR_POL_ROUND_TARGET] = {.key = "testing.round_target_hours",
			     .type = FK_POLICY_DURATION,
			     .def = "24",
			     .min = 1,
			     .max = 168,
			     .unit = FK_POLICY_HOURS,
			     .label_zh = "整轮完成目标",
			     .label_en = "Round target",
			     .help_zh =
				 "区域全员核酸检测应在此时间内完成（2022 年第三版指南 24 小时）",
			     .help_en =
				 "A regional round should be done within it (2022 guideline, "
				 "3rd edition: 24 h)"},
    [TR_POL_SAMPLING_TARGET] = {.key = "testing.sampling_target_hours",
				.type = FK_POLICY_DURATION,
				.def = "6",
				.min = 1,
				.max = 72,
				.unit = FK_POLICY_HOURS,
				.label_zh = "采样完成目标",
				.label_en = "Sampling target",
				.help_zh = "全部采样应在此时间内完成（6 小时）",
				.help_en = "All sampling should be done within it (6 h)"},
    [TR_POL_SAMPLING_HARD] = {.key = "testing.sampling_hard_target_hours",
			      .type = FK_POLICY_DURATION,
			      .def = "12",
			      .min = 1,
			      .max = 72,
			      .unit = FK_POLICY_HOURS,
			      .label_zh = "困难地区采样完成目标",
			      .label_en = "Sampling target where truly hard",
			      .help_zh = "确有困难的地区采样完成时限（12 小时）",
			      .help_en = "The sampling limit where it is truly hard (12 h)",
			      .check = check_targets},
    [TR_POL_SITE_PEOPLE_MIN] = {.key = "testing.site_people_min",
				.type = FK_POLICY_INT,
				.def = "2000",
				.min = 100,
				.max = 100000,
				.label_zh = "每个采样点服务人数（下限）",
				.label_en = "People per site (low end)",
				.help_zh = "每 2000–3000 人设一个采样点",
				.help_en = "One sampling site per 2,000-3,000 people"},
    [TR_POL_SITE_PEOPLE_MAX] = {.key = "testing.site_people_max",
				.type = FK_POLICY_INT,
				.def = "3000",
				.min = 100,
				.max = 100000,
				.label_zh = "每个采样点服务人数（上限）",
				.label_en = "People per site (high end)",
				.help_zh = "轮次计划按此上限计算所需采样点，超出即提示",
				.help_en = "The round plan counts the sites needed by it and flags "
					   "sites over it"},
    [TR_POL_DESK_PEOPLE_MIN] = {.key = "testing.desk_people_min",
				.type = FK_POLICY_INT,
				.def = "600",
				.min = 50,
				.max = 10000,
				.label_zh = "每个采样台服务人数（下限）",
				.label_en = "People per desk (low end)",
				.help_zh = "每 600–800 人设一个采样台",
				.help_en = "One desk per 600-800 people"},
    [TR_POL_DESK_PEOPLE_MAX] = {.key = "testing.desk_people_max",
				.type = FK_POLICY_INT,
				.def = "800",
				.min = 50,
				.max = 10000,
				.label_zh = "每个采样台服务人数（上限）",
				.label_en = "People per desk (high end)",
				.help_zh = "轮次计划按此上限计算所需采样台",
				.help_en = "The round plan counts the desks needed by it",
				.check = check_ranges},
    [TR_POL_SAMPLER_PEOPLE] = {.key = "testing.sampler_people",
			       .type = FK_POLICY_INT,
			       .def = "360",
			       .min = 10,
			       .max = 10000,
			       .label_zh = "每名采样人员服务人数",
			       .label_en = "People per sampler",
			       .help_zh = "所需采样人员 ≈ 人口 ÷ 此数",
			       .help_en = "Samplers needed = population / this"},
    [TR_POL_COUNT] = FK_POLICIES_END,
};
