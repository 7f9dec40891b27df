// calls: the grid worker's call list for the day 电话随访 and the calls logged from it — the
// people on it for each reason (a key person's plan day from a screening registration, the
// tags key_person and elderly_alone, a placement), each person once with every reason, the
// caller's scope only; calls with each outcome (a retry with the same client_key stored once),
// a call for a person outside the scope refused as for an unknown one, a needs_help call
// raising its request in the same transaction (the requests module's fk_request_raise); the
// counts per worker and per day.
import assert from 'node:assert/strict';
import { harness, assertError, assertCreated, areaByCode, newPerson, makeId, phoneFor } from './lib/harness.mjs';

const h = harness('calls');
const B01 = '370212001001G01B01';
const G2B01 = '370212001002G01B01';
const S = {};

function cstDay(ms) {
	return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
}
const TODAY = cstDay(Date.now());
const TOMORROW = cstDay(Date.now() + 86_400_000);

function key(s) {
	return `calls-${s}-${Math.random().toString(36).slice(2, 10)}`;
}

async function today(client, query = {}) {
	return (await client.ok('/api/v1/calls/today', { query })).items;
}

function entry(items, personId) {
	return items.find((x) => x.person.id === personId);
}

h.test('set up: people of grid 1 for each reason, one of grid 2', async () => {
	const commander = await h.login('commander');
	const c1 = await h.login('community1');
	const b01 = await areaByCode(commander, B01);
	const g2b01 = await areaByCode(commander, G2B01);
	S.key = await newPerson(commander, b01.id, 901, { name: '重点甲', tags: ['key_person'] });
	S.elderly = await newPerson(commander, b01.id, 902, { name: '独居乙', tags: ['elderly_alone'] });
	S.placed = await newPerson(commander, b01.id, 903, { name: '隔离丙' });
	S.all = await newPerson(commander, b01.id, 904, { name: '多因丁', tags: ['elderly_alone', 'key_person'] });
	S.other = await newPerson(commander, g2b01.id, 905, { name: '他网格戊', tags: ['elderly_alone'] });
	for (const p of [S.placed, S.all])
		assertCreated(await commander.post('/api/v1/placements', { person_id: p.id, reason: 'secondary_contact' }));
	// A returnee registered by the grid worker, a key person called today and tomorrow.
	const community = await areaByCode(c1, '370212001001');
	const campaign = assertCreated(await c1.post('/api/v1/screening/campaigns',
		{ name: '返青排查', area_id: community.id, criteria: '自外地返回', from_day: TODAY }));
	const grid1 = await h.login('grid1');
	const reg = assertCreated(await grid1.post(`/api/v1/screening/campaigns/${campaign.id}/registrations`, {
		name: '返乡己', id_number: makeId('19950505', 906), phone: phoneFor(906), from_place: '北京市',
		arrived_day: TODAY, travel_code: 'yellow', area_id: b01.id, client_key: key('reg'),
	}));
	S.returnee = reg.person;
	const plan = await grid1.post(`/api/v1/screening/registrations/${reg.id}/plan`, { call_days: [TODAY] });
	assert.equal(plan.status, 200, plan.what);
	// The same person on a plan twice (a second registration's plan is not possible: one per
	// campaign), and S.all also on a plan: every reason at once.
	const reg2 = assertCreated(await grid1.post(`/api/v1/screening/campaigns/${campaign.id}/registrations`, {
		name: '多因丁', id_number: makeId('19800101', 904), phone: phoneFor(904), from_place: '天津市',
		arrived_day: TODAY, travel_code: 'green', area_id: b01.id, client_key: key('reg2'),
	}));
	assert.equal(reg2.matched, 'existing');
	assert.equal((await grid1.post(`/api/v1/screening/registrations/${reg2.id}/plan`, { days: 2 })).status, 200);
});

