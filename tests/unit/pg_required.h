/* pg_required: what a unit test does when FK_PG_URL is unset. A developer's quick run skips
 * the PostgreSQL cases and says so; under CI=true (where scripts/with-postgres.sh always sets
 * it) a missing PostgreSQL means the cases never ran, so it is a failure, not a skip. */
#ifndef FK_TEST_PG_REQUIRED_H
#define FK_TEST_PG_REQUIRED_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The PostgreSQL URL to run the cases on, or NULL. */
static inline const char *pg_url(void)
{
	const char *pg = getenv("FK_PG_URL");

	return pg && *pg ? pg : NULL;
}

/* Reports the skipped cases; returns the failures to add: 1 under CI=true, else 0. */
static inline int pg_missing(const char *name)
{
	const char *ci = getenv("CI");

	if (ci && strcmp(ci, "true") == 0) {
		fprintf(stderr,
			"%s: FK_PG_URL not set under CI=true: PostgreSQL cases did not run\n",
			name);
		return 1;
	}
	printf("%s: FK_PG_URL not set: PostgreSQL cases skipped\n", name);
	return 0;
}

#endif
