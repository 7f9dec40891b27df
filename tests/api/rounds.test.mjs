// rounds: testing rounds end to end on the rounds side — create, open and close a round over
// areas; coverage per area level (expected = the residents there); exemptions; sampling sites
// with their areas and registrars and the round plan; call-ups; the missing and door-to-door
// lists, scoped per grid with phones masked per role; the summary figure and turnaround; 4xx
// for bad input and bad transitions.
import assert from 'node:assert/strict';
import {
	harness, assertError, assertCreated, areaByCode, newPerson, makeId, phoneFor,
} from './lib/harness.mjs';

const h = harness('rounds');
const HOUR = 3600 * 1000;
const iso = (ms) => new Date(ms).toISOString();
const MASKED_PHONE = /^1\d{2}\*{4}\d{4}$/;

let c1, c2, street, g1, g2, b01, b02, b03, g2b01; // demo areas
let alpha, beta, gamma, delta, epsilon; // residents made here
let round, round2; // over community 1; over street 1 (communities 1 and 2)
let site;

function roundBody(extra = {}) {
	const now = Date.now();
	return {
		name: '第一轮全员核酸', area_ids: [c1.id], starts_at: iso(now),
		deadline_at: iso(now + 24 * HOUR), ...extra,
	};
}

async function residents(client, area) {
	const r = await client.get(`/api/v1/areas/${area.id}`);
	assert.equal(r.status, 200, r.what);
	return r.json.residents_count;
}

async function coverage(client, id, query = {}) {
	return client.ok(`/api/v1/rounds/${id}/coverage`, { query });
}

async function allMissing(client, id, query, path = 'missing') {
	const ids = [];
	let cursor;
	for (let i = 0; i < 100; i++) {
		const r = await client.get(`/api/v1/rounds/${id}/${path}`, { query: { ...query, cursor } });
		assert.equal(r.status, 200, r.what);
		const items = path === 'missing' ? r.json.items : r.json.buildings.flatMap((b) => b.people);
		ids.push(...items.map((p) => p.id));
		cursor = r.json.next_cursor;
		if (!cursor) return ids;
	}
	throw new Error('paging did not end');
}

h.test('setup: demo areas and a few tagged residents', async () => {
	const admin = await h.login('admin');
	c1 = await areaByCode(admin, '370212001001');
	c2 = await areaByCode(admin, '370212001002');
	street = await areaByCode(admin, '370212001');
	g1 = await areaByCode(admin, '370212001001G01');
	g2 = await areaByCode(admin, '370212001002G01');
	b01 = await areaByCode(admin, '370212001001G01B01');
	b02 = await areaByCode(admin, '370212001001G01B02');
	b03 = await areaByCode(admin, '370212001001G01B03');
	g2b01 = await areaByCode(admin, '370212001002G01B01');
	alpha = await newPerson(admin, b01.id, 401, { name: '轮次甲', tags: ['elderly_alone'] });
	beta = await newPerson(admin, b01.id, 402, { name: '轮次乙' });
	gamma = await newPerson(admin, b02.id, 403, { name: '轮次丙', tags: ['bedridden'] });
	delta = await newPerson(admin, b02.id, 404, { name: '轮次丁' });
	epsilon = await newPerson(admin, g2b01.id, 405, { name: '轮次戊', tags: ['home_sampling'] });
});

h.test('bad rounds: 4xx naming the field; only commanders and admins create', async () => {
	const cmd = await h.login('commander');
	const now = Date.now();
	assertError(await cmd.post('/api/v1/rounds', roundBody({ area_ids: ['999999999'] })), 400,
		{ code: 'unknown_area', field: 'area_ids' });
	assertError(await cmd.post('/api/v1/rounds', roundBody({ pool_size: 7 })), 400,
		{ code: 'invalid_pool_size', field: 'pool_size' });
	assertError(await cmd.post('/api/v1/rounds', roundBody({ pool_size: 0 })), 400,
		{ code: 'invalid_pool_size' });
	assertError(await cmd.post('/api/v1/rounds', roundBody({ deadline_at: iso(now - HOUR) })), 400,
		{ code: 'deadline_before_start', field: 'deadline_at' });
	assertError(await cmd.post('/api/v1/rounds', roundBody({ deadline_at: 'tomorrow' })), 400,
		{ code: 'invalid_time', field: 'deadline_at' });
	assertError(await cmd.post('/api/v1/rounds', roundBody({ name: '   ' })), 400,
		{ field: 'name' });
	assertError(await cmd.post('/api/v1/rounds', roundBody({ area_ids: [] })), 400,
		{ field: 'area_ids' });
	assertError(await cmd.post('/api/v1/rounds', { ...roundBody(), extra: 1 }), 400,
		{ code: 'unknown_field', field: 'extra' });
	const grid1 = await h.login('grid1');
	assertError(await grid1.post('/api/v1/rounds', roundBody()), 403);
	const community1 = await h.login('community1');
	assertError(await community1.post('/api/v1/rounds', roundBody()), 403);
});

