// lockout: wrong passwords lock a name for the address that typed them, not the account for
// everyone; an unknown name is counted and answered exactly like a real one; the owner logs in
// from another address; a lock is logged and audited; an admin lifts it; only failures in a
// row count; many addresses guessing one name meet the per-name brake, which spares an address
// that logged in with that name before. Other sources are 127.0.0.2 and up: the server listens
// on 127.0.0.1, and Linux routes all of 127/8 to lo, so a connection bound to 127.0.0.2 reaches
// it from that address. The lock's times run on the test clock.
import assert from 'node:assert/strict';
import http from 'node:http';
import { harness, assertError, PASSWORD } from './lib/harness.mjs';

// A high per-address rate: this file is about the lockout, not the address's throttle.
const h = harness('lockout', { testClock: true, args: ['--login-rate', '1000'] });
const ATTACKER = '127.0.0.1';
const OWNER = '127.0.0.2';

/* POST /api/v1/auth/login from localAddress; resolves to {status, text, json, what}. */
function loginFrom(localAddress, username, password) {
	const body = JSON.stringify({ username, password });
	const url = new URL('/api/v1/auth/login', h.base);
	return new Promise((resolve, reject) => {
		const req = http.request({
			host: url.hostname, port: url.port, path: url.pathname, method: 'POST', localAddress,
			headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
		}, (res) => {
			let text = '';
			res.setEncoding('utf8');
			res.on('data', (d) => (text += d));
			res.on('end', () => {
				const json = text ? JSON.parse(text) : null;
				resolve({ status: res.statusCode, text, json,
					what: `${username} from ${localAddress} -> ${res.statusCode} ${text.slice(0, 400)}` });
			});
		});
		req.on('error', reject);
		req.end(body);
	});
}

async function failTimes(source, username, n) {
	for (let i = 0; i < n; i++) {
		const r = await loginFrom(source, username, `Wrong-pass-${i}`);
		assertError(r, 401, { code: 'bad_credentials' });
	}
}

async function audit(admin, query) {
	return (await admin.ok('/api/v1/audit', { query: { limit: 200, ...query } })).items;
}

async function userByName(admin, username) {
	const users = await admin.ok('/api/v1/users');
	const u = users.items.find((x) => x.username === username);
	assert.ok(u, `no account ${username}`);
	return u;
}

h.test('an unknown name and a real one answer byte for byte alike, before and during a lock', async () => {
	for (let i = 0; i < 5; i++) {
		const real = await loginFrom(ATTACKER, 'volunteer1', `Wrong-pass-${i}`);
		const unknown = await loginFrom(ATTACKER, 'nosuchname', `Wrong-pass-${i}`);
		assertError(real, 401, { code: 'bad_credentials' });
		assert.equal(unknown.status, real.status, unknown.what);
		assert.equal(unknown.text, real.text, `failure ${i + 1}: the replies differ`);
	}
	// Locked now, both: even the right password is refused, in the same words.
	const real = await loginFrom(ATTACKER, 'volunteer1', PASSWORD);
	const unknown = await loginFrom(ATTACKER, 'NoSuchName', PASSWORD);
	const e = assertError(real, 429, { code: 'locked' });
	assert.match(e.message_en, /try again in 15 minutes/, real.what);
	assert.match(e.message_zh, /15 分钟/, real.what);
	assert.equal(unknown.status, 429, unknown.what);
	assert.equal(unknown.text, real.text, 'a locked unknown name must read like a locked account');
});

h.test('the owner still logs in from an address that has not failed; the guesser stays locked', async () => {
	await failTimes(ATTACKER, 'building1', 5);
	assertError(await loginFrom(ATTACKER, 'building1', PASSWORD), 429, { code: 'locked' });
	const owner = await loginFrom(OWNER, 'building1', PASSWORD);
	assert.equal(owner.status, 200, owner.what);
	assertError(await loginFrom(ATTACKER, 'building1', PASSWORD), 429, { code: 'locked' });
	// The server saw the owner's address as such (so the lock above is per address).
	const admin = await h.login('admin');
	const logins = await audit(admin, { action: 'auth.login' });
	assert.ok(logins.some((a) => a.ip === OWNER && JSON.parse(a.detail).username === 'building1'),
		`no auth.login of building1 from ${OWNER}: ${JSON.stringify(logins.slice(0, 5))}`);
});

h.test('a lock writes a warning line and a users.login_locked audit entry naming the name and address', async () => {
	await failTimes(ATTACKER, 'grid2', 5);
	const admin = await h.login('admin');
	const items = await audit(admin, { action: 'users.login_locked' });
	const mine = items.filter((a) => JSON.parse(a.detail).username === 'grid2');
	assert.equal(mine.length, 1, JSON.stringify(items));
	const a = mine[0];
	assert.equal(a.action, 'users.login_locked');
	assert.equal(a.target_kind, 'username');
	assert.equal(a.ip, ATTACKER);
	const d = JSON.parse(a.detail);
	assert.equal(d.source, ATTACKER);
	assert.equal(d.by, 'source');
	assert.ok(!a.detail.includes('Wrong-pass'), 'the audit entry holds a password');
	// An unknown name's lock is recorded the same way (the first test locked one).
	assert.ok(items.some((x) => JSON.parse(x.detail).username === 'nosuchname'), JSON.stringify(items));
	const line = h.stderr.split('\n').find((l) => /event=login_locked/.test(l) && /username="grid2"/.test(l));
	assert.ok(line, `no login_locked line for grid2\n${h.logTail()}`);
	assert.match(line, /level=warn/);
	assert.match(line, new RegExp(`source=${ATTACKER.replace(/\./g, '\\.')}\\b`));
	assert.ok(!h.stderr.includes('Wrong-pass'), 'the log holds a password');
});

