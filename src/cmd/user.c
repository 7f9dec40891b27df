/* user: `fangkong user add|passwd|list` — accounts from the command line, through the same
 * users module functions the admin API uses; every change is audited as the system account. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "area/area.h"
#include "audit/audit.h"
#include "base/id.h"
#include "base/json.h"
#include "cmd/cmd.h"
#include "users/users.h"

struct user_opts {
	const char *name;
	const char *role;
	const char *areas;
	const char *display;
	const char *person;
	const char *password;
};

static bool take_opt(int argc, char **argv, int *i, struct user_opts *o)
{
	const struct {
		const char *opt;
		const char **dst;
	} table[] = {
	    {"--role", &o->role},     {"--area", &o->areas},	    {"--display", &o->display},
	    {"--person", &o->person}, {"--password", &o->password},
	};

	for (size_t k = 0; k < sizeof table / sizeof table[0]; k++) {
		const char *v = cmd_opt_value(argc, argv, i, table[k].opt);
		if (v) {
			*table[k].dst = v;
			return true;
		}
	}
	return false;
}

static void parse_user_opts(int argc, char **argv, struct user_opts *o)
{
	for (int i = 2; i < argc; i++) {
		if (take_opt(argc, argv, &i, o))
			continue;
		if (argv[i][0] == '-')
			die("user: unknown option '%s'", argv[i]);
		if (o->name)
			die("user: unexpected argument '%s'", argv[i]);
		o->name = argv[i];
	}
}

/* "CODE[,CODE...]" -> area ids. */
static void resolve_areas(struct fk_db *db, const char *list, struct fk_user *u)
{
	const char *p = list;

	while (*p) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		char code[64];
		struct fk_area a = {0};
		struct fk_err err = {0};

		if (len > 0) {
			if (len >= sizeof code)
				die("user: area code '%.*s' is too long", (int)len, p);
			if (u->nscopes >= FK_MAX_SCOPES)
				die("user: at most %d areas", FK_MAX_SCOPES);
			snprintf(code, sizeof code, "%.*s", (int)len, p);
			if (fk_area_get_by_code(db, code, &a, &err) < 0)
				die_err("user add: --area", &err);
			u->scope_ids[u->nscopes++] = a.id;
			fk_area_release(&a);
		}
		p += len + (comma ? 1 : 0);
	}
}

/* Audits a CLI change; detail is a JSON object (consumed). */
static void audit_cli(struct fk_db *db, const char *action, int64_t id, json_t *detail)
{
	struct fk_audit_entry e = {
	    .action = action, .target_kind = "user", .target_id = id, .detail = detail};
	struct fk_err err = {0};

	if (fk_audit_cli(db, &e, &err) < 0)
		die_err("audit", &err);
}

static int user_add(struct fk_db *db, struct user_opts *o)
{
	struct fk_user u = {0};
	struct fk_err err = {0};
	char pw[FK_PASSWORD_GEN_LEN + 1];
	int64_t id = 0;
	int role;

	if (!o->name || !o->role || !o->areas)
		die("usage: fangkong user add NAME --role ROLE --area CODE[,CODE...] "
		    "[--display NAME] [--person ID] [--password PW]");
	role = fk_role_parse(o->role);
	if (role < 0)
		die("user: unknown role '%s' (admin, commander, community, grid, building, "
		    "registrar, lab, volunteer, resident)",
		    o->role);
	if (strlen(o->name) >= sizeof u.username)
		die("user: username '%s' is too long", o->name);
	snprintf(u.username, sizeof u.username, "%s", o->name);
	snprintf(u.display_name, sizeof u.display_name, "%s", o->display ? o->display : "");
	u.role = (enum fk_role)role;
	if (o->person && !fk_id_parse(o->person, &u.person_id))
		die("user: --person '%s' is not a valid id", o->person);
	resolve_areas(db, o->areas, &u);
	if (!o->password)
		fk_password_generate(pw);
	if (fk_db_begin(db, true, &err) < 0)
		die_err("user add", &err);
	if (fk_user_add(db, &u, o->password ? o->password : pw, &id, &err) < 0)
		die_err("user add", &err);
	audit_cli(db, "user.create", id,
		  json_pack("{s:s, s:s}", "username", u.username, "role", fk_role_name(u.role)));
	if (fk_db_commit(db, &err) < 0)
		die_err("user add", &err);
	printf("created user %s (%s)\n", u.username, fk_role_name(u.role));
	if (!o->password)
		printf("password: %s\n", pw);
	return 0;
}

static int user_passwd(struct fk_db *db, struct user_opts *o)
{
	struct fk_err err = {0};
	char pw[FK_PASSWORD_GEN_LEN + 1];

	if (!o->name || o->role || o->areas || o->display || o->person)
		die("usage: fangkong user passwd NAME [--password PW]");
	if (!o->password)
		fk_password_generate(pw);
	if (fk_db_begin(db, true, &err) < 0)
		die_err("user passwd", &err);
	if (fk_user_passwd(db, o->name, o->password ? o->password : pw, &err) < 0)
		die_err("user passwd", &err);
	audit_cli(db, "user.passwd", 0, json_pack("{s:s}", "username", o->name));
	if (fk_db_commit(db, &err) < 0)
		die_err("user passwd", &err);
	printf("password of %s changed; its sessions were ended\n", o->name);
	if (!o->password)
		printf("password: %s\n", pw);
	return 0;
}

struct list_ctx {
	struct fk_db *db;
	int count;
};

static int list_one(void *ctx, const struct fk_user *u)
{
	struct list_ctx *l = ctx;
	char codes[512] = "";
	size_t len = 0;

	for (int i = 0; i < u->nscopes && len < sizeof codes; i++) {
		struct fk_area a = {0};
		struct fk_err err = {0};
		char idbuf[24];
		const char *code = fk_id_format(u->scope_ids[i], idbuf);

		if (fk_area_get(l->db, u->scope_ids[i], &a, &err) == 0)
			code = a.code;
		len +=
		    (size_t)snprintf(codes + len, sizeof codes - len, "%s%s", i ? "," : "", code);
		fk_area_release(&a);
	}
	printf("%-24s %-10s %-40s %s\n", u->username, fk_role_name(u->role), codes,
	       u->disabled ? "yes" : "no");
	l->count++;
	return 0;
}

static int user_list(struct fk_db *db)
{
	struct list_ctx l = {db, 0};
	struct fk_err err = {0};

	printf("%-24s %-10s %-40s %s\n", "USERNAME", "ROLE", "SCOPES", "DISABLED");
	if (fk_user_list(db, list_one, &l, &err) < 0)
		die_err("user list", &err);
	printf("(%d users)\n", l.count);
	return 0;
}

int cmd_user(int argc, char **argv, struct cmd_ctx *ctx)
{
	struct user_opts o = {0};

	if (argc < 2)
		die("usage: fangkong user {add|passwd|list} ...; see 'fangkong help user'");
	parse_user_opts(argc, argv, &o);
	if (strcmp(argv[1], "add") == 0)
		return user_add(ctx->db, &o);
	if (strcmp(argv[1], "passwd") == 0)
		return user_passwd(ctx->db, &o);
	if (strcmp(argv[1], "list") == 0)
		return user_list(ctx->db);
	die("user: '%s' is not add, passwd or list", argv[1]);
}
