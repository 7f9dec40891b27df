// deliveries: runs to sealed households (SPEC §9) — a run per building with the households of
// the people who live there (or those a door-to-door zone inside the building covers, or those
// chosen), a sign-off per household keyed by client_key (a retry is the same reply; the same
// outcome again is unchanged; another outcome is 409), an optional photo, the progress event
// seen by the grid worker, the scope, and each bad input.
import assert from 'node:assert/strict';
import { harness, assertError, assertCreated, areaByCode, allPeople, newPerson } from './lib/harness.mjs';

const h = harness('deliveries');
const BUILDING = '370212001001G01B01';
const GRID = '370212001001G01';
const OTHER_BUILDING = '370212001002G01B01';
const DAY = '2026-12-07';
const S = {};
// A 1×1 JPEG's first bytes are enough for the check: SOI marker then JFIF.
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xff, 0xd9]).toString('base64');

function key(s) {
	return `dl-${s}-${Math.random().toString(36).slice(2, 10)}`;
}

function signPath(run, hk) {
	return `/api/v1/deliveries/runs/${run.id}/households/${encodeURIComponent(hk)}`;
}

/* The event stream of user, parsed as it arrives; close() ends it. */
async function stream(user) {
	const c = await h.login(user);
	const s = { events: [], text: '', abort: new AbortController() };
	const res = await fetch(`${h.base}/api/v1/events`, { headers: { cookie: c.cookie }, signal: s.abort.signal });
	assert.equal(res.status, 200);
	(async () => {
		const dec = new TextDecoder();
		try {
			for await (const chunk of res.body) {
				s.text += dec.decode(chunk, { stream: true });
				let cut;
				while ((cut = s.text.indexOf('\n\n')) >= 0) {
					const ev = {};
					for (const line of s.text.slice(0, cut).split('\n')) {
						if (line.startsWith('event: ')) ev.event = line.slice(7);
						else if (line.startsWith('data: ')) ev.data = JSON.parse(line.slice(6));
					}
					s.text = s.text.slice(cut + 2);
					if (ev.event) s.events.push(ev);
				}
			}
		} catch {
			/* aborted */
		}
	})();
	s.waitFor = async (pred, ms = 5000) => {
		const until = Date.now() + ms;
		for (;;) {
			const ev = s.events.find(pred);
			if (ev) return ev;
			assert.ok(Date.now() < until, `no matching event within ${ms} ms: ${JSON.stringify(s.events.map((e) => e.event))}`);
			await new Promise((r) => setTimeout(r, 20));
		}
	};
	s.close = () => s.abort.abort();
	return s;
}

h.test('a run for a building has the households of the people who live there', async () => {
	const community = await h.login('community1');
	S.building = await areaByCode(community, BUILDING);
	for (const [seq, hh] of [[701, '2-201'], [702, '2-201'], [703, '2-202'], [704, '3-301']])
		await newPerson(community, S.building.id, seq, { household: hh });
	const people = await allPeople(community, { area_id: S.building.id });
	const want = [...new Set(people.map((p) => p.household).filter(Boolean))].sort();
	assert.ok(want.length >= 3, `the demo building has households: ${want.length}`);
	const r = await community.post('/api/v1/deliveries/runs', { area_id: S.building.id, day: DAY, item_note: '蔬菜包' });
	const run = assertCreated(r);
	assert.equal(r.status, 201);
	assert.equal(run.area_id, S.building.id);
	assert.equal(run.day, DAY);
	assert.equal(run.status, 'open');
	assert.equal(run.total, want.length);
	assert.equal(run.done, 0);
	assert.deepEqual(run.households.map((x) => x.key).sort(), want);
	const first = run.households.find((x) => x.key === want[0]);
	assert.equal(first.people_count, people.filter((p) => p.household === want[0]).length);
	assert.equal(first.outcome, 'pending');
	S.keys = want;
});

