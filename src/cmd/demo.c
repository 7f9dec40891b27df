/* demo: `fangkong demo` and fk_demo_build — an empty store becomes the demo district of the
 * brief: the area tree (demo_areas.c), residents from the generator (demo_gen.c) written in
 * large transactions, and one user per role; the logins are printed at the end. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "area/area.h"
#include "base/clock.h"
#include "base/xmalloc.h"
#include "cmd/cmd.h"
#include "cmd/demo_int.h"
#include "people/people.h"
#include "users/users.h"

#define DEFAULT_RESIDENTS 200000
#define DEFAULT_BATCH	  500000
#define PROGRESS_EVERY	  1000000

struct demo_user {
	const char *username;
	const char *display_name;
	enum fk_role role;
	const char *scope_code;
};

/* The accounts the API tests and the docs rely on; resident1 comes last (it needs a
 * resident). */
static const struct demo_user demo_users[FK_DEMO_NUSERS] = {
    {"admin", "系统管理员", FK_ROLE_ADMIN, "370212"},
    {"commander", "崂山区指挥部", FK_ROLE_COMMANDER, "370212"},
    {"community1", "张村社区工作人员", FK_ROLE_COMMUNITY, "370212001001"},
    {"community2", "河东社区工作人员", FK_ROLE_COMMUNITY, "370212001002"},
    {"grid1", "张村社区第1网格网格员", FK_ROLE_GRID, "370212001001G01"},
    {"grid2", "河东社区第1网格网格员", FK_ROLE_GRID, "370212001002G01"},
    {"building1", "张村社区1号楼楼长", FK_ROLE_BUILDING, "370212001001G01B01"},
    {"registrar1", "采样点登记员", FK_ROLE_REGISTRAR, "370212"},
    {"lab1", "检测机构", FK_ROLE_LAB, "370212"},
    {"volunteer1", "志愿者", FK_ROLE_VOLUNTEER, "370212001001"},
    {"resident1", NULL, FK_ROLE_RESIDENT, "370212001001G01B01"},
};

static int count_user(void *ctx, const struct fk_user *u)
{
	(void)u;
	(*(int64_t *)ctx)++;
	return 0;
}

/* The demo only fills a store that has nothing in it: mixing it with real data would be a
 * mess that nobody could clean up. */
static int check_empty(struct fk_db *db, struct fk_err *err)
{
	static const char *const probes[] = {
	    "SELECT id FROM areas LIMIT 1",
	    "SELECT id FROM people LIMIT 1",
	};
	int64_t n = 0;
	int rc = fk_user_list(db, count_user, &n, err);

	for (size_t i = 0; rc >= 0 && n == 0 && i < sizeof(probes) / sizeof(probes[0]); i++) {
		rc = fk_db_one_i64(db, err, &n, probes[i], "");
		n = rc > 0;
	}
	if (rc < 0)
		return rc;
	if (n > 0)
		return fk_err_set(
		    err, FK_ECONFLICT, "store_not_empty", NULL,
		    "数据库中已有数据；演示数据只能写入空数据库",
		    "the store already holds data; the demo fills only an empty store");
	return 0;
}

static void progress_line(FILE *f, long long n, uint64_t t0)
{
	double s = (double)(fk_mono_ns() - t0) / 1e9;
	if (f)
		fprintf(f, "demo: %lld residents (%.1f s, %.0f/s)\n", n, s,
			s > 0 ? (double)n / s : 0);
}

/* A bulk load into SQLite slows down once the indexes outgrow the page cache: every insert
 * lands on a random page of the name, ID and phone indexes, and every commit writes each page
 * it touched to the WAL. So the demo writes big batches (measured at 2M residents: 500,000
 * rows per commit write 2.6 times less than 100,000 and run 20% faster) and lends the
 * connection a larger cache meanwhile. Durability is unchanged. */
static void bulk_cache(struct fk_db *db, bool on)
{
	if (fk_db_kind(db) == FK_DB_SQLITE)
		fk_db_exec(db, on ? "PRAGMA cache_size=-1048576" : "PRAGMA cache_size=-65536",
			   NULL);
}

static int write_residents(struct fk_db *db, const struct fk_demo_opts *o,
			   const struct demo_tree *t, FILE *progress, struct fk_person *first,
			   struct fk_err *err)
{
	struct fk_demo_gen *g = fk_demo_gen_new(o->seed, o->residents);
	int batch = o->batch > 0 ? o->batch : DEFAULT_BATCH;
	uint64_t t0 = fk_mono_ns();
	struct fk_person p;
	long long n = 0;
	int b, rc = fk_db_begin(db, true, err);
	char outcome;

