/* demo_int: what the demo's own files share (not for other modules; see demo.h). */
#ifndef FK_DEMO_INT_H
#define FK_DEMO_INT_H
#include <string.h>
#include "cmd/demo.h"

/* Ids of the areas the demo created. */
struct demo_tree {
	int64_t district;
	int64_t building[FK_DEMO_BUILDINGS];
};

/* Copies src into dst (size bytes), cutting it short if need be. */
static inline void demo_copy(char *dst, size_t size, const char *src)
{
	size_t n = strnlen(src, size - 1);
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Creates the whole area tree (demo_areas.c); fills t. */
int demo_areas_create(struct fk_db *db, uint64_t seed, struct demo_tree *t, struct fk_err *err);
/* Gives the district, its streets, communities and grids simple synthetic shapes
 * (demo_shapes.c), for the dashboard's map. */
int demo_shapes_create(struct fk_db *db, struct fk_err *err);

#endif
