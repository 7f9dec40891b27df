/* module: what a domain module is. A module is its folder: src/<name>/ holds its code, its
 * schema migrations (schema/NNN_name.sql, numbered within the module) and one descriptor,
 *
 *   const struct fk_module fk_module_zones = {
 *       .name = "zones",
 *       .routes = zn_routes,                 // method, path, handler, roles, body schema
 *       .migrations = fk_migrations_zones,   // generated from src/zones/schema/
 *       .area_paths = (const struct fk_area_path[]){
 *           {.table = "zones", .column = "area_path", .blocks_delete = "zones"},
 *           {0},
 *       },
 *       .jobs = zn_jobs,                     // lifts due, on a schedule (platform/jobs.h)
 *       .policies = zn_policies,             // the rules it reads (policy/policy.h)
 *       .listeners = zn_listeners,           // its reactions to others' facts (signal.h)
 *       .init = zn_init, .fini = zn_fini,    // private state, threads
 *       .purges = zn_purges,                 // personal event data past retention
 *   };
 *
 * and adding it is one line in src/modules.c and one in CMakeLists.txt. The platform reads
 * the descriptor: the router compiles the routes, fk_modules_migrate runs the migrations, the
 * area module rewrites every declared path column when a subtree moves and refuses to delete
 * an area that rows with blocks_delete still name, init's state is found again with
 * fk_module_state. docs/internals.md walks through it. */
#ifndef FK_PLATFORM_MODULE_H
#define FK_PLATFORM_MODULE_H
#include <stdbool.h>
#include <stdint.h>
#include "base/err.h"
#include "http/http.h"
#include "store/db.h"
#include "store/migrate.h"
#include "platform/signal.h"
#include "platform/zone_rule.h"

/* A column in which a module keeps a copy of an area's materialized path ("/1/12/305/"). */
struct fk_area_path {
	const char *table;
	const char *column;
	/* Non-NULL: rows at or under an area forbid deleting it; names what they are for the
	 * refusal ("residents", "rounds", "sites"). */
	const char *blocks_delete;
	/* The one column whose rows are the area's residents (residents_count, grid sizes). */
	bool residents;
};

/* Personal event data a module keeps (PIPL: no longer than needed), deleted by the
 * platform's daily retention.purge job once older than the policy
 * retention.personal_data_days: the rows of table whose time_column (epoch ms) is older and,
 * when where is given, that also meet it ("status = 'closed'": what is still in use stays).
 * Deleted in batches of 1,000 rows by key. Never the registry of residents. */
struct fk_purge {
	const char *table;
	const char *time_column;
	const char *key;   /* the column that names one row; "id" when NULL */
	const char *where; /* a condition the rows must also meet, or NULL */
};

struct fk_module {
	const char *name;		       /* one word, also the prefix of its migrations */
	const struct fk_route *routes;	       /* ends with FK_ROUTES_END; may be NULL */
	const struct fk_migration *migrations; /* ends with {0}; may be NULL */
	const struct fk_area_path *area_paths; /* ends with {0}; may be NULL */
	const struct fk_job *jobs; /* work on a schedule (platform/jobs.h), ends with FK_JOBS_END */
	/* The policies the module reads (policy/policy.h), ended by FK_POLICIES_END; the policy
	 * module collects them at start. May be NULL. */
	const struct fk_policy_def *policies;
	/* The signals the module emits (platform/signal.h), ended by NULL; may be NULL. */
	const char *const *signals;
	/* Its reactions to other modules' signals, ended by {0}; may be NULL. */
	const struct fk_listener *listeners;
	/* At start, after migrations, before serving: makes the module's private state (found
	 * again with fk_module_state) and starts what it runs. May be NULL. */
	int (*init)(struct fk_app *app, void **state, struct fk_err *err);
	/* After the server stopped, before the store closes: stops what init or the module's
	 * requests started (threads) and frees state. May be NULL. */
	void (*fini)(struct fk_app *app, void *state);
	/* Its personal event data, ended by {0}; may be NULL (platform/retention.c). */
	const struct fk_purge *purges;
};

