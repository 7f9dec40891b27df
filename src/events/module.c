/* module: the events module's descriptor. The area move hook (alerts follow a moved area) is
 * registered when the program starts, as this file is linked wherever the module list is,
 * and again by init, which is harmless. */
#include "events/internal.h"

__attribute__((constructor)) static void events_hooks(void)
{
	fk_area_on_move(ev_alerts_area_moved);
}

static int events_init(struct fk_app *app, struct fk_err *err)
{
	(void)app;
	(void)err;
	fk_area_on_move(ev_alerts_area_moved);
	return 0;
}

const struct fk_module fk_module_events = {
    .name = "events",
    .routes = ev_routes,
    .init = events_init,
};