h.test('create and open a round over a community: expected = the residents there', async () => {
	const cmd = await h.login('commander');
	const r = await cmd.post('/api/v1/rounds', roundBody({ note: '指挥部部署' }));
	round = assertCreated(r);
	assert.equal(r.status, 201);
	assert.match(round.id, /^\d+$/);
	assert.equal(round.status, 'planned');
	assert.equal(round.pool_size, 10);
	assert.deepEqual(round.areas.map((a) => a.code), ['370212001001']);
	assert.equal(round.deadline.deadline_within_target, true);
	assert.equal(round.deadline.targets.round_hours, 24);
	assert.equal(round.deadline.targets.sampling_hours, 6);

	const list = await cmd.ok('/api/v1/rounds');
	assert.ok(list.items.some((x) => x.id === round.id));
	// grid2 (another community) does not see it at all.
	const grid2 = await h.login('grid2');
	assertError(await grid2.get(`/api/v1/rounds/${round.id}`), 404, { code: 'round_not_found' });
	assert.ok(!(await grid2.ok('/api/v1/rounds')).items.some((x) => x.id === round.id));

	// Pool size may change while planned, not after.
	const p = await cmd.patch(`/api/v1/rounds/${round.id}`, { pool_size: 20 });
	assert.equal(p.status, 200, p.what);
	assert.equal(p.json.pool_size, 20);
	const o = await cmd.post(`/api/v1/rounds/${round.id}/open`);
	assert.equal(o.status, 200, o.what);
	assert.equal(o.json.status, 'sampling');
	assert.ok(o.json.opened_at);
	assertError(await cmd.post(`/api/v1/rounds/${round.id}/open`), 409, { code: 'round_open' });
	assertError(await cmd.patch(`/api/v1/rounds/${round.id}`, { pool_size: 10 }), 422,
		{ code: 'round_started', field: 'pool_size' });
	const d = await cmd.patch(`/api/v1/rounds/${round.id}`,
		{ deadline_at: iso(Date.now() + 30 * HOUR) });
	assert.equal(d.status, 200, d.what);
	assert.equal(d.json.deadline.deadline_within_target, false);
	assert.ok(d.json.deadline.notes.some((n) => n.code === 'deadline_beyond_target'));

	const want = await residents(cmd, c1);
	assert.ok(want > 4, `community 1 holds ${want} residents`);
	const top = await coverage(cmd, round.id);
	assert.deepEqual(top.rows.map((x) => x.code), ['370212001001']);
	assert.equal(top.rows[0].expected, want);
	assert.equal(top.totals.expected, want);
	assert.equal(top.totals.missing, want);
	assert.equal(top.totals.sampled, 0);
	const byGrid = await coverage(cmd, round.id, { area_id: c1.id });
	assert.equal(byGrid.rows.length, 10);
	assert.equal(byGrid.rows.reduce((s, x) => s + x.expected, 0), want);
	const row1 = byGrid.rows.find((x) => x.code === g1.code);
	assert.equal(row1.expected, await residents(cmd, g1));
	const byBuilding = await coverage(cmd, round.id, { area_id: c1.id, kind: 'building' });
	assert.equal(byBuilding.rows.length, 100);
	assert.equal(byBuilding.rows.find((x) => x.code === b01.code).expected, await residents(cmd, b01));
	assertError(await cmd.get(`/api/v1/rounds/${round.id}/coverage`, { query: { kind: 'tower' } }),
		400, { field: 'kind' });

	// A grid worker's view starts at its grid, and cannot climb out of it.
	const grid1 = await h.login('grid1');
	const mine = await coverage(grid1, round.id);
	assert.deepEqual(mine.rows.map((x) => x.code), [g1.code]);
	assert.equal(mine.totals.expected, await residents(cmd, g1));
	assertError(await grid1.get(`/api/v1/rounds/${round.id}/coverage`, { query: { area_id: c1.id } }),
		404);
	const one = await grid1.ok(`/api/v1/rounds/${round.id}`);
	assert.equal(one.totals.expected, mine.totals.expected);
});

