/* area: `fangkong area import-geometry --file F.geojson` — the shapes of areas from a GeoJSON
 * FeatureCollection whose features carry properties.code, all or none, audited. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <jansson.h>
#include "area/area.h"
#include "audit/audit.h"
#include "cmd/cmd.h"

#define GEOMETRY_MAX_BYTES (64ull << 20)

static const char usage[] = "usage: fangkong area import-geometry --file F.geojson [--db URL]";

static json_t *load(const char *path)
{
	json_error_t jerr;
	struct stat st;
	json_t *fc;

	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
		die("--file %s: no such regular file", path);
	if ((unsigned long long)st.st_size > GEOMETRY_MAX_BYTES)
		die("--file %s: the file is larger than %llu MiB", path, GEOMETRY_MAX_BYTES >> 20);
	fc = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!fc)
		die("--file %s: line %d, column %d: %s", path, jerr.line, jerr.column, jerr.text);
	return fc;
}

static void audit(struct fk_db *db, const char *path, size_t count)
{
	struct fk_audit_entry e = {.action = "area.import_geometry", .target_kind = "import"};
	struct fk_err err = {0};

	e.detail = json_pack("{s:s, s:I}", "file", path, "features", (json_int_t)count);
	if (fk_audit_cli(db, &e, &err) < 0)
		fprintf(stderr, "fangkong: warning: the import was not audited: %s\n", err.en);
}

static int import_geometry(int argc, char **argv, struct cmd_ctx *ctx)
{
	const char *file = NULL;
	struct fk_err err = {0};
	size_t count = 0;
	json_t *fc;

	for (int i = 2; i < argc; i++) {
		const char *v = cmd_opt_value(argc, argv, &i, "--file");
		if (!v)
			die("unknown option '%s'; %s", argv[i], usage);
		file = v;
	}
	if (!file)
		die("--file is required; %s", usage);
	fc = load(file);
	if (fk_area_import_geometry(ctx->db, fc, &count, &err) < 0) {
		json_decref(fc);
		die_err(file, &err);
	}
	json_decref(fc);
	audit(ctx->db, file, count);
	printf("stored the shapes of %zu areas\n", count);
	return 0;
}

int cmd_area(int argc, char **argv, struct cmd_ctx *ctx)
{
	if (argc < 2)
		die("%s", usage);
	if (strcmp(argv[1], "import-geometry") == 0)
		return import_geometry(argc, argv, ctx);
	die("unknown area command '%s'; %s", argv[1], usage);
}
