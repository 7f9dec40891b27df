/* module: the process's list of modules and what the platform does with their descriptors —
 * check them, run their migrations, prepare the statements that keep declared area paths right,
 * start and stop them and find their private state again. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/log.h"
#include "base/xmalloc.h"
#include "platform/module.h"

static const struct fk_module *const no_modules[] = {NULL};
static const struct fk_module *const *in_use = no_modules;
static struct fk_path_decl *paths;
static int npaths;

const struct fk_module *const *fk_modules_used(void)
{
	return in_use;
}

int fk_modules_paths(const struct fk_path_decl **out)
{
	*out = paths;
	return npaths;
}

static bool sql_name(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	return n > 0 && n < 64 && strspn(s, "abcdefghijklmnopqrstuvwxyz_0123456789") == n &&
	       !(s[0] >= '0' && s[0] <= '9');
}

static int bad_module(struct fk_err *err, const char *name, const char *why_zh, const char *why)
{
	return fk_err_set(err, FK_EINTERNAL, "bad_module", NULL, "模块 %s：%s", "module %s: %s",
			  name ? name : "(unnamed)", why_zh, why);
}

static int check_paths(const struct fk_module *m, struct fk_err *err)
{
	for (const struct fk_area_path *p = m->area_paths; p && p->table; p++)
		if (!sql_name(p->table) || !sql_name(p->column))
			return fk_err_set(err, FK_EINTERNAL, "bad_area_path", NULL,
					  "模块 %s 声明的区域路径列 %s.%s 不是合法的 SQL 名称",
					  "module %s declares area path column %s.%s, which is not "
					  "a plain SQL name",
					  m->name, p->table, p->column ? p->column : "(none)");
	return 0;
}

static int check_purges(const struct fk_module *m, struct fk_err *err)
{
	for (const struct fk_purge *p = m->purges; p && p->table; p++)
		if (!sql_name(p->table) || !sql_name(p->time_column) ||
		    (p->key && !sql_name(p->key)))
			return fk_err_set(
			    err, FK_EINTERNAL, "bad_purge", NULL,
			    "模块 %s 声明的清除表 %s 的列不是合法的 SQL 名称",
			    "module %s declares a purge of table %s whose names are not "
			    "plain SQL names",
			    m->name, p->table);
	return 0;
}

static bool declares(const struct fk_module *m, const char *signal)
{
	for (const char *const *s = m->signals; s && *s; s++)
		if (strcmp(*s, signal) == 0)
			return true;
	return false;
}

/* Every listener hears a signal some module of the list declares. */
static int check_listeners(const struct fk_module *const *mods, const struct fk_module *m,
			   struct fk_err *err)
{
	for (const struct fk_listener *l = m->listeners; l && l->signal; l++) {
		bool found = false;
		for (int i = 0; mods[i] && !found; i++)
			found = declares(mods[i], l->signal);
		if (!found || !l->fn)
			return fk_err_set(
			    err, FK_EINTERNAL, "bad_module", NULL,
			    "模块 %s 监听的信号 %s 没有模块声明",
			    "module %s listens to signal %s, which no module declares", m->name,
			    l->signal);
	}
	return 0;
}

static int check_list(const struct fk_module *const *mods, struct fk_err *err)
{
	for (int i = 0; mods[i]; i++) {
		if (!mods[i]->name || !sql_name(mods[i]->name))
			return bad_module(err, mods[i]->name, "名称须为小写字母、数字或下划线",
					  "the name must be lower-case letters, digits or _");
		for (int j = 0; j < i; j++)
			if (strcmp(mods[i]->name, mods[j]->name) == 0)
				return bad_module(err, mods[i]->name, "重复登记", "listed twice");
		if (check_paths(mods[i], err) < 0 || check_listeners(mods, mods[i], err) < 0 ||
		    check_purges(mods[i], err) < 0)
			return FK_EINTERNAL;
	}
	return 0;
}

static char *print_sql(const char *fmt, const struct fk_area_path *p)
{
	size_t n = strlen(fmt) + 4 * (strlen(p->table) + strlen(p->column)) + 1;
	char *s = fk_xmalloc(n);

	snprintf(s, n, fmt, p->table, p->column, p->column, p->column, p->column);
	return s;
}

static void free_paths(void)
{
	for (int i = 0; i < npaths; i++) {
		free((char *)paths[i].move_sql);
		free((char *)paths[i].count_sql);
	}
	free(paths);
	paths = NULL;
	npaths = 0;
}

