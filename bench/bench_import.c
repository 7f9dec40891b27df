/* bench_import: imports N residents (default 1,000,000) from a CSV file into a fresh SQLite
 * store through fk_people_import_csv, the function behind `fangkong import residents` and
 * POST /api/v1/people/import, and compares it with a bare sqlite3 insert of the same rows
 * (same tables and indexes, copied from the store's schema; one transaction; one prepared
 * statement per table) measured in the same run. Issue 2's goal: import under 20 s.
 *
 *   bench_import [--rows N] [--keep]     (--keep leaves the temp dir for inspection) */
#include <sqlite3.h>
#include <stdbool.h>
#include <unistd.h>
#include "area/area.h"
#include "base/buf.h"
#include "base/id.h"
#include "base/report.h"
#include "base/xmalloc.h"
#include "bench.h"
#include "cmd/demo.h"
#include "people/people.h"

/* One generated resident, compact: a million of them fit in a few hundred MB. */
struct row {
	char name[40];
	char id_number[20];
	char phone[12];
	char sex;
	char birth[11];
	uint16_t building;
	char household[16];
	char residence[12];
	char tags[80]; /* comma list */
};

struct place {
	int64_t id;
	char path[FK_AREA_PATH_MAX];
};

static void cp(char *dst, size_t size, const char *src)
{
	size_t n = strnlen(src, size - 1);
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void row_from_person(struct row *r, const struct fk_person *p, int building)
{
	cp(r->name, sizeof(r->name), p->name);
	cp(r->id_number, sizeof(r->id_number), p->id_number);
	cp(r->phone, sizeof(r->phone), p->phone);
	r->sex = p->sex;
	cp(r->birth, sizeof(r->birth), p->birth_date);
	r->building = (uint16_t)building;
	cp(r->household, sizeof(r->household), p->household);
	cp(r->residence, sizeof(r->residence), p->residence);
	r->tags[0] = '\0';
	for (int i = 0; i < p->ntags; i++) {
		size_t len = strlen(r->tags);
		snprintf(r->tags + len, sizeof(r->tags) - len, "%s%s", i ? "," : "", p->tags[i]);
	}
}

static struct row *generate(long long n)
{
	struct row *rows = fk_xcalloc((size_t)(n > 0 ? n : 1), sizeof(*rows));
	struct fk_demo_gen *g = fk_demo_gen_new(7, n);
	struct fk_person p;
	long long i = 0;
	int b;

	while (fk_demo_gen_next(g, &p, &b))
		row_from_person(&rows[i++], &p, b);
	fk_demo_gen_free(g);
	return rows;
}

static void write_csv(const char *path, const struct row *rows, long long n)
{
	FILE *f = fopen(path, "w");
	struct fk_buf b;
	char code[24];

	if (!f) {
		perror(path);
		exit(1);
	}
	fk_buf_init(&b, FK_BUF_TEXT_MAX); /* one row at a time */
	fputs("name,id_number,phone,building,household,residence,tags\n", f);
	for (long long i = 0; i < n; i++) {
		const struct row *r = &rows[i];
		fk_buf_reset(&b);
		fk_csv_put_field(&b, r->name);
		fk_buf_printf(&b, ",%s,%s,%s,%s,%s,", r->id_number, r->phone,
			      fk_demo_building_code(r->building, code), r->household, r->residence);
		fk_csv_put_field(&b, r->tags);
		fk_buf_putc(&b, '\n');
		fwrite(b.data, 1, b.len, f);
	}
	fk_buf_release(&b);
	if (fclose(f) != 0) {
		perror(path);
		exit(1);
	}
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data;
	long size;

	if (!f || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		perror(path);
		exit(1);
	}
	data = fk_xmalloc((size_t)size + 1);
	*len = fread(data, 1, (size_t)size, f);
	data[*len] = '\0';
	fclose(f);
	return data;
}

/* The demo area tree (no residents), and where each building sits in it. */
static int64_t make_areas(struct fk_db *db, struct place *places)
{
	struct fk_demo_opts o = {.residents = 0, .seed = 1, .password = "bench-pass-1"};
	struct fk_err err = {0};
	struct fk_area a;
	char code[24];

	if (fk_demo_build(db, &o, NULL, &err) < 0)
		bench_die("demo areas", &err);
	for (int b = 0; b < FK_DEMO_BUILDINGS; b++) {
		if (fk_area_get_by_code(db, fk_demo_building_code(b, code), &a, &err) < 0)
			bench_die(code, &err);
		places[b].id = a.id;
		snprintf(places[b].path, sizeof(places[b].path), "%s", a.path);
		fk_area_release(&a);
	}
	if (fk_area_get_by_code(db, FK_DEMO_DISTRICT_CODE, &a, &err) < 0)
		bench_die("district", &err);
	fk_area_release(&a);
	return a.id;
}

struct timing {
	double wall, cpu; /* seconds */
};

static struct timing run_import(struct fk_db *db, const char *csv, int64_t district, long long n)
{
	struct fk_import_report rep;
	struct fk_err err = {0};
	size_t len;
	char *data = slurp(csv, &len);
	uint64_t t0 = fk_mono_ns(), c0 = bench_cpu_ns();
	struct timing t;

	fk_report_init(&rep);
	if (fk_people_import_csv(db, data, len, FK_ENC_AUTO, district, NULL, &rep, &err) < 0)
		bench_die("import", &err);
	t.wall = bench_secs(t0);
	t.cpu = bench_cpu_secs(c0);
	if (rep.created != n || rep.failed != 0) {
		fk_report_print(stderr, csv, &rep);
		fprintf(stderr, "bench: import created %ld of %lld rows\n", rep.created, n);
		exit(1);
	}
	fk_report_release(&rep);
	free(data);
	return t;
}

/* ---- the bare baseline ---- */

static void sq_check(sqlite3 *h, int rc, const char *what)
{
	if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
		fprintf(stderr, "bench: sqlite: %s: %s\n", what, sqlite3_errmsg(h));
		exit(1);
	}
}

