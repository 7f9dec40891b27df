// requests: residents' requests handled in a closed loop (SPEC §7), on the test clock — the
// level a request sits at by which accounts exist, its deadline by kind and urgency, the job
// requests.escalate moving it one level up when (and only when) the deadline passes (its log
// row, its alert), closure by the resident's confirmation or a worker's reason, confirming
// someone else's request, actions on a closed one, reopen, scope, the resident's own list,
// the hotline import (all rows or none, re-import: duplicates), the counts and the overdue list.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
	harness, assertError, assertCreated, areaByCode, newPerson, waitFor, makeId, badCheckId,
} from './lib/harness.mjs';

const h = harness('requests', { testClock: true });
const DAY = cstDay(Date.now() + 2 * 86_400_000);
const B01 = '370212001001G01B01'; // building1's building, under grid1
const B02 = '370212001001G01B02'; // no building account: grid1 receives
const G02 = '370212001001G02'; // no grid account: community1 receives
const C3G = '370212001003G01'; // no account below the district: commander receives
const S = {}; // shared between the cases, in order

function cstDay(ms) {
	return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
}

function key(s) {
	return `req-${s}-${Math.random().toString(36).slice(2, 10)}`;
}

async function moveClock(body) {
	await h.moveClock(await h.login('admin'), body);
	h.clients.clear();
}

async function escalateRuns() {
	const r = await (await h.login('admin')).get('/api/v1/jobs');
	assert.equal(r.status, 200, r.what);
	const j = r.json.items.find((x) => x.name === 'requests.escalate');
	assert.ok(j, 'no job requests.escalate');
	return j.runs;
}

/* Moves the clock by ms and waits until the job has run once more after it. */
async function advanceAndRun(ms) {
	const before = await escalateRuns();
	await moveClock({ advance_ms: ms });
	await waitFor(async () => (await escalateRuns()) > before, 'requests.escalate to run');
}

async function raise(client, body) {
	return client.post('/api/v1/requests', { urgency: 'normal', client_key: key('r'), ...body });
}

async function get(client, id) {
	const r = await client.get(`/api/v1/requests/${id}`);
	assert.equal(r.status, 200, r.what);
	return r.json;
}

h.test('set up: the clock at 09:00, people under each kind of level', async () => {
	await moveClock({ set: `${DAY}T09:00:00+08:00` });
	const commander = await h.login('commander');
	S.area = {};
	for (const code of [B01, B02, G02, C3G]) S.area[code] = await areaByCode(commander, code);
	S.pB = await newPerson(commander, S.area[B01].id, 901, { name: '诉求甲' });
	S.pG = await newPerson(commander, S.area[B02].id, 902, { name: '诉求乙' });
	S.pC = await newPerson(commander, S.area[G02].id, 903, { name: '诉求丙' });
	S.pD = await newPerson(commander, S.area[C3G].id, 904, { name: '诉求丁' });
});

h.test('the level is the lowest with an active account of its role', async () => {
	const commander = await h.login('commander');
	const want = [[S.pB, 'building', B01], [S.pG, 'grid', '370212001001G01'],
		[S.pC, 'community', '370212001001'], [S.pD, 'district', '370212']];
	for (const [p, level, code] of want) {
		const r = assertCreated(await raise(commander, { person_id: p.id, kind: 'other', detail: '层级' }));
		assert.equal(r.level, level, `${p.name}: ${JSON.stringify(r)}`);
		const a = await areaByCode(commander, code);
		assert.equal(r.level_area_id, a.id);
		assert.equal(r.source, 'worker');
		assert.equal(r.status, 'open');
	}
	// A street commander makes the street the level for the community without accounts.
	const admin = await h.login('admin');
	const street = await areaByCode(admin, '370212001');
	const u = await admin.post('/api/v1/users', {
		username: 'street1', password: 'Street-pass-1', display_name: '街道指挥', role: 'commander',
		area_ids: [street.id],
	});
	assert.equal(u.status, 201, u.what);
	S.streetUser = u.json.id;
	const r = assertCreated(await raise(commander, { person_id: S.pD.id, kind: 'other', detail: '街道' }));
	assert.equal(r.level, 'street');
	assert.equal(r.level_area_id, street.id);
	// Disabled, it no longer receives.
	const d = await admin.req('PATCH', `/api/v1/users/${S.streetUser}`, { json: { disabled: true } });
	assert.equal(d.status, 200, d.what);
	const r2 = assertCreated(await raise(commander, { person_id: S.pD.id, kind: 'other', detail: '停用' }));
	assert.equal(r2.level, 'district');
});

