// users: account management by the admin (list, create, read, update, disable, reset the
// password), refused to every other role, with bad input named by field.
import assert from 'node:assert/strict';
import { harness, assertError, assertCreated, areaByCode, Client } from './lib/harness.mjs';

const h = harness('users');
const DEMO_USERS = ['admin', 'commander', 'community1', 'community2', 'grid1', 'grid2',
	'building1', 'registrar1', 'lab1', 'volunteer1'];

/* The area ids a user JSON holds, whether as area_ids or as scopes. */
function scopeIds(u) {
	if (Array.isArray(u.area_ids)) return u.area_ids.map(String);
	assert.ok(Array.isArray(u.scopes), `user has neither area_ids nor scopes: ${JSON.stringify(u)}`);
	return u.scopes.map((s) => String(s.id));
}

let created; // the user made by the create test

h.test('residents\' accounts are listed only when asked for (role=resident), at most 1,000', async () => {
	const admin = await h.login('admin');
	const staff = await admin.ok('/api/v1/users');
	assert.ok(staff.items.length >= DEMO_USERS.length);
	assert.ok(!staff.items.some((u) => u.role === 'resident'), 'a resident among the staff accounts');
	assert.equal(staff.truncated, false);
	const residents = await admin.ok('/api/v1/users', { query: { role: 'resident' } });
	assert.ok(residents.items.length > 0);
	assert.ok(residents.items.every((u) => u.role === 'resident'));
	assert.ok(residents.items.some((u) => u.username === 'resident1'));
	assert.equal(residents.truncated, false);
	const grids = await admin.ok('/api/v1/users', { query: { role: 'grid' } });
	assert.deepEqual(grids.items.map((u) => u.username).sort(), ['grid1', 'grid2']);
});

h.test('admin lists every demo user with its role', async () => {
	const admin = await h.login('admin');
	const body = await admin.ok('/api/v1/users');
	assert.ok(Array.isArray(body.items), `expected {items:[...]}: ${JSON.stringify(body).slice(0, 300)}`);
	const names = body.items.map((u) => u.username);
	for (const n of DEMO_USERS) assert.ok(names.includes(n), `${n} missing from ${names}`);
	const g = body.items.find((u) => u.username === 'grid1');
	assert.equal(g.role, 'grid');
	assert.match(String(g.id), /^\d+$/);
	for (const u of body.items) {
		const text = JSON.stringify(u);
		assert.ok(!/argon2|password_hash|\$argon/i.test(text), `a user leaks its hash: ${text}`);
	}
});

h.test('admin creates a grid worker who can then log in with that scope', async () => {
	const admin = await h.login('admin');
	const grid = await areaByCode(admin, '370212001001G02');
	const r = await admin.post('/api/v1/users', {
		username: 'grid_worker.2', password: 'Grid-pass-22', display_name: '李网格',
		role: 'grid', area_ids: [grid.id],
	});
	created = assertCreated(r);
	assert.match(String(created.id), /^\d+$/);
	assert.equal(created.username, 'grid_worker.2');
	assert.equal(created.role, 'grid');
	assert.equal(created.display_name, '李网格');
	assert.deepEqual(scopeIds(created), [grid.id]);

	const got = await admin.ok(`/api/v1/users/${created.id}`);
	assert.equal(got.username, 'grid_worker.2');
	assert.deepEqual(scopeIds(got), [grid.id]);

	const c = new Client(h.base);
	const lr = await c.login('grid_worker.2', 'Grid-pass-22');
	assert.equal(lr.status, 200, lr.what);
	assert.deepEqual(lr.json.user.scopes.map((s) => s.code), ['370212001001G02']);
	h.clients.set('grid_worker.2', c);
});

h.test('a taken username answers 409', async () => {
	const admin = await h.login('admin');
	const grid = await areaByCode(admin, '370212001001G02');
	const r = await admin.post('/api/v1/users', {
		username: 'grid1', password: 'Grid-pass-22', display_name: 'x', role: 'grid',
		area_ids: [grid.id],
	});
	assertError(r, 409, { field: 'username' });
});

