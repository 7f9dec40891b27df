// duty: shifts of workers at sampling sites, checkpoints and isolation facilities — no two
// overlapping shifts for one worker (also when sent at once), the roster of a place and week,
// who is on duty now by the test clock and the places short of the policies' staff, scope,
// and "my shifts" for a volunteer.
import assert from 'node:assert/strict';
import { harness, areaByCode, assertCreated, assertError, phoneFor } from './lib/harness.mjs';
import { COMMUNITY, makeSite, userId } from './lib/tubes.mjs';
import { Stream } from './lib/sse.mjs';

const h = harness('duty', { testClock: true });
const OTHER_COMMUNITY = '370212001002';
// Wednesday 9 December 2026, 10:00 in China: week 2026-W50 runs from Monday 7 December.
const NOW = '2026-12-09T10:00:00+08:00';
const at = (day, hour) => `2026-12-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00+08:00`;
const S = {};
let seq = 0;

async function worker(client, areaCode, fields = {}) {
	const area = await areaByCode(client, areaCode);
	seq += 1;
	return assertCreated(await client.post('/api/v1/workers', {
		name: `值守${seq}`, phone: phoneFor(7100 + seq), kind: 'volunteer', area_id: area.id, ...fields,
	}));
}

function shift(client, w, kind, place, from, to, extra = {}) {
	return client.post('/api/v1/shifts', {
		worker_id: w.id, place_kind: kind, place_id: place.id, starts_at: from, ends_at: to, ...extra,
	});
}

h.test('setup: a site, a checkpoint and a facility, workers in two communities', async () => {
	await h.moveClock(await h.login('admin'), { set: NOW });
	h.clients.clear(); // two days on, the sessions made before have lapsed
	const admin = await h.login('admin');
	const community1 = await h.login('community1');
	const community2 = await h.login('community2');
	const commander = await h.login('commander');
	S.site = await makeSite(community1, COMMUNITY); // 2 desks
	const area = await areaByCode(community1, COMMUNITY);
	S.gate = assertCreated(await community1.post('/api/v1/checkpoints', {
		area_id: area.id, code: 'CP-DUTY-1', name: '张村北门', kind: 'gate',
	}));
	const district = await areaByCode(commander, '370212');
	S.fac = assertCreated(await commander.post('/api/v1/facilities', {
		name: '值守隔离酒店', area_id: district.id, address: '海尔路 9 号', phone: '0532-80000000',
	}));
	S.other = await makeSite(community2, OTHER_COMMUNITY);
	S.a = await worker(community1, COMMUNITY);
	S.b = await worker(community1, COMMUNITY);
	S.c = await worker(community1, COMMUNITY);
	S.vol = await worker(community1, COMMUNITY, { user_id: await userId(admin, 'volunteer1') });
	S.far = await worker(community2, OTHER_COMMUNITY);
});

h.test('a shift is made with its worker, place and times', async () => {
	const community1 = await h.login('community1');
	const s = assertCreated(await shift(community1, S.a, 'site', S.site, at(9, 8), at(9, 12), { role: '采样' }));
	assert.equal(s.worker.id, S.a.id);
	assert.equal(s.worker.name, S.a.name);
	assert.equal(s.place_kind, 'site');
	assert.equal(s.place_id, S.site.id);
	assert.equal(s.place_name, S.site.name);
	assert.equal(s.starts_at, '2026-12-09T00:00:00.000Z');
	assert.equal(s.ends_at, '2026-12-09T04:00:00.000Z');
	assert.equal(s.role, '采样');
	S.a1 = s;
});

