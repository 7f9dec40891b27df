// people: create, read, update and search residents within the caller's scope; masking of ID
// numbers and phones per role; audited reads; 404 for other scopes exactly as for missing ids.
import assert from 'node:assert/strict';
import {
	harness, assertError, assertCreated, assertSameAsMissing, areaByCode, allPeople, newPerson, makeId, makeIdX, badCheckId,
	phoneFor, fullWidth,
} from './lib/harness.mjs';

const h = harness('people');
const PERSON_KEYS = ['id', 'name', 'id_type', 'id_number', 'phone', 'sex', 'birth_date', 'age',
	'area_id', 'area_path', 'area_name', 'household', 'residence', 'tags', 'note', 'created_at',
	'updated_at', 'masked'];
const MASKED_ID = /^\d{6}\*{8}[\dX]{4}$/;
const MASKED_PHONE = /^1\d{2}\*{4}\d{4}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

function checkPerson(p) {
	for (const k of PERSON_KEYS) assert.ok(k in p, `person lacks ${k}: ${JSON.stringify(p)}`);
	assert.match(p.id, /^\d+$/);
	assert.match(p.area_id, /^\d+$/);
	assert.ok(Array.isArray(p.tags));
	assert.match(p.created_at, ISO);
	assert.match(p.updated_at, ISO);
	assert.equal(typeof p.masked.id_number, 'boolean');
	assert.equal(typeof p.masked.phone, 'boolean');
}

// Places and people made by the first test and used by the rest.
let b01, b02, c2b01; // buildings: grid1's B01 and B02, grid2's B01
let alpha, beta, gamma, other; // residents
const ID_ALPHA = makeId('19520314', 101); // male (odd sequence), born 1952-03-14
const ID_BETA = makeId('19900720', 102); // female
const ID_OTHER = makeId('19851111', 105);

h.test('admin creates residents; sex, birth date and age come from the ID number', async () => {
	const admin = await h.login('admin');
	b01 = await areaByCode(admin, '370212001001G01B01');
	b02 = await areaByCode(admin, '370212001001G01B02');
	c2b01 = await areaByCode(admin, '370212001002G01B01');
	const r = await admin.post('/api/v1/people', {
		name: '测试甲一', id_type: 'resident', id_number: ID_ALPHA, phone: '13912340101',
		area_id: b01.id, household: '2-301', residence: 'registered',
		tags: ['elderly_alone', 'home_sampling'], note: '独居，需上门采样',
	});
	alpha = assertCreated(r);
	checkPerson(alpha);
	assert.equal(alpha.name, '测试甲一');
	assert.equal(alpha.sex, 'M');
	assert.equal(alpha.birth_date, '1952-03-14');
	const now = new Date();
	const age = now.getUTCFullYear() - 1952 - (now.getUTCMonth() < 2 || (now.getUTCMonth() === 2 && now.getUTCDate() < 14) ? 1 : 0);
	assert.ok(Math.abs(alpha.age - age) <= 1, `age ${alpha.age}, expected ${age}`);
	assert.equal(alpha.area_id, b01.id);
	assert.equal(alpha.household, '2-301');
	assert.equal(alpha.residence, 'registered');
	assert.deepEqual([...alpha.tags].sort(), ['elderly_alone', 'home_sampling']);
	assert.equal(alpha.note, '独居，需上门采样');
	assert.ok(alpha.area_path.startsWith(b01.path) || alpha.area_path.endsWith(`/${b01.id}/`), alpha.area_path);

	beta = await newPerson(admin, b02.id, 102, { name: '测试甲二', birth: '19900720', tags: ['pregnant'] });
	assert.equal(beta.sex, 'F');
	assert.equal(beta.birth_date, '1990-07-20');
	gamma = await newPerson(admin, b02.id, 103, { name: '测试乙', tags: ['child'] });
	await newPerson(admin, b01.id, 104, { name: '测试丙' });
	other = await newPerson(admin, c2b01.id, 105, { name: '测试丁', birth: '19851111' });
	assert.equal(other.id_number.length, 18);
	await newPerson(admin, b01.id, 106, { name: '测试戊' });
	// A passport is kept as given (trimmed, upper case), with no derived sex or birth date.
	const pp = await admin.post('/api/v1/people', {
		name: 'John Smith', id_type: 'passport', id_number: ' e12345678 ', phone: '13912340107',
		area_id: b01.id, sex: 'M', birth_date: '1979-05-06',
	});
	const passport = assertCreated(pp);
	assert.equal(passport.id_type, 'passport');
	assert.equal(passport.birth_date, '1979-05-06');
});