/* The CASTs let PostgreSQL type the parameters of || and substr. */
static void make_paths(const struct fk_module *const *mods)
{
	int n = 0;

	for (int i = 0; mods[i]; i++)
		for (const struct fk_area_path *p = mods[i]->area_paths; p && p->table; p++)
			n++;
	paths = fk_xcalloc((size_t)n + 1, sizeof(*paths));
	for (int i = 0; mods[i]; i++)
		for (const struct fk_area_path *p = mods[i]->area_paths; p && p->table; p++)
			paths[npaths++] = (struct fk_path_decl){
			    .module = mods[i]->name,
			    .path = p,
			    .move_sql = print_sql("UPDATE %s SET %s = CAST(? AS TEXT) || "
						  "substr(%s, CAST(? AS INTEGER)) WHERE %s >= ? "
						  "AND %s < ?",
						  p),
			    .count_sql = print_sql("SELECT COUNT(*) FROM %s WHERE %s >= ? AND "
						   "%s < ?%.0s%.0s",
						   p),
			};
}

int fk_modules_use(const struct fk_module *const *mods, struct fk_err *err)
{
	if (!mods)
		mods = no_modules;
	if (check_list(mods, err) < 0)
		return FK_EINTERNAL;
	free_paths();
	make_paths(mods);
	in_use = mods;
	return 0;
}

int fk_modules_migrate(struct fk_db *db, const struct fk_module *const *mods, int *applied,
		       struct fk_err *err)
{
	struct fk_migration_set *sets;
	int n = 0, rc;

	while (mods[n])
		n++;
	sets = fk_xcalloc((size_t)n + 1, sizeof(*sets));
	for (int i = 0; i < n; i++)
		sets[i] =
		    (struct fk_migration_set){.module = mods[i]->name, .list = mods[i]->migrations};
	rc = fk_migrate(db, sets, n, applied, err);
	free(sets);
	return rc;
}

static int check_column(struct fk_db *db, const char *module, const struct fk_area_path *p,
			struct fk_err *err)
{
	char sql[200];
	struct fk_q *q;
	int rc;

	snprintf(sql, sizeof(sql), "SELECT %s FROM %s WHERE 1 = 0", p->column, p->table);
	rc = fk_db_query(db, &q, sql, err);
	if (rc == 0)
		rc = fk_q_step(q, err);
	fk_q_done(q);
	if (rc < 0)
		return fk_err_set(err, FK_EINTERNAL, "bad_area_path", NULL,
				  "模块 %s 声明的区域路径列 %s.%s 在数据库中不存在",
				  "module %s declares area path column %s.%s, which the store "
				  "does not have",
				  module, p->table, p->column);
	return 0;
}

int fk_modules_check(struct fk_db *db, const struct fk_module *const *mods, struct fk_err *err)
{
	for (int i = 0; mods[i]; i++)
		for (const struct fk_area_path *p = mods[i]->area_paths; p && p->table; p++)
			if (check_column(db, mods[i]->name, p, err) < 0)
				return FK_EINTERNAL;
	return 0;
}

/* The fini of the first n modules, last first, then the states go. */
static void stop_first(struct fk_app *app, int n)
{
	for (int i = n - 1; i >= 0; i--)
		if (app->modules[i]->fini)
			app->modules[i]->fini(app, app->states[i]);
	free(app->states);
	app->states = NULL;
}

void fk_modules_stop(struct fk_app *app)
{
	int n = 0;

	while (app->modules && app->modules[n])
		n++;
	if (app->states)
		stop_first(app, n);
}

int fk_modules_start(struct fk_app *app, struct fk_err *err)
{
	int n = 0;

	while (app->modules[n])
		n++;
	app->states = fk_xcalloc((size_t)n + 1, sizeof(void *));
	for (int i = 0; i < n; i++) {
		const struct fk_module *m = app->modules[i];
		int rc = m->init ? m->init(app, &app->states[i], err) : 0;
		if (rc < 0) {
			fk_error("event=module_init_failed module=%s error=\"%s\"", m->name,
				 err ? err->en : "");
			stop_first(app, i);
			return rc;
		}
	}
	return 0;
}

void *fk_module_state(const struct fk_app *app, const struct fk_module *m)
{
	if (!app || !app->states)
		return NULL;
	for (int i = 0; app->modules[i]; i++)
		if (app->modules[i] == m)
			return app->states[i];
	return NULL;
}
