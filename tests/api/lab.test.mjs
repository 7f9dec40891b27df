// lab: transport and results — boxes filled with closed tubes, sealed, handed over and received
// by the lab with timestamps (chain of custody); results per tube (idempotent by client_key)
// and from a plate CSV with per-row errors; a result for a tube never received is refused; the
// lab sees tube and box codes only; a positive tube flags everyone in it at once with a
// single-tube retest and alerts the command centre; the retest settles each person; an
// invalid result sends the people back to be sampled again.
import assert from 'node:assert/strict';
import { harness, assertError, assertCreated, areaByCode } from './lib/harness.mjs';
import {
	COMMUNITY, GRID, key, barcode, openRound, makeSite, residents, openTube, scan, userId,
} from './lib/tubes.mjs';

const h = harness('lab');

let round, site, people, community;
const tubes = {}; // name -> code
let box;

async function fill(reg, name, group, close = false) {
	const code = barcode('L');
	assertCreated(await openTube(reg, round, site, code));
	for (const p of group) {
		const r = await scan(reg, code, p);
		assert.equal(r.status, 201, r.what);
	}
	if (close) {
		const c = await reg.post(`/api/v1/tubes/${code}/close`);
		assert.equal(c.status, 200, c.what);
	}
	tubes[name] = code;
	return code;
}

/* Puts a resident of grid1's grid (path) and one from outside it first in the positive pool
 * (people 10..14), so that grid1's retests are a proper, non-empty part of the round's. */
function mixPositivePool(list, path) {
	const swapInto = (at, pred) => {
		const i = list.findIndex((p, j) => j >= at && pred(p));
		assert.ok(i >= 0, `no resident ${pred.name} ${path} among ${list.length}`);
		[list[at], list[i]] = [list[i], list[at]];
	};
	swapInto(10, function inside(p) { return p.area_path.startsWith(path); });
	swapInto(11, function outside(p) { return !p.area_path.startsWith(path); });
}

async function coverage(commander) {
	const r = await commander.get(`/api/v1/rounds/${round.id}/coverage`, { query: { area_id: community.id } });
	assert.equal(r.status, 200, r.what);
	return r.json.totals;
}

async function shipBox(reg, lab, names) {
	const code = barcode('B');
	assertCreated(await reg.post('/api/v1/boxes', { code, round_id: round.id, site_id: site.id }));
	for (const n of names) {
		const r = await reg.post(`/api/v1/boxes/${code}/tubes`, { tube_code: tubes[n] });
		assert.equal(r.status, 200, r.what);
	}
	assert.equal((await reg.post(`/api/v1/boxes/${code}/seal`)).status, 200);
	assert.equal((await reg.post(`/api/v1/boxes/${code}/handover`, { to: '转运员王师傅' })).status, 200);
	const r = await lab.post(`/api/v1/boxes/${code}/receive`);
	assert.equal(r.status, 200, r.what);
	return code;
}

h.test('setup: a round, a site and tubes filled at it', async () => {
	const admin = await h.login('admin');
	const commander = await h.login('commander');
	const community1 = await h.login('community1');
	const reg = await h.login('registrar1');
	community = await areaByCode(commander, COMMUNITY);
	round = await openRound(commander, '实验室测试轮');
	site = await makeSite(community1, GRID, [await userId(admin, 'registrar1')]);
	people = await residents(community1, COMMUNITY, 40);
	mixPositivePool(people, (await areaByCode(community1, GRID)).path);
	await fill(reg, 'neg', people.slice(0, 10)); // closes itself at 10
	await fill(reg, 'pos', people.slice(10, 15), true);
	await fill(reg, 'kept', people.slice(15, 18), true); // never shipped
	await fill(reg, 'plateA', people.slice(18, 22), true);
	await fill(reg, 'plateB', people.slice(22, 26), true);
	await fill(reg, 'inv', people.slice(26, 29), true);
	await fill(reg, 'open', people.slice(29, 31)); // stays open
	const t = await coverage(commander);
	assert.equal(t.sampled, 31);
});