h.test('the resident raises for themself; a retry with the same key is the same request', async () => {
	const res = await h.login('resident1');
	const body = { kind: '购药', urgency: 'normal', detail: '需要降压药', client_key: key('own') };
	const r1 = await res.post('/api/v1/requests', body);
	const a = assertCreated(r1);
	const r2 = await res.post('/api/v1/requests', body);
	assert.equal(r2.json.id, a.id, r2.what);
	assert.equal(a.kind, 'medicine');
	assert.equal(a.source, 'resident');
	assert.equal(a.level, 'building');
	assert.equal(a.due_at - Date.parse(a.created_at), 4 * 3_600_000, 'medicine: 4 h');
	assert.equal(a.overdue, false);
	const back = await get(res, a.id);
	assert.deepEqual(back.log.map((l) => l.action), ['raised']);
	delete back.log;
	assert.deepEqual(a, back, 'the reply is the request as read back');
	S.own = a;
	// Someone else's person: refused, and a bad kind names kind.
	assertError(await res.post('/api/v1/requests', { ...body, person_id: S.pB.id, client_key: key('x') }),
		403, { field: 'person_id' });
	assertError(await raise(res, { kind: 'pizza', detail: 'x' }), 400, { field: 'kind' });
	assertError(await raise(res, { kind: 'medicine', detail: '' }), 422, { field: 'detail' });
	assertError(await raise(res, { kind: 'medicine', detail: 'x'.repeat(1001) }), 400, { field: 'detail' });
});

h.test('deadlines by kind and urgency: medical urgent 30 min, supplies 24 h', async () => {
	const grid1 = await h.login('grid1');
	const m = assertCreated(await raise(grid1, { person_id: S.pB.id, kind: 'medical', urgency: 'urgent', detail: '胸闷' }));
	assert.equal(m.due_at - Date.parse(m.created_at), 30 * 60_000);
	const s = assertCreated(await raise(grid1, { person_id: S.pB.id, kind: 'supplies', detail: '米面' }));
	assert.equal(s.due_at - Date.parse(s.created_at), 24 * 3_600_000);
	S.medical = m;
	S.supplies = s;
});

h.test('escalates when, and only when, the deadline passes: log, alert, next level', async () => {
	await advanceAndRun(29 * 60_000);
	const grid1 = await h.login('grid1');
	let m = await get(grid1, S.medical.id);
	assert.equal(m.level, 'building', 'a minute before its deadline it stays');
	assert.equal(m.escalations, 0);
	await advanceAndRun(2 * 60_000);
	m = await get(grid1, S.medical.id);
	assert.equal(m.level, 'grid', JSON.stringify(m));
	assert.equal(m.escalations, 1);
	const esc = m.log.find((l) => l.action === 'escalated');
	assert.ok(esc, JSON.stringify(m.log));
	assert.equal(esc.from_level, 'building');
	assert.equal(esc.to_level, 'grid');
	assert.equal(esc.deadline_at, S.medical.due_at, 'the log names the deadline passed');
	assert.match(esc.note, /\d{4}-\d\d-\d\d/);
	const alerts = (await grid1.ok('/api/v1/alerts', { query: { kind: 'request_escalated' } })).items;
	assert.ok(alerts.length >= 1, 'grid1 got the escalation alert');
	assert.equal((await get(grid1, S.supplies.id)).level, 'building', 'supplies not due yet');
	// Past the new deadline (30 min again): the community.
	await advanceAndRun(31 * 60_000);
	m = await get(grid1, S.medical.id);
	assert.equal(m.level, 'community');
	assert.equal(m.escalations, 2);
});

h.test('at the top it stays, overdue, without moving', async () => {
	const commander = await h.login('commander');
	const r = assertCreated(await raise(commander, { person_id: S.pD.id, kind: 'medical', urgency: 'urgent', detail: '顶层' }));
	assert.equal(r.level, 'district');
	await advanceAndRun(31 * 60_000);
	const after = await get(await h.login('commander'), r.id);
	assert.equal(after.level, 'district');
	assert.equal(after.escalations, 0);
	assert.equal(after.overdue, true);
	const over = await (await h.login('commander')).ok('/api/v1/requests', { query: { overdue: 1, limit: 500 } });
	assert.ok(over.items.some((x) => x.id === r.id), 'in the overdue list');
	assert.ok(over.items.every((x) => x.overdue), 'only overdue ones');
	S.top = r;
});

