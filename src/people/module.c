/* module: the people module's descriptor. Residents keep their area's path (people.area_path):
 * it follows area moves, counts an area's residents and forbids deleting an area that has any.
 * people_counts keeps each area's residents as they are written, for the dashboard's figures. */
#include "people/internal.h"
#include "platform/module.h"

extern const struct fk_migration fk_migrations_people[]; /* from schema/ */

const struct fk_module fk_module_people = {
    .name = "people",
    .routes = people_routes,
    .migrations = fk_migrations_people,
    .area_paths =
	(const struct fk_area_path[]){
	    {.table = "people",
	     .column = "area_path",
	     .blocks_delete = "residents",
	     .residents = true},
	    {.table = "people_counts", .column = "area_path"},
	    {0},
	},
};
