// otp: a resident's own phone — passwordless resident accounts made in bulk for an area
// (idempotent, scoped to the area, admin only; such an account refuses every password), login
// by phone and one-time code on the test clock (the same reply whether an account has the
// number, the code's text in the outbox, a wrong code counted, the 5th wrong one killing it,
// single use, expiry, the throttle per number and per client address), the outbox (admin only,
// audited) and a person's results by round (the resident's own; another's reads as unknown;
// staff in scope, audited).
import assert from 'node:assert/strict';
import http from 'node:http';
import {
	harness, assertError, assertCreated, areaByCode, allPeople, newPerson, phoneFor, Client,
} from './lib/harness.mjs';
import { GRID, key, barcode, openRound, makeSite, openTube, scan, userId } from './lib/tubes.mjs';

const h = harness('otp', { testClock: true });
const BUILDING = '370212001001G01B03'; // grid1's: the bulk accounts' area
const OTHER = '370212001001G01B04'; // next door: no accounts are made there
const TEXT = /^【防控】您的登录验证码 (\d{6})，5 分钟内有效$/;
const S = {}; // shared between the cases, in order

async function advance(seconds) {
	await h.moveClock(await h.login('admin'), { advance_ms: seconds * 1000 });
}

function askCode(client, phone) {
	return client.post('/api/v1/auth/code', { phone });
}

function verify(client, phone, code) {
	return client.post('/api/v1/auth/code/verify', { phone, code });
}

/* The outbox's messages to phone, newest first, read by the admin. */
async function outbox(phone) {
	return (await (await h.login('admin')).ok('/api/v1/outbox', { query: { to: phone } })).items;
}

/* The code in the newest message to phone. */
async function lastCode(phone) {
	const items = await outbox(phone);
	assert.ok(items.length > 0, `no message to ${phone}`);
	const m = TEXT.exec(items[0].body);
	assert.ok(m, `not a login code: ${items[0].body}`);
	return m[1];
}

/* POST from another loopback address (the per-address throttle counts addresses). */
function postFrom(localAddress, path, body) {
	const url = new URL(h.base + path);
	const data = JSON.stringify(body);
	return new Promise((resolve, reject) => {
		const req = http.request({
			host: url.hostname, port: url.port, path: url.pathname, method: 'POST', localAddress,
			headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) },
		}, (res) => {
			let text = '';
			res.on('data', (d) => (text += d));
			res.on('end', () => resolve({ status: res.status || res.statusCode, json: JSON.parse(text) }));
		});
		req.on('error', reject);
		req.end(data);
	});
}

h.test('set up: people of a building, two sharing a number, one with none', async () => {
	const commander = await h.login('commander');
	const b = await areaByCode(commander, BUILDING);
	const o = await areaByCode(commander, OTHER);
	S.area = b;
	S.a = await newPerson(commander, b.id, 901, { name: '居民甲' });
	S.b = await newPerson(commander, b.id, 902, { name: '居民乙' });
	S.b2 = await newPerson(commander, b.id, 903, { name: '居民乙家属', phone: phoneFor(902) });
	S.none = await newPerson(commander, b.id, 904, { name: '无手机', phone: '' });
	S.out = await newPerson(commander, o.id, 905, { name: '隔壁楼' });
	S.phoneA = phoneFor(901);
	S.phoneB = phoneFor(902);
});