h.test('exemptions: a reason lowers expected and counts as exempt; scoped; undone', async () => {
	const community1 = await h.login('community1');
	const grid1 = await h.login('grid1');
	const before = (await coverage(grid1, round.id)).totals;
	assertError(await community1.post(`/api/v1/rounds/${round.id}/exemptions`,
		{ person_id: alpha.id, reason: '  ' }), 400, { code: 'missing_reason', field: 'reason' });
	assertError(await community1.post(`/api/v1/rounds/${round.id}/exemptions`,
		{ person_id: '999999999', reason: '住院' }), 404, { code: 'person_not_found' });
	assertError(await community1.post(`/api/v1/rounds/${round.id}/exemptions`,
		{ person_id: epsilon.id, reason: '住院' }), 404); // community 2's resident
	assertError(await grid1.post(`/api/v1/rounds/${round.id}/exemptions`,
		{ person_id: alpha.id, reason: '住院' }), 403); // grid workers do not exempt
	const r = await community1.post(`/api/v1/rounds/${round.id}/exemptions`,
		{ person_id: alpha.id, reason: '住院治疗' });
	assert.equal(r.status, 201, r.what);
	const again = await community1.post(`/api/v1/rounds/${round.id}/exemptions`,
		{ person_id: alpha.id, reason: '住院治疗中' });
	assert.equal(again.status, 200, again.what);
	assert.equal(again.json.created, false);
	let now = (await coverage(grid1, round.id)).totals;
	assert.equal(now.expected, before.expected - 1);
	assert.equal(now.exempt, before.exempt + 1);
	assert.equal(now.missing, before.missing - 1);
	const list = await grid1.ok(`/api/v1/rounds/${round.id}/exemptions`);
	assert.deepEqual(list.items.map((p) => [p.id, p.reason]), [[alpha.id, '住院治疗中']]);
	assert.equal(list.items[0].phone, phoneFor(401)); // grid workers see phones

	const del = await community1.del(`/api/v1/rounds/${round.id}/exemptions/${alpha.id}`);
	assert.equal(del.status, 204, del.what);
	assertError(await community1.del(`/api/v1/rounds/${round.id}/exemptions/${alpha.id}`), 404,
		{ code: 'exemption_not_found' });
	now = (await coverage(grid1, round.id)).totals;
	assert.deepEqual(now, before);
	// Exempt beta for the rest of the file.
	assertCreated(await community1.post(`/api/v1/rounds/${round.id}/exemptions`,
		{ person_id: beta.id, reason: '外出务工' }));
});

