// dashboard: the command dashboard (SPEC §11) on the test clock — the panels of an area against
// data the test made (residents, a round's scans, a request and its deadline, a zone, a case),
// the drill-down one level down and the way back up, scope (another community's area reads as a
// missing one), roles, the round's curve from the snapshot job, and area shapes: an admin's
// PUT (good and bad, named by field), the children's shapes for the map, and the CLI import
// (all or none, a bad feature named by its index).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
	harness, assertError, assertCreated, assertSameAsMissing, areaByCode, newPerson, waitFor,
	RESIDENTS,
} from './lib/harness.mjs';
import { COMMUNITY, GRID, key, barcode, openRound, makeSite, residents, openTube, scan } from './lib/tubes.mjs';

const h = harness('dashboard', { testClock: true });
const DISTRICT = '370212';
const STREET = '370212001';
const OTHER_COMMUNITY = '370212001002';
const S = {};

async function dash(client, query = {}) {
	const r = await client.get('/api/v1/dashboard', { query });
	assert.equal(r.status, 200, r.what);
	return r.json;
}

async function moveClock(body) {
	await h.moveClock(await h.login('admin'), body);
	h.clients.clear();
}

async function runsOf(job) {
	const r = await (await h.login('admin')).get('/api/v1/jobs');
	assert.equal(r.status, 200, r.what);
	const j = r.json.items.find((x) => x.name === job);
	assert.ok(j, `no job ${job}`);
	return j.runs;
}

/* Moves the clock by ms and waits until job has run once more. */
async function advanceAndRun(job, ms) {
	const before = await runsOf(job);
	await moveClock({ advance_ms: ms });
	await waitFor(async () => (await runsOf(job)) > before, `${job} to run`);
}

const advanceAndSnapshot = (ms) => advanceAndRun('dashboard.snapshot', ms);

function square(x, y, d = 0.01) {
	return { type: 'Polygon', coordinates: [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]] };
}

h.test('setup: the clock, the areas of the drill-down', async () => {
	await moveClock({ set: '2026-12-07T09:00:00+08:00' });
	const commander = await h.login('commander');
	for (const code of [DISTRICT, STREET, COMMUNITY, OTHER_COMMUNITY, GRID])
		S[code] = await areaByCode(commander, code);
});

h.test('the district dashboard: its residents, its streets with theirs, no round panel before a round', async () => {
	const d = await dash(await h.login('commander'));
	assert.equal(d.area.code, DISTRICT);
	assert.equal(d.area.level, 'district');
	assert.equal(d.panels.people.residents, RESIDENTS);
	assert.equal(d.round_id, null);
	assert.ok(!('round' in d.panels), 'no round panel with no open round');
	for (const p of ['cases', 'zones', 'placements', 'requests', 'duty', 'stock', 'alerts', 'deliveries'])
		assert.ok(d.panels[p], `panel ${p}`);
	assert.equal(d.children.length, 4, 'four streets');
	assert.ok(d.children.every((c) => c.level === 'street'));
	assert.equal(d.children.reduce((n, c) => n + c.figures.people, 0), RESIDENTS);
	assert.deepEqual(d.breadcrumbs.map((a) => a.code), [DISTRICT]);
});

h.test('a new resident counts at once, up the tree; moving them moves the count', async () => {
	const commander = await h.login('commander');
	const before = await dash(commander, { area_id: S[COMMUNITY].id });
	const otherBefore = await dash(commander, { area_id: S[OTHER_COMMUNITY].id });
	const b01 = await areaByCode(commander, `${GRID}B01`);
	const p = await newPerson(commander, b01.id, 611, { name: '看板甲' });
	const after = await dash(commander, { area_id: S[COMMUNITY].id });
	assert.equal(after.panels.people.residents, before.panels.people.residents + 1);
	const grid = after.children.find((c) => c.code === GRID);
	assert.equal(grid.figures.people, before.children.find((c) => c.code === GRID).figures.people + 1);
	assert.equal((await dash(commander)).panels.people.residents, RESIDENTS + 1);
	const away = await areaByCode(commander, `${OTHER_COMMUNITY}G01B01`);
	const m = await commander.patch(`/api/v1/people/${p.id}`, { area_id: away.id });
	assert.equal(m.status, 200, m.what);
	assert.equal((await dash(commander, { area_id: S[COMMUNITY].id })).panels.people.residents,
		before.panels.people.residents);
	assert.equal((await dash(commander, { area_id: S[OTHER_COMMUNITY].id })).panels.people.residents,
		otherBefore.panels.people.residents + 1);
	assert.equal((await dash(commander)).panels.people.residents, RESIDENTS + 1);
});