h.test('bulk resident accounts: admin only, scoped to the area, idempotent', async () => {
	const admin = await h.login('admin');
	const community1 = await h.login('community1');
	assertError(await community1.post('/api/v1/users/residents', { area_id: S.area.id }), 403);
	assertError(await admin.post('/api/v1/users/residents', {}), 400, { field: 'area_id' });
	assertError(await admin.post('/api/v1/users/residents', { area_id: '999999999' }), 404, { field: 'area_id' });
	// What the building holds, read with its phones (community staff see them whole).
	const people = await allPeople(community1, { area_id: S.area.id });
	const mobile = people.filter((p) => /^1\d{10}$/.test(p.phone || ''));
	const distinct = new Set(mobile.map((p) => p.phone)).size;
	const first = await admin.post('/api/v1/users/residents', { area_id: S.area.id });
	assert.equal(first.status, 200, first.what);
	assert.deepEqual(first.json, {
		created: distinct, existing: 0, no_phone: people.length - mobile.length,
		shared_phone: mobile.length - distinct,
	});
	assert.ok(first.json.created >= 2 && first.json.shared_phone >= 1 && first.json.no_phone >= 1);
	const again = await admin.post('/api/v1/users/residents', { area_id: S.area.id });
	assert.deepEqual(again.json, { ...first.json, created: 0, existing: distinct });
	const users = (await admin.ok('/api/v1/users', { query: { role: 'resident' } })).items;
	const a = users.find((u) => u.person_id === S.a.id);
	assert.ok(a, 'no account for person A');
	S.usernameA = a.username;
	assert.ok(!users.some((u) => u.person_id === S.out.id), 'an account outside the area');
	assert.ok(!users.some((u) => u.person_id === S.none.id), 'an account with no phone');
	const audit = await admin.ok('/api/v1/audit', { query: { action: 'user.residents' } });
	assert.ok(audit.items.some((x) => x.target_id === S.area.id));
});

h.test('a passwordless account refuses every password', async () => {
	for (const pw of ['', 'Demo-pass-1', 'x'.repeat(12)]) {
		const r = await h.anon().login(S.usernameA, pw);
		assertError(r, r.status === 400 ? 400 : 401);
		assert.equal(r.headers.get('set-cookie'), null);
	}
});

h.test('a code: the same reply for a number with an account and one without', async () => {
	const anon = h.anon();
	const unknown = phoneFor(999);
	const r1 = await askCode(anon, S.phoneA);
	const r2 = await askCode(anon, unknown);
	assert.equal(r1.status, 202, r1.what);
	assert.equal(r2.status, 202, r2.what);
	assert.deepEqual(r1.json, { sent: true, resend_after: 60, expires_in: 300 });
	assert.deepEqual(r2.json, r1.json);
	const msgs = await outbox(S.phoneA);
	assert.equal(msgs.length, 1);
	assert.equal(msgs[0].purpose, 'login_code');
	assert.equal(msgs[0].channel, 'sms');
	assert.equal(msgs[0].status, 'queued');
	assert.equal(msgs[0].to, S.phoneA);
	assert.match(msgs[0].body, TEXT);
	assert.equal((await outbox(unknown)).length, 0, 'a number with no account got a text');
	// Asking again at once is throttled alike for both.
	const t1 = await askCode(anon, S.phoneA);
	const t2 = await askCode(anon, unknown);
	for (const t of [t1, t2]) {
		const e = assertError(t, 429, { code: 'too_many_codes', field: 'phone' });
		assert.ok(e.retry_after > 0 && e.retry_after <= 60, JSON.stringify(e));
	}
	assert.equal((await outbox(S.phoneA)).length, 1);
	// Bad numbers name the field.
	assertError(await askCode(anon, '12345'), 400, { field: 'phone' });
	assertError(await askCode(anon, '0532-88886666'), 422, { code: 'not_mobile', field: 'phone' });
});