h.test('an overlapping shift of the same worker is 409 shift_overlap naming starts_at and the other shift', async () => {
	const community1 = await h.login('community1');
	const before = (await community1.ok('/api/v1/shifts', { query: { worker_id: S.a.id, week: '2026-W50' } })).items.length;
	const r = await shift(community1, S.a, 'checkpoint', S.gate, at(9, 11), at(9, 15));
	const e = assertError(r, 409, { code: 'shift_overlap', field: 'starts_at' });
	assert.ok(e.message_en.includes(S.a1.id), e.message_en);
	// Touching ends do not overlap; another worker at the same time is fine.
	assertCreated(await shift(community1, S.a, 'checkpoint', S.gate, at(9, 12), at(9, 16)));
	assertCreated(await shift(community1, S.b, 'site', S.site, at(9, 11), at(9, 15)));
	// A shift that covers the first one whole is refused too.
	assertError(await shift(community1, S.a, 'site', S.site, at(9, 6), at(9, 20)), 409, { code: 'shift_overlap' });
	const after = (await community1.ok('/api/v1/shifts', { query: { worker_id: S.a.id, week: '2026-W50' } })).items.length;
	assert.equal(after, before + 1);
});

h.test('ten overlapping shifts for one worker sent at once: exactly one is made', async () => {
	const community1 = await h.login('community1');
	const replies = await Promise.all(Array.from({ length: 10 }, (_, i) =>
		shift(community1, S.c, 'site', S.site, at(10, 8 + (i % 3)), at(10, 14))));
	const made = replies.filter((r) => r.status === 201);
	assert.equal(made.length, 1, replies.map((r) => r.what).join('\n'));
	for (const r of replies.filter((x) => x.status !== 201))
		assertError(r, 409, { code: 'shift_overlap', field: 'starts_at' });
	const list = await community1.ok('/api/v1/shifts', { query: { worker_id: S.c.id, week: '2026-12-10' } });
	assert.equal(list.items.length, 1);
});

h.test('bad shifts: 400 naming the field, nothing made', async () => {
	const community1 = await h.login('community1');
	assertError(await shift(community1, S.b, 'site', S.site, at(11, 12), at(11, 8)), 400, { code: 'invalid_span', field: 'ends_at' });
	assertError(await shift(community1, S.b, 'site', S.site, at(11, 0), at(12, 6)), 400, { code: 'shift_too_long', field: 'ends_at' });
	assertError(await shift(community1, S.b, 'ship', S.site, at(11, 8), at(11, 9)), 400, { code: 'invalid_place_kind', field: 'place_kind' });
	assertError(await shift(community1, S.b, 'site', S.site, 'tomorrow', at(11, 9)), 400, { code: 'invalid_time', field: 'starts_at' });
	assertError(await shift(community1, S.b, 'checkpoint', S.site, at(11, 8), at(11, 9)), 404, { field: 'place_id' });
	assertError(await community1.get('/api/v1/shifts', { query: { week: '2026-W60' } }), 400, { code: 'invalid_week', field: 'week' });
	const list = await community1.ok('/api/v1/shifts', { query: { worker_id: S.b.id, week: '2026-W50' } });
	assert.equal(list.items.filter((s) => s.starts_at.startsWith('2026-12-11')).length, 0);
});

h.test('a worker who no longer serves is not put on a shift: 422 worker_inactive naming worker_id', async () => {
	const community1 = await h.login('community1');
	const gone = await worker(community1, COMMUNITY);
	assert.equal((await community1.patch(`/api/v1/workers/${gone.id}`, { active: false })).status, 200);
	assertError(await shift(community1, gone, 'site', S.site, at(11, 8), at(11, 12)), 422,
		{ code: 'worker_inactive', field: 'worker_id' });
	const list = await community1.ok('/api/v1/shifts', { query: { worker_id: gone.id } });
	assert.equal(list.items.length, 0, 'a shift was stored');
});

