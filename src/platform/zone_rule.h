/* zone_rule: what a zone in force asks of the people of an area, for the modules that must
 * follow zones but come before the zones module (testing plans door-to-door visits, tubes
 * keeps a sealed zone's samples apart). The zones module installs app->zone_of at its init;
 * a process without it has no zones, and fk_zone_of answers "no zone" for every area.
 *
 *   struct fk_zone_rule z;
 *   if (fk_zone_of(req->app, req->db, person_area_path, &z, err) < 0) return ...;
 *   if (z.single_tube) ... one person per tube, whatever the round's pool size
 */
#ifndef FK_PLATFORM_ZONE_RULE_H
#define FK_PLATFORM_ZONE_RULE_H
#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include "base/err.h"
#include "store/db.h"

struct fk_app;

#define FK_ZONE_KIND_MAX 24

struct fk_zone_rule {
	int64_t zone_id;	     /* 0: no zone in force over the area */
	char kind[FK_ZONE_KIND_MAX]; /* the policy scheme's kind: "sealed", "high", ... or "" */
	bool single_tube;	     /* sampled one person per tube ... */
	bool per_household;	     /* ... or, with single_tube, one tube per household */
	bool door_to_door;	     /* every household sampled and served at home */
	bool stay_home;		     /* residents may not go out through a gate */
	bool no_entry;		     /* nobody but duty staff may go in */
};

/* The strictest zone in force over the area at area_path (a materialized path "/1/12/305/")
 * into *out; all zero when none is, or when no zones module runs. 0 or a negative code (the
 * store failed) with err filled. Cheap enough for every scan: the zones module answers from
 * memory. */
int fk_zone_of(struct fk_app *app, struct fk_db *db, const char *area_path,
	       struct fk_zone_rule *out, struct fk_err *err);

/* The area paths of the zones in force whose rule is door to door (level 3) and that overlap
 * the subtree at `under` (lie in it or contain it), appended to paths, a JSON array of
 * strings: a list query adds "or the person lives under one of these". Nothing appended when
 * no zones module runs. 0 or a negative code with err filled. */
int fk_zone_door_paths(struct fk_app *app, struct fk_db *db, const char *under, json_t *paths,
		       struct fk_err *err);

#endif
