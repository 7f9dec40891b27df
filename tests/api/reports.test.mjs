// reports: the daily report 每日简报 of an area and date — its figures against data this file
// makes (samples and a positive tube, follow-up calls, a hotline ticket, a request handled),
// its children one level down, the XLSX checked cell by cell, the CLI
// (`fangkong export daily-report`), and the refusals: a date in the future or malformed, an
// area outside the caller's scope (as a missing one), roles that may not read it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { harness, assertError, assertCreated, assertSameAsMissing, areaByCode } from './lib/harness.mjs';
import { COMMUNITY, GRID, barcode, key, openRound, makeSite, residents, openTube, scan, userId } from './lib/tubes.mjs';
import { download, sheetRows } from './lib/xlsx.mjs';

const h = harness('reports');
const TODAY = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const TOMORROW = new Date(Date.now() + 32 * 3600_000).toISOString().slice(0, 10);
const HEADS = ['编码', '区域', '检测人次', '阳性', '病例', '隔离管控人数', '热线工单', '电话接通', '随访次数',
	'诉求办结', '诉求超时', '在岗人员', '物资送达户数'];
const KEYS = ['tested', 'positives', 'cases', 'placed', 'hotline_tickets', 'calls_answered', 'follow_ups',
	'requests_handled', 'requests_overdue', 'staff_deployed', 'supplies_delivered'];
// What the setup makes in the community, today.
const WANT = { tested: 5, positives: 3, cases: 0, placed: 0, hotline_tickets: 1, calls_answered: 1,
	follow_ups: 2, requests_handled: 1, requests_overdue: 0, staff_deployed: 0, supplies_delivered: 0 };
const S = {};

/* The figures the setup made in the subtree at path: each figure counts the people it names
 * that live there. */
function wantUnder(path) {
	const n = (list) => list.filter((p) => p.area_path.startsWith(path)).length;
	const p = S.people;
	return { ...WANT, tested: n(p.slice(0, 5)), positives: n(p.slice(0, 3)), calls_answered: n(p.slice(0, 1)),
		follow_ups: n(p.slice(0, 2)), hotline_tickets: n(p.slice(5, 6)), requests_handled: n(p.slice(5, 6)) };
}

async function fillTube(reg, round, site, people) {
	const code = barcode('R');
	assertCreated(await openTube(reg, round, site, code));
	for (const p of people) assert.equal((await scan(reg, code, p)).status, 201);
	return code;
}

async function shipAndResult(reg, lab, round, site, tube, result) {
	assert.equal((await reg.post(`/api/v1/tubes/${tube}/close`)).status, 200);
	const box = barcode('B');
	assertCreated(await reg.post('/api/v1/boxes', { code: box, round_id: round.id, site_id: site.id }));
	assert.equal((await reg.post(`/api/v1/boxes/${box}/tubes`, { tube_code: tube })).status, 200);
	assert.equal((await reg.post(`/api/v1/boxes/${box}/seal`)).status, 200);
	assert.equal((await reg.post(`/api/v1/boxes/${box}/handover`, { to: '转运员' })).status, 200);
	assert.equal((await lab.post(`/api/v1/boxes/${box}/receive`)).status, 200);
	const r = await lab.post(`/api/v1/tubes/${tube}/result`, { result, client_key: key() });
	assert.equal(r.status, 200, r.what);
}

