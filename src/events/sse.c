/* sse: GET /api/v1/events, the Server-Sent Events stream. The handler copies the caller's
 * principal into a subscriber and answers with a streaming reply (http.h), so an open stream
 * holds a connection but no thread: its read runs when publish wakes it, on each heartbeat
 * tick, and never blocks. A stream ends after EV_STREAM_MAX_MS (the browser reconnects with
 * Last-Event-ID, and its session is checked again), when the client goes, or at shutdown. */
#include <string.h>
#include "base/clock.h"
#include "base/id.h"
#include "events/internal.h"

static long sse_read(void *cls, char *buf, size_t max)
{
	struct ev_sub *s = cls;
	uint64_t now = fk_mono_ns();
	size_t n;

	if (s->off == s->out.len) {
		fk_buf_reset(&s->out);
		s->off = 0;
		if (now >= s->end_ns)
			return -1;
		ev_sub_fill(s, EV_FILL_BYTES);
		/* Ticks may come a little early or late: half a second of slack. */
		if (now + 500000000u >= s->next_ping_ns) {
			fk_buf_puts(&s->out, ": ping\n\n");
			s->next_ping_ns = now + (uint64_t)EV_PING_MS * 1000000u;
		}
		if (s->out.len == 0)
			return 0;
	}
	n = s->out.len - s->off;
	n = n < max ? n : max;
	memcpy(buf, s->out.data + s->off, n);
	s->off += n;
	return (long)n;
}

static void sse_free(void *cls)
{
	ev_sub_close(cls);
}

static const struct fk_stream_ops sse_ops = {
    .read = sse_read,
    .free = sse_free,
    .tick_ms = EV_PING_MS,
};

/* Last-Event-ID (what EventSource sends when it reconnects), or ?last_event_id= (for a page
 * that kept the id across a reload). Absent: only events from now on. */
static int last_event_id(struct fk_req *req, bool *resume, int64_t *id, struct fk_err *err)
{
	const char *h = fk_req_header(req, "Last-Event-ID");
	const char *field = "Last-Event-ID";

	if (!h || !*h) {
		h = fk_req_query(req, "last_event_id");
		field = "last_event_id";
	}
	*resume = h && *h;
	*id = 0;
	if (!*resume || fk_id_parse(h, id))
		return 0;
	return fk_err_set(err, FK_EINVAL, "invalid_last_event_id", field,
			  "%s 应为事件编号（十进制数字）",
			  "%s must be an event id (decimal digits)", field);
}

int ev_stream_handler(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct ev_sub *sub = NULL;
	struct fk_stream *stream;
	int64_t last = 0;
	bool resume = false;
	int rc;

	rc = last_event_id(req, &resume, &last, err);
	if (rc == 0)
		rc = ev_sub_open(req->who, resume, last, &sub, err);
	if (rc < 0)
		return rc;
	stream = fk_resp_stream(req, resp, &sse_ops, sub);
	ev_sub_attach(sub, stream);
	resp->status = 200;
	resp->content_type = "text/event-stream; charset=utf-8";
	/* A proxy in front (nginx) must pass each event on at once. */
	fk_resp_header(resp, "X-Accel-Buffering", "no");
	return 0;
}