h.test('bad resident input answers 400/404/409 naming the field', async () => {
	const admin = await h.login('admin');
	const base = { name: '坏数据', id_type: 'resident', id_number: makeId('19800101', 201),
		phone: phoneFor(201), area_id: b01.id };
	let e = assertError(await admin.post('/api/v1/people', { ...base, id_number: badCheckId('19800101', 202) }),
		400, { field: 'id_number' });
	assert.match(e.message_en, /check/i, 'the message must say the check digit is wrong');
	assertError(await admin.post('/api/v1/people', { ...base, id_number: '37021219800101' }), 400, { field: 'id_number' });
	assertError(await admin.post('/api/v1/people', { ...base, id_number: makeId('19801340', 203) }), 400, { field: 'id_number' });
	assertError(await admin.post('/api/v1/people', { ...base, phone: '12345' }), 400, { field: 'phone' });
	assertError(await admin.post('/api/v1/people', { ...base, phone: '23912345678' }), 400, { field: 'phone' });
	const r = await admin.post('/api/v1/people', { ...base, area_id: '999999999999' });
	assert.ok(r.status === 404 || r.status === 400, r.what);
	assertError(r, r.status, { field: 'area_id' });
	assertError(await admin.post('/api/v1/people', { ...base, name: '' }), 400, { field: 'name' });
	assertError(await admin.post('/api/v1/people', { ...base, id_type: 'spaceship' }), 400, { field: 'id_type' });
	assertError(await admin.post('/api/v1/people', { ...base, residence: 'castle' }), 400, { field: 'residence' });
	assertError(await admin.post('/api/v1/people', { ...base, tags: 'elderly_alone' }), 400, { field: 'tags' });
	assertError(await admin.post('/api/v1/people', { ...base, shoe_size: 42 }), 400, { field: 'shoe_size' });
	// Same ID number again: 409 naming it; nothing written.
	e = assertError(await admin.post('/api/v1/people', { ...base, id_number: ID_ALPHA }), 409);
	assert.equal(e.field, 'id_number');
	const names = (await allPeople(admin, { name: '坏数据' })).length;
	assert.equal(names, 0, 'a refused resident was written');
});

h.test('a building outside the caller\'s scope is refused exactly like a missing one', async () => {
	const c1 = await h.login('community1');
	const body = { name: '越界', id_type: 'resident', id_number: makeId('19800101', 301),
		phone: phoneFor(301), area_id: c2b01.id };
	const out = await c1.post('/api/v1/people', body);
	const missing = await c1.post('/api/v1/people', { ...body, area_id: '999999999999' });
	assert.ok(out.status === 404 || out.status === 400, out.what);
	assertError(out, missing.status, { code: missing.error.code, field: 'area_id' });
	const norm = (r) => JSON.stringify(r.json).replaceAll(c2b01.id, 'ID').replaceAll('999999999999', 'ID');
	assert.equal(norm(out), norm(missing), 'out-of-scope and missing areas answer differently');
	const ok = await c1.post('/api/v1/people', { name: '社区新增', id_type: 'resident',
		id_number: makeId('19800101', 303), phone: phoneFor(303), area_id: b02.id });
	assertCreated(ok);
});