/* Server-wide state, owned by `fangkong serve`. */
struct fk_app {
	struct fk_store *store;
	const struct fk_module *const *modules; /* NULL-terminated */
	void **states;				/* parallel to modules: what each init made */
	const char *web_dir;			/* static files, or NULL */
	int login_rate; /* login attempts per client address per minute; 0 = the default */
	/* Fills req->who from the session cookie; FK_EAUTH when there is none or it expired.
	 * Installed by the users module's init. */
	int (*authenticate)(struct fk_req *req, struct fk_err *err);
	/* A policy's current value in ms (a duration) by its key, for the platform, which sits
	 * below the policy module; fallback when the key is unknown. Installed by the policy
	 * module's init; NULL without it. */
	int64_t (*policy_ms)(struct fk_db *db, const char *key, int64_t fallback);
	/* The scheduler's counters, one per job, ended by a NULL name; GET /metrics shows them.
	 * NULL while no scheduler exists. */
	struct fk_job_stats *job_stats;
	/* The zone in force over an area (platform/zone_rule.h; call fk_zone_of). Installed by
	 * the zones module's init; NULL without it. */
	int (*zone_of)(struct fk_app *app, struct fk_db *db, const char *area_path,
		       struct fk_zone_rule *out, struct fk_err *err);
	/* The door-to-door zones' paths near a subtree (fk_zone_door_paths). Installed with
	 * zone_of; NULL without it. */
	int (*zone_door_paths)(struct fk_app *app, struct fk_db *db, const char *under,
			       json_t *paths, struct fk_err *err);
};

/* Deletes, module by module, the rows each declares in .purges older than before_ms, in
 * batches of 1,000 per statement; *purged (may be NULL) gets how many. 0 or the store's
 * error (the batches before it stay deleted). The job retention.purge (daily) calls it. */
int fk_retention_purge(struct fk_db *db, const struct fk_module *const *mods, int64_t before_ms,
		       int64_t *purged, struct fk_err *err);
int fk_retention_job(struct fk_app *app, struct fk_db *db, struct fk_err *err);
#define FK_RETENTION_POLICY "retention.personal_data_days"
#define FK_RETENTION_MS	    (180LL * 24 * 3600 * 1000)

/* ---- the process's modules ---- */

/* Makes mods (NULL-terminated, static) the modules of this process: what area moves rewrite
 * and what fk_modules_used returns. Checks the descriptors first: FK_EINTERNAL naming the
 * module for a name missing or given twice ("bad_module"), or a declared path whose table or
 * column is not a plain SQL name ("bad_area_path"); the list in use is then unchanged. Call
 * before any thread starts; a test may call it again with a list of its own. */
int fk_modules_use(const struct fk_module *const *mods, struct fk_err *err);
/* The list given to fk_modules_use (an empty list before). Never NULL. */
const struct fk_module *const *fk_modules_used(void);

/* A declared area path column with its statements made once, in fk_modules_use. */
struct fk_path_decl {
	const char *module;
	const struct fk_area_path *path;
	/* "UPDATE t SET c = ? || substr(c, ?) WHERE c >= ? AND c < ?": binds new prefix,
	 * strlen(old prefix) + 1, old prefix, fk_prefix_upper(old prefix). */
	const char *move_sql;
	/* "SELECT COUNT(*) FROM t WHERE c >= ? AND c < ?": binds path, fk_prefix_upper(path). */
	const char *count_sql;
};
/* The declared path columns of the modules in use, in list order; returns how many. */
int fk_modules_paths(const struct fk_path_decl **out);

/* Runs every migration of mods that db lacks, module by module in list order. */
int fk_modules_migrate(struct fk_db *db, const struct fk_module *const *mods, int *applied,
		       struct fk_err *err);
/* Checks the store against the descriptors: every declared area path column exists.
 * FK_EINTERNAL "bad_area_path" naming the module, table and column. */
int fk_modules_check(struct fk_db *db, const struct fk_module *const *mods, struct fk_err *err);

/* Starts every module of app (init, in list order) and allocates app->states; on a failure
 * the modules already started are stopped again. fk_modules_stop calls fini in reverse. */
int fk_modules_start(struct fk_app *app, struct fk_err *err);
void fk_modules_stop(struct fk_app *app);
/* What m's init made; NULL when app is NULL, m is not among app's modules or made none. */
void *fk_module_state(const struct fk_app *app, const struct fk_module *m);

#endif
