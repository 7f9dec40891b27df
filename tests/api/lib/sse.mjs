// sse: one open GET /api/v1/events read with fetch streaming, its Server-Sent Events parsed
// as they arrive: events [{id, event, data, receivedAt}], comments, the retry delay.
//   const s = await new Stream(h.base, client, { 'last-event-id': id }).open();
//   const from = await s.mark(admin, areaId); // what is heard after this is new
//   await s.waitFor((e) => e.event === 'alert');
//   s.close();
import assert from 'node:assert/strict';

/* One open GET /api/v1/events, parsed as it arrives. */
export class Stream {
	constructor(base, client, headers = {}, query = '') {
		this.base = base;
		this.client = client;
		this.headers = headers;
		this.query = query;
		this.text = '';
		this.events = []; // {id, event, data, receivedAt}
		this.comments = [];
		this.retry = null;
		this.ended = false;
		this.endedAt = null;
		this.openedAt = Date.now();
	}

	async open() {
		this.abort = new AbortController();
		const headers = { cookie: this.client.cookie, ...this.headers };
		this.res = await fetch(`${this.base}/api/v1/events${this.query}`, { headers, signal: this.abort.signal });
		if (this.res.status === 200) this.pump();
		return this;
	}

	async pump() {
		const decoder = new TextDecoder();
		try {
			for await (const chunk of this.res.body) {
				this.text += decoder.decode(chunk, { stream: true });
				this.parse();
			}
		} catch {
			/* aborted by the test */
		}
		this.ended = true;
		this.endedAt = Date.now();
	}

	parse() {
		let cut;
		while ((cut = this.text.indexOf('\n\n')) >= 0) {
			const block = this.text.slice(0, cut);
			this.text = this.text.slice(cut + 2);
			const ev = {};
			for (const line of block.split('\n')) {
				if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
				else if (line.startsWith('id: ')) ev.id = line.slice(4);
				else if (line.startsWith('event: ')) ev.event = line.slice(7);
				else if (line.startsWith('data: ')) ev.data = JSON.parse(line.slice(6));
				else if (line.startsWith('retry: ')) this.retry = Number(line.slice(7));
			}
			if (ev.event) this.events.push({ ...ev, receivedAt: Date.now() });
		}
	}

	/* Resolves to the first event matching pred, waiting up to ms. */
	async waitFor(pred, ms = 5000, what = 'event') {
		const until = Date.now() + ms;
		for (;;) {
			const ev = this.events.find(pred);
			if (ev) return ev;
			assert.ok(Date.now() < until, `${this.client.username}: no ${what} within ${ms} ms; got ` +
				JSON.stringify(this.events.map((e) => [e.event, e.data && e.data.payload && e.data.payload.title_en])));
			assert.ok(!this.ended, `${this.client.username}: stream ended while waiting for ${what}`);
			await new Promise((r) => setTimeout(r, 20));
		}
	}

	/* Waits until this stream has heard everything committed before now, and returns how
	 * many events it has: those after are newer. On PostgreSQL an event reaches the streams
	 * a few ms after its commit, so a stream opened just after a write may still hear of it;
	 * a notice to areaId (posted by admin, a client that may) marks where the test begins. */
	async mark(admin, areaId) {
		const title = `mark ${Date.now()} ${Math.random()}`;
		const r = await admin.post('/api/v1/alerts', { kind: 'notice', area_id: areaId, title_zh: '标记', title_en: title });
		assert.equal(r.status, 201, r.what);
		await this.waitFor((e) => e.event === 'alert' && e.data.payload.title_en === title);
		return this.events.length;
	}

	notices(title) {
		return this.events.filter((e) => e.event === 'alert' && e.data.payload.title_en === title);
	}

	close() {
		this.abort.abort();
	}
}

