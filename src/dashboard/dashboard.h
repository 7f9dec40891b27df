/* dashboard: the command dashboard (SPEC §11) — per area level with drill-down (district →
 * street → community → grid): people, the open round's progress and its curve (snapshots kept
 * by a job), positives and cases, zones, people under placement, requests open and overdue,
 * staff on duty, stock alerts. Every figure comes from another module's public header (counters
 * kept as the data changes, never a full scan); a module that is not built shows no panel.
 *
 * Other modules reach it only through its descriptor: its routes answer over HTTP. */
#ifndef FK_DASHBOARD_H
#define FK_DASHBOARD_H
#include "platform/module.h"

extern const struct fk_module fk_module_dashboard;

#endif
