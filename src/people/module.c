/* module: the people module's descriptor. The area hooks are registered when the program
 * starts (this file is linked wherever the module list is) and again by init, which is
 * harmless; nothing in the module needs init to have run. */
#include "people/internal.h"

__attribute__((constructor)) static void people_hooks(void)
{
	pp_hooks_register();
}

static int people_init(struct fk_app *app, struct fk_err *err)
{
	(void)app;
	(void)err;
	pp_hooks_register();
	return 0;
}

const struct fk_module fk_module_people = {
    .name = "people",
    .routes = people_routes,
    .init = people_init,
};