h.test('the open round: registered, sampled and pct follow the scans, in the area and above it', async () => {
	const admin = await h.login('admin');
	const commander = await h.login('commander');
	const community1 = await h.login('community1');
	const users = await admin.get('/api/v1/users', { query: { q: 'registrar1' } });
	const registrar = users.json.items.find((u) => u.username === 'registrar1');
	S.round = await openRound(commander, '看板轮次');
	S.site = await makeSite(community1, GRID, [registrar.id]);
	S.people = await residents(community1, COMMUNITY, 12);
	const d0 = await dash(commander, { area_id: S[COMMUNITY].id });
	assert.equal(d0.round_id, S.round.id);
	assert.equal(d0.panels.round.sampled, 0);
	assert.equal(d0.panels.round.registered, d0.panels.people.residents, 'everyone is expected');
	const reg = await h.login('registrar1');
	S.tube = barcode('T');
	assertCreated(await openTube(reg, S.round, S.site, S.tube));
	for (let i = 0; i < 6; i++) assertCreated(await scan(reg, S.tube, S.people[i]));
	const d = await dash(commander, { area_id: S[COMMUNITY].id });
	assert.equal(d.panels.round.sampled, 6);
	assert.equal(d.panels.round.pct, Math.round(1000 * 6 / d.panels.round.registered) / 10);
	assert.equal(d.children.reduce((n, c) => n + c.figures.sampled, 0), 6);
	const top = await dash(commander);
	assert.equal(top.round_id, S.round.id, 'the district sees the round over its community');
	assert.equal(top.panels.round.sampled, 6);
	assert.equal(top.children.find((c) => c.code === STREET).figures.sampled, 6);
	assert.equal(top.children.filter((c) => c.code !== STREET).reduce((n, c) => n + c.figures.sampled, 0), 0);
	const other = await dash(commander, { area_id: S[OTHER_COMMUNITY].id });
	assert.equal(other.round_id, null, 'a community outside the round has no round');
});

h.test('requests open and overdue, a zone and a case appear in their panels', async () => {
	const commander = await h.login('commander');
	const community1 = await h.login('community1');
	const before = (await dash(commander, { area_id: S[COMMUNITY].id })).panels;
	const p = S.people[11];
	assertCreated(await commander.post('/api/v1/requests',
		{ person_id: p.id, kind: 'medicine', urgency: 'normal', detail: '看板', client_key: key() }));
	assertCreated(await commander.post('/api/v1/zones', { area_id: S[GRID].id, kind: 'high', reason: '看板' }));
	assertCreated(await community1.post('/api/v1/cases',
		{ person_id: S.people[10].id, status: 'confirmed', found_by: 'fever_clinic' }));
	const d = (await dash(commander, { area_id: S[COMMUNITY].id })).panels;
	assert.equal(d.requests.open, before.requests.open + 1);
	assert.equal(d.requests.overdue, before.requests.overdue);
	assert.equal(d.zones.total, before.zones.total + 1);
	assert.equal(d.zones.sealed, before.zones.sealed + 1);
	assert.equal(d.cases.active, before.cases.active + 1);
	const other = (await dash(commander, { area_id: S[OTHER_COMMUNITY].id })).panels;
	assert.equal(other.zones.total, 0);
	assert.equal(other.cases.active, 0);
	// Past each level's deadline the job moves it up; at the top it stays, overdue.
	for (let i = 0; i < 6; i++) await advanceAndRun('requests.escalate', 2 * 86_400_000);
	const c2 = await h.login('commander');
	const late = (await dash(c2, { area_id: S[COMMUNITY].id })).panels;
	assert.equal(late.requests.overdue, before.requests.overdue + 1, 'past its deadline at the top');
	const counts = await c2.get('/api/v1/requests/counts', { query: { area_id: S[COMMUNITY].id } });
	assert.equal(counts.status, 200, counts.what);
	assert.equal(late.requests.open, counts.json.open, 'the same figure as the requests module');
	assert.equal(late.requests.overdue, counts.json.overdue);
});