h.test('call-ups: community sets slots per building; grid and building users mark them done', async () => {
	const community1 = await h.login('community1');
	const cmd = await h.login('commander');
	const t0 = Date.now() + HOUR;
	const slot = (a, k) => ({ area_id: a.id, slot_start: iso(t0 + k * HOUR), slot_end: iso(t0 + (k + 1) * HOUR) });
	const r = await community1.req('PUT', `/api/v1/rounds/${round.id}/callups`,
		{ json: { items: [slot(b01, 0), slot(b02, 1)] } });
	assert.equal(r.status, 200, r.what);
	assert.deepEqual(r.json.items.map((x) => x.code), [b01.code, b02.code]);
	const bad = (items) => community1.req('PUT', `/api/v1/rounds/${round.id}/callups`, { json: { items } });
	assertError(await bad([{ ...slot(b03, 0), slot_end: iso(t0 - HOUR) }]), 400,
		{ code: 'slot_end_before_start', field: 'items[0].slot_end' });
	assertError(await bad([slot(b03, 0), slot(g1, 1)]), 422,
		{ code: 'not_a_building', field: 'items[1].area_id' });
	assertError(await bad([slot(g2b01, 0)]), 400, { code: 'unknown_area', field: 'items[0].area_id' });
	assertError(await bad([{ area_id: b03.id }]), 400, { field: 'items[0].slot_start' });
	const cmdBad = await cmd.req('PUT', `/api/v1/rounds/${round.id}/callups`, { json: { items: [slot(g2b01, 0)] } });
	assertError(cmdBad, 422, { code: 'area_not_in_round' });
	// Nothing of a refused batch stays.
	assert.equal((await community1.ok(`/api/v1/rounds/${round.id}/callups`)).items.length, 2);

	const grid1 = await h.login('grid1');
	const list = await grid1.ok(`/api/v1/rounds/${round.id}/callups`);
	assert.equal(list.items.length, 2);
	const row = list.items.find((x) => x.code === b02.code);
	assert.equal(row.expected, await residents(grid1, b02));
	assert.equal(row.done, false);
	const building1 = await h.login('building1');
	assert.deepEqual((await building1.ok(`/api/v1/rounds/${round.id}/callups`)).items.map((x) => x.code),
		[b01.code]);
	const done = await building1.post(`/api/v1/rounds/${round.id}/callups/${b01.id}/done`);
	assert.equal(done.status, 200, done.what);
	assert.equal(done.json.done, true);
	assert.ok(done.json.done_at);
	assertError(await building1.post(`/api/v1/rounds/${round.id}/callups/${b02.id}/done`), 404);
	assert.equal((await grid1.post(`/api/v1/rounds/${round.id}/callups/${b02.id}/done`)).status, 200);
	assertError(await grid1.post(`/api/v1/rounds/${round.id}/callups/${b03.id}/done`), 404,
		{ code: 'callup_not_found' });
});

h.test('missing list: a grid sees its own people, phones masked per role, paged, audited', async () => {
	const grid1 = await h.login('grid1');
	const cmd = await h.login('commander');
	const r = await grid1.get(`/api/v1/rounds/${round.id}/missing`);
	assert.equal(r.status, 200, r.what);
	assert.equal(r.json.area.code, g1.code);
	const expectedMissing = (await coverage(grid1, round.id)).totals.missing;
	assert.equal(r.json.missing, expectedMissing);
	assert.equal(r.json.items.length, expectedMissing);
	assert.ok(r.json.items.every((p) => p.area_code.startsWith(g1.code)));
	assert.ok(r.json.items.some((p) => p.id === alpha.id));
	assert.ok(!r.json.items.some((p) => p.id === beta.id), 'exempt people are not missing');
	const a = r.json.items.find((p) => p.id === alpha.id);
	assert.equal(a.phone, phoneFor(401));
	assert.equal(a.masked.phone, false);
	assert.equal(a.household, alpha.household);
	// The commander may not see phones.
	const c = await cmd.get(`/api/v1/rounds/${round.id}/missing`, { query: { area_id: g1.id } });
	assert.equal(c.status, 200, c.what);
	assert.deepEqual(c.json.items.map((p) => p.id), r.json.items.map((p) => p.id));
	assert.match(c.json.items.find((p) => p.id === alpha.id).phone, MASKED_PHONE);
	// Pages of one give the same people in the same order.
	assert.deepEqual(await allMissing(grid1, round.id, { limit: 1 }), r.json.items.map((p) => p.id));
	assertError(await grid1.get(`/api/v1/rounds/${round.id}/missing`, { query: { cursor: 'x' } }), 400,
		{ field: 'cursor' });
	assertError(await grid1.get(`/api/v1/rounds/${round.id}/missing`, { query: { area_id: c1.id } }), 404);
	assertError(await grid1.get(`/api/v1/rounds/${round.id}/missing`, { query: { limit: 0 } }), 400,
		{ field: 'limit' });
	// A commander over several areas names one.
	const c2r = await cmd.get(`/api/v1/rounds/${round.id}/missing`, { query: { area_id: c1.id, limit: 500 } });
	assert.equal(c2r.json.items.length, (await coverage(cmd, round.id)).totals.missing);

	const door = await grid1.ok(`/api/v1/rounds/${round.id}/door-to-door`);
	const people = door.buildings.flatMap((b) => b.people);
	assert.ok(people.some((p) => p.id === alpha.id) && people.some((p) => p.id === gamma.id));
	assert.ok(!people.some((p) => p.id === delta.id), 'untagged people are not on the door list');
	for (const b of door.buildings) {
		assert.ok(b.code.startsWith(g1.code));
		for (const p of b.people) {
			assert.equal(p.area_id, b.area_id);
			assert.ok(p.tags.some((t) => ['home_sampling', 'bedridden', 'elderly_alone'].includes(t)));
		}
	}
	assert.equal(door.count, people.length);

	const admin = await h.login('admin');
	const audit = await admin.ok('/api/v1/audit', { query: { action: 'testing.missing' } });
	assert.ok(audit.items.some((x) => x.username === 'grid1'));
	const audit2 = await admin.ok('/api/v1/audit', { query: { action: 'testing.door_to_door' } });
	assert.ok(audit2.items.length > 0);
});