h.test('boxes: only closed tubes go in; seal, hand over, receive, each timestamped', async () => {
	const reg = await h.login('registrar1');
	const lab = await h.login('lab1');
	box = barcode('B');
	const c = await reg.post('/api/v1/boxes', { code: box, round_id: round.id, site_id: site.id });
	assert.equal(c.status, 201, c.what);
	assert.equal(c.json.status, 'open');
	assert.equal((await reg.post('/api/v1/boxes', { code: box, round_id: round.id, site_id: site.id })).status, 200,
		'the same box again resumes it');
	assertError(await reg.post(`/api/v1/boxes/${box}/tubes`, { tube_code: tubes.open }), 409, { code: 'tube_not_closed' });
	assertError(await reg.post(`/api/v1/boxes/${box}/tubes`, { tube_code: barcode('X') }), 404, { code: 'unknown_tube' });
	assertError(await reg.post(`/api/v1/boxes/${box}/seal`), 422, { code: 'box_empty' });
	for (const n of ['neg', 'pos']) {
		const r = await reg.post(`/api/v1/boxes/${box}/tubes`, { tube_code: tubes[n] });
		assert.equal(r.status, 200, r.what);
	}
	assertError(await reg.post(`/api/v1/boxes/${box}/tubes`, { tube_code: tubes.neg }), 409, { code: 'tube_in_box' });
	assertError(await reg.post(`/api/v1/tubes/${tubes.neg}/void`), 409, { code: 'tube_in_box' });
	assertError(await reg.post(`/api/v1/boxes/${box}/handover`, { to: '王师傅' }), 409, { code: 'box_not_sealed' });
	assertError(await lab.post(`/api/v1/boxes/${box}/receive`), 409, { code: 'box_not_handed' });
	const s = await reg.post(`/api/v1/boxes/${box}/seal`);
	assert.equal(s.status, 200, s.what);
	assert.equal(s.json.status, 'sealed');
	assertError(await reg.post(`/api/v1/boxes/${box}/tubes`, { tube_code: tubes.kept }), 409, { code: 'box_not_open' });
	assertError(await reg.post(`/api/v1/boxes/${box}/handover`, { to: '  ' }), 400, { field: 'to' });
	const hnd = await reg.post(`/api/v1/boxes/${box}/handover`, { to: '转运员王师傅' });
	assert.equal(hnd.status, 200, hnd.what);
	assert.equal(hnd.json.handed_to, '转运员王师傅');
	assertError(await reg.post(`/api/v1/boxes/${box}/receive`), 403, { code: 'forbidden' });
	const rc = await lab.post(`/api/v1/boxes/${box}/receive`);
	assert.equal(rc.status, 200, rc.what);
	const b = rc.json;
	assert.equal(b.status, 'received');
	for (const k of ['created_at', 'sealed_at', 'handed_at', 'received_at']) assert.ok(b[k], `${k} set`);
	assert.ok(b.created_at <= b.sealed_at && b.sealed_at <= b.handed_at && b.handed_at <= b.received_at);
	assert.deepEqual(b.tubes.map((t) => t.code).sort(), [tubes.neg, tubes.pos].sort());
	assert.ok(b.tubes.every((t) => t.status === 'received'));
	const t = await lab.ok(`/api/v1/tubes/${tubes.neg}`);
	assert.ok(t.boxed_at && t.received_at, 'the tube keeps its own times');
	assert.equal(t.box_code, box);
	const list = await lab.ok('/api/v1/boxes', { query: { round_id: round.id, status: 'received' } });
	assert.ok(list.items.some((x) => x.code === box));
});

h.test('the lab sees tube and box codes only, never names', async () => {
	const lab = await h.login('lab1');
	const t = await lab.get(`/api/v1/tubes/${tubes.neg}`);
	assert.equal(t.status, 200, t.what);
	assert.ok(!('samples' in t.json), 'no samples for the lab');
	for (const p of people.slice(0, 10)) {
		assert.ok(!t.text.includes(p.name), 'no names');
		assert.ok(!t.text.includes(p.id), 'no person ids');
	}
	const b = await lab.get(`/api/v1/boxes/${box}`);
	assert.equal(b.status, 200, b.what);
	for (const p of people.slice(0, 15)) assert.ok(!b.text.includes(p.name));
	assertError(await lab.get(`/api/v1/people/${people[0].id}`), 403);
	assertError(await lab.get('/api/v1/people'), 403);
	assertError(await lab.get(`/api/v1/rounds/${round.id}/retests`), 403);
	assertError(await lab.get(`/api/v1/people/${people[0].id}/qr.svg`), 403);
	assertError(await lab.post(`/api/v1/tubes/${tubes.kept}/scans`, { person_code: people[35].code, client_key: key() }), 403);
});

h.test('a result for a tube never received is refused; nothing changes', async () => {
	const lab = await h.login('lab1');
	assertError(await lab.post(`/api/v1/tubes/${tubes.kept}/result`, { result: 'negative', client_key: key() }),
		409, { code: 'tube_not_received' });
	assertError(await lab.post(`/api/v1/tubes/${tubes.open}/result`, { result: 'negative', client_key: key() }),
		409, { code: 'tube_not_received' });
	assertError(await lab.post(`/api/v1/tubes/${barcode('X')}/result`, { result: 'negative', client_key: key() }),
		404, { code: 'unknown_tube' });
	assertError(await lab.post(`/api/v1/tubes/${tubes.neg}/result`, { result: 'maybe', client_key: key() }),
		400, { code: 'invalid_result', field: 'result' });
	const reg = await h.login('registrar1');
	assertError(await reg.post(`/api/v1/tubes/${tubes.neg}/result`, { result: 'negative', client_key: key() }), 403);
	assert.equal((await coverage(await h.login('commander'))).resulted, 0);
});