/* Copies the people module's tables and indexes from the store into the bare database. */
static void copy_schema(sqlite3 *bare, const char *store_path)
{
	sqlite3 *src;
	sqlite3_stmt *st;

	sq_check(
	    bare,
	    sqlite3_open_v2(store_path, &src, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL),
	    "open");
	sq_check(src,
		 sqlite3_prepare_v2(src,
				    "SELECT sql FROM sqlite_master WHERE tbl_name IN "
				    "('people', 'person_tags') AND sql IS NOT NULL ORDER BY rowid",
				    -1, &st, NULL),
		 "schema");
	while (sqlite3_step(st) == SQLITE_ROW)
		sq_check(
		    bare,
		    sqlite3_exec(bare, (const char *)sqlite3_column_text(st, 0), NULL, NULL, NULL),
		    "create");
	sqlite3_finalize(st);
	sqlite3_close(src);
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s && *s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

static void insert_tags(sqlite3 *h, sqlite3_stmt *st, int64_t id, const struct row *r,
			int64_t area_id)
{
	const char *t = r->tags;

	while (*t) {
		const char *end = strchr(t, ',');
		int len = end ? (int)(end - t) : (int)strlen(t);
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, t, len, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, r->name, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, area_id);
		sq_check(h, sqlite3_step(st), "insert tag");
		sqlite3_reset(st);
		t += len + (end != NULL);
	}
}

static int64_t insert_row(sqlite3 *h, sqlite3_stmt *st, const struct row *r, const struct place *pl,
			  int64_t now)
{
	char sex[2] = {r->sex, '\0'};
	int64_t id = fk_id_next();

	sqlite3_bind_int64(st, 1, id);
	bind_text(st, 2, r->name);
	bind_text(st, 3, "resident");
	bind_text(st, 4, r->id_number);
	bind_text(st, 5, r->phone);
	bind_text(st, 6, sex);
	bind_text(st, 7, r->birth);
	sqlite3_bind_int64(st, 8, pl->id);
	bind_text(st, 9, pl->path);
	bind_text(st, 10, r->household);
	bind_text(st, 11, r->residence);
	bind_text(st, 12, r->tags);
	sqlite3_bind_int64(st, 13, now);
	sqlite3_bind_int64(st, 14, now);
	sq_check(h, sqlite3_step(st), "insert person");
	sqlite3_reset(st);
	return id;
}