h.test('a round over a street: grid 1 and grid 2 each see only their own missing people', async () => {
	const cmd = await h.login('commander');
	round2 = assertCreated(await cmd.post('/api/v1/rounds', roundBody({ name: '街道轮次', area_ids: [street.id, c1.id], pool_size: 1 })));
	assert.deepEqual(round2.areas.map((a) => a.code), [street.code]); // c1 lies in the street
	assert.equal(round2.pool_size, 1);
	assert.equal((await cmd.post(`/api/v1/rounds/${round2.id}/open`)).status, 200);
	assert.equal((await coverage(cmd, round2.id)).totals.expected, await residents(cmd, street));

	const grid1 = await h.login('grid1');
	const grid2 = await h.login('grid2');
	const m1 = await allMissing(grid1, round2.id, {});
	const m2 = await allMissing(grid2, round2.id, {});
	assert.ok(m1.includes(alpha.id) && !m1.includes(epsilon.id));
	assert.ok(m2.includes(epsilon.id) && !m2.includes(alpha.id));
	assert.equal(m1.length, await residents(cmd, g1));
	assert.equal(m2.length, await residents(cmd, g2));
	assertError(await grid2.get(`/api/v1/rounds/${round2.id}/missing`, { query: { area_id: g1.id } }), 404);
	assertError(await grid1.get(`/api/v1/rounds/${round2.id}/missing`, { query: { area_id: g2.id } }), 404);
	assertError(await grid2.get(`/api/v1/rounds/${round2.id}/door-to-door`, { query: { area_id: g1.id } }), 404);
	const d2 = await grid2.ok(`/api/v1/rounds/${round2.id}/door-to-door`);
	assert.ok(d2.buildings.flatMap((b) => b.people).some((p) => p.id === epsilon.id));
	assert.deepEqual((await coverage(grid2, round2.id)).rows.map((x) => x.code), [g2.code]);
	// Another community's staff cannot reach community 1's residents.
	const community2 = await h.login('community2');
	assertError(await community2.post(`/api/v1/rounds/${round2.id}/exemptions`,
		{ person_id: alpha.id, reason: '住院' }), 404, { code: 'person_not_found' });
	// Neither list is open to roles without people access.
	const lab = await h.login('lab1');
	assertError(await lab.get(`/api/v1/rounds/${round2.id}/missing`), 403);
	assertError(await lab.get(`/api/v1/rounds/${round2.id}/coverage`), 403);
});

