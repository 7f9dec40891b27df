/* policy: the numbers SPEC marks *policy* — defaults an administrator changes at run time,
 * without a rebuild. A module declares the policies it reads as a table of struct
 * fk_policy_def (fk_module.policies); the policy module collects every table at start,
 * refusing two definitions with one key and a default that breaks its own bounds.
 *
 * Values are versioned in the store (policy/schema/001_policies.sql): every accepted edit is one
 * new version (who, when, the reason, what changed). Version 0 is "nothing edited yet": a key with
 * no stored value has its default, so a policy declared later needs no migration.
 *
 * Reads go through a process cache of immutable snapshots: cheap (a lock, a lookup), with
 * the version the value came from, refreshed at once by a local edit and checked against the
 * store's latest version at most once a second, so another server's edit is seen soon.
 *
 *   int64_t ver;
 *   int64_t pool = fk_policy_i64(db, &tr_policies[TR_POL_POOL_DEFAULT], &ver);
 *
 * A decision that follows a rule stores ver beside what it decided. */
#ifndef FK_POLICY_H
#define FK_POLICY_H
#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include "base/err.h"
#include "store/db.h"

struct fk_module;

enum fk_policy_type {
	FK_POLICY_INT = 1,  /* JSON integer within [min, max] (and among choices, if given) */
	FK_POLICY_NUMBER,   /* JSON number within [min, max] */
	FK_POLICY_INT_LIST, /* non-empty ascending array of distinct integers, each as INT */
	FK_POLICY_DURATION, /* JSON integer count of unit within [min, max] */
	FK_POLICY_TIME,	    /* time of day "HH:MM", 00:00 to 23:59 */
	FK_POLICY_OBJECT,   /* JSON object shaped like the default: the same keys (unless
			     * open_keys), the same JSON types; every integer within [min, max]
			     * and among choices, if given */
};

enum fk_policy_unit { FK_POLICY_MINUTES = 1, FK_POLICY_HOURS, FK_POLICY_DAYS };

struct fk_policy_def {
	const char *key; /* "testing.pool_sizes": the module's prefix, a dot, a name */
	enum fk_policy_type type;
	const char *def;	  /* the default as JSON text: "10", "[1,5,10,20]", "\"07:00\"" */
	double min, max;	  /* bounds of the value, list items or object integers */
	const int64_t *choices;	  /* allowed integers, ended by 0; NULL = any within bounds */
	enum fk_policy_unit unit; /* FK_POLICY_DURATION only */
	bool open_keys;		  /* OBJECT: keys may differ from the default's; each value is
				   * shaped like the default's first member */
	const char *label_zh, *label_en;
	const char *help_zh, *help_en; /* what reads it, what it means */
	/* Cross-field rule, run on every edit over the values it would leave: values maps every
	 * key to its value. Returns 0, or FK_EUNPROC naming the field at fault. May be NULL. */
	int (*check)(json_t *values, struct fk_err *err);
};
/* clang-format off */
#define FK_POLICIES_END {0}
/* clang-format on */

/* ---- reading ---- */

/* An immutable set of values and the version they are. Never NULL; hold it while you use
 * what it returns, then release it. db (may be NULL: no store check) is used only when the
 * cache is due for its once-a-second look at the store's latest version; a failing look is
 * logged and the cached values serve on. */
struct fk_policy_snap;
struct fk_policy_snap *fk_policy_snap(struct fk_db *db);
void fk_policy_snap_release(struct fk_policy_snap *s);
int64_t fk_policy_snap_version(const struct fk_policy_snap *s);
/* INT and DURATION (in its unit) values; a def of another type is a bug (aborts). */
int64_t fk_policy_snap_i64(const struct fk_policy_snap *s, const struct fk_policy_def *d);
/* DURATION in milliseconds. */
int64_t fk_policy_snap_ms(const struct fk_policy_snap *s, const struct fk_policy_def *d);
double fk_policy_snap_number(const struct fk_policy_snap *s, const struct fk_policy_def *d);
/* Any value as JSON: a new reference the caller owns and may change. */
json_t *fk_policy_snap_json(const struct fk_policy_snap *s, const struct fk_policy_def *d);
/* INT_LIST: whether v is in the list. */
bool fk_policy_snap_has(const struct fk_policy_snap *s, const struct fk_policy_def *d, int64_t v);

/* One value from a snapshot taken and released inside; *version (may be NULL) is set to the
 * version it came from. */
int64_t fk_policy_i64(struct fk_db *db, const struct fk_policy_def *d, int64_t *version);
int64_t fk_policy_ms(struct fk_db *db, const struct fk_policy_def *d, int64_t *version);
json_t *fk_policy_get(struct fk_db *db, const struct fk_policy_def *d, int64_t *version);

/* ---- definitions ---- */

/* Collects the policies of modules (NULL-terminated) and checks each: key shape, type, a
 * default that parses and keeps its own rules. Replaces what an earlier call collected.
 * FK_EINTERNAL naming the key on a duplicate or a bad definition. */
int fk_policy_registry_load(const struct fk_module *const *modules, struct fk_err *err);
/* The definition of key, or NULL. *module (may be NULL) is set to the declaring module. */
const struct fk_policy_def *fk_policy_find(const char *key, const char **module);
/* Number of collected definitions, and the i-th (0 <= i < count), in declaration order. */
int fk_policy_count(void);
const struct fk_policy_def *fk_policy_at(int i, const char **module);

/* Whether v is a valid value for d on its own: FK_EINVAL naming d->key if not. */
int fk_policy_check_value(const struct fk_policy_def *d, json_t *v, struct fk_err *err);
/* The default of d as a new reference (the definition was checked at load). */
json_t *fk_policy_default(const struct fk_policy_def *d);

/* ---- editing ---- */

struct fk_policy_edit {
	json_t *values;	      /* key -> new value (borrowed) */
	const char *reason;   /* required, 1..500 characters */
	int64_t base_version; /* the version the editor saw; -1 = do not check */
	int64_t user_id;      /* who edits */
	const char *username;
};

/* Makes one new version from e inside the caller's write transaction: every key must be
 * collected, every value valid on its own and the whole set must keep every cross-field
 * rule, else nothing is written and err names the field (FK_EINVAL / FK_EUNPROC);
 * FK_ECONFLICT "policy_changed" when base_version is not the latest. *version is the new
 * version. Call fk_policy_cache_refresh(db) once the transaction commits. */
int fk_policy_edit(struct fk_db *db, const struct fk_policy_edit *e, int64_t *version,
		   struct fk_err *err);

/* Loads the store's current values into the cache now (after a local edit). */
int fk_policy_cache_refresh(struct fk_db *db, struct fk_err *err);
/* Forgets the cached values (a process that switches stores: tests). */
void fk_policy_cache_reset(void);
/* The clock the once-a-second check reads (epoch ms); NULL restores the wall clock. */
void fk_policy_cache_clock(int64_t (*now_ms)(void));

/* The store's current values as an object key -> value (stored ones only) and the latest
 * version, read in the caller's transaction. *values is a new reference. */
int fk_policy_load(struct fk_db *db, json_t **values, int64_t *version, struct fk_err *err);

extern const struct fk_module fk_module_policy;

#endif