h.test('a run of chosen households; the volunteer is an assignee', async () => {
	const grid1 = await h.login('grid1');
	const volunteer = await h.login('volunteer1');
	const me = volunteer.me;
	const chosen = S.keys.slice(0, 3);
	const r = await grid1.post('/api/v1/deliveries/runs', {
		area_id: S.building.id, day: DAY, households: chosen, assignees: [me.id],
	});
	S.run = assertCreated(r);
	assert.equal(S.run.total, 3);
	assert.deepEqual(S.run.households.map((x) => x.key), [...chosen].sort());
	assert.deepEqual(S.run.assignees, [String(me.id)]);
});

h.test('bad runs: day, not a building, unknown household, out of scope, nothing changed', async () => {
	const grid1 = await h.login('grid1');
	const grid = await areaByCode(await h.login('commander'), GRID);
	const before = (await grid1.ok('/api/v1/deliveries/runs', { query: { area_id: S.building.id } })).items.length;
	assertError(await grid1.post('/api/v1/deliveries/runs', { area_id: S.building.id, day: '2026-13-01' }), 400,
		{ code: 'invalid_day', field: 'day' });
	assertError(await grid1.post('/api/v1/deliveries/runs', { area_id: grid.id, day: DAY }), 400,
		{ code: 'not_a_building', field: 'area_id' });
	assertError(await grid1.post('/api/v1/deliveries/runs', { area_id: S.building.id, day: DAY, households: ['no-such'] }), 400,
		{ code: 'unknown_household', field: 'households' });
	const other = await areaByCode(await h.login('commander'), OTHER_BUILDING);
	assertError(await grid1.post('/api/v1/deliveries/runs', { area_id: other.id, day: DAY }), 404,
		{ code: 'area_not_found', field: 'area_id' });
	assertError(await (await h.login('volunteer1')).post('/api/v1/deliveries/runs', { area_id: S.building.id, day: DAY }), 403,
		{ code: 'forbidden' });
	const after = (await grid1.ok('/api/v1/deliveries/runs', { query: { area_id: S.building.id } })).items.length;
	assert.equal(after, before, 'no run was made by the refused writes');
});

h.test('under a door-to-door zone drawn inside the building, the run has the households it covers', async () => {
	const commander = await h.login('commander');
	const unit = assertCreated(await commander.post('/api/v1/areas', {
		parent_id: S.building.id, kind: 'unit', name: '9单元', code: `${BUILDING}U9`,
	}));
	await newPerson(commander, unit.id, 901, { household: '9-901' });
	await newPerson(commander, unit.id, 902, { household: '9-901' });
	assertCreated(await commander.post('/api/v1/zones', { area_id: unit.id, kind: 'high', reason: '9单元病例' }));
	const run = assertCreated(await commander.post('/api/v1/deliveries/runs', { area_id: S.building.id, day: DAY }));
	assert.deepEqual(run.households.map((x) => [x.key, x.people_count]), [['9-901', 2]]);
});

h.test('sign-off: delivered; a retry is the same reply; the same outcome again is unchanged', async () => {
	const volunteer = await h.login('volunteer1');
	const hk = S.run.households[0].key;
	const body = { outcome: 'delivered', note: '放门口', client_key: key('a') };
	const r1 = await volunteer.post(signPath(S.run, hk), body);
	assert.equal(r1.status, 200, r1.what);
	assert.equal(r1.json.key, hk);
	assert.equal(r1.json.outcome, 'delivered');
	assert.equal(r1.json.note, '放门口');
	assert.ok(r1.json.at);
	assert.deepEqual([r1.json.run.done, r1.json.run.total], [1, 3]);
	const r2 = await volunteer.post(signPath(S.run, hk), body);
	assert.equal(r2.status, 200);
	assert.deepEqual(r2.json, r1.json);
	const r3 = await volunteer.post(signPath(S.run, hk), { ...body, client_key: key('b') });
	assert.equal(r3.status, 200);
	assert.equal(r3.json.outcome, 'delivered');
	assert.equal(r3.json.run.done, 1, 'the same outcome again is not counted twice');
	const run = await volunteer.ok(`/api/v1/deliveries/runs/${S.run.id}`);
	assert.equal(run.done, 1);
});