h.test('scope: another community\'s worker or place is 404; its shifts are not listed', async () => {
	const community1 = await h.login('community1');
	const community2 = await h.login('community2');
	assertError(await shift(community1, S.far, 'site', S.site, at(11, 8), at(11, 9)), 404, { code: 'worker_not_found', field: 'worker_id' });
	assertError(await shift(community1, S.a, 'site', S.other, at(11, 8), at(11, 9)), 404, { field: 'place_id' });
	const theirs = assertCreated(await shift(community2, S.far, 'site', S.other, at(11, 8), at(11, 9)));
	const mine = await community1.ok('/api/v1/shifts', { query: { week: '2026-W50' } });
	assert.ok(mine.items.length >= 3);
	assert.ok(!mine.items.some((s) => s.id === theirs.id));
	assertError(await community1.del(`/api/v1/shifts/${theirs.id}`), 404, { code: 'shift_not_found' });
	const grid1 = await h.login('grid1');
	assertError(await grid1.post('/api/v1/shifts', {
		worker_id: S.a.id, place_kind: 'site', place_id: S.site.id, starts_at: at(12, 8), ends_at: at(12, 9),
	}), 403);
});

h.test('the roster of a place and week, by start; a day names its week', async () => {
	const community1 = await h.login('community1');
	const r = await community1.ok('/api/v1/shifts', { query: { place_kind: 'site', place_id: S.site.id, week: '2026-W50' } });
	assert.equal(r.from, '2026-12-06T16:00:00.000Z');
	assert.equal(r.to, '2026-12-13T16:00:00.000Z');
	assert.ok(r.items.every((s) => s.place_kind === 'site' && s.place_id === S.site.id));
	const starts = r.items.map((s) => s.starts_at);
	assert.deepEqual(starts, [...starts].sort());
	assert.deepEqual(r.items.map((s) => s.worker.id).sort(), [S.a.id, S.b.id, S.c.id].sort());
	const byDay = await community1.ok('/api/v1/shifts', { query: { place_kind: 'site', place_id: S.site.id, week: '2026-12-13' } });
	assert.deepEqual(byDay.items.map((s) => s.id), r.items.map((s) => s.id));
	const next = await community1.ok('/api/v1/shifts', { query: { place_kind: 'site', place_id: S.site.id, week: '2026-W51' } });
	assert.equal(next.items.length, 0);
	assertError(await community1.get('/api/v1/shifts', { query: { place_id: S.site.id } }), 400, { field: 'place_kind' });
});

h.test('on duty now (test clock): who is where, need from the policies, short places', async () => {
	const admin = await h.login('admin');
	const community1 = await h.login('community1');
	const area = await areaByCode(community1, COMMUNITY);
	// 10:00 on 9 December: a (08-12) is at the site, b (11-15) not yet.
	await h.moveClock(admin, { set: NOW });
	let board = await community1.ok('/api/v1/duty/now', { query: { area_id: area.id } });
	assert.ok(board.at.startsWith('2026-12-09T02:00:0'), board.at);
	let site = board.places.find((p) => p.kind === 'site' && p.id === S.site.id);
	assert.deepEqual(site.on_duty.map((d) => d.worker.id), [S.a.id]);
	assert.equal(site.on_duty[0].shift_id, S.a1.id);
	assert.equal(site.need, 4); // 2 per desk x 2 desks
	assert.equal(site.short, true);
	const gate = board.places.find((p) => p.kind === 'checkpoint' && p.id === S.gate.id);
	assert.deepEqual(gate.on_duty, []);
	assert.equal(gate.need, 2);
	assert.equal(gate.short, true);
	assert.ok(!board.places.some((p) => p.id === S.other.id), 'another community\'s site');
	assert.ok(!board.places.some((p) => p.id === S.fac.id), 'the district facility lies above community1');
	// 11:30: a and b at the site; with one per desk the site needs 2 and is not short.
	await h.moveClock(admin, { set: at(9, 11).replace(':00:00', ':30:00') });
	const put = await admin.req('PUT', '/api/v1/policies', {
		json: { values: { 'duty.staff_per_desk': 1 }, reason: '值守测试' },
	});
	assert.equal(put.status, 200, put.what);
	board = await community1.ok('/api/v1/duty/now', { query: { area_id: area.id } });
	site = board.places.find((p) => p.kind === 'site' && p.id === S.site.id);
	assert.deepEqual(site.on_duty.map((d) => d.worker.id).sort(), [S.a.id, S.b.id].sort());
	assert.equal(site.need, 2);
	assert.equal(site.short, false);
	// 12:00: a's site shift ended exactly then and a is at the gate now.
	await h.moveClock(admin, { set: at(9, 12) });
	board = await community1.ok('/api/v1/duty/now');
	site = board.places.find((p) => p.kind === 'site' && p.id === S.site.id);
	assert.deepEqual(site.on_duty.map((d) => d.worker.id), [S.b.id]);
	assert.equal(site.short, true);
	const g = board.places.find((p) => p.kind === 'checkpoint' && p.id === S.gate.id);
	assert.deepEqual(g.on_duty.map((d) => d.worker.id), [S.a.id]);
	// The commander sees the district: the facility and both communities' sites.
	const all = await (await h.login('commander')).ok('/api/v1/duty/now');
	assert.ok(all.places.some((p) => p.kind === 'facility' && p.id === S.fac.id && p.need === 4));
	assert.ok(all.places.some((p) => p.id === S.other.id));
	assertError(await community1.get('/api/v1/duty/now', { query: { area_id: (await areaByCode(admin, OTHER_COMMUNITY)).id } }), 404);
	assertError(await (await h.login('lab1')).get('/api/v1/duty/now'), 403);
});

