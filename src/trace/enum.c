/* enum: the words the trace module accepts, and the check that names the field of a wrong
 * one with the words it takes; a day that must not be in the future. */
#include <stdio.h>
#include <string.h>
#include "base/clock.h"
#include "trace/internal.h"

const char *const tc_case_statuses[] = {"confirmed", "asymptomatic", "recovered", NULL};
const char *const tc_found_by_hand[] = {"screening", "fever_clinic", "imported", "other", NULL};
const char *const tc_contact_kinds[] = {"close", "secondary", NULL};
const char *const tc_exposures[] = {"household", "shared_space", "workplace", "transport",
				    "care",	 "other",	 NULL};
const char *const tc_certainties[] = {"confirmed", "probable", "possible", NULL};
const char *const tc_contact_sources[] = {"named_by_case", "checkpoint_log", "sampling_desk",
					  "other", NULL};

int tc_enum_check(const char *s, const char *const *words, const char *field, struct fk_err *err)
{
	char list[200] = "", key[64];
	size_t used = 0;

	for (const char *const *w = words; s && *w; w++)
		if (strcmp(*w, s) == 0)
			return 0;
	if (!s)
		return fk_err_set(err, FK_EINVAL, "missing_field", field, "缺少 %s",
				  "%s is required", field);
	for (const char *const *w = words; *w && used < sizeof(list); w++)
		used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s",
					 w == words ? "" : ", ", *w);
	snprintf(key, sizeof(key), "invalid_%s", field);
	return fk_err_set(err, FK_EINVAL, key, field, "%s 应为：%s", "%s must be one of: %s", field,
			  list);
}

int tc_day_check(const char *s, const char *field, struct fk_err *err)
{
	int y, m, d, ty, tm, td;

	if (fk_date_parse(s, &y, &m, &d) < 0)
		return fk_err_set(err, FK_EINVAL, "invalid_date", field, "%s 应为日期 YYYY-MM-DD",
				  "%s must be a date YYYY-MM-DD", field);
	fk_date_today(&ty, &tm, &td);
	if (fk_date_days(y, m, d) > fk_date_days(ty, tm, td))
		return fk_err_set(err, FK_EUNPROC, "future_date", field, "%s 不能晚于今天",
				  "%s cannot be after today", field);
	return 0;
}
