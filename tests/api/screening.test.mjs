// screening: campaigns 排查登记 and their registrations — a campaign over a community (its
// public link's token, its QR code), seen by the grid workers inside it and by no one outside;
// a returnee registering through the public link without a login (a new person registered in
// the registry; a retry with the same client_key is the same reply, stored once), one already
// in the registry linked by ID number, the bad inputs (ID number, phone, an address outside the
// campaign: named, nothing stored), an inactive campaign's link reading like an unknown one, a
// worker's registration within its scope, the registrations list by scope, a key person's
// monitoring plan (its call days), and the public form's throttle per client address.
import assert from 'node:assert/strict';
import {
	harness, assertError, assertCreated, assertSameAsMissing, areaByCode, newPerson, makeId,
	badCheckId, phoneFor,
} from './lib/harness.mjs';

const h = harness('screening');
const COMMUNITY1 = '370212001001';
const COMMUNITY2 = '370212001002';
const B01 = '370212001001G01B01'; // grid 1 of community 1
const G02B01 = '370212001001G02B01'; // community 1, outside grid 1
const OTHER_B01 = '370212001002G01B01'; // community 2
const S = {}; // shared between the cases, in order

function cstDay(ms) {
	return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
}
const TODAY = cstDay(Date.now());
const YESTERDAY = cstDay(Date.now() - 86_400_000);

function key(s) {
	return `scr-${s}-${Math.random().toString(36).slice(2, 10)}`;
}

function form(seq, fields = {}) {
	return {
		name: `返乡${seq}`,
		id_number: makeId('19900101', seq),
		phone: phoneFor(700 + seq),
		from_place: '上海市',
		arrived_day: YESTERDAY,
		travel_code: 'green',
		area_id: S.b01.id,
		address_detail: '2-301',
		client_key: key(`f${seq}`),
		...fields,
	};
}

async function registrations(client, query = {}) {
	return (await client.ok(`/api/v1/screening/campaigns/${S.campaign.id}/registrations`, { query })).items;
}

h.test('set up: community 1 opens a campaign over its community; bad campaigns refused', async () => {
	const c1 = await h.login('community1');
	const community = await areaByCode(c1, COMMUNITY1);
	S.b01 = await areaByCode(c1, B01);
	S.g02b01 = await areaByCode(c1, G02B01);
	S.other = await areaByCode(await h.login('commander'), OTHER_B01);
	const body = { name: '上海返青人员排查', area_id: community.id, criteria: '自上海市返回', from_day: YESTERDAY };
	const r = await c1.post('/api/v1/screening/campaigns', body);
	S.campaign = assertCreated(r);
	assert.equal(r.status, 201);
	assert.equal(S.campaign.area_id, community.id);
	assert.equal(S.campaign.active, true);
	assert.match(S.campaign.token, /^[0-9a-f]{64}$/);
	assert.equal(S.campaign.public_url, `/s/${S.campaign.token}`);
	assert.equal(S.campaign.registered, 0);
	const second = assertCreated(await c1.post('/api/v1/screening/campaigns', { ...body, name: '第二次' }));
	assert.notEqual(second.token, S.campaign.token, 'tokens are drawn at random');
	// Bad input, each naming its field.
	const c2area = await areaByCode(await h.login('commander'), COMMUNITY2);
	assertError(await c1.post('/api/v1/screening/campaigns', { ...body, area_id: c2area.id }), 404, { field: 'area_id' });
	assertError(await c1.post('/api/v1/screening/campaigns', { ...body, from_day: '2026-02-30' }), 400, { field: 'from_day' });
	assertError(await c1.post('/api/v1/screening/campaigns', { ...body, until_day: '2000-01-01' }), 422,
		{ code: 'until_before_from', field: 'until_day' });
	assertError(await c1.post('/api/v1/screening/campaigns', { ...body, name: '  ' }), 400, { field: 'name' });
	assertError(await (await h.login('grid1')).post('/api/v1/screening/campaigns', body), 403);
});

