/* exports: residents, round results, missing lists, requests and placements as CSV or XLSX
 * (SPEC §11), masked as the caller's role sees them (an admin may unmask with a reason),
 * every export audited, streamed in constant memory whatever the size.
 *
 * Other modules reach it only through its descriptor: its routes answer over HTTP. */
#ifndef FK_EXPORTS_H
#define FK_EXPORTS_H
#include "platform/module.h"

extern const struct fk_module fk_module_exports;

#endif