h.test('today\'s delivery runs: their households and those signed off', async () => {
	const commander = await h.login('commander');
	const community1 = await h.login('community1');
	const before = await dash(commander, { area_id: S[GRID].id });
	const day = new Date(Date.parse(before.at) + 8 * 3_600_000).toISOString().slice(0, 10);
	const b01 = await areaByCode(commander, `${GRID}B01`);
	const run = assertCreated(await community1.post('/api/v1/deliveries/runs', { area_id: b01.id, day, item_note: '蔬菜包' }));
	const after = (await dash(commander, { area_id: S[GRID].id })).panels.deliveries;
	assert.equal(after.runs, before.panels.deliveries.runs + 1);
	assert.equal(after.households, before.panels.deliveries.households + run.total);
	assert.equal(after.done, before.panels.deliveries.done);
	const signed = await community1.post(`/api/v1/deliveries/runs/${run.id}/households/${encodeURIComponent(run.households[0].key)}`,
		{ outcome: 'delivered', client_key: key() });
	assert.equal(signed.status, 200, signed.what);
	assert.equal((await dash(commander, { area_id: S[GRID].id })).panels.deliveries.done, before.panels.deliveries.done + 1);
	const tomorrow = new Date(Date.parse(before.at) + 32 * 3_600_000).toISOString().slice(0, 10);
	assertCreated(await community1.post('/api/v1/deliveries/runs', { area_id: b01.id, day: tomorrow, item_note: '明天' }));
	assert.equal((await dash(commander, { area_id: S[GRID].id })).panels.deliveries.runs, after.runs, 'another day\'s run is not today\'s');
});

h.test('scope: a community worker sees its community; another community and the district read as missing', async () => {
	const community1 = await h.login('community1');
	const d = await dash(community1);
	assert.equal(d.area.code, COMMUNITY);
	assert.deepEqual(d.breadcrumbs.map((a) => a.code), [COMMUNITY], 'no way up past the scope');
	const grid1 = await dash(await h.login('grid1'));
	assert.equal(grid1.area.code, GRID);
	const out = await community1.get('/api/v1/dashboard', { query: { area_id: S[OTHER_COMMUNITY].id } });
	const missing = await community1.get('/api/v1/dashboard', { query: { area_id: '999999999' } });
	assertError(out, 404, { code: 'area_not_found', field: 'area_id' });
	assertSameAsMissing(out, missing, S[OTHER_COMMUNITY].id, '999999999');
	assertError(await community1.get('/api/v1/dashboard', { query: { area_id: S[DISTRICT].id } }), 404,
		{ code: 'area_not_found' });
	assertError(await community1.get('/api/v1/dashboard', { query: { area_id: 'x1' } }), 400,
		{ code: 'invalid_id', field: 'area_id' });
	assertError(await community1.get('/api/v1/dashboard', { query: { round_id: '999999999' } }), 404,
		{ code: 'round_not_found', field: 'round_id' });
	assertError(await community1.get('/api/v1/dashboard', { query: { round_id: 'r1' } }), 400,
		{ code: 'invalid_id', field: 'round_id' });
	for (const u of ['registrar1', 'lab1', 'building1', 'resident1'])
		assertError(await (await h.login(u)).get('/api/v1/dashboard'), 403);
	assertError(await h.anon().get('/api/v1/dashboard'), 401);
});

h.test('the curve: the job keeps a point every 10 minutes; the last point is live', async () => {
	const commander = await h.login('commander');
	await advanceAndSnapshot(11 * 60_000);
	const reg = await h.login('registrar1');
	for (let i = 6; i < 9; i++) assertCreated(await scan(reg, S.tube, S.people[i]));
	await advanceAndSnapshot(11 * 60_000);
	const c = await (await h.login('commander')).get('/api/v1/dashboard/curve',
		{ query: { round_id: S.round.id, area_id: S[COMMUNITY].id } });
	assert.equal(c.status, 200, c.what);
	const pts = c.json.points;
	assert.ok(pts.length >= 3, c.what);
	const snaps = pts.slice(0, -1);
	assert.equal(snaps.at(-1).sampled, 9, 'the last snapshot after the scans');
	assert.ok(snaps.some((p) => p.sampled === 6), 'an earlier snapshot before them');
	for (let i = 1; i < pts.length; i++) assert.ok(Date.parse(pts[i].at) > Date.parse(pts[i - 1].at));
	assertCreated(await scan(reg, S.tube, S.people[9]));
	const live = await (await h.login('commander')).get('/api/v1/dashboard/curve', { query: { area_id: S[COMMUNITY].id } });
	assert.equal(live.json.round_id, S.round.id, 'the open round by default');
	assert.equal(live.json.points.at(-1).sampled, 10);
	assert.equal(live.json.points.at(-2).sampled, 9);
	const district = await commander.get('/api/v1/dashboard/curve', { query: { area_id: S[DISTRICT].id } });
	assert.ok(district.json.points.length >= 3, 'the district has its own snapshots');
	const none = await commander.get('/api/v1/dashboard/curve', { query: { area_id: S[OTHER_COMMUNITY].id } });
	assert.deepEqual(none.json.points, []);
	assertError(await (await h.login('community1')).get('/api/v1/dashboard/curve',
		{ query: { area_id: S[DISTRICT].id } }), 404, { code: 'area_not_found' });
});

