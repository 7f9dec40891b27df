/* workforce: the people who serve (SPEC §8) — staff, party members, cadres sent down from
 * their organisations ("双报到"), volunteers — with their skills, phone and the area they serve,
 * linked to an account where they have one; call-outs with a public sign-up link that stops at
 * the number wanted; dispatch of batches of cadres to communities; teams 突击队 / 志愿服务队 and
 * posts 先锋岗 with a leader.
 *
 * Modules above it (duty) read a worker through the call below; everything else goes through
 * its routes. */
#ifndef FK_WORKFORCE_H
#define FK_WORKFORCE_H
#include <stdbool.h>
#include <stdint.h>
#include "base/err.h"
#include "platform/module.h"
#include "store/db.h"
#include "users/principal.h"

extern const struct fk_module fk_module_workforce;

/* A person who serves, as another module needs them. */
struct fk_worker {
	int64_t id, user_id; /* user_id 0: no account */
	char name[260];
	char phone[32];
	char kind[16]; /* staff, party_member, cadre, volunteer */
	char area_path[1024];
	bool active; /* false: no longer serving (kept for the record) */
};

/* Reads worker id into out, active or not, when who's scope covers the area they serve (who
 * NULL: the system).
 * FK_ENOTFOUND "worker_not_found" naming field when there is none or it is out of scope;
 * else 0 or a store error. */
int fk_worker_get(struct fk_db *db, const struct fk_principal *who, int64_t id, const char *field,
		  struct fk_worker *out, struct fk_err *err);

#endif
