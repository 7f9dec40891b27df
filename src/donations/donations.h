/* donations: gifts of money and goods (SPEC §9) — the donor (may be anonymous), pledged and
 * received, where they went (goods received become stock moves through supplies.h), and a
 * public summary per community.
 *
 * Other modules reach it only through its descriptor: its routes answer over HTTP. */
#ifndef FK_DONATIONS_H
#define FK_DONATIONS_H
#include "platform/module.h"

extern const struct fk_module fk_module_donations;

#endif