h.test('sign in with the code: a wrong one counted, the right one once only', async () => {
	const anon = h.anon();
	const code = await lastCode(S.phoneA);
	const wrong = String((Number(code) + 1) % 1000000).padStart(6, '0');
	const e = assertError(await verify(anon, S.phoneA, wrong), 401, { code: 'code_wrong', field: 'code' });
	assert.equal(e.tries_left, 4);
	assertError(await verify(anon, S.phoneA, '12ab56'), 400, { field: 'code' });
	const ok = await verify(anon, S.phoneA, code);
	assert.equal(ok.status, 200, ok.what);
	assert.equal(ok.json.user.role, 'resident');
	assert.equal(ok.json.user.person_id, S.a.id);
	assert.ok(ok.json.csrf_token);
	assert.match(ok.headers.get('set-cookie'), /fk_session=[^;]+; HttpOnly; SameSite=Strict/);
	const me = await anon.get('/api/v1/auth/me');
	assert.equal(me.status, 200, me.what);
	assert.equal(me.json.user.username, S.usernameA);
	S.resident = anon;
	S.resident.csrf = ok.json.csrf_token;
	assertError(await verify(h.anon(), S.phoneA, code), 401, { code: 'code_used' });
	// A number with no account: no code ever signs in (there was no text to read it from).
	assertError(await verify(h.anon(), phoneFor(999), code), 401, { code: 'code_wrong' });
	const audit = await (await h.login('admin')).ok('/api/v1/audit', { query: { action: 'auth.code_login' } });
	assert.ok(audit.items.length >= 1);
});

h.test('a code expires after users.code_minutes on the test clock', async () => {
	await advance(61);
	assert.equal((await askCode(h.anon(), S.phoneA)).status, 202);
	const code = await lastCode(S.phoneA);
	await advance(4 * 60 + 50);
	await advance(11);
	assertError(await verify(h.anon(), S.phoneA, code), 401, { code: 'code_expired' });
});

h.test('the 5th wrong code kills it: the right one no longer signs in', async () => {
	await advance(61);
	assert.equal((await askCode(h.anon(), S.phoneA)).status, 202);
	const code = await lastCode(S.phoneA);
	const wrong = String((Number(code) + 7) % 1000000).padStart(6, '0');
	for (let left = 4; left >= 1; left--) {
		const e = assertError(await verify(h.anon(), S.phoneA, wrong), 401, { code: 'code_wrong' });
		assert.equal(e.tries_left, left);
	}
	assertError(await verify(h.anon(), S.phoneA, wrong), 401, { code: 'code_dead' });
	assertError(await verify(h.anon(), S.phoneA, code), 401, { code: 'code_dead' });
});

h.test('per number: one code a resend interval, users.code_per_hour an hour', async () => {
	const anon = h.anon();
	for (let i = 0; i < 5; i++) {
		const r = await askCode(anon, S.phoneB);
		assert.equal(r.status, 202, `code ${i + 1}: ${r.what}`);
		await advance(61);
	}
	const e = assertError(await askCode(anon, S.phoneB), 429, { code: 'too_many_codes' });
	assert.ok(e.retry_after > 60 && e.retry_after <= 3600 - 4 * 61, JSON.stringify(e));
	assert.equal((await outbox(S.phoneB)).length, 5);
	await advance(e.retry_after);
	assert.equal((await askCode(anon, S.phoneB)).status, 202);
});

h.test('per client address: a burst of codes for many numbers is throttled', async () => {
	const codes = [];
	for (let i = 0; i < 11; i++)
		codes.push(await postFrom('127.0.0.2', '/api/v1/auth/code', { phone: phoneFor(700 + i) }));
	assert.deepEqual(codes.slice(0, 10).map((r) => r.status), Array(10).fill(202));
	assert.equal(codes[10].status, 429);
	assert.equal(codes[10].json.error.code, 'too_many_codes');
	assert.ok(codes[10].json.error.retry_after > 0);
	// Another address is not held back.
	const other = await postFrom('127.0.0.3', '/api/v1/auth/code', { phone: phoneFor(720) });
	assert.equal(other.status, 202);
});