h.test('closure needs the resident or a reason; closed ones refuse actions; reopen', async () => {
	const grid1 = await h.login('grid1');
	const id = S.supplies.id;
	assert.equal((await grid1.post(`/api/v1/requests/${id}/accept`, {})).json.status, 'accepted');
	assertError(await grid1.post(`/api/v1/requests/${id}/close`, {}), 422, { field: 'reason' });
	const c = await grid1.post(`/api/v1/requests/${id}/close`, { reason: '已送达' });
	assert.equal(c.status, 200, c.what);
	assert.equal(c.json.status, 'closed');
	assert.equal(c.json.closed_by, 'worker');
	assert.equal(c.json.close_reason, '已送达');
	for (const a of ['accept', 'done', 'escalate'])
		assertError(await grid1.post(`/api/v1/requests/${id}/${a}`, { reason: 'x', note: 'x' }), 409, { code: 'request_closed' });
	const re = await grid1.post(`/api/v1/requests/${id}/reopen`, { reason: '未送到' });
	assert.equal(re.status, 200, re.what);
	assert.equal(re.json.status, 'open');
	assert.equal(re.json.closed_at, null);
	assert.deepEqual(re.json.log.map((l) => l.action), ['raised', 'accepted', 'closed', 'reopened']);
});

h.test('the resident confirms their own; someone else\'s is 404, staff get 403', async () => {
	const grid1 = await h.login('grid1');
	const res = await h.login('resident1');
	const done = await (await h.login('building1')).post(`/api/v1/requests/${S.own.id}/done`, { note: '已买到' });
	assert.equal(done.status, 200, done.what);
	assert.equal(done.json.status, 'done');
	assertError(await res.post(`/api/v1/requests/${S.medical.id}/confirm`, {}), 404, { code: 'request_not_found' });
	assertError(await grid1.post(`/api/v1/requests/${S.own.id}/confirm`, {}), 403);
	const c = await res.post(`/api/v1/requests/${S.own.id}/confirm`, {});
	assert.equal(c.status, 200, c.what);
	assert.equal(c.json.status, 'closed');
	assert.equal(c.json.closed_by, 'resident');
	assertError(await res.post(`/api/v1/requests/${S.own.id}/confirm`, {}), 409, { code: 'request_closed' });
	// The resident sees only their own.
	const mine = await res.ok('/api/v1/requests');
	assert.ok(mine.items.length >= 1);
	assert.ok(mine.items.every((x) => x.person.id === S.own.person.id));
	assertError(await res.get(`/api/v1/requests/${S.medical.id}`), 404);
	const re = await res.post(`/api/v1/requests/${S.own.id}/reopen`, { reason: '药不对' });
	assert.equal(re.json.status, 'open', re.what);
});

h.test('scope: another grid\'s worker gets 404; mine=1 is the level\'s queue', async () => {
	const grid2 = await h.login('grid2');
	assertError(await grid2.get(`/api/v1/requests/${S.medical.id}`), 404, { code: 'request_not_found' });
	assertError(await grid2.post(`/api/v1/requests/${S.medical.id}/accept`, {}), 404);
	const l = await grid2.ok('/api/v1/requests', { query: { limit: 500 } });
	assert.ok(!l.items.some((x) => x.id === S.medical.id));
	const grid1 = await h.login('grid1');
	const q = await grid1.ok('/api/v1/requests', { query: { mine: 1, limit: 500 } });
	assert.ok(q.items.length > 0);
	assert.ok(q.items.every((x) => x.level === 'grid'), JSON.stringify(q.items.map((x) => x.level)));
	// Paging: one at a time follows the cursor without repeats.
	const seen = new Set();
	let cursor;
	for (let i = 0; i < 50; i++) {
		const p = await grid1.ok('/api/v1/requests', { query: { limit: 1, cursor } });
		for (const x of p.items) {
			assert.ok(!seen.has(x.id));
			seen.add(x.id);
		}
		cursor = p.next_cursor;
		if (!cursor) break;
	}
	assert.ok(seen.size >= 3);
	assertError(await grid1.get('/api/v1/requests', { query: { status: 'bogus' } }), 400, { field: 'status' });
});

const HEADER = 'ticket_no,received_at,name,phone,id_number,area_code,kind,urgency,detail\n';

