/* rule: the zone rules as plain functions of their inputs — the three schemes of SPEC §4 and
 * their kinds, what a level asks of its people, and the lift rule (days remaining, when a
 * proposal is due). No store, no clock: the callers pass "now", so the unit tests cover it. */
#include <string.h>
#include "zones/internal.h"

struct kind {
	const char *name, *zh;
	int level;
};

static const struct kind k2204[] = {
    {"sealed", "封控区", 3}, {"controlled", "管控区", 2}, {"precaution", "防范区", 1}, {0}};
static const struct kind k2206[] = {
    {"high", "高风险区", 3}, {"medium", "中风险区", 2}, {"low", "低风险区", 1}, {0}};
static const struct kind k2211[] = {{"high", "高风险区", 3}, {"low", "低风险区", 1}, {0}};

static const struct kind *kinds_of(int64_t scheme)
{
	switch (scheme) {
	case ZN_SCHEME_2204:
		return k2204;
	case ZN_SCHEME_2206:
		return k2206;
	case ZN_SCHEME_2211:
		return k2211;
	default:
		return NULL;
	}
}

bool zn_scheme_valid(int64_t scheme)
{
	return kinds_of(scheme) != NULL;
}

int zn_kind_level(int64_t scheme, const char *kind)
{
	const struct kind *k = kinds_of(scheme);

	for (; k && kind && k->name; k++)
		if (strcmp(k->name, kind) == 0)
			return k->level;
	return 0;
}

const char *zn_kind_at(int64_t scheme, int level)
{
	const struct kind *k = kinds_of(scheme);

	for (; k && k->name; k++)
		if (k->level == level)
			return k->name;
	return NULL;
}

const char *zn_scheme_kinds(int64_t scheme)
{
	switch (scheme) {
	case ZN_SCHEME_2204:
		return "sealed, controlled, precaution";
	case ZN_SCHEME_2206:
		return "high, medium, low";
	case ZN_SCHEME_2211:
		return "high, low";
	default:
		return "";
	}
}

const char *zn_kind_zh(const char *kind)
{
	const struct kind *all[] = {k2204, k2206};

	for (int i = 0; i < 2; i++)
		for (const struct kind *k = all[i]; k->name; k++)
			if (strcmp(k->name, kind) == 0)
				return k->zh;
	return kind;
}

void zn_rule_of(int level, bool household, struct fk_zone_rule *out)
{
	out->single_tube = level >= 3;
	out->per_household = level >= 3 && household;
	out->door_to_door = level >= 3;
	out->stay_home = level >= 2;
	out->no_entry = level >= 3;
}

int64_t zn_lift_days(const struct zn_days *d, int64_t scheme, int level, const char **to_kind)
{
	*to_kind = NULL;
	if (level >= 3 && scheme == ZN_SCHEME_2211)
		return d->high_2211; /* high is lifted, not made low */
	if (level < 2)
		return 0;
	*to_kind = zn_kind_at(scheme, level - 1);
	return level >= 3 ? d->level3 : d->level2;
}

int64_t zn_count_start(int64_t kind_since, int64_t last_positive)
{
	return last_positive > kind_since ? last_positive : kind_since;
}

int64_t zn_days_remaining(int64_t count_start, int64_t days, int64_t now)
{
	int64_t left;

	if (days <= 0)
		return -1;
	left = count_start + days * ZN_DAY_MS - now;
	return left <= 0 ? 0 : (left + ZN_DAY_MS - 1) / ZN_DAY_MS;
}

int64_t zn_last_day_from(int64_t count_start, int64_t days)
{
	return count_start + (days - 1) * ZN_DAY_MS;
}

bool zn_proposal_due(int64_t count_start, int64_t days, int64_t now, bool last_day_negative)
{
	return days > 0 && zn_days_remaining(count_start, days, now) == 0 && last_day_negative;
}

int64_t zn_first_screening_due(const struct zn_days *d, int level, int64_t started_at)
{
	if (level >= 3)
		return started_at + d->first3_ms;
	if (level == 2)
		return started_at + d->first2_ms;
	return 0;
}
