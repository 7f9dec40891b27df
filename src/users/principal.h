/* principal: who is calling. Roles (SPEC §0) and the scope a user holds them over. A scope is
 * a list of areas; each area's materialized path ("/1/12/305/") covers everything under it.
 * Header-only so the router can check roles without linking the users module. */
#ifndef FK_PRINCIPAL_H
#define FK_PRINCIPAL_H
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

enum fk_role {
	FK_ROLE_ADMIN = 0,
	FK_ROLE_COMMANDER,
	FK_ROLE_COMMUNITY,
	FK_ROLE_GRID,
	FK_ROLE_BUILDING,
	FK_ROLE_REGISTRAR,
	FK_ROLE_LAB,
	FK_ROLE_VOLUNTEER,
	FK_ROLE_RESIDENT,
	FK_ROLE_COUNT
};

#define FK_R(name)   (1u << FK_ROLE_##name)
#define FK_ROLES_ALL ((1u << FK_ROLE_COUNT) - 1)
/* Roles that work with residents' records inside their scope. */
#define FK_ROLES_PEOPLE                                                                            \
	(FK_R(ADMIN) | FK_R(COMMANDER) | FK_R(COMMUNITY) | FK_R(GRID) | FK_R(BUILDING))

#define FK_MAX_SCOPES 16

struct fk_principal {
	int64_t user_id;
	int64_t session_id;
	char username[64];
	char display_name[128];
	enum fk_role role;
	int64_t person_id; /* the resident's own record for role resident, else 0 */
	int nscopes;
	int64_t scope_ids[FK_MAX_SCOPES];
	char scope_paths[FK_MAX_SCOPES][256];
	char csrf[48]; /* this session's CSRF token */
	bool see_id;   /* may see ID numbers unmasked */
	bool see_phone;
};

static const char *const fk_role_names[FK_ROLE_COUNT] = {
    "admin",	 "commander", "community", "grid",     "building",
    "registrar", "lab",	      "volunteer", "resident",
};

static inline const char *fk_role_name(enum fk_role r)
{
	return (unsigned)r < FK_ROLE_COUNT ? fk_role_names[r] : "unknown";
}

static inline int fk_role_parse(const char *s)
{
	for (int i = 0; s && i < FK_ROLE_COUNT; i++)
		if (strcmp(s, fk_role_names[i]) == 0)
			return i;
	return -1;
}

#endif
