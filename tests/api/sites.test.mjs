// sites: binding registrars to a sampling site by username (or user id) — exactly one of the
// two; unknown names, wrong roles, disabled accounts and registrars without a scope over the
// site's area refused naming the first bad one, with nothing changed; and the registrar
// candidates a site's page offers, scoped to the site and paged by username.
import assert from 'node:assert/strict';
import { harness, assertError, assertCreated, assertSameAsMissing, areaByCode } from './lib/harness.mjs';

const h = harness('sites');

let site, site2; // in community 1 (by community1), in community 2 (by community2)
const made = {}; // username -> user made here

async function addUser(admin, username, role, areaCode, displayName) {
	const area = await areaByCode(admin, areaCode);
	const r = await admin.post('/api/v1/users', {
		username, password: 'Reg-pass-123', display_name: displayName, role, area_ids: [area.id],
	});
	made[username] = assertCreated(r);
}

async function makeSite(client, areaCode, code) {
	const area = await areaByCode(client, areaCode);
	return assertCreated(await client.post('/api/v1/sites', {
		area_id: area.id, code, name: `采样点 ${code}`, kind: 'fixed', desks: 2,
	}));
}

function putRegistrars(client, id, body) {
	return client.req('PUT', `/api/v1/sites/${id}/registrars`, { json: body });
}

async function candidates(client, id, query = {}) {
	return client.ok(`/api/v1/sites/${id}/registrar-candidates`, { query });
}

/* Every candidate username, following next_cursor a page of `limit` at a time. */
async function allCandidates(client, id, query = {}, limit = 1) {
	const names = [];
	let cursor;
	for (let i = 0; i < 50; i++) {
		const page = await candidates(client, id, { ...query, limit, cursor });
		assert.ok(page.items.length <= limit, JSON.stringify(page));
		names.push(...page.items.map((u) => u.username));
		if (!page.next_cursor) return names;
		cursor = page.next_cursor;
	}
	throw new Error('candidates never ended');
}

h.test('setup: registrars of several scopes, a disabled one, a site per community', async () => {
	const admin = await h.login('admin');
	await addUser(admin, 'reg.grid1', 'registrar', '370212001001G01', '张村一网格登记员');
	await addUser(admin, 'reg.hedong', 'registrar', '370212001002', '河东社区登记员');
	await addUser(admin, 'reg.off', 'registrar', '370212', '停用的登记员');
	const off = await admin.patch(`/api/v1/users/${made['reg.off'].id}`, { disabled: true });
	assert.equal(off.status, 200, off.what);
	site = await makeSite(await h.login('community1'), '370212001001', 'S-REG-1');
	site2 = await makeSite(await h.login('community2'), '370212001002', 'S-REG-2');
});

h.test('community staff bind registrars by username; the reply lists them as GET does', async () => {
	const community1 = await h.login('community1');
	const r = await putRegistrars(community1, site.id, { usernames: ['registrar1', 'Reg.Grid1'] });
	assert.equal(r.status, 200, r.what);
	assert.deepEqual(r.json.registrars.map((u) => u.username), ['reg.grid1', 'registrar1']);
	for (const u of r.json.registrars) {
		assert.deepEqual(Object.keys(u).sort(), ['display_name', 'id', 'username']);
		assert.match(u.id, /^\d+$/);
	}
	assert.equal(r.json.registrars[0].display_name, '张村一网格登记员');
	assert.equal(r.json.registrars[0].id, made['reg.grid1'].id);
	assert.deepEqual((await community1.ok(`/api/v1/sites/${site.id}`)).registrars, r.json.registrars);
	const registrar = await h.login('registrar1');
	assert.ok((await registrar.ok('/api/v1/sites')).items.some((s) => s.id === site.id));
});

h.test('an unknown username is 422 naming the first bad name; nothing changes', async () => {
	const community1 = await h.login('community1');
	const before = (await community1.ok(`/api/v1/sites/${site.id}`)).registrars;
	const r = await putRegistrars(community1, site.id, { usernames: ['registrar1', 'nobody7', 'ghost8'] });
	const e = assertError(r, 422, { code: 'unknown_user', field: 'usernames' });
	assert.match(e.message_zh, /nobody7/);
	assert.match(e.message_en, /nobody7/);
	assert.doesNotMatch(e.message_en, /ghost8/);
	assert.deepEqual((await community1.ok(`/api/v1/sites/${site.id}`)).registrars, before);
});

