// auth: login, me, logout, the session cookie, CSRF on writes, account lockout and the per-IP
// login throttle. The throttle test runs last: it uses up this IP's login budget.
import assert from 'node:assert/strict';
import { harness, assertError, Client, PASSWORD } from './lib/harness.mjs';

const h = harness('auth');
let attempts = 0; // login attempts made from this IP, for the throttle test
let failures = 0; // of which refused
let firstAttempt = 0; // when the IP's bucket started (ms)

async function tryLogin(username, password) {
	if (!firstAttempt) firstAttempt = Date.now();
	attempts++;
	const c = h.anon();
	const r = await c.login(username, password);
	if (r.status !== 200) failures++;
	return { c, r };
}

function checkUser(u, username, role) {
	assert.equal(typeof u.id, 'string', 'ids are decimal strings');
	assert.match(u.id, /^\d+$/);
	assert.equal(u.username, username);
	assert.equal(u.role, role);
	assert.ok('display_name' in u && 'person_id' in u, JSON.stringify(u));
	assert.ok(Array.isArray(u.scopes), JSON.stringify(u));
	for (const s of u.scopes)
		for (const k of ['id', 'name', 'kind', 'code', 'path'])
			assert.ok(k in s, `scope lacks ${k}: ${JSON.stringify(s)}`);
}

h.test('login as grid1 returns the user with its scope and a CSRF token', async () => {
	const { c, r } = await tryLogin('grid1', PASSWORD);
	assert.equal(r.status, 200, r.what);
	checkUser(r.json.user, 'grid1', 'grid');
	assert.deepEqual(r.json.user.scopes.map((s) => s.code), ['370212001001G01']);
	assert.equal(r.json.user.scopes[0].kind, 'grid');
	assert.ok(typeof r.json.csrf_token === 'string' && r.json.csrf_token.length >= 16, r.what);
	assert.ok(!r.text.includes(PASSWORD), 'the reply echoes the password');
	h.clients.set('grid1', c);
});

h.test('the session cookie is HttpOnly, SameSite=Strict, Path=/', async () => {
	const c = await h.login('grid1');
	const sc = c.lastSetCookie;
	assert.ok(sc, 'no Set-Cookie on login');
	assert.match(sc, /^fk_session=[^;]{16,}/);
	assert.match(sc, /;\s*HttpOnly/i);
	assert.match(sc, /;\s*SameSite=Strict/i);
	assert.match(sc, /;\s*Path=\/(;|$)/i);
});

h.test('GET /auth/me returns the same shape as login', async () => {
	const c = await h.login('grid1');
	const r = await c.get('/api/v1/auth/me');
	assert.equal(r.status, 200, r.what);
	checkUser(r.json.user, 'grid1', 'grid');
	assert.deepEqual(r.json.user, c.me);
	assert.equal(r.json.csrf_token, c.csrf);
});

h.test('resident1 is linked to its own person record; admin holds the district', async () => {
	const { c, r } = await tryLogin('resident1', PASSWORD);
	assert.equal(r.status, 200, r.what);
	checkUser(r.json.user, 'resident1', 'resident');
	assert.match(String(r.json.user.person_id), /^\d+$/, `resident1 has no person_id: ${r.what}`);
	assert.deepEqual(r.json.user.scopes.map((s) => s.code), ['370212001001G01B01']);
	h.clients.set('resident1', c);
	const admin = await h.login('admin');
	attempts++;
	checkUser(admin.me, 'admin', 'admin');
	assert.deepEqual(admin.me.scopes.map((s) => s.code), ['370212']);
});

h.test('a wrong password answers 401 "bad_credentials"; so does an unknown user, alike', async () => {
	const a = await tryLogin('community1', 'Wrong-pass-1');
	const ea = assertError(a.r, 401, { code: 'bad_credentials' });
	assert.equal(a.c.cookie, null, 'a failed login must not set a session');
	const b = await tryLogin('nosuchuser', 'Wrong-pass-1');
	const eb = assertError(b.r, 401, { code: 'bad_credentials' });
	assert.equal(ea.message_en, eb.message_en, 'unknown user and bad password must look alike');
	// One failure does not lock: the right password still works.
	const ok = await tryLogin('community1', PASSWORD);
	assert.equal(ok.r.status, 200, ok.r.what);
});