h.test('search by name prefix, ID, phone, tag and area, with q choosing the kind', async () => {
	const admin = await h.login('admin');
	const names = async (query) => (await allPeople(admin, query)).map((p) => p.name).sort();
	assert.deepEqual(await names({ name: '测试甲' }), ['测试甲一', '测试甲二']);
	assert.deepEqual(await names({ q: '测试甲' }), ['测试甲一', '测试甲二']);
	assert.deepEqual(await names({ name: '甲一' }), [], 'name is a prefix match');
	assert.deepEqual(await names({ id_number: ID_BETA }), ['测试甲二']);
	assert.deepEqual(await names({ q: ID_BETA }), ['测试甲二']);
	assert.deepEqual(await names({ phone: '13912340101' }), ['测试甲一']);
	assert.deepEqual(await names({ q: '13912340101' }), ['测试甲一']);
	assert.deepEqual(await names({ tag: 'pregnant', name: '测试' }), ['测试甲二']);
	assert.deepEqual(await names({ area_id: b02.id, name: '测试' }), ['测试乙', '测试甲二']);
	const grid1 = await areaByCode(admin, '370212001001G01');
	const inGrid = await names({ area_id: grid1.id, name: '测试' });
	assert.deepEqual(inGrid, ['测试丙', '测试乙', '测试戊', '测试甲一', '测试甲二'].sort());
	const items = await allPeople(admin, { tag: 'elderly_alone', area_id: grid1.id });
	assert.ok(items.some((p) => p.id === alpha.id));
	for (const p of items) {
		checkPerson(p);
		assert.ok(p.tags.includes('elderly_alone'));
	}
	assertError(await admin.get('/api/v1/people', { query: { area_id: '999999999999' } }), 404);
	assertError(await admin.get('/api/v1/people', { query: { limit: 'lots' } }), 400, { field: 'limit' });
	assertError(await admin.get('/api/v1/people', { query: { limit: 100000 } }), 400, { field: 'limit' });
});

h.test('paging with limit and next_cursor covers every match once', async () => {
	const admin = await h.login('admin');
	const seen = [];
	let cursor;
	let pages = 0;
	for (;;) {
		const r = await admin.get('/api/v1/people', { query: { name: '测试', limit: 2, cursor } });
		assert.equal(r.status, 200, r.what);
		assert.ok(r.json.items.length <= 2);
		seen.push(...r.json.items.map((p) => p.id));
		pages++;
		cursor = r.json.next_cursor;
		if (!cursor) break;
		assert.ok(pages < 10, 'paging does not end');
	}
	assert.equal(seen.length, 6, `expected the 6 测试* residents, got ${seen.length}`);
	assert.equal(new Set(seen).size, seen.length, 'a resident appeared on two pages');
	assert.ok(pages >= 3);
	// The whole district pages too (2,000 demo residents), without duplicates.
	const all = await allPeople(admin, {}, 200);
	assert.ok(all.length >= 2000, `only ${all.length} residents in the district`);
	assert.equal(new Set(all.map((p) => p.id)).size, all.length);
	assertError(await admin.get('/api/v1/people', { query: { cursor: 'garbage!!' } }), 400, { field: 'cursor' });
});

h.test('masking: community sees the full ID; grid and building the full phone only; others neither', async () => {
	const expect = {
		community1: { id: false, phone: false },
		grid1: { id: true, phone: false },
		building1: { id: true, phone: false },
		commander: { id: true, phone: true },
		admin: { id: true, phone: true },
	};
	for (const [user, m] of Object.entries(expect)) {
		const c = await h.login(user);
		const r = await c.get(`/api/v1/people/${alpha.id}`);
		assert.equal(r.status, 200, r.what);
		const p = r.json;
		checkPerson(p);
		assert.deepEqual(p.masked, { id_number: m.id, phone: m.phone }, `${user}: ${r.what}`);
		if (m.id) assert.match(p.id_number, MASKED_ID, `${user} id`);
		else assert.equal(p.id_number, ID_ALPHA, `${user} id`);
		if (m.phone) assert.match(p.phone, MASKED_PHONE, `${user} phone`);
		else assert.equal(p.phone, '13912340101', `${user} phone`);
		assert.equal(p.id_number.slice(-4), ID_ALPHA.slice(-4));
		// The list view masks the same way.
		const list = await c.ok('/api/v1/people', { query: { name: '测试甲一' } });
		assert.equal(list.items.length, 1, `${user} search`);
		assert.equal(list.items[0].id_number, p.id_number);
		assert.equal(list.items[0].phone, p.phone);
		if (m.id) assert.ok(!JSON.stringify(list).includes(ID_ALPHA), `${user}: the list leaks the ID`);
	}
	// A masked role still finds a resident by the full ID number (scanning an ID card).
	const g1 = await h.login('grid1');
	const found = await g1.ok('/api/v1/people', { query: { id_number: ID_ALPHA } });
	assert.deepEqual(found.items.map((p) => p.id), [alpha.id]);
	assert.match(found.items[0].id_number, MASKED_ID);
});