h.test('the list: each reason from its source, each person once with all reasons', async () => {
	const grid1 = await h.login('grid1');
	const r = await grid1.ok('/api/v1/calls/today');
	assert.equal(r.day, TODAY);
	assert.equal(r.truncated, false);
	const items = r.items;
	assert.deepEqual(entry(items, S.key.id).reasons, ['key_person']);
	assert.deepEqual(entry(items, S.elderly.id).reasons, ['elderly_alone']);
	assert.deepEqual(entry(items, S.placed.id).reasons, ['placement']);
	assert.deepEqual(entry(items, S.returnee.id).reasons, ['returnee']);
	assert.deepEqual(entry(items, S.all.id).reasons, ['returnee', 'key_person', 'elderly_alone', 'placement']);
	const ids = items.map((x) => x.person.id);
	assert.equal(new Set(ids).size, ids.length, 'a person listed twice');
	assert.match(entry(items, S.key.id).person.phone, /^\d{11}$/, 'the grid worker sees the phone to call');
	assert.deepEqual(entry(items, S.key.id).calls, []);
	// Another day: the plan days of that day only.
	const next = await today(grid1, { day: TOMORROW });
	assert.equal(entry(next, S.returnee.id), undefined, 'the returnee is not due tomorrow');
	assert.deepEqual(entry(next, S.all.id).reasons, ['returnee', 'key_person', 'elderly_alone', 'placement']);
	assertError(await grid1.get('/api/v1/calls/today', { query: { day: '2026-02-30' } }), 400, { field: 'day' });
});

h.test('scope: grid 1 never lists grid 2\'s people; the district lists both', async () => {
	const mine = await today(await h.login('grid1'));
	assert.equal(entry(mine, S.other.id), undefined);
	const theirs = await today(await h.login('grid2'));
	assert.deepEqual(entry(theirs, S.other.id).reasons, ['elderly_alone']);
	assert.equal(entry(theirs, S.key.id), undefined);
	const all = await today(await h.login('commander'));
	assert.ok(entry(all, S.other.id) && entry(all, S.key.id));
	assert.match(entry(all, S.key.id).person.phone, /\*/, 'the command centre sees phones masked');
	const g2 = await areaByCode(await h.login('commander'), G2B01);
	assertError(await (await h.login('grid1')).get('/api/v1/calls/today', { query: { area_id: g2.id } }), 404);
	assertError(await (await h.login('lab1')).get('/api/v1/calls/today'), 403);
	// The list names people: each read is audited, with the area asked.
	const b01 = await areaByCode(await h.login('commander'), B01);
	await (await h.login('grid1')).ok('/api/v1/calls/today', { query: { area_id: b01.id } });
	const audit = await (await h.login('admin')).ok('/api/v1/audit', { query: { action: 'calls.today' } });
	assert.ok(audit.items.some((x) => x.target_id === b01.id), JSON.stringify(audit.items[0]));
});

h.test('calls with each outcome; a retry is stored once; the list shows the day\'s calls', async () => {
	const grid1 = await h.login('grid1');
	const body = { person_id: S.key.id, outcome: 'no_answer', note: '未接', client_key: key('c1') };
	const r1 = await grid1.post('/api/v1/calls', body);
	const call = assertCreated(r1);
	assert.equal(r1.status, 201);
	assert.equal(call.outcome, 'no_answer');
	assert.equal(call.day, TODAY);
	assert.equal(call.request_id, null);
	const r2 = await grid1.post('/api/v1/calls', body);
	assert.equal(r2.text, r1.text);
	assertCreated(await grid1.post('/api/v1/calls', { person_id: S.key.id, outcome: 'reached', client_key: key('c2') }));
	assertCreated(await grid1.post('/api/v1/calls', { person_id: S.elderly.id, outcome: 'wrong_number', client_key: key('c3') }));
	const b1 = await h.login('building1');
	assertCreated(await b1.post('/api/v1/calls', { person_id: S.placed.id, outcome: 'reached', client_key: key('c4') }));
	const items = await today(grid1);
	assert.deepEqual(entry(items, S.key.id).calls.map((x) => x.outcome), ['no_answer', 'reached']);
	assert.equal(entry(items, S.key.id).calls[0].note, '未接');
	assert.deepEqual(entry(items, S.elderly.id).calls.map((x) => x.outcome), ['wrong_number']);
});

