/* help: lists the commands from the table in main.c, or explains one. */
#include <stdio.h>
#include "cmd/cmd.h"

int cmd_help(int argc, char **argv, struct cmd_ctx *ctx)
{
	(void)ctx;
	if (argc > 1) {
		const struct cmd *c = cmd_find(argv[1]);
		if (!c)
			die("no such command '%s'", argv[1]);
		printf("usage: fangkong %s\n\n%s\n", c->usage, c->help);
		return 0;
	}
	printf("usage: fangkong COMMAND [ARGS]\n\n"
	       "fangkong (防控): grid-based community epidemic prevention and control.\n\n"
	       "Commands:\n");
	for (const struct cmd *c = fk_commands; c->name; c++)
		printf("   %-9s %s\n", c->name, c->usage);
	printf("\nThe store is --db URL: a SQLite file path (default fangkong.db) or\n"
	       "postgres://user@host/dbname. FANGKONG_DB sets it too.\n"
	       "'fangkong help COMMAND' explains one command.\n");
	return 0;
}
