/* modules: the list of domain modules the server runs. Adding a module is one line in
 * modules.c. */
#ifndef FK_MODULES_H
#define FK_MODULES_H
#include "platform/module.h"

extern const struct fk_module *const fk_modules[]; /* NULL-terminated */

#endif