h.test('a negative result reaches everyone in the tube; a retry answers the same bytes', async () => {
	const lab = await h.login('lab1');
	const k = key();
	const r = await lab.post(`/api/v1/tubes/${tubes.neg}/result`, { result: 'negative', client_key: k });
	assert.equal(r.status, 200, r.what);
	assert.equal(r.json.status, 'resulted');
	assert.equal(r.json.result, 'negative');
	assert.equal(r.json.changed, true);
	const again = await lab.post(`/api/v1/tubes/${tubes.neg}/result`, { result: 'negative', client_key: k });
	assert.equal(again.text, r.text);
	const commander = await h.login('commander');
	assert.equal((await coverage(commander)).resulted, 10, 'counted once');
	const same = await lab.post(`/api/v1/tubes/${tubes.neg}/result`, { result: '阴性', client_key: key() });
	assert.equal(same.status, 200, same.what);
	assert.equal(same.json.changed, false);
	assertError(await lab.post(`/api/v1/tubes/${tubes.neg}/result`, { result: 'positive', client_key: key() }),
		409, { code: 'already_resulted' });
	const tube = await commander.ok(`/api/v1/tubes/${tubes.neg}`);
	assert.deepEqual(tube.samples.map((s) => s.person_id).sort(), people.slice(0, 10).map((p) => p.id).sort());
	assert.ok(tube.samples.every((s) => s.result === 'negative'), JSON.stringify(tube.samples));
});

h.test('a positive pool flags everyone at once: retests, counters, an alert', async () => {
	const lab = await h.login('lab1');
	const commander = await h.login('commander');
	const r = await lab.post(`/api/v1/tubes/${tubes.pos}/result`, { result: 'positive', client_key: key() });
	assert.equal(r.status, 200, r.what);
	const t = await coverage(commander);
	assert.equal(t.positive, 5);
	assert.equal(t.resulted, 15);
	const rt = await commander.get(`/api/v1/rounds/${round.id}/retests`);
	assert.equal(rt.status, 200, rt.what);
	const mine = rt.json.items.filter((x) => x.tube_code === tubes.pos);
	assert.deepEqual(mine.map((x) => x.person_id).sort(), people.slice(10, 15).map((p) => p.id).sort());
	assert.ok(mine.every((x) => x.status === 'pending' && x.name), JSON.stringify(mine[0]));
	const alerts = await commander.get('/api/v1/alerts', { query: { kind: 'positive_pool' } });
	assert.equal(alerts.status, 200, alerts.what);
	assert.ok(alerts.json.items.length >= 1, alerts.what);
	assert.ok(alerts.text.includes(tubes.pos), 'the alert names the tube');
	// A grid worker sees the retests of its own grid only. The expected sets come from the
	// people this file put in the positive tube, not from another reply of the server.
	const positives = people.slice(10, 15);
	const gridPath = (await areaByCode(commander, GRID)).path;
	const inGrid = positives.filter((p) => p.area_path.startsWith(gridPath)).map((p) => p.id).sort();
	const outside = positives.filter((p) => !p.area_path.startsWith(gridPath)).map((p) => p.id).sort();
	assert.ok(inGrid.length > 0 && outside.length > 0, 'the positive pool mixes grid1 and others');
	const grid1 = await h.login('grid1');
	const g = await grid1.get(`/api/v1/rounds/${round.id}/retests`);
	assert.equal(g.status, 200, g.what);
	assert.deepEqual(g.json.items.map((x) => x.person_id).sort(), inGrid, 'grid1 sees exactly the positives of its grid');
	const grid2 = await h.login('grid2');
	// grid2's grid lies in another community: the round is out of its scope, read as missing.
	const g2 = await grid2.get(`/api/v1/rounds/${round.id}/retests`);
	assertError(g2, 404, { code: 'round_not_found' });
	for (const p of positives) assert.ok(!g2.text.includes(p.name), `grid2's reply names ${p.name}`);
	const tube = await commander.ok(`/api/v1/tubes/${tubes.pos}`);
	assert.deepEqual(tube.samples.map((s) => s.person_id).sort(), people.slice(10, 15).map((p) => p.id).sort());
	assert.ok(tube.samples.every((s) => s.result === 'positive'), JSON.stringify(tube.samples));
});