h.test('bad role, username, password or area answer 4xx naming the field', async () => {
	const admin = await h.login('admin');
	const grid = await areaByCode(admin, '370212001001G02');
	const base = { username: 'newuser', password: 'Long-pass-99', display_name: '新用户',
		role: 'grid', area_ids: [grid.id] };
	assertError(await admin.post('/api/v1/users', { ...base, role: 'superuser' }), 400, { field: 'role' });
	assertError(await admin.post('/api/v1/users', { ...base, username: 'Bad Name!' }), 400, { field: 'username' });
	assertError(await admin.post('/api/v1/users', { ...base, username: 'ab' }), 400, { field: 'username' });
	assertError(await admin.post('/api/v1/users', { ...base, password: 'short' }), 400, { field: 'password' });
	const r = await admin.post('/api/v1/users', { ...base, area_ids: ['999999999999'] });
	assert.ok(r.status === 400 || r.status === 404, r.what);
	assertError(r, r.status, { field: 'area_ids' });
	assertError(await admin.post('/api/v1/users', { ...base, area_ids: 'x' }), 400, { field: 'area_ids' });
	// None of them was created.
	const list = await admin.ok('/api/v1/users');
	assert.ok(!list.items.some((u) => u.username === 'newuser'), 'a refused user was created');
});

h.test('a resident account names a person who exists: an unknown one is 404 naming person_id', async () => {
	const admin = await h.login('admin');
	const grid = await areaByCode(admin, '370212001001G02');
	const people = await admin.ok(`/api/v1/people?area_id=${grid.id}&limit=1`);
	const base = { username: 'resident_new', password: 'Long-pass-99', display_name: '居民',
		role: 'resident', area_ids: [grid.id] };
	assertError(await admin.post('/api/v1/users', { ...base, person_id: '999999999999' }), 404,
		{ code: 'person_not_found', field: 'person_id' });
	const list = await admin.ok('/api/v1/users');
	assert.ok(!list.items.some((u) => u.username === 'resident_new'), 'a refused user was created');
	const made = await admin.post('/api/v1/users', { ...base, person_id: people.items[0].id });
	const u = assertCreated(made);
	const id = u.id ?? u.user?.id;
	assertError(await admin.patch(`/api/v1/users/${id}`, { person_id: '999999999998' }), 404,
		{ code: 'person_not_found', field: 'person_id' });
	const after = await admin.ok(`/api/v1/users/${id}`);
	assert.equal(String(after.person_id ?? after.user?.person_id), String(people.items[0].id));
});

h.test('admin updates display name, role and scope', async () => {
	const admin = await h.login('admin');
	const community = await areaByCode(admin, '370212001002');
	const r = await admin.patch(`/api/v1/users/${created.id}`,
		{ display_name: '李社区', role: 'community', area_ids: [community.id] });
	assert.equal(r.status, 200, r.what);
	const got = await admin.ok(`/api/v1/users/${created.id}`);
	assert.equal(got.display_name, '李社区');
	assert.equal(got.role, 'community');
	assert.deepEqual(scopeIds(got), [community.id]);
	assertError(await admin.patch(`/api/v1/users/${created.id}`, { role: 'king' }), 400, { field: 'role' });
	assertError(await admin.patch(`/api/v1/users/${created.id}`, { shoe_size: 42 }), 400, { field: 'shoe_size' });
	assertError(await admin.patch('/api/v1/users/999999999999', { display_name: 'x' }), 404);
	assertError(await admin.get('/api/v1/users/999999999999'), 404);
});

h.test('a new password works and the old one does not', async () => {
	const admin = await h.login('admin');
	const r = await admin.patch(`/api/v1/users/${created.id}`, { password: 'Fresh-pass-33' });
	assert.equal(r.status, 200, r.what);
	assertError(await new Client(h.base).login('grid_worker.2', 'Grid-pass-22'), 401);
	const ok = await new Client(h.base).login('grid_worker.2', 'Fresh-pass-33');
	assert.equal(ok.status, 200, ok.what);
	assertError(await admin.patch(`/api/v1/users/${created.id}`, { password: 'short' }), 400, { field: 'password' });
});

/* The weak passwords and the rule each breaks: code, and a word of the rule in each language. */
const WEAK = [
	{ password: '12345678', code: 'password_too_simple', en: /too simple/, zh: /太简单/ },
	{ password: 'password', code: 'password_too_simple', en: /too simple/, zh: /太简单/ },
	{ password: 'strong.check', code: 'password_contains_username', en: /username/, zh: /用户名/ },
	{ password: 'My-Strong.Check-9', code: 'password_contains_username', en: /username/, zh: /用户名/ },
];

function assertWeak(r, w) {
	const e = assertError(r, 422, { field: 'password', code: w.code });
	assert.match(e.message_en, w.en, r.what);
	assert.match(e.message_zh, w.zh, r.what);
}