h.test('shapes: the demo district has them; an admin sets one, bad ones are named by field', async () => {
	const admin = await h.login('admin');
	const commander = await h.login('commander');
	const fc = await commander.get('/api/v1/dashboard/shapes', { query: { area_id: S[DISTRICT].id } });
	assert.equal(fc.status, 200, fc.what);
	assert.equal(fc.json.type, 'FeatureCollection');
	assert.equal(fc.json.features.length, 4);
	assert.ok(fc.json.features.every((f) => f.geometry.type === 'Polygon' && f.properties.code.startsWith(DISTRICT)));
	const url = `/api/v1/areas/${S[GRID].id}/geometry`;
	const bad = [
		[{ type: 'Point', coordinates: [120, 36] }, 'geometry'],
		[{ type: 'Polygon', coordinates: [[[120, 36], [120.1, 36], [120.1, 36.1], [120, 36.2]]] }, 'geometry.coordinates[0]'],
		[{ type: 'Polygon', coordinates: [[[120, 36], [200, 36], [120.1, 36.1], [120, 36]]] }, 'geometry.coordinates[0]'],
		[{ type: 'MultiPolygon', coordinates: [[[[120, 36], [120.1, 36], [120.1, 36.1], [120, 36]]], [[[1, 1]]]] }, 'geometry.coordinates[1][0]'],
	];
	for (const [g, field] of bad)
		assertError(await admin.req('PUT', url, { json: { geometry: g } }), 422, { code: 'invalid_geometry', field });
	assertError(await admin.req('PUT', url, { json: {} }), 400, { field: 'geometry' });
	assertError(await commander.req('PUT', url, { json: { geometry: square(120.5, 36.1) } }), 403);
	const before = await commander.get('/api/v1/dashboard/shapes', { query: { area_id: S[COMMUNITY].id } });
	assert.deepEqual(before.json.features.find((f) => f.properties.code === GRID).geometry.coordinates[0][0],
		[120.4, 36.05], 'the demo shape is still there after the refusals');
	const ok = await admin.req('PUT', url, { json: { geometry: square(120.5, 36.1) } });
	assert.equal(ok.status, 200, ok.what);
	const after = await commander.get('/api/v1/dashboard/shapes', { query: { area_id: S[COMMUNITY].id } });
	assert.deepEqual(after.json.features.find((f) => f.properties.code === GRID).geometry, square(120.5, 36.1));
	assertError(await admin.req('PUT', '/api/v1/areas/999999999/geometry', { json: { geometry: square(1, 1) } }), 404);
	assertError(await (await h.login('community1')).get('/api/v1/dashboard/shapes',
		{ query: { area_id: S[DISTRICT].id } }), 404, { code: 'area_not_found' });
});

h.test('fangkong area import-geometry: all or none, a bad feature named by its index', async () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fk-geo-'));
	const file = path.join(dir, 'shapes.geojson');
	const feature = (code, g) => ({ type: 'Feature', properties: { code }, geometry: g });
	const shapesOf = async () => (await (await h.login('commander')).get('/api/v1/dashboard/shapes',
		{ query: { area_id: S[DISTRICT].id } })).json.features;
	const before = await shapesOf();
	fs.writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', features: [
		feature(STREET, square(121, 37)), feature('NO-SUCH-AREA', square(121, 37))] }));
	let r = await h.cli(['area', 'import-geometry', '--file', file, '--db', h.dbUrl]);
	assert.notEqual(r.status, 0);
	assert.match(r.stderr, /features\[1\]\.properties\.code/);
	assert.deepEqual(await shapesOf(), before, 'nothing stored');
	fs.writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', features: [
		feature(STREET, square(121, 37)), feature('370212002', { type: 'Polygon', coordinates: [] })] }));
	r = await h.cli(['area', 'import-geometry', '--file', file, '--db', h.dbUrl]);
	assert.notEqual(r.status, 0);
	assert.match(r.stderr, /features\[1\]\.geometry/);
	r = await h.cli(['area', 'import-geometry', '--db', h.dbUrl]);
	assert.notEqual(r.status, 0);
	assert.match(r.stderr, /--file/);
	fs.writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', features: [
		feature(STREET, square(121, 37)), feature('370212002', square(121.1, 37))] }));
	r = await h.cli(['area', 'import-geometry', '--file', file, '--db', h.dbUrl]);
	assert.equal(r.status, 0, r.stderr);
	assert.match(r.stdout, /2/);
	const after = await shapesOf();
	assert.deepEqual(after.find((f) => f.properties.code === STREET).geometry, square(121, 37));
	assert.deepEqual(after.find((f) => f.properties.code === '370212002').geometry, square(121.1, 37));
	fs.rmSync(dir, { recursive: true, force: true });
});