	bulk_cache(db, true);
	while (rc == 0 && fk_demo_gen_next(g, &p, &b)) {
		p.area_id = t->building[b];
		rc = fk_person_upsert(db, &p, &outcome, err);
		if (rc == 0 && outcome != 'c')
			rc = fk_err_set(err, FK_EINTERNAL, "demo_duplicate", "id_number",
					"演示数据身份证号重复：%s", "duplicate demo ID number: %s",
					p.id_number);
		if (rc == 0 && n == 0)
			*first = p;
		if (rc == 0 && ++n % batch == 0) {
			rc = fk_db_commit(db, err);
			if (rc == 0)
				rc = fk_db_begin(db, true, err);
		}
		if (rc == 0 && n % PROGRESS_EVERY == 0)
			progress_line(progress, n, t0);
	}
	if (rc == 0)
		rc = fk_db_commit(db, err);
	if (rc < 0)
		fk_db_rollback(db);
	else if (n % PROGRESS_EVERY)
		progress_line(progress, n, t0);
	bulk_cache(db, false);
	fk_demo_gen_free(g);
	return rc;
}

static void random_password(char *out, size_t size)
{
	/* No 0/O, 1/l/I: passwords are read off a terminal and typed. */
	static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	size_t n = size - 1 < 12 ? size - 1 : 12;

	for (size_t i = 0; i < n; i++)
		out[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
	out[n] = '\0';
}

/* "张村社区/第1网格/1号楼 370212001001G01B01": names from the community down, so that a grid's
 * or a building's login says where it is. */
static int scope_label(struct fk_db *db, const struct fk_area *a, char *out, size_t size,
		       struct fk_err *err)
{
	char names[3][64];
	struct fk_area up;
	int n = 0, rc = 0;
	bool walk = strcmp(a->kind, "grid") == 0 || strcmp(a->kind, "building") == 0;
	int64_t parent = a->parent_id;

	demo_copy(names[n++], sizeof(names[0]), a->name);
	while (walk && parent && n < 3) {
		rc = fk_area_get(db, parent, &up, err);
		if (rc < 0)
			return rc;
		demo_copy(names[n++], sizeof(names[0]), up.name);
		parent = strcmp(up.kind, "community") == 0 ? 0 : up.parent_id;
		fk_area_release(&up);
	}
	out[0] = '\0';
	for (int i = n - 1; i >= 0; i--) {
		size_t len = strlen(out);
		snprintf(out + len, size - len, "%s%s", names[i], i ? "/" : " ");
	}
	size_t len = strlen(out);
	snprintf(out + len, size - len, "%s", a->code);
	return 0;
}

static int add_user(struct fk_db *db, const struct fk_demo_opts *o, const struct demo_user *du,
		    int64_t person_id, const char *person_name, struct fk_demo_login *login,
		    struct fk_err *err)
{
	struct fk_user u;
	struct fk_area a;
	int rc = fk_area_get_by_code(db, du->scope_code, &a, err);

	if (rc < 0)
		return rc;
	memset(&u, 0, sizeof(u));
	demo_copy(u.username, sizeof(u.username), du->username);
	demo_copy(u.display_name, sizeof(u.display_name),
		  du->display_name ? du->display_name : person_name);
	u.role = du->role;
	u.person_id = person_id;
	u.nscopes = 1;
	u.scope_ids[0] = a.id;
	login->role = fk_role_name(du->role);
	login->username = du->username;
	rc = scope_label(db, &a, login->scope, sizeof(login->scope), err);
	fk_area_release(&a);
	if (rc < 0)
		return rc;
	if (o->password)
		demo_copy(login->password, sizeof(login->password), o->password);
	else
		random_password(login->password, sizeof(login->password));
	return fk_user_add(db, &u, login->password, NULL, err);
}

/* The staff accounts (all but the resident's), or only the resident's account. */
static int add_users(struct fk_db *db, const struct fk_demo_opts *o, bool resident_only,
		     const struct fk_person *resident, struct fk_demo_login *logins,
		     struct fk_err *err)
{
	int rc = 0;

	if (sodium_init() < 0)
		return fk_err_set(err, FK_EINTERNAL, "sodium_init", NULL, "libsodium 初始化失败",
				  "libsodium failed to initialise");
	for (int i = 0; rc == 0 && i < FK_DEMO_NUSERS; i++) {
		const struct demo_user *du = &demo_users[i];
		if ((du->role == FK_ROLE_RESIDENT) != resident_only)
			continue;
		rc = add_user(db, o, du, resident ? resident->id : 0,
			      resident ? resident->name : "", &logins[i], err);
	}
	return rc;
}

/* Areas and staff accounts in one transaction, so that a refused password (checked by the
 * users module) leaves the store as empty as it was. The lock is held while passwords are
 * hashed, which is harmless on a store nobody else uses yet. */
static int build_base(struct fk_db *db, const struct fk_demo_opts *o, struct demo_tree *t,
		      struct fk_demo_login *logins, struct fk_err *err)
{
	int rc = fk_db_begin(db, true, err);

	if (rc == 0)
		rc = demo_areas_create(db, o->seed, t, err);
	if (rc == 0)
		rc = demo_shapes_create(db, err);
	if (rc == 0)
		rc = add_users(db, o, false, NULL, logins, err);
	if (rc == 0)
		rc = fk_db_commit(db, err);
	if (rc < 0)
		fk_db_rollback(db);
	return rc;
}

/* Accounts that sign in by phone code for the residents of the resident's building (its own
 * account gets its number), so that a demo shows the resident's phone pages. */
static int add_phone_accounts(struct fk_db *db, const struct fk_person *resident,
			      struct fk_demo_login *login, struct fk_err *err)
{
	struct fk_user_bulk b;
	struct fk_area a;
	int rc = fk_area_get_by_code(db, demo_users[FK_DEMO_NUSERS - 1].scope_code, &a, err);

	if (rc < 0)
		return rc;
	rc = fk_user_residents(db, a.path, &b, err);
	fk_area_release(&a);
	if (rc < 0)
		return rc;
	demo_copy(login->phone, sizeof(login->phone), resident->phone);
	login->building_accounts = (long long)b.created;
	return 0;
}

static int check_opts(const struct fk_demo_opts *o, struct fk_err *err)
{
	if (o->residents < 0 || o->residents > FK_DEMO_MAX_RESIDENTS)
		return fk_err_set(err, FK_EINVAL, "invalid_residents", "residents",
				  "居民人数须在 0 到 %lld 之间", "residents must be 0 to %lld",
				  FK_DEMO_MAX_RESIDENTS);
	return 0;
}

int fk_demo_build(struct fk_db *db, const struct fk_demo_opts *o, FILE *progress,
		  struct fk_err *err)
{
	struct demo_tree *t = fk_xcalloc(1, sizeof(*t));
	struct fk_demo_login scratch[FK_DEMO_NUSERS];
	struct fk_demo_login *logins = o->logins ? o->logins : scratch;
	struct fk_person first;
	int rc = check_opts(o, err);

	memset(logins, 0, sizeof(scratch));
	memset(&first, 0, sizeof(first));
	if (rc == 0)
		rc = check_empty(db, err);
	if (rc == 0)
		rc = build_base(db, o, t, logins, err);
	if (rc == 0)
		rc = write_residents(db, o, t, progress, &first, err);
	if (rc == 0 && first.id)
		rc = add_users(db, o, true, &first, logins, err);
	if (rc == 0 && first.id)
		rc = add_phone_accounts(db, &first, &logins[FK_DEMO_NUSERS - 1], err);
	free(t);
	return rc;
}

/* ---- the command ---- */

static long long parse_count(const char *flag, const char *s, long long max)
{
	char *end;
	long long v;

	if (!s)
		die("%s needs a value", flag);
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v < 0 || v > max)
		die("%s: '%s' is not a number from 0 to %lld", flag, s, max);
	return v;
}