h.test('the outbox: admin only, every read audited', async () => {
	for (const u of ['commander', 'community1', 'grid1']) {
		const c = await h.login(u);
		assertError(await c.get('/api/v1/outbox'), 403);
	}
	assertError(await S.resident.get('/api/v1/outbox'), 403);
	const admin = await h.login('admin');
	const page = await admin.ok('/api/v1/outbox', { query: { limit: 2 } });
	assert.equal(page.items.length, 2);
	assert.ok(page.next_cursor);
	const next = await admin.ok('/api/v1/outbox', { query: { limit: 2, cursor: page.next_cursor } });
	assert.ok(BigInt(next.items[0].id) < BigInt(page.items[1].id));
	assertError(await admin.get('/api/v1/outbox', { query: { cursor: 'x' } }), 400, { field: 'cursor' });
	assertError(await admin.get('/api/v1/outbox', { query: { to: 'abc' } }), 400, { field: 'to' });
	const audit = await admin.ok('/api/v1/audit', { query: { action: 'notify.outbox' } });
	assert.ok(audit.items.length >= 3);
});

h.test('results: the resident sees its own, by round; another\'s reads as unknown', async () => {
	const admin = await h.login('admin');
	const commander = await h.login('commander');
	const community1 = await h.login('community1');
	const reg = await h.login('registrar1');
	const lab = await h.login('lab1');
	const mine = await S.resident.ok(`/api/v1/people/${S.a.id}/results`);
	assert.deepEqual(mine.items, []);
	const round = await openRound(commander, '居民结果轮');
	const site = await makeSite(community1, GRID, [await userId(admin, 'registrar1')]);
	const c = await community1.ok(`/api/v1/people/${S.a.id}/sampling-code`);
	const tube = barcode('R');
	assertCreated(await openTube(reg, round, site, tube));
	assertCreated(await scan(reg, tube, { code: c.code }));
	let r = await S.resident.ok(`/api/v1/people/${S.a.id}/results`);
	assert.equal(r.items.length, 1);
	assert.equal(r.items[0].round_id, round.id);
	assert.equal(r.items[0].round_name, '居民结果轮');
	assert.equal(r.items[0].tube_code, tube);
	assert.equal(r.items[0].result, 'pending');
	assert.equal(r.items[0].result_at, null);
	assert.match(r.items[0].day, /^\d{4}-\d{2}-\d{2}$/);
	// Closed, boxed, shipped and resulted negative.
	assert.equal((await reg.post(`/api/v1/tubes/${tube}/close`)).status, 200);
	const box = barcode('B');
	assertCreated(await reg.post('/api/v1/boxes', { code: box, round_id: round.id, site_id: site.id }));
	assert.equal((await reg.post(`/api/v1/boxes/${box}/tubes`, { tube_code: tube })).status, 200);
	assert.equal((await reg.post(`/api/v1/boxes/${box}/seal`)).status, 200);
	assert.equal((await reg.post(`/api/v1/boxes/${box}/handover`, { to: '转运员' })).status, 200);
	assert.equal((await lab.post(`/api/v1/boxes/${box}/receive`)).status, 200);
	const res = await lab.post(`/api/v1/tubes/${tube}/result`, { result: 'negative', client_key: key() });
	assert.equal(res.status, 200, res.what);
	r = await S.resident.ok(`/api/v1/people/${S.a.id}/results`);
	assert.equal(r.items[0].result, 'negative');
	assert.ok(r.items[0].result_at);
	// Someone else's results, or an unknown id: the same 404.
	const other = await S.resident.get(`/api/v1/people/${S.b.id}/results`);
	const unknown = await S.resident.get('/api/v1/people/999999999/results');
	assertError(other, 404);
	assertError(unknown, 404);
	assert.equal(other.json.error.code, unknown.json.error.code);
	// Staff: in scope (audited), out of scope 404.
	const staff = await community1.ok(`/api/v1/people/${S.a.id}/results`);
	assert.equal(staff.items[0].result, 'negative');
	assertError(await (await h.login('grid2')).get(`/api/v1/people/${S.a.id}/results`), 404);
	assertError(await lab.get(`/api/v1/people/${S.a.id}/results`), 403);
	const audit = await admin.ok('/api/v1/audit', { query: { action: 'people.results' } });
	assert.ok(audit.items.some((x) => x.target_id === S.a.id));
});

h.shutdownTest();