h.test('setup: samples, a positive tube, calls, a hotline ticket and a request handled in the community', async () => {
	const admin = await h.login('admin');
	const commander = await h.login('commander');
	const community1 = await h.login('community1');
	const reg = await h.login('registrar1');
	const lab = await h.login('lab1');
	S.community = await areaByCode(commander, COMMUNITY);
	S.grid = await areaByCode(commander, GRID);
	const round = await openRound(commander, '简报测试轮');
	const site = await makeSite(community1, GRID, [await userId(admin, 'registrar1')]);
	const people = await residents(community1, COMMUNITY, 6);
	S.people = people;
	const pos = await fillTube(reg, round, site, people.slice(0, 3));
	await fillTube(reg, round, site, people.slice(3, 5));
	await shipAndResult(reg, lab, round, site, pos, 'positive');
	assertCreated(await community1.post('/api/v1/calls', { person_id: people[0].id, outcome: 'reached', client_key: key() }));
	assertCreated(await community1.post('/api/v1/calls', { person_id: people[1].id, outcome: 'no_answer', client_key: key() }));
	const area = await community1.ok(`/api/v1/areas/${people[5].area_id}`);
	const csv = 'ticket_no,received_at,name,phone,id_number,area_code,kind,urgency,detail\n' +
		`RPT-${process.pid},${TODAY} 08:10,${people[5].name},13900000001,${people[5].id_number},` +
		`${area.code},购药,一般,需要降压药\n`;
	const imp = await community1.post('/api/v1/requests/import', undefined, { body: csv, type: 'text/csv' });
	assert.equal(imp.status, 200, imp.what);
	assert.equal(imp.json.created, 1, imp.what);
	const list = await community1.ok('/api/v1/requests', { query: { limit: 50 } });
	const ticket = list.items.find((x) => x.ticket_no === `RPT-${process.pid}`);
	assert.ok(ticket, 'the imported ticket is listed');
	const done = await community1.post(`/api/v1/requests/${ticket.id}/done`, { note: '已送药' });
	assert.equal(done.status, 200, done.what);
});

h.test('the figures of the community and of its grids against what the setup made', async () => {
	const community1 = await h.login('community1');
	const r = await community1.ok('/api/v1/reports/daily', { query: { area_id: S.community.id, date: TODAY } });
	assert.equal(r.date, TODAY);
	assert.deepEqual(r.area, { id: S.community.id, code: COMMUNITY, name: S.community.name, kind: 'community' });
	assert.deepEqual(r.figures, WANT);
	assert.ok(r.children.length > 1, 'the grids');
	for (const c of r.children) {
		const a = await community1.ok(`/api/v1/areas/${c.area.id}`);
		assert.deepEqual(c.figures, wantUnder(a.path), `${c.area.code}'s figures`);
	}
	for (const k of KEYS)
		assert.equal(r.children.reduce((n, c) => n + c.figures[k], 0), WANT[k], `the grids add up to ${k}`);
	const codes = r.children.map((c) => c.area.code);
	assert.deepEqual(codes, [...codes].sort(), 'children by code');
	// The day before has none of it.
	const before = new Date(Date.parse(TODAY) - 86_400_000).toISOString().slice(0, 10);
	const y = await community1.ok('/api/v1/reports/daily', { query: { area_id: S.community.id, date: before } });
	assert.equal(y.figures.tested, 0);
	assert.equal(y.figures.follow_ups, 0);
	assert.equal(y.figures.hotline_tickets, 0);
});

h.test('the district: the street holding the community carries its figures; the default area is the scope', async () => {
	const commander = await h.login('commander');
	const r = await commander.ok('/api/v1/reports/daily', { query: { date: TODAY } });
	assert.equal(r.area.code, '370212');
	assert.deepEqual(r.figures, WANT);
	const street = r.children.find((c) => COMMUNITY.startsWith(c.area.code));
	assert.deepEqual(street.figures, WANT);
	assert.equal(r.children.reduce((n, c) => n + c.figures.tested, 0), WANT.tested);
});

