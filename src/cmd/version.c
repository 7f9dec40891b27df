/* version: the program's version and the libraries it runs on. */
#include <stdio.h>
#include <jansson.h>
#include <microhttpd.h>
#include <sodium.h>
#include <sqlite3.h>
#include <libpq-fe.h>
#include "cmd/cmd.h"

int cmd_version(int argc, char **argv, struct cmd_ctx *ctx)
{
	(void)argc;
	(void)argv;
	(void)ctx;
	printf("fangkong %s\n", FK_VERSION);
	printf("  libmicrohttpd %s, jansson %s, sqlite %s, libpq %d, libsodium %s\n",
	       MHD_get_version(), JANSSON_VERSION, sqlite3_libversion(), PQlibVersion(),
	       sodium_version_string());
	return 0;
}
