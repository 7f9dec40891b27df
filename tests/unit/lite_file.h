/* lite_file: removing a unit test's SQLite store, the file and its WAL and shared-memory
 * files beside it. */
#ifndef FK_TEST_LITE_FILE_H
#define FK_TEST_LITE_FILE_H
#include <stdio.h>
#include <unistd.h>

static inline void remove_lite_store(const char *path)
{
	static const char *const tails[] = {"", "-wal", "-shm"};
	char name[300];

	for (int i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "%s%s", path, tails[i]);
		unlink(name);
	}
}

#endif