h.test('weak passwords and the username are refused on create and reset, naming the rule', async () => {
	const admin = await h.login('admin');
	const grid = await areaByCode(admin, '370212001001G02');
	const base = { username: 'strong.check', display_name: '强度检查', role: 'grid', area_ids: [grid.id] };
	for (const w of WEAK)
		assertWeak(await admin.post('/api/v1/users', { ...base, password: w.password }), w);
	let list = await admin.ok('/api/v1/users');
	assert.ok(!list.items.some((u) => u.username === 'strong.check'), 'a user with a weak password was created');

	const made = assertCreated(await admin.post('/api/v1/users', { ...base, password: 'Wq7-pine-36' }));
	for (const w of WEAK)
		assertWeak(await admin.patch(`/api/v1/users/${made.id}`, { password: w.password }), w);
	for (const w of WEAK)
		assertError(await new Client(h.base).login('strong.check', w.password), 401);
	const ok = await new Client(h.base).login('strong.check', 'Wq7-pine-36');
	assert.equal(ok.status, 200, `a refused reset changed the password: ${ok.what}`);
	const r = await admin.patch(`/api/v1/users/${made.id}`, { password: 'Lark-stone-58' });
	assert.equal(r.status, 200, r.what);
	const again = await new Client(h.base).login('strong.check', 'Lark-stone-58');
	assert.equal(again.status, 200, again.what);
});

h.test('a disabled user cannot log in and loses its open session', async () => {
	const admin = await h.login('admin');
	const open = new Client(h.base);
	assert.equal((await open.login('grid_worker.2', 'Fresh-pass-33')).status, 200);
	const r = await admin.patch(`/api/v1/users/${created.id}`, { disabled: true });
	assert.equal(r.status, 200, r.what);
	const got = await admin.ok(`/api/v1/users/${created.id}`);
	assert.equal(got.disabled, true);
	const lr = await new Client(h.base).login('grid_worker.2', 'Fresh-pass-33');
	assert.ok(lr.status === 401 || lr.status === 403, lr.what);
	assertError(await open.get('/api/v1/auth/me'), 401);
});

h.test('every other role gets 403 on the user routes', async () => {
	const admin = await h.login('admin');
	const someone = (await admin.ok('/api/v1/users')).items.find((u) => u.username === 'grid2');
	for (const name of ['commander', 'community1', 'grid1', 'resident1']) {
		const c = await h.login(name);
		assertError(await c.get('/api/v1/users'), 403);
		assertError(await c.get(`/api/v1/users/${someone.id}`), 403);
		assertError(await c.post('/api/v1/users', {
			username: `evil_${name}`, password: 'Long-pass-99', display_name: 'x', role: 'admin',
			area_ids: [c.me.scopes[0].id],
		}), 403);
		assertError(await c.patch(`/api/v1/users/${c.me.id}`, { role: 'admin' }), 403);
	}
	const me = await (await h.login('grid1')).get('/api/v1/auth/me');
	assert.equal(me.json.user.role, 'grid', 'grid1 promoted itself');
});

h.test('user changes are audited', async () => {
	const admin = await h.login('admin');
	const r = await admin.get('/api/v1/audit', { query: { target_kind: 'user', target_id: created.id } });
	assert.equal(r.status, 200, r.what);
	// Oldest first: who did what to which user, and which fields changed (refused changes leave
	// nothing).
	const entries = r.json.items.slice().reverse();
	const detail = (e) => JSON.parse(e.detail);
	assert.deepEqual(entries.map((e) => [e.username, e.role, e.action, e.target_kind, e.target_id]), [
		['admin', 'admin', 'user.create', 'user', created.id],
		['admin', 'admin', 'user.update', 'user', created.id],
		['admin', 'admin', 'user.update', 'user', created.id],
		['admin', 'admin', 'user.update', 'user', created.id],
	], r.what);
	const admin1 = (await admin.ok('/api/v1/users')).items.find((u) => u.username === 'admin');
	assert.ok(entries.every((e) => e.user_id === admin1.id), r.what);
	assert.equal(detail(entries[0]).username, 'grid_worker.2');
	assert.equal(detail(entries[0]).role, 'grid');
	assert.deepEqual(entries.slice(1).map((e) => detail(e).fields.sort()),
		[['area_ids', 'display_name', 'role'], ['password'], ['disabled']]);
	assert.ok(!r.text.includes('Fresh-pass-33'), 'the audit log holds a password');
});

h.shutdownTest();
