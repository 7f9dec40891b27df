/* cmd: the subcommands of `fangkong`. Each lives in src/cmd/NAME.c as
 * int cmd_NAME(int argc, char **argv, struct cmd_ctx *ctx); argv[0] is the command name.
 * The dispatcher in main.c does the setup a command's flags ask for before calling it. */
#ifndef FK_CMD_H
#define FK_CMD_H
#include "store/db.h"

enum cmd_flags {
	CMD_DB_URL = 1 << 0, /* takes --db URL (or FANGKONG_DB); ctx->db_url is set */
	CMD_STORE = 1 << 1,  /* also opens that store and applies migrations; ctx->db is set */
};

struct cmd_ctx {
	const char *db_url;
	struct fk_db *db;
};

struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv, struct cmd_ctx *ctx);
	unsigned flags;
	const char *usage;
	const char *help; /* a paragraph for `fangkong help NAME` */
};

extern const struct cmd fk_commands[];
const struct cmd *cmd_find(const char *name);

int cmd_serve(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_init(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_demo(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_import(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_area(int argc, char **argv, struct cmd_ctx *ctx);

int cmd_export(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_user(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_migrate(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_routes(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_errors(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_version(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_help(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_audit(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_backup(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_restore(int argc, char **argv, struct cmd_ctx *ctx);

/* Applies the settings every command shares, from their FANGKONG_* variables through serve's
 * settings table: the log level and the node number of the ids it makes. Dies naming a bad
 * value, with command as the context. */
void cmd_settings_common(const char *command);

/* "--opt VALUE" or "--opt=VALUE" at argv[*i]: the value (advancing *i past it), or NULL
 * when argv[*i] is not that option; dies when the value is missing. */
const char *cmd_opt_value(int argc, char **argv, int *i, const char *opt);
/* Prints "fangkong: <message>" to stderr and exits 1. Only commands may die. */
_Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A connection to url holding the store's serving mark (fk_db_hold_store), shared by a server
 * or alone by a restore, until it is closed; dies naming url and then refusal when someone
 * holds it the other way, or naming the error. */
struct fk_db *cmd_hold_store(const char *url, bool alone, const char *refusal);
/* Prints an fk_err as "fangkong: <context>: <en> (<zh>)" and exits 1. */
_Noreturn void die_err(const char *context, const struct fk_err *err);

#endif