h.test('sites: community creates in its community; areas, registrars; the round plan', async () => {
	const community1 = await h.login('community1');
	const body = {
		area_id: c1.id, code: 'S-370212001001-01', name: '张村社区文化广场', kind: 'fixed',
		desks: 2, hours: '07:00-19:00', lat: 36.1, lng: 120.4, area_ids: [g1.id],
	};
	const r = await community1.post('/api/v1/sites', body);
	site = assertCreated(r);
	assert.equal(r.status, 201);
	assert.equal(site.code, body.code);
	assert.equal(site.desks, 2);
	assert.deepEqual(site.areas.map((a) => a.code), [g1.code]);
	assertError(await community1.post('/api/v1/sites', body), 409, { code: 'code_taken' });
	assertError(await community1.post('/api/v1/sites', { ...body, code: 'X1', kind: 'tent' }), 400,
		{ field: 'kind' });
	assertError(await community1.post('/api/v1/sites', { ...body, code: 'X1', desks: 0 }), 400,
		{ field: 'desks' });
	assertError(await community1.post('/api/v1/sites', { ...body, code: 'X1', area_id: c2.id }), 400,
		{ code: 'unknown_area', field: 'area_id' });
	assertError(await community1.post('/api/v1/sites', { ...body, code: 'X1', area_ids: [g2.id] }), 400,
		{ code: 'unknown_area', field: 'area_ids' });
	assertError(await community1.post('/api/v1/sites', { ...body, code: 'bad code!' }), 400,
		{ field: 'code' });
	const grid1 = await h.login('grid1');
	assertError(await grid1.post('/api/v1/sites', { ...body, code: 'X2' }), 403);
	const community2 = await h.login('community2');
	assertError(await community2.get(`/api/v1/sites/${site.id}`), 404, { code: 'site_not_found' });
	assert.ok(!(await community2.ok('/api/v1/sites')).items.some((s) => s.id === site.id));

	const p = await community1.patch(`/api/v1/sites/${site.id}`, { desks: 3, kind: 'mobile' });
	assert.equal(p.status, 200, p.what);
	assert.equal(p.json.desks, 3);
	assert.equal(p.json.kind, 'mobile');
	const a = await community1.req('PUT', `/api/v1/sites/${site.id}/areas`, { json: { area_ids: [b01.id, b02.id] } });
	assert.equal(a.status, 200, a.what);
	assert.deepEqual(a.json.areas.map((x) => x.code), [b01.code, b02.code]);

	const admin = await h.login('admin');
	const users = (await admin.ok('/api/v1/users')).items;
	const reg = users.find((u) => u.username === 'registrar1');
	const g1user = users.find((u) => u.username === 'grid1');
	assertError(await community1.req('PUT', `/api/v1/sites/${site.id}/registrars`,
		{ json: { user_ids: [g1user.id] } }), 422, { code: 'not_a_registrar' });
	const rr = await community1.req('PUT', `/api/v1/sites/${site.id}/registrars`, { json: { user_ids: [reg.id] } });
	assert.equal(rr.status, 200, rr.what);
	assert.deepEqual(rr.json.registrars.map((x) => x.username), ['registrar1']);
	const registrar = await h.login('registrar1');
	assert.deepEqual((await registrar.ok('/api/v1/sites')).items.map((s) => s.id), [site.id]);

	// The plan: the site serves B01 and B02 of the round; the other buildings have no site.
	const plan = await community1.ok(`/api/v1/rounds/${round.id}/plan`);
	const ps = plan.sites.find((s) => s.id === site.id);
	assert.ok(ps, JSON.stringify(plan));
	const cov = await coverage(community1, round.id, { area_id: g1.id });
	const want = cov.rows.filter((x) => x.code === b01.code || x.code === b02.code)
		.reduce((s, x) => s + x.expected, 0);
	assert.equal(ps.people, want);
	assert.equal(ps.desks, 3);
	assert.equal(plan.totals.population, (await coverage(community1, round.id)).totals.expected);
	assert.equal(plan.totals.sites, 1);
	assert.equal(plan.totals.buildings_without_site, 98);
	assert.ok(plan.warnings.some((w) => w.code === 'buildings_without_site' && w.message_en));
	assertError(await grid1.get(`/api/v1/rounds/${round.id}/plan`), 403);
});