h.test('sign-off: another outcome once signed is 409 already_signed naming outcome, nothing changed', async () => {
	const grid1 = await h.login('grid1');
	const hk = S.run.households[0].key;
	assertError(await grid1.post(signPath(S.run, hk), { outcome: 'refused', client_key: key('c') }), 409,
		{ code: 'already_signed', field: 'outcome' });
	const run = await grid1.ok(`/api/v1/deliveries/runs/${S.run.id}`);
	assert.equal(run.households.find((x) => x.key === hk).outcome, 'delivered');
	assert.equal(run.done, 1);
});

h.test('sign-off: bad outcome, bad photo, unknown household; a photo is kept and read back', async () => {
	const volunteer = await h.login('volunteer1');
	const hk = S.run.households[1].key;
	assertError(await volunteer.post(signPath(S.run, hk), { outcome: 'lost', client_key: key('d') }), 400,
		{ code: 'invalid_outcome', field: 'outcome' });
	assertError(await volunteer.post(signPath(S.run, hk), { outcome: 'delivered', photo: Buffer.from('not a jpeg').toString('base64'), client_key: key('e') }), 400,
		{ code: 'invalid_photo', field: 'photo' });
	assertError(await volunteer.post(signPath(S.run, 'no-such'), { outcome: 'delivered', client_key: key('f') }), 404,
		{ code: 'household_not_found', field: 'key' });
	const r = await volunteer.post(signPath(S.run, hk), { outcome: 'nobody_home', photo: JPEG, client_key: key('g') });
	assert.equal(r.status, 200, r.what);
	assert.equal(r.json.has_photo, true);
	assert.equal(r.json.outcome, 'nobody_home');
	const res = await fetch(`${h.base}${signPath(S.run, hk)}/photo`, { headers: { cookie: (await h.login('grid1')).cookie } });
	assert.equal(res.status, 200);
	assert.equal(res.headers.get('content-type'), 'image/jpeg');
	assert.deepEqual(Buffer.from(await res.arrayBuffer()), Buffer.from(JPEG, 'base64'), 'the photo as it was sent');
	assertError(await volunteer.get(`${signPath(S.run, S.run.households[0].key)}/photo`), 404, { code: 'photo_not_found', field: 'key' });
	assertError(await (await h.login('grid2')).get(`${signPath(S.run, hk)}/photo`), 404, { code: 'run_not_found' });
});

h.test('scope: another grid and its building sees no run; a resident may not sign', async () => {
	const grid2 = await h.login('grid2');
	assertError(await grid2.get(`/api/v1/deliveries/runs/${S.run.id}`), 404, { code: 'run_not_found' });
	assertError(await grid2.post(signPath(S.run, S.run.households[2].key), { outcome: 'delivered', client_key: key('h') }), 404,
		{ code: 'run_not_found' });
	assert.ok(!(await grid2.ok('/api/v1/deliveries/runs')).items.some((x) => x.id === S.run.id));
	assertError(await (await h.login('resident1')).get(`/api/v1/deliveries/runs/${S.run.id}`), 403, { code: 'forbidden' });
});

h.test('the grid worker sees the run progress live (event delivery) and in the list', async () => {
	const live = await stream('grid1');
	try {
		await new Promise((r) => setTimeout(r, 100));
		const building = await h.login('building1');
		const r = await building.post(signPath(S.run, S.run.households[2].key), { outcome: 'refused', client_key: key('i') });
		assert.equal(r.status, 200, r.what);
		const ev = await live.waitFor((e) => e.event === 'delivery' && e.data.payload.run_id === S.run.id);
		assert.deepEqual([ev.data.payload.done, ev.data.payload.total], [3, 3]);
	} finally {
		live.close();
	}
	const list = await (await h.login('grid1')).ok('/api/v1/deliveries/runs', { query: { area_id: S.building.id, day: DAY } });
	const mine = list.items.find((x) => x.id === S.run.id);
	assert.deepEqual([mine.done, mine.total, mine.status], [3, 3, 'done']);
});

h.shutdownTest();
