/* init: `fangkong init --district NAME` — makes an empty store usable: a root district area
 * and an admin account over it, in one transaction, audited as the system account. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "area/area.h"
#include "audit/audit.h"
#include "base/json.h"
#include "cmd/cmd.h"
#include "users/users.h"

struct init_opts {
	const char *district;
	const char *code;
	const char *admin;
	const char *password;
};

static void parse_init_opts(int argc, char **argv, struct init_opts *o)
{
	for (int i = 1; i < argc; i++) {
		const char *names[] = {"--district", "--code", "--admin", "--password"};
		const char **dst[] = {&o->district, &o->code, &o->admin, &o->password};
		bool taken = false;

		for (size_t k = 0; k < sizeof names / sizeof names[0] && !taken; k++) {
			const char *v = cmd_opt_value(argc, argv, &i, names[k]);
			if (v) {
				*dst[k] = v;
				taken = true;
			}
		}
		if (!taken)
			die("init: unexpected argument '%s'; see 'fangkong help init'", argv[i]);
	}
	if (!o->district || !o->district[0])
		die("usage: fangkong init --district NAME [--code CODE] [--admin USER] "
		    "[--password PW]");
}

/* The areas table belongs to the area module; init only asks whether it holds any row. */
static void init_check_empty(struct fk_db *db)
{
	struct fk_err err = {0};
	int64_t users = 0, areas = 0;

	if (fk_user_count(db, &users, &err) < 0 ||
	    fk_db_one_i64(db, &err, &areas, "SELECT COUNT(*) FROM areas", "") < 0)
		die_err("init", &err);
	if (users > 0 || areas > 0) {
		fk_err_set(&err, FK_ECONFLICT, "already_initialised", NULL,
			   "存储中已有 %lld 个区域和 %lld 个用户，init 只用于空存储",
			   "the store already has %lld areas and %lld users; init only sets up an "
			   "empty store",
			   (long long)areas, (long long)users);
		die_err("init", &err);
	}
}

static void init_audit(struct fk_db *db, int64_t area_id, const struct init_opts *o)
{
	json_t *d = json_pack("{s:s, s:s, s:s}", "district", o->district, "code", o->code, "admin",
			      o->admin);
	struct fk_audit_entry e = {
	    .action = "store.init", .target_kind = "area", .target_id = area_id, .detail = d};
	struct fk_err err = {0};

	if (fk_audit_cli(db, &e, &err) < 0)
		die_err("init", &err);
}

static int64_t init_district(struct fk_db *db, const struct init_opts *o)
{
	struct fk_area a = {0};
	struct fk_err err = {0};

	snprintf(a.kind, sizeof a.kind, "district");
	if (strlen(o->district) >= sizeof a.name)
		die("init: --district is too long (at most %zu bytes)", sizeof a.name - 1);
	if (strlen(o->code) >= sizeof a.code)
		die("init: --code is too long (at most %zu bytes)", sizeof a.code - 1);
	snprintf(a.name, sizeof a.name, "%s", o->district);
	snprintf(a.code, sizeof a.code, "%s", o->code);
	if (fk_area_create(db, &a, &err) < 0)
		die_err("init: district", &err);
	fk_area_release(&a);
	return a.id;
}

static void init_admin(struct fk_db *db, const struct init_opts *o, int64_t area_id)
{
	struct fk_user u = {.role = FK_ROLE_ADMIN, .nscopes = 1, .scope_ids = {area_id}};
	struct fk_err err = {0};

	if (strlen(o->admin) >= sizeof u.username)
		die("init: --admin is too long");
	snprintf(u.username, sizeof u.username, "%s", o->admin);
	if (fk_user_add(db, &u, o->password, NULL, &err) < 0)
		die_err("init: admin", &err);
}

int cmd_init(int argc, char **argv, struct cmd_ctx *ctx)
{
	struct init_opts o = {.code = "000000", .admin = "admin"};
	char pw[FK_PASSWORD_GEN_LEN + 1];
	struct fk_err err = {0};
	int64_t area_id;

	parse_init_opts(argc, argv, &o);
	if (!o.password) {
		fk_password_generate(pw);
		o.password = pw;
	}
	if (fk_db_begin(ctx->db, true, &err) < 0)
		die_err("init", &err);
	init_check_empty(ctx->db);
	area_id = init_district(ctx->db, &o);
	init_admin(ctx->db, &o, area_id);
	init_audit(ctx->db, area_id, &o);
	if (fk_db_commit(ctx->db, &err) < 0)
		die_err("init", &err);
	printf("store %s initialised: district %s (code %s)\n", ctx->db_url, o.district, o.code);
	printf("admin login: %s / %s\n", o.admin,
	       o.password == pw ? pw : "(the password given with --password)");
	return 0;
}
