/* defer: replies that another thread finishes. The handler marks its request deferred and
 * returns; the server thread then suspends the connection unless the work is already done;
 * fk_req_done records the result and resumes the connection if it was suspended, and MHD
 * calls the request handler once more, which sends the reply. One mutex per server orders
 * "done" against "suspend", so a connection is never suspended after its work is done (it
 * would sleep forever) nor resumed before it was suspended (MHD forbids that).
 *
 * At shutdown fk_defer_drain waits until every deferred request's work is done, so that MHD
 * never stops with a connection suspended nor is asked to resume one after it stopped.
 *
 * Lock order: srv->defer_mu before MHD's internal locks. */
#include <time.h>
#include "base/log.h"
#include "http/internal.h"

void fk_req_defer(struct fk_req *req)
{
	struct fk_exchange *x = fk_exchange_of(req);

	if (req->db)
		fk_store_release(fk_exchange_store(x), req->db);
	req->db = NULL;
	x->on_replica = false;
	pthread_mutex_lock(&x->srv->defer_mu);
	x->deferred = true;
	x->srv->deferred_pending++;
	pthread_mutex_unlock(&x->srv->defer_mu);
}

bool fk_defer_ready(struct fk_exchange *x)
{
	bool ready;

	pthread_mutex_lock(&x->srv->defer_mu);
	ready = x->deferred && x->defer_done && !x->suspended;
	pthread_mutex_unlock(&x->srv->defer_mu);
	return ready;
}

bool fk_defer_suspend(struct fk_exchange *x)
{
	bool wait;

	pthread_mutex_lock(&x->srv->defer_mu);
	wait = !x->defer_done;
	if (wait) {
		MHD_suspend_connection(x->conn);
		x->suspended = true;
	}
	pthread_mutex_unlock(&x->srv->defer_mu);
	return wait;
}

void fk_req_done(struct fk_req *req, int rc)
{
	struct fk_exchange *x = fk_exchange_of(req);

	pthread_mutex_lock(&x->srv->defer_mu);
	x->rc = rc;
	x->defer_done = true;
	x->srv->deferred_pending--;
	if (x->suspended) {
		x->suspended = false;
		MHD_resume_connection(x->conn);
	}
	pthread_mutex_unlock(&x->srv->defer_mu);
}

void fk_defer_drain(struct fk_server *srv)
{
	struct timespec pause = {0, 5 * 1000000L};
	bool told = false;

	for (;;) {
		pthread_mutex_lock(&srv->defer_mu);
		int left = srv->deferred_pending;
		pthread_mutex_unlock(&srv->defer_mu);
		if (left == 0)
			return;
		if (!told)
			fk_info("http stopping: waiting for %d deferred replies", left);
		told = true;
		nanosleep(&pause, NULL);
	}
}