h.test('wrong role, disabled and out-of-scope accounts are refused, by name and by id', async () => {
	const community1 = await h.login('community1');
	const before = (await community1.ok(`/api/v1/sites/${site.id}`)).registrars;
	let e = assertError(await putRegistrars(community1, site.id, { usernames: ['registrar1', 'grid1'] }),
		422, { code: 'not_a_registrar', field: 'usernames' });
	assert.match(e.message_en, /grid1/);
	e = assertError(await putRegistrars(community1, site.id, { usernames: ['reg.off'] }), 422,
		{ code: 'not_a_registrar', field: 'usernames' });
	assert.match(e.message_zh, /reg\.off/);
	// Another community's registrar is another jurisdiction's account: named or given by id,
	// it reads byte for byte as an account that does not exist.
	const away = await putRegistrars(community1, site.id, { usernames: ['reg.hedong'] });
	assertError(away, 422, { code: 'unknown_user', field: 'usernames' });
	assertSameAsMissing(away, await putRegistrars(community1, site.id, { usernames: ['nobody9'] }),
		'reg.hedong', 'nobody9');
	const awayId = await putRegistrars(community1, site.id, { user_ids: [made['reg.hedong'].id] });
	assertError(awayId, 400, { code: 'unknown_user', field: 'user_ids' });
	assertSameAsMissing(awayId, await putRegistrars(community1, site.id, { user_ids: ['999999999'] }),
		made['reg.hedong'].id, '999999999');
	assertError(await putRegistrars(community1, site.id, { user_ids: [made['reg.off'].id] }), 422,
		{ code: 'not_a_registrar', field: 'user_ids' });
	assertError(await putRegistrars(community1, site.id, { user_ids: ['999999999'] }), 400,
		{ code: 'unknown_user', field: 'user_ids' });
	assert.deepEqual((await community1.ok(`/api/v1/sites/${site.id}`)).registrars, before);
	// The other community's registrar fits the other community's site.
	const community2 = await h.login('community2');
	const r = await putRegistrars(community2, site2.id, { usernames: ['reg.hedong'] });
	assert.equal(r.status, 200, r.what);
	assert.deepEqual(r.json.registrars.map((u) => u.username), ['reg.hedong']);
});

h.test('usernames and user_ids together, or neither, are 422 naming the field', async () => {
	const community1 = await h.login('community1');
	const reg = made['reg.grid1'].id;
	assertError(await putRegistrars(community1, site.id, { usernames: ['registrar1'], user_ids: [reg] }),
		422, { code: 'both_user_ids_and_usernames', field: 'user_ids' });
	assertError(await putRegistrars(community1, site.id, {}), 422,
		{ code: 'missing_usernames', field: 'usernames' });
	assertError(await putRegistrars(community1, site.id, { usernames: 'registrar1' }), 400,
		{ field: 'usernames' });
	assertError(await putRegistrars(community1, site.id, { usernames: [7] }), 400,
		{ field: 'usernames' });
	// user_ids alone still binds; an empty list unbinds everyone.
	const r = await putRegistrars(community1, site.id, { user_ids: [reg] });
	assert.equal(r.status, 200, r.what);
	assert.deepEqual(r.json.registrars.map((u) => u.username), ['reg.grid1']);
	const none = await putRegistrars(community1, site.id, { usernames: [] });
	assert.equal(none.status, 200, none.what);
	assert.deepEqual(none.json.registrars, []);
	// Other roles and other communities cannot bind here.
	assertError(await putRegistrars(await h.login('grid1'), site.id, { usernames: ['registrar1'] }), 403);
	assertError(await putRegistrars(await h.login('community2'), site.id, { usernames: ['registrar1'] }),
		404, { code: 'site_not_found' });
});

h.test('registrar candidates: enabled registrars with a scope over the site, paged', async () => {
	const community1 = await h.login('community1');
	const page = await candidates(community1, site.id);
	assert.deepEqual(page.items.map((u) => u.username), ['reg.grid1', 'registrar1']);
	assert.equal(page.next_cursor, null);
	for (const u of page.items)
		assert.deepEqual(Object.keys(u).sort(), ['display_name', 'id', 'username']);
	assert.equal(page.items[1].display_name, '采样点登记员');
	assert.deepEqual(await allCandidates(community1, site.id), ['reg.grid1', 'registrar1']);
	assert.deepEqual((await candidates(community1, site.id, { q: 'regi' })).items.map((u) => u.username),
		['registrar1']);
	assert.deepEqual((await candidates(community1, site.id, { q: '网格' })).items.map((u) => u.username),
		['reg.grid1']);
	assert.deepEqual((await candidates(community1, site.id, { q: 'REG.' })).items.map((u) => u.username),
		['reg.grid1']);
	assert.deepEqual((await candidates(community1, site.id, { q: 'grid1' })).items, []);
	// Community 2 sees its own registrars at its own site, and not community 1's site.
	const community2 = await h.login('community2');
	assert.deepEqual(await allCandidates(community2, site2.id, {}, 5), ['reg.hedong', 'registrar1']);
	assertError(await community2.get(`/api/v1/sites/${site.id}/registrar-candidates`), 404,
		{ code: 'site_not_found' });
	// The commander sees what the site allows.
	const cmd = await h.login('commander');
	assert.deepEqual(await allCandidates(cmd, site2.id, {}, 1), ['reg.hedong', 'registrar1']);
	for (const u of ['grid1', 'registrar1', 'lab1'])
		assertError(await (await h.login(u)).get(`/api/v1/sites/${site.id}/registrar-candidates`), 403);
	assertError(await community1.get(`/api/v1/sites/${site.id}/registrar-candidates`,
		{ query: { limit: 0 } }), 400, { field: 'limit' });
	assertError(await community1.get(`/api/v1/sites/${site.id}/registrar-candidates`,
		{ query: { q: 'x'.repeat(65) } }), 400, { field: 'q' });
	// Every candidate binds.
	const names = await allCandidates(community1, site.id);
	const r = await putRegistrars(community1, site.id, { usernames: names });
	assert.equal(r.status, 200, r.what);
	assert.deepEqual(r.json.registrars.map((u) => u.username), names);
});

h.shutdownTest();