h.test('every read of a record is audited as people.read with the reader', async () => {
	const c1 = await h.login('community1');
	assert.equal((await c1.get(`/api/v1/people/${beta.id}`)).status, 200);
	const admin = await h.login('admin');
	const r = await admin.get('/api/v1/audit', { query: { action: 'people.read', target_id: beta.id } });
	assert.equal(r.status, 200, r.what);
	const mine = r.json.items.filter((e) => e.action === 'people.read' &&
		(e.username === 'community1' || String(e.user_id) === c1.me.id));
	assert.ok(mine.length >= 1, `no people.read by community1 of ${beta.id}: ${r.what}`);
	const e = mine[0];
	assert.equal(String(e.target_id), beta.id);
	assert.equal(e.target_kind, 'person');
	assert.ok(e.ip || e.client_ip, `audit entry lacks the address: ${JSON.stringify(e)}`);
	assertError(await c1.get('/api/v1/audit'), 403);
	// user_id filter
	const byUser = await admin.ok('/api/v1/audit', { query: { user_id: c1.me.id, limit: 5 } });
	assert.ok(byUser.items.length >= 1 && byUser.items.length <= 5);
	for (const x of byUser.items) assert.equal(String(x.user_id), c1.me.id);
});

h.test('the audit log does not reveal what masking hides', async () => {
	// community1 may see full ID numbers and phones; the admin reading the log may not.
	const c1 = await h.login('community1');
	assert.equal((await c1.ok('/api/v1/people', { query: { id_number: ID_BETA } })).items.length, 1);
	assert.equal((await c1.ok('/api/v1/people', { query: { phone: '13912340101' } })).items.length, 1);
	assert.equal((await c1.ok('/api/v1/people', { query: { q: ID_ALPHA } })).items.length, 1);
	const admin = await h.login('admin');
	const r = await admin.get('/api/v1/audit', { query: { user_id: c1.me.id, limit: 50 } });
	assert.equal(r.status, 200, r.what);
	for (const secret of [ID_BETA, ID_ALPHA, '13912340101'])
		assert.ok(!r.text.includes(secret), `GET /api/v1/audit shows the admin the full ${secret}: ${r.text.slice(0, 600)}`);
});

h.test('a search leaves a people.search entry: the searcher, no target, the ID number masked', async () => {
	const c1 = await h.login('community1');
	const found = await c1.ok('/api/v1/people', { query: { id_number: ID_BETA } });
	assert.deepEqual(found.items.map((p) => p.id), [beta.id]);
	const admin = await h.login('admin');
	const log = await admin.ok('/api/v1/audit', { query: { user_id: c1.me.id, action: 'people.search', limit: 1 } });
	assert.equal(log.items.length, 1, JSON.stringify(log));
	const e = log.items[0];
	assert.equal(e.action, 'people.search');
	assert.equal(String(e.user_id), c1.me.id);
	assert.equal(e.username, 'community1');
	assert.equal(e.role, 'community');
	assert.equal(e.target_kind, 'person');
	assert.equal(e.target_id, null, 'a search has no one target');
	// The detail is what the store keeps, verbatim.
	assert.equal(typeof e.detail, 'string', JSON.stringify(e));
	const masked = `${ID_BETA.slice(0, 6)}********${ID_BETA.slice(14)}`;
	assert.deepEqual(JSON.parse(e.detail), { id_number: masked, results: 1 });
	for (const part of [ID_BETA, ID_BETA.slice(6, 14)])
		assert.ok(!JSON.stringify(e).includes(part), `the entry keeps ${part}: ${JSON.stringify(e)}`);
});