static void parse_args(int argc, char **argv, struct fk_demo_opts *o)
{
	for (int i = 1; i < argc; i += 2) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--residents") == 0)
			o->residents = parse_count(a, v, FK_DEMO_MAX_RESIDENTS);
		else if (strcmp(a, "--seed") == 0)
			o->seed = (uint64_t)parse_count(a, v, INT64_MAX);
		else if (strcmp(a, "--password") == 0 && v)
			o->password = v;
		else if (strcmp(a, "--password") == 0)
			die("--password needs a value");
		else
			die("demo: unknown argument '%s'; usage: fangkong demo [--db URL] "
			    "[--residents N] [--seed N] [--password PW]",
			    a);
	}
}

static void print_logins(const struct fk_demo_login *logins)
{
	const struct fk_demo_login *r = &logins[FK_DEMO_NUSERS - 1];

	printf("%-10s  %-11s  %-14s  %s\n", "role", "username", "password", "scope");
	for (int i = 0; i < FK_DEMO_NUSERS; i++)
		if (logins[i].role)
			printf("%-10s  %-11s  %-14s  %s\n", logins[i].role, logins[i].username,
			       logins[i].password, logins[i].scope);
	if (r->role && r->phone[0])
		printf("\nresident1 also signs in by phone code: %s (\"手机验证码登录\"; the code "
		       "is on the admin's outbox screen, /outbox); %lld more residents of the "
		       "building have such accounts.\n",
		       r->phone, r->building_accounts);
}

int cmd_demo(int argc, char **argv, struct cmd_ctx *ctx)
{
	struct fk_demo_login logins[FK_DEMO_NUSERS];
	struct fk_demo_opts o = {.residents = DEFAULT_RESIDENTS, .seed = 1, .logins = logins};
	struct fk_err err = {0};
	uint64_t t0 = fk_mono_ns();

	parse_args(argc, argv, &o);
	if (fk_demo_build(ctx->db, &o, stderr, &err) < 0)
		die_err("demo", &err);
	fprintf(stderr, "demo: %s: district 崂山区 with %lld residents, %d buildings, in %.1f s\n",
		ctx->db_url, o.residents, FK_DEMO_BUILDINGS, (double)(fk_mono_ns() - t0) / 1e9);
	print_logins(logins);
	sodium_memzero(logins, sizeof(logins));
	return 0;
}
