/* demo: the synthetic district of `fangkong demo`, shared with the benchmarks.
 *
 * fk_demo_build fills an empty store with 崂山区 (370212): 4 streets, 40 communities, 400 grids,
 * 4,000 buildings, residents spread over the buildings in households, and one user per role;
 * the residents of the resident's building get passwordless accounts that sign in by phone
 * code (fk_user_residents).
 * Everything goes through the module functions (fk_area_create, fk_person_upsert,
 * fk_user_add), so the data obeys the same rules as data entered by hand.
 *
 * The same seed gives the same district, names, ID numbers and phones (passwords are random
 * unless given). Memory does not grow with the number of residents.
 *
 * The resident generator (struct fk_demo_gen) is exposed so the import benchmark can write
 * the same kind of people to a CSV file. */
#ifndef FK_DEMO_H
#define FK_DEMO_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "base/err.h"
#include "people/people.h"
#include "store/db.h"

#define FK_DEMO_DISTRICT_CODE "370212"
#define FK_DEMO_STREETS	      4
#define FK_DEMO_FANOUT	      10 /* communities per street, grids per community, ... */
#define FK_DEMO_BUILDINGS     (FK_DEMO_STREETS * FK_DEMO_FANOUT * FK_DEMO_FANOUT * FK_DEMO_FANOUT)
#define FK_DEMO_MAX_RESIDENTS 10000000LL
#define FK_DEMO_NUSERS	      11
/* Bumped whenever the same seed would give other data (stores cached by benchmarks). */
#define FK_DEMO_GEN_VERSION 1

struct fk_demo_login {
	const char *role;
	const char *username;
	char password[64];
	char scope[256]; /* "崂山区 370212", "张村社区/第1网格 370212001001G01" */
	/* The resident's only: the number it signs in with by phone code, and how many more
	 * residents of its building got passwordless accounts to do the same. */
	char phone[24];
	long long building_accounts;
};

struct fk_demo_opts {
	long long residents; /* 0 .. FK_DEMO_MAX_RESIDENTS */
	uint64_t seed;
	const char *password; /* every user's password; NULL = a random one per user */
	int batch;	      /* rows per transaction; 0 = 500,000 */
	/* If not NULL, receives FK_DEMO_NUSERS logins (the resident login only when residents
	 * > 0; unused entries have role NULL). */
	struct fk_demo_login *logins;
};

/* Builds the district on db, which must hold no areas, users or people (FK_ECONFLICT
 * "store_not_empty" otherwise). Writes a progress line to progress (if not NULL) every
 * million residents. On failure the open transaction is rolled back; batches already
 * committed stay. */
int fk_demo_build(struct fk_db *db, const struct fk_demo_opts *o, FILE *progress,
		  struct fk_err *err);

/* Building code of building index b (0 .. FK_DEMO_BUILDINGS-1), e.g. "370212001001G01B01";
 * out needs 24 bytes. */
char *fk_demo_building_code(int b, char out[24]);

/* ---- the resident generator ---- */

struct fk_demo_rng {
	uint64_t s[4]; /* xoshiro256** */
};
void fk_demo_rng_seed(struct fk_demo_rng *r, uint64_t seed);
uint64_t fk_demo_rng_next(struct fk_demo_rng *r);
uint32_t fk_demo_rng_below(struct fk_demo_rng *r, uint32_t n); /* 0 .. n-1, n > 0 */

struct fk_demo_gen;

/* A generator of `residents` people over the demo buildings, in building order. */
struct fk_demo_gen *fk_demo_gen_new(uint64_t seed, long long residents);
void fk_demo_gen_free(struct fk_demo_gen *g);
/* Fills p (id and area_id left 0) and *building with the index of the person's building.
 * Returns false when all residents have been generated. */
bool fk_demo_gen_next(struct fk_demo_gen *g, struct fk_person *p, int *building);

/* Names (demo_names.c): fk_demo_name_surname writes a surname weighted by frequency into out;
 * fk_demo_name_given appends a given name of 1-2 characters suited to sex ('M' or 'F'). */
void fk_demo_name_surname(struct fk_demo_rng *r, char *out, size_t size);
void fk_demo_name_given(struct fk_demo_rng *r, char sex, char *out, size_t size);

#endif