h.test('the retest result settles each person', async () => {
	const lab = await h.login('lab1');
	const commander = await h.login('commander');
	const rt = (await commander.ok(`/api/v1/rounds/${round.id}/retests`)).items.filter((x) => x.tube_code === tubes.pos);
	const community1 = await h.login('community1');
	const s = await community1.post(`/api/v1/retests/${rt[0].id}/result`, { result: 'sampled' });
	assert.equal(s.status, 200, s.what);
	assert.equal(s.json.status, 'sampled');
	const neg = await lab.post(`/api/v1/retests/${rt[0].id}/result`, { result: 'negative' });
	assert.equal(neg.status, 200, neg.what);
	assert.equal(neg.json.status, 'negative');
	assert.ok(!('name' in neg.json) && !('person_id' in neg.json), 'the lab sees no names');
	const pos = await lab.post(`/api/v1/retests/${rt[1].id}/result`, { result: 'positive' });
	assert.equal(pos.status, 200, pos.what);
	assertError(await lab.post(`/api/v1/retests/${rt[0].id}/result`, { result: 'positive' }), 409, { code: 'retest_settled' });
	assert.equal((await lab.post(`/api/v1/retests/${rt[0].id}/result`, { result: 'negative' })).status, 200, 'same again');
	assertError(await lab.post(`/api/v1/retests/${rt[2].id}/result`, { result: 'invalid' }), 400, { field: 'result' });
	assertError(await lab.post('/api/v1/retests/12345/result', { result: 'negative' }), 404);
	const grid2 = await h.login('grid2');
	assertError(await grid2.post(`/api/v1/retests/${rt[2].id}/result`, { result: 'sampled' }), 404);
	assert.equal((await coverage(commander)).positive, 4, 'the negative retest leaves the count');
});

h.test('plate CSV: bad rows are reported by line and change nothing, good rows apply', async () => {
	const reg = await h.login('registrar1');
	const lab = await h.login('lab1');
	const commander = await h.login('commander');
	await shipBox(reg, lab, ['plateA', 'plateB', 'inv']);
	const before = await coverage(commander);
	const csv = ['tube_code,result', `${tubes.plateA},阴性`, `${barcode('X')},negative`,
		`${tubes.plateB},maybe`, `${tubes.kept},negative`, `${tubes.neg},negative`, ''].join('\n');
	const r = await lab.req('POST', `/api/v1/rounds/${round.id}/plate`, { body: csv, type: 'text/csv' });
	assert.equal(r.status, 200, r.what);
	assert.equal(r.json.total, 5);
	assert.equal(r.json.applied, 1);
	assert.equal(r.json.unchanged, 1);
	assert.equal(r.json.failed, 3);
	const byLine = Object.fromEntries(r.json.errors.map((e) => [e.line, e]));
	assert.equal(byLine[3].code, 'unknown_tube');
	assert.equal(byLine[4].code, 'invalid_result');
	assert.equal(byLine[4].column, 2);
	assert.equal(byLine[5].code, 'tube_not_received');
	const after = await coverage(commander);
	assert.equal(after.resulted, before.resulted + 4, 'only plateA applied');
	assert.equal((await lab.ok(`/api/v1/tubes/${tubes.plateB}`)).status, 'received', 'a bad row changed nothing');
	// The same file again changes nothing; a corrected one applies the rest.
	const again = await lab.req('POST', `/api/v1/rounds/${round.id}/plate`, { body: csv, type: 'text/csv' });
	assert.equal(again.json.applied, 0);
	const fix = await lab.req('POST', `/api/v1/rounds/${round.id}/plate`,
		{ body: `管码,结果\r\n${tubes.plateB},negative\r\n`, type: 'text/csv' });
	assert.equal(fix.status, 200, fix.what);
	assert.equal(fix.json.applied, 1);
	assertError(await lab.req('POST', `/api/v1/rounds/${round.id}/plate`, { body: 'a,b\n1,2\n', type: 'text/csv' }),
		400, { code: 'missing_column' });
	assertError(await lab.req('POST', `/api/v1/rounds/${round.id}/plate`, { body: `tube_code,result\n"${tubes.inv},negative\n`, type: 'text/csv' }),
		400, { code: 'csv_quote' });
	assert.equal((await lab.ok(`/api/v1/tubes/${tubes.inv}`)).status, 'received', 'a broken file applies nothing');
});

h.test('an invalid result sends the people back to be sampled again', async () => {
	const lab = await h.login('lab1');
	const reg = await h.login('registrar1');
	const commander = await h.login('commander');
	const before = await coverage(commander);
	const r = await lab.post(`/api/v1/tubes/${tubes.inv}/result`, { result: 'invalid', client_key: key() });
	assert.equal(r.status, 200, r.what);
	const after = await coverage(commander);
	assert.equal(after.sampled, before.sampled - 3);
	const t = barcode('L');
	assertCreated(await openTube(reg, round, site, t));
	const again = await scan(reg, t, people[26]);
	assert.equal(again.status, 201, again.what);
});

h.shutdownTest();
