/* writers: the writers' lock of a SQLite database file, private to the SQLite backend.
 * SQLite lets one connection write to a file at a time; the connections of this process to
 * one file share one lock, taken before a write transaction begins and given back when it
 * ends, so that a writer sleeps until the last one is done rather than polling in SQLite's
 * busy handler. Other processes are not covered: against them the busy handler still waits.
 *
 *   struct fk_writers *w = fk_writers_get(sqlite3_db_filename(h, "main"));
 *   if (fk_writers_lock(w, 10000) == 0) { BEGIN IMMEDIATE ... COMMIT; fk_writers_unlock(w); }
 *   fk_writers_put(w);
 *
 * The lock is not owned by a thread: one thread may take it and another give it back. */
#ifndef FK_STORE_WRITERS_H
#define FK_STORE_WRITERS_H
#include <stdbool.h>

struct fk_writers;

/* The lock of the file at path (as SQLite names it: absolute), shared with every other
 * connection of this process to it; NULL for NULL or "" (an in-memory or temporary
 * database, which nobody shares). Each get is matched by one fk_writers_put. */
struct fk_writers *fk_writers_get(const char *path);
/* Forgets the lock when its last connection is gone; NULL is ignored. */
void fk_writers_put(struct fk_writers *w);
/* Waits up to timeout_ms for the lock; 0 when taken, -1 when the wait timed out. */
int fk_writers_lock(struct fk_writers *w, int timeout_ms);
void fk_writers_unlock(struct fk_writers *w);
/* Whether the calling thread took the lock and holds it still. */
bool fk_writers_mine(struct fk_writers *w);

#endif