h.test('the grid workers inside the community see the campaign; another community does not', async () => {
	const grid1 = await h.login('grid1');
	const list = await grid1.ok('/api/v1/screening/campaigns');
	assert.ok(list.items.some((x) => x.id === S.campaign.id), 'grid 1 sees its community\'s campaign');
	assert.equal((await grid1.ok(`/api/v1/screening/campaigns/${S.campaign.id}`)).name, '上海返青人员排查');
	const grid2 = await h.login('grid2');
	assert.ok(!(await grid2.ok('/api/v1/screening/campaigns')).items.some((x) => x.id === S.campaign.id));
	assertSameAsMissing(await grid2.get(`/api/v1/screening/campaigns/${S.campaign.id}`),
		await grid2.get('/api/v1/screening/campaigns/424242424242'), S.campaign.id, '424242424242');
	// A grid worker may read, not change it.
	assertError(await grid1.patch(`/api/v1/screening/campaigns/${S.campaign.id}`, { active: false }), 403);
});

h.test('the QR code of the public link is an SVG', async () => {
	const grid1 = await h.login('grid1');
	const r = await grid1.get(`/api/v1/screening/campaigns/${S.campaign.id}/qr.svg`,
		{ query: { origin: 'https://fk.example.cn' } });
	assert.equal(r.status, 200, r.what);
	assert.match(r.headers.get('content-type'), /image\/svg\+xml/);
	assert.match(r.text, /<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
	assertError(await grid1.get(`/api/v1/screening/campaigns/${S.campaign.id}/qr.svg`,
		{ query: { origin: 'javascript:alert(1)' } }), 400, { field: 'origin' });
});

h.test('the public form: no login, the campaign and the addresses under it', async () => {
	const anon = h.anon();
	const page = await anon.ok(`/api/v1/public/screening/${S.campaign.token}`);
	assert.equal(page.name, '上海返青人员排查');
	assert.equal(page.criteria, '自上海市返回');
	const b01 = page.areas.find((x) => x.id === S.b01.id);
	assert.ok(b01, 'building 1 of grid 1 is offered');
	assert.match(b01.path_name, / \/ /, 'the address reads grid / building');
	assert.ok(!page.areas.some((x) => x.id === S.other.id), 'another community\'s building is offered');
	assert.ok(!('token' in page) && !('id' in page), 'the public view tells only the form');
	assertError(await anon.get(`/api/v1/public/screening/${'0'.repeat(64)}`), 404, { code: 'campaign_not_found' });
	assertError(await anon.get('/api/v1/public/screening/short'), 404, { code: 'campaign_not_found' });
});

h.test('a returnee registers through the link: a new person in the registry; a retry is the same reply', async () => {
	const anon = h.anon();
	const body = form(1);
	const r1 = await anon.post(`/api/v1/public/screening/${S.campaign.token}`, body);
	const reply = assertCreated(r1);
	assert.equal(r1.status, 201);
	assert.equal(reply.status, 'registered');
	assert.deepEqual(Object.keys(reply).sort(), ['id', 'status'], 'the public reply tells nothing more');
	const r2 = await h.anon().post(`/api/v1/public/screening/${S.campaign.token}`, body);
	assert.equal(r2.status, 201, r2.what);
	assert.equal(r2.text, r1.text);
	const c1 = await h.login('community1');
	const items = await registrations(c1);
	assert.equal(items.length, 1, JSON.stringify(items));
	const reg = items[0];
	assert.equal(reg.id, reply.id);
	assert.equal(reg.registered_by, 'self');
	assert.equal(reg.matched, 'new');
	assert.equal(reg.from_place, '上海市');
	assert.equal(reg.arrived_day, YESTERDAY);
	assert.equal(reg.travel_code, 'green');
	assert.equal(reg.key_person, false);
	assert.equal(reg.plan, null);
	assert.equal(reg.person.name, '返乡1');
	assert.equal(reg.person.area_id, S.b01.id);
	// The person is in the registry now, in the building chosen.
	const person = await (await h.login('commander')).ok(`/api/v1/people/${reg.person.id}`);
	assert.equal(person.area_id, S.b01.id);
	assert.equal(person.household, '2-301');
	S.newPerson = reg.person.id;
	assert.equal((await c1.ok(`/api/v1/screening/campaigns/${S.campaign.id}`)).registered, 1);
});

h.test('bad input on the public form: 422 naming the field, nothing stored', async () => {
	const anon = h.anon();
	const post = (b) => anon.post(`/api/v1/public/screening/${S.campaign.token}`, b);
	assertError(await post(form(2, { id_number: badCheckId('19900101', 2) })), 422,
		{ code: 'id_number_check', field: 'id_number' });
	assertError(await post(form(2, { id_number: '12345' })), 422, { field: 'id_number' });
	assertError(await post(form(2, { phone: '12345' })), 422, { code: 'phone_invalid', field: 'phone' });
	assertError(await post(form(2, { travel_code: 'blue' })), 422, { field: 'travel_code' });
	assertError(await post(form(2, { arrived_day: '2999-01-01' })), 422, { field: 'arrived_day' });
	assertError(await post(form(2, { area_id: S.other.id })), 404, { code: 'area_not_found', field: 'area_id' });
	assertError(await post(form(2, { name: undefined })), 400, { field: 'name' });
	// The same person twice with another key: refused, the first kept.
	assertError(await post(form(1, { client_key: key('again') })), 409, { code: 'already_registered', field: 'id_number' });
	assert.equal((await registrations(await h.login('community1'))).length, 1);
	const people = await (await h.login('commander')).ok('/api/v1/people', { query: { id_number: makeId('19900101', 2) } });
	assert.equal(people.items.length, 0, 'a refused form registered a person');
});

h.test('someone already in the registry is linked by ID number, not registered again', async () => {
	const commander = await h.login('commander');
	const known = await newPerson(commander, S.b01.id, 603, { name: '老住户' });
	const anon = h.anon();
	const reply = assertCreated(await anon.post(`/api/v1/public/screening/${S.campaign.token}`,
		form(3, { name: '老住户', id_number: makeId('19800101', 603) })));
	const reg = (await registrations(await h.login('community1'))).find((x) => x.id === reply.id);
	assert.equal(reg.matched, 'existing');
	assert.equal(reg.person.id, known.id);
	const same = await commander.ok('/api/v1/people', { query: { id_number: makeId('19800101', 603) } });
	assert.equal(same.items.length, 1, 'the person was registered twice');
});

h.test('an inactive campaign\'s link reads like an unknown one', async () => {
	const c1 = await h.login('community1');
	const off = await c1.patch(`/api/v1/screening/campaigns/${S.campaign.id}`, { active: false });
	assert.equal(off.status, 200, off.what);
	assert.equal(off.json.active, false);
	const anon = h.anon();
	const unknown = '0'.repeat(64);
	assertSameAsMissing(await anon.get(`/api/v1/public/screening/${S.campaign.token}`),
		await anon.get(`/api/v1/public/screening/${unknown}`), S.campaign.token, unknown);
	assertError(await anon.post(`/api/v1/public/screening/${S.campaign.token}`, form(4)), 404,
		{ code: 'campaign_not_found' });
	assert.equal((await registrations(c1)).length, 2);
	assert.equal((await c1.patch(`/api/v1/screening/campaigns/${S.campaign.id}`, { active: true })).status, 200);
	assert.equal((await anon.get(`/api/v1/public/screening/${S.campaign.token}`)).status, 200);
});

h.test('a worker registers within its scope; the list is scoped by the address', async () => {
	const grid1 = await h.login('grid1');
	const url = `/api/v1/screening/campaigns/${S.campaign.id}/registrations`;
	const reg = assertCreated(await grid1.post(url, form(5)));
	assert.equal(reg.registered_by, 'worker');
	assert.equal(reg.matched, 'new');
	assert.equal(reg.person.name, '返乡5');
	assert.match(reg.person.phone, /^\d{11}$/, 'a grid worker sees the phone to call');
	S.workerReg = reg;
	// An address in the community but outside grid 1: as unknown; another community's campaign: 404.
	assertError(await grid1.post(url, form(6, { area_id: S.g02b01.id })), 404, { field: 'area_id' });
	const grid2 = await h.login('grid2');
	assertError(await grid2.post(url, form(7, { area_id: (await areaByCode(grid2, '370212001002G01B01')).id })), 404,
		{ code: 'campaign_not_found' });
	assertError(await (await h.login('lab1')).post(url, form(8)), 403);
	// A building lead registers at its building (it reads the campaign, not the registrations).
	const b1 = await h.login('building1');
	assert.equal((await b1.ok(`/api/v1/screening/campaigns/${S.campaign.id}`)).id, S.campaign.id);
	assertError(await b1.get(url), 403);
	assert.equal(assertCreated(await b1.post(url, form(11))).registered_by, 'worker');
	// Someone of the registry living outside grid 1, linked by ID number: grid 1 registers them
	// at its address, and learns nothing of their home.
	const elsewhere = await newPerson(await h.login('commander'), S.g02b01.id, 604, { name: '外网格' });
	const linked = assertCreated(await grid1.post(url, form(10, { name: '外网格', id_number: makeId('19800101', 604) })));
	assert.equal(linked.matched, 'existing');
	assert.equal(linked.person.id, elsewhere.id);
	assert.equal(linked.person.area_id, null);
	assert.equal(linked.person.area_name, null);
	assert.equal(linked.area_id, S.b01.id);
	const seen = (await registrations(await h.login('community1'))).find((x) => x.id === linked.id);
	assert.equal(seen.person.area_id, S.g02b01.id, 'the community sees the home in its scope');
	// The community registers at grid 2's building; grid 1 does not see it, the community does.
	const c1 = await h.login('community1');
	assertCreated(await c1.post(url, form(9, { area_id: S.g02b01.id })));
	const mine = await registrations(grid1);
	assert.deepEqual(mine.map((x) => x.person.name).sort(), ['外网格', '老住户', '返乡1', '返乡11', '返乡5'].sort());
	assert.equal((await registrations(c1)).length, 6);
	assert.deepEqual((await registrations(c1, { area_id: S.g02b01.id })).map((x) => x.person.name), ['返乡9']);
	assertError(await grid1.get(url, { query: { area_id: S.g02b01.id } }), 404);
	// The list names people: audited.
	const audit = await (await h.login('admin')).ok('/api/v1/audit', { query: { action: 'screening.registrations' } });
	assert.ok(audit.items.length >= 1);
});

h.test('a key person\'s plan: its call days, replaced when set again', async () => {
	const grid1 = await h.login('grid1');
	const url = `/api/v1/screening/registrations/${S.workerReg.id}/plan`;
	const r = await grid1.post(url, { days: 3 });
	assert.equal(r.status, 200, r.what);
	assert.equal(r.json.key_person, true);
	assert.equal(r.json.plan.call_days.length, 3);
	assert.equal(r.json.plan.call_days[0], TODAY);
	const later = cstDay(Date.now() + 5 * 86_400_000);
	const r2 = await grid1.post(url, { call_days: [later, TODAY, later] });
	assert.deepEqual(r2.json.plan.call_days, [TODAY, later]);
	const keys = await registrations(grid1, { key: 1 });
	assert.deepEqual(keys.map((x) => x.id), [S.workerReg.id]);
	assert.deepEqual(keys[0].plan.call_days, [TODAY, later]);
	assert.equal((await grid1.ok(`/api/v1/screening/campaigns/${S.campaign.id}`)).key_persons, 1);
	// Bad plans, each named; nothing changed.
	assertError(await grid1.post(url, { call_days: [YESTERDAY] }), 422, { code: 'past_day', field: 'call_days' });
	assertError(await grid1.post(url, { call_days: ['2026-13-01'] }), 400, { field: 'call_days' });
	assertError(await grid1.post(url, { days: 0 }), 400, { field: 'days' });
	assertError(await grid1.post(url, { days: 2, call_days: [TODAY] }), 400, { field: 'call_days' });
	assertError(await grid1.post(url, {}), 400, { field: 'call_days' });
	assert.deepEqual((await registrations(grid1, { key: 1 }))[0].plan.call_days, [TODAY, later]);
	// Another grid's registration reads as unknown.
	const theirs = (await registrations(await h.login('community1'), { area_id: S.g02b01.id }))[0];
	assertError(await grid1.post(`/api/v1/screening/registrations/${theirs.id}/plan`, { days: 1 }), 404,
		{ code: 'registration_not_found' });
});

h.test('the public form is throttled per client address', async () => {
	const anon = h.anon();
	let limited = null;
	for (let i = 0; i < 30 && !limited; i++) {
		const r = await anon.post(`/api/v1/public/screening/${S.campaign.token}`, form(100 + i, { phone: '1' }));
		if (r.status === 429) limited = r;
		else assertError(r, 422, { field: 'phone' });
	}
	assert.ok(limited, 'no 429 after 30 posts from one address');
	assertError(limited, 429, { code: 'too_many_registrations' });
	assert.match(limited.headers.get('retry-after') || '', /^\d+$/);
});
