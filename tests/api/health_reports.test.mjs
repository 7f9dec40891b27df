// health_reports: health reports of people under a placement (SPEC §6), on the test clock —
// a morning report (a retry with the same client_key is the same reply, stored once), the
// evening deadline passing with no report (the job's one alert for the grid, and the missing
// list), a fever alert, the scope (a grid worker sees and files only for its own people),
// the resident's own page and report, a report filed after the placement's release (late),
// the audit of the missing list, and each bad input.
import assert from 'node:assert/strict';
import { harness, assertError, assertCreated, areaByCode, newPerson, waitFor } from './lib/harness.mjs';

const h = harness('health_reports', { testClock: true });
const GRID1 = '370212001001G01';
const GRID2 = '370212001002G01';
/* Two days after today in China Standard Time: the clock only moves forward, past the jobs'
 * due times the server set at its start. */
const DAY = cstDay(Date.now() + 2 * 86_400_000);
const NEXT = cstDay(Date.parse(`${DAY}T12:00:00+08:00`) + 86_400_000);
const S = {}; // shared between the cases, in order

function cstDay(ms) {
	return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
}

function key(s) {
	return `health-${s}-${Math.random().toString(36).slice(2, 10)}`;
}

/* A placement by the isolation module's route: a secondary contact, 7 days at home. */
async function place(client, personId) {
	const r = await client.post('/api/v1/placements', { person_id: personId, reason: 'secondary_contact' });
	return assertCreated(r).items[0];
}

/* Moves the clock as admin; the sessions it outlives are dropped, so the next h.login logs
 * in again. */
async function moveClock(body) {
	await h.moveClock(await h.login('admin'), body);
	h.clients.clear();
}

async function alertsOf(client, kind) {
	return (await client.ok('/api/v1/alerts', { query: { kind } })).items;
}

h.test('set up: the clock at 09:00 on the day, two people placed (grid 1 and grid 2)', async () => {
	await moveClock({ set: `${DAY}T09:00:00+08:00` });
	const commander = await h.login('commander');
	const g1 = await areaByCode(commander, GRID1);
	const g2 = await areaByCode(commander, GRID2);
	S.a = await newPerson(commander, g1.id, 801, { name: '健康甲' });
	S.b = await newPerson(commander, g2.id, 802, { name: '健康乙' });
	S.c = await newPerson(commander, g1.id, 803, { name: '健康丙' }); // never placed
	S.pa = await place(commander, S.a.id);
	S.pb = await place(commander, S.b.id);
	assert.equal(S.pa.start_day, DAY);
});

h.test('a morning report; a retry with the same key is the same reply, stored once', async () => {
	const grid1 = await h.login('grid1');
	const body = { person_id: S.a.id, temperature: 36.6, symptoms: ['cough'], client_key: key('a-am') };
	const r1 = await grid1.post('/api/v1/health/reports', body);
	const rep = assertCreated(r1);
	assert.equal(rep.day, DAY);
	assert.equal(rep.half, 'am');
	assert.equal(rep.placement_id, S.pa.id);
	assert.equal(rep.fever, false);
	assert.equal(rep.late, false);
	assert.equal(rep.by_self, false);
	assert.deepEqual(rep.symptoms, ['cough']);
	const r2 = await grid1.post('/api/v1/health/reports', body);
	assert.equal(r2.status, 201, r2.what);
	assert.equal(r2.text, r1.text);
	const list = await grid1.ok('/api/v1/health/reports', { query: { person_id: S.a.id } });
	assert.equal(list.items.length, 1);
	assert.equal(list.items[0].id, rep.id);
	// Another key for the same person and half-day is a second report: refused.
	assertError(await grid1.post('/api/v1/health/reports', { ...body, client_key: key('a-am2') }), 409,
		{ code: 'already_reported' });
	assert.equal((await grid1.ok('/api/v1/health/reports', { query: { person_id: S.a.id } })).items.length, 1);
});