h.test('my shifts: a volunteer sees only its own, with or without mine=1', async () => {
	const community1 = await h.login('community1');
	const s = assertCreated(await shift(community1, S.vol, 'checkpoint', S.gate, at(12, 18), at(12, 22)));
	const volunteer1 = await h.login('volunteer1');
	const own = await volunteer1.ok('/api/v1/shifts', { query: { mine: 1, week: '2026-W50' } });
	assert.deepEqual(own.items.map((x) => x.id), [s.id]);
	const plain = await volunteer1.ok('/api/v1/shifts', { query: { week: '2026-W50' } });
	assert.deepEqual(plain.items.map((x) => x.id), [s.id]);
	const staffMine = await community1.ok('/api/v1/shifts', { query: { mine: 1, week: '2026-W50' } });
	assert.equal(staffMine.items.length, 0);
});

h.test('a shift removed is gone from the roster and frees its time', async () => {
	const community1 = await h.login('community1');
	const d = await community1.del(`/api/v1/shifts/${S.a1.id}`);
	assert.equal(d.status, 200, d.what);
	assertError(await community1.del(`/api/v1/shifts/${S.a1.id}`), 404, { code: 'shift_not_found' });
	assertCreated(await shift(community1, S.a, 'site', S.site, at(9, 8), at(9, 12)));
});

h.test('the streams hear of a shift made and removed (event duty), not of a refused one', async () => {
	const community1 = await h.login('community1');
	const s = await new Stream(h.base, community1).open();
	const from = await s.mark(await h.login('admin'), (await areaByCode(community1, COMMUNITY)).id);
	const made = assertCreated(await shift(community1, S.b, 'checkpoint', S.gate, at(12, 8), at(12, 12)));
	const e = await s.waitFor((x) => x.event === 'duty' && x.data.payload.shift_id === made.id);
	assert.deepEqual(e.data.payload, { shift_id: made.id, action: 'made', place_kind: 'checkpoint', place_id: S.gate.id });
	assertError(await shift(community1, S.b, 'checkpoint', S.gate, at(12, 9), at(12, 11)), 409, { code: 'shift_overlap' });
	assert.equal((await community1.del(`/api/v1/shifts/${made.id}`)).status, 200);
	await s.waitFor((x) => x.event === 'duty' && x.data.payload.action === 'removed');
	assert.deepEqual(s.events.slice(from).filter((x) => x.event === 'duty').map((x) => [x.data.payload.action, x.data.payload.shift_id]),
		[['made', made.id], ['removed', made.id]], 'the refused shift made no event');
	s.close();
});

h.shutdownTest();