h.test('5 failures lock the name for this address: 429 "locked" saying for how long, even with the right password', async () => {
	for (let i = 0; i < 5; i++) {
		const { r } = await tryLogin('volunteer1', `Wrong-pass-${i}`);
		assertError(r, 401, { code: 'bad_credentials' });
	}
	const { r } = await tryLogin('volunteer1', PASSWORD);
	const e = assertError(r, 429, { code: 'locked' });
	assert.match(e.message_en, /in 15 minutes/, `the message must say for how long: ${r.what}`);
	assert.match(e.message_zh, /15 分钟/, `the message must say for how long: ${r.what}`);
	// Other accounts are not affected.
	const other = await tryLogin('building1', PASSWORD);
	assert.equal(other.r.status, 200, other.r.what);
	h.clients.set('building1', other.c);
});

h.test('an admin sees the lock and lifts it by setting a new password', async () => {
	const admin = await h.login('admin');
	const users = await admin.ok('/api/v1/users');
	const v = users.items.find((u) => u.username === 'volunteer1');
	assert.ok(v.locked_until, `volunteer1 should show locked_until: ${JSON.stringify(v)}`);
	const r = await admin.patch(`/api/v1/users/${v.id}`, { password: 'Unlock-pass-1' });
	assert.equal(r.status, 200, r.what);
	const { r: ok } = await tryLogin('volunteer1', 'Unlock-pass-1');
	assert.equal(ok.status, 200, ok.what);
});

h.test('a write without the CSRF token, or with a wrong one, answers 403 "csrf" and changes nothing', async () => {
	const c = await h.login('admin');
	const district = c.me.scopes[0];
	const body = { parent_id: district.id, kind: 'street', name: '跨站街道', code: 'CSRF-1' };
	assertError(await c.post('/api/v1/areas', body, { csrf: false }), 403, { code: 'csrf' });
	assertError(await c.post('/api/v1/areas', body, { csrf: 'x'.repeat(43) }), 403, { code: 'csrf' });
	// Another session's token is not this session's token.
	const other = await h.login('grid1');
	assertError(await c.post('/api/v1/areas', body, { csrf: other.csrf }), 403, { code: 'csrf' });
	const q = await c.get('/api/v1/areas', { query: { q: 'CSRF-1' } });
	assert.equal(q.status, 200, q.what);
	assert.equal(q.json.items.length, 0, 'a refused write created the area');
	// GETs need no token; the right token works.
	const ok = await c.post('/api/v1/areas', body);
	assert.ok(ok.status === 201 || ok.status === 200, ok.what);
});

h.test('logout ends the session on the server; the old cookie no longer works', async () => {
	const { c, r } = await tryLogin('community2', PASSWORD);
	assert.equal(r.status, 200, r.what);
	const cookie = c.cookie;
	assertError(await c.post('/api/v1/auth/logout', {}, { csrf: false }), 403, { code: 'csrf' });
	const out = await c.req('POST', '/api/v1/auth/logout');
	assert.ok(out.status === 200 || out.status === 204, out.what);
	assert.equal(c.cookie, null, 'logout must clear the cookie');
	const stale = new Client(h.base);
	stale.cookie = cookie;
	assertError(await stale.get('/api/v1/auth/me'), 401);
});

h.test('more than 20 login attempts a minute from one IP answer 429 "throttled"', async () => {
	let throttled = null;
	for (let i = 0; i < 60 && !throttled; i++) {
		const { r } = await tryLogin(`nobody${i}`, 'Wrong-pass-1');
		if (r.status === 429) throttled = r;
		else assertError(r, 401, { code: 'bad_credentials' });
	}
	assert.ok(throttled, `60 more attempts (${attempts} in all) were never throttled`);
	assertError(throttled, 429, { code: 'throttled' });
	// 20 a minute: with a bucket of 20 refilled at 20 a minute, the refusal comes by attempt
	// 21 plus what refilled while this file ran (whether every attempt or failures count).
	const refilled = Math.ceil(((Date.now() - firstAttempt) / 60000) * 20);
	assert.ok(Math.min(attempts, failures) <= 21 + refilled,
		`throttled only after ${attempts} attempts, ${failures} failed, ${refilled} refilled (limit 20/min)`);
	// The throttle is per IP, before the password is checked: a right password is refused too.
	const { r } = await tryLogin('commander', PASSWORD);
	assertError(r, 429, { code: 'throttled' });
	// Sessions already open keep working.
	const grid1 = await h.login('grid1');
	assert.equal((await grid1.get('/api/v1/auth/me')).status, 200);
});

h.shutdownTest();
