/* users: accounts, roles over areas (scopes), sessions, CSRF and login throttling.
 * What other modules may call: account management (CLI and demo). Scope filtering lives in
 * area/area.h (a scope is a set of area paths); the audit log in audit/audit.h. Passwords are
 * argon2id (libsodium crypto_pwhash_str). */
#ifndef FK_USERS_H
#define FK_USERS_H
#include <stdbool.h>
#include <stdint.h>
#include "base/err.h"
#include "base/buf.h"
#include "store/db.h"
#include "users/principal.h"
#include "http/http.h"

extern const struct fk_module fk_module_users;

/* ---- accounts (CLI and admin API) ---- */

struct fk_user {
	int64_t id;
	char username[64];
	char display_name[128];
	enum fk_role role;
	int64_t person_id;
	bool disabled;
	int nscopes;
	int64_t scope_ids[FK_MAX_SCOPES];
};

/* Creates a user. Username: 3-64 of [a-z0-9_.-]; password: at least 8 characters, not
 * containing the username, passing libpwquality (not a dictionary word, not 12345678).
 * Scope areas must exist. FK_ECONFLICT if the username is taken. */
int fk_user_add(struct fk_db *db, const struct fk_user *u, const char *password, int64_t *id,
		struct fk_err *err);
int fk_user_passwd(struct fk_db *db, const char *username, const char *password,
		   struct fk_err *err);
/* Calls fn for every staff account (every role but resident: residents' accounts, one per
 * resident, are read one by one), ordered by username. */
int fk_user_list(struct fk_db *db, int (*fn)(void *ctx, const struct fk_user *u), void *ctx,
		 struct fk_err *err);
/* The accounts a form names: out[i] (n of them, caller's) gets the account names[i] names
 * (case-insensitive: usernames are lowercase, people type capitals) or, when names is NULL,
 * ids[i]; out[i].id is 0 when no account matches. For the bindings of staff to places
 * (registrars to sites, duty staff to checkpoints). */
int fk_user_pick(struct fk_db *db, const char *const *names, const int64_t *ids, int n,
		 struct fk_user *out, struct fk_err *err);
/* A random password of FK_PASSWORD_GEN_LEN characters without look-alikes (no 0/O, 1/l/I),
 * for accounts made without one (CLI, demo); NUL-terminated. */
#define FK_PASSWORD_GEN_LEN 16
void fk_password_generate(char out[FK_PASSWORD_GEN_LEN + 1]);
/* Number of accounts (init refuses a store that has any). */
int fk_user_count(struct fk_db *db, int64_t *n, struct fk_err *err);
/* Hashes a password (argon2id, interactive limits; the least under FK_TEST_MODE_ENV) into out
 * (crypto_pwhash_STRBYTES). */
int fk_password_hash(const char *password, char *out, struct fk_err *err);

/* ---- resident accounts in bulk (admin API, demo) ---- */
struct fk_user_bulk {
	int64_t created;      /* accounts made now */
	int64_t existing;     /* people who had an account already */
	int64_t no_phone;     /* people with no mobile number */
	int64_t shared_phone; /* people whose number another account holds (a family's phone) */
};
/* A passwordless resident account (username "r<person id>", no password: it signs in only by
 * phone code) for every person at or under area_path with a mobile number and no account; a
 * resident account without a number gets its person's. Batches of 1,000 people, each its own
 * transaction (db must have none open); on a failure the batches done stay, and calling it
 * again makes only what is missing. The caller checked area_path is in its scope. */
int fk_user_residents(struct fk_db *db, const char *area_path, struct fk_user_bulk *out,
		      struct fk_err *err);

#endif