h.test('a resident of another grid answers 404 exactly like a missing id', async () => {
	const g1 = await h.login('grid1');
	const a = await g1.get(`/api/v1/people/${other.id}`);
	const b = await g1.get('/api/v1/people/999999999999');
	assertError(a, 404);
	assertError(b, 404);
	const norm = (r) => JSON.stringify(r.json).replaceAll(other.id, 'ID').replaceAll('999999999999', 'ID');
	assert.equal(norm(a), norm(b), 'out-of-scope and missing answers differ');
	assertError(await g1.patch(`/api/v1/people/${other.id}`, { note: 'x' }), 404);
	// Nor can it be found by search.
	assert.equal((await g1.ok('/api/v1/people', { query: { id_number: ID_OTHER } })).items.length, 0);
	assert.equal((await g1.ok('/api/v1/people', { query: { name: '测试丁' } })).items.length, 0);
	assertError(await g1.get('/api/v1/people', { query: { area_id: c2b01.id } }), 404);
	// Nor can its own be moved out of its scope: refused like a missing building.
	const away = await g1.patch(`/api/v1/people/${alpha.id}`, { area_id: c2b01.id });
	const nowhere = await g1.patch(`/api/v1/people/${alpha.id}`, { area_id: '999999999999' });
	assert.ok(away.status === 404 || away.status === 400, away.what);
	assertError(away, nowhere.status, { code: nowhere.error.code, field: 'area_id' });
	assertSameAsMissing(away, nowhere);
	// Every reply naming a person or an area outside the scope reads byte for byte as missing.
	const missing = '999999999999';
	assertSameAsMissing(a, b, other.id, missing);
	assertSameAsMissing(await g1.patch(`/api/v1/people/${other.id}`, { note: 'x' }),
		await g1.patch(`/api/v1/people/${missing}`, { note: 'x' }), other.id, missing);
	assertSameAsMissing(await g1.get('/api/v1/people', { query: { area_id: c2b01.id } }),
		await g1.get('/api/v1/people', { query: { area_id: missing } }));
	const born = (area, seq) => g1.post('/api/v1/people', {
		name: '越界', id_type: 'resident', id_number: makeId('19700101', seq), area_id: area });
	assertSameAsMissing(await born(c2b01.id, 601), await born(missing, 603));
	// grid2 does see it.
	const g2 = await h.login('grid2');
	assert.equal((await g2.get(`/api/v1/people/${other.id}`)).status, 200);
	// building1 sees B01 only.
	const b1 = await h.login('building1');
	assert.equal((await b1.get(`/api/v1/people/${alpha.id}`)).status, 200);
	assertError(await b1.get(`/api/v1/people/${beta.id}`), 404);
});

h.test('resident1 sees only its own record', async () => {
	const res = await h.login('resident1');
	const mine = await res.ok('/api/v1/people');
	assert.equal(mine.items.length, 1, JSON.stringify(mine).slice(0, 500));
	assert.equal(mine.items[0].id, String(res.me.person_id));
	const self = await res.get(`/api/v1/people/${res.me.person_id}`);
	assert.equal(self.status, 200, self.what);
	assertError(await res.get(`/api/v1/people/${alpha.id}`), 404); // same building, not self
	assert.equal((await res.ok('/api/v1/people', { query: { name: '测试' } })).items.length, 0);
	assertError(await res.post('/api/v1/people', { name: 'x', id_type: 'resident',
		id_number: makeId('19800101', 401), phone: phoneFor(401), area_id: b01.id }), 403);
});

