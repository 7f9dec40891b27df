// health: /healthz, /metrics, request ids and the router's checks of every request (unknown
// routes, body size, JSON syntax and shape) with the agreed error body.
import assert from 'node:assert/strict';
import { harness, assertError, storeKind } from './lib/harness.mjs';

const h = harness('health');

/* The value of the request counter for route and status in Prometheus text, or 0. */
function requestCount(text, route, status) {
	let total = 0;
	for (const line of text.split('\n')) {
		const m = /^([a-zA-Z_:][\w:]*)\{(.*)\}\s+(\S+)$/.exec(line);
		if (!m || !/request/.test(m[1]) || !/total$/.test(m[1])) continue;
		const labels = Object.fromEntries(
			[...m[2].matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]));
		const st = labels.status ?? labels.code;
		if (labels.route === route && st === String(status)) total += Number(m[3]);
	}
	return total;
}

h.test('GET /healthz answers ok with the store kind, without a session', async () => {
	const r = await h.anon().get('/healthz');
	assert.equal(r.status, 200, r.what);
	assert.equal(r.json.status, 'ok', r.what);
	assert.equal(r.json.store, storeKind(), r.what);
});

h.test('every response carries a distinct X-Request-Id', async () => {
	const c = h.anon();
	const a = await c.get('/healthz');
	const b = await c.get('/api/v1/no-such-route');
	const ida = a.headers.get('x-request-id');
	const idb = b.headers.get('x-request-id');
	assert.ok(ida && ida.length >= 4, `no X-Request-Id on /healthz: ${[...a.headers]}`);
	assert.ok(idb && idb.length >= 4, `no X-Request-Id on a 404: ${[...b.headers]}`);
	assert.notEqual(ida, idb);
});

h.test('GET /metrics counts requests by route pattern and status, with a latency histogram', async () => {
	const admin = await h.login('admin');
	const c = h.anon();
	const before = await c.get('/metrics');
	assert.equal(before.status, 200, before.what);
	assert.match(before.headers.get('content-type') || '', /text\/plain/);
	const h0 = requestCount(before.text, '/healthz', 200);
	const n0 = requestCount(before.text, '/api/v1/areas/{id}', 404);
	for (let i = 0; i < 3; i++) assert.equal((await c.get('/healthz')).status, 200);
	assertError(await admin.get('/api/v1/areas/123456789'), 404);
	assertError(await admin.get('/api/v1/areas/987654321'), 404);
	const after = await c.get('/metrics');
	assert.equal(after.status, 200, after.what);
	assert.ok(requestCount(after.text, '/healthz', 200) >= h0 + 3,
		`healthz 200 counter did not grow by 3 (was ${h0}):\n${after.text.slice(0, 3000)}`);
	assert.equal(requestCount(after.text, '/api/v1/areas/{id}', 404), n0 + 2,
		`404s on /api/v1/areas/{id} must be counted under the route pattern:\n${after.text.slice(0, 3000)}`);
	assert.match(after.text, /^# TYPE \S+ histogram$/m, 'no histogram in /metrics');
	assert.match(after.text, /_bucket\{[^}]*le="\+Inf"[^}]*\}\s+\d+/, 'no +Inf bucket in /metrics');
});

h.test('an unknown route answers 404 with the error body in both languages', async () => {
	const admin = await h.login('admin');
	const r = await admin.get('/api/v1/no-such-thing');
	const e = assertError(r, 404);
	assert.match(r.headers.get('content-type') || '', /application\/json/);
	assert.match(e.message_zh, /[\u4e00-\u9fff]/, 'message_zh has no Chinese');
	assert.doesNotMatch(e.message_en, /[\u4e00-\u9fff]/, 'message_en has Chinese');
	// Default language is zh; Accept-Language: en picks English for "message".
	assert.equal(e.message, e.message_zh);
	const en = await admin.get('/api/v1/no-such-thing', { headers: { 'accept-language': 'en-US,en;q=0.9' } });
	assert.equal(assertError(en, 404).message, en.json.error.message_en);
});

h.test('a missing record answers 404 "not_found"', async () => {
	const admin = await h.login('admin');
	assertError(await admin.get('/api/v1/people/4242424242'), 404, { code: 'not_found' });
	assertError(await admin.get('/api/v1/areas/not-a-number'), 404, { code: 'not_found' });
});