h.test('sampling through the desk moves coverage, the missing list and the summary', async () => {
	const community1 = await h.login('community1');
	const grid1 = await h.login('grid1');
	const before = (await coverage(grid1, round.id)).totals;
	const t = await community1.post(`/api/v1/rounds/${round.id}/tubes`,
		{ code: 'TUBE-R-0001', site_id: site.id, client_key: 'rounds-tube-1' });
	assert.ok(t.status === 200 || t.status === 201, t.what);
	for (const [p, seq] of [[alpha, 401], [gamma, 403]]) {
		const s = await community1.post('/api/v1/tubes/TUBE-R-0001/scans',
			{ id_number: makeId('19800101', seq), client_key: `rounds-scan-${p.id}` });
		assert.ok(s.status === 200 || s.status === 201, s.what);
	}
	const after = (await coverage(grid1, round.id)).totals;
	assert.equal(after.sampled, before.sampled + 2);
	assert.equal(after.missing, before.missing - 2);
	const missing = await allMissing(grid1, round.id, {});
	assert.ok(!missing.includes(alpha.id) && !missing.includes(gamma.id));
	assert.ok(missing.includes(delta.id));
	const door = await allMissing(grid1, round.id, {}, 'door-to-door');
	assert.ok(!door.includes(alpha.id) && !door.includes(gamma.id));
	// Someone sampled cannot be exempt.
	assertError(await community1.post(`/api/v1/rounds/${round.id}/exemptions`,
		{ person_id: alpha.id, reason: '住院' }), 409, { code: 'already_sampled' });

	const cmd = await h.login('commander');
	const sum = await cmd.ok(`/api/v1/rounds/${round.id}/summary`);
	assert.equal(sum.sampled, (await coverage(cmd, round.id)).totals.sampled);
	assert.equal(sum.resulted, 0);
	assert.match(sum.text_en, /^no results yet, 2 awaiting results, \d+ not yet sampled$/);
	assert.match(sum.text_zh, /^尚无检测结果，2 人待出结果，\d+ 人未采样$/);
	assert.equal(sum.text, sum.text_zh);
	const lab = await h.login('lab1');
	const ta = await lab.ok(`/api/v1/rounds/${round.id}/turnaround`);
	assert.equal(typeof ta.tubes, 'number');
	for (const k of ['sampled_to_received', 'received_to_resulted', 'sampled_to_resulted'])
		assert.ok(k in ta && 'p50_ms' in ta[k] && 'p99_ms' in ta[k], JSON.stringify(ta));
	assertError(await lab.get(`/api/v1/rounds/${round.id}/summary`), 403);
});

h.test('closing: once; a closed round cannot be opened, changed, exempted or called up', async () => {
	const cmd = await h.login('commander');
	const grid1 = await h.login('grid1');
	assertError(await grid1.post(`/api/v1/rounds/${round.id}/close`), 403);
	const c = await cmd.post(`/api/v1/rounds/${round.id}/close`);
	assert.equal(c.status, 200, c.what);
	assert.equal(c.json.status, 'closed');
	assert.ok(c.json.closed_at);
	assertError(await cmd.post(`/api/v1/rounds/${round.id}/close`), 409, { code: 'round_closed' });
	assertError(await cmd.post(`/api/v1/rounds/${round.id}/open`), 409, { code: 'round_closed' });
	assertError(await cmd.patch(`/api/v1/rounds/${round.id}`, { name: '改名' }), 409, { code: 'round_closed' });
	const community1 = await h.login('community1');
	assertError(await community1.post(`/api/v1/rounds/${round.id}/exemptions`,
		{ person_id: delta.id, reason: '住院' }), 422, { code: 'round_closed' });
	assertError(await grid1.post(`/api/v1/rounds/${round.id}/callups/${b01.id}/done`), 422,
		{ code: 'round_closed' });
	// Its coverage stays readable.
	assert.ok((await coverage(grid1, round.id)).totals.expected > 0);
	const closed = await cmd.ok('/api/v1/rounds', { query: { status: 'closed' } });
	assert.deepEqual(closed.items.map((x) => x.id), [round.id]);
	assertError(await cmd.get('/api/v1/rounds', { query: { status: 'done' } }), 400, { field: 'status' });
	// A planned round cannot be closed.
	const p = assertCreated(await cmd.post('/api/v1/rounds', roundBody({ name: '计划中' })));
	assertError(await cmd.post(`/api/v1/rounds/${p.id}/close`), 409, { code: 'round_not_open' });
	const moved = await cmd.patch(`/api/v1/rounds/${p.id}`, { area_ids: [c2.id], name: '河东社区轮次' });
	assert.equal(moved.status, 200, moved.what);
	assert.deepEqual(moved.json.areas.map((a) => a.code), [c2.code]);
	assert.equal(moved.json.name, '河东社区轮次');
	assertError(await cmd.patch(`/api/v1/rounds/${p.id}`, { area_ids: ['999999999'] }), 400,
		{ code: 'unknown_area' });
	assertError(await cmd.patch(`/api/v1/rounds/${p.id}`, { deadline_at: iso(Date.now() - 2 * HOUR) }), 400,
		{ code: 'deadline_before_start' });
	assertError(await cmd.get('/api/v1/rounds/123/coverage'), 404, { code: 'round_not_found' });
});

h.shutdownTest();
