/* pgtool: finding and running PostgreSQL's client programs (pg_dump, pg_restore) for backup
 * and restore, with argv and no shell, their stderr kept for the message on a failure. */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cmd/backup.h"
#include "cmd/cmd.h"

extern char **environ;

static bool executable(const char *path)
{
	return access(path, X_OK) == 0;
}

/* The newest /usr/lib/postgresql/N/bin/name, by N. */
static bool newest_packaged(const char *name, char *out, size_t size)
{
	char pattern[256];
	glob_t g;
	long best = -1;

	snprintf(pattern, sizeof(pattern), "/usr/lib/postgresql/*/bin/%s", name);
	if (glob(pattern, 0, NULL, &g) != 0)
		return false;
	for (size_t i = 0; i < g.gl_pathc; i++) {
		long v = strtol(g.gl_pathv[i] + strlen("/usr/lib/postgresql/"), NULL, 10);
		if (v > best && executable(g.gl_pathv[i])) {
			best = v;
			snprintf(out, size, "%s", g.gl_pathv[i]);
		}
	}
	globfree(&g);
	return best >= 0;
}

static bool on_path(const char *name, char *out, size_t size)
{
	const char *path = getenv("PATH");
	char dir[1024];

	while (path && *path) {
		size_t n = strcspn(path, ":");
		snprintf(dir, sizeof(dir), "%.*s", (int)n, path);
		snprintf(out, size, "%s/%s", n ? dir : ".", name);
		if (executable(out))
			return true;
		path += n + (path[n] == ':');
	}
	return false;
}

void pgtool_find(const char *name, const char *dir, char *out, size_t size)
{
	if (dir) {
		snprintf(out, size, "%s/%s", dir, name);
		if (!executable(out))
			die("%s: not found or not executable (--pg-bin %s)", out, dir);
		return;
	}
	if (!newest_packaged(name, out, size) && !on_path(name, out, size))
		die("%s not found in /usr/lib/postgresql/*/bin nor on PATH: install the PostgreSQL "
		    "client (apt-get install postgresql-client) or name its folder with --pg-bin",
		    name);
}

static void read_all(int fd, struct fk_buf *text)
{
	char chunk[4096];
	ssize_t n;

	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		fk_buf_append(text, chunk, (size_t)n); /* past the cap: the start is kept */
	}
}

int pgtool_run(char *const argv[], struct fk_buf *errtext)
{
	posix_spawn_file_actions_t fa;
	int fds[2], status, rc;
	pid_t pid;

	if (pipe(fds) < 0)
		die("pipe: %s", strerror(errno));
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 2);
	posix_spawn_file_actions_addclose(&fa, fds[0]);
	posix_spawn_file_actions_addclose(&fa, fds[1]);
	rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	if (rc != 0) {
		close(fds[0]);
		die("%s: cannot start: %s", argv[0], strerror(rc));
	}
	read_all(fds[0], errtext);
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			die("%s: waitpid: %s", argv[0], strerror(errno));
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}
