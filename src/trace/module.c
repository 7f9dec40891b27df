/* module: the trace module's descriptor — and soon its routes and the listener that makes a
 * settled positive retest a case. */
#include "trace/internal.h"

extern const struct fk_migration fk_migrations_trace[]; /* from schema/ */

const struct fk_module fk_module_trace = {
    .name = "trace",
    .migrations = fk_migrations_trace,
    .area_paths =
	(const struct fk_area_path[]){
	    {.table = "cases", .column = "area_path"},
	    {.table = "contacts", .column = "area_path"},
	    {0},
	},
};