h.test('the missing list: a grid worker sees only its own people; the district sees both', async () => {
	const grid1 = await h.login('grid1');
	const commander = await h.login('commander');
	const mine = await grid1.ok('/api/v1/health/missing');
	assert.equal(mine.day, DAY);
	assert.equal(mine.half, 'am');
	assert.equal(mine.deadline, `${DAY}T04:00:00.000Z`);
	assert.ok(!mine.items.some((x) => x.person.id === S.b.id), 'grid 1 sees grid 2 person');
	assert.ok(!mine.items.some((x) => x.person.id === S.a.id), 'a reported person is listed');
	const theirs = await (await h.login('grid2')).ok('/api/v1/health/missing');
	const bOfGrid2 = theirs.items.find((x) => x.person.id === S.b.id);
	assert.ok(bOfGrid2, 'grid 2 misses its person');
	assert.match(bOfGrid2.person.phone, /^\d{7,}$/, 'a grid worker sees the phone to call');
	const all = await commander.ok('/api/v1/health/missing');
	const b = all.items.find((x) => x.person.id === S.b.id);
	assert.ok(b, 'the commander misses grid 2 person');
	assert.equal(b.placement_id, S.pb.id);
	assert.equal(b.kind, S.pb.kind);
	assert.match(b.person.phone, /\*/, 'the command centre sees phones masked');
	assert.equal(all.total, all.items.length);
	const g2 = await areaByCode(commander, GRID2);
	const under = await commander.ok('/api/v1/health/missing', { query: { area_id: g2.id } });
	assert.deepEqual(under.items.map((x) => x.person.id), [S.b.id]);
	assertError(await grid1.get('/api/v1/health/missing', { query: { area_id: g2.id } }), 404);
	assertError(await grid1.get('/api/v1/health/missing', { query: { half: 'noon' } }), 400, { field: 'half' });
	assertError(await grid1.get('/api/v1/health/missing', { query: { day: '2026-02-30' } }), 400, { field: 'day' });
	// The list names people: each read is audited, with the user who read it.
	const audit = await (await h.login('admin')).ok('/api/v1/audit', { query: { action: 'health.missing' } });
	assert.ok(audit.items.some((x) => x.target_id === g2.id), JSON.stringify(audit.items[0]));
});

h.test('scope: another grid\'s person reads and files like an unknown id', async () => {
	const grid1 = await h.login('grid1');
	const unknown = await grid1.get('/api/v1/health/reports', { query: { person_id: '999999999' } });
	const other = await grid1.get('/api/v1/health/reports', { query: { person_id: S.b.id } });
	assertError(unknown, 404, { code: 'person_not_found' });
	assertError(other, 404, { code: 'person_not_found' });
	assert.equal(other.json.error.message, unknown.json.error.message);
	assertError(await grid1.post('/api/v1/health/reports',
		{ person_id: S.b.id, temperature: 36.5, client_key: key('b-scope') }), 404, { field: 'person_id' });
});

h.test('bad input: each refused naming its field, nothing stored', async () => {
	const grid1 = await h.login('grid1');
	const post = (b) => grid1.post('/api/v1/health/reports', { person_id: S.a.id, client_key: key('bad'), ...b });
	for (const t of [33.9, 43.1])
		assertError(await post({ temperature: t }), 422, { code: 'temperature_out_of_range', field: 'temperature' });
	assertError(await post({ temperature: '36.5' }), 400, { field: 'temperature' });
	assertError(await post({ temperature: 36.5, half: 'pm' }), 422, { code: 'future_half_day', field: 'half' });
	assertError(await post({ temperature: 36.5, day: NEXT, half: 'am' }), 422,
		{ code: 'future_half_day', field: 'day' });
	assertError(await post({ temperature: 36.5, day: '2026-13-01', half: 'am' }), 400, { field: 'day' });
	assertError(await post({ temperature: 36.5, half: 'noon' }), 400, { field: 'half' });
	assertError(await post({ temperature: 36.5, symptoms: ['headache'] }), 400, { field: 'symptoms' });
	assertError(await post({ temperature: 36.5, person_id: S.c.id }), 422,
		{ code: 'not_under_placement', field: 'person_id' });
	assertError(await post({ temperature: 36.5, person_id: undefined }), 400, { field: 'person_id' });
	assertError(await post({ temperature: 36.5, client_key: undefined }), 400, { field: 'client_key' });
	assertError(await (await h.login('lab1')).post('/api/v1/health/reports',
		{ person_id: S.a.id, temperature: 36.5, client_key: key('lab') }), 403);
	assert.equal((await grid1.ok('/api/v1/health/reports', { query: { person_id: S.a.id } })).items.length, 1);
	assert.equal((await grid1.ok('/api/v1/health/reports', { query: { person_id: S.c.id } })).items.length, 0);
});