h.test('roles without people access get 403', async () => {
	for (const u of ['lab1', 'registrar1', 'volunteer1']) {
		const c = await h.login(u);
		assertError(await c.get('/api/v1/people'), 403);
		assertError(await c.get(`/api/v1/people/${alpha.id}`), 403);
	}
});

h.test('update changes only what is given, validates it, and keeps the masking', async () => {
	const g1 = await h.login('grid1');
	const r = await g1.patch(`/api/v1/people/${gamma.id}`,
		{ phone: '+86 139-1234-0103', tags: ['child', 'disabled'], household: '3-502', note: '已核实' });
	assert.equal(r.status, 200, r.what);
	const admin = await h.login('admin');
	const p = (await (await h.login('community1')).get(`/api/v1/people/${gamma.id}`)).json;
	assert.equal(p.phone, '13912340103', 'phone normalised');
	assert.deepEqual([...p.tags].sort(), ['child', 'disabled']);
	assert.equal(p.household, '3-502');
	assert.equal(p.note, '已核实');
	assert.equal(p.name, '测试乙', 'untouched fields stay');
	assert.ok(p.updated_at >= p.created_at);
	assertError(await g1.patch(`/api/v1/people/${gamma.id}`, { phone: '999' }), 400, { field: 'phone' });
	assertError(await g1.patch(`/api/v1/people/${gamma.id}`, { id_number: badCheckId('19800101', 103) }),
		400, { field: 'id_number' });
	assertError(await admin.patch(`/api/v1/people/${gamma.id}`, { id_number: ID_ALPHA }), 409);
	assertError(await g1.patch(`/api/v1/people/${gamma.id}`, { bogus: 1 }), 400, { field: 'bogus' });
	assertError(await g1.patch('/api/v1/people/999999999999', { note: 'x' }), 404);
	// Moving a resident to another building of the same scope works.
	const moved = await g1.patch(`/api/v1/people/${gamma.id}`, { area_id: b01.id });
	assert.equal(moved.status, 200, moved.what);
	const after = await admin.ok(`/api/v1/people/${gamma.id}`);
	assert.equal(after.area_id, b01.id);
});

h.test('every role\'s search stays inside its scope and agrees with the admin\'s view', async () => {
	const admin = await h.login('admin');
	for (const user of ['commander', 'community1', 'community2', 'grid1', 'grid2', 'building1']) {
		const c = await h.login(user);
		const scope = c.me.scopes[0];
		const mine = await allPeople(c, {}, 500);
		for (const p of mine)
			assert.ok(p.area_path.startsWith(scope.path), `${user} sees ${p.id} at ${p.area_path}`);
		const seen = await allPeople(admin, { area_id: scope.id }, 500);
		assert.equal(mine.length, seen.length, `${user}: ${mine.length} residents, admin sees ${seen.length} there`);
		const d = await c.ok(`/api/v1/areas/${scope.id}`);
		assert.equal(d.residents_count, mine.length, `${user}: residents_count of its scope`);
	}
});

h.test('the audit log pages with before / next_before', async () => {
	const admin = await h.login('admin');
	const first = await admin.ok('/api/v1/audit', { query: { limit: 3 } });
	assert.equal(first.items.length, 3);
	assert.ok(first.next_before, JSON.stringify(first).slice(0, 300));
	const second = await admin.ok('/api/v1/audit', { query: { limit: 3, before: first.next_before } });
	assert.equal(second.items.length, 3);
	const a = first.items.map((e) => e.id);
	for (const e of second.items) {
		assert.ok(!a.includes(e.id), 'a page repeats an entry');
		assert.ok(BigInt(e.id) < BigInt(a[a.length - 1]), 'pages go from newest to oldest');
	}
	for (const e of first.items) assert.match(e.at, ISO);
	assertError(await admin.get('/api/v1/audit', { query: { limit: 0 } }), 400, { field: 'limit' });
	assertError(await admin.get('/api/v1/audit', { query: { user_id: 'x' } }), 400, { field: 'user_id' });
});