static struct timing run_bare(const char *path, const char *store_path, const struct row *rows,
			      long long n, const struct place *places)
{
	sqlite3 *h;
	sqlite3_stmt *ins, *tag;
	uint64_t t0, c0;
	int64_t now = fk_now_ms();
	struct timing t;

	sq_check(NULL, sqlite3_open(path, &h), "open bare");
	sq_check(h,
		 sqlite3_exec(h,
			      "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
			      "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY; "
			      "PRAGMA cache_size=-65536;",
			      NULL, NULL, NULL),
		 "pragmas");
	copy_schema(h, store_path);
	sq_check(h,
		 sqlite3_prepare_v2(h,
				    "INSERT INTO people (id, name, id_type, id_number, phone, sex, "
				    "birth_date, area_id, area_path, household, residence, tags, "
				    "created_at, updated_at) "
				    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
				    -1, &ins, NULL),
		 "prepare");
	sq_check(h,
		 sqlite3_prepare_v2(h,
				    "INSERT INTO person_tags (person_id, tag, name, area_id) "
				    "VALUES (?, ?, ?, ?)",
				    -1, &tag, NULL),
		 "prepare tags");
	t0 = fk_mono_ns();
	c0 = bench_cpu_ns();
	sq_check(h, sqlite3_exec(h, "BEGIN", NULL, NULL, NULL), "begin");
	for (long long i = 0; i < n; i++) {
		const struct place *pl = &places[rows[i].building];
		int64_t id = insert_row(h, ins, &rows[i], pl, now);
		insert_tags(h, tag, id, &rows[i], pl->id);
	}
	sq_check(h, sqlite3_exec(h, "COMMIT", NULL, NULL, NULL), "commit");
	t.wall = bench_secs(t0);
	t.cpu = bench_cpu_secs(c0);
	sqlite3_finalize(ins);
	sqlite3_finalize(tag);
	sqlite3_close(h);
	return t;
}

/* ---- main ---- */

static void remove_dir(const char *dir, const char *const *files, int nfiles)
{
	char path[512];
	for (int i = 0; i < nfiles; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
}

int main(int argc, char **argv)
{
	static const char *const files[] = {"people.csv",   "store.db", "store.db-wal",
					    "store.db-shm", "bare.db",	"bare.db-wal",
					    "bare.db-shm"};
	long long n = bench_arg(argc, argv, "--rows", 1000000);
	bool keep = argc > 1 && strcmp(argv[argc - 1], "--keep") == 0;
	char dir[] = "/tmp/fk-bench-import-XXXXXX", csv[256], store[256], bare[256];
	struct place *places = fk_xcalloc(FK_DEMO_BUILDINGS, sizeof(*places));
	uint64_t t0;

	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(csv, sizeof(csv), "%s/people.csv", dir);
	snprintf(store, sizeof(store), "%s/store.db", dir);
	snprintf(bare, sizeof(bare), "%s/bare.db", dir);

	t0 = fk_mono_ns();
	struct row *rows = generate(n);
	write_csv(csv, rows, n);
	printf("generated %lld residents into %s in %.2f s\n", n, csv, bench_secs(t0));

	struct fk_db *db = bench_open_store(store);
	int64_t district = make_areas(db, places);
	struct timing imp = run_import(db, csv, district, n);
	fk_db_close(db);
	struct timing raw = run_bare(bare, store, rows, n, places);

	printf("%-24s %10s %9s %12s %9s\n", "", "rows", "seconds", "rows/s", "cpu s");
	printf("%-24s %10lld %9.2f %12.0f %9.2f\n", "fk_people_import_csv", n, imp.wall,
	       n / imp.wall, imp.cpu);
	printf("%-24s %10lld %9.2f %12.0f %9.2f\n", "bare sqlite3 insert", n, raw.wall,
	       n / raw.wall, raw.cpu);
	printf("ratio import/bare: %.2f (cpu %.2f); goal: 1,000,000 rows imported in under 20 s\n",
	       imp.wall / raw.wall, imp.cpu / raw.cpu);
	free(rows);
	free(places);
	if (keep)
		printf("kept %s\n", dir);
	else
		remove_dir(dir, files, (int)(sizeof(files) / sizeof(files[0])));
	return 0;
}
