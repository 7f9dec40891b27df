/* internal: what the files of the notify module share.
 *
 *   outbox.c   the outbox table: queue a message, the list of the outbox screen
 *   deliver.c  the notifier in force and the job that hands it queued messages
 *   api.c      the outbox screen's handler */
#ifndef FK_NOTIFY_INTERNAL_H
#define FK_NOTIFY_INTERNAL_H
#include <stdint.h>
#include <jansson.h>
#include "http/http.h"
#include "notify/notify.h"

#define NT_TEXT_MAX  1000 /* bytes of one message */
#define NT_PHONE_MAX 23	  /* a normalized number, without its NUL */

struct nt_list_query {
	const char *to; /* a number: only messages to it; NULL: all */
	int64_t before; /* the cursor: ids below it; 0: from the newest */
	int limit;
};
/* Appends the outbox's messages, newest first, to items; *next gets the cursor of the next
 * page (0 on the last). */
int nt_outbox_list(struct fk_db *db, const struct nt_list_query *q, json_t *items, int64_t *next,
		   struct fk_err *err);

int nt_deliver_job(struct fk_app *app, struct fk_db *db, struct fk_err *err);
int nt_api_outbox(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);

#endif