h.test('ID numbers and phones as people type them (full-width, spaced, lower-case x) are stored folded', async () => {
	const admin = await h.login('admin');
	const c1 = await h.login('community1'); // sees ID numbers and phones in full
	const id = makeIdX('19700101', 501);
	const typed = fullWidth(`${id.slice(0, 6)} ${id.slice(6, 14)} ${id.slice(14).toLowerCase()}`);
	const r = await admin.post('/api/v1/people', {
		name: '全角甲', id_type: 'resident', id_number: `\u00a0${typed} `,
		phone: `${fullWidth('139 0000 0501')}\t`, area_id: b01.id,
	});
	const p = assertCreated(r);
	const full = await c1.ok(`/api/v1/people/${p.id}`);
	assert.equal(full.id_number, id, 'the ID number is stored in ASCII, spaces dropped, X upper case');
	assert.equal(full.phone, '13900000501');
	assert.equal(full.birth_date, '1970-01-01', 'derived from the folded number');
	// The same person typed in another way is the same ID number: 409, not a second record.
	for (const again of [id, fullWidth(id), ` ${id.slice(0, 9)} ${id.slice(9).toLowerCase()} `]) {
		const e = assertError(await admin.post('/api/v1/people', {
			name: '全角乙', id_type: 'resident', id_number: again, area_id: b01.id,
		}), 409, { code: 'duplicate_id_number' });
		assert.equal(e.field, 'id_number');
	}
	assert.equal((await allPeople(admin, { name: '全角' })).length, 1);
	// Search takes the same forms.
	const ids = async (query) => (await allPeople(c1, query)).map((x) => x.id);
	assert.deepEqual(await ids({ id_number: typed }), [p.id]);
	assert.deepEqual(await ids({ q: fullWidth(id.toLowerCase()) }), [p.id]);
	assert.deepEqual(await ids({ phone: fullWidth('139 0000 0501') }), [p.id]);
	assert.deepEqual(await ids({ q: fullWidth('13900000501') }), [p.id]);
	assert.deepEqual(await ids({ phone: fullWidth('139 0000 05'), name: '全角' }), [p.id], 'a phone prefix, spaced');
	// An update with a full-width phone stores it folded.
	const u = await admin.patch(`/api/v1/people/${p.id}`, { phone: fullWidth('+86 139-0000-0502') });
	assert.equal(u.status, 200, u.what);
	assert.equal((await c1.ok(`/api/v1/people/${p.id}`)).phone, '13900000502');
	// What is not a digit after folding is refused as before, naming the field.
	const base = { name: '全角丙', id_type: 'resident', area_id: b01.id };
	let e = assertError(await admin.post('/api/v1/people', { ...base, id_number: fullWidth(id.slice(0, 17)) + '号' }),
		400, { field: 'id_number' });
	assert.equal(e.code, 'id_number_length');
	e = assertError(await admin.post('/api/v1/people', { ...base, id_number: fullWidth(badCheckId('19700101', 502)) }),
		400, { field: 'id_number' });
	assert.equal(e.code, 'id_number_check');
	assertError(await admin.post('/api/v1/people', { ...base, id_number: makeId('19700101', 503), phone: fullWidth('139 0000 05O3') }),
		400, { field: 'phone' });
	assertError(await admin.post('/api/v1/people', { ...base, id_number: makeId('19700101', 503), phone: '1'.repeat(30) }),
		400, { field: 'phone' });
	assert.equal((await allPeople(admin, { name: '全角丙' })).length, 0, 'a refused resident was written');
	// The audit log keeps the folded number masked, not the typed one in full.
	const log = await admin.get('/api/v1/audit', { query: { user_id: c1.me.id, limit: 50 } });
	assert.equal(log.status, 200, log.what);
	for (const secret of [id, typed, id.slice(6, 14)])
		assert.ok(!log.text.includes(secret), `the audit log shows ${secret}`);
	assert.ok(log.text.includes(`${id.slice(0, 6)}********${id.slice(14)}`), 'the search is logged as the masked number');
});

h.shutdownTest();