h.test('a body over the limit answers 413 and the server keeps serving', async () => {
	const big = JSON.stringify({ username: 'admin', password: 'x'.repeat(2 * 1024 * 1024) });
	const r = await h.anon().req('POST', '/api/v1/auth/login', { json: big });
	assertError(r, 413);
	const ok = await h.anon().get('/healthz');
	assert.equal(ok.status, 200);
	// The default cap (1 MiB) on an authenticated route.
	const admin = await h.login('admin');
	const note = 'x'.repeat(1536 * 1024);
	assertError(await admin.post('/api/v1/people', { name: 'big', id_number: '1', area_id: '1', note }), 413);
	assert.equal((await admin.get('/api/v1/auth/me')).status, 200);
});

h.test('malformed JSON answers 400 naming the line and column', async () => {
	const bad = '{\n  "username": "admin",\n  "password": \n}';
	const r = await h.anon().req('POST', '/api/v1/auth/login', { json: bad });
	const e = assertError(r, 400, { code: 'invalid_json' });
	assert.equal(Number(e.line), 4, `line of the error: ${r.what}`);
	assert.match(e.message_en, /line 4/i, r.what);
	assert.match(e.message_en, /column \d+/i, r.what);
	assert.match(e.message_zh, /4/, r.what);

	// The same on an authenticated write (after CSRF, before the handler).
	const admin = await h.login('admin');
	const r2 = await admin.req('POST', '/api/v1/people', { json: '{"name": "张三",' });
	assertError(r2, 400, { code: 'invalid_json', line: 1 });
	// A body that is JSON but not an object.
	assertError(await admin.req('POST', '/api/v1/people', { json: '[1,2]' }), 400);
});

h.test('an unknown field answers 400 naming the field', async () => {
	const r = await h.anon().post('/api/v1/auth/login',
		{ username: 'admin', password: 'Demo-pass-1', remember_me: true });
	const e = assertError(r, 400, { field: 'remember_me' });
	assert.match(e.message_en, /remember_me/);
	assert.match(e.message_zh, /remember_me/);
});

h.test('a wrong type answers 400 naming the field', async () => {
	const r = await h.anon().post('/api/v1/auth/login', { username: 42, password: 'Demo-pass-1' });
	assertError(r, 400, { field: 'username' });
	const admin = await h.login('admin');
	const r2 = await admin.post('/api/v1/areas', { parent_id: '1', kind: 'grid', name: ['x'], code: 'X1' });
	assertError(r2, 400, { field: 'name' });
});

h.test('a missing required field answers 400 naming it', async () => {
	const r = await h.anon().post('/api/v1/auth/login', { username: 'admin' });
	assertError(r, 400, { field: 'password' });
});

h.test('API routes need a session: 401 without one', async () => {
	const c = h.anon();
	assertError(await c.get('/api/v1/people'), 401);
	assertError(await c.get('/api/v1/areas'), 401);
	assertError(await c.get('/api/v1/auth/me'), 401);
	const forged = h.anon();
	forged.cookie = 'fk_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
	assertError(await forged.get('/api/v1/people'), 401);
});

h.test('a known path with the wrong method answers 405 with Allow', async () => {
	const admin = await h.login('admin');
	const r = await admin.req('PUT', '/api/v1/people');
	assertError(r, 405);
	const allow = (r.headers.get('allow') || '').split(/,\s*/).sort();
	assert.deepEqual(allow, ['GET', 'POST'], r.what);
	assertError(await admin.del('/api/v1/auth/me'), 405);
});

h.test('concurrent requests are all answered', async () => {
	const admin = await h.login('admin');
	const g1 = await h.login('grid1');
	const jobs = [];
	for (let i = 0; i < 40; i++) {
		const c = i % 2 ? admin : g1;
		jobs.push(c.get('/api/v1/people', { query: { limit: 20 } }));
		jobs.push(c.get('/api/v1/areas'));
		jobs.push(h.anon().get('/healthz'));
	}
	const replies = await Promise.all(jobs);
	const bad = replies.filter((r) => r.status !== 200).map((r) => r.what);
	assert.deepEqual(bad, []);
	const ids = new Set(replies.map((r) => r.headers.get('x-request-id')));
	assert.equal(ids.size, replies.length, 'request ids repeat');
});

h.shutdownTest();