h.test('an admin lifts the locks of an account: POST /users/{id}/unlock (CSRF, audited)', async () => {
	await failTimes(ATTACKER, 'lab1', 5);
	assertError(await loginFrom(ATTACKER, 'lab1', PASSWORD), 429, { code: 'locked' });
	const admin = await h.login('admin');
	const u = await userByName(admin, 'lab1');
	assert.ok(u.locked_until, `lab1 should show locked_until: ${JSON.stringify(u)}`);
	assertError(await admin.req('POST', `/api/v1/users/${u.id}/unlock`, { csrf: false }), 403, { code: 'csrf' });
	const grid1 = await h.login('grid1');
	assertError(await grid1.req('POST', `/api/v1/users/${u.id}/unlock`), 403);
	assertError(await loginFrom(ATTACKER, 'lab1', PASSWORD), 429, { code: 'locked' });
	const r = await admin.req('POST', `/api/v1/users/${u.id}/unlock`);
	assert.equal(r.status, 200, r.what);
	assert.equal(r.json.locked_until, null, r.what);
	const ok = await loginFrom(ATTACKER, 'lab1', PASSWORD);
	assert.equal(ok.status, 200, ok.what);
	const entries = await audit(admin, { action: 'user.unlock', target_kind: 'user', target_id: u.id });
	assert.equal(entries.length, 1, JSON.stringify(entries));
	assert.equal(entries[0].username, 'admin');
	assert.equal(entries[0].target_id, u.id);
	assertError(await admin.req('POST', '/api/v1/users/123456789/unlock'), 404);
});

h.test('only failures in a row count: 4 failures, a success, 4 failures still answer 401', async () => {
	await failTimes(ATTACKER, 'community2', 4);
	const ok = await loginFrom(ATTACKER, 'community2', PASSWORD);
	assert.equal(ok.status, 200, ok.what);
	await failTimes(ATTACKER, 'community2', 4);
	// The count itself works: one more is the fifth in a row, and locks.
	await failTimes(ATTACKER, 'community2', 1);
	assertError(await loginFrom(ATTACKER, 'community2', PASSWORD), 429, { code: 'locked' });
});

h.test('a lock ends after users.lock_minutes; a failure longer than the window after the last starts a new count', async () => {
	const admin = await h.login('admin');
	await failTimes(ATTACKER, 'resident1', 5);
	await h.moveClock(admin, { advance: 'PT14M' });
	const still = assertError(await loginFrom(ATTACKER, 'resident1', PASSWORD), 429, { code: 'locked' });
	assert.match(still.message_en, /try again in a minute/);
	await h.moveClock(admin, { advance: 'PT61S' });
	const ok = await loginFrom(ATTACKER, 'resident1', PASSWORD);
	assert.equal(ok.status, 200, ok.what);
	// Four, then an hour and a minute of quiet (users.lock_window_minutes), then four more.
	await failTimes(ATTACKER, 'resident1', 4);
	await h.moveClock(admin, { advance: 'PT61M' });
	await failTimes(ATTACKER, 'resident1', 4);
	const again = await loginFrom(ATTACKER, 'resident1', PASSWORD);
	assert.equal(again.status, 200, again.what);
});

h.test('many addresses guessing one name lock it for new addresses, alike for an unknown name; a known address passes', async () => {
	const admin = await h.login('admin');
	const known = '127.0.0.3';
	const fresh = '127.0.0.4';
	let r = await admin.req('PUT', '/api/v1/policies', { json: { values: { 'users.name_lock_after': 7 }, reason: '测试' } });
	assert.equal(r.status, 200, r.what);
	assert.equal((await loginFrom(known, 'commander', PASSWORD)).status, 200);
	for (const name of ['commander', 'ghostname']) {
		await failTimes(ATTACKER, name, 4);
		await failTimes(OWNER, name, 2);
		// Six so far: below both brakes, a new address still logs in (or is told it is wrong).
		const before = await loginFrom(fresh, name, 'Wrong-pass-x');
		assertError(before, 401, { code: 'bad_credentials' });
	}
	// That was the seventh for each name: from any address that has not logged in with it, both
	// are locked, in the same words.
	const real = await loginFrom('127.0.0.5', 'commander', PASSWORD);
	const ghost = await loginFrom('127.0.0.5', 'ghostname', PASSWORD);
	assertError(real, 429, { code: 'locked' });
	assert.equal(ghost.status, 429, ghost.what);
	assert.equal(ghost.text, real.text);
	const ok = await loginFrom(known, 'commander', PASSWORD);
	assert.equal(ok.status, 200, ok.what);
	const items = await audit(admin, { action: 'users.login_locked' });
	assert.ok(items.some((a) => { const d = JSON.parse(a.detail); return d.username === 'commander' && d.by === 'name'; }),
		JSON.stringify(items));
	r = await admin.req('PUT', '/api/v1/policies', { json: { values: { 'users.name_lock_after': 50 }, reason: '恢复' } });
	assert.equal(r.status, 200, r.what);
});

h.shutdownTest();