h.test('bad calls: out of scope as unknown, bad outcome, a request without needs_help', async () => {
	const grid1 = await h.login('grid1');
	const post = (b) => grid1.post('/api/v1/calls', { person_id: S.key.id, outcome: 'reached', client_key: key('bad'), ...b });
	const other = await post({ person_id: S.other.id });
	const unknown = await post({ person_id: '424242424242' });
	assertError(other, 404, { code: 'person_not_found', field: 'person_id' });
	assertError(unknown, 404, { code: 'person_not_found', field: 'person_id' });
	assert.equal(other.json.error.message, unknown.json.error.message);
	assertError(await post({ outcome: 'busy' }), 400, { field: 'outcome' });
	assertError(await post({ outcome: 'needs_help' }), 400, { field: 'request' });
	assertError(await post({ request: { kind: 'medicine', urgency: 'normal', detail: 'x' } }), 400, { field: 'request' });
	assertError(await post({ client_key: undefined }), 400, { field: 'client_key' });
	assertError(await (await h.login('lab1')).post('/api/v1/calls', { person_id: S.key.id, outcome: 'reached', client_key: key('lab') }), 403);
	assert.equal(entry(await today(grid1), S.key.id).calls.length, 2, 'a refused call was stored');
	assert.equal(entry(await today(await h.login('grid2')), S.other.id).calls.length, 0);
});

h.test('needs help: the call raises a request in the same transaction; a bad request stores neither', async () => {
	const grid1 = await h.login('grid1');
	const r = await grid1.post('/api/v1/calls', {
		person_id: S.elderly.id, outcome: 'needs_help', note: '药快吃完了',
		request: { kind: 'medicine', urgency: 'normal', detail: '降压药' }, client_key: key('help'),
	});
	const call = assertCreated(r);
	assert.ok(call.request_id, r.what);
	const req = await grid1.ok(`/api/v1/requests/${call.request_id}`);
	assert.equal(req.source, 'call');
	assert.equal(req.call_id, call.id);
	assert.equal(req.kind, 'medicine');
	assert.equal(req.person.id, S.elderly.id);
	assert.equal(req.detail, '降压药');
	const listed = entry(await today(grid1), S.elderly.id).calls.find((x) => x.id === call.id);
	assert.equal(listed.request_id, call.request_id);
	// A bad request: refused naming its field under request; no call, no request stored.
	const before = (await grid1.ok('/api/v1/requests')).items.length;
	assertError(await grid1.post('/api/v1/calls', {
		person_id: S.elderly.id, outcome: 'needs_help',
		request: { kind: 'flowers', urgency: 'normal', detail: 'x' }, client_key: key('help-bad'),
	}), 400, { field: 'request.kind' });
	assert.equal((await grid1.ok('/api/v1/requests')).items.length, before);
	assert.equal(entry(await today(grid1), S.elderly.id).calls.length, 2);
});

h.test('counts per worker and per day: a grid worker its own, the community every worker', async () => {
	const grid1 = await h.login('grid1');
	const own = await grid1.ok('/api/v1/calls/counts');
	assert.equal(own.to, TODAY);
	assert.equal(own.by_worker.length, 1, JSON.stringify(own));
	const w = own.by_worker[0];
	assert.equal(w.user_id, String(grid1.me.id));
	assert.equal(w.day, TODAY);
	assert.deepEqual([w.reached, w.no_answer, w.wrong_number, w.needs_help, w.total], [1, 1, 1, 1, 4]);
	const c1 = await h.login('community1');
	const all = await c1.ok('/api/v1/calls/counts', { query: { from: TODAY, to: TODAY } });
	assert.equal(all.by_worker.length, 2, JSON.stringify(all));
	assert.deepEqual(all.by_day, [{ day: TODAY, reached: 2, no_answer: 1, wrong_number: 1, needs_help: 1, total: 5 }]);
	assert.ok(all.by_worker.some((x) => x.name === '张村社区1号楼楼长' && x.total === 1), JSON.stringify(all.by_worker));
	const c2 = await h.login('community2');
	assert.deepEqual((await c2.ok('/api/v1/calls/counts')).by_worker, []);
	assertError(await c1.get('/api/v1/calls/counts', { query: { from: TOMORROW, to: TODAY } }), 422, { field: 'to' });
	assertError(await c1.get('/api/v1/calls/counts', { query: { from: '2020-01-01', to: TODAY } }), 422, { field: 'to' });
	assertError(await c1.get('/api/v1/calls/counts', { query: { from: 'x' } }), 400, { field: 'from' });
	assertError(await (await h.login('building1')).get('/api/v1/calls/counts'), 403);
});