h.test('a fever alerts the person\'s grid, not another grid', async () => {
	const grid2 = await h.login('grid2');
	const grid1 = await h.login('grid1');
	const rep = assertCreated(await grid2.post('/api/v1/health/reports',
		{ person_id: S.b.id, temperature: 38.2, symptoms: ['fever', 'fatigue'], client_key: key('b-am') }));
	assert.equal(rep.fever, true);
	const mine = await alertsOf(grid2, 'health_fever');
	assert.equal(mine.length, 1);
	assert.match(mine[0].title_zh, /健康乙 38\.2/);
	assert.equal((await alertsOf(grid1, 'health_fever')).length, 0);
});

h.test('the resident: its own page and report, never another\'s', async () => {
	const commander = await h.login('commander');
	const res = await h.login('resident1');
	const none = await res.ok('/api/v1/health/me');
	assert.equal(none.placement, null);
	assert.equal(none.half, 'am');
	const pr = await place(commander, String(res.me.person_id));
	const page = await res.ok('/api/v1/health/me');
	assert.equal(page.placement.id, pr.id);
	assert.equal(page.placement.day_no, 1);
	assert.equal(page.today.am, null);
	assertError(await res.post('/api/v1/health/reports',
		{ person_id: S.a.id, temperature: 36.5, client_key: key('res-other') }), 403, { field: 'person_id' });
	const rep = assertCreated(await res.post('/api/v1/health/reports',
		{ temperature: 36.4, client_key: key('res-am') }));
	assert.equal(rep.by_self, true);
	assert.equal(rep.person_id, String(res.me.person_id));
	assert.equal((await res.ok('/api/v1/health/me')).today.am.id, rep.id);
	assertError(await res.get('/api/v1/health/missing'), 403);
	assertError(await (await h.login('grid1')).get('/api/v1/health/me'), 403);
});

h.test('the evening deadline passes with no report: one alert for the grid, the missing list', async () => {
	await moveClock({ set: `${NEXT}T00:30:00+08:00` });
	const admin = await h.login('admin');
	const grid1 = await h.login('grid1');
	const grid2 = await h.login('grid2');
	const alerts = await waitFor(async () => {
		const a = await alertsOf(grid1, 'health_missed');
		return a.length ? a : null;
	}, 'the health.missed job to alert grid 1');
	assert.equal(alerts.length, 1, JSON.stringify(alerts));
	// grid 1: health甲 and resident1's person missed the evening.
	assert.equal(alerts[0].title_en, `Health reports missed: 2 people, ${DAY} evening`);
	const g2 = await alertsOf(grid2, 'health_missed');
	assert.equal(g2.length, 1);
	assert.match(g2[0].title_en, /1 people/);
	const list = await grid1.ok('/api/v1/health/missing', { query: { day: DAY, half: 'pm' } });
	assert.equal(list.deadline, `${DAY}T16:00:00.000Z`);
	assert.deepEqual(list.items.map((x) => x.person.id).sort(), [S.a.id, String((await h.login('resident1')).me.person_id)].sort());
	assert.equal(list.items.find((x) => x.person.id === S.a.id).person.name, '健康甲');
	// The job ran once for the evening: its next run adds no alert.
	const runs = async () => (await admin.ok('/api/v1/jobs')).items.find((x) => x.name === 'health.missed');
	const before = await runs();
	await h.moveClock(admin, { advance: 'PT10M' });
	await waitFor(async () => {
		const j = await runs();
		return j.runs > before.runs && j.last_finished !== before.last_finished;
	}, 'another run of health.missed');
	assert.equal((await alertsOf(grid1, 'health_missed')).length, 1);
	assert.equal((await alertsOf(grid1, 'health_fever')).length, 0);
});

h.test('a report for a day of the placement filed after it ended is stored, late', async () => {
	const commander = await h.login('commander');
	const grid1 = await h.login('grid1');
	const rel = await commander.post(`/api/v1/placements/${S.pa.id}/release`, { reason: '提前解除' });
	assert.equal(rel.status, 200, rel.what);
	const rep = assertCreated(await grid1.post('/api/v1/health/reports',
		{ person_id: S.a.id, day: DAY, half: 'pm', temperature: 36.7, client_key: key('a-late') }));
	assert.equal(rep.late, true);
	assert.equal(rep.placement_id, S.pa.id);
	const list = await grid1.ok('/api/v1/health/missing', { query: { day: DAY, half: 'pm' } });
	assert.ok(!list.items.some((x) => x.person.id === S.a.id), 'a late report still counts');
	// Today is after the release: no placement covers it.
	assertError(await grid1.post('/api/v1/health/reports',
		{ person_id: S.a.id, temperature: 36.7, client_key: key('a-after') }), 422,
	{ code: 'not_under_placement', field: 'person_id' });
});

h.shutdownTest();
