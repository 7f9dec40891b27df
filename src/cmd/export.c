/* export: `fangkong export daily-report --area CODE --date D [--out F] [--store URL]` —
 * writes the daily report 每日简报 of an area as XLSX (the same file the web page downloads),
 * by default to daily-report-CODE-D.xlsx. The system's read: no scope limit; audited as an
 * export of the system account. */
#include <stdio.h>
#include <string.h>
#include "area/area.h"
#include "audit/audit.h"
#include "cmd/cmd.h"
#include "modules.h"
#include "reports/reports.h"

struct export_args {
	const char *what;
	const char *area;
	const char *date;
	const char *out;
	const char *store;
};

#define USAGE                                                                                      \
	"usage: fangkong export daily-report --area CODE --date YYYY-MM-DD [--out FILE] "          \
	"[--store URL]"

static void parse_args(int argc, char **argv, struct export_args *a)
{
	static const char *const opts[] = {"--area", "--date", "--out", "--store"};
	const char **slots[] = {&a->area, &a->date, &a->out, &a->store};

	memset(a, 0, sizeof(*a));
	for (int i = 1; i < argc; i++) {
		const char *v = NULL;
		for (size_t k = 0; !v && k < sizeof(opts) / sizeof(opts[0]); k++)
			if ((v = cmd_opt_value(argc, argv, &i, opts[k])))
				*slots[k] = v;
		if (v)
			continue;
		if (argv[i][0] == '-' || a->what)
			die("unknown argument '%s'; see 'fangkong help export'", argv[i]);
		a->what = argv[i];
	}
	if (!a->what)
		die(USAGE);
	if (strcmp(a->what, "daily-report") != 0)
		die("'%s' cannot be exported here; the command exports 'daily-report'", a->what);
	if (!a->area || !*a->area)
		die("--area is required (an area code); " USAGE);
	if (!a->date || !*a->date)
		die("--date is required (YYYY-MM-DD); " USAGE);
}

static struct fk_db *open_store(const char *url)
{
	struct fk_err err = {0};
	struct fk_db *db = NULL;

	if (fk_db_open(url, &db, &err) < 0)
		die_err(url, &err);
	if (fk_modules_migrate(db, fk_modules, NULL, &err) < 0)
		die_err("migrate", &err);
	return db;
}

static void audit(struct fk_db *db, const struct fk_daily_report *r, const char *path)
{
	struct fk_err err = {0};
	struct fk_audit_entry e = {
	    .action = "export.daily_report",
	    .target_kind = "area",
	    .target_id = r->area.area_id,
	    .detail = json_pack("{s:s, s:s, s:s}", "date", r->date, "format", "xlsx", "file", path),
	};

	if (fk_audit_cli(db, &e, &err) < 0)
		die_err("audit", &err);
}

int cmd_export(int argc, char **argv, struct cmd_ctx *ctx)
{
	struct export_args a;
	struct fk_err err = {0};
	struct fk_daily_report r;
	struct fk_area area = {0};
	char path[512];
	struct fk_db *db;

	parse_args(argc, argv, &a);
	if (fk_daily_date_check(a.date, "--date", &err) < 0)
		die_err("export daily-report", &err);
	db = open_store(a.store ? a.store : ctx->db_url);
	if (fk_area_get_by_code(db, a.area, &area, &err) < 0)
		die("--area: no area has the code '%s'", a.area);
	if (fk_daily_report_make(db, NULL, area.id, a.date, &r, &err) < 0)
		die_err("daily-report", &err);
	if (a.out)
		snprintf(path, sizeof(path), "%s", a.out);
	else
		snprintf(path, sizeof(path), "daily-report-%s-%s.xlsx", area.code, a.date);
	if (fk_daily_report_xlsx(&r, path, &err) < 0)
		die_err(path, &err);
	audit(db, &r, path);
	printf("%s: %s %s, %d rows\n", path, area.code, a.date, 1 + r.nchildren);
	fk_daily_report_release(&r);
	fk_area_release(&area);
	fk_db_close(db);
	return 0;
}
