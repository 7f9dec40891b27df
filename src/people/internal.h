/* internal: what the files of the people module share and nobody else uses. */
#ifndef FK_PEOPLE_INTERNAL_H
#define FK_PEOPLE_INTERNAL_H
#include <stdbool.h>
#include <stdint.h>
#include "people/people.h"

/* The columns pp_row reads, in its order. */
#define PP_COLS                                                                                    \
	"p.id, p.name, p.id_type, p.id_number, p.phone, p.sex, p.birth_date, p.area_id, "          \
	"p.area_path, p.household, p.residence, p.tags, p.note, p.created_at, p.updated_at, "      \
	"p.version"

/* Fills out from the current row of a query selecting PP_COLS. */
void pp_row(struct fk_q *q, struct fk_person *out);

/* ---- validation (validate.c) ---- */

/* Normalises and checks every field but the area: trims, validates the ID (sex and birth date
 * derived for resident IDs, 422 when given ones disagree), phone, residence, tags (sorted,
 * de-duplicated, in English) and lengths. FK_EINVAL/FK_EUNPROC naming the field. */
int pp_person_check(struct fk_person *p, struct fk_err *err);
/* May a person live in an area of this kind? Anything below a community. */
bool pp_area_kind_ok(const char *kind);
/* Splits a tag list on , ， ; ； 、 | and spaces into p->tags (English); FK_EINVAL "unknown_tag"
 * naming the tag, "too_many_tags". */
int pp_tags_parse(const char *list, struct fk_person *p, struct fk_err *err);
/* "M"/"F"/"男"/"女"/"male"/"female" ("" -> 0); FK_EINVAL "invalid_sex". */
int pp_sex_parse(const char *s, char *out, struct fk_err *err);
/* Joins p->tags with commas into out (size bytes); "" when there are none. */
void pp_tags_join(const struct fk_person *p, char *out, size_t size);
/* Copies src into dst (size bytes); FK_EINVAL "too_long" naming field when it does not fit. */
int pp_copy(char *dst, size_t size, const char *src, const char *field, struct fk_err *err);

/* ---- area lookups through a small cache (area_cache.c) ---- */

struct pp_area {
	int64_t id;
	int depth;
	char path[FK_AREA_PATH_MAX];
	char kind[24];
	char name[FK_AREA_NAME_MAX * 4 + 1];
};

struct pp_cache;
/* A cache of size entries (rounded up to a power of two). */
struct pp_cache *pp_cache_new(unsigned size);
void pp_cache_free(struct pp_cache *c);
/* This thread's cache, for callers that bring none (fk_person_upsert). */
struct pp_cache *pp_cache_thread(void);
/* The area id; FK_ENOTFOUND if it does not exist. *out stays valid until the next call on c.
 * Entries expire after a short time and whenever an area moves (fk_area_moves). */
int pp_area_get(struct fk_db *db, struct pp_cache *c, int64_t id, const struct pp_area **out,
		struct fk_err *err);

/* ---- writes (person.c) ---- */

/* Looks up p->area_id and checks that a person may live there and, for who != NULL, that
 * it is in who's scope; fills p->area_path. FK_EINVAL "unknown_area" (missing, or out of
 * who's scope: the two read alike) or FK_EUNPROC "area_kind". */
int pp_person_area(struct fk_db *db, struct pp_cache *c, const struct fk_principal *who,
		   struct fk_person *p, struct fk_err *err);
/* fk_person_upsert with a cache and a principal; p must have passed pp_person_check and
 * pp_person_area. A scoped caller cannot update a person filed outside its scope
 * (FK_ECONFLICT "id_number_out_of_scope"). */
int pp_person_write(struct fk_db *db, const struct fk_principal *who, struct fk_person *p,
		    char *outcome, struct fk_err *err);

/* ---- rendering (render.c) ---- */

/* The person JSON of the API, masked for who. area_name may be NULL. */
json_t *pp_person_json(const struct fk_person *p, const struct fk_principal *who,
		       const char *area_name);

/* ---- HTTP (api.c) ---- */

extern const struct fk_route people_routes[];

/* ---- residents counters (figures.c) ---- */

/* Adds delta to the residents counted directly in area_id (its path beside it), in the
 * caller's transaction. 0 or the store's error. */
int pp_count_add(struct fk_db *db, int64_t area_id, const char *area_path, int delta,
		 struct fk_err *err);
/* Moves one resident's count from old's area to now's when they differ. */
int pp_count_moved(struct fk_db *db, const struct fk_person *old, const struct fk_person *now,
		   struct fk_err *err);

#endif