h.test('the XLSX: headings in Chinese, the area then its children, numbers as numbers', async () => {
	const community1 = await h.login('community1');
	const json = await community1.ok('/api/v1/reports/daily', { query: { area_id: S.community.id, date: TODAY } });
	const r = await download(h, community1, '/api/v1/reports/daily.xlsx', { area_id: S.community.id, date: TODAY });
	assert.equal(r.status, 200, r.what);
	assert.match(r.headers.get('content-type'), /spreadsheetml/);
	assert.equal(r.headers.get('content-disposition'),
		`attachment; filename="daily-report-${COMMUNITY}-${TODAY}.xlsx"`);
	const rows = await sheetRows(r.bytes);
	assert.equal(rows[0][0], `每日简报 ${S.community.name} ${TODAY}`);
	assert.deepEqual(rows[1], HEADS);
	assert.deepEqual(rows[2], [COMMUNITY, S.community.name, ...KEYS.map((k) => WANT[k])]);
	assert.equal(rows.length, 3 + json.children.length);
	json.children.forEach((c, i) => {
		assert.deepEqual(rows[3 + i], [c.area.code, c.area.name, ...KEYS.map((k) => c.figures[k])]);
		for (const v of rows[3 + i].slice(2)) assert.equal(typeof v, 'number');
	});
});

h.test('the CLI writes the same workbook; its errors name the option', async () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fk-report-'));
	const out = path.join(dir, 'r.xlsx');
	const ok = await h.cli(['export', 'daily-report', '--area', COMMUNITY, '--date', TODAY, '--out', out,
		'--store', h.dbUrl]);
	assert.equal(ok.status, 0, ok.stderr);
	const rows = await sheetRows(fs.readFileSync(out));
	assert.deepEqual(rows[1], HEADS);
	assert.deepEqual(rows[2], [COMMUNITY, S.community.name, ...KEYS.map((k) => WANT[k])]);
	const dflt = await h.cli(['export', 'daily-report', '--area', GRID, '--date', TODAY, '--db', h.dbUrl],
		{ cwd: dir });
	assert.equal(dflt.status, 0, dflt.stderr);
	assert.match(dflt.stdout, new RegExp(`daily-report-${GRID}-${TODAY}\\.xlsx`));
	const noArea = await h.cli(['export', 'daily-report', '--date', TODAY, '--db', h.dbUrl]);
	assert.equal(noArea.status, 1);
	assert.match(noArea.stderr, /--area/);
	const future = await h.cli(['export', 'daily-report', '--area', COMMUNITY, '--date', TOMORROW, '--db', h.dbUrl]);
	assert.equal(future.status, 1);
	assert.match(future.stderr, /--date is after today/);
	const unknown = await h.cli(['export', 'daily-report', '--area', 'NO-SUCH', '--date', TODAY, '--db', h.dbUrl]);
	assert.equal(unknown.status, 1);
	assert.match(unknown.stderr, /--area: no area has the code 'NO-SUCH'/);
	fs.rmSync(dir, { recursive: true, force: true });
});

h.test('refusals: a future or malformed date, an area outside the scope, roles without the report', async () => {
	const community1 = await h.login('community1');
	const q = (extra) => ({ query: { area_id: S.community.id, date: TODAY, ...extra } });
	assertError(await community1.get('/api/v1/reports/daily', q({ date: TOMORROW })), 422,
		{ code: 'date_in_future', field: 'date' });
	assertError(await community1.get('/api/v1/reports/daily', q({ date: '2026-02-30' })), 400,
		{ code: 'invalid_date', field: 'date' });
	assertError(await community1.get('/api/v1/reports/daily', q({ date: '' })), 400, { field: 'date' });
	assertError(await community1.get('/api/v1/reports/daily.xlsx', q({ date: TOMORROW })), 422,
		{ code: 'date_in_future' });
	const other = await areaByCode(await h.login('commander'), '370212001002');
	const out = await community1.get('/api/v1/reports/daily', q({ area_id: other.id }));
	const missing = await community1.get('/api/v1/reports/daily', q({ area_id: '999999999999' }));
	assertError(out, 404, { field: 'area_id' });
	assertSameAsMissing(out, missing, other.id, '999999999999');
	for (const u of ['grid1', 'registrar1', 'lab1', 'resident1'])
		assertError(await (await h.login(u)).get('/api/v1/reports/daily', q({})), 403);
});

h.shutdownTest();
