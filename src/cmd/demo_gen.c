/* demo_gen: the streaming generator of demo residents. Buildings get a size (floors, units)
 * and a share of the residents in proportion to their households; each building fills with
 * households (a head, a spouse, children, grandchildren or an elderly parent) whose ages
 * follow China's 2020 census pyramid. ID numbers are valid GB 11643 numbers with Qingdao
 * (and some other Shandong) region codes, unique by construction: a counter per region,
 * birth day and sex picks the sequence digits, so memory stays fixed whatever the count. */
#include <stdlib.h>
#include <string.h>
#include "base/idcard.h"
#include "base/xmalloc.h"
#include "cmd/demo.h"

/* ---- xoshiro256** seeded by splitmix64 ---- */

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void fk_demo_rng_seed(struct fk_demo_rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t fk_demo_rng_next(struct fk_demo_rng *r)
{
	uint64_t *s = r->s;
	uint64_t out = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return out;
}

uint32_t fk_demo_rng_below(struct fk_demo_rng *r, uint32_t n)
{
	/* Lemire's multiply-shift; the bias (< n / 2^32) is irrelevant for demo data. */
	return (uint32_t)(((fk_demo_rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

static bool chance(struct fk_demo_rng *r, unsigned per_mille)
{
	return fk_demo_rng_below(r, 1000) < per_mille;
}

/* ---- tables ---- */

struct region {
	const char *code;
	unsigned weight;
};

/* Residents of 崂山区 were mostly born in Qingdao; 370205 (四方区) and 370282 (即墨市) are
 * codes of older ID cards still in use. */
static const struct region regions[] = {
    {"370212", 300}, {"370202", 100}, {"370203", 100}, {"370211", 80},
    {"370213", 80},  {"370214", 80},  {"370215", 50},  {"370281", 50},
    {"370283", 40},  {"370285", 30},  {"370205", 30},  {"370282", 20},
    {"370102", 10},  {"370602", 10},  {"370702", 10},  {"371302", 10},
};
#define NREGIONS ((int)(sizeof(regions) / sizeof(regions[0])))

/* Share of each five-year age band (0-4 .. 95-99) in per ten thousand, after the 2020
 * census. */
static const unsigned pyramid[20] = {540, 640, 610, 520, 530, 660, 880, 700, 650, 800,
				     870, 720, 520, 500, 350, 230, 150, 80,  30,  7};

static const unsigned household_sizes[] = {0, 16, 30, 28, 15, 8, 3}; /* percent, size 1..6 */

static const char *const phone_prefixes[] = {
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151",
    "152", "153", "155", "156", "157", "158", "159", "180", "181", "182", "183", "184",
    "185", "186", "187", "188", "189", "191", "193", "195", "196", "197", "198", "199",
};

#define BIRTH_DAYS   (102 * 366) /* birth days counted from 1924-01-01 */
#define SEQ_CAPACITY 499	 /* sequence numbers per region, day and sex */

struct fk_demo_gen {
	struct fk_demo_rng rng;
	long long total, done;
	int32_t ref_day;   /* the day ages are reckoned at (2026-01-01), days since 1970 */
	int32_t first_day; /* 1924-01-01 */
	uint16_t *seq;	   /* [region][birth day][sex] counters */
	/* buildings */
	uint32_t cap_total;
	uint32_t cap_cum; /* households of buildings before the current one */
	uint16_t cap[FK_DEMO_BUILDINGS];
	uint8_t floors[FK_DEMO_BUILDINGS];
	int building;
	long long left; /* residents still to place in the current building */
	/* the current household */
	int hh_room;   /* index of its room in the building */
	int hh_size;   /* its size as drawn: who lives alone does not depend on where it is cut */
	int hh_left;   /* members still to generate (cut short at the building's end) */
	int hh_member; /* index of the next member */
	int head_age;
	char head_sex;
	char surname[16];
	char head_phone[24];
};

/* Days since 1970-01-01 of a civil date (H. Hinnant's algorithm). */
static int32_t days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int32_t z, int *y, int *m, int *d)
{
	z += 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp + (mp < 10 ? 3 : -9);
	*y = yoe + era * 400 + (*m <= 2);
}

static unsigned sum(const unsigned *w, int n)
{
	unsigned t = 0;
	for (int i = 0; i < n; i++)
		t += w[i];
	return t;
}

static int pick_weighted(struct fk_demo_rng *r, const unsigned *w, int n)
{
	uint32_t x = fk_demo_rng_below(r, sum(w, n));
	int i = 0;
	while (x >= w[i])
		x -= w[i++];
	return i;
}

/* An age drawn from the pyramid, limited to [lo, hi]. */
static int pick_age(struct fk_demo_rng *r, int lo, int hi)
{
	unsigned w[20];
	for (int band = 0; band < 20; band++) {
		int a = band * 5, b = band * 5 + 4;
		int olo = a > lo ? a : lo, ohi = b < hi ? b : hi;
		w[band] = ohi >= olo ? pyramid[band] * (unsigned)(ohi - olo + 1) : 0;
	}
	int band = pick_weighted(r, w, 20);
	int a = band * 5 > lo ? band * 5 : lo;
	int b = band * 5 + 4 < hi ? band * 5 + 4 : hi;
	return a + (int)fk_demo_rng_below(r, (uint32_t)(b - a + 1));
}

/* ---- buildings ---- */

static void plan_buildings(struct fk_demo_gen *g)
{
	static const uint8_t floor_choices[] = {5, 6, 6, 6, 7, 11, 11, 18, 26, 33};
	struct fk_demo_rng r;

	fk_demo_rng_seed(&r, g->rng.s[0] ^ 0x6275696c64ULL);
	for (int b = 0; b < FK_DEMO_BUILDINGS; b++) {
		unsigned units = 1 + fk_demo_rng_below(&r, 5);
		g->floors[b] = floor_choices[fk_demo_rng_below(&r, sizeof(floor_choices))];
		g->cap[b] = (uint16_t)(g->floors[b] * units * 2);
		g->cap_total += g->cap[b];
	}
}

/* Residents of building b: building 0 holds at least one (the demo resident login), the
 * rest go in proportion to households, with no rounding drift. */
static long long building_share(const struct fk_demo_gen *g, int b)
{
	long long rest = g->total > 0 ? g->total - 1 : 0;
	long long upto = rest * (long long)(g->cap_cum + g->cap[b]) / g->cap_total;
	long long before = rest * (long long)g->cap_cum / g->cap_total;
	return upto - before + (b == 0 && g->total > 0);
}

static bool next_building(struct fk_demo_gen *g)
{
	while (g->left == 0) {
		if (g->building >= 0)
			g->cap_cum += g->cap[g->building];
		if (++g->building >= FK_DEMO_BUILDINGS)
			return false;
		g->left = building_share(g, g->building);
		g->hh_room = -1;
		g->hh_left = 0;
	}
	return true;
}

struct fk_demo_gen *fk_demo_gen_new(uint64_t seed, long long residents)
{
	struct fk_demo_gen *g = fk_xcalloc(1, sizeof(*g));

	fk_demo_rng_seed(&g->rng, seed);
	g->total = residents;
	g->ref_day = days_from_civil(2026, 1, 1);
	g->first_day = days_from_civil(1924, 1, 1);
	g->seq = fk_xcalloc((size_t)NREGIONS * BIRTH_DAYS * 2, sizeof(uint16_t));
	g->building = -1;
	plan_buildings(g);
	return g;
}

void fk_demo_gen_free(struct fk_demo_gen *g)
{
	if (!g)
		return;
	free(g->seq);
	free(g);
}

/* ---- one person ---- */

static void make_phone(struct fk_demo_rng *r, char out[24])
{
	const char *p = phone_prefixes[fk_demo_rng_below(r, sizeof(phone_prefixes) /
								sizeof(phone_prefixes[0]))];
	snprintf(out, 24, "%s%08u", p, fk_demo_rng_below(r, 100000000));
}

/* A unique resident ID number for someone of this age and sex; fills birth_date too. */
static void make_id(struct fk_demo_gen *g, int age, char sex, struct fk_person *p)
{
	unsigned w[NREGIONS];
	int32_t day = g->ref_day -
		      (int32_t)((age + fk_demo_rng_below(&g->rng, 1000) / 1000.0) * 365.2425) - 1;
	int y, m, d, reg;
	char first17[18];

	for (int i = 0; i < NREGIONS; i++)
		w[i] = regions[i].weight;
	reg = pick_weighted(&g->rng, w, NREGIONS);
	for (int tries = 0;; tries++, reg = (reg + 1) % NREGIONS) {
		uint16_t *c =
		    &g->seq[((size_t)reg * BIRTH_DAYS + (size_t)(day - g->first_day)) * 2 +
			    (sex == 'M')];
		if (*c >= SEQ_CAPACITY) {
			if (tries >= NREGIONS) { /* every region is full on this day */
				day--;
				tries = 0;
			}
			continue;
		}
		/* A fixed permutation of 1..499 per cell so numbers do not look sequential. */
		unsigned off = (unsigned)(day * 31 + reg * 7) % SEQ_CAPACITY;
		unsigned v = (*c * 263u + off) % SEQ_CAPACITY + 1;
		(*c)++;
		civil_from_days(day, &y, &m, &d);
		snprintf(first17, sizeof(first17), "%.6s%04u%02u%02u%03u", regions[reg].code,
			 (unsigned)y % 10000, (unsigned)m % 100, (unsigned)d % 100,
			 (v * 2 - (sex == 'M')) % 1000);
		break;
	}
	snprintf(p->id_number, sizeof(p->id_number), "%s%c", first17,
		 fk_idcard_check_digit(first17));
	snprintf(p->birth_date, sizeof(p->birth_date), "%04u-%02u-%02u", (unsigned)y % 10000,
		 (unsigned)m % 100, (unsigned)d % 100);
}

static const char *residence_for(struct fk_demo_rng *r, const char *id_number)
{
	unsigned x = fk_demo_rng_below(r, 100);
	if (strncmp(id_number, "370212", 6) == 0)
		return x < 85 ? "registered" : "permanent";
	if (strncmp(id_number, "3702", 4) == 0)
		return x < 30 ? "registered" : x < 85 ? "permanent" : "temporary";
	return x < 35 ? "permanent" : x < 95 ? "temporary" : "visitor";
}

static void add_tag(struct fk_person *p, const char *tag)
{
	if (p->ntags < FK_PERSON_MAX_TAGS)
		snprintf(p->tags[p->ntags++], sizeof(p->tags[0]), "%s", tag);
}

/* About 3% live alone past 65 and 1% are bedridden; both are sampled at home. */
static void add_tags(struct fk_demo_gen *g, struct fk_person *p, int age)
{
	struct fk_demo_rng *r = &g->rng;
	bool home = false;

	if (g->hh_size == 1 && age >= 65) {
		add_tag(p, "elderly_alone");
		home = true;
	}
	if (age >= 70 && chance(r, 100)) {
		add_tag(p, "bedridden");
		home = true;
	}
	if (chance(r, age >= 60 ? 30 : 10))
		add_tag(p, "disabled");
	if (p->sex == 'F' && age >= 22 && age <= 40 && chance(r, 40))
		add_tag(p, "pregnant");
	if (age < 6)
		add_tag(p, "child");
	if (age >= 18 && chance(r, 3))
		add_tag(p, "key_person");
	if (home)
		add_tag(p, "home_sampling");
}

static void start_household(struct fk_demo_gen *g)
{
	struct fk_demo_rng *r = &g->rng;
	int size = pick_weighted(r, household_sizes, 7);

	g->hh_size = size;
	g->hh_left = size < g->left ? size : (int)g->left;
	g->hh_member = 0;
	g->hh_room += 1 + chance(r, 100); /* one room in ten stands empty */
	fk_demo_name_surname(r, g->surname, sizeof(g->surname));
	if (g->hh_size == 1)
		g->head_age = chance(r, 520) ? pick_age(r, 65, 99) : pick_age(r, 18, 64);
	else
		g->head_age = pick_age(r, 22, 95);
	g->head_sex = chance(r, 600) ? 'M' : 'F';
	make_phone(r, g->head_phone);
}

/* An age from the pyramid within [lo, hi], both clamped to 0..99. */
static int between(struct fk_demo_rng *r, int lo, int hi)
{
	lo = lo < 0 ? 0 : lo > 99 ? 99 : lo;
	hi = hi < lo ? lo : hi > 99 ? 99 : hi;
	return pick_age(r, lo, hi);
}

/* Age and sex of the household's next member, and whether they bear the head's surname. */
static int member_age(struct fk_demo_gen *g, char *sex, bool *own_surname)
{
	struct fk_demo_rng *r = &g->rng;
	int h = g->head_age;

	*own_surname = false;
	if (g->hh_member == 0) {
		*sex = g->head_sex;
		return h;
	}
	*sex = chance(r, 510) ? 'M' : 'F';
	if (g->hh_member == 1) { /* spouse */
		*sex = g->head_sex == 'M' ? 'F' : 'M';
		*own_surname = true;
		return between(r, h < 23 ? 20 : h - 3, h + 3);
	}
	if (h >= 30 && h <= 55 && chance(r, 120)) /* an elderly parent */
		return between(r, h + 22, h + 36);
	if (h >= 52 && chance(r, 350)) /* a grandchild */
		return between(r, h - 70, h - 46);
	return between(r, h - 50, h - 20); /* a son or daughter */
}

static void household_label(const struct fk_demo_gen *g, char *out, size_t size)
{
	int per_unit = g->floors[g->building] * 2;
	int room = g->hh_room;
	snprintf(out, size, "%d-%d%02d", room / per_unit + 1, room % per_unit / 2 + 1,
		 room % 2 + 1);
}

bool fk_demo_gen_next(struct fk_demo_gen *g, struct fk_person *p, int *building)
{
	struct fk_demo_rng *r = &g->rng;
	bool own_surname;
	char sex;
	int age;

	if (g->done >= g->total || !next_building(g))
		return false;
	if (g->hh_left == 0)
		start_household(g);
	memset(p, 0, sizeof(*p));
	age = member_age(g, &sex, &own_surname);
	p->id_type = FK_IDT_RESIDENT;
	p->sex = sex;
	if (own_surname)
		fk_demo_name_surname(r, p->name, sizeof(p->name));
	else
		snprintf(p->name, sizeof(p->name), "%s", g->surname);
	fk_demo_name_given(r, sex, p->name, sizeof(p->name));
	make_id(g, age, sex, p);
	/* Young children and some of the very old are reached on the head's phone. */
	if (g->hh_member == 0 || age < 12 || (age >= 80 && chance(r, 500)))
		snprintf(p->phone, sizeof(p->phone), "%s", g->head_phone);
	else
		make_phone(r, p->phone);
	household_label(g, p->household, sizeof(p->household));
	snprintf(p->residence, sizeof(p->residence), "%s", residence_for(r, p->id_number));
	add_tags(g, p, age);
	*building = g->building;
	g->hh_member++;
	g->hh_left--;
	g->left--;
	g->done++;
	return true;
}