h.test('hotline import: a good file, a bad row stores nothing, a re-import is duplicates', async () => {
	const community1 = await h.login('community1');
	const good = HEADER +
		`T-1001,${DAY} 08:10,热线甲,13900000001,${makeId('19600101', 911)},${B02},购药,紧急,需要胰岛素\n` +
		`T-1002,${DAY} 08:20,诉求甲,13900000002,${makeId('19800101', 901)},${B01},生活物资,一般,缺米\n`;
	const r = await community1.post('/api/v1/requests/import', undefined, { body: good, type: 'text/csv' });
	assert.equal(r.status, 200, r.what);
	assert.deepEqual([r.json.created, r.json.duplicates, r.json.errors.length], [2, 0, 0]);
	const again = await community1.post('/api/v1/requests/import', undefined, { body: good, type: 'text/csv' });
	assert.deepEqual([again.json.created, again.json.duplicates], [0, 2], again.what);
	const list = await community1.ok('/api/v1/requests', { query: { limit: 500 } });
	const hot = list.items.filter((x) => x.source === 'hotline');
	assert.equal(hot.length, 2, 'nothing doubled');
	const t1 = hot.find((x) => x.ticket_no === 'T-1001');
	assert.equal(t1.kind, 'medicine');
	assert.equal(t1.urgency, 'urgent');
	assert.equal(hot.find((x) => x.ticket_no === 'T-1002').person.id, S.pB.id, 'matched by ID number');
	const bad = HEADER +
		`T-2001,${DAY} 08:10,热线乙,13900000003,${makeId('19600101', 912)},${B02},购药,一般,好行\n` +
		`T-2002,${DAY} 08:11,热线丙,13900000004,${badCheckId('19600101', 913)},${B02},购药,一般,坏身份证\n` +
		`T-2003,${DAY} 08:12,热线丁,13900000005,${makeId('19600101', 914)},${B02},披萨,一般,坏类型\n`;
	const b = await community1.post('/api/v1/requests/import', undefined, { body: bad, type: 'text/csv' });
	assert.equal(b.status, 422, b.what);
	assert.equal(b.json.created, 0);
	assert.deepEqual(b.json.errors.map((e) => [e.line, e.field]), [[3, 'id_number'], [4, 'kind']]);
	const after = await community1.ok('/api/v1/requests', { query: { limit: 500 } });
	assert.ok(!after.items.some((x) => x.ticket_no === 'T-2001'), 'the good row of a bad file is not stored');
	assertError(await (await h.login('grid1')).post('/api/v1/requests/import', undefined, { body: good, type: 'text/csv' }), 403);
});

h.test('hotline import: a GBK file, as Excel on a Chinese Windows saves it, is read as GBK', async () => {
	const community1 = await h.login('community1');
	const text = HEADER + `T-3001,${DAY} 09:00,热线戊,13900000006,${makeId('19600101', 915)},${B02},就医,紧急,需要透析\n`;
	const gbk = execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GB18030'], { input: text });
	assert.notDeepEqual(gbk, Buffer.from(text), 'the file is not UTF-8');
	const r = await community1.post('/api/v1/requests/import', undefined, { body: gbk, type: 'text/csv' });
	assert.equal(r.status, 200, r.what);
	assert.equal(r.json.created, 1);
	const list = await community1.ok('/api/v1/requests', { query: { limit: 500 } });
	const got = list.items.find((x) => x.ticket_no === 'T-3001');
	assert.ok(got, 'imported');
	assert.equal(got.kind, 'medical');
	assert.equal(got.person.name, '热线戊');
});

h.test('counts by level, kind and day; open and overdue', async () => {
	const commander = await h.login('commander');
	const c = await commander.ok('/api/v1/requests/counts', { query: { from: DAY, to: DAY } });
	const total = Object.values(c.by_kind).reduce((a, b) => a + b, 0);
	assert.equal(Object.values(c.by_level).reduce((a, b) => a + b, 0), total);
	assert.ok(c.by_kind.medicine >= 2, JSON.stringify(c));
	assert.equal(c.by_day.length, 1);
	assert.equal(c.by_day[0].day, DAY);
	assert.equal(c.by_day[0].raised, total);
	assert.ok(c.by_day[0].escalated >= 2);
	assert.ok(c.by_day[0].closed >= 2);
	assert.ok(c.overdue >= 1 && c.open >= c.overdue);
	const g = await (await h.login('grid2')).ok('/api/v1/requests/counts', { query: { from: DAY, to: DAY } });
	assert.ok(g.by_day[0].raised < total, 'grid2 counts its own scope only');
	assertError(await (await h.login('resident1')).get('/api/v1/requests/counts'), 403);
	assertError(await commander.get('/api/v1/requests/counts', { query: { from: 'x' } }), 400, { field: 'from' });
});

h.shutdownTest();
