/* place: the places a shift is at — sampling sites (testing.h), checkpoints (gates.h) and
 * isolation facilities (isolation.h) — read through their modules' headers and seen alike. */
#include <stdlib.h>
#include <string.h>
#include "base/buf.h"
#include "base/xmalloc.h"
#include "gates/gates.h"
#include "isolation/isolation.h"
#include "testing/testing.h"
#include "duty/internal.h"

#define FILL(p, k, b)                                                                              \
	do {                                                                                       \
		(p)->kind = (k);                                                                   \
		(p)->id = (b)->id;                                                                 \
		(p)->area_id = (b)->area_id;                                                       \
		fk_copy_text((p)->name, sizeof((p)->name), (b)->name);                             \
		fk_copy_text((p)->area_name, sizeof((p)->area_name), (b)->area_name);              \
		fk_copy_text((p)->path, sizeof((p)->path), (b)->path);                             \
		(p)->active = (b)->active;                                                         \
	} while (0)

static int place_read(struct fk_db *db, enum du_kind k, int64_t id, struct du_place *out,
		      struct fk_err *err)
{
	struct fk_site_brief s;
	struct fk_checkpoint_brief c;
	struct fk_facility_brief f;
	int rc;

	memset(out, 0, sizeof(*out));
	if (k == DU_SITE) {
		rc = fk_testing_site_brief(db, id, "place_id", &s, err);
		if (rc == 0) {
			FILL(out, k, &s);
			out->desks = s.desks;
		}
	} else if (k == DU_CHECKPOINT) {
		rc = fk_gates_checkpoint_brief(db, id, "place_id", &c, err);
		if (rc == 0)
			FILL(out, k, &c);
	} else {
		rc = fk_isolation_facility_brief(db, id, "place_id", &f, err);
		if (rc == 0)
			FILL(out, k, &f);
	}
	return rc;
}

int du_place_get(struct fk_db *db, const struct fk_principal *who, enum du_kind k, int64_t id,
		 struct du_place *out, struct fk_err *err)
{
	int rc = place_read(db, k, id, out, err);

	if (rc == 0 && who && !fk_scope_covers(who, out->path))
		rc = fk_err_set(err, FK_ENOTFOUND, "place_not_found", "place_id", "地点不存在",
				"the place does not exist");
	return rc;
}

/* Appends the places of one kind, their module's rows in b[0..n) of elem bytes each. */
#define APPEND(all, nall, k, b, n)                                                                 \
	do {                                                                                       \
		*(all) = fk_xrealloc(*(all), (size_t)(*(nall) + (n) + 1) * sizeof(**(all)));       \
		for (int i_ = 0; i_ < (n); i_++) {                                                 \
			struct du_place *p_ = &(*(all))[(*(nall))++];                              \
			memset(p_, 0, sizeof(*p_));                                                \
			FILL(p_, k, &(b)[i_]);                                                     \
		}                                                                                  \
	} while (0)

int du_places_under(struct fk_db *db, const char *path, struct du_place **out, int *n,
		    struct fk_err *err)
{
	struct fk_site_brief *s = NULL;
	struct fk_checkpoint_brief *c = NULL;
	struct fk_facility_brief *f = NULL;
	int ns = 0, nc = 0, nf = 0;
	int rc = fk_testing_sites_under(db, path, &s, &ns, err);

	if (rc == 0)
		rc = fk_gates_checkpoints_under(db, path, &c, &nc, err);
	if (rc == 0)
		rc = fk_isolation_facilities_under(db, path, &f, &nf, err);
	if (rc == 0) {
		int first = *n;
		APPEND(out, n, DU_SITE, s, ns);
		for (int i = 0; i < ns; i++)
			(*out)[first + i].desks = s[i].desks;
		APPEND(out, n, DU_CHECKPOINT, c, nc);
		APPEND(out, n, DU_FACILITY, f, nf);
	}
	free(s);
	free(c);
	free(f);
	return rc;
}
